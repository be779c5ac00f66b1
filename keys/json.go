package keys

import (
	"errors"
	"fmt"
	"strings"

	"github.com/microcred/microcred/internal/jsonx"
)

// Limits on JSON that this package parses (JWKs, DID documents, controller
// documents, JWK sets). Documents come from untrusted sources; the limits keep
// memory and CPU bounded and make every rejection say why.
const (
	// MaxDocumentBytes is the largest JSON document parsed (1 MiB). It matches
	// the fetch.HTTP default byte limit.
	MaxDocumentBytes = 1 << 20
	// MaxDepth is the deepest nesting of objects and arrays accepted. DID
	// documents need 4 levels; 32 leaves room for extensions.
	MaxDepth = 32
)

// ErrInvalidJSON is wrapped by every JSON syntax, limit and duplicate-key error.
var ErrInvalidJSON = errors.New("invalid JSON")

// parseJSON decodes data into nil, bool, json.Number, string, []any or
// map[string]any with the library's strict parser (internal/jsonx): it
// rejects documents above MaxDocumentBytes, nesting deeper than MaxDepth,
// duplicate object keys (two parsers must never see two different keys in
// one document), invalid UTF-8 and trailing data. what names the document in
// error messages; errors give the JSON pointer where they happened.
func parseJSON(data []byte, what string) (any, error) {
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: MaxDocumentBytes, MaxDepth: MaxDepth})
	if err != nil {
		var je *jsonx.Error
		if errors.As(err, &je) {
			ptr := je.Pointer
			if ptr == "" {
				ptr = "/"
			}
			return nil, fmt.Errorf("%w: %s at %s: %s", ErrInvalidJSON, what, ptr, strings.TrimPrefix(je.Error(), "jsonx: "+je.Pointer+": "))
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalidJSON, what, err)
	}
	return v, nil
}

// escapePointer escapes a key for use in a JSON pointer (RFC 6901).
func escapePointer(k string) string {
	if !strings.ContainsAny(k, "~/") {
		return k
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(k)
}

// jsonObject parses data and requires a top-level object.
func jsonObject(data []byte, what string) (map[string]any, error) {
	v, err := parseJSON(data, what)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: %s: top-level value is %s, want an object", ErrInvalidJSON, what, jsonx.Kind(v))
	}
	return m, nil
}

// optString returns m[k] if it is a string, "" if absent, and an error if it
// is present with another type.
func optString(m map[string]any, k, ptr string) (string, error) {
	v, ok := m[k]
	if !ok {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s/%s is %s, want a string", ptr, escapePointer(k), jsonx.Kind(v))
	}
	return s, nil
}
