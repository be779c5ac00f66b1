package ld

// Tests of the project's EU micro-credential JSON-LD context
// (contexts/microcred-eu-v1.jsonld, published as
// https://w3id.org/microcred/eu/v1; documented in docs/eu-profile/).
//
// The context is registered on a fresh Loader here, so these tests do not
// depend on whether it is already in the pinned table: registering the same
// bytes under a pinned URL is allowed.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	euV1TestURL     = "https://w3id.org/microcred/eu/v1"
	euV1TestFile    = "contexts/microcred-eu-v1.jsonld"
	euPublishedCopy = "../docs/eu-profile/microcred-eu-v1.jsonld"
	euExamplesDir   = "../docs/eu-profile/examples"
	// euCompleteExample carries every Annex I element, a mobility, two
	// awarding bodies and titles and learning outcomes in three languages.
	euCompleteExample = "joint-mobility-preparation.json"

	euVocab = "https://w3id.org/microcred/eu/vocab#"
	elmNS   = "http://data.europa.eu/snb/model/elm/"
)

func euContextBytes(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile(euV1TestFile)
	require.NoError(tb, err)
	return b
}

// euLoader returns a Loader with the embedded contexts plus the EU context.
func euLoader(tb testing.TB) *Loader {
	tb.Helper()
	l := NewLoader(nil)
	require.NoError(tb, l.Register(euV1TestURL, euContextBytes(tb)))
	return l
}

func euDecode(tb testing.TB, b []byte) any {
	tb.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	require.NoError(tb, dec.Decode(&v))
	return v
}

func euExample(tb testing.TB, name string) map[string]any {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(euExamplesDir, name))
	require.NoError(tb, err)
	return euDecode(tb, b).(map[string]any)
}

func euClone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = euClone(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = euClone(e)
		}
		return a
	}
	return v
}

func euCanon(tb testing.TB, l *Loader, doc any) (string, error) {
	tb.Helper()
	nq, err := Canonicalize(context.Background(), doc, &Options{Loader: l})
	return string(nq), err
}

func euSortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func euEscapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// euAchievement returns the achievement object of a credential.
func euAchievement(doc map[string]any) map[string]any {
	return doc["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
}

// --- reading the context itself --------------------------------------------

// euTermDef is one term definition found anywhere in the EU context.
type euTermDef struct {
	path []string // enclosing terms, outermost first
	name string
	def  any // string or map
}

func (d euTermDef) iri() string {
	if s, ok := d.def.(string); ok {
		return s
	}
	s, _ := d.def.(map[string]any)["@id"].(string)
	return s
}

func (d euTermDef) field(k string) string {
	m, ok := d.def.(map[string]any)
	if !ok {
		return ""
	}
	s, _ := m[k].(string)
	return s
}

// euTerms lists every term definition in the EU context, at every depth.
func euTerms(tb testing.TB) []euTermDef {
	tb.Helper()
	var doc map[string]any
	require.NoError(tb, json.Unmarshal(euContextBytes(tb), &doc))
	var out []euTermDef
	var walk func(ctx map[string]any, path []string)
	walk = func(ctx map[string]any, path []string) {
		for _, k := range euSortedKeys(ctx) {
			if strings.HasPrefix(k, "@") {
				continue
			}
			out = append(out, euTermDef{path: slices.Clone(path), name: k, def: ctx[k]})
			if m, ok := ctx[k].(map[string]any); ok {
				if sc, ok := m["@context"].(map[string]any); ok {
					walk(sc, append(path, k))
				}
			}
		}
	}
	walk(doc["@context"].(map[string]any), nil)
	return out
}

// euVocabAliases maps each property with "@type": "@vocab" and a scoped
// context to the value aliases that context defines, sorted.
func euVocabAliases(tb testing.TB) map[string][]string {
	tb.Helper()
	out := map[string][]string{}
	for _, t := range euTerms(tb) {
		if t.field("@type") != "@vocab" {
			continue
		}
		sc, _ := t.def.(map[string]any)["@context"].(map[string]any)
		for k := range sc {
			if !strings.HasPrefix(k, "@") {
				out[t.name] = append(out[t.name], k)
			}
		}
		slices.Sort(out[t.name])
	}
	return out
}

// euLanguageMaps lists the properties with "@container": "@language".
func euLanguageMaps(tb testing.TB) map[string]bool {
	tb.Helper()
	out := map[string]bool{}
	for _, t := range euTerms(tb) {
		if t.field("@container") == "@language" {
			out[t.name] = true
		}
	}
	return out
}

// --- the tests ----------------------------------------------------------------

func TestEUContextPublishedCopyIsIdentical(t *testing.T) {
	published, err := os.ReadFile(euPublishedCopy)
	require.NoError(t, err)
	assert.Equal(t, string(euContextBytes(t)), string(published),
		"docs/eu-profile/microcred-eu-v1.jsonld must be a byte-for-byte copy of ld/"+euV1TestFile)
}

// TestEUContextIRIs checks every IRI the context maps a term to against the
// sources: ELM 3.2 (ELM.ttl, namespace http://data.europa.eu/snb/model/elm/),
// DCMI terms that ELM reuses (dc:title, dc:type), the EU controlled
// vocabularies (elm-cv-xsd snapshot, see docs/eu-profile/README.md) and the
// project namespace. An IRI outside these sets is a typo.
func TestEUContextIRIs(t *testing.T) {
	// ELM 3.2 classes and properties used, each checked in ELM.ttl.
	elm := []string{
		"Accreditation", "CreditPoint", "LearningOutcome", "Note",
		"accreditation", "accreditingAgent", "additionalNote", "awardingBody",
		"creditPoint", "entryRequirement", "EQFLevel", "framework",
		"learningOutcome", "mode", "noteLiteral", "NQFLevel", "point",
		"relatedESCOSkill", "relatedSkill", "report", "supplementaryDocument",
		"volumeOfLearning",
	}
	// Concepts of the EU controlled vocabularies, with their English labels
	// from the XSD enumerations (credit-points, europass-modes,
	// europass-learning-activity-types, europass-learning-assessment-types,
	// europass-accreditation-types).
	concepts := map[string]string{
		"http://data.europa.eu/snb/education-credit/6fcec5c5af":    "European Credit Transfer System",
		"http://data.europa.eu/snb/education-credit/60b314e826":    "European credit system for vocational education and training",
		"http://data.europa.eu/snb/learning-assessment/920fbb3cbe": "Online",
		"http://data.europa.eu/snb/learning-assessment/9191af2ed9": "Presential",
		"http://data.europa.eu/snb/learning-assessment/e92d221e4d": "Blended",
		"http://data.europa.eu/snb/learning-assessment/729f3bed4b": "Workbased",
		"http://data.europa.eu/snb/learning-assessment/7813801c77": "Project based",
		"http://data.europa.eu/snb/learning-assessment/ed4c557045": "Research-Lab based",
		"http://data.europa.eu/snb/learning-activity/59eaf34fab":   "volunteering",
		"http://data.europa.eu/snb/assessment/de4d165a6c":          "artefact assessment",
		"http://data.europa.eu/snb/assessment/3484bd7e51":          "continuous evaluation",
		"http://data.europa.eu/snb/assessment/56539a6507":          "group performance",
		"http://data.europa.eu/snb/assessment/7331eb4762":          "level of attendance",
		"http://data.europa.eu/snb/assessment/2939dae15f":          "marked assignment",
		"http://data.europa.eu/snb/assessment/d30284d7df":          "oral examination",
		"http://data.europa.eu/snb/assessment/19a2e5e671":          "peer assessment",
		"http://data.europa.eu/snb/assessment/812e3b0ae1":          "peer review",
		"http://data.europa.eu/snb/assessment/4f03b91c0e":          "portfolio",
		"http://data.europa.eu/snb/assessment/6a4db9f11d":          "practical assessment",
		"http://data.europa.eu/snb/assessment/c4256a2726":          "problem based learning",
		"http://data.europa.eu/snb/assessment/795dac4096":          "project work",
		"http://data.europa.eu/snb/assessment/b1b68f6735":          "quiz",
		"http://data.europa.eu/snb/assessment/6e6cb2cc78":          "written examination",
		"http://data.europa.eu/snb/accreditation/003293d2ce":       "Institutional License",
		"http://data.europa.eu/snb/accreditation/bb4618238e":       "Institutional Quality Assurance",
		"http://data.europa.eu/snb/accreditation/e57dddfcf3":       "Program License",
		"http://data.europa.eu/snb/accreditation/820101cba6":       "Program Quality Assurance",
	}
	dc := []string{"http://purl.org/dc/terms/title", "http://purl.org/dc/terms/type"}

	seen := map[string]bool{}
	for _, term := range euTerms(t) {
		iri := term.iri()
		where := strings.Join(append(slices.Clone(term.path), term.name), "/")
		seen[iri] = true
		switch {
		case strings.HasPrefix(iri, elmNS):
			assert.Contains(t, elm, strings.TrimPrefix(iri, elmNS), "%s: not a checked ELM 3.2 term", where)
		case strings.HasPrefix(iri, "http://data.europa.eu/snb/"):
			_, ok := concepts[iri]
			assert.True(t, ok, "%s: %s is not a checked EU vocabulary concept", where, iri)
		case strings.HasPrefix(iri, "http://purl.org/dc/terms/"):
			assert.Contains(t, dc, iri, where)
		case strings.HasPrefix(iri, euVocab):
			local := strings.TrimPrefix(iri, euVocab)
			assert.Regexp(t, `^[A-Za-z][A-Za-z0-9]*$`, local, where)
		default:
			t.Errorf("%s: IRI %q is in no known namespace", where, iri)
		}
		// A term whose IRI ends in a gen-delim could be used as a prefix,
		// making "term:anything" a defined property.
		assert.False(t, strings.HasSuffix(iri, "/") || strings.HasSuffix(iri, "#"), "%s: IRI usable as a prefix", where)
		if typ := term.field("@type"); typ != "" {
			assert.Contains(t, []string{"@id", "@vocab",
				"http://www.w3.org/2001/XMLSchema#duration",
				"http://www.w3.org/2001/XMLSchema#boolean"}, typ, where)
		}
	}
	for iri := range concepts {
		assert.True(t, seen[iri], "concept %s is not used", iri)
	}
	for _, local := range elm {
		assert.True(t, seen[elmNS+local], "ELM term %s is not used", local)
	}
}

// TestEUContextDefinesNoVCOrOBTerm: no term the EU context defines, at any
// depth, is also a term of the VC 2.0 or OB 3.0.3 contexts (top level or in
// any of their scoped contexts). JSON-LD itself rejects redefining a
// protected term only outside property-scoped contexts, so this is checked
// statically as well as by processing below.
func TestEUContextDefinesNoVCOrOBTerm(t *testing.T) {
	theirs := map[string]string{}
	for _, u := range []string{CredentialsV2URL, OB303URL} {
		d, err := DefaultLoader().Load(context.Background(), u)
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(d.Bytes, &doc))
		var walk func(ctx map[string]any)
		walk = func(ctx map[string]any) {
			for k, v := range ctx {
				if !strings.HasPrefix(k, "@") {
					theirs[k] = u
				}
				if m, ok := v.(map[string]any); ok {
					if sc, ok := m["@context"].(map[string]any); ok {
						walk(sc)
					}
				}
			}
		}
		walk(doc["@context"].(map[string]any))
	}
	require.Contains(t, theirs, "achievementType")
	for _, term := range euTerms(t) {
		if u, ok := theirs[term.name]; ok {
			t.Errorf("%s/%s is also a term of %s", strings.Join(term.path, "/"), term.name, u)
		}
	}
}

