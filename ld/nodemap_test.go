package ld

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	gold "github.com/piprate/json-gold/ld"

	"github.com/microcred/microcred/ld/rdf"
)

// The conversion ExpandedToRDF used before nodemap.go: json-gold's
// GenerateNodeMap, then a sorted walk of the node map. It is kept here as
// the oracle of the differential tests and FuzzNodeMap. Its term checks
// (checkIRI, literal) are the ones of tordf.go, so that the comparison is
// about node map generation and the statements written from it.
//
// json-gold's node map has two bugs the oracle works around by rewriting
// its input, both in CompareValues, which decides whether a value is
// already in a property: it ignores @direction (so "x"@en-ltr and
// "x"@en-rtl count as one value and the second is lost), and it compares
// @value with ==, which panics on two @json objects. goldNodeMapInput moves
// a value's @direction into its @index, which CompareValues does compare,
// and replaces @json values by their JCS form in a comparable box.

// goldJSONBox is a @json value, canonicalized, in a comparable form.
type goldJSONBox struct{ jcs string }

// goldNodeMapInput deep-copies expanded JSON-LD (json-gold rewrites @type
// in place) and applies the workarounds above.
func goldNodeMapInput(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = goldNodeMapInput(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		_, isValue := x["@value"]
		for k, e := range x {
			if isValue && k == "@value" {
				out[k] = e
				continue
			}
			out[k] = goldNodeMapInput(e)
		}
		if !isValue {
			return out
		}
		if dir, ok := x["@direction"].(string); ok {
			idx, _ := x["@index"].(string)
			out["@index"] = "\x00" + dir + "\x00" + idx
		}
		if x["@type"] == "@json" {
			if b, err := appendJCS(nil, x["@value"]); err == nil {
				out["@value"] = goldJSONBox{string(b)}
			}
		}
		return out
	}
	return v
}

// errGoldPanic marks a json-gold panic: a bug of the oracle, not a verdict.
var errGoldPanic = errors.New("json-gold panicked")

// goldExpandedToRDF is the oracle: ExpandedToRDF as it was with json-gold's
// node map.
func goldExpandedToRDF(expanded []any) (ds rdf.Dataset, err error) {
	defer func() {
		if r := recover(); r != nil {
			ds, err = nil, fmt.Errorf("%w: %v", errGoldPanic, r)
		}
	}()
	issuer := gold.NewIdentifierIssuer("_:b")
	nodeMap := map[string]any{"@default": map[string]any{}}
	if _, err := gold.NewJsonLdApi().GenerateNodeMap(goldNodeMapInput(expanded), nodeMap, "@default", issuer, "", "", nil); err != nil {
		return nil, &Error{Code: "toRdf failed", Err: err}
	}
	c := goldConverter{issuer: issuer}
	for _, g := range sortedKeys(nodeMap) {
		var graph rdf.Term
		if g != "@default" {
			t, ok := goldNodeTerm(g)
			if !ok {
				continue
			}
			graph = t
		}
		nodes, _ := nodeMap[g].(map[string]any)
		for _, id := range sortedKeys(nodes) {
			subj, ok := goldNodeTerm(id)
			if !ok {
				continue
			}
			node, _ := nodes[id].(map[string]any)
			for _, prop := range sortedKeys(node) {
				vals, _ := node[prop].([]any)
				if prop == "@type" {
					for _, t := range vals {
						s, _ := t.(string)
						if o, ok := goldNodeTerm(s); ok {
							c.ds = append(c.ds, rdf.Quad{Subject: subj, Predicate: rdf.IRI(rdf.RDFType), Object: o, Graph: graph})
						}
					}
					continue
				}
				if strings.HasPrefix(prop, "@") || isBlankID(prop) || checkIRI(prop) != probNone {
					continue
				}
				pred := rdf.IRI(prop)
				for _, item := range vals {
					o, ok, err := c.object(item, graph)
					if err != nil {
						return nil, err
					}
					if ok {
						c.ds = append(c.ds, rdf.Quad{Subject: subj, Predicate: pred, Object: o, Graph: graph})
					}
				}
			}
		}
	}
	return c.ds, nil
}

