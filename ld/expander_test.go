package ld

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/microcred/microcred/ld/rdf"
)

// expanderInputs lists the documents of the differential tests.
func expanderInputs(tb testing.TB) []string {
	tb.Helper()
	var files []string
	for _, g := range []string{"testdata/canon-edges/*.json", "testdata/ob3-examples/*.json"} {
		m, err := filepath.Glob(g)
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		tb.Fatal("no test documents")
	}
	return files
}

// canonJSON renders a decoded JSON value with sorted keys, for comparison.
func canonJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// decodeJSONBytes decodes one JSON value, numbers as json.Number.
func decodeJSONBytes(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// TestExpanderDifferential checks that the expander's output equals
// json-gold's on every test document, in both modes, and that safe-mode
// errors agree.
func TestExpanderDifferential(t *testing.T) {
	ctx := context.Background()
	l := exampleLoader(t)
	for _, f := range expanderInputs(t) {
		doc := loadJSON(t, f)
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			for _, safe := range []bool{false, true} {
				want, werr := expandGold(ctx, doc, &Options{Loader: l, DropUndefinedUnsafe: !safe})
				got, gerr := expandFast(ctx, doc, l, safe)
				if (werr == nil) != (gerr == nil) {
					t.Errorf("safe=%v: json-gold error %v, expander error %v", safe, werr, gerr)
					continue
				}
				if werr != nil {
					var ws, gs *SafeModeError
					if errors.As(werr, &ws) != errors.As(gerr, &gs) {
						t.Errorf("safe=%v: error kinds differ: json-gold %v, expander %v", safe, werr, gerr)
					} else if ws != nil && ws.Path != gs.Path {
						t.Errorf("safe=%v: paths differ: json-gold %q, expander %q (%s)", safe, ws.Path, gs.Path, gs.Reason)
					}
					t.Logf("safe=%v: both fail: %v", safe, gerr)
					continue
				}
				if w, g := canonJSON(t, want), canonJSON(t, got); w != g {
					t.Errorf("safe=%v: output differs\njson-gold: %s\nexpander:  %s", safe, w, g)
				}
			}
		})
	}
}

