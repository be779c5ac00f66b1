package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const suiteDir = "testdata/json-schema-test-suite"

// suiteFiles are the draft 2019-09 test files for the keywords and formats
// the OB3 schemas use (see testdata/SOURCES.md), by keyword group.
var suiteFiles = []struct{ group, file string }{
	{"$ref", "ref.json"}, {"$ref", "refRemote.json"}, {"$defs", "defs.json"},
	{"allOf", "allOf.json"}, {"anyOf", "anyOf.json"}, {"oneOf", "oneOf.json"},
	{"type", "type.json"}, {"properties", "properties.json"}, {"required", "required.json"},
	{"additionalProperties", "additionalProperties.json"}, {"items", "items.json"},
	{"additionalItems", "additionalItems.json"}, {"minItems", "minItems.json"},
	{"enum", "enum.json"}, {"const", "const.json"}, {"pattern", "pattern.json"},
	{"propertyNames", "propertyNames.json"}, {"contains", "contains.json"},
	{"minimum", "minimum.json"}, {"maximum", "maximum.json"}, {"multipleOf", "multipleOf.json"},
	{"if-then-else", "if-then-else.json"}, {"format", "format.json"},
	{"format date-time", "optional/format/date-time.json"}, {"format date", "optional/format/date.json"},
	{"format uri", "optional/format/uri.json"}, {"format email", "optional/format/email.json"},
	{"format unknown", "optional/format/unknown.json"}, {"bignum", "optional/bignum.json"},
}

type suiteGroup struct {
	Description string
	Schema      json.RawMessage
	Tests       []struct {
		Description string
		Data        json.RawMessage
		Valid       bool
	}
}

// suiteRemotes serves remotes/ at http://localhost:1234/ from disk, and
// nothing else: no network.
func suiteRemotes(url string) (any, error) {
	rest, ok := strings.CutPrefix(url, "http://localhost:1234/")
	if !ok {
		return nil, errors.New("no network in tests: " + url)
	}
	b, err := os.ReadFile(filepath.Join(suiteDir, "remotes", filepath.FromSlash(rest)))
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

// TestJSONSchemaTestSuite runs the JSON Schema Test Suite (draft 2019-09)
// for the keywords the OB3 schemas use, with the compiler configuration the
// package uses (format assertions on, this package's uri and email checks).
// Every test must pass. ECMA-262 regex tests are left out: Go's RE2 differs
// from ECMA-262 (\s and \S sets, \cX escapes), which none of the OB3
// patterns touches.
func TestJSONSchemaTestSuite(t *testing.T) {
	var report strings.Builder
	total, passed := 0, 0
	for _, sf := range suiteFiles {
		b, err := os.ReadFile(filepath.Join(suiteDir, "tests/draft2019-09", sf.file))
		if err != nil {
			t.Fatal(err)
		}
		var groups []suiteGroup
		if err := json.Unmarshal(b, &groups); err != nil {
			t.Fatal(err)
		}
		n, ok := 0, 0
		for gi, g := range groups {
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(g.Schema))
			if err != nil {
				t.Fatal(err)
			}
			c := newCompiler(loaderFunc(suiteRemotes))
			u := fmt.Sprintf("http://testsuite.invalid/%s/%d.json", sf.file, gi)
			if err := c.AddResource(u, doc); err != nil {
				t.Fatal(err)
			}
			sch, err := c.Compile(u)
			if err != nil {
				t.Errorf("%s: %s: compile: %v", sf.file, g.Description, err)
				n += len(g.Tests)
				continue
			}
			for _, tc := range g.Tests {
				n++
				data, err := jsonschema.UnmarshalJSON(bytes.NewReader(tc.Data))
				if err != nil {
					t.Fatal(err)
				}
				verr := sch.Validate(data)
				if (verr == nil) != tc.Valid {
					t.Errorf("%s: %s: %s: valid = %v, want %v (%v)", sf.file, g.Description, tc.Description, verr == nil, tc.Valid, verr)
					continue
				}
				// Problems must flatten without panicking, and say something.
				var ve *jsonschema.ValidationError
				if errors.As(verr, &ve) {
					f := flattener{doc: data, schemaID: u}
					if ps := f.problems(ve); len(ps) == 0 {
						t.Errorf("%s: %s: %s: invalid but no problems", sf.file, g.Description, tc.Description)
					}
				}
				ok++
			}
		}
		fmt.Fprintf(&report, "%-22s %-34s %4d/%d\n", sf.group, sf.file, ok, n)
		total += n
		passed += ok
	}
	fmt.Fprintf(&report, "%-57s %4d/%d\n", "total", passed, total)
	t.Logf("JSON Schema Test Suite, draft 2019-09:\n%s", report.String())
}
