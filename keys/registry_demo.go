package keys

import (
	_ "embed"
	"sync"
)

//go:embed testdata/registry/demo.json
var demoRegistryJSON []byte

// DemoIssuerDID is the did:key of the public demo key (the Ed25519 seed
// "microcred demo key: NOT SECRET!!" used by examples/demo and
// "microcred demo"). Anyone can sign with it.
const DemoIssuerDID = "did:key:z6MkjxzdZ4YXv7rqjB33FxLD7LXYQJcz735ihz4H5yA7YxeZ"

var demoRegistry = sync.OnceValues(func() (*FileRegistry, error) {
	return ParseRegistry(demoRegistryJSON)
})

// DemoRegistry returns the registry of the README's demo: one active entry,
// DemoIssuerDID, pinned to the demo key and accredited for OB 3.0
// credentials (MicroCredential, Course and Certificate achievements, EQF up
// to 8) from 2026-01-01.
//
// DEMO ONLY. The demo key's seed is published, so this registry trusts
// credentials anyone can forge; never configure it in a real verifier.
func DemoRegistry() *FileRegistry {
	r, err := demoRegistry()
	if err != nil {
		panic("keys: embedded demo registry: " + err.Error()) // covered by TestDemoRegistry
	}
	return r
}
