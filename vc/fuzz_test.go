package vc

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParse checks that Parse and everything that reads a parsed credential
// never panic, that errors have the documented types, and that a parsed
// document survives Marshal and Parse unchanged.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/w3c-vcdm2/*.json")
	seeds = append(seeds, "testdata/ob-realistic-safe.json")
	for _, name := range seeds {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(fullV2))
	for _, s := range []string{
		`{"@context":"https://www.w3.org/2018/credentials/v1","issuanceDate":"2010-01-01T00:00:00","expirationDate":"2009-01-01T00:00:00Z"}`,
		`{"issuer":{"id":null},"credentialSubject":[{},1,null],"proof":[{"verificationMethod":{"id":5}},"x"]}`,
		`{"a":1,"a":2}`, `[]`, `{"name":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not *ParseError: %v", err, err)
			}
			return
		}
		asProblem := func(err error) {
			if err == nil {
				return
			}
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("error %T is not *Problem: %v", err, err)
			}
		}
		_, err = c.Version()
		asProblem(err)
		_, err = c.Issuer()
		asProblem(err)
		_, _, err = c.ValidFrom()
		asProblem(err)
		_, _, err = c.ValidUntil()
		asProblem(err)
		_, err = c.Subjects()
		asProblem(err)
		_, err = c.Status()
		asProblem(err)
		_, err = c.Schemas()
		asProblem(err)
		proofs, err := c.Proofs()
		asProblem(err)
		for _, p := range proofs {
			_, _, err = p.CreatedTime()
			asProblem(err)
			_, _, err = p.ExpiresTime()
			asProblem(err)
		}
		_ = c.Contexts()
		_ = c.Types()
		_ = c.ID()
		_ = c.RefreshService()
		_ = c.TermsOfUse()
		_ = c.Evidence()
		for _, p := range c.CheckDataModel() {
			if p.Rule == "" || p.Message == "" || p.Err == nil {
				t.Fatalf("incomplete problem %+v", p)
			}
		}
		b, err := Marshal(c.Map())
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		c2, err := ParseWithOptions(b, ParseOptions{MaxBytes: 4 << 20})
		if err != nil {
			t.Fatalf("re-Parse of %s: %v", b, err)
		}
		if !reflect.DeepEqual(c.Map(), c2.Map()) {
			t.Fatalf("round trip changed the document:\n%#v\n%#v", c.Map(), c2.Map())
		}
		if !reflect.DeepEqual(c.Map(), c.Document()) {
			t.Fatal("Document() differs from Map()")
		}
	})
}
