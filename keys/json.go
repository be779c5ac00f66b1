package keys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
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
// map[string]any. It rejects documents above MaxDocumentBytes, nesting deeper
// than MaxDepth, duplicate object keys (two parsers must never see two
// different keys in one document) and trailing data. what names the document
// in error messages; errors give the JSON pointer where they happened.
func parseJSON(data []byte, what string) (any, error) {
	if len(data) > MaxDocumentBytes {
		return nil, fmt.Errorf("%w: %s: %d bytes, limit %d", ErrInvalidJSON, what, len(data), MaxDocumentBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &jsonParser{dec: dec, what: what}
	v, err := p.value(0, "")
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: %s: trailing data after the top-level value", ErrInvalidJSON, what)
	}
	return v, nil
}

type jsonParser struct {
	dec  *json.Decoder
	what string
}

func (p *jsonParser) errorf(ptr, format string, args ...any) error {
	if ptr == "" {
		ptr = "/"
	}
	return fmt.Errorf("%w: %s at %s: %s", ErrInvalidJSON, p.what, ptr, fmt.Sprintf(format, args...))
}

func (p *jsonParser) value(depth int, ptr string) (any, error) {
	tok, err := p.dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, p.errorf(ptr, "%v", err)
	}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= MaxDepth {
			return nil, p.errorf(ptr, "nesting deeper than %d", MaxDepth)
		}
		switch t {
		case '{':
			m := make(map[string]any)
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.errorf(ptr, "%v", err)
				}
				k, ok := kt.(string)
				if !ok {
					return nil, p.errorf(ptr, "object key is not a string")
				}
				kp := ptr + "/" + escapePointer(k)
				if _, dup := m[k]; dup {
					return nil, p.errorf(kp, "duplicate key %q", k)
				}
				v, err := p.value(depth+1, kp)
				if err != nil {
					return nil, err
				}
				m[k] = v
			}
			if _, err := p.dec.Token(); err != nil { // '}'
				return nil, p.errorf(ptr, "%v", err)
			}
			return m, nil
		case '[':
			a := []any{}
			for p.dec.More() {
				v, err := p.value(depth+1, ptr+"/"+strconv.Itoa(len(a)))
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := p.dec.Token(); err != nil { // ']'
				return nil, p.errorf(ptr, "%v", err)
			}
			return a, nil
		}
		return nil, p.errorf(ptr, "unexpected %v", t)
	default:
		return tok, nil
	}
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
		return nil, fmt.Errorf("%w: %s: top-level value is %s, want an object", ErrInvalidJSON, what, jsonKind(v))
	}
	return m, nil
}

// jsonKind names the JSON type of a parsed value for error messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
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
		return "", fmt.Errorf("%s/%s is %s, want a string", ptr, escapePointer(k), jsonKind(v))
	}
	return s, nil
}
