package dataintegrity

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
)

// kmsSigner is a vc.Signer that is not a keys.Signer, like a KMS client.
type kmsSigner struct{ priv ed25519.PrivateKey }

func (k kmsSigner) Public() crypto.PublicKey { return k.priv.Public() }
func (k kmsSigner) SignMessage(_ context.Context, m []byte) ([]byte, error) {
	return ed25519.Sign(k.priv, m), nil
}

func TestSuiteThroughVC(t *testing.T) {
	ctx := context.Background()
	suite := NewSuite(keys.DIDKeyResolver{}, nil)
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	did, _ := keys.DIDKey(priv.Public())
	vm, _ := keys.DIDKeyURL(priv.Public())
	doc := readJSON(t, "../../testdata/ob3/validator-cases/ob30/simple.json")
	delete(doc, "proof")
	doc["issuer"].(map[string]any)["id"] = did

	for name, signer := range map[string]vc.Signer{"keys.Signer": mustSigner(t, priv, vm), "other vc.Signer": kmsSigner{priv}} {
		t.Run(name, func(t *testing.T) {
			signed, err := suite.AddProof(ctx, doc, vc.ProofOptions{Signer: signer, VerificationMethod: vm, Created: time.Unix(1700000000, 0), Domain: []string{"a.example", "b.example"}})
			require.NoError(t, err)
			body, err := json.Marshal(signed)
			require.NoError(t, err)
			cred, err := vc.Parse(body)
			require.NoError(t, err)
			proofs, err := cred.Proofs()
			require.NoError(t, err)
			require.Len(t, proofs, 1)
			assert.True(t, suite.Accepts(proofs[0]))
			res, err := suite.VerifyProof(ctx, cred.Map(), proofs[0], vc.VerifyProofOptions{Domain: "b.example"})
			require.NoError(t, err)
			assert.Equal(t, did, res.Controller)
			assert.NotEmpty(t, res.Details["documentHash"])

			_, err = suite.VerifyProof(ctx, cred.Map(), proofs[0], vc.VerifyProofOptions{Domain: "c.example"})
			assert.ErrorContains(t, err, "domain")
			_, err = suite.VerifyProof(ctx, cred.Map(), proofs[0], vc.VerifyProofOptions{ExpectedPurpose: "authentication"})
			assert.ErrorContains(t, err, "proofPurpose")
		})
	}
	_, err := suite.AddProof(ctx, doc, vc.ProofOptions{})
	assert.ErrorContains(t, err, "Signer is required")
	assert.False(t, suite.Accepts(vc.Proof{Type: "DataIntegrityProof", Cryptosuite: "ecdsa-rdfc-2019"}))
	assert.True(t, suite.Accepts(vc.Proof{Type: "Ed25519Signature2020"}))
}

func mustSigner(t *testing.T, priv ed25519.PrivateKey, vm string) keys.Signer {
	s, err := keys.NewSigner(priv, vm)
	require.NoError(t, err)
	return s
}