// goldNodeTerm turns a node identifier of the node map into a term.
func goldNodeTerm(id string) (rdf.Term, bool) {
	if isBlankID(id) {
		return rdf.Blank(id[2:]), true
	}
	if checkIRI(id) == probNone {
		return rdf.IRI(id), true
	}
	return rdf.Term{}, false
}

type goldConverter struct {
	issuer *gold.IdentifierIssuer
	ds     rdf.Dataset
}

// object converts a node reference, list object or value object.
func (c *goldConverter) object(item any, graph rdf.Term) (rdf.Term, bool, error) {
	m, ok := item.(map[string]any)
	if !ok {
		return rdf.Term{}, false, nil
	}
	if v, ok := m["@value"]; ok {
		if b, ok := v.(goldJSONBox); ok {
			return rdf.Literal(b.jcs, rdf.RDFJSON), true, nil
		}
		t, bad, err := (&nodeMapper{}).literal(m, v)
		return t, err == nil && bad.code == probNone, err
	}
	if l, ok := m["@list"]; ok {
		items, _ := l.([]any)
		return c.list(items, graph)
	}
	if id, ok := m["@id"].(string); ok {
		t, ok := goldNodeTerm(id)
		return t, ok, nil
	}
	return rdf.Term{}, false, nil
}

func (c *goldConverter) list(items []any, graph rdf.Term) (rdf.Term, bool, error) {
	if len(items) == 0 {
		return rdf.IRI(rdf.RDFNil), true, nil
	}
	labels := make([]string, len(items))
	for i := range items {
		labels[i] = c.issuer.GetId("")[2:]
	}
	for i, item := range items {
		subj := rdf.Blank(labels[i])
		o, ok, err := c.object(item, graph)
		if err != nil {
			return rdf.Term{}, false, err
		}
		if ok {
			c.ds = append(c.ds, rdf.Quad{Subject: subj, Predicate: rdf.IRI(rdf.RDFFirst), Object: o, Graph: graph})
		}
		rest := rdf.IRI(rdf.RDFNil)
		if i+1 < len(items) {
			rest = rdf.Blank(labels[i+1])
		}
		c.ds = append(c.ds, rdf.Quad{Subject: subj, Predicate: rdf.IRI(rdf.RDFRest), Object: rest, Graph: graph})
	}
	return rdf.Blank(labels[0]), true, nil
}

// nodeMapVerdict compares ExpandedToRDF with the oracle on exp. It returns
// "" when they agree, "skip: …" when the oracle cannot judge (it panicked),
// and otherwise the difference.
func nodeMapVerdict(exp []any) string {
	before := deepCopy(exp)
	mine, merr := ExpandedToRDF(exp)
	if !reflect.DeepEqual(before, any(exp)) {
		return "ExpandedToRDF modified its input"
	}
	theirs, gerr := goldExpandedToRDF(exp)
	if errors.Is(gerr, errGoldPanic) {
		return "skip: " + gerr.Error()
	}
	if (merr != nil) != (gerr != nil) {
		return fmt.Sprintf("errors differ: ExpandedToRDF %v, json-gold node map %v", merr, gerr)
	}
	if merr != nil {
		return ""
	}
	if d := duplicateQuad(mine); d != "" {
		return "ExpandedToRDF repeats a quad: " + d
	}
	m, err := canonicalNQuads(mine)
	if err != nil {
		return "canonicalize ExpandedToRDF: " + err.Error()
	}
	g, err := canonicalNQuads(theirs)
	if err != nil {
		return "canonicalize oracle: " + err.Error()
	}
	if m != g {
		return "canonical N-Quads differ\nExpandedToRDF:\n" + m + "json-gold node map:\n" + g
	}
	return ""
}