func TestEUContextExamplesCanonicalize(t *testing.T) {
	l := euLoader(t)
	files, err := filepath.Glob(filepath.Join(euExamplesDir, "*.json"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 3)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			doc := euExample(t, filepath.Base(f))
			ctx := doc["@context"].([]any)
			assert.Equal(t, []any{CredentialsV2URL, OB303URL, euV1TestURL}, ctx)
			nq, err := euCanon(t, l, doc)
			require.NoError(t, err)
			assert.Contains(t, nq, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <"+euVocab+"EUMicroCredentialAchievement>")

			// Plain JSON-LD (nothing dropped) gives the same graph: safe
			// mode only refuses, it never changes what is signed.
			plain, err := Canonicalize(context.Background(), doc, &Options{Loader: l, DropUndefinedUnsafe: true})
			require.NoError(t, err)
			assert.Equal(t, nq, string(plain))
		})
	}

	// The complete example uses every EU term: each predicate appears.
	nq, err := euCanon(t, l, euExample(t, euCompleteExample))
	require.NoError(t, err)
	for _, term := range euTerms(t) {
		if _, ok := term.def.(map[string]any); !ok {
			continue // classes and value aliases are plain strings
		}
		switch term.name {
		case "EUMicroCredentialAchievement":
			continue // the class
		case "levelNotApplicable":
			continue // the complete example has an EQF level
		}
		assert.True(t, strings.Contains(nq, " <"+term.iri()+"> "), "no triple with the predicate of %q", term.name)
	}
	assert.Contains(t, nq, `<http://purl.org/dc/terms/title> "Intercultural Competence for International Mobility"@en .`)
	for _, lang := range []string{"en", "fr", "nl"} {
		// title 1 + learning outcomes 3 + entry requirement 1 + note 1
		assert.GreaterOrEqual(t, strings.Count(nq, `"@`+lang+" .\n"), 6, "texts in %s", lang)
	}
	assert.Equal(t, 2, strings.Count(nq, "<"+elmNS+"awardingBody>"), "two awarding bodies")
}

