package status_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"time"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
	"github.com/microcred/microcred/vc/status"
)

// mapFetcher serves documents from memory; real code uses fetch.NewHTTP
// with a host allow-list.
type mapFetcher map[string][]byte

func (m mapFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	if b, ok := m[url]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("not found: %s", url)
}

// Example issues a revocation list, revokes one credential, publishes the
// signed list and checks two entries against it.
func Example() {
	ctx := context.Background()
	priv := ed25519.NewKeyFromSeed(make([]byte, 32)) // use keys.GenerateEd25519
	issuer, _ := keys.DIDKey(priv.Public())
	vm, _ := keys.DIDKeyURL(priv.Public())
	signer, _ := keys.NewSigner(priv, vm)

	// Issuer side: a list of 131,072 entries; entry 42 revoked.
	const listURL = "https://issuer.example/status/1"
	list, _ := status.NewList(status.MinEntries, status.PurposeRevocation)
	list.Set(42)
	signed, err := list.SignedCredential(ctx, signer, status.CredentialOptions{
		ID: listURL, Issuer: issuer, ValidUntil: time.Now().Add(24 * time.Hour),
	}, dataintegrity.SignOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := json.Marshal(signed)

	// Verifier side: the list is fetched through the Fetcher and its proof
	// verified with the resolver.
	checker := status.NewChecker(mapFetcher{listURL: body}, status.Options{Resolver: keys.DIDKeyResolver{}})
	for _, index := range []int{42, 43} {
		entry, _ := list.Entry(listURL, index)
		cred, _ := vc.FromDocument(map[string]any{
			"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
			"type":              []any{"VerifiableCredential"},
			"issuer":            issuer,
			"credentialSubject": map[string]any{"id": "did:example:learner"},
			"credentialStatus":  entry,
		})
		results, _ := checker.CheckCredential(ctx, cred)
		r := results[0]
		fmt.Println(index, r.Outcome, r.Outcome.Failed(), r.ListIssuer == r.CredentialIssuer)
	}
	// Output:
	// 42 revoked true true
	// 43 valid false true
}
