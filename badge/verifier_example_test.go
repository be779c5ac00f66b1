package badge_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
)

// Verify a credential against a registry: build the Verifier once from the
// trusted material, then verify and read the report.
func ExampleVerifier() {
	// An issuer (did:key) and the credential it signs.
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	signer, err := keys.NewSigner(priv, "")
	if err != nil {
		log.Fatal(err)
	}
	issued := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	is, err := badge.NewIssuer(signer, badge.Profile{Name: badge.NewText("Example University")}, badge.IssuerOptions{Now: func() time.Time { return issued }})
	if err != nil {
		log.Fatal(err)
	}
	c := newCredential()
	c.ID, c.Issuer, c.ValidFrom = "", nil, badge.DateTime{}
	signed, err := is.Issue(context.Background(), c)
	if err != nil {
		log.Fatal(err)
	}

	// The relying party's registry trusts that issuer with that key.
	did, _ := keys.DIDKey(priv.Public())
	jwk, _ := keys.PublicJWK(priv.Public())
	reg, err := keys.ParseRegistry(fmt.Appendf(nil, `{"version":1,"name":"example","entries":[{"id":%q,"keys":[{"kty":"OKP","crv":"Ed25519","x":%q}],"status":"active"}]}`, did, jwk.X))
	if err != nil {
		log.Fatal(err)
	}
	v, err := badge.NewVerifier(badge.VerifierOptions{
		Registry: reg,
		Now:      func() time.Time { return issued.Add(24 * time.Hour) },
	})
	if err != nil {
		log.Fatal(err)
	}
	rep, err := v.Verify(context.Background(), signed)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", rep.Verified())
	for _, ch := range rep.Checks {
		fmt.Println(ch.ID, ch.Outcome)
	}
	// Output:
	// verified: true
	// parse passed
	// context_and_type passed
	// schema passed
	// subject passed
	// proof passed
	// key_provenance passed
	// refresh skipped
	// registry passed
	// status skipped
	// validity passed
	// eu_profile skipped
	// endorsements skipped
}