// euLeaf is a JSON scalar in a document: its path (keys and indexes) and the
// property it is a value of.
type euLeaf struct {
	path []any // string keys and int indexes
	prop string
}

func (l euLeaf) pointer() string {
	var b strings.Builder
	for _, p := range l.path {
		b.WriteByte('/')
		switch x := p.(type) {
		case string:
			b.WriteString(euEscapePointer(x))
		case int:
			b.WriteString(strconv.Itoa(x))
		}
	}
	return b.String()
}

func euLeaves(v any, path []any, prop string, out *[]euLeaf) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range euSortedKeys(x) {
			if k == "@context" || k == "type" {
				continue // types: see TestEUContextRejectsUndefined
			}
			euLeaves(x[k], append(slices.Clone(path), k), k, out)
		}
	case []any:
		for i, e := range x {
			euLeaves(e, append(slices.Clone(path), i), prop, out)
		}
	default:
		*out = append(*out, euLeaf{path: slices.Clone(path), prop: prop})
	}
}

// euEdit applies f to the parent container of the value at path.
func euEdit(doc any, path []any, f func(parent any, key any) any) any {
	if len(path) == 1 {
		return f(doc, path[0])
	}
	switch x := doc.(type) {
	case map[string]any:
		k := path[0].(string)
		x[k] = euEdit(x[k], path[1:], f)
		return x
	case []any:
		i := path[0].(int)
		x[i] = euEdit(x[i], path[1:], f)
		return x
	}
	panic("bad path")
}

func euGet(parent any, key any) any {
	if m, ok := parent.(map[string]any); ok {
		return m[key.(string)]
	}
	return parent.([]any)[key.(int)]
}

func euSet(parent any, key any, v any) any {
	if m, ok := parent.(map[string]any); ok {
		m[key.(string)] = v
		return m
	}
	a := parent.([]any)
	a[key.(int)] = v
	return a
}

func euDelete(parent any, key any) any {
	if m, ok := parent.(map[string]any); ok {
		delete(m, key.(string))
		return m
	}
	a := parent.([]any)
	return slices.Delete(slices.Clone(a), key.(int), key.(int)+1)
}

// euMutate returns a different valid value for a leaf: another alias for an
// enumerated property, the number plus one, the negated boolean, or the
// string with a character appended (still an absolute IRI if it was one).
func euMutate(t *testing.T, v any, prop string, aliases map[string][]string) any {
	switch x := v.(type) {
	case string:
		if as, ok := aliases[prop]; ok && slices.Contains(as, x) {
			i := slices.Index(as, x)
			return as[(i+1)%len(as)]
		}
		return x + "x"
	case json.Number:
		f, err := x.Float64()
		require.NoError(t, err)
		return json.Number(strconv.FormatFloat(f+1, 'f', -1, 64))
	case bool:
		return !x
	}
	t.Fatalf("unexpected leaf %T", v)
	return nil
}

