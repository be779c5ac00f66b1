package ld

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	gold "github.com/piprate/json-gold/ld"

	"github.com/microcred/microcred/ld/rdf"
)

// This file runs the W3C JSON-LD 1.1 toRdf test suite (testdata/json-ld-api,
// see its SOURCES.md) against two expanders: json-gold (what ld.Expand uses
// today) and microcred's own (expandWith). Each positive evaluation test is
// expanded (plain JSON-LD, safe mode off), converted with ExpandedToRDF and
// compared with the expected N-Quads after RDFC-1.0 canonicalization of
// both sides, i.e. as datasets up to blank node renaming. Negative tests
// must fail; positive syntax tests must succeed.

// w3cBase is the URL the suite's documents live under.
const w3cBase = "https://w3c.github.io/json-ld-api/tests/"

// w3cSkips are the tests a Verifiable Credential cannot exercise, with the
// reason. Tests are also skipped by option (see w3cSkipReason).
var w3cSkips = map[string]string{
	"#te075": "produceGeneralizedRdf: blank node predicates (generalized RDF)",
	"#ter56": "its input is in the expand suite (expand/er56-in.jsonld), which is not part of the toRdf snapshot",
}

// w3cSkipReason says why a test is skipped, or "".
func w3cSkipReason(t *w3cTest) string {
	if r, ok := w3cSkips[t.ID]; ok {
		return r
	}
	switch {
	case t.Option.SpecVersion == "json-ld-1.0":
		return "specVersion json-ld-1.0: JSON-LD 1.0 only behaviour"
	case t.Option.ProcessingMode == "json-ld-1.0":
		return "processingMode json-ld-1.0: 1.1 mode only"
	case t.Option.ProduceGeneralizedRdf:
		return "produceGeneralizedRdf: generalized RDF is not RDF"
	case t.Option.RdfDirection == "compound-literal":
		return "rdfDirection compound-literal: we use i18n-datatype"
	}
	return ""
}

// w3cTest is one entry of the manifest.
type w3cTest struct {
	ID        string   `json:"@id"`
	Type      []string `json:"@type"`
	Name      string   `json:"name"`
	Input     string   `json:"input"`
	Expect    string   `json:"expect"`
	ErrorCode string   `json:"expectErrorCode"`
	Option    struct {
		Base                  string `json:"base"`
		ExpandContext         string `json:"expandContext"`
		ProcessingMode        string `json:"processingMode"`
		SpecVersion           string `json:"specVersion"`
		ProduceGeneralizedRdf bool   `json:"produceGeneralizedRdf"`
		RdfDirection          string `json:"rdfDirection"`
	} `json:"option"`
}

// is reports whether the test has the type jld:kind.
func (t *w3cTest) is(kind string) bool { return slices.Contains(t.Type, "jld:"+kind) }

// w3cSuite reads the manifest and a Loader serving every file of the suite
// under w3cBase.
func w3cSuite(tb testing.TB) ([]*w3cTest, *Loader) {
	tb.Helper()
	dir := filepath.Join("testdata", "json-ld-api")
	b, err := os.ReadFile(filepath.Join(dir, "toRdf-manifest.jsonld"))
	if err != nil {
		tb.Fatal(err)
	}
	var man struct {
		Sequence []*w3cTest `json:"sequence"`
	}
	if err := json.Unmarshal(b, &man); err != nil {
		tb.Fatal(err)
	}
	l := NewLoader(nil)
	err = filepath.WalkDir(filepath.Join(dir, "toRdf"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".jsonld") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		_ = l.Register(w3cBase+filepath.ToSlash(rel), data) // non-objects cannot be contexts
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return man.Sequence, l
}

// expandFunc is an expander under test: doc with base IRI base and an
// optional expandContext, safe mode off.
type expandFunc func(ctx context.Context, doc any, l *Loader, base string, expandContext any) ([]any, error)

// goldCopyLoader is goldLoader, but hands json-gold a deep copy of each
// document: json-gold writes into the context it imports with @import
// (context.go, "importCtxMap[k] = v"), which would alter the Loader's
// documents, embedded ones included, for every later expansion in the
// process.
type goldCopyLoader struct{ goldLoader }

// LoadDocument loads u and copies the document.
func (g goldCopyLoader) LoadDocument(u string) (*gold.RemoteDocument, error) {
	rd, err := g.goldLoader.LoadDocument(u)
	if err != nil {
		return nil, err
	}
	rd.Document = copyJSON(rd.Document)
	return rd, nil
}

// copyJSON deep-copies a decoded JSON value.
func copyJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = copyJSON(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = copyJSON(e)
		}
		return a
	}
	return v
}

