package schema

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/microcred/microcred/vc"
)

// BenchmarkValidateCredential measures ValidateCredential on a realistic
// credential and on the spec's complete one (both also name the
// achievementcredential schema in credentialSchema, which is applied once),
// parsed beforehand as a verifier would have it, with the published and the
// strict schemas. Compilation happens before the timer.
func BenchmarkValidateCredential(b *testing.B) {
	ctx := context.Background()
	for _, mode := range []struct {
		name   string
		strict bool
	}{{"published", false}, {"strict", true}} {
		v := newValidator(b, Options{Strict: mode.strict})
		for _, c := range []struct{ name, file string }{
			{"realistic", "../ld/testdata/canon-edges/ob-realistic-safe.json"},
			{"full", "../ld/testdata/canon-edges/ob-full-safe.json"},
		} {
			cred, err := vc.Parse(readFile(b, c.file))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := v.ValidateCredential(ctx, cred); err != nil {
				b.Fatal(err)
			}
			b.Run(mode.name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := v.ValidateCredential(ctx, cred); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkValidatorCases validates every 1EdTech validator fixture once
// per iteration (most are invalid, so this includes building problems).
func BenchmarkValidatorCases(b *testing.B) {
	ctx := context.Background()
	v := newValidator(b, Options{})
	files, _ := filepath.Glob(validatorCases + "*.json")
	var creds []*vc.Credential
	for _, f := range files {
		c, err := vc.Parse(readFile(b, f))
		if err != nil {
			continue
		}
		creds = append(creds, c)
		v.ValidateCredential(ctx, c)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range creds {
			v.ValidateCredential(ctx, c)
		}
	}
}

// BenchmarkCompile measures compiling the published achievementcredential
// schema, which a process does once.
func BenchmarkCompile(b *testing.B) {
	e := embeddedByURL[AchievementCredentialURL]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.doCompile(); err != nil {
			b.Fatal(err)
		}
	}
}