// TestEUContextEveryValueIsSigned proves that no element falls outside the
// signed graph: for every leaf of the complete example (the EU elements and
// the native OB3 fields that carry the others), changing its value, or
// removing it, changes the canonical N-Quads that eddsa-rdfc-2022 hashes.
// Language-map keys (the language of a title, an outcome, a note) are
// checked the same way.
func TestEUContextEveryValueIsSigned(t *testing.T) {
	l := euLoader(t)
	base := euExample(t, euCompleteExample)
	baseNQ, err := euCanon(t, l, base)
	require.NoError(t, err)
	aliases := euVocabAliases(t)
	require.Contains(t, aliases, "relation")

	var leaves []euLeaf
	euLeaves(base, nil, "", &leaves)
	require.Greater(t, len(leaves), 100)
	underAchievement := 0
	for _, leaf := range leaves {
		p := leaf.pointer()
		if strings.HasPrefix(p, "/credentialSubject/achievement/") {
			underAchievement++
		}
		t.Run("change"+p, func(t *testing.T) {
			doc := euClone(base)
			var old any
			doc = euEdit(doc, leaf.path, func(parent, key any) any {
				old = euGet(parent, key)
				return euSet(parent, key, euMutate(t, old, leaf.prop, aliases))
			})
			nq, err := euCanon(t, l, doc)
			require.NoError(t, err, "the changed value (from %v) must still be valid", old)
			assert.NotEqual(t, baseNQ, nq, "changing %s does not change the signed graph", p)
		})
		t.Run("remove"+p, func(t *testing.T) {
			doc := euEdit(euClone(base), leaf.path, euDelete)
			nq, err := euCanon(t, l, doc)
			require.NoError(t, err)
			assert.NotEqual(t, baseNQ, nq, "removing %s does not change the signed graph", p)
		})
	}
	assert.Greater(t, underAchievement, 60)

	// Renaming a language-map key ("fr" → "it") changes the graph.
	langMaps := euLanguageMaps(t)
	var walk func(v any, path []any, prop string)
	renamed := 0
	walk = func(v any, path []any, prop string) {
		switch x := v.(type) {
		case map[string]any:
			if langMaps[prop] {
				for _, lang := range euSortedKeys(x) {
					doc := euEdit(euClone(base), path, func(parent, key any) any {
						m := euGet(parent, key).(map[string]any)
						m["it"] = m[lang]
						delete(m, lang)
						return parent
					})
					nq, err := euCanon(t, l, doc)
					require.NoError(t, err)
					assert.NotEqual(t, baseNQ, nq, "language %s at %v", lang, path)
					renamed++
				}
				return
			}
			for k, e := range x {
				if k != "@context" {
					walk(e, append(slices.Clone(path), k), k)
				}
			}
		case []any:
			for i, e := range x {
				walk(e, append(slices.Clone(path), i), prop)
			}
		}
	}
	walk(base, nil, "")
	assert.GreaterOrEqual(t, renamed, 18, "title (3) + 3 outcomes (9) + 2 notes (6) + QA title (1)")
}