// duplicateQuad returns a quad that ds holds twice, or "".
func duplicateQuad(ds rdf.Dataset) string {
	seen := make(map[rdf.Quad]bool, len(ds))
	for _, q := range ds {
		if seen[q] {
			return q.String()
		}
		seen[q] = true
	}
	return ""
}

// nodeMapCorpus returns every JSON document of testdata that expands
// (safe mode off): the W3C toRdf inputs, with their test's base IRI and
// expandContext, and the credentials of canon-edges and ob3-examples.
func nodeMapCorpus(tb testing.TB) (docs map[string][]any, failed int) {
	tb.Helper()
	docs = map[string][]any{}
	ctx := context.Background()
	tests, wl := w3cSuite(tb)
	dir := filepath.Join("testdata", "json-ld-api")
	for _, tc := range tests {
		in, err := os.ReadFile(filepath.Join(dir, tc.Input))
		if err != nil {
			failed++ // not in the snapshot (er56)
			continue
		}
		doc, err := decodeJSONBytes(in)
		if err != nil {
			failed++
			continue
		}
		base := w3cBase + tc.Input
		if tc.Option.Base != "" {
			base = tc.Option.Base
		}
		var ec any
		if tc.Option.ExpandContext != "" {
			b, err := os.ReadFile(filepath.Join(dir, tc.Option.ExpandContext))
			if err != nil {
				tb.Fatal(err)
			}
			ec, _ = decodeJSONBytes(b)
		}
		exp, err := fastExpandBase(ctx, doc, wl, base, ec)
		if err != nil {
			failed++
			continue
		}
		docs[tc.Input] = exp
	}
	files, _ := filepath.Glob("testdata/canon-edges/*.json")
	more, _ := filepath.Glob("testdata/ob3-examples/*.json")
	l := exampleLoader(tb)
	for _, p := range append(files, more...) {
		exp, err := Expand(ctx, loadJSON(tb, p), &Options{Loader: l, DropUndefinedUnsafe: true})
		if err != nil {
			failed++
			continue
		}
		docs[p] = exp
	}
	return docs, failed
}

// TestNodeMapDifferential: on every document of testdata that expands,
// ExpandedToRDF and json-gold's node map give the same canonical N-Quads
// (or both fail), ExpandedToRDF repeats no quad and leaves its input alone,
// and safe mode either gives the same dataset or refuses the document.
func TestNodeMapDifferential(t *testing.T) {
	docs, failed := nodeMapCorpus(t)
	same, skipped, refused := 0, 0, 0
	for name, exp := range docs {
		v := nodeMapVerdict(exp)
		switch {
		case v == "":
			same++
		case strings.HasPrefix(v, "skip: "):
			skipped++
			t.Logf("%s: %s", name, v)
		default:
			t.Errorf("%s: %s", name, v)
		}
		unsafeDS, uerr := ExpandedToRDF(exp)
		safeDS, serr := expandedToRDF(exp, true)
		switch {
		case uerr != nil:
		case serr != nil:
			var se *SafeModeError
			if !errors.As(serr, &se) {
				t.Errorf("%s: safe mode fails with %T %v, not a *SafeModeError", name, serr, serr)
			}
			refused++
		default:
			a, _ := canonicalNQuads(unsafeDS)
			b, _ := canonicalNQuads(safeDS)
			if a != b {
				t.Errorf("%s: safe mode accepts the document but gives another dataset", name)
			}
		}
	}
	if same < 400 {
		t.Errorf("only %d documents compared", same)
	}
	t.Logf("%d documents: %d same canonical N-Quads as json-gold's node map, %d skipped (json-gold panics), %d do not expand; safe mode refuses %d of them in conversion",
		len(docs), same, skipped, failed, refused)
}

