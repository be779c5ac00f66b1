package jwt

import (
	"context"
	"testing"

	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/testserver"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
)

// TestRemoteKeys resolves kids over loopback HTTPS: a did:web issuer's DID
// document, and an HTTPS issuer's /.well-known/jwks.json for a bare kid.
func TestRemoteKeys(t *testing.T) {
	ctx := context.Background()
	s := testserver.New(t)
	ks := testKeys(t)
	ed, p256 := ks[0].signer, ks[1].signer
	mk, err := keys.EncodeMultikey(ed.Public())
	if err != nil {
		t.Fatal(err)
	}
	s.ServeJSON("/.well-known/did.json", map[string]any{
		"@context":           []any{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"},
		"id":                 s.DIDWeb,
		"verificationMethod": []any{map[string]any{"id": s.DIDWeb + "#key-1", "type": "Multikey", "controller": s.DIDWeb, "publicKeyMultibase": mk}},
		"assertionMethod":    []any{"#key-1"},
	})
	jwk, err := keys.PublicJWK(p256.Public())
	if err != nil {
		t.Fatal(err)
	}
	jwk.Kid, jwk.Use = "k1", "sig"
	s.ServeJSON("/.well-known/jwks.json", map[string]any{"keys": []any{jwk}})

	allowed := fetch.NewHTTP(s.Client(), fetch.Options{AllowedHosts: []string{s.Host}})
	resolver := func(f keys.Fetcher) *keys.KIDResolver {
		return &keys.KIDResolver{Resolver: keys.NewResolver(f, nil), JWKS: &keys.JWKSResolver{Fetcher: f}}
	}
	issuerHTTPS := s.Base + "/issuers/1"
	for _, tc := range []struct {
		name, issuer, kid string
		signer            *keys.KeySigner
	}{
		{"did:web", s.DIDWeb, s.DIDWeb + "#key-1", ed},
		{"JWKS", issuerHTTPS, "k1", p256},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := testCredential()
			doc["issuer"] = map[string]any{"id": tc.issuer, "type": []any{"Profile"}, "name": "Remote issuer"}
			tok, err := New(Options{}).Seal(ctx, doc, vc.ProofOptions{Signer: tc.signer, VerificationMethod: tc.kid})
			if err != nil {
				t.Fatal(err)
			}
			_, res, err := New(Options{Resolver: resolver(allowed)}).Open(ctx, tok, vc.VerifyProofOptions{Now: testNow})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if res.Controller != tc.issuer {
				t.Errorf("result %+v", res)
			}
			// The same token with the issuer's host not allowed.
			none := fetch.NewHTTP(s.Client(), fetch.Options{})
			_, _, err = New(Options{Resolver: resolver(none)}).Open(ctx, tok, vc.VerifyProofOptions{Now: testNow})
			wantKind(t, err, ErrKeyResolution)
		})
	}
}