// TestEUContextRejectsUndefined: misspelled terms, unknown enumeration
// values, EU terms outside an EUMicroCredentialAchievement and value aliases
// used as properties are safe-mode errors naming the JSON path: none can be
// signed while a plain JSON-LD processor drops it.
func TestEUContextRejectsUndefined(t *testing.T) {
	l := euLoader(t)
	euScopedTerms := map[string]bool{}
	for _, term := range euTerms(t) {
		if len(term.path) == 1 {
			euScopedTerms[term.name] = true
		}
	}
	type edit func(doc, ach map[string]any)
	mobility := func(ach map[string]any) map[string]any {
		return ach["mobility"].([]any)[0].(map[string]any)
	}
	cases := []struct {
		name   string
		edit   edit
		path   string
		reason string
	}{
		{"plural learningOutcomes", func(_, a map[string]any) { a["learningOutcomes"] = a["learningOutcome"]; delete(a, "learningOutcome") },
			"/credentialSubject/achievement/learningOutcomes", `"learningOutcomes" is not defined`},
		{"misspelled mobility", func(_, a map[string]any) { a["mobilty"] = a["mobility"]; delete(a, "mobility") },
			"/credentialSubject/achievement/mobilty", `"mobilty" is not defined`},
		{"misspelled term in a mobility", func(_, a map[string]any) { m := mobility(a); m["relaton"] = m["relation"]; delete(m, "relation") },
			"/credentialSubject/achievement/mobility/0/relaton", `"relaton" is not defined`},
		{"misspelled term in a learning outcome", func(_, a map[string]any) {
			lo := a["learningOutcome"].([]any)[1].(map[string]any)
			lo["relatedEscoSkill"] = lo["relatedESCOSkill"]
			delete(lo, "relatedESCOSkill")
		}, "/credentialSubject/achievement/learningOutcome/1/relatedEscoSkill", `"relatedEscoSkill" is not defined`},
		{"misspelled term in a credit point", func(_, a map[string]any) { a["creditPoint"].([]any)[0].(map[string]any)["points"] = "5" },
			"/credentialSubject/achievement/creditPoint/0/points", `"points" is not defined`},
		{"misspelled enumeration value", func(_, a map[string]any) { mobility(a)["relation"] = "preparesFro" },
			"/credentialSubject/achievement/mobility/0/relation", "not an absolute IRI"},
		{"alias of another property", func(_, a map[string]any) { mobility(a)["format"] = "preparesFor" },
			"/credentialSubject/achievement/mobility/0/format", "not an absolute IRI"},
		{"Annex I wording that is not an ELM alias", func(_, a map[string]any) { a["mode"] = []any{"onsite"} },
			"/credentialSubject/achievement/mode/0", "not an absolute IRI"},
		{"EQF level as a bare number string", func(_, a map[string]any) { a["eqfLevel"] = "7" },
			"/credentialSubject/achievement/eqfLevel", "not an absolute IRI"},
		{"value alias used as a property", func(_, a map[string]any) { mobility(a)["physical"] = true },
			"/credentialSubject/achievement/mobility/0/physical", `"physical" is not defined`},
		{"EU term on the credential subject", func(d, a map[string]any) {
			d["credentialSubject"].(map[string]any)["mobility"] = a["mobility"]
		}, "/credentialSubject/mobility", `"mobility" is not defined`},
		{"EU term on the issuer", func(d, _ map[string]any) { d["issuer"].(map[string]any)["awardingBody"] = []any{"https://x.example/"} },
			"/issuer/awardingBody", `"awardingBody" is not defined`},
		{"EU term on a nested Achievement", func(_, a map[string]any) {
			a["stackableTowards"] = []any{map[string]any{"id": "https://x.example/p", "type": []any{"Achievement"}, "eqfLevel": "http://data.europa.eu/snb/eqf/7"}}
		}, "/credentialSubject/achievement/stackableTowards/0/eqfLevel", `"eqfLevel" is not defined`},
		{"bad language tag", func(_, a map[string]any) { a["title"].(map[string]any)["en_GB"] = "x" },
			"/credentialSubject/achievement/title/en_GB", "language"},
		{"misspelled extension type", func(_, a map[string]any) {
			for k := range euScopedTerms {
				delete(a, k) // else the first EU term is reported
			}
			a["type"] = []any{"Achievement", "EUMicrocredentialAchievement"}
		}, "/credentialSubject/achievement/type/1", `"EUMicrocredentialAchievement" is not defined`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := euExample(t, euCompleteExample)
			c.edit(doc, euAchievement(doc))
			_, err := euCanon(t, l, doc)
			var se *SafeModeError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, c.path, se.Path)
			assert.Contains(t, se.Reason, c.reason)
		})
	}

	// Without the extension type none of the EU terms is defined: the
	// first one (in key order) is reported.
	doc := euExample(t, euCompleteExample)
	euAchievement(doc)["type"] = []any{"Achievement"}
	_, err := euCanon(t, l, doc)
	var se *SafeModeError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "/credentialSubject/achievement/accreditation", se.Path)
}

