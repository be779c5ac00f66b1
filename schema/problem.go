package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/microcred/microcred/internal/jsonx"
)

// Problem is one way in which a document fails a schema.
type Problem struct {
	// InstancePath is the RFC 6901 JSON Pointer of the offending value in
	// the validated document ("" is the document itself). For a missing
	// required property, and for a property that is not allowed or whose
	// name is invalid, it points at that member ("/issuer").
	InstancePath string
	// Keyword is the schema keyword that failed: "required", "type",
	// "format", "contains", … For a value that matches none of the
	// alternatives of an anyOf or oneOf only by its JSON type, it is that
	// "anyOf" or "oneOf".
	Keyword string
	// KeywordPath is the JSON Pointer of the failing keyword in the
	// evaluation path from the schema's root, through every $ref followed
	// ("/properties/issuer/$ref/anyOf/0/$ref/required").
	KeywordPath string
	// SchemaLocation is the absolute location of the failing keyword: the
	// URL of the schema resource and a pointer into it
	// ("https://…/ob_v3p0_achievementcredential_schema.json#/$defs/Profile/required").
	SchemaLocation string
	// SchemaID is the URL of the schema that was applied (the root of
	// KeywordPath). It is empty, as are KeywordPath and SchemaLocation,
	// for the one problem ValidateCredential finds without a schema: a
	// type that selects no OB3 schema (InstancePath "/type").
	SchemaID string
	// Message says what is wrong in plain words.
	Message string
}

// String returns "<InstancePath>: <Message> (<SchemaLocation>)", with
// "(document)" for the document itself ("/" would be the member named "").
func (p Problem) String() string {
	path := p.InstancePath
	if path == "" {
		path = "(document)"
	}
	if p.SchemaLocation == "" {
		return path + ": " + p.Message
	}
	return fmt.Sprintf("%s: %s (%s)", path, p.Message, p.SchemaLocation)
}

// messagePrinter renders the library's messages for keywords this package
// does not word itself.
var messagePrinter = message.NewPrinter(language.English)

// leaf is a problem with what the flattening needs to know about it.
type leaf struct {
	Problem
	at        string   // pointer of the value the keyword was applied to
	typeOnly  bool     // a JSON type mismatch (type keyword, or alternatives that all failed so)
	got       string   // for typeOnly: the value's JSON type
	wantTypes []string // for typeOnly: the types the schema wanted
}

// flattener turns the library's error tree into a flat, deduplicated list
// of problems a human can act on.
//
// Leaves of the tree are problems; the nodes above them (the schema root,
// groups, $ref, allOf) only contribute their keyword path. anyOf and oneOf
// that matched no alternative need a choice, since listing why every
// alternative failed buries the real problem (the OB3 schemas offer "a
// string, or a language map" and "one value, or an array" almost
// everywhere):
//
//   - an alternative that failed only because the value has another JSON
//     type is dropped;
//   - of the rest, the one that fits best is kept: the fewest problems at
//     the value itself (its type, required members, member names), then
//     the fewest problems in all; when several fit equally well and each
//     has a single problem, one problem lists them as the alternatives
//     ("matches none of the 2 alternatives: (1) required property "ECTS"
//     is missing; (2) required property "SBU" is missing"), otherwise all
//     their problems are kept;
//   - if every alternative failed on the type alone, one problem says which
//     types would do ("must be a string or an object, not an array").
type flattener struct {
	doc      any
	schemaID string
	// fault is set when the tree reports a defect of the schema or of the
	// document rather than a failed assertion (a reference cycle, a value
	// that is not JSON); apply turns it into an error.
	fault error
}

func (f *flattener) problems(verr *jsonschema.ValidationError) []Problem {
	leaves := f.walk(verr, "", "", "")
	out := make([]Problem, 0, len(leaves))
	seen := make(map[Problem]bool, len(leaves))
	for _, l := range leaves {
		l.Problem.SchemaID = f.schemaID
		if !seen[l.Problem] {
			seen[l.Problem] = true
			out = append(out, l.Problem)
		}
	}
	sortProblems(out)
	return out
}

