package ld_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/microcred/microcred/ld"
)

// ExampleCanonicalize prints the RDFC-1.0 canonical N-Quads of a small
// credential: what a Data Integrity proof hashes.
func ExampleCanonicalize() {
	doc := map[string]any{
		"@context":          []any{ld.CredentialsV2URL},
		"id":                "urn:uuid:1",
		"type":              []any{"VerifiableCredential"},
		"issuer":            "https://issuer.example",
		"credentialSubject": map[string]any{"id": "did:example:learner"},
	}
	nq, err := ld.Canonicalize(context.Background(), doc, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(nq))
	// Output:
	// <urn:uuid:1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
	// <urn:uuid:1> <https://www.w3.org/2018/credentials#credentialSubject> <did:example:learner> .
	// <urn:uuid:1> <https://www.w3.org/2018/credentials#issuer> <https://issuer.example> .
}

// ExampleSafeModeError shows safe mode refusing a member that no context
// defines, which plain JSON-LD would silently leave out of the signature.
func ExampleSafeModeError() {
	doc := map[string]any{
		"@context":          []any{ld.CredentialsV2URL, ld.OB303URL},
		"type":              []any{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":            "https://issuer.example",
		"credentialSubject": map[string]any{"id": "did:example:learner", "ECTS": 5},
	}
	_, err := ld.Canonicalize(context.Background(), doc, nil)
	var se *ld.SafeModeError
	if errors.As(err, &se) {
		fmt.Println(se.Path)
		fmt.Println(se.Reason)
	}
	// Output:
	// /credentialSubject/ECTS
	// property "ECTS" is not defined by any context
}

// ExampleLoader_Register adds a context of your own, so credentials that
// use it can be canonicalized offline.
func ExampleLoader_Register() {
	l := ld.NewLoader(nil)
	err := l.Register("https://example.org/contexts/ects/v1", []byte(`{
	  "@context": {"@protected": true, "ects": "https://example.org/vocab#ects"}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	doc := map[string]any{
		"@context":          []any{ld.CredentialsV2URL, "https://example.org/contexts/ects/v1"},
		"type":              []any{"VerifiableCredential"},
		"issuer":            "https://issuer.example",
		"credentialSubject": map[string]any{"id": "did:example:learner", "ects": 5},
	}
	nq, err := ld.Canonicalize(context.Background(), doc, &ld.Options{Loader: l})
	fmt.Println(err == nil, len(nq) > 0)
	// Output: true true
}