// FuzzNodeMap expands arbitrary JSON (safe mode off) and compares
// ExpandedToRDF with json-gold's node map: no panic, same canonical
// N-Quads, no repeated quad, input not modified. Safe mode must not panic
// either and, when it accepts the document, give the same dataset.
func FuzzNodeMap(f *testing.F) {
	docs, _ := nodeMapCorpus(f)
	for name := range docs {
		if strings.HasPrefix(name, "testdata/") {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	w3c, _ := filepath.Glob("testdata/json-ld-api/toRdf/*-in.jsonld")
	for _, p := range w3c {
		if b, err := os.ReadFile(p); err == nil && len(b) < 8<<10 {
			f.Add(b)
		}
	}
	for _, s := range []string{
		`{"@context":{"@vocab":"http://ex/"},"@id":"http://ex/a","p":[{"@id":"http://ex/b","q":1},{"@id":"http://ex/b","q":1,"r":2}],"s":["x","x",{"@value":"x","@language":"en"}]}`,
		`{"@context":{"@vocab":"http://ex/","r":{"@reverse":"http://ex/knows"}},"@id":"http://ex/a","knows":{"@id":"http://ex/b"},"r":[{"@id":"http://ex/b","knows":{"@id":"http://ex/a"}},{"@list":[1]}]}`,
		`{"@context":{"@vocab":"http://ex/"},"@id":"_:g","@graph":[{"@id":"_:g","p":{"@list":[{"@id":"_:g"},[],{"@list":[]}]}}],"@included":[{"@id":"_:x","@type":"_:g"}]}`,
		`{"@context":{"@vocab":"http://ex/","@base":"http://ex/<>/"},"@id":"a#b#c","p":{"@id":"x"},"l":{"@list":["y",{"@id":"z"}]}}`,
		`{"@context":{"@vocab":"http://ex/"},"@id":"http://ex/a","@index":"1","p":{"@id":"http://ex/a","@index":"2"}}`,
		`{"@context":{"@vocab":"http://ex/"},"@id":"@default","@graph":{"@id":"http://ex/a","p":1}}`,
		`{"@context":{"@vocab":"http://ex/","@language":"en"},"p":[{"@value":"x","@direction":"ltr"},{"@value":"x","@direction":"rtl"},"x"]}`,
		`{"@context":{"@vocab":"http://ex/","j":{"@type":"@json"}},"@id":"http://ex/a","j":[{"a":1},{"a":1}],"k":{"@id":"http://ex/a","j":{"a":1}}}`,
		`{"@context":{"@vocab":"http://ex/"},"@type":["T","T"],"http://www.w3.org/1999/02/22-rdf-syntax-ns#type":{"@id":"http://ex/T"}}`,
	} {
		f.Add([]byte(s))
	}
	l := exampleLoader(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 || checkDepth(data, 64) != nil {
			return
		}
		doc, err := decodeJSONBytes(data)
		if err != nil {
			return
		}
		ctx := context.Background()
		exp, err := Expand(ctx, doc, &Options{Loader: l, DropUndefinedUnsafe: true})
		if err != nil {
			return
		}
		if v := nodeMapVerdict(exp); v != "" && !strings.HasPrefix(v, "skip: ") {
			t.Fatal(v)
		}
		unsafeDS, uerr := ExpandedToRDF(exp)
		safeDS, serr := expandedToRDF(exp, true)
		if uerr == nil && serr == nil {
			a, _ := canonicalNQuads(unsafeDS)
			b, _ := canonicalNQuads(safeDS)
			if a != b {
				t.Fatalf("safe mode accepts the document but gives another dataset\nunsafe:\n%s\nsafe:\n%s", a, b)
			}
		}
		if se := (*SafeModeError)(nil); serr != nil && uerr == nil && !errors.As(serr, &se) {
			t.Fatalf("safe mode fails with %T %v", serr, serr)
		}
	})
}

// TestCheckIRI covers the IRI checks of nodemap.go.
func TestCheckIRI(t *testing.T) {
	cases := map[string]uint8{
		"http://example.org/a":      probNone,
		"urn:uuid:1":                probNone,
		"did:example:123#key-1":     probNone,
		"a+b.c-d:x":                 probNone,
		"http://example.org/é/日本":   probNone,
		"http://ex/?q=1#frag?x/y:z": probNone,
		"http://ex/a\x7f":           probNone, // DEL: IRIREF allows it
		"":                          probRelative,
		"relative":                  probRelative,
		":x":                        probRelative,
		"1http://ex":                probRelative,
		"ht tp://ex":                probRelative,
		"_:b0":                      probRelative,
		"@type":                     probRelative,
		"urn:example:a b":           probRelative,
		"http://ex/\ta":             probRelative,
		"http://ex/\u00a0":          probRelative,
		"http://ex/\u2003":          probRelative,
		"http://ex/\ufeff":          probRelative,
		"http://ex/<a>":             probMalformed,
		"http://invalid/<>/test":    probMalformed,
		"http://ex/\"":              probMalformed,
		"http://ex/{a}":             probMalformed,
		"http://ex/a|b":             probMalformed,
		"http://ex/a^b":             probMalformed,
		"http://ex/a`b":             probMalformed,
		"http://ex/a\\b":            probMalformed,
		"http://ex/a\x00":           probMalformed,
		"http://ex/a\x1f":           probMalformed,
		"http://example.com/vocabulary/./rel2##fw": probHash,
		"http://ex/#a#b":  probHash,
		"http://ex/<#a#b": probMalformed,
		"http://ex/<a b":  probRelative,
		"http://ex/\xff":  probUTF8,
	}
	for s, want := range cases {
		if got := checkIRI(s); got != want {
			t.Errorf("checkIRI(%q) = %d, want %d", s, got, want)
		}
		if got := validIRI(s); got != (want != probRelative) {
			t.Errorf("validIRI(%q) = %v", s, got)
		}
		if got := validIRI(s); got != isAbsIRIRegexp(s) {
			t.Errorf("validIRI(%q) = %v, the regexp rule says %v", s, got, !got)
		}
	}
}

// isAbsIRIRegexp is the reference rule for validIRI: the scheme regexp and
// no unicode.IsSpace or U+FEFF.
func isAbsIRIRegexp(s string) bool {
	return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*:`).MatchString(s) &&
		!strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
}

// FuzzValidIRI checks validIRI against the regexp rule, and checkIRI
// against validIRI.
func FuzzValidIRI(f *testing.F) {
	for _, s := range []string{"http://ex/a", "a:b c", "x:\u0085", "x:\u00a0", "x:\ufeff", "_:b", "1:a", "a-+.:", "x:#a#", "x:<"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := isAbsIRIRegexp(s)
		if got := validIRI(s); got != want {
			t.Fatalf("validIRI(%q) = %v, want %v", s, got, want)
		}
		if (checkIRI(s) != probRelative) != want {
			t.Fatalf("checkIRI(%q) = %d, validIRI %v", s, checkIRI(s), want)
		}
	})
}

// TestWellFormedLang compares wellFormedLang with the langTag expression.
func TestWellFormedLang(t *testing.T) {
	cases := []string{"", "en", "EN-us", "de-CH-1996", "abcdefgh", "abcdefghi", "en-", "-en", "en--us", "en-abcdefgh", "en-abcdefghi",
		"en_US", "1en", "en-1", "en-US-x-twain", "not a tag", "é", "en-é", "zh-Hant-TW", "a-b-c-d-e"}
	for _, s := range cases {
		if got, want := wellFormedLang(s), langTag.MatchString(s); got != want {
			t.Errorf("wellFormedLang(%q) = %v, want %v", s, got, want)
		}
	}
}

// FuzzWellFormedLang compares wellFormedLang with the langTag expression.
func FuzzWellFormedLang(f *testing.F) {
	f.Add("en-US")
	f.Add("abcdefgh-12345678")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := wellFormedLang(s), langTag.MatchString(s); got != want {
			t.Fatalf("wellFormedLang(%q) = %v, want %v", s, got, want)
		}
	})
}

// TestToRDFMalformedIRI: an IRI that is absolute but not well-formed (the
// cases of W3C toRdf e111, e112 and li12) passes expansion's safe mode;
// ToRDF refuses it with a *SafeModeError, and drops the statement in
// unsafe mode as jsonld.js does.
func TestToRDFMalformedIRI(t *testing.T) {
	ctx := context.Background()
	cases := []struct{ name, doc, reason, kept, iri string }{
		{"object with '<'", `{"@context":{"p":{"@id":"http://ex/p","@type":"@id"}},"@id":"http://ex/s","p":"http://ex/<x>","http://ex/q":"ok"}`,
			`object "http://ex/<x>" is not a well-formed IRI: RDF (N-Quads IRIREF) does not allow '<'`, `<http://ex/s> <http://ex/q> "ok" .`, "http://ex/<x>"},
		{"subject with two '#'", `{"@id":"http://ex/s#a#b","http://ex/q":"x"}`,
			`subject "http://ex/s#a#b" is not a well-formed IRI: it has more than one '#'`, "", "http://ex/s#a#b"},
		{"predicate with two '#'", `{"@context":{"@vocab":"http://ex/v#"},"@id":"http://ex/s","#p":"x","q":"y"}`,
			`property "http://ex/v##p" is not a well-formed IRI`, `<http://ex/s> <http://ex/v#q> "y" .`, "http://ex/v##p"},
		{"type with '{'", `{"@id":"http://ex/s","@type":"http://ex/{T}","http://ex/q":"y"}`,
			`type "http://ex/{T}" is not a well-formed IRI`, `<http://ex/s> <http://ex/q> "y" .`, "http://ex/{T}"},
		{"datatype with '|'", `{"@id":"http://ex/s","http://ex/q":{"@value":"v","@type":"http://ex/a|b"}}`,
			`datatype "http://ex/a|b" is not a well-formed IRI`, "", "http://ex/a|b"},
		{"list item with '<'", `{"@context":{"@base":"http://invalid/<>/","l":{"@id":"http://ex/l","@container":"@list","@type":"@id"}},"@id":"http://ex/s","l":["test"]}`,
			`object "http://invalid/<>/test" is not a well-formed IRI`, `<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .`, "http://invalid/<>/test"},
		{"graph name with '^'", `{"@id":"http://ex/g^1","@graph":{"@id":"http://ex/s","http://ex/q":"x"}}`,
			`graph name "http://ex/g^1" is not a well-formed IRI`, "", "http://ex/g^1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := decode(t, c.doc)
			_, err := ToRDF(ctx, doc, nil)
			var se *SafeModeError
			if !errors.As(err, &se) {
				t.Fatalf("safe mode: got %T %v, want a *SafeModeError", err, err)
			}
			if !strings.Contains(se.Reason, c.reason) || se.Path != "" {
				t.Errorf("safe mode: path %q, reason %q; want reason containing %q", se.Path, se.Reason, c.reason)
			}
			out, err := Canonicalize(ctx, doc, &Options{DropUndefinedUnsafe: true})
			if err != nil {
				t.Fatalf("unsafe mode: %v", err)
			}
			if strings.Contains(string(out), c.iri) {
				t.Errorf("unsafe mode kept %s:\n%s", c.iri, out)
			}
			if !strings.Contains(string(out), c.kept) {
				t.Errorf("unsafe mode: want %q in\n%s", c.kept, out)
			}
		})
	}
}