// walk flattens e. trusted is the instance pointer of the nearest ancestor
// whose location can be relied on; schemaURL and kwLoc carry the evaluation
// path the way the library's own output format computes it.
func (f *flattener) walk(e *jsonschema.ValidationError, trusted, schemaURL, kwLoc string) []leaf {
	ref, isRef := e.ErrorKind.(*kind.Reference)
	if schemaURL != "" && strings.HasPrefix(e.SchemaURL, schemaURL) {
		kwLoc += e.SchemaURL[len(schemaURL):]
		if isRef {
			kwLoc += pointer(ref.KeywordPath())
		}
	}
	keywordPath := kwLoc
	absLoc := e.SchemaURL + pointer(e.ErrorKind.KeywordPath())
	_, isPropNames := e.ErrorKind.(*kind.PropertyNames)
	switch {
	case isRef:
		schemaURL = ref.URL
	case isPropNames && strings.HasSuffix(e.SchemaURL, "/propertyNames"):
		// v6.0.3 records the propertyNames subschema as the location and
		// then appends the keyword again; keep it once.
		absLoc = e.SchemaURL
		schemaURL = e.SchemaURL
	default:
		schemaURL = e.SchemaURL
		keywordPath += pointer(e.ErrorKind.KeywordPath())
	}

	at := pointer(e.InstanceLocation)
	if isPropNames {
		// jsonschema v6.0.3 stores this location without copying it, so a
		// later sibling may have overwritten it (upstream issues #258,
		// #269). Recover it from the document.
		at = f.propertyNamesLocation(e, trusted)
	} else {
		trusted = at
	}
	mk := func(keyword, inst, msg string) leaf {
		return leaf{at: at, Problem: Problem{
			InstancePath: inst, Keyword: keyword, KeywordPath: keywordPath,
			SchemaLocation: absLoc, Message: msg,
		}}
	}
	children := func() []leaf {
		var out []leaf
		for _, c := range e.Causes {
			out = append(out, f.walk(c, trusted, schemaURL, kwLoc)...)
		}
		return out
	}

	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		return children()
	case *kind.AnyOf:
		return f.choose(e, "anyOf", at, keywordPath, absLoc, trusted, schemaURL, kwLoc)
	case *kind.OneOf:
		if len(k.Subschemas) == 0 {
			return f.choose(e, "oneOf", at, keywordPath, absLoc, trusted, schemaURL, kwLoc)
		}
		return []leaf{mk("oneOf", at, fmt.Sprintf("matches alternatives %d and %d where exactly one is allowed", k.Subschemas[0], k.Subschemas[1]))}
	case *kind.Type:
		l := mk("type", at, "must be "+typeList(k.Want)+", not "+article(k.Got))
		l.typeOnly, l.got, l.wantTypes = true, k.Got, k.Want
		return []leaf{l}
	case *kind.Required:
		out := make([]leaf, 0, len(k.Missing))
		for _, m := range k.Missing {
			out = append(out, mk("required", jsonx.AppendKey(at, m), fmt.Sprintf("required property %q is missing", m)))
		}
		return out
	case *kind.AdditionalProperties:
		out := make([]leaf, 0, len(k.Properties))
		for _, p := range k.Properties {
			out = append(out, mk("additionalProperties", jsonx.AppendKey(at, p), fmt.Sprintf("property %q is not allowed here", p)))
		}
		return out
	case *kind.PropertyNames:
		var why []string
		for _, c := range e.Causes {
			for _, l := range f.walk(c, at, "", "") {
				why = append(why, l.Message)
			}
		}
		msg := fmt.Sprintf("property name %q is not allowed", k.Property)
		if len(why) > 0 {
			msg += ": " + strings.Join(why, "; ")
		}
		return []leaf{mk("propertyNames", jsonx.AppendKey(at, k.Property), msg)}
	case *kind.Contains:
		return []leaf{mk("contains", at, containsMessage(e.Causes))}
	case *kind.MinContains:
		return []leaf{mk("minContains", at, fmt.Sprintf("must contain at least %d items that match the contains schema, has %d", k.Want, len(k.Got)))}
	case *kind.Enum:
		return []leaf{mk("enum", at, enumMessage(k.Got, k.Want))}
	case *kind.Const:
		return []leaf{mk("const", at, "must be "+display(k.Want)+", not "+display(k.Got))}
	case *kind.Format:
		what := k.Want
		switch what {
		case "date-time":
			what = "date-time (RFC 3339, such as 2024-03-15T09:30:00Z)"
		case "date":
			what = "date (RFC 3339 full-date, such as 2024-03-15)"
		}
		msg := fmt.Sprintf("%s is not a valid %s", display(k.Got), what)
		if k.Err != nil {
			msg += ": " + k.Err.Error()
		}
		return []leaf{mk("format", at, msg)}
	case *kind.Pattern:
		return []leaf{mk("pattern", at, fmt.Sprintf("%s does not match the pattern %s", display(k.Got), k.Want))}
	case *kind.MinItems:
		return []leaf{mk("minItems", at, fmt.Sprintf("must have at least %d %s, has %d", k.Want, plural(k.Want, "item"), k.Got))}
	case *kind.MaxItems:
		return []leaf{mk("maxItems", at, fmt.Sprintf("must have at most %d %s, has %d", k.Want, plural(k.Want, "item"), k.Got))}
	case *kind.AdditionalItems:
		return []leaf{mk("additionalItems", at, fmt.Sprintf("has %d more %s than allowed", k.Count, plural(k.Count, "item")))}
	case *kind.Not:
		// The library gives "not" no keyword path.
		l := mk("not", at, "must not match the schema at "+absLoc+"/not")
		l.KeywordPath += "/not"
		l.SchemaLocation += "/not"
		return []leaf{l}
	case *kind.FalseSchema:
		return []leaf{mk("false", at, "no value is allowed here")}
	case *kind.RefCycle:
		if f.fault == nil {
			f.fault = &InvalidSchemaError{URL: f.schemaID, Err: errors.New(k.LocalizedString(messagePrinter))}
		}
		return nil
	case *kind.InvalidJsonValue:
		if f.fault == nil {
			f.fault = fmt.Errorf("schema: %w: %s: %s", ErrInvalidDocument, at, k.LocalizedString(messagePrinter))
		}
		return nil
	}
	if len(e.Causes) > 0 {
		return children()
	}
	kw := ""
	if p := e.ErrorKind.KeywordPath(); len(p) > 0 {
		kw = p[0]
	}
	return []leaf{mk(kw, at, e.ErrorKind.LocalizedString(messagePrinter))}
}

