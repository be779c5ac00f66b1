package keys_test

import (
	"github.com/microcred/microcred/fetch"

	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/microcred/microcred/keys"
)

// A fixed seed gives a fixed key; real issuers pass nil (crypto/rand).
func ExampleGenerateEd25519() {
	priv, err := keys.GenerateEd25519(bytes.NewReader(make([]byte, 32)))
	if err != nil {
		panic(err)
	}
	mk, _ := keys.EncodeMultikey(priv.Public())
	secret, _ := keys.EncodePrivateMultikey(priv)
	fmt.Println(mk)
	fmt.Println(secret[:4] + "…")
	// Output:
	// z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp
	// z3u2…
}

func ExampleDIDKey() {
	priv, _ := keys.Ed25519FromSeed(make([]byte, 32))
	did, _ := keys.DIDKey(priv.Public())
	vm, _ := keys.DIDKeyURL(priv.Public())
	fmt.Println(did)
	fmt.Println(vm)
	// Output:
	// did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp
	// did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp
}

func ExampleDIDJWK() {
	priv, _ := keys.Ed25519FromSeed(make([]byte, 32))
	did, _ := keys.DIDJWK(priv.Public())
	fmt.Println(did)
	// Output:
	// did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6Ik8yb252TTYycEMxaW82alFLbThOYzJVeUZYY2Q0a09tT3NCSW9ZdFoyaWsifQ
}

// The RFC 8037 §A.3 thumbprint of the RFC 8037 §A.1 key.
func ExampleJWK_Thumbprint() {
	j, err := keys.ParseJWK([]byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`))
	if err != nil {
		panic(err)
	}
	tp, _ := j.Thumbprint()
	fmt.Println(tp)
	// Output: kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k
}

func ExampleNewSigner() {
	priv, _ := keys.Ed25519FromSeed(make([]byte, 32))
	vm, _ := keys.DIDKeyURL(priv.Public())
	signer, _ := keys.NewSigner(priv, vm)

	msg := []byte("canonical proof config hash || document hash")
	sig, _ := signer.SignMessage(context.Background(), msg)
	err := keys.VerifyMessage(signer.Public(), signer.Algorithm(), msg, sig)
	fmt.Println(signer.Algorithm(), len(sig), err)
	// Output: EdDSA 64 <nil>
}

// Resolving a did:key needs no network; the verifier checks the relationship.
func ExampleNewResolver() {
	r := keys.NewResolver(nil, nil) // no Fetcher: did:web and https are refused
	vm, err := r.Resolve(context.Background(),
		"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp")
	if err != nil {
		panic(err)
	}
	fmt.Println(vm.Type, vm.Controller)
	fmt.Println("assertionMethod:", vm.Has(keys.AssertionMethod))

	_, err = r.Resolve(context.Background(), "did:web:issuer.example#key-1")
	fmt.Println(errors.Is(err, keys.ErrNetworkDisabled))
	// Output:
	// Multikey did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp
	// assertionMethod: true
	// true
}

// A resolver that may fetch did:web documents from one host only.
func ExampleNewResolver_network() {
	fetcher := fetch.NewHTTP(&http.Client{}, fetch.Options{
		AllowedHosts: []string{"issuer.example"},
		Timeout:      5 * time.Second,
		MaxBytes:     256 << 10,
	})
	r := keys.NewResolver(fetcher, nil)

	// Refused before any connection is made.
	_, err := r.Resolve(context.Background(), "did:web:elsewhere.example#key-1")
	fmt.Println(errors.Is(err, keys.ErrHostNotAllowed))
	var re *keys.ResolutionError
	if errors.As(err, &re) {
		fmt.Println(re.Document)
	}
	// Output:
	// true
	// https://elsewhere.example/.well-known/did.json
}

func ExampleDIDWebURL() {
	for _, did := range []string{"did:web:example.com", "did:web:example.com%3A8443:users:alice"} {
		u, _ := keys.DIDWebURL(did)
		fmt.Println(u)
	}
	// Output:
	// https://example.com/.well-known/did.json
	// https://example.com:8443/users/alice/did.json
}
