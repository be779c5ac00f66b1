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

// A verifier that accepts tokens carrying their key in the "jwk" header
// must say which keys belong to which issuer. Here the check compares RFC
// 7638 thumbprints with keys pinned per issuer (as an issuer registry
// would); a JWKCheck can equally fetch the issuer's
// /.well-known/jwks.json (keys.JWKSURL) through a fetch.HTTP with a host
// allow-list.
func ExampleJWKCheck() {
	pinned := map[string][]string{ // issuer → thumbprints
		"https://issuer.example": {"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"},
	}
	check := func(_ context.Context, issuer string, jwk *keys.JWK) error {
		tp, err := jwk.Thumbprint()
		if err != nil {
			return err
		}
		for _, want := range pinned[issuer] {
			if tp == want {
				return nil
			}
		}
		return errors.New("key not pinned for " + issuer)
	}
	suite := jwt.New(jwt.Options{JWKCheck: check})
	_ = suite // suite.Open now trusts header jwks that check accepts

	// Without a JWKCheck, a token with only a header jwk fails with
	// jwt.ErrUntrustedKey after its signature has been checked.
	fmt.Println(check(context.Background(), "https://issuer.example", &keys.JWK{Kty: "OKP", Crv: "Ed25519", X: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}))
	// Output: <nil>
}
