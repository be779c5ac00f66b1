package ld

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/microcred/microcred/ld/rdf"
)

// FuzzCanonicalize feeds arbitrary JSON documents through safe-mode
// canonicalization: it must never panic or hang, and its output must be a
// fixed point (canonicalizing the canonical N-Quads again gives the same
// bytes).
func FuzzCanonicalize(f *testing.F) {
	files, _ := filepath.Glob("testdata/canon-edges/*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 16<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","credentialSubject":{"id":"did:example:1"}}`))
	f.Add([]byte(`{"@context":{"@vocab":"https://example.org/"},"a":{"@list":[1,{"@id":"_:x"},[2]]},"@graph":[{"b":{"@json":[true]}}]}`))
	f.Add([]byte(`{"@context":{"p":{"@id":"https://e.org/p","@container":"@language"}},"p":{"en":"x","de":["y","z"]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		if checkDepth(data, 64) != nil {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var doc any
		if dec.Decode(&doc) != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		out, err := Canonicalize(ctx, doc, nil)
		if err != nil {
			return
		}
		ds, err := rdf.ParseNQuads(out)
		if err != nil {
			t.Fatalf("canonical output does not parse: %v\n%s", err, out)
		}
		res, err := rdf.Canonicalize(ctx, ds, nil)
		if err != nil {
			t.Fatalf("re-canonicalize: %v", err)
		}
		if !bytes.Equal(res.NQuads, out) {
			t.Fatalf("not a fixed point:\n%s\nvs\n%s", out, res.NQuads)
		}
	})
}
