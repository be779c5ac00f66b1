package keys_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/microcred/microcred/keys"
)

// A verifier configured with a local registry file and the DCC community
// registry: the local file decides first, with its restrictions.
func ExampleParseRegistry() {
	reg, err := keys.ParseRegistry([]byte(`{
	  "version": 1,
	  "name": "EC2U trusted issuers (example)",
	  "entries": [{
	    "id": "did:web:utu.example",
	    "aliases": ["https://www.utu.example/issuer"],
	    "name": "University of Turku",
	    "country": "FI",
	    "accreditedFor": [{
	      "credentialTypes": ["OpenBadgeCredential"],
	      "achievementTypes": ["MicroCredential"],
	      "maxEQF": 7,
	      "jurisdiction": "FI"
	    }],
	    "validFrom": "2024-01-01T00:00:00Z",
	    "status": "active"
	  }]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	data, err := os.ReadFile("testdata/registry/dcc-community-registry.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	dcc, err := keys.ParseDCCRegistry(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	registry := keys.Composite{reg, dcc}

	at := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	for _, q := range []keys.Query{
		{Issuer: "https://www.utu.example/issuer", CredentialTypes: []string{"VerifiableCredential", "OpenBadgeCredential"}, AchievementType: "MicroCredential", EQFLevel: 6, Time: at},
		{Issuer: "did:web:utu.example", CredentialTypes: []string{"VerifiableCredential", "OpenBadgeCredential"}, AchievementType: "MicroCredential", EQFLevel: 8, Time: at},
		{Issuer: "did:web:interopalliance.org", Time: at},
		{Issuer: "did:web:unknown.example", Time: at},
	} {
		d, err := registry.Check(context.Background(), q)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%v %s: %s\n", d.Trusted, d.Code, d.Reason)
	}
	// Output:
	// true trusted: The issuer "did:web:utu.example" (University of Turku) is trusted by the registry "EC2U trusted issuers (example)" (matched by alias "https://www.utu.example/issuer").
	// false eqf-level-not-accredited: The issuer "did:web:utu.example" (University of Turku) is not accredited to award EQF level 8.
	// true trusted: The issuer "did:web:interopalliance.org" (Interop Alliance) is trusted by the registry "DCC community registry".
	// false unknown-issuer: The issuer "did:web:unknown.example" is in none of the 2 registries consulted ("EC2U trusted issuers (example)", "DCC community registry").
}

// The demo registry pins the public demo key; a pinned resolver lets a
// verifier use a registry's key for a verification method it cannot (or
// should not) dereference.
func ExampleDemoRegistry() {
	priv, _ := keys.Ed25519FromSeed([]byte("microcred demo key: NOT SECRET!!"))
	vmID, _ := keys.DIDKeyURL(priv.Public())
	res := keys.Chain{keys.NewPinnedResolver(keys.DemoRegistry()), keys.NewResolver(nil, nil)}
	vm, err := res.Resolve(context.Background(), vmID)
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := keys.DemoRegistry().Check(context.Background(), keys.Query{
		Issuer:          vm.Controller,
		CredentialTypes: []string{"VerifiableCredential", "OpenBadgeCredential"},
		AchievementType: "MicroCredential",
		EQFLevel:        6,
		Time:            time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC),
		PublicKey:       vm.PublicKey,
	})
	fmt.Println(vm.Controller == keys.DemoIssuerDID, d.Trusted, d.Entry.Name)
	// Output: true true Demo University (microcred demo issuer)
}