// TestToRDFSafeDefenceInDepth: statements that expansion lets through in
// safe mode but RDF cannot hold are refused by ToRDF, not dropped.
func TestToRDFSafeDefenceInDepth(t *testing.T) {
	ctx := context.Background()
	for name, exp := range map[string]string{
		"blank node datatype": `[{"@id":"http://ex/s","http://ex/p":[{"@value":"x","@type":"_:dt"}]}]`,
		"relative subject":    `[{"@id":"s","http://ex/p":[{"@value":"x"}]}]`,
		"relative predicate":  `[{"@id":"http://ex/s","p":[{"@value":"x"}]}]`,
		"blank predicate":     `[{"@id":"http://ex/s","_:p":[{"@value":"x"}]}]`,
		"@json type on node":  `[{"@id":"http://ex/s","@type":["@json"]}]`,
		"bad language":        `[{"@id":"http://ex/s","http://ex/p":[{"@value":"x","@language":"en US","@direction":"ltr"}]}]`,
		"reverse to relative": `[{"@id":"http://ex/s","@reverse":{"http://ex/p":[{"@id":"o"}]}}]`,
	} {
		t.Run(name, func(t *testing.T) {
			v := decode(t, exp).([]any)
			_, err := expandedToRDF(v, true)
			var se *SafeModeError
			if !errors.As(err, &se) {
				t.Errorf("safe: got %T %v, want a *SafeModeError", err, err)
			}
			ds, err := ExpandedToRDF(v)
			if err != nil || len(ds) != 0 {
				t.Errorf("unsafe: %v %v, want the statement dropped", ds, err)
			}
		})
	}
	// An IRI with a space is not absolute: the expander refuses it, with
	// its path, before conversion (TestCanonEdges covers unsafe mode).
	_, err := ToRDF(ctx, loadJSON(t, "testdata/canon-edges/edge-iri-space.json"), nil)
	var se *SafeModeError
	if !errors.As(err, &se) || se.Path != "/credentialSubject/rel/id" {
		t.Errorf("edge-iri-space: %v", err)
	}
}

