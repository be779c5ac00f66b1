// Command demo issues an Open Badges 3.0 micro-credential with an embedded
// demo key, signs it with a Data Integrity eddsa-rdfc-2022 proof, verifies
// it, shows that tampering breaks the proof, and prints what it did.
//
//	go run ./examples/demo [-out credential.json]
//
// The key is a fixed, public demo key: never use it for real credentials.
package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc/dataintegrity"
)

// demoSeed is the Ed25519 seed of the public demo key.
var demoSeed = []byte("microcred demo key: NOT SECRET!!")

func main() {
	out := flag.String("out", "", "also write the signed credential to this file")
	flag.Parse()
	if err := run(context.Background(), *out); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, outFile string) error {
	priv, err := keys.Ed25519FromSeed(demoSeed)
	if err != nil {
		return err
	}
	pub := priv.Public().(ed25519.PublicKey)
	did, err := keys.DIDKey(pub)
	if err != nil {
		return err
	}
	vm, err := keys.DIDKeyURL(pub)
	if err != nil {
		return err
	}
	signer, err := keys.NewSigner(priv, vm)
	if err != nil {
		return err
	}

	cred := microCredential(did, time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC))
	signed, err := dataintegrity.AddProof(ctx, cred, signer, dataintegrity.SignOptions{Created: time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		return fmt.Errorf("issue: %w", err)
	}
	body, err := json.MarshalIndent(signed, "", "  ")
	if err != nil {
		return err
	}
	if outFile != "" {
		if err := os.WriteFile(outFile, append(body, '\n'), 0o644); err != nil {
			return err
		}
	}

	// Verify from the bytes, as a relying party would.
	var received map[string]any
	if err := json.Unmarshal(body, &received); err != nil {
		return err
	}
	resolver := keys.DIDKeyResolver{}
	results, err := dataintegrity.Verify(ctx, received, dataintegrity.VerifyOptions{Resolver: resolver})
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	r := results[0]
	fmt.Printf("issued   %s\n", received["id"])
	fmt.Printf("issuer   %s (demo key)\n", did)
	fmt.Printf("proof    %s %s, created %s\n", r.Type, r.Cryptosuite, r.Created.Format(time.RFC3339))
	fmt.Printf("document hash %s (%d canonical quads)\n", r.DocumentHash, countLines(r.CanonicalDocument))
	if !r.Verified {
		return fmt.Errorf("verification failed: %w", r.Err)
	}
	if r.Method.Controller != did {
		return errors.New("the signing key is not the issuer's")
	}
	fmt.Println("verified ✓ signature valid, key controlled by the issuer")

	// Tamper: raise the ECTS credits. The proof must no longer verify.
	ach := received["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
	ach["creditsAvailable"] = 15
	results, err = dataintegrity.Verify(ctx, received, dataintegrity.VerifyOptions{Resolver: resolver})
	if err != nil {
		return err
	}
	if results[0].Verified {
		return errors.New("a tampered credential verified")
	}
	fmt.Println("tampered ✗ creditsAvailable 5 → 15 is rejected:", results[0].Err)

	// Add a term no context defines: safe mode refuses it instead of
	// silently leaving it out of the signature.
	ach["creditsAvailable"] = 5
	ach["ECTS"] = 15
	results, err = dataintegrity.Verify(ctx, received, dataintegrity.VerifyOptions{Resolver: resolver})
	if err != nil {
		return err
	}
	var se *ld.SafeModeError
	if results[0].Verified || !errors.As(results[0].Err, &se) {
		return errors.New("an undefined term was not refused")
	}
	fmt.Println("injected ✗ undefined term is rejected:", se)
	if outFile != "" {
		fmt.Println("wrote", outFile)
	}
	return nil
}

func countLines(s string) int {
	n := 0
	for _, c := range s {
		if c == '\n' {
			n++
		}
	}
	return n
}

// microCredential builds an OB 3.0 AchievementCredential for a 5 ECTS
// micro-credential, using native OB 3.0 fields for the EU elements that have
// one (achievementType, credits, EQF and ESCO alignments, result).
func microCredential(issuer string, issued time.Time) map[string]any {
	return map[string]any{
		"@context": []any{ld.CredentialsV2URL, ld.OB303URL},
		"id":       "urn:uuid:6f1c2b0e-3c56-4d1a-9a43-6d3f0e7f1a01",
		"type":     []any{"VerifiableCredential", "OpenBadgeCredential"},
		"name":     "Micro-credential: Data Literacy for Researchers",
		"issuer": map[string]any{
			"id":   issuer,
			"type": []any{"Profile"},
			"name": "Demo University (microcred demo issuer)",
			"address": map[string]any{
				"type":            []any{"Address"},
				"addressCountry":  "Belgium",
				"addressRegion":   "Brussels-Capital",
				"addressLocality": "Brussels",
			},
		},
		"validFrom": issued.Format(time.RFC3339),
		"credentialSubject": map[string]any{
			"type": []any{"AchievementSubject"},
			"identifier": []any{map[string]any{
				"type":         "IdentityObject",
				"identityHash": "learner@example.org",
				"identityType": "emailAddress",
				"hashed":       false,
			}},
			"activityEndDate": issued.Format(time.RFC3339),
			"creditsEarned":   5,
			"result": []any{map[string]any{
				"type":              []any{"Result"},
				"resultDescription": "urn:uuid:0b9c3a3e-8d1e-4b7e-9d7c-1f2e3d4c5b6a",
				"value":             "A",
			}},
			"achievement": map[string]any{
				"id":               "https://demo.university.example/achievements/data-literacy",
				"type":             []any{"Achievement"},
				"achievementType":  "MicroCredential",
				"name":             "Data Literacy for Researchers",
				"description":      "Find, clean, analyse and share research data responsibly.",
				"creditsAvailable": 5,
				"criteria": map[string]any{
					"narrative": "Pass the final project (assessed, graded A–F) after 125–150 hours of online study.",
				},
				"alignment": []any{
					map[string]any{
						"type":       []any{"Alignment"},
						"targetName": "EQF level 6",
						"targetUrl":  "http://data.europa.eu/snb/eqf/6",
						"targetType": "ext:EQF",
					},
					map[string]any{
						"type":       []any{"Alignment"},
						"targetName": "manage research data",
						"targetUrl":  "http://data.europa.eu/esco/skill/2a6c6e5e-2b5c-4bd5-9ccf-8ab2e4e2c0e4",
						"targetType": "ext:ESCOSkill",
					},
				},
				"resultDescription": []any{map[string]any{
					"id":           "urn:uuid:0b9c3a3e-8d1e-4b7e-9d7c-1f2e3d4c5b6a",
					"type":         []any{"ResultDescription"},
					"name":         "Final grade",
					"resultType":   "LetterGrade",
					"allowedValue": []any{"A", "B", "C", "D", "E", "F"},
				}},
			},
		},
	}
}
