package jwt

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/microcred/microcred/vc"
)

// FuzzOpen feeds Open arbitrary bytes: it must never panic, and every
// failure must be an *Error.
func FuzzOpen(f *testing.F) {
	ctx := context.Background()
	for _, k := range testKeys(f) {
		tok, err := New(Options{}).Seal(ctx, testCredential(), vc.ProofOptions{Signer: k.signer})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok)
	}
	for _, p := range []string{
		"testdata/ob3/simple.jwt", "testdata/ob3/velocity.jwt",
		"testdata/w3c-vc-jose-cose/credential-jose-minimal.txt",
		"testdata/w3c-vc-jose-cose/credential-jose-vc-vp-claims.txt",
	} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("e30.e30."))
	f.Add([]byte(`eyJhbGciOiJub25lIn0.e30.`))
	f.Add([]byte(".."))
	s := testSuite(f, Options{})
	f.Fuzz(func(t *testing.T, data []byte) {
		cred, res, err := s.Open(ctx, data, vc.VerifyProofOptions{Now: testNow})
		if res == nil {
			t.Fatal("nil result")
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not a *jwt.Error", err, err)
			}
			return
		}
		if cred == nil {
			t.Fatal("nil credential without error")
		}
	})
}
