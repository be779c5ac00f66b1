package badge_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
	"github.com/microcred/microcred/vc/jwt"
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

// Issue the same kind of credential as an Open Badges 3.0 VC-JWT: the same
// defaults and validation as Issue, then a compact JWS whose kid is the
// Issuer's verification method. With an Ed25519 key, a fixed clock and a
// fixed id the token is the same at every run. (ECDSA and RSA keys work
// too, with IssueJWT only.)
func ExampleIssuer_IssueJWT() {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	signer, err := keys.NewSigner(priv, "")
	if err != nil {
		log.Fatal(err)
	}
	issuer, err := badge.NewIssuer(signer, badge.Profile{Name: badge.NewText("Example University")}, badge.IssuerOptions{
		Now:   func() time.Time { return now },
		NewID: func() string { return "urn:uuid:8d0f1a5e-3b7c-4e2a-9f61-0c4d2b7e5a13" },
	})
	if err != nil {
		log.Fatal(err)
	}
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
	// The zero jwt.Profile, jwt.VCJWT, is OB 3.0's typ "JWT";
	// jwt.VCJOSE gives typ "vc+jwt".
	token, err := issuer.IssueJWT(ctx, cred, jwt.VCJWT)
	if err != nil {
		log.Fatal(err)
	}

	parts := strings.Split(string(token), ".")
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var h, claims map[string]any
	json.Unmarshal(header, &h)
	json.Unmarshal(payload, &claims)
	fmt.Println("alg:", h["alg"], "typ:", h["typ"])
	fmt.Println("kid is the did:key's method:", strings.HasPrefix(h["kid"].(string), issuer.ID()+"#"))
	fmt.Println("iss:", claims["iss"] == issuer.ID())
	fmt.Println("jti:", claims["jti"])
	fmt.Println("nbf:", time.Unix(int64(claims["nbf"].(float64)), 0).UTC().Format(time.RFC3339))
	fmt.Println("sub:", claims["sub"])

	// Verify: the kid resolves to the did:key, controlled by the issuer.
	_, res, err := jwt.New(jwt.Options{}).Open(ctx, token, vc.VerifyProofOptions{Now: now})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", res.Suite, "key controlled by the issuer:", res.Controller == issuer.ID())

	// The same JSON-LD safe mode as Issue: an undefined term is refused.
	cred.Extra = map[string]any{"ECTS": 5}
	_, err = issuer.IssueJWT(ctx, cred, jwt.VCJWT)
	var ie *badge.IssueError
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			fmt.Printf("refused: %s %s: %s\n", p.Source, p.Pointer, p.Message)
		}
	}
	// Output:
	// alg: EdDSA typ: JWT
	// kid is the did:key's method: true
	// iss: true
	// jti: urn:uuid:8d0f1a5e-3b7c-4e2a-9f61-0c4d2b7e5a13
	// nbf: 2026-03-01T09:30:00Z
	// sub: did:example:learner
	// verified: VC-JWT key controlled by the issuer: true
	// refused: jsonld /ECTS: property "ECTS" is not defined by any context
}
