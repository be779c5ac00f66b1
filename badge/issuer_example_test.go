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

// Issue a credential with an Issuer built once from a key and a Profile,
// then verify its proof. The clock and the id generator are fixed so that
// the output is the same at every run.
func ExampleIssuer() {
	ctx := context.Background()
	priv := ed25519.NewKeyFromSeed(make([]byte, 32)) // use keys.GenerateEd25519 or keys.LoadSigner for real keys
	signer, err := keys.NewSigner(priv, "")
	if err != nil {
		log.Fatal(err)
	}
	issuer, err := badge.NewIssuer(signer, badge.Profile{Name: badge.NewText("Example University")}, badge.IssuerOptions{
		Now:   func() time.Time { return time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC) },
		NewID: func() string { return "urn:uuid:8d0f1a5e-3b7c-4e2a-9f61-0c4d2b7e5a13" },
	})
	if err != nil {
		log.Fatal(err)
	}

	// No id, issuer or validFrom: the Issuer fills them in.
	cred := &badge.AchievementCredential{
		Name: badge.NewText("Data Literacy for Researchers"),
		CredentialSubject: badge.OneOrMany[badge.AchievementSubject]{{
			ID:   "did:example:learner",
			Type: badge.Many[string]{badge.TypeAchievementSubject},
			Achievement: &badge.Achievement{
				ID:          "https://example.edu/achievements/data-literacy",
				Type:        badge.Many[string]{badge.TypeAchievement},
				Name:        badge.NewText("Data Literacy for Researchers"),
				Description: badge.NewText("Finding, judging and citing research data."),
				Criteria:    &badge.Criteria{Narrative: badge.NewText("Pass the final assessment.")},
			},
		}},
	}
	signed, err := issuer.Issue(ctx, cred)
	if err != nil {
		log.Fatal(err)
	}

	var doc map[string]any
	if err := json.Unmarshal(signed, &doc); err != nil {
		log.Fatal(err)
	}
	fmt.Println("id:", doc["id"])
	fmt.Println("validFrom:", doc["validFrom"])
	fmt.Println("issuer is the key's did:key:", doc["issuer"].(map[string]any)["id"] == issuer.ID())
	results, err := dataintegrity.Verify(ctx, doc, dataintegrity.VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("proof:", results[0].Cryptosuite, "verified:", results[0].Verified)

	// A member no JSON-LD context defines would go unsigned: refused.
	cred.Extra = map[string]any{"ECTS": 5}
	_, err = issuer.Issue(ctx, cred)
	var ie *badge.IssueError
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			fmt.Printf("refused: %s %s: %s\n", p.Source, p.Pointer, p.Message)
		}
	}
	// Output:
	// id: urn:uuid:8d0f1a5e-3b7c-4e2a-9f61-0c4d2b7e5a13
	// validFrom: 2026-03-01T09:30:00Z
	// issuer is the key's did:key: true
	// proof: eddsa-rdfc-2022 verified: true
	// refused: jsonld /ECTS: property "ECTS" is not defined by any context
}
