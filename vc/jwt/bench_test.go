package jwt

import (
	"context"
	"testing"

	"github.com/microcred/microcred/vc"
)

// BenchmarkSeal and BenchmarkOpen measure one OB 3.0 credential per
// operation, for each default algorithm (keys pinned in memory, no I/O).
func BenchmarkSeal(b *testing.B) {
	ctx := context.Background()
	for _, k := range testKeys(b) {
		b.Run(k.name, func(b *testing.B) {
			s := testSuite(b, Options{})
			doc := testCredential()
			opts := vc.ProofOptions{Signer: k.signer}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Seal(ctx, doc, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkOpen(b *testing.B) {
	ctx := context.Background()
	for _, k := range testKeys(b) {
		b.Run(k.name, func(b *testing.B) {
			s := testSuite(b, Options{})
			tok, err := s.Seal(ctx, testCredential(), vc.ProofOptions{Signer: k.signer})
			if err != nil {
				b.Fatal(err)
			}
			opts := vc.VerifyProofOptions{Now: testNow}
			b.SetBytes(int64(len(tok)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := s.Open(ctx, tok, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
