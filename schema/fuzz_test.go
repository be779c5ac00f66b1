package schema

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/microcred/microcred/internal/jsonx"
)

// FuzzValidate feeds arbitrary bytes to ValidateCredential and Validate:
// no panic, the same problems twice (no dependence on map order), and
// every problem's pointer names a value in the document — or, for a
// missing, unexpected or misnamed member, a member of an object that is
// there.
func FuzzValidate(f *testing.F) {
	for _, pattern := range []string{validatorCases + "*.json", "testdata/spec/*.json", "testdata/educredentials/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte(`{"type": "OpenBadgeCredential", "name": {"en-GB": "x", "english": 5}, "issuer": {"type": 1}}`))
	f.Add([]byte(`{"type": ["EndorsementCredential", "AchievementCredential"], "credentialSchema": [{"id": "https://x.example/s", "type": "JsonSchema"}, 5]}`))
	v, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, derr := jsonx.Decode(data, jsonx.Limits{})
		res, err := v.ValidateCredential(ctx, data)
		if derr != nil || res == nil {
			if err == nil {
				t.Fatal("no result and no error")
			}
			return
		}
		again, _ := v.ValidateCredential(ctx, data)
		if !slices.Equal(res.Problems, again.Problems) {
			t.Fatalf("different problems on a second run:%s\n---%s", dump(res.Problems), dump(again.Problems))
		}
		checkPointers(t, doc, res.Problems)
		ps, err := v.Validate(ctx, ProfileURL, data)
		if err != nil {
			t.Fatal(err)
		}
		checkPointers(t, doc, ps)
	})
}

func checkPointers(t *testing.T, doc any, ps []Problem) {
	t.Helper()
	for _, p := range ps {
		if p.Message == "" {
			t.Errorf("empty message: %+v", p)
		}
		if p.InstancePath != "" && p.InstancePath[0] != '/' {
			t.Fatalf("not a pointer: %+v", p)
		}
		toks := splitPointer(p.InstancePath)
		if _, ok := lookup(doc, toks); ok {
			continue
		}
		switch p.Keyword {
		case "required", "additionalProperties", "propertyNames", "type":
			// "type": the problem ValidateCredential adds when /type names
			// no OB3 class, which may be absent.
			if len(toks) > 0 {
				if parent, ok := lookup(doc, toks[:len(toks)-1]); ok {
					if _, isObj := parent.(map[string]any); isObj {
						continue
					}
				}
			}
		}
		t.Fatalf("pointer names nothing in the document: %+v", p)
	}
}