// TestEUContextProtected: the context redefines no protected term (processing
// succeeds), a context that did would fail, and later contexts cannot
// redefine the EU terms inside an EU achievement.
func TestEUContextProtected(t *testing.T) {
	base := euExample(t, euCompleteExample)
	baseNQ, err := euCanon(t, euLoader(t), base)
	require.NoError(t, err)

	var ctxDoc map[string]any
	require.NoError(t, json.Unmarshal(euContextBytes(t), &ctxDoc))
	top := ctxDoc["@context"].(map[string]any)
	assert.Equal(t, true, top["@protected"])
	scoped := top["EUMicroCredentialAchievement"].(map[string]any)["@context"].(map[string]any)
	assert.Equal(t, true, scoped["@protected"])

	// Variants of the EU context that redefine a protected VC/OB term are
	// JSON-LD errors: the check that the real context passes is meaningful.
	bad := []struct {
		name string
		edit func(top, scoped map[string]any)
	}{
		{"top-level name", func(top, _ map[string]any) { top["name"] = "https://example.org/name" }},
		{"top-level Achievement", func(top, _ map[string]any) { top["Achievement"] = "https://example.org/Achievement" }},
		{"achievementType in the type-scoped context", func(_, sc map[string]any) {
			sc["achievementType"] = "https://example.org/achievementType"
		}},
		{"id in the type-scoped context", func(_, sc map[string]any) { sc["id"] = "https://example.org/id" }},
	}
	for _, b := range bad {
		t.Run("rejects "+b.name, func(t *testing.T) {
			var c map[string]any
			require.NoError(t, json.Unmarshal(euContextBytes(t), &c))
			top := c["@context"].(map[string]any)
			b.edit(top, top["EUMicroCredentialAchievement"].(map[string]any)["@context"].(map[string]any))
			raw, err := json.Marshal(c)
			require.NoError(t, err)
			// Not under the real URL: once that is pinned it cannot be
			// replaced.
			const variant = "https://example.org/contexts/eu-variant"
			l := NewLoader(nil)
			require.NoError(t, l.Register(variant, raw))
			doc := euClone(base).(map[string]any)
			doc["@context"] = []any{CredentialsV2URL, OB303URL, variant}
			_, err = euCanon(t, l, doc)
			var le *Error
			require.True(t, errors.As(err, &le), "got %T %v", err, err)
			assert.Contains(t, le.Code, "protected term redefinition")
		})
	}

	withContexts := func(ctx ...any) map[string]any {
		doc := euClone(base).(map[string]any)
		doc["@context"] = ctx
		return doc
	}
	l := euLoader(t)

	// A later context cannot take over the extension type ...
	_, err = euCanon(t, l, withContexts(CredentialsV2URL, OB303URL, euV1TestURL,
		map[string]any{"EUMicroCredentialAchievement": "https://evil.example/T"}))
	var le *Error
	require.True(t, errors.As(err, &le), "got %T %v", err, err)
	assert.Contains(t, le.Code, "protected term redefinition")

	// ... and a later top-level "mobility" does not reach into an EU
	// achievement, whose type-scoped definitions apply last.
	nq, err := euCanon(t, l, withContexts(CredentialsV2URL, OB303URL, euV1TestURL,
		map[string]any{"mobility": "https://evil.example/mobility", "relation": "https://evil.example/relation"}))
	require.NoError(t, err)
	assert.Equal(t, baseNQ, nq)

	// The EU context does not depend on coming last.
	nq, err = euCanon(t, l, withContexts(CredentialsV2URL, euV1TestURL, OB303URL))
	require.NoError(t, err)
	assert.Equal(t, baseNQ, nq)
}

// TestEUContextMultilingual shows the ways several languages survive
// signing. The EU "title" and the learning outcomes are language maps on EU
// terms. OB's own "name" is a plain term: value objects with @language (one
// or an array) are signed as language-tagged literals, but a language map on
// "name" is not defined by OB 3.0.3 and is refused.
func TestEUContextMultilingual(t *testing.T) {
	l := euLoader(t)
	base := euExample(t, euCompleteExample)

	doc := euClone(base).(map[string]any)
	euAchievement(doc)["name"] = []any{
		map[string]any{"@value": "Intercultural Competence for International Mobility", "@language": "en"},
		map[string]any{"@value": "Compétence interculturelle pour la mobilité internationale", "@language": "fr"},
		map[string]any{"@value": "Interculturele competentie voor internationale mobiliteit", "@language": "nl"},
	}
	nq, err := euCanon(t, l, doc)
	require.NoError(t, err)
	for _, s := range []string{
		`<https://schema.org/name> "Intercultural Competence for International Mobility"@en .`,
		`<https://schema.org/name> "Compétence interculturelle pour la mobilité internationale"@fr .`,
		`<https://schema.org/name> "Interculturele competentie voor internationale mobiliteit"@nl .`,
	} {
		assert.Contains(t, nq, s)
	}

	doc = euClone(base).(map[string]any)
	euAchievement(doc)["name"] = map[string]any{"en": "Intercultural Competence", "fr": "Compétence interculturelle"}
	_, err = euCanon(t, l, doc)
	var se *SafeModeError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "/credentialSubject/achievement/name/en", se.Path)

	// A plain string on a language-map term is still signed, as a literal
	// without a language tag (the profile asks for a language map; that is
	// for the validator, not for JSON-LD).
	doc = euClone(base).(map[string]any)
	euAchievement(doc)["title"] = "Intercultural Competence"
	nq, err = euCanon(t, l, doc)
	require.NoError(t, err)
	assert.Contains(t, nq, `<http://purl.org/dc/terms/title> "Intercultural Competence" .`)
}