// BenchmarkExpander measures the expander on the documents of
// BenchmarkExpandGold (json-gold), in safe mode, with a warm context cache.
func BenchmarkExpander(b *testing.B) {
	for name, path := range benchDocs() {
		doc := loadJSON(b, path)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := expandFast(context.Background(), doc, nil, true); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// exampleLoader returns a Loader that also serves the credentials examples
// context under the 2018 URL some Open Badges examples use.
func exampleLoader(tb testing.TB) *Loader {
	tb.Helper()
	l := NewLoader(nil)
	d, err := l.Load(context.Background(), "https://www.w3.org/ns/credentials/examples/v2")
	if err != nil {
		tb.Fatal(err)
	}
	if err := l.Register("https://www.w3.org/2018/credentials/examples/v2", d.Bytes); err != nil {
		tb.Fatal(err)
	}
	return l
}

// vcContext is the @context of the safe-mode cases.
const vcContext = `"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]`

// TestExpanderSafePaths checks the JSON pointer and reason of safe-mode
// errors, one case per kind of problem.
func TestExpanderSafePaths(t *testing.T) {
	cases := []struct {
		name, doc, path, reason string
	}{
		{"undefined nested property", "@edge-undefined-property.json", "/credentialSubject/achievement/undefinedNested", "not defined"},
		{"relative type in array", `{` + vcContext + `, "type": ["VerifiableCredential", "NoSuchType"]}`, "/type/1", `type "NoSuchType"`},
		{"relative type string", "@edge-relative-type.json", "/credentialSchema/0/type", "1EdTechJsonSchemaValidator2019"},
		{"relative id", `{` + vcContext + `, "id": "not-an-iri", "type": "VerifiableCredential"}`, "/id", "not an absolute IRI"},
		{"id with a space", `{` + vcContext + `, "id": "urn:a b", "type": "VerifiableCredential"}`, "/id", "not an absolute IRI"},
		{"relative @type:@id value", `{` + vcContext + `, "type": "VerifiableCredential", "issuer": "relative"}`, "/issuer", `id "relative"`},
		{"relative @type:@id value in array", `{"@context": {"p": {"@id": "http://ex/p", "@type": "@id"}}, "@id": "http://ex/s", "p": ["http://ex/o", "rel"]}`, "/p/1", `id "rel"`},
		{"array index", `{` + vcContext + `, "type": "VerifiableCredential", "credentialSubject": [{"id": "did:ex:1"}, {"id": "did:ex:2", "nope": 1}]}`, "/credentialSubject/1/nope", `"nope"`},
		{"escaped key", `{"@context": {"@vocab": null}, "@id": "http://ex/s", "a/b~c": 1}`, "/a~1b~0c", "not defined"},
		{"malformed @language", `{"@context": {"p": "http://ex/p"}, "@id": "http://ex/s", "p": {"@value": "x", "@language": "en_US"}}`, "/p/@language", `"en_us"`},
		{"malformed default language", `{"@context": {"p": "http://ex/p", "@language": "bad_tag"}, "@id": "http://ex/s", "p": "x"}`, "/p", `"bad_tag"`},
		{"malformed language map key", `{"@context": {"p": {"@id": "http://ex/p", "@container": "@language"}}, "@id": "http://ex/s", "p": {"en": "ok", "e n": "x"}}`, "/p/e n", "not well-formed"},
		{"relative datatype", `{"@context": {"p": "http://ex/p"}, "@id": "http://ex/s", "p": {"@value": "x", "@type": "Rel"}}`, "/p/@type", `datatype "Rel"`},
		{"blank node property", `{"@id": "http://ex/s", "_:b0": "x"}`, "/_:b0", "blank node"},
		{"keyword-like key", `{"@id": "http://ex/s", "@foo": "x"}`, "/@foo", "not defined"},
		{"keyword alias that means nothing in a node", `{"@context": {"secret": "@none"}, "@id": "http://ex/s", "secret": "x"}`, "/secret", "keyword @none"},
		{"@json datatype is fine, relative type next to it is not", `{"@context": {"p": "http://ex/p"}, "@id": "http://ex/s", "p": {"@value": {"a": 1}, "@type": "@json"}, "@type": "Rel"}`, "/@type", `type "Rel"`},
		{"term mapped to null", `{"@context": {"p": null}, "@id": "http://ex/s", "p": "x"}`, "/p", "not defined"},
		{"nested property", `{"@context": {"p": "http://ex/p", "n": "@nest"}, "@id": "http://ex/s", "n": {"p": 1, "q": 2}}`, "/n/q", `"q"`},
		{"nested property in array", `{"@context": {"p": "http://ex/p", "n": "@nest"}, "@id": "http://ex/s", "n": [{"p": 1}, {"q": 2}]}`, "/n/1/q", `"q"`},
		{"type map key", `{"@context": {"m": {"@id": "http://ex/m", "@container": "@type"}}, "@id": "http://ex/s", "m": {"Rel": {"@id": "http://ex/o"}}}`, "/m/Rel", `type "Rel"`},
		{"id map key", `{"@context": {"m": {"@id": "http://ex/m", "@container": "@id"}, "p": "http://ex/p"}, "@id": "http://ex/s", "m": {"rel": {"p": 1}}}`, "/m/rel", `id "rel"`},
		{"free-floating value", `[{"@id": "http://ex/s", "http://ex/p": 1}, "junk"]`, "/1", "outside any node object"},
		{"free-floating value object in @graph", `{"@graph": [{"@value": "x"}]}`, "/@graph/0", "outside any node object"},
		{"undefined inside type-scoped context", `{` + vcContext + `, "type": "VerifiableCredential", "credentialSubject": {"type": "AchievementSubject", "achievement": {"type": "Achievement", "criteria": {"narrative": "n", "extra": 1}}}}`, "/credentialSubject/achievement/criteria/extra", `"extra"`},
		{"type-scoped term does not leak to nested node", `{"@context": {"@vocab": null, "T": {"@id": "http://ex/T", "@context": {"inner": "http://ex/inner"}}, "p": "http://ex/p"}, "@type": "T", "@id": "http://ex/s", "p": {"@id": "http://ex/o", "inner": 1}}`, "/p/inner", `"inner"`},
	}
	// Cases that are invalid JSON-LD even with safe mode off (a value's
	// @type must be an IRI).
	invalid := map[string]bool{"relative datatype": true}
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var doc any
			if name, ok := strings.CutPrefix(c.doc, "@"); ok {
				doc = loadJSON(t, filepath.Join("testdata", "canon-edges", name))
			} else {
				var err error
				if doc, err = decodeJSONBytes([]byte(c.doc)); err != nil {
					t.Fatal(err)
				}
			}
			_, err := expandFast(ctx, doc, nil, true)
			var se *SafeModeError
			if !errors.As(err, &se) {
				t.Fatalf("want a SafeModeError at %s, got %v", c.path, err)
			}
			if se.Path != c.path || !strings.Contains(se.Reason, c.reason) {
				t.Errorf("got %q: %s; want %q: …%s…", se.Path, se.Reason, c.path, c.reason)
			}
			if _, err := expandFast(ctx, doc, nil, false); (err != nil) != invalid[c.name] {
				t.Errorf("safe mode off: %v", err)
			}
		})
	}
}

