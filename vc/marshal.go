package vc

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Marshal encodes a document as compact JSON: object members sorted by
// name (as encoding/json sorts map keys), json.Number values written as they
// are, and no HTML escaping of '<', '>' and '&'. It is not the JSON
// Canonicalization Scheme (RFC 8785); suites that sign JSON bytes must
// canonicalize themselves.
func Marshal(doc any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("vc: marshal: %w", err)
	}
	b := buf.Bytes()
	return b[:len(b)-1], nil // Encode appends a newline
}

// CopyDocument returns a deep copy of a decoded document: maps and slices
// are copied; strings, json.Number, bool and nil are immutable and shared.
// Values of other types (which Parse never produces) are copied shallowly.
func CopyDocument(doc map[string]any) map[string]any {
	if doc == nil {
		return nil
	}
	return copyValue(doc).(map[string]any)
}

func copyValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = copyValue(e)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, e := range v {
			a[i] = copyValue(e)
		}
		return a
	}
	return v
}

// WithoutProof returns a deep copy of doc without its top-level proof
// member: the unsecured document of VC Data Integrity. doc is not changed.
func WithoutProof(doc map[string]any) map[string]any {
	m := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "proof" {
			m[k] = copyValue(v)
		}
	}
	return m
}