// TestEUContextDocumentLoaderLimits: the context is an ordinary, small
// context document for the Loader, served under an https URL.
func TestEUContextDocumentLoaderLimits(t *testing.T) {
	b := euContextBytes(t)
	assert.Less(t, len(b), 16<<10)
	d, err := euLoader(t).Load(context.Background(), euV1TestURL)
	require.NoError(t, err)
	assert.Equal(t, b, d.Bytes)
	u, err := url.Parse(euV1TestURL)
	require.NoError(t, err)
	assert.Equal(t, "https", u.Scheme)
}

// TestEUContextEveryAliasExpands: each enumeration value alias (e.g. "online",
// "preparesFor", "ECTS") works in place in the complete example and is
// signed as its concept IRI.
func TestEUContextEveryAliasExpands(t *testing.T) {
	l := euLoader(t)
	base := euExample(t, euCompleteExample)
	var leaves []euLeaf
	euLeaves(base, nil, "", &leaves)
	iris := map[string]map[string]string{} // property → alias → IRI
	for _, term := range euTerms(t) {
		if len(term.path) > 0 {
			p := term.path[len(term.path)-1]
			if _, ok := term.def.(string); ok && p != "" {
				if iris[p] == nil {
					iris[p] = map[string]string{}
				}
				iris[p][term.name] = term.iri()
			}
		}
	}
	n := 0
	for prop, as := range euVocabAliases(t) {
		i := slices.IndexFunc(leaves, func(l euLeaf) bool { return l.prop == prop })
		require.GreaterOrEqual(t, i, 0, "the complete example uses %q", prop)
		for _, alias := range as {
			doc := euEdit(euClone(base), leaves[i].path, func(parent, key any) any { return euSet(parent, key, alias) })
			nq, err := euCanon(t, l, doc)
			require.NoError(t, err, "%s: %s", prop, alias)
			assert.Contains(t, nq, " <"+iris[prop][alias]+"> .\n", "%s: %s", prop, alias)
			n++
		}
	}
	assert.Equal(t, 48, n) // 2 credit systems, 4 cycles, 14 assessment types, 7 modes, 4 QA types, 4 supervision, 2 integration, 5+4+2 mobility
}

// TestEUContextVocabularyIsDocumented: docs/eu-profile/vocab.jsonld (the
// document for the project namespace) is valid JSON-LD in safe mode and
// describes every project term and concept the context uses.
func TestEUContextVocabularyIsDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/eu-profile/vocab.jsonld")
	require.NoError(t, err)
	nq, err := Canonicalize(context.Background(), euDecode(t, b), nil)
	require.NoError(t, err)
	described := func(iri string) bool {
		return strings.Contains(string(nq), "<"+iri+"> <http://www.w3.org/2000/01/rdf-schema#label> ") ||
			strings.Contains(string(nq), "<"+iri+"> <http://www.w3.org/2004/02/skos/core#prefLabel> ")
	}
	n := 0
	for _, term := range euTerms(t) {
		if iri := term.iri(); strings.HasPrefix(iri, euVocab) {
			assert.True(t, described(iri), "%s (%s) is not described in vocab.jsonld", iri, term.name)
			n++
		}
	}
	assert.Equal(t, 34, n)
}
