// Package ld is microcred's JSON-LD layer: the contexts a credential may use,
// a document loader that never touches the network unless the caller allows
// a host, and the canonicalization that Data Integrity proofs sign.
//
// Contexts. Every context that Open Badges 3.0 and W3C Verifiable
// Credentials need is embedded in the binary and pinned by SHA-256 (see
// Contexts). Callers add their own with Register or (*Loader).Register.
// Remote contexts are loaded only from hosts the caller lists in
// RemoteOptions, over HTTPS, with a timeout, a size limit and a cache.
//
// Safe mode. JSON-LD silently drops what no context defines: a property
// "ECTS": 5 added to a credential, a type that is not a term, a value whose
// language tag is malformed. A signature over the canonical form then does
// not cover that data, and a verifier that reads the JSON sees claims that
// were never signed. This package refuses such documents: Expand, ToRDF and
// Canonicalize return a *SafeModeError that names the JSON path of the first
// member that would be dropped. The only way around it is the explicit
// Options.DropUndefinedUnsafe switch, for tests that compare with other
// processors.
//
// Canonicalization. Canonicalize expands the document with this package's
// JSON-LD 1.1 expander (processed contexts are cached, so the @protected,
// type-scoped contexts of Open Badges are processed once, not at every
// node), converts the expanded form to RDF with its own code (RDFC-1.0 string escaping, JSON-LD number rules, JCS for
// @json literals, the i18n-datatype form for @direction) and runs RDFC-1.0
// from package ld/rdf with a work budget and context cancellation, so a
// hostile graph ends with an error in milliseconds instead of running for
// minutes.
package ld
