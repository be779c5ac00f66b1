package schema

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownSchema is wrapped by every *UnknownSchemaError, so
// errors.Is(err, schema.ErrUnknownSchema) tells that a schema could not be
// obtained.
var ErrUnknownSchema = errors.New("schema not available")

// errNotEmbedded is the cause when an embedded schema refers elsewhere.
var errNotEmbedded = errors.New("not embedded")

// errNotRegistered is the cause when a registered schema refers to a schema
// that is neither embedded nor registered (registration never fetches).
var errNotRegistered = errors.New("Register does not fetch: register it first")

// UnknownSchemaError reports a schema that is neither embedded nor
// registered and could not be fetched: there is no Fetcher (Err wraps
// fetch.ErrNetworkDisabled), the Fetcher refused or failed (Err is its
// error), or the document was too large or not JSON.
type UnknownSchemaError struct {
	// URL is the schema's URL.
	URL string
	// Pointer is the JSON Pointer of the credentialSchema entry that named
	// it ("/credentialSchema/1"), or "" when the schema was asked for by
	// Validate or referenced from another schema.
	Pointer string
	// Err says why it could not be obtained.
	Err error
}

// Error implements error.
func (e *UnknownSchemaError) Error() string {
	var b strings.Builder
	b.WriteString("schema: ")
	if e.Pointer != "" {
		b.WriteString(e.Pointer + ": ")
	}
	fmt.Fprintf(&b, "schema %s is not embedded or registered", e.URL)
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns ErrUnknownSchema and the cause.
func (e *UnknownSchemaError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrUnknownSchema}
	}
	return []error{ErrUnknownSchema, e.Err}
}

// UnsupportedSchemaTypeError reports a credentialSchema entry whose type
// this package does not apply: anything but 1EdTechJsonSchemaValidator2019
// and JsonSchema, including JsonSchemaCredential (a schema wrapped in a
// credential of its own, not supported yet). The schema named by such an
// entry was not checked.
type UnsupportedSchemaTypeError struct {
	// Pointer is the JSON Pointer of the entry ("/credentialSchema/0").
	Pointer string
	// URL is the entry's id.
	URL string
	// Types are the entry's type values.
	Types []string
}

// Error implements error.
func (e *UnsupportedSchemaTypeError) Error() string {
	return fmt.Sprintf("schema: %s: credentialSchema type %s is not supported (supported: %s, %s); schema %s was not checked",
		e.Pointer, strings.Join(e.Types, ", "), Type1EdTechJSONSchemaValidator2019, TypeJSONSchema, e.URL)
}

// SchemaDigestError reports a credentialSchema entry whose digestSRI does
// not match the schema this package has under that URL: the issuer pinned
// a different document, so the one known here was not applied.
type SchemaDigestError struct {
	// Pointer is the JSON Pointer of the entry.
	Pointer string
	// URL is the entry's id.
	URL string
	// DigestSRI is the entry's digestSRI value.
	DigestSRI string
	// Err says what is wrong (unsupported algorithm, bad encoding, or the
	// digest differs).
	Err error
}

// Error implements error.
func (e *SchemaDigestError) Error() string {
	return fmt.Sprintf("schema: %s: digestSRI of schema %s: %v", e.Pointer, e.URL, e.Err)
}

// Unwrap returns the cause.
func (e *SchemaDigestError) Unwrap() error { return e.Err }

// InvalidSchemaError reports a schema that was obtained but cannot be used:
// not JSON, not a valid draft 2019-09 (or other supported draft) schema, a
// reference to a schema that cannot be obtained, or an $id that would
// shadow an embedded or registered schema.
type InvalidSchemaError struct {
	// URL is the schema's URL.
	URL string
	// Err is the cause.
	Err error
}

// Error implements error.
func (e *InvalidSchemaError) Error() string {
	return fmt.Sprintf("schema: invalid schema %s: %v", e.URL, e.Err)
}

// Unwrap returns the cause.
func (e *InvalidSchemaError) Unwrap() error { return e.Err }

// ErrInvalidDocument is wrapped by the error returned when the document to
// validate is not a JSON value within the limits: bytes that do not parse,
// a Go value that JSON cannot represent, or nesting or size beyond
// Options.Limits.
var ErrInvalidDocument = errors.New("invalid document")
