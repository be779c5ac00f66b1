// Package rdf holds the RDF data model used by microcred's JSON-LD processing:
// terms, quads and datasets, an N-Quads reader and writer that follow the
// RDF Dataset Canonicalization (RDFC-1.0) serialization rules, and the
// RDFC-1.0 canonicalization algorithm itself, with a work budget and
// context cancellation so that hostile graphs end with an error instead of
// running for minutes.
//
// [ParseNQuads] reads N-Quads; [Dataset.NQuads], [WriteNQuads],
// [AppendQuad] and the String methods write it in canonical form; and
// [Canonicalize] returns the canonical N-Quads document of a dataset (what a
// Data Integrity proof such as eddsa-rdfc-2022 hashes) together with the
// issued identifiers map. See [DefaultMaxWork] for the cost model and the
// default budget.
package rdf

// Kind says what an RDF term is.
type Kind uint8

const (
	// KindNone is the zero Kind. As a quad's Graph it means the default graph.
	KindNone Kind = iota
	// KindIRI is an absolute IRI.
	KindIRI
	// KindBlank is a blank node; Value holds its label without the "_:" prefix.
	KindBlank
	// KindLiteral is a literal with a lexical form, a datatype IRI and, for
	// rdf:langString, a language tag.
	KindLiteral
)

// Well-known datatype IRIs.
const (
	XSDString     = "http://www.w3.org/2001/XMLSchema#string"
	XSDBoolean    = "http://www.w3.org/2001/XMLSchema#boolean"
	XSDInteger    = "http://www.w3.org/2001/XMLSchema#integer"
	XSDDouble     = "http://www.w3.org/2001/XMLSchema#double"
	RDFLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
	RDFJSON       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
	RDFType       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	RDFFirst      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
	RDFRest       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
	RDFNil        = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
	RDFDirection  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#direction"
	RDFValue      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
	I18NBase      = "https://www.w3.org/ns/i18n#"
)

// Term is an RDF term: an IRI, a blank node or a literal.
type Term struct {
	Kind Kind
	// Value is the IRI, the blank node label (without "_:") or the literal's
	// lexical form.
	Value string
	// Datatype is a literal's datatype IRI. Empty means xsd:string, or
	// rdf:langString when Language is set.
	Datatype string
	// Language is a literal's language tag, as given.
	Language string
}

// IRI returns an IRI term.
func IRI(v string) Term { return Term{Kind: KindIRI, Value: v} }

// Blank returns a blank node term with the given label (no "_:" prefix).
func Blank(label string) Term { return Term{Kind: KindBlank, Value: label} }

// Literal returns a literal term. An empty datatype means xsd:string.
func Literal(lexical, datatype string) Term {
	if datatype == XSDString {
		datatype = ""
	}
	return Term{Kind: KindLiteral, Value: lexical, Datatype: datatype}
}

// LangLiteral returns a language-tagged string literal.
func LangLiteral(lexical, lang string) Term {
	return Term{Kind: KindLiteral, Value: lexical, Language: lang}
}

// Quad is one RDF statement. A Graph with Kind KindNone is the default graph.
type Quad struct {
	Subject, Predicate, Object, Graph Term
}

// Dataset is a list of quads. Duplicates are allowed in a Dataset value;
// canonicalization removes them.
type Dataset []Quad
