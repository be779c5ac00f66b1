package dataintegrity

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/microcred/microcred/keys"
)

// FuzzVerify mutates a signed credential: verification must never panic,
// and any input that verifies must have the canonical form that was signed.
func FuzzVerify(f *testing.F) {
	_, body, _ := signedBench(f, "../../testdata/ob3/validator-cases/ob30/simple.json")
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		f.Fatal(err)
	}
	res, err := Verify(context.Background(), m, VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	if err != nil || !res[0].Verified {
		f.Fatal("seed does not verify")
	}
	want := res[0].DocumentHash
	f.Add(body)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 32<<10 {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var doc map[string]any
		if dec.Decode(&doc) != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		res, err := Verify(ctx, doc, VerifyOptions{Resolver: keys.DIDKeyResolver{}})
		if err != nil {
			return
		}
		for _, r := range res {
			if r.Verified && r.DocumentHash != want {
				t.Fatalf("a different document verified: %s", r.CanonicalDocument)
			}
		}
	})
}
