package dataintegrity_test

import (
	"context"
	"crypto/ed25519"
	"fmt"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc/dataintegrity"
)

// Example signs a credential with an eddsa-rdfc-2022 proof and verifies it.
func Example() {
	ctx := context.Background()
	priv := ed25519.NewKeyFromSeed(make([]byte, 32)) // use keys.GenerateEd25519 for real keys
	did, _ := keys.DIDKey(priv.Public())
	vm, _ := keys.DIDKeyURL(priv.Public())
	signer, _ := keys.NewSigner(priv, vm)

	credential := map[string]any{
		"@context":          []any{ld.CredentialsV2URL, ld.OB303URL},
		"id":                "urn:uuid:0e8f1c6a-2d4b-4c1e-9a7d-3b5f6e8a9c01",
		"type":              []any{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":            map[string]any{"id": did, "type": []any{"Profile"}, "name": "Example University"},
		"validFrom":         "2026-01-01T00:00:00Z",
		"name":              "Data Literacy",
		"credentialSubject": map[string]any{"id": "did:example:learner", "type": []any{"AchievementSubject"}, "achievement": map[string]any{"id": "https://example.edu/achievements/1", "type": []any{"Achievement"}, "name": "Data Literacy", "criteria": map[string]any{"narrative": "Pass the project."}}},
	}
	signed, err := dataintegrity.AddProof(ctx, credential, signer, dataintegrity.SignOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	results, err := dataintegrity.Verify(ctx, signed, dataintegrity.VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := results[0]
	fmt.Println(r.Cryptosuite, r.Verified, r.Method.Controller == did)
	// Output: eddsa-rdfc-2022 true true
}

// ExampleVerify shows a proof failing: the credential was changed after
// signing.
func ExampleVerify() {
	ctx := context.Background()
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	vm, _ := keys.DIDKeyURL(priv.Public())
	signer, _ := keys.NewSigner(priv, vm)
	doc := map[string]any{
		"@context":          []any{ld.CredentialsV2URL},
		"type":              []any{"VerifiableCredential"},
		"issuer":            "https://issuer.example",
		"credentialSubject": map[string]any{"id": "did:example:learner"},
	}
	signed, _ := dataintegrity.AddProof(ctx, doc, signer, dataintegrity.SignOptions{})
	signed["issuer"] = "https://attacker.example"
	results, _ := dataintegrity.Verify(ctx, signed, dataintegrity.VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	fmt.Println(results[0].Verified)
	fmt.Println(results[0].Err)
	// Output:
	// false
	// dataintegrity: proof 0: the signature does not verify: signature does not verify
}