// goldExpandBase runs json-gold as ld.Expand does (JSON-LD 1.1 mode, the
// Loader's documents, panics turned into errors), with a base IRI, but
// without letting it alter the Loader's documents (see goldCopyLoader).
func goldExpandBase(ctx context.Context, doc any, l *Loader, base string, expandContext any) (out []any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("json-gold panic: %v", r)
		}
	}()
	jo := gold.NewJsonLdOptions(base)
	jo.ProcessingMode = gold.JsonLd_1_1
	jo.DocumentLoader = goldCopyLoader{goldLoader{ctx: ctx, l: l}}
	jo.ExpandContext = expandContext
	return gold.NewJsonLdProcessor().Expand(doc, jo)
}

// fastExpandBase runs the expander of this package.
func fastExpandBase(ctx context.Context, doc any, l *Loader, base string, expandContext any) ([]any, error) {
	return expandWith(ctx, doc, l, expandOptions{base: base, expandContext: expandContext})
}

// stripDirection removes @direction from every value object: the toRdf
// algorithm with rdfDirection null ignores it, while ExpandedToRDF always
// uses i18n-datatype.
func stripDirection(v any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			stripDirection(e)
		}
	case map[string]any:
		if _, ok := x["@value"]; ok {
			delete(x, "@direction")
			return
		}
		for _, e := range x {
			stripDirection(e)
		}
	}
}

// canonicalNQuads canonicalizes a dataset with RDFC-1.0.
func canonicalNQuads(ds rdf.Dataset) (string, error) {
	r, err := rdf.Canonicalize(context.Background(), ds, nil)
	if err != nil {
		return "", err
	}
	return string(r.NQuads), nil
}

// decodeFloat decodes JSON with numbers as float64, as encoding/json does
// by default.
func decodeFloat(b []byte) (any, error) {
	var v any
	err := json.Unmarshal(b, &v)
	return v, err
}

// runW3CTest runs one test and returns "" on success or what went wrong.
// Documents are decoded with json.Number numbers, as microcred does.
func runW3CTest(t *w3cTest, l *Loader, expand expandFunc) string {
	return runW3CTestDecoded(t, l, expand, decodeJSONBytes)
}

