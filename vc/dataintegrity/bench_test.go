package dataintegrity

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/keys"
)

// benchCredentials are a small, a realistic (117 quads) and a large (348
// quads) Open Badges 3.0 credential.
var benchCredentials = []struct{ name, path string }{
	{"small", "../../testdata/ob3/validator-cases/ob30/simple.json"},
	{"realistic", "../../ld/testdata/canon-edges/ob-realistic-safe.json"},
	{"large", "../../ld/testdata/canon-edges/ob-full-safe.json"},
}

func signedBench(b testing.TB, path string) (unsigned map[string]any, signed []byte, signer keys.Signer) {
	signer, did := demoSigner(b)
	doc := readJSON(b, path)
	delete(doc, "proof")
	switch iss := doc["issuer"].(type) {
	case map[string]any:
		iss["id"] = did
	default:
		doc["issuer"] = did
	}
	s, err := AddProof(context.Background(), doc, signer, SignOptions{})
	require.NoError(b, err)
	body, err := json.Marshal(s)
	require.NoError(b, err)
	return doc, body, signer
}

func BenchmarkSign(b *testing.B) {
	for _, c := range benchCredentials {
		doc, _, signer := signedBench(b, c.path)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := AddProof(context.Background(), doc, signer, SignOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerify measures a whole proof verification from the credential's
// bytes: JSON decoding, canonicalization of document and proof
// configuration, hashing, did:key resolution and the Ed25519 check.
func BenchmarkVerify(b *testing.B) {
	for _, c := range benchCredentials {
		_, body, _ := signedBench(b, c.path)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				dec := json.NewDecoder(bytes.NewReader(body))
				dec.UseNumber()
				var m map[string]any
				if err := dec.Decode(&m); err != nil {
					b.Fatal(err)
				}
				res, err := Verify(context.Background(), m, VerifyOptions{Resolver: keys.DIDKeyResolver{}})
				if err != nil || !res[0].Verified {
					b.Fatal(err, res)
				}
			}
		})
	}
}

// BenchmarkVerifyFloor is the cost no implementation can avoid: decoding
// the JSON, hashing as much data as the canonical form holds, and one
// Ed25519 verification.
func BenchmarkVerifyFloor(b *testing.B) {
	_, body, signer := signedBench(b, "../../ld/testdata/canon-edges/ob-realistic-safe.json")
	pub := signer.Public().(ed25519.PublicKey)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	msg := make([]byte, 64)
	sig := ed25519.Sign(priv, msg)
	b.ReportAllocs()
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			b.Fatal(err)
		}
		h := sha256.Sum256(body)
		copy(msg, h[:])
		ed25519.Verify(pub, msg, sig)
	}
}