// choose flattens an anyOf or oneOf that matched no alternative.
func (f *flattener) choose(e *jsonschema.ValidationError, keyword, at, keywordPath, absLoc, trusted, schemaURL, kwLoc string) []leaf {
	type alt struct {
		leaves     []leaf
		atValue    int
		typeOnly   bool
		got        string
		wantTypes  []string
		typeLeaves int
	}
	alts := make([]alt, 0, len(e.Causes))
	for _, c := range e.Causes {
		a := alt{leaves: f.walk(c, trusted, schemaURL, kwLoc), typeOnly: true}
		for _, l := range a.leaves {
			if l.at == at {
				a.atValue++
			}
			if l.typeOnly && l.at == at {
				a.got = l.got
				a.wantTypes = append(a.wantTypes, l.wantTypes...)
			} else {
				a.typeOnly = false
			}
		}
		if len(a.leaves) == 0 {
			a.typeOnly = false
		}
		alts = append(alts, a)
	}
	var best []alt
	for _, a := range alts {
		if a.typeOnly {
			continue
		}
		switch {
		case best == nil,
			a.atValue < best[0].atValue,
			a.atValue == best[0].atValue && len(a.leaves) < len(best[0].leaves):
			best = []alt{a}
		case a.atValue == best[0].atValue && len(a.leaves) == len(best[0].leaves):
			best = append(best, a)
		}
	}
	if len(best) == 1 {
		return best[0].leaves
	}
	if best != nil {
		// Equally good alternatives with one problem each: say so in one
		// problem, as either would do ("ECTS or SBU is required").
		single := true
		for _, a := range best {
			single = single && len(a.leaves) == 1
		}
		if !single {
			var out []leaf
			for _, a := range best {
				out = append(out, a.leaves...)
			}
			return out
		}
		msgs := make([]string, len(best))
		for i, a := range best {
			msgs[i] = fmt.Sprintf("(%d) %s", i+1, a.leaves[0].Message)
		}
		return []leaf{{at: at, Problem: Problem{InstancePath: at, Keyword: keyword, KeywordPath: keywordPath, SchemaLocation: absLoc,
			Message: fmt.Sprintf("matches none of the %d alternatives: %s", len(best), strings.Join(msgs, "; "))}}}
	}
	// Every alternative failed on the JSON type alone.
	var want []string
	got := ""
	for _, a := range alts {
		got = a.got
		for _, w := range a.wantTypes {
			if !slices.Contains(want, w) {
				want = append(want, w)
			}
		}
	}
	if len(want) == 0 {
		return []leaf{{at: at, Problem: Problem{InstancePath: at, Keyword: keyword, KeywordPath: keywordPath, SchemaLocation: absLoc,
			Message: "matches none of the allowed alternatives"}}}
	}
	return []leaf{{at: at, typeOnly: true, got: got, wantTypes: want, Problem: Problem{
		InstancePath: at, Keyword: keyword, KeywordPath: keywordPath, SchemaLocation: absLoc,
		Message: "must be " + typeList(want) + ", not " + article(got),
	}}}
}