// runW3CTestDecoded is runW3CTest with a choice of JSON decoder.
func runW3CTestDecoded(t *w3cTest, l *Loader, expand expandFunc, decode func([]byte) (any, error)) string {
	dir := filepath.Join("testdata", "json-ld-api")
	in, err := os.ReadFile(filepath.Join(dir, t.Input))
	if err != nil {
		return "read input: " + err.Error()
	}
	doc, err := decode(in)
	if err != nil {
		if t.is("NegativeEvaluationTest") {
			return ""
		}
		return "decode input: " + err.Error()
	}
	base := w3cBase + t.Input
	if t.Option.Base != "" {
		base = t.Option.Base
	}
	var ec any
	if t.Option.ExpandContext != "" {
		b, err := os.ReadFile(filepath.Join(dir, t.Option.ExpandContext))
		if err != nil {
			return "read expandContext: " + err.Error()
		}
		if ec, err = decode(b); err != nil {
			return "decode expandContext: " + err.Error()
		}
	}
	ctx := context.Background()
	exp, err := expand(ctx, doc, l, base, ec)
	var ds rdf.Dataset
	if err == nil {
		if t.Option.RdfDirection == "" {
			stripDirection(exp)
		}
		ds, err = ExpandedToRDF(exp)
	}
	if t.is("NegativeEvaluationTest") {
		if err == nil {
			return "expected error " + t.ErrorCode + ", got none"
		}
		return ""
	}
	if err != nil {
		return "error: " + err.Error()
	}
	if t.is("PositiveSyntaxTest") {
		return ""
	}
	got, err := canonicalNQuads(ds)
	if err != nil {
		return "canonicalize result: " + err.Error()
	}
	wantRaw, err := os.ReadFile(filepath.Join(dir, t.Expect))
	if err != nil {
		return "read expected: " + err.Error()
	}
	wds, err := rdf.ParseNQuads(wantRaw)
	if err != nil {
		return "parse expected: " + err.Error()
	}
	want, err := canonicalNQuads(wds)
	if err != nil {
		return "canonicalize expected: " + err.Error()
	}
	if got != want {
		return "dataset differs\n got:\n" + got + " want:\n" + want
	}
	return ""
}

// w3cKnownFailures are the tests the expander of this package fails, with
// the reason. The runner fails when another test fails, or when one of
// these passes (so the list is kept exact).
var w3cKnownFailures = map[string]string{}

