package status

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
)

type mapFetcher map[string][]byte

var errNotFound = errors.New("not found")

func (m mapFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	if b, ok := m[url]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("%w: %s", errNotFound, url)
}

// benchList is a 131,072-entry list with 1% of entries set.
func benchList(b *testing.B) *List {
	l, _ := NewList(MinEntries, PurposeRevocation)
	for i := 0; i < l.Len(); i += 97 {
		l.Set(i)
	}
	return l
}

func BenchmarkEncodeList(b *testing.B) {
	l := benchList(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeList(b *testing.B) {
	enc, _ := benchList(b).Encode()
	b.SetBytes(MinEntries / 8)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeList(enc, DecodeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchChecker(b *testing.B, cacheTTL time.Duration) (*Checker, vc.Status) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	did, _ := keys.DIDKey(priv.Public())
	vm, _ := keys.DIDKeyURL(priv.Public())
	signer, _ := keys.NewSigner(priv, vm)
	const u = "https://issuer.example/status/1"
	l := benchList(b)
	doc, err := l.SignedCredential(context.Background(), signer, CredentialOptions{ID: u, Issuer: did}, dataintegrity.SignOptions{})
	if err != nil {
		b.Fatal(err)
	}
	body, _ := json.Marshal(doc)
	c := NewChecker(mapFetcher{u: body}, Options{Resolver: keys.DIDKeyResolver{}, CacheTTL: cacheTTL})
	e, _ := l.Entry(u, 97)
	cred, _ := vc.FromDocument(map[string]any{
		"@context": []any{"https://www.w3.org/ns/credentials/v2"}, "type": []any{"VerifiableCredential"},
		"issuer": did, "credentialSubject": map[string]any{"id": "did:example:x"}, "credentialStatus": e,
	})
	st, _ := cred.Status()
	return c, st[0]
}

// BenchmarkCheck: fetch (from memory), parse, verify the eddsa-rdfc-2022
// proof, decode and read: the cost of a cache miss.
func BenchmarkCheck(b *testing.B) {
	c, e := benchChecker(b, -1)
	b.ReportAllocs()
	for b.Loop() {
		r, err := c.Check(context.Background(), e)
		if err != nil || r.Outcome != Revoked {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkCheckCached: the list is in the Checker's cache.
func BenchmarkCheckCached(b *testing.B) {
	c, e := benchChecker(b, time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		r, err := c.Check(context.Background(), e)
		if err != nil || r.Outcome != Revoked || r.Outcome == Valid {
			b.Fatal(r, err)
		}
	}
}
