package keys

import (
	"context"
	"crypto/ed25519"
	"testing"
)

func BenchmarkResolveDIDKey(b *testing.B) {
	vm := "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
	r := NewResolver(nil, nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Resolve(ctx, vm); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFindVerificationMethod(b *testing.B) {
	doc := []byte(`{"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],"id":"did:web:example.com",
"verificationMethod":[{"id":"#key-1","type":"Multikey","controller":"did:web:example.com","publicKeyMultibase":"z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"},
{"id":"#key-2","type":"JsonWebKey","controller":"did:web:example.com","publicKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}],
"assertionMethod":["#key-1","#key-2"],"authentication":["#key-1"]}`)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FindVerificationMethod(doc, "did:web:example.com", "did:web:example.com#key-2"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignVerifyEd25519(b *testing.B) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	s, _ := NewSigner(priv, "")
	msg := make([]byte, 64)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		sig, err := s.SignMessage(ctx, msg)
		if err != nil {
			b.Fatal(err)
		}
		if err := VerifyMessage(priv.Public(), EdDSA, msg, sig); err != nil {
			b.Fatal(err)
		}
	}
}
