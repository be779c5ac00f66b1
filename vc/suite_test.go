package vc

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
	"time"
)

// toySuite is a toy embedded-proof suite (Ed25519 over Marshal of the
// unsecured document, no canonicalization): enough to show that Suite can
// be implemented with what this package offers and how a verifier drives
// it. It is not a real cryptosuite.
type toySuite struct {
	keys map[string]ed25519.PublicKey // verification method -> key
}

func (toySuite) Name() string { return "test/ed25519-marshal" }

func (toySuite) Accepts(p Proof) bool {
	return p.Type == "DataIntegrityProof" && p.Cryptosuite == "test-ed25519-marshal"
}

func (s toySuite) AddProof(ctx context.Context, doc map[string]any, opts ProofOptions) (map[string]any, error) {
	if opts.Signer == nil {
		return nil, errors.New("no signer")
	}
	msg, err := Marshal(WithoutProof(doc))
	if err != nil {
		return nil, err
	}
	sig, err := opts.Signer.SignMessage(ctx, msg)
	if err != nil {
		return nil, err
	}
	purpose := opts.ProofPurpose
	if purpose == "" {
		purpose = "assertionMethod"
	}
	proof := map[string]any{
		"type": "DataIntegrityProof", "cryptosuite": "test-ed25519-marshal",
		"verificationMethod": opts.VerificationMethod, "proofPurpose": purpose,
		"created":    opts.Created.UTC().Format(time.RFC3339),
		"proofValue": "u" + base64.RawURLEncoding.EncodeToString(sig),
	}
	out := CopyDocument(doc)
	switch old := out["proof"].(type) {
	case nil:
		out["proof"] = proof
	case []any:
		out["proof"] = append(old, proof)
	default:
		out["proof"] = []any{old, proof}
	}
	return out, nil
}

func (s toySuite) VerifyProof(ctx context.Context, doc map[string]any, p Proof, opts VerifyProofOptions) (*ProofResult, error) {
	res := &ProofResult{Suite: s.Name(), Proof: p, VerificationMethod: p.VerificationMethod}
	want := opts.ExpectedPurpose
	if want == "" {
		want = "assertionMethod"
	}
	if p.ProofPurpose != want {
		return res, fmt.Errorf("proof purpose %q, want %q", p.ProofPurpose, want)
	}
	key, ok := s.keys[p.VerificationMethod]
	if !ok {
		return res, fmt.Errorf("unknown verification method %q", p.VerificationMethod)
	}
	res.Controller = "did:example:issuer"
	msg, err := Marshal(WithoutProof(doc))
	if err != nil {
		return res, err
	}
	res.Details = map[string]string{"message": string(msg)}
	if len(p.ProofValue) < 1 || p.ProofValue[0] != 'u' {
		return res, errors.New("proofValue is not base64url multibase")
	}
	sig, err := base64.RawURLEncoding.DecodeString(p.ProofValue[1:])
	if err != nil || !ed25519.Verify(key, msg, sig) {
		return res, errors.New("signature does not verify")
	}
	return res, nil
}

type edSigner struct{ key ed25519.PrivateKey }

func (s edSigner) Public() crypto.PublicKey { return s.key.Public() }
func (s edSigner) SignMessage(_ context.Context, m []byte) ([]byte, error) {
	return ed25519.Sign(s.key, m), nil
}

var _ Suite = toySuite{}

func TestSuiteRoundTrip(t *testing.T) {
	ctx := context.Background()
	pub, priv, _ := ed25519.GenerateKey(nil)
	const vm = "did:example:issuer#key-1"
	suite := toySuite{keys: map[string]ed25519.PublicKey{vm: pub}}

	c := mustParse(t, `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
		"issuer":"did:example:issuer","credentialSubject":{"id":"did:example:s","score":1.50}}`)
	secured, err := suite.AddProof(ctx, c.Map(), ProofOptions{Signer: edSigner{priv}, VerificationMethod: vm,
		Created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Map()["proof"]; ok {
		t.Fatal("AddProof modified its input")
	}
	// Add a second proof: a proof set.
	secured, err = suite.AddProof(ctx, secured, ProofOptions{Signer: edSigner{priv}, VerificationMethod: vm})
	if err != nil {
		t.Fatal(err)
	}

	// The verifier's side: parse the bytes, check, verify each proof.
	b, err := Marshal(secured)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if ps := got.CheckDataModel(); ps != nil {
		t.Fatal(ps)
	}
	proofs, err := got.Proofs()
	if err != nil || len(proofs) != 2 {
		t.Fatalf("Proofs() = %v, %v", proofs, err)
	}
	for _, p := range proofs {
		if !suite.Accepts(p) {
			t.Fatalf("suite does not accept %s", p.Pointer)
		}
		res, err := suite.VerifyProof(ctx, got.Map(), p, VerifyProofOptions{})
		if err != nil {
			t.Errorf("%s: %v", p.Pointer, err)
		}
		if res == nil || res.Controller != "did:example:issuer" || res.VerificationMethod != vm {
			t.Errorf("%s: result %+v", p.Pointer, res)
		}
	}

	// Tampering with a claim breaks every proof; the result still explains.
	doc := got.Document()
	doc["credentialSubject"].(map[string]any)["score"] = "1.5"
	tampered, err := FromDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	tp, _ := tampered.Proofs()
	res, err := suite.VerifyProof(ctx, tampered.Map(), tp[0], VerifyProofOptions{})
	if err == nil || res == nil || res.Details["message"] == "" {
		t.Errorf("tampered: %v, %+v", err, res)
	}
	// And a verifier asking for another purpose gets an error.
	if _, err := suite.VerifyProof(ctx, got.Map(), proofs[0], VerifyProofOptions{ExpectedPurpose: "authentication"}); err == nil {
		t.Error("purpose not enforced")
	}
}