// TestExpandedToRDFAlgorithm checks node map behaviours one by one.
func TestExpandedToRDFAlgorithm(t *testing.T) {
	nq := func(t *testing.T, exp string) string {
		t.Helper()
		ds, err := ExpandedToRDF(decode(t, exp).([]any))
		if err != nil {
			t.Fatal(err)
		}
		if d := duplicateQuad(ds); d != "" {
			t.Errorf("repeated quad %s", d)
		}
		return string(ds.NQuads())
	}
	t.Run("merge and no repeated quads", func(t *testing.T) {
		got := nq(t, `[{"@id":"http://ex/a","@type":["http://ex/T","http://ex/T"],"http://ex/p":[{"@id":"http://ex/b","http://ex/q":[{"@value":1}]},{"@value":"x"},{"@value":"x"}]},
			{"@id":"http://ex/b","http://ex/q":[{"@value":1},{"@value":2}],"http://ex/r":[{"@id":"http://ex/a","http://ex/p":[{"@value":"x"}]}]}]`)
		want := `<http://ex/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex/T> .
<http://ex/b> <http://ex/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://ex/a> <http://ex/p> <http://ex/b> .
<http://ex/a> <http://ex/p> "x" .
<http://ex/b> <http://ex/q> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://ex/b> <http://ex/r> <http://ex/a> .
`
		if got != want {
			t.Errorf("got\n%swant\n%s", got, want)
		}
	})
	t.Run("blank nodes labelled in order", func(t *testing.T) {
		got := nq(t, `[{"@id":"_:x","http://ex/p":[{"@list":[{"@value":1}]},{"@id":"_:y"},{"http://ex/q":[{"@id":"_:x"}]}]}]`)
		want := `_:b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:b0 <http://ex/p> _:b1 .
_:b0 <http://ex/p> _:b2 .
_:b3 <http://ex/q> _:b0 .
_:b0 <http://ex/p> _:b3 .
`
		if got != want {
			t.Errorf("got\n%swant\n%s", got, want)
		}
	})
	t.Run("reverse, included, named graphs", func(t *testing.T) {
		got := nq(t, `[{"@id":"http://ex/a","@reverse":{"http://ex/knows":[{"@id":"http://ex/b","http://ex/knows":[{"@id":"http://ex/a"}]}]},
			"@included":[{"@id":"http://ex/c","http://ex/p":[{"@value":"i"}]}],
			"@graph":[{"@id":"http://ex/d","http://ex/p":[{"@value":"g"}]}]},
			{"@id":"@default","@graph":[{"@id":"http://ex/e","http://ex/p":[{"@value":"d"}]}]}]`)
		want := `<http://ex/b> <http://ex/knows> <http://ex/a> .
<http://ex/d> <http://ex/p> "g" <http://ex/a> .
<http://ex/c> <http://ex/p> "i" .
<http://ex/e> <http://ex/p> "d" .
`
		if got != want {
			t.Errorf("got\n%swant\n%s", got, want)
		}
	})
	t.Run("conflicting indexes", func(t *testing.T) {
		_, err := ExpandedToRDF(decode(t, `[{"@id":"http://ex/a","@index":"1"},{"@id":"http://ex/a","@index":"2"}]`).([]any))
		var le *Error
		if !errors.As(err, &le) || le.Code != "conflicting indexes" {
			t.Errorf("got %v", err)
		}
		if _, err := ExpandedToRDF(decode(t, `[{"@id":"http://ex/a","@index":"1"},{"@id":"http://ex/a","@index":"1"},{"@id":"http://ex/a","@graph":[{"@id":"http://ex/a","@index":"2"}]}]`).([]any)); err != nil {
			t.Errorf("same index, or another graph: %v", err)
		}
	})
	t.Run("not expanded", func(t *testing.T) {
		for _, s := range []string{`["x"]`, `[{"@id":1}]`, `[{"@id":"http://ex/a","http://ex/p":"x"}]`, `[{"@type":[1]}]`, `[{"@reverse":[]}]`} {
			_, err := ExpandedToRDF(decode(t, s).([]any))
			var le *Error
			if !errors.As(err, &le) {
				t.Errorf("%s: got %v", s, err)
			}
		}
	})
	t.Run("large documents", func(t *testing.T) {
		var items []any
		for i := range 2000 {
			items = append(items, map[string]any{"@id": "http://ex/n" + strconv.Itoa(i%300), "http://ex/p": []any{map[string]any{"@value": "v"}, map[string]any{"@value": strconv.Itoa(i % 70)}}})
		}
		if v := nodeMapVerdict(items); v != "" {
			t.Error(v)
		}
		ds, err := ExpandedToRDF(items)
		if err != nil {
			t.Fatal(err)
		}
		want := map[[2]int]bool{}
		for i := range 2000 {
			want[[2]int{i % 300, i % 70}] = true
		}
		if len(ds) != 300+len(want) {
			t.Errorf("%d quads, want %d", len(ds), 300+len(want))
		}
	})
}

