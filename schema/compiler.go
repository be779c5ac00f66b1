package schema

import (
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/microcred/microcred/internal/jsonx"
)

// maxSchemaDepth bounds the nesting of a schema document (the OB3 schemas
// nest 13 deep).
const maxSchemaDepth = 128

// loaderFunc adapts a function to jsonschema.URLLoader.
type loaderFunc func(url string) (any, error)

// Load implements jsonschema.URLLoader.
func (f loaderFunc) Load(url string) (any, error) { return f(url) }

// newCompiler returns a compiler set up the same way for every schema:
// draft 2019-09 when $schema is absent, format assertions on (with the uri
// and email checks of this package), Go's RE2 regular expressions (linear
// time, so a pattern cannot be made to backtrack exponentially), and load
// as the only way to resolve references outside the compiled document.
func newCompiler(load jsonschema.URLLoader) *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2019)
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "uri", Validate: validateURI})
	c.RegisterFormat(&jsonschema.Format{Name: "email", Validate: validateEmail})
	c.UseLoader(load)
	return c
}

// decodeSchema decodes a schema document strictly (no duplicate keys, valid
// UTF-8, bounded size and depth). Numbers stay json.Number, which is what
// the compiler expects.
func decodeSchema(b []byte, maxBytes int) (any, error) {
	v, err := jsonx.Decode(b, jsonx.Limits{MaxBytes: maxBytes, MaxDepth: maxSchemaDepth})
	if err != nil {
		return nil, err
	}
	switch v.(type) {
	case map[string]any, bool:
		return v, nil
	}
	return nil, errors.New("a JSON Schema must be an object or a boolean")
}

// builtinFormat returns the library's own check for a format, which the
// checks below refine.
func builtinFormat(name string) func(any) error {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2019)
	c.AssertFormat()
	if err := c.AddResource("urn:microcred:format", map[string]any{"format": name}); err != nil {
		panic(err)
	}
	s := c.MustCompile("urn:microcred:format")
	if s.Format == nil {
		panic("schema: no built-in format " + name)
	}
	return s.Format.Validate
}

var (
	builtinURI   = builtinFormat("uri")
	builtinEmail = builtinFormat("email")
)

// validateURI checks the "uri" format as RFC 3986 defines an absolute URI.
// The library only runs net/url.Parse, which accepts characters RFC 3986
// does not allow (space, <, >, ", {, }, |, \, ^, `, and non-ASCII), and
// square brackets outside an IP literal host; those are refused here first.
func validateURI(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if err := checkURIChars(s); err != nil {
		return err
	}
	return builtinURI(v)
}

// checkURIChars reports characters that RFC 3986 does not allow in a URI:
// anything but unreserved, reserved and "%" followed by two hex digits;
// "[" and "]" only around the host of the authority.
func checkURIChars(s string) error {
	host := ""
	if _, rest, ok := strings.Cut(s, "://"); ok {
		auth := rest
		if i := strings.IndexAny(auth, "/?#"); i >= 0 {
			auth = auth[:i]
		}
		if i := strings.LastIndexByte(auth, '@'); i >= 0 {
			auth = auth[i+1:]
		}
		host = auth
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~:/?#@!$&'()*+,;=", c) >= 0:
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return fmt.Errorf("invalid percent-encoding at offset %d", i)
			}
			i += 2
		case c == '[' || c == ']':
			if host == "" || !strings.HasPrefix(host, "[") || !strings.Contains(host, "]") {
				return fmt.Errorf("%q is only allowed around an IP literal host", c)
			}
		default:
			return fmt.Errorf("character %q is not allowed in a URI", rune(c))
		}
	}
	// Brackets must be those of the host, not also elsewhere.
	if strings.Count(s, "[") > 1 || strings.Count(s, "]") > 1 {
		return errors.New("square brackets are only allowed around an IP literal host")
	}
	return nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// validateEmail checks the "email" format: the library's check, which lets
// an empty local part ("@example.com") through.
func validateEmail(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if strings.HasPrefix(s, "@") {
		return errors.New("the local part (before @) is empty")
	}
	return builtinEmail(v)
}