// TestW3CToRDF runs the toRdf suite against json-gold and the expander and
// reports both pass counts. It fails if the expander fails a test that
// json-gold passes or a test not in w3cKnownFailures.
func TestW3CToRDF(t *testing.T) {
	tests, l := w3cSuite(t)
	type tally struct{ pass, fail int }
	names := []string{"json-gold", "json-gold/float64", "expander", "expander/float64"}
	counts := map[string]*tally{}
	for _, n := range names {
		counts[n] = &tally{}
	}
	skipped := map[string][]string{}
	var goldOnly, errCodeMismatch []string
	for _, tc := range tests {
		if r := w3cSkipReason(tc); r != "" {
			skipped[r] = append(skipped[r], tc.ID)
			continue
		}
		gres := runW3CTest(tc, l, goldExpandBase)
		fres := runW3CTest(tc, l, fastExpandBase)
		gfres := runW3CTestDecoded(tc, l, goldExpandBase, decodeFloat)
		ffres := runW3CTestDecoded(tc, l, fastExpandBase, decodeFloat)
		if gfres == "" && ffres != "" {
			t.Errorf("%s (%s): json-gold passes with float64 numbers, expander fails: %s", tc.ID, tc.Name, ffres)
		}
		for name, res := range map[string]string{"json-gold": gres, "expander": fres, "json-gold/float64": gfres, "expander/float64": ffres} {
			if res == "" {
				counts[name].pass++
			} else {
				counts[name].fail++
			}
		}
		if tc.is("NegativeEvaluationTest") && fres == "" {
			if code := w3cErrorCode(tc, l); code != tc.ErrorCode {
				errCodeMismatch = append(errCodeMismatch, fmt.Sprintf("%s: want %q, got %q", tc.ID, tc.ErrorCode, code))
			}
		}
		known, isKnown := w3cKnownFailures[tc.ID]
		switch {
		case fres != "" && gres == "":
			goldOnly = append(goldOnly, tc.ID)
			t.Errorf("%s (%s): json-gold passes, expander fails: %s", tc.ID, tc.Name, fres)
		case fres != "" && !isKnown:
			t.Errorf("%s (%s): %s", tc.ID, tc.Name, fres)
		case fres == "" && isKnown:
			t.Errorf("%s passes now; remove it from w3cKnownFailures (%s)", tc.ID, known)
		}
	}
	total := 0
	reasons := make([]string, 0, len(skipped))
	for r, ids := range skipped {
		total += len(ids)
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	t.Logf("toRdf suite: %d tests, %d skipped", len(tests), total)
	for _, r := range reasons {
		t.Logf("  skipped %3d: %s: %s", len(skipped[r]), r, strings.Join(skipped[r], " "))
	}
	for _, name := range names {
		c := counts[name]
		t.Logf("%-17s: %d passed, %d failed", name, c.pass, c.fail)
	}
	t.Logf("(json.Number input unless /float64; json-gold rejects \"@version\": 1.1 as a json.Number)")
	if len(errCodeMismatch) > 0 {
		t.Logf("negative tests failing with another error code than expected (%d): %s", len(errCodeMismatch), strings.Join(errCodeMismatch, "; "))
	}
	if len(goldOnly) > 0 {
		t.Logf("json-gold passes but the expander fails: %v", goldOnly)
	}
}

// w3cErrorCode returns the JSON-LD error code the expander reports for a
// test, or "" when it does not fail with an *Error.
func w3cErrorCode(tc *w3cTest, l *Loader) string {
	dir := filepath.Join("testdata", "json-ld-api")
	in, err := os.ReadFile(filepath.Join(dir, tc.Input))
	if err != nil {
		return ""
	}
	doc, err := decodeJSONBytes(in)
	if err != nil {
		return "invalid JSON"
	}
	base := w3cBase + tc.Input
	if tc.Option.Base != "" {
		base = tc.Option.Base
	}
	_, err = expandWith(context.Background(), doc, l, expandOptions{base: base})
	var le *Error
	if errors.As(err, &le) {
		return le.Code
	}
	return ""
}

// TestW3CExpandedShape compares the expanded form itself (not only the RDF)
// with json-gold's on the suite's positive tests that json-gold passes.
// Where the two differ, the difference is listed in w3cShapeDiffs with the
// reason.
func TestW3CExpandedShape(t *testing.T) {
	tests, l := w3cSuite(t)
	dir := filepath.Join("testdata", "json-ld-api")
	same, compared := 0, 0
	for _, tc := range tests {
		if w3cSkipReason(tc) != "" || !tc.is("PositiveEvaluationTest") || runW3CTest(tc, l, goldExpandBase) != "" {
			continue
		}
		in, err := os.ReadFile(filepath.Join(dir, tc.Input))
		if err != nil {
			t.Fatal(err)
		}
		base := w3cBase + tc.Input
		if tc.Option.Base != "" {
			base = tc.Option.Base
		}
		var ec any
		if tc.Option.ExpandContext != "" {
			b, _ := os.ReadFile(filepath.Join(dir, tc.Option.ExpandContext))
			ec, _ = decodeJSONBytes(b)
		}
		doc1, _ := decodeJSONBytes(in)
		doc2, _ := decodeJSONBytes(in)
		g, gerr := goldExpandBase(context.Background(), doc1, l, base, ec)
		f, ferr := fastExpandBase(context.Background(), doc2, l, base, ec)
		if gerr != nil || ferr != nil {
			t.Errorf("%s: json-gold %v, expander %v", tc.ID, gerr, ferr)
			continue
		}
		compared++
		gj, fj := canonJSON(t, g), canonJSON(t, f)
		reason, known := w3cShapeDiffs[tc.ID]
		switch {
		case gj == fj && known:
			t.Errorf("%s: same shape now; remove it from w3cShapeDiffs (%s)", tc.ID, reason)
		case gj == fj:
			same++
		case !known:
			t.Errorf("%s: expanded form differs\njson-gold: %s\nexpander:  %s", tc.ID, gj, fj)
		}
	}
	t.Logf("expanded form identical to json-gold's on %d of %d tests json-gold passes", same, compared)
}

// w3cShapeDiffs are the tests where the expanded form differs from
// json-gold's while the RDF is the same.
var w3cShapeDiffs = map[string]string{}
