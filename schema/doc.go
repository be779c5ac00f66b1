// Package schema validates credentials against JSON Schemas: the Open
// Badges 3.0 schemas, embedded and pinned by SHA-256, and the schemas a
// credential names in credentialSchema.
//
// A Validator is built once (New) and is safe for concurrent use. Its
// ValidateCredential applies the OB3 schema for the credential's type and
// every credentialSchema entry of type 1EdTechJsonSchemaValidator2019 (OB
// 3.0) or JsonSchema (VCDM 2.0); Validate applies one schema. Both return
// every Problem found — a JSON Pointer into the document, the failing
// keyword with its location in the schema, and a message — not just the
// first.
//
// Schemas are draft 2019-09 unless they say otherwise in $schema, and
// format is an assertion: a validFrom that is not an RFC 3339 date-time is
// a problem, not an annotation. Compilation happens at first use; the
// embedded schemas are compiled once per process.
//
// No network by default. A schema that is neither embedded nor added with
// Register is an *UnknownSchemaError, unless Options.Fetcher is set; then
// it is fetched through it (host allow-list, size limit), compiled on its
// own and cached. A fetched schema can never stand in for an embedded or
// registered one.
//
// Two sets of OB3 schemas are embedded: the published ones, served at
// https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ and lenient (a
// single value where the data model has an array, a language map where it
// has a string), used by default; and the strict 2024 build, used instead
// with Options.Strict. See schemas/SOURCES.md.
//
// The JSON Schema implementation is github.com/santhosh-tekuri/jsonschema/v6,
// chosen over v5 after measuring both on the same credentials (about three
// times faster, a third of the allocations) and on the JSON Schema Test
// Suite (v5 accepts values against an empty enum). This package works
// around three things in v6.0.3: the uri format accepts characters RFC 3986
// forbids and the email format an empty local part (both checked here, and
// suite_test.go runs the suite's format tests), and propertyNames failures
// can carry a sibling's instance location (recovered from the document).
package schema