// propertyNamesLocation finds the object a propertyNames error is about.
// The error's location has the right length but its tokens may have been
// overwritten; trusted is the location of the nearest reliable ancestor,
// which is that object or one of its ancestors. The object is the one at
// the right depth under trusted that has the property; if several do, the
// recorded location is used when it is one of them, else trusted.
func (f *flattener) propertyNamesLocation(e *jsonschema.ValidationError, trusted string) string {
	k := e.ErrorKind.(*kind.PropertyNames)
	base := splitPointer(trusted)
	extra := len(e.InstanceLocation) - len(base)
	if extra <= 0 {
		return trusted
	}
	start, ok := lookup(f.doc, base)
	if !ok {
		return trusted
	}
	var found []string
	var search func(v any, ptr string, depth int)
	search = func(v any, ptr string, depth int) {
		if len(found) > 1 {
			return
		}
		if depth == 0 {
			if m, ok := v.(map[string]any); ok {
				if _, has := m[k.Property]; has {
					found = append(found, ptr)
				}
			}
			return
		}
		switch v := v.(type) {
		case map[string]any:
			for key, c := range v {
				search(c, jsonx.AppendKey(ptr, key), depth-1)
			}
		case []any:
			for i, c := range v {
				search(c, jsonx.AppendIndex(ptr, i), depth-1)
			}
		}
	}
	search(start, trusted, extra)
	if len(found) == 1 {
		return found[0]
	}
	recorded := pointer(e.InstanceLocation)
	if slices.Contains(found, recorded) {
		return recorded
	}
	return trusted
}

// lookup returns the value at the given pointer tokens.
func lookup(doc any, tokens []string) (any, bool) {
	v := doc
	for _, t := range tokens {
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[t]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// pointer renders tokens as an RFC 6901 JSON Pointer.
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(jsonx.EscapeToken(t))
	}
	return b.String()
}

// splitPointer is the inverse of pointer.
func splitPointer(p string) []string {
	if p == "" {
		return nil
	}
	toks := strings.Split(p[1:], "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks
}

// sortProblems orders problems by instance path (array indexes compared as
// numbers), then keyword path and message, so output is stable.
func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if c := comparePointers(a.InstancePath, b.InstancePath); c != 0 {
			return c
		}
		if c := strings.Compare(a.SchemaID, b.SchemaID); c != 0 {
			return c
		}
		if c := strings.Compare(a.KeywordPath, b.KeywordPath); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
}

func comparePointers(a, b string) int {
	ta, tb := splitPointer(a), splitPointer(b)
	for i := 0; i < len(ta) && i < len(tb); i++ {
		if ta[i] == tb[i] {
			continue
		}
		na, ea := strconv.Atoi(ta[i])
		nb, eb := strconv.Atoi(tb[i])
		if ea == nil && eb == nil {
			if na < nb {
				return -1
			}
			return 1
		}
		return strings.Compare(ta[i], tb[i])
	}
	return len(ta) - len(tb)
}

// containsMessage describes a failed contains from why the items failed:
// when the contains schema is an enum or const (OB3's "type must contain
// AchievementCredential"), it names the values.
func containsMessage(causes []*jsonschema.ValidationError) string {
	var want []any
	for _, c := range causes {
		for c.ErrorKind != nil && len(c.Causes) == 1 {
			if _, ok := c.ErrorKind.(*kind.Reference); !ok {
				break
			}
			c = c.Causes[0]
		}
		switch k := c.ErrorKind.(type) {
		case *kind.Enum:
			for _, w := range k.Want {
				if !slices.ContainsFunc(want, func(x any) bool { return display(x) == display(w) }) {
					want = append(want, w)
				}
			}
			continue
		case *kind.Const:
			if !slices.ContainsFunc(want, func(x any) bool { return display(x) == display(k.Want) }) {
				want = append(want, k.Want)
			}
			continue
		}
		return "must contain an item that matches the contains schema"
	}
	if len(want) == 0 {
		return "must contain an item that matches the contains schema"
	}
	parts := make([]string, len(want))
	for i, w := range want {
		parts[i] = display(w)
	}
	return "must contain " + orList(parts)
}

// enumMessage lists the allowed values, at most ten of them.
func enumMessage(got any, want []any) string {
	parts := make([]string, 0, len(want))
	for i, w := range want {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("… (%d more)", len(want)-10))
			break
		}
		parts = append(parts, display(w))
	}
	if len(want) == 1 {
		return "must be " + parts[0] + ", not " + display(got)
	}
	return display(got) + " is not one of " + strings.Join(parts, ", ")
}

// display renders a JSON value briefly: strings quoted, long values cut.
func display(v any) string {
	var s string
	switch v := v.(type) {
	case string:
		s = strconv.Quote(v)
	case json.Number:
		s = v.String()
	default:
		b, err := json.Marshal(v)
		if err != nil {
			s = fmt.Sprintf("%v", v)
		} else {
			s = string(b)
		}
	}
	if len(s) > 80 {
		r := []rune(s)
		if len(r) > 77 {
			s = string(r[:77]) + "…"
		}
	}
	return s
}

func typeList(ts []string) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = article(t)
	}
	return orList(parts)
}

func orList(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// article names a JSON type with its article: "an array", "a string".
func article(t string) string {
	switch t {
	case "null":
		return "null"
	case "array", "object", "integer":
		return "an " + t
	}
	return "a " + t
}

func plural(n int, s string) string {
	if n == 1 {
		return s
	}
	return s + "s"
}
