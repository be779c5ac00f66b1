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
	"github.com/microcred/microcred/vc/dataintegrity"
)

// TestVerifyDIDWeb: the default resolver chain reaches did:web through the
// Fetcher (DID document served on loopback). The method must be listed
// under assertionMethod; without a Fetcher, or with the host not allowed,
// the proof fails.
func TestVerifyDIDWeb(t *testing.T) {
	s := testserver.New(t)
	did := s.DIDWeb
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	vm := did + "#key-1"
	signer, err := keys.NewSigner(priv, vm)
	if err != nil {
		t.Fatal(err)
	}
	mk, err := keys.EncodeMultikey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	didDoc := func(rel string) map[string]any {
		d := map[string]any{
			"@context": []any{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"},
			"id":       did,
			"verificationMethod": []any{map[string]any{
				"id": vm, "type": "Multikey", "controller": did, "publicKeyMultibase": mk,
			}},
		}
		d[rel] = []any{vm}
		return d
	}
	c, err := vc.Parse(issue(t, newTestKey(t, 0), nil))
	if err != nil {
		t.Fatal(err)
	}
	doc := c.WithoutProof()
	doc["issuer"].(map[string]any)["id"] = did
	signedDoc, err := dataintegrity.AddProof(context.Background(), doc, signer, dataintegrity.SignOptions{Created: issueTime})
	if err != nil {
		t.Fatal(err)
	}
	signed := mustJSON(t, signedDoc)

	s.ServeJSON("/.well-known/did.json", didDoc("assertionMethod"))
	fetcher := fetch.NewHTTP(s.Client(), fetch.Options{AllowedHosts: []string{s.Host}, CacheTTL: -1})
	rep := mustVerify(t, newVerifier(t, badge.VerifierOptions{Fetcher: fetcher}), signed)
	if !rep.Verified() {
		t.Fatalf("did:web credential not verified:\n%s", summary(rep))
	}
	wantOutcome(t, rep, badge.CheckKeyProvenance, badge.Passed)

	// No network, or the host not allowed: the proof fails.
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{}), signed)
	wantOutcome(t, rep, badge.CheckProof, badge.Failed)
	other := fetch.NewHTTP(s.Client(), fetch.Options{AllowedHosts: []string{"example.org"}, CacheTTL: -1})
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{Fetcher: other}), signed)
	wantOutcome(t, rep, badge.CheckProof, badge.Failed)

	// The method only under authentication: not usable for a credential.
	s.ServeJSON("/.well-known/did.json", didDoc("authentication"))
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{Fetcher: fetcher}), signed)
	wantOutcome(t, rep, badge.CheckProof, badge.Failed)
}
