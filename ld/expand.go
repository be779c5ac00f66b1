package ld

import (
	"context"
	"slices"
	"strings"

	"github.com/microcred/microcred/ld/rdf"
)

// Options control JSON-LD processing. The zero value (or nil) is the safe
// default: the default Loader, safe mode on, the default RDFC-1.0 budget.
type Options struct {
	// Loader resolves context URLs; nil means DefaultLoader().
	Loader *Loader
	// Canon bounds RDFC-1.0 (hash, work budget); nil means the defaults of
	// package ld/rdf.
	Canon *rdf.Options
	// DropUndefinedUnsafe turns safe mode off: undefined terms, relative
	// types and IRIs, and malformed language tags are silently dropped, as
	// plain JSON-LD processors do. A signature over such a document does not
	// cover the dropped data. Only for comparing with other processors.
	DropUndefinedUnsafe bool
}

func (o *Options) loader() *Loader {
	if o == nil || o.Loader == nil {
		return defaultLoader
	}
	return o.Loader
}

func (o *Options) unsafe() bool { return o != nil && o.DropUndefinedUnsafe }

// SafeModeError reports a document member that JSON-LD processing would
// drop or could not represent in RDF, so that a signature would not cover
// it. Path is an RFC 6901 JSON Pointer into the input document ("" when the
// member could not be located).
type SafeModeError struct {
	// Path is the JSON Pointer of the offending member in the input.
	Path string
	// Reason says what is wrong, e.g. `property "ECTS" is not defined by any context`.
	Reason string
}

// Error implements the error interface.
func (e *SafeModeError) Error() string {
	p := e.Path
	if p == "" {
		p = "(document)"
	}
	return "ld: safe mode: " + p + ": " + e.Reason
}

// Error is a JSON-LD processing error other than a safe-mode violation: an
// invalid context, a context that cannot be loaded, a malformed keyword.
type Error struct {
	// Code is the JSON-LD error code, e.g. "invalid local context".
	Code string
	// Err is the underlying error.
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string { return "ld: " + e.Code + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Expand runs the JSON-LD 1.1 expansion algorithm on doc (a decoded JSON
// value: map[string]any, []any, string, bool, nil, json.Number or float64).
// In safe mode (the default) anything expansion would drop, and any
// relative IRI or malformed language tag, is a *SafeModeError naming its
// JSON path. doc and the Loader's documents are never modified. Processed
// contexts are cached (see expander_context.go), so expanding many
// credentials that use the same contexts is cheap.
func Expand(ctx context.Context, doc any, opts *Options) ([]any, error) {
	return expandFast(ctx, doc, opts.loader(), !opts.unsafe())
}

func isBlankID(s string) bool { return strings.HasPrefix(s, "_:") }

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
