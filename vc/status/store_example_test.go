package status_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/status"
)

// storeFetcher serves a Store's lists, as an HTTP handler in front of
// ListCredential would; real verifiers use fetch.NewHTTP.
type storeFetcher struct {
	store *status.Store
	base  string
}

func (f storeFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	return f.store.ListCredential(url[len(f.base)+1:])
}

// ExampleStore gives a credential a revocation entry, revokes it, and
// checks it before and after against the published list.
func ExampleStore() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "statusstore")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	priv := ed25519.NewKeyFromSeed(make([]byte, 32)) // use keys.GenerateEd25519
	issuer, _ := keys.DIDKey(priv.Public())
	vm, _ := keys.DIDKeyURL(priv.Public())
	signer, _ := keys.NewSigner(priv, vm)

	const base = "https://uni.example/status"
	store, err := status.OpenStore(ctx, status.StoreOptions{Dir: dir, Signer: signer, Issuer: issuer, BaseURL: base})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()

	// Issuing: the credential's id gets an entry at a random index.
	const credID = "urn:uuid:0f6d2c2e-1111-4a4a-8b8b-000000000001"
	entry, err := store.Allocate(ctx, credID, status.PurposeRevocation)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(entry["type"], entry["statusListCredential"])
	cred, _ := vc.FromDocument(map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"id":                credID,
		"type":              []any{"VerifiableCredential"},
		"issuer":            issuer,
		"credentialSubject": map[string]any{"id": "did:example:learner"},
		"credentialStatus":  entry,
	})

	checker := status.NewChecker(storeFetcher{store, base}, status.Options{Resolver: keys.DIDKeyResolver{}, CacheTTL: -1})
	check := func() {
		results, _ := checker.CheckCredential(ctx, cred)
		fmt.Println(results[0].Outcome)
	}
	check()

	// Revoking, later: the list is re-signed and its file replaced.
	if _, err := store.Update(ctx, credID, status.PurposeRevocation, true); err != nil {
		fmt.Println(err)
		return
	}
	check()
	for _, l := range store.Lists() {
		fmt.Println(l.Name, l.Size, l.Allocated, l.SetCount)
	}
	// Output:
	// BitstringStatusListEntry https://uni.example/status/revocation-1
	// valid
	// revoked
	// revocation-1 131072 1 1
}
