package badge_test

import (
	"context"
	"crypto/ed25519"
	"testing"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/testserver"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/jwt"
)

// TestVerifyJWTHeaderJWKProvenance: a VC-JWT of an HTTPS issuer with only
// a header jwk is accepted when that key is in the issuer's JWKS
// (https://{issuer host}/.well-known/jwks.json, served on loopback) or
// pinned for the issuer in the registry, and refused otherwise — the
// signature alone never makes the key the issuer's.
func TestVerifyJWTHeaderJWKProvenance(t *testing.T) {
	s := testserver.New(t)
	issuer := s.Base + "/issuer"
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	signer, err := keys.NewSigner(priv, "") // no kid: Seal embeds the jwk
	if err != nil {
		t.Fatal(err)
	}
	c, err := vc.Parse(issue(t, newTestKey(t, 0), nil))
	if err != nil {
		t.Fatal(err)
	}
	doc := c.WithoutProof()
	doc["issuer"].(map[string]any)["id"] = issuer
	tok, err := jwt.New(jwt.Options{}).Seal(context.Background(), doc, vc.ProofOptions{Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	fetcher := fetch.NewHTTP(s.Client(), fetch.Options{AllowedHosts: []string{s.Host}, CacheTTL: -1})

	// No JWKS served yet: refused at key_provenance.
	rep := mustVerify(t, newVerifier(t, badge.VerifierOptions{Fetcher: fetcher}), tok)
	wantOutcome(t, rep, badge.CheckKeyProvenance, badge.Failed)
	// No network at all: refused too.
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{}), tok)
	wantOutcome(t, rep, badge.CheckKeyProvenance, badge.Failed)

	// Pinned in the registry for that issuer: accepted.
	j, _ := keys.PublicJWK(priv.Public())
	reg, err := keys.ParseRegistry(mustJSON(t, map[string]any{"version": 1, "name": "test", "entries": []any{
		map[string]any{"id": issuer, "keys": []any{j}, "status": "active"},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{Registry: reg}), tok)
	if !rep.Verified() {
		t.Errorf("pinned header jwk refused:\n%s", summary(rep))
	}

	// In the issuer's JWKS: accepted.
	other, _ := keys.PublicJWK(newTestKey(t, 8).signer.Public())
	s.ServeJSON("/.well-known/jwks.json", map[string]any{"keys": []any{other, j}})
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{Fetcher: fetcher}), tok)
	if !rep.Verified() {
		t.Errorf("header jwk in the issuer's JWKS refused:\n%s", summary(rep))
	}
	wantOutcome(t, rep, badge.CheckKeyProvenance, badge.Passed)
}
