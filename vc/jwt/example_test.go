package jwt_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/jwt"
)

// An issuer whose id is a did:key signs an Open Badges 3.0 credential as a
// VC-JWT; a verifier with the default policy (RS256, ES256, EdDSA; did:key
// and did:jwk resolved locally) opens it.
func Example() {
	ctx := context.Background()
	priv, _ := keys.Ed25519FromSeed(make([]byte, 32)) // a fixed demo key: use GenerateEd25519 in real life
	vm, _ := keys.DIDKeyURL(priv.Public())
	did, _ := keys.DIDKey(priv.Public())
	signer, _ := keys.NewSigner(priv, vm)

	credential := map[string]any{
		"@context":  []any{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"id":        "urn:uuid:9a8b7c6d-0000-4000-8000-000000000001",
		"type":      []any{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":    map[string]any{"id": did, "type": []any{"Profile"}, "name": "Example Issuer"},
		"validFrom": "2026-01-01T00:00:00Z",
		"name":      "Example badge",
		"credentialSubject": map[string]any{
			"id":   "did:example:learner",
			"type": []any{"AchievementSubject"},
			"achievement": map[string]any{
				"id": "https://example.org/achievements/1", "type": []any{"Achievement"},
				"name": "Example", "description": "An example.", "criteria": map[string]any{"narrative": "Be an example."},
			},
		},
	}

	suite := jwt.New(jwt.Options{})
	token, err := suite.Seal(ctx, credential, vc.ProofOptions{Signer: signer})
	if err != nil {
		fmt.Println(err)
		return
	}

	cred, res, err := suite.Open(ctx, token, vc.VerifyProofOptions{})
	if err != nil {
		fmt.Println("not verified:", err)
		return
	}
	fmt.Println("verified:", cred.ID())
	fmt.Println("alg:", res.Details["alg"], "controller is issuer:", res.Controller == did)

	// The verifier's allow-list decides: a policy of RS256 only refuses it.
	_, _, err = jwt.New(jwt.Options{Algorithms: []keys.Algorithm{keys.RS256}}).Open(ctx, token, vc.VerifyProofOptions{})
	fmt.Println(errors.Is(err, jwt.ErrAlgorithm))
	// Output:
	// verified: urn:uuid:9a8b7c6d-0000-4000-8000-000000000001
	// alg: EdDSA controller is issuer: true
	// true
}
