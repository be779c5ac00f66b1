package badge_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc/dataintegrity"
)

// exampleIssued signs the credential of Example_build with a did:key
// issuer (seed 0), as ExampleVerifier does.
func exampleIssued(issued time.Time) []byte {
	signer, err := keys.NewSigner(ed25519.NewKeyFromSeed(make([]byte, 32)), "")
	if err != nil {
		log.Fatal(err)
	}
	is, err := badge.NewIssuer(signer, badge.Profile{Name: badge.NewText("Example University")}, badge.IssuerOptions{Now: func() time.Time { return issued }})
	if err != nil {
		log.Fatal(err)
	}
	c := newCredential()
	c.ID, c.Issuer, c.ValidFrom = "urn:uuid:7e0b5c52-3d1f-4a8e-9c6b-2f4d1a0e9b33", nil, badge.DateTime{}
	signed, err := is.Issue(context.Background(), c)
	if err != nil {
		log.Fatal(err)
	}
	return signed
}

// Run only some checks: here the proof and the validity period (by its VC
// API name), as a relying party that keeps its own issuer list might.
func ExampleVerifier_VerifyWith() {
	issued := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	signed := exampleIssued(issued)
	v, err := badge.NewVerifier(badge.VerifierOptions{Now: func() time.Time { return issued.Add(24 * time.Hour) }})
	if err != nil {
		log.Fatal(err)
	}
	rep, err := v.VerifyWith(context.Background(), signed, badge.VerifyOptions{Checks: []string{"proof", "expiration"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", rep.Verified())
	for _, ch := range rep.Checks {
		fmt.Println(ch.ID, ch.Outcome, ch.Message == "not requested")
	}

	_, err = v.VerifyWith(context.Background(), signed, badge.VerifyOptions{Checks: []string{"signature"}})
	fmt.Println("unknown check:", errors.Is(err, badge.ErrUnknownCheck))
	// Output:
	// verified: true
	// parse passed false
	// context_and_type skipped true
	// schema skipped true
	// subject skipped true
	// proof passed false
	// key_provenance skipped true
	// refresh skipped true
	// registry skipped true
	// status skipped true
	// validity passed false
	// eu_profile skipped true
	// endorsements skipped true
	// unknown check: true
}

// Verify a presentation: the holder signs it for the relying party's
// challenge and domain; the verifier checks that proof, that the holder
// signed it, and every credential in it.
func ExampleVerifier_VerifyPresentation() {
	issued := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	var cred map[string]any
	if err := json.Unmarshal(exampleIssued(issued), &cred); err != nil {
		log.Fatal(err)
	}

	// The holder's key, and the presentation it signs for challenge
	// "c-123" and domain "example.org".
	seed := make([]byte, 32)
	seed[0] = 42
	priv := ed25519.NewKeyFromSeed(seed)
	holder, _ := keys.DIDKey(priv.Public())
	vm, _ := keys.DIDKeyURL(priv.Public())
	hs, err := keys.NewSigner(priv, vm)
	if err != nil {
		log.Fatal(err)
	}
	vp := map[string]any{
		"@context":             []any{"https://www.w3.org/ns/credentials/v2"},
		"type":                 []any{"VerifiablePresentation"},
		"holder":               holder,
		"verifiableCredential": []any{cred},
	}
	signed, err := dataintegrity.AddProof(context.Background(), vp, hs, dataintegrity.SignOptions{
		Purpose:   dataintegrity.PurposeAuthentication,
		Challenge: "c-123",
		Domain:    []string{"example.org"},
		Created:   issued.Add(time.Hour),
	})
	if err != nil {
		log.Fatal(err)
	}
	in, err := json.Marshal(signed)
	if err != nil {
		log.Fatal(err)
	}

	v, err := badge.NewVerifier(badge.VerifierOptions{Now: func() time.Time { return issued.Add(24 * time.Hour) }})
	if err != nil {
		log.Fatal(err)
	}
	rep, err := v.VerifyPresentation(context.Background(), in, badge.PresentationOptions{Challenge: "c-123", Domain: "example.org"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", rep.Verified())
	for _, ch := range rep.Checks {
		fmt.Println(ch.ID, ch.Outcome)
	}
	fmt.Println("credential 0 verified:", rep.Credentials[0].Verified())

	// Replayed for another challenge: the proof fails.
	rep, err = v.VerifyPresentation(context.Background(), in, badge.PresentationOptions{Challenge: "c-456", Domain: "example.org"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("replayed:", rep.Verified(), rep.Check(badge.PresentationCheckProof).Outcome)
	// Output:
	// verified: true
	// parse passed
	// proof passed
	// holder passed
	// credentials passed
	// credential 0 verified: true
	// replayed: false failed
}
