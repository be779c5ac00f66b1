package rdf_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/microcred/microcred/ld/rdf"
)

func ExampleCanonicalize() {
	ds, err := rdf.ParseNQuads([]byte(`
_:alice <http://xmlns.com/foaf/0.1/knows> _:bob .
_:bob <http://xmlns.com/foaf/0.1/name> "Bob" .
_:alice <http://xmlns.com/foaf/0.1/name> "Alice"@en .
`))
	if err != nil {
		panic(err)
	}
	res, err := rdf.Canonicalize(context.Background(), ds, nil)
	var limit *rdf.WorkLimitError
	if errors.As(err, &limit) {
		fmt.Println("rejected: too much work")
		return
	} else if err != nil {
		panic(err)
	}
	fmt.Print(string(res.NQuads))
	ids := res.IssuedIdentifiers()
	fmt.Println("alice:", ids["alice"], "bob:", ids["bob"])
	// Output:
	// _:c14n0 <http://xmlns.com/foaf/0.1/name> "Bob" .
	// _:c14n1 <http://xmlns.com/foaf/0.1/knows> _:c14n0 .
	// _:c14n1 <http://xmlns.com/foaf/0.1/name> "Alice"@en .
	// alice: c14n1 bob: c14n0
}

func ExampleParseNQuads() {
	ds, err := rdf.ParseNQuads([]byte("<urn:ex:s> <urn:ex:p> \"tab\\there\" .\n<urn:ex:s> <urn:ex:p> .\n"))
	fmt.Println(len(ds), err)
	// Output:
	// 0 rdf: N-Quads line 2 column 23: expected an IRI, blank node or literal as object
}

func ExampleQuad_String() {
	q := rdf.Quad{
		Subject:   rdf.Blank("b0"),
		Predicate: rdf.IRI("https://schema.org/name"),
		Object:    rdf.Literal("line 1\nline 2", ""),
		Graph:     rdf.IRI("urn:ex:graph"),
	}
	fmt.Println(q)
	// Output:
	// _:b0 <https://schema.org/name> "line 1\nline 2" <urn:ex:graph> .
}