// TestExpanderHostileContexts checks that contexts that recurse, multiply
// or nest end with an error, quickly.
func TestExpanderHostileContexts(t *testing.T) {
	l := NewLoader(nil)
	reg := func(u, body string) {
		if err := l.Register(u, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	reg("https://ex.test/self", `{"@context": "https://ex.test/self"}`)
	reg("https://ex.test/a", `{"@context": ["https://ex.test/b"]}`)
	reg("https://ex.test/b", `{"@context": ["https://ex.test/a"]}`)
	// Scoped contexts that multiply: each level has 8 terms whose scoped
	// context is the next level.
	for i := 0; i < 12; i++ {
		var terms []string
		for j := 0; j < 8; j++ {
			terms = append(terms, fmt.Sprintf(`"t%d": {"@id": "http://ex/t%d", "@context": "https://ex.test/lvl%d"}`, j, j, i+1))
		}
		reg(fmt.Sprintf("https://ex.test/lvl%d", i), `{"@context": {`+strings.Join(terms, ",")+`}}`)
	}
	reg("https://ex.test/lvl12", `{"@context": {}}`)
	docs := map[string]string{
		"self-inclusion":      `{"@context": "https://ex.test/self", "@id": "http://ex/s"}`,
		"mutual inclusion":    `{"@context": "https://ex.test/a", "@id": "http://ex/s"}`,
		"multiplying scopes":  `{"@context": "https://ex.test/lvl0", "@id": "http://ex/s", "t0": {"t1": {"t2": 1}}}`,
		"deep inline context": `{"@context": ` + strings.Repeat(`{"t": {"@id": "http://ex/t", "@context": `, 60) + `{}` + strings.Repeat(`}}`, 60) + `, "t": 1}`,
		"context not found":   `{"@context": "https://ex.test/missing", "@id": "http://ex/s"}`,
	}
	for name, src := range docs {
		t.Run(name, func(t *testing.T) {
			doc, err := decodeJSONBytes([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = expandFast(context.Background(), doc, l, true)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			var le *Error
			if name == "deep inline context" {
				if err != nil && !errors.As(err, &le) {
					t.Errorf("got %v", err)
				}
				return
			}
			if !errors.As(err, &le) {
				t.Fatalf("want an *Error, got %v", err)
			}
			t.Logf("%s", le)
		})
	}
}

// TestExpanderManyContexts checks that a large but honest document, a
// presentation of many credentials each with its own @context, is not
// mistaken for a hostile one.
func TestExpanderManyContexts(t *testing.T) {
	var creds []string
	for i := 0; i < 400; i++ {
		creds = append(creds, fmt.Sprintf(`{`+vcContext+`, "id": "urn:uuid:%d", "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": "https://issuer.example", "validFrom": "2024-01-01T00:00:00Z", "credentialSubject": {"id": "did:ex:%d", "type": "AchievementSubject", "achievement": {"id": "urn:uuid:a%d", "type": "Achievement", "name": "n", "criteria": {"narrative": "x"}}}}`, i, i, i))
	}
	src := `{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation", "verifiableCredential": [` + strings.Join(creds, ",") + `]}`
	doc, err := decodeJSONBytes([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := expandFast(context.Background(), doc, nil, true); err != nil {
		t.Fatal(err)
	}
}

// TestExpanderCache checks the processed-context cache: contexts derived
// from embedded contexts are shared, those from registered contexts live on
// their Loader and are dropped by Register, inline contexts are not cached
// beyond the call, and the cache stays bounded.
func TestExpanderCache(t *testing.T) {
	ctx := context.Background()
	doc := loadJSON(t, "testdata/canon-edges/ob-realistic-safe.json")
	if _, err := expandFast(ctx, doc, nil, true); err != nil {
		t.Fatal(err)
	}
	if sharedCache.len() == 0 {
		t.Error("embedded contexts were not cached process-wide")
	}
	l := NewLoader(nil)
	if err := l.Register("https://ex.test/ctx", []byte(`{"@context": {"p": "http://ex/p", "T": {"@id": "http://ex/T", "@context": {"q": "http://ex/q"}}}}`)); err != nil {
		t.Fatal(err)
	}
	d1, err := decodeJSONBytes([]byte(`{"@context": "https://ex.test/ctx", "@id": "http://ex/s", "@type": "T", "p": 1, "q": 2}`))
	if err != nil {
		t.Fatal(err)
	}
	out, err := expandFast(ctx, d1, l, true)
	if err != nil {
		t.Fatal(err)
	}
	if n := loaderCache(l).len(); n == 0 {
		t.Error("registered context not cached on the Loader")
	}
	// Re-registering changes the meaning of the context; the cache must
	// follow.
	if err := l.Register("https://ex.test/ctx", []byte(`{"@context": {"p": "http://ex/other", "T": {"@id": "http://ex/T", "@context": {"q": "http://ex/q2"}}}}`)); err != nil {
		t.Fatal(err)
	}
	out2, err := expandFast(ctx, d1, l, true)
	if err != nil {
		t.Fatal(err)
	}
	if canonJSON(t, out) == canonJSON(t, out2) {
		t.Errorf("Register did not invalidate the cache: %s", canonJSON(t, out2))
	}
	if !strings.Contains(canonJSON(t, out2), "http://ex/q2") || !strings.Contains(canonJSON(t, out2), "http://ex/other") {
		t.Errorf("stale expansion after Register: %s", canonJSON(t, out2))
	}
	// Many distinct inline contexts: the per-loader and shared caches do
	// not grow.
	before := loaderCache(l).len()
	for i := 0; i < 100; i++ {
		d, _ := decodeJSONBytes([]byte(fmt.Sprintf(`{"@context": [{"p%d": "http://ex/p"}, "https://ex.test/ctx"], "@id": "http://ex/s", "p%d": 1}`, i, i)))
		if _, err := expandFast(ctx, d, l, true); err != nil {
			t.Fatal(err)
		}
	}
	if after := loaderCache(l).len(); after != before {
		t.Errorf("inline contexts grew the Loader cache from %d to %d", before, after)
	}
	// The bound.
	c := newProcCache()
	for i := 0; i < maxCachedContexts+10; i++ {
		c.put(procKey{parent: uint64(i)}, sharedRoot)
	}
	if c.len() > maxCachedContexts {
		t.Errorf("cache holds %d entries, bound %d", c.len(), maxCachedContexts)
	}
}

// TestExpanderConcurrent expands the same documents from several goroutines
// (run with -race) and checks every result equals the sequential one.
func TestExpanderConcurrent(t *testing.T) {
	ctx := context.Background()
	files := expanderInputs(t)
	l := exampleLoader(t)
	want := map[string]string{}
	docs := map[string]any{}
	for _, f := range files {
		docs[f] = loadJSON(t, f)
		out, err := expandFast(ctx, docs[f], l, false)
		if err == nil {
			want[f] = canonJSON(t, out)
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, f := range files {
				out, err := expandFast(ctx, docs[f], NewLoader(nil), false)
				if w, ok := want[f]; ok && err == nil {
					if b, _ := json.Marshal(out); string(b) != w {
						t.Errorf("%s: concurrent result differs", f)
					}
				}
				if out, err := expandFast(ctx, docs[f], l, false); err == nil {
					if b, _ := json.Marshal(out); string(b) != want[f] {
						t.Errorf("%s: concurrent result differs (shared loader)", f)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestExpanderCancel checks that a cancelled context stops expansion.
func TestExpanderCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	doc := loadJSON(t, "testdata/canon-edges/ob-full-safe.json")
	if _, err := expandFast(ctx, doc, nil, true); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// TestExpanderDeepInput checks the recursion bound on values built in
// memory, including a cyclic one.
func TestExpanderDeepInput(t *testing.T) {
	var v any = map[string]any{"http://ex/p": "x"}
	for i := 0; i < 2000; i++ {
		v = map[string]any{"http://ex/p": v}
	}
	if _, err := expandFast(context.Background(), v, nil, false); err == nil {
		t.Error("no error on a document nested 2000 levels deep")
	}
	cyc := map[string]any{"@id": "http://ex/s"}
	cyc["http://ex/p"] = cyc
	if _, err := expandFast(context.Background(), cyc, nil, false); err == nil {
		t.Error("no error on a cyclic document")
	}
}

// canonicalRDF expands with f, converts to RDF and canonicalizes.
func canonicalRDF(exp []any) (string, error) {
	ds, err := ExpandedToRDF(exp)
	if err != nil {
		return "", err
	}
	r, err := rdf.Canonicalize(context.Background(), ds, nil)
	if err != nil {
		return "", err
	}
	return string(r.NQuads), nil
}

// goldDivergent are W3C toRdf inputs on which json-gold, run without the
// test's base IRI, gives a different dataset than the expander, and the
// expander is the one that agrees with the suite: IRI resolution against
// an @base with dot segments or a non-hierarchical scheme (0122–0132,
// li11, li12: json-gold writes "tag:///a" for "tag:a"), and a protected
// context cleared inside an @graph container (pr43).
var goldDivergent = map[string]bool{
	"0122-in.jsonld": true, "0123-in.jsonld": true, "0124-in.jsonld": true,
	"0125-in.jsonld": true, "0128-in.jsonld": true, "0130-in.jsonld": true,
	"0131-in.jsonld": true, "0132-in.jsonld": true, "li11-in.jsonld": true,
	"li12-in.jsonld": true, "pr43-in.jsonld": true,
}

// FuzzExpander runs the expander and json-gold on the same documents: the
// expander must not panic, and when both succeed (safe mode off) their
// outputs must give the same canonical RDF dataset. The seeds are the test
// documents, the W3C toRdf inputs (but goldDivergent) and a few small
// documents. json-gold has bugs of its own (it fails about 100 of the toRdf
// tests the expander passes), so a difference found while fuzzing must be
// checked against the specification before blaming the expander.
func FuzzExpander(f *testing.F) {
	w3c, err := filepath.Glob("testdata/json-ld-api/toRdf/*-in.jsonld")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range append(expanderInputs(f), w3c...) {
		if goldDivergent[filepath.Base(p)] {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{"@context": {"@vocab": "http://ex/"}, "a": {"b": [1, 2.5, true, null, "x"]}}`,
		`{"@context": {"p": {"@id": "http://ex/p", "@container": "@list"}}, "p": [[1], [2, 3]]}`,
		`{"@context": {"p": {"@id": "http://ex/p", "@container": "@language"}}, "p": {"en": "a", "@none": "b"}}`,
		`{"@context": {"p": {"@id": "http://ex/p", "@container": ["@graph", "@index"]}}, "p": {"i": {"@id": "http://ex/o"}}}`,
		`{"@context": {"@vocab": "http://ex/", "T": {"@context": {"q": {"@type": "@id"}}}}, "@type": "T", "q": "http://ex/o", "r": {"q": "x"}}`,
		`{"@context": {"@vocab": "http://ex/", "j": {"@type": "@json"}}, "j": {"b": [1, {"a": null}]}}`,
		`{"@context": {"@vocab": "http://ex/", "@direction": "rtl", "@language": "ar"}, "p": "x"}`,
		`{"@context": {"@vocab": "http://ex/", "r": {"@reverse": "http://ex/knows"}}, "@id": "http://ex/a", "r": {"@id": "http://ex/b"}}`,
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
		_, _ = expandFast(ctx, doc, l, true) // must not panic
		mine, err := expandFast(ctx, doc, l, false)
		if err != nil {
			return
		}
		if b, err := json.Marshal(mine); err == nil {
			if _, err := decodeJSONBytes(b); err != nil {
				t.Fatalf("expander output does not round-trip through JSON: %v", err)
			}
		}
		if bytes.Contains(data, []byte("@base")) || bytes.Contains(data, []byte("%")) || bytes.Contains(data, []byte("@direction")) || bytes.Contains(data, []byte("@nest")) {
			// Known json-gold divergences: it resolves against bases
			// without an authority wrongly ("a:" + "0" gives "a:///0",
			// RFC 3986 says "a:0"); it takes "http:/%0X" for a relative
			// IRI (net/url rejects the escape) where JSON-LD and
			// jsonld.js see an absolute one; it drops a term's
			// @direction in language maps (it fails the suite's di01–di07);
			// it ignores the scoped context of a @nest alias (JSON-LD 1.1
			// §5.1.2 step 14.2.2 applies it).
			return
		}
		theirs, err := goldExpandBase(ctx, doc, l, "", nil)
		if err != nil {
			return
		}
		m, merr := canonicalRDF(mine)
		g, gerr := canonicalRDF(theirs)
		if merr != nil || gerr != nil {
			return
		}
		if m != g {
			t.Errorf("canonical RDF differs\nexpander:\n%s\njson-gold:\n%s", m, g)
		}
	})
}

// BenchmarkExpanderColdCache measures the first expansion after start: the
// process-wide and Loader caches are emptied before each run.
func BenchmarkExpanderColdCache(b *testing.B) {
	doc := loadJSON(b, "testdata/canon-edges/ob-realistic-safe.json")
	b.ReportAllocs()
	for b.Loop() {
		sharedCache.mu.Lock()
		clear(sharedCache.m)
		sharedCache.terms = 0
		sharedCache.mu.Unlock()
		if _, err := expandFast(context.Background(), doc, NewLoader(nil), true); err != nil {
			b.Fatal(err)
		}
	}
}

// TestExpanderSafeNotLooser runs safe mode on every W3C toRdf input (no
// base IRI, as Expand has none) with both Expand (json-gold, then its
// checks) and the expander: whenever Expand reports a safe-mode problem the
// expander must refuse the document too. The paths agree except where the
// expander names the member more exactly or finds another problem first in
// document order; the counts are logged.
func TestExpanderSafeNotLooser(t *testing.T) {
	_, l := w3cSuite(t)
	files, err := filepath.Glob("testdata/json-ld-api/toRdf/*-in.jsonld")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	samePath, both, stricter := 0, 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := decodeJSONBytes(b)
		if err != nil {
			continue
		}
		_, gerr := expandGold(ctx, doc, &Options{Loader: l})
		_, ferr := expandFast(ctx, doc, l, true)
		var gs, fs *SafeModeError
		gsafe, fsafe := errors.As(gerr, &gs), errors.As(ferr, &fs)
		switch {
		case gsafe && ferr == nil:
			t.Errorf("%s: Expand refuses it (%v), the expander accepts it", filepath.Base(f), gerr)
		case gsafe && fsafe:
			both++
			if gs.Path == fs.Path {
				samePath++
			}
		case fsafe && gerr == nil:
			stricter++
			t.Logf("%s: only the expander refuses it: %v", filepath.Base(f), ferr)
		}
	}
	t.Logf("both refuse %d documents, %d with the same path; only the expander refuses %d", both, samePath, stricter)
}

// TestResolveIRI checks relative reference resolution against the
// examples of RFC 3986 §5.4 and bases without an authority.
func TestResolveIRI(t *testing.T) {
	base := "http://a/b/c/d;p?q"
	cases := map[string]string{
		"g:h": "g:h", "g": "http://a/b/c/g", "./g": "http://a/b/c/g", "g/": "http://a/b/c/g/",
		"/g": "http://a/g", "//g": "http://g", "?y": "http://a/b/c/d;p?y", "g?y": "http://a/b/c/g?y",
		"#s": "http://a/b/c/d;p?q#s", "g#s": "http://a/b/c/g#s", "g?y#s": "http://a/b/c/g?y#s",
		";x": "http://a/b/c/;x", "g;x": "http://a/b/c/g;x", "g;x?y#s": "http://a/b/c/g;x?y#s",
		"": "http://a/b/c/d;p?q", ".": "http://a/b/c/", "./": "http://a/b/c/", "..": "http://a/b/",
		"../": "http://a/b/", "../g": "http://a/b/g", "../..": "http://a/", "../../": "http://a/",
		"../../g": "http://a/g", "../../../g": "http://a/g", "../../../../g": "http://a/g",
		"/./g": "http://a/g", "/../g": "http://a/g", "g.": "http://a/b/c/g.", ".g": "http://a/b/c/.g",
		"g..": "http://a/b/c/g..", "..g": "http://a/b/c/..g", "./../g": "http://a/b/g",
		"./g/.": "http://a/b/c/g/", "g/./h": "http://a/b/c/g/h", "g/../h": "http://a/b/c/h",
		"g;x=1/./y": "http://a/b/c/g;x=1/y", "g;x=1/../y": "http://a/b/c/y", "g?y/./x": "http://a/b/c/g?y/./x",
		"g?y/../x": "http://a/b/c/g?y/../x", "g#s/./x": "http://a/b/c/g#s/./x", "g#s/../x": "http://a/b/c/g#s/../x",
		"http:g": "http:g",
	}
	for ref, want := range cases {
		if got := resolveIRI(base, ref); got != want {
			t.Errorf("resolve(%q, %q) = %q, want %q", base, ref, got, want)
		}
	}
	for _, c := range [][3]string{{"a0:", "0", "a0:0"}, {"tag:x", "a", "tag:a"}, {"urn:ex:s", "#f", "urn:ex:s#f"}, {"http://a", "b", "http://a/b"}} {
		if got := resolveIRI(c[0], c[1]); got != c[2] {
			t.Errorf("resolve(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

// TestExpanderDoesNotMutate checks that expansion changes neither the input
// document nor the Loader's documents, even through @import (which makes
// json-gold write into the imported context).
func TestExpanderDoesNotMutate(t *testing.T) {
	src := `{"@context": [{"@import": "https://www.w3.org/ns/credentials/v2", "extra": "http://ex/extra"}, {"@vocab": "http://ex/"}], "id": "urn:x", "extra": [1, {"a": "b"}], "@graph": [{"id": "urn:y", "name": {"@value": "n", "@language": "EN"}}]}`
	doc, err := decodeJSONBytes([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	before := canonJSON(t, doc)
	ctxBefore := canonJSON(t, embedded()[CredentialsV2URL].parsed)
	for _, safe := range []bool{true, false} {
		if _, err := expandFast(context.Background(), doc, nil, safe); err != nil {
			t.Fatal(err)
		}
	}
	if after := canonJSON(t, doc); after != before {
		t.Errorf("input changed:\n%s\n%s", before, after)
	}
	if after := canonJSON(t, embedded()[CredentialsV2URL].parsed); after != ctxBefore {
		t.Error("the embedded credentials context changed")
	}
}