// TestNoJSONGoldInLibrary: the package's non-test code does not import
// json-gold.
func TestNoJSONGoldInLibrary(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "piprate/json-gold") {
			t.Errorf("%s imports json-gold", f)
		}
	}
}

// BenchmarkExpandedToRDF measures the conversion alone, and the json-gold
// node map path it replaced, on the expanded benchmark documents.
func BenchmarkExpandedToRDF(b *testing.B) {
	for name, path := range benchDocs() {
		exp, err := Expand(context.Background(), loadJSON(b, path), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ExpandedToRDF(exp); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"-json-gold", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := goldExpandedToRDF(exp); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkValidIRI compares validIRI with the regexp rule of isAbsIRI.
func BenchmarkValidIRI(b *testing.B) {
	iris := []string{"https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject", "urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58", "did:example:ebfeb1f712ebc6f1c276e12ec21", "http://example.org/é"}
	b.Run("validIRI", func(b *testing.B) {
		for b.Loop() {
			for _, s := range iris {
				if !validIRI(s) {
					b.Fatal(s)
				}
			}
		}
	})
	b.Run("isAbsIRI", func(b *testing.B) {
		for b.Loop() {
			for _, s := range iris {
				if !isAbsIRI(s) {
					b.Fatal(s)
				}
			}
		}
	})
}
