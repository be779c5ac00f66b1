package ld

// The json-gold expansion path that ld.Expand used before the expander in
// expander*.go replaced it. It is kept here, in test code only, as an
// independent oracle: the differential tests and FuzzExpander compare the
// expander with it. json-gold rewrites contexts it @imports in place, so it
// only ever gets deep copies of Loader documents (goldLoader).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	gold "github.com/piprate/json-gold/ld"
)

// goldLoader adapts a Loader to json-gold's DocumentLoader.
type goldLoader struct {
	ctx context.Context
	l   *Loader
}

func (g goldLoader) LoadDocument(u string) (*gold.RemoteDocument, error) {
	if err := g.ctx.Err(); err != nil {
		return nil, err
	}
	d, err := g.l.Load(g.ctx, u)
	if err != nil {
		return nil, gold.NewJsonLdError(gold.LoadingRemoteContextFailed, err)
	}
	return &gold.RemoteDocument{DocumentURL: u, Document: deepCopyJSON(d.parsed)}, nil
}

func deepCopyJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopyJSON(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = deepCopyJSON(e)
		}
		return a
	}
	return v
}

// expandGold runs json-gold's JSON-LD 1.1 expansion algorithm on doc (a decoded JSON
// value: map[string]any, []any, string, bool, nil, json.Number or float64)
// and, unless opts.DropUndefinedUnsafe, checks the result in safe mode.
// doc is not modified.
func expandGold(ctx context.Context, doc any, opts *Options) ([]any, error) {
	exp, err := expandRaw(ctx, doc, opts, !opts.unsafe(), nil)
	if err != nil {
		var ge *gold.JsonLdError
		if errors.As(err, &ge) && ge.Code == gold.InvalidProperty && !opts.unsafe() {
			return nil, locateDropped(ctx, doc, opts)
		}
		return nil, err
	}
	if !opts.unsafe() {
		if p := checkExpanded(exp); p != nil {
			return nil, locateProblem(ctx, doc, opts, p)
		}
	}
	return exp, nil
}

// expandRaw calls json-gold, turning its errors (and any panic on hostile
// input) into *Error values.
func expandRaw(ctx context.Context, doc any, opts *Options, safe bool, h gold.ElementHandler) (out []any, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, &Error{Code: "expansion failed", Err: fmt.Errorf("internal error: %v", r)}
		}
	}()
	jo := gold.NewJsonLdOptions("")
	jo.ProcessingMode = gold.JsonLd_1_1
	jo.DocumentLoader = goldLoader{ctx: ctx, l: opts.loader()}
	jo.SafeMode = safe
	jo.ExpandedElementHandler = h
	exp, err := gold.NewJsonLdProcessor().Expand(doc, jo)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		var ge *gold.JsonLdError
		if errors.As(err, &ge) {
			if ge.Code == gold.InvalidProperty {
				return nil, ge
			}
			return nil, &Error{Code: string(ge.Code), Err: fmt.Errorf("%v", ge.Details)}
		}
		return nil, &Error{Code: "expansion failed", Err: err}
	}
	return exp, nil
}

// problem is a safe-mode violation found in expanded output.
type problem struct {
	node   map[string]any // enclosing expanded node object, nil at top level
	value  any            // the offending value (a string, or a value object)
	reason string
}

// checkExpanded walks expanded JSON-LD and returns the first value that
// would be dropped or misrepresented when converting to RDF.
func checkExpanded(exp []any) *problem {
	for _, e := range exp {
		if p := checkElem(e, nil, true); p != nil {
			return p
		}
	}
	return nil
}

func checkElem(v any, node map[string]any, top bool) *problem {
	switch e := v.(type) {
	case []any:
		for _, x := range e {
			if p := checkElem(x, node, top); p != nil {
				return p
			}
		}
	case map[string]any:
		if val, ok := e["@value"]; ok {
			if top {
				return &problem{node: node, value: val, reason: "a value outside any node object is dropped"}
			}
			if t, ok := e["@type"].(string); ok && t != "@json" && !isAbsIRI(t) {
				return &problem{node: node, value: t, reason: fmt.Sprintf("datatype %q is not an absolute IRI (no context defines it)", t)}
			}
			if l, ok := e["@language"].(string); ok && !langTag.MatchString(l) {
				return &problem{node: node, value: l, reason: fmt.Sprintf("language tag %q is not well-formed", l)}
			}
			if d, ok := e["@direction"].(string); ok && d != "ltr" && d != "rtl" {
				return &problem{node: node, value: d, reason: fmt.Sprintf("direction %q is not ltr or rtl", d)}
			}
			return nil
		}
		if l, ok := e["@list"]; ok {
			return checkElem(l, node, top)
		}
		if s, ok := e["@set"]; ok {
			return checkElem(s, node, top)
		}
		// A node object.
		if id, ok := e["@id"].(string); ok && !isBlankID(id) && !isAbsIRI(id) {
			return &problem{node: e, value: id, reason: fmt.Sprintf("id %q is not an absolute IRI", id)}
		}
		if ts, ok := e["@type"].([]any); ok {
			for _, t := range ts {
				if s, ok := t.(string); ok && !isBlankID(s) && !isAbsIRI(s) {
					return &problem{node: e, value: s, reason: fmt.Sprintf("type %q is not defined by any context", s)}
				}
			}
		}
		for _, k := range sortedKeys(e) {
			val := e[k]
			switch k {
			case "@id", "@type", "@index":
				continue
			case "@graph", "@included":
				if p := checkElem(val, e, false); p != nil {
					return p
				}
				continue
			case "@reverse":
				if m, ok := val.(map[string]any); ok {
					for _, rk := range sortedKeys(m) {
						if p := checkProperty(e, rk, m[rk]); p != nil {
							return p
						}
					}
				}
				continue
			}
			if strings.HasPrefix(k, "@") {
				continue
			}
			if p := checkProperty(e, k, val); p != nil {
				return p
			}
		}
	}
	return nil
}

func checkProperty(node map[string]any, k string, val any) *problem {
	if isBlankID(k) {
		return &problem{node: node, value: k, reason: fmt.Sprintf("property %q is a blank node, which RDF does not allow as a predicate", k)}
	}
	if !isAbsIRI(k) {
		return &problem{node: node, value: k, reason: fmt.Sprintf("property %q is not an absolute IRI", k)}
	}
	return checkElem(val, node, false)
}

// mapID identifies a decoded JSON object by its identity.
func mapID(m map[string]any) uintptr { return reflect.ValueOf(m).Pointer() }

// locateProblem re-runs expansion with json-gold's element handler to learn
// the input pointer of each node object, finds the problem again, and
// returns a SafeModeError with the best path it can name.
func locateProblem(ctx context.Context, doc any, opts *Options, _ *problem) error {
	ptrs := map[uintptr]string{}
	h := func(pointer string, expanded any) {
		if m, ok := expanded.(map[string]any); ok {
			ptrs[mapID(m)] = pointer
		}
	}
	exp, err := expandRaw(ctx, doc, opts, true, h)
	if err != nil {
		return err
	}
	p := checkExpanded(exp)
	if p == nil { // cannot happen: expansion is deterministic
		return &SafeModeError{Reason: "document does not survive JSON-LD expansion"}
	}
	path := ""
	if p.node != nil {
		path = ptrs[mapID(p.node)]
		if src, ok := resolvePointer(doc, path); ok {
			if sub, ok := findValue(src, p.value); ok {
				path += sub
			}
		}
	}
	return &SafeModeError{Path: path, Reason: p.reason}
}

// findValue looks for a member of src (one level deep, or one array level
// below) whose value is v, and returns its pointer suffix.
func findValue(src any, v any) (string, bool) {
	m, ok := src.(map[string]any)
	if !ok {
		return "", false
	}
	want, isStr := v.(string)
	for _, k := range sortedKeys(m) {
		if isStr && k == want {
			return "/" + escapePointer(k), true
		}
		switch x := m[k].(type) {
		case string:
			if isStr && x == want {
				return "/" + escapePointer(k), true
			}
		case []any:
			for i, e := range x {
				if s, ok := e.(string); ok && isStr && s == want {
					return "/" + escapePointer(k) + "/" + strconv.Itoa(i), true
				}
				if em, ok := e.(map[string]any); ok && isStr {
					for ek, ev := range em {
						if s, ok := ev.(string); ok && s == want && strings.HasPrefix(ek, "@") {
							return "/" + escapePointer(k) + "/" + strconv.Itoa(i) + "/" + escapePointer(ek), true
						}
					}
				}
			}
		case map[string]any:
			for ek, ev := range x {
				if s, ok := ev.(string); ok && isStr && s == want && strings.HasPrefix(ek, "@") {
					return "/" + escapePointer(k) + "/" + escapePointer(ek), true
				}
			}
		}
	}
	return "", false
}

func unescapePointer(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
}

// resolvePointer follows an RFC 6901 pointer into a decoded JSON value.
func resolvePointer(doc any, ptr string) (any, bool) {
	if ptr == "" {
		return doc, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	cur := doc
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = unescapePointer(tok)
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// Limits of the search for dropped members (only run on the error path).
const (
	locateMaxBytes      = 512 << 10 // documents larger than this are not searched
	locateMaxExpansions = 96
	locateMaxFindings   = 8
)

// candidate is an object member that safe mode may have rejected.
type candidate struct {
	ptr string
	key string
}

// locateDropped finds which members json-gold's safe mode rejected. It
// keeps a growing prefix (in document pre-order) of the removable members
// and binary-searches the shortest prefix that still fails: its last member
// is undefined. Members named @context, id, type (and their @-forms) are
// never removed, as removing them changes how the rest expands.
func locateDropped(ctx context.Context, doc any, opts *Options) error {
	var cands []candidate
	collectCandidates(doc, "", &cands)
	size, _ := json.Marshal(doc)
	if len(size) > locateMaxBytes {
		return &SafeModeError{Reason: "a member is not defined by any context (document too large to locate it)"}
	}
	budget := locateMaxExpansions
	removedFound := map[string]bool{}
	var found []candidate
	fails := func(n int) (bool, error) {
		budget--
		keep := map[string]bool{}
		for _, c := range cands[:n] {
			if !removedFound[c.ptr] {
				keep[c.ptr] = true
			}
		}
		pruned := prune(doc, "", keep)
		_, err := expandRaw(ctx, pruned, opts, true, nil)
		if err == nil {
			return false, nil
		}
		var ge *gold.JsonLdError
		if errors.As(err, &ge) && ge.Code == gold.InvalidProperty {
			return true, nil
		}
		return false, err
	}
	for len(found) < locateMaxFindings && budget > 0 {
		// Does the document still fail with the found members removed?
		if bad, err := fails(len(cands)); err != nil || !bad {
			break
		}
		lo, hi := 0, len(cands) // fails(hi) is true; find the least such n
		if bad, _ := fails(0); bad {
			break // not attributable to a removable member
		}
		for hi-lo > 1 && budget > 0 {
			mid := (lo + hi) / 2
			bad, err := fails(mid)
			if err != nil {
				return err
			}
			if bad {
				hi = mid
			} else {
				lo = mid
			}
		}
		if hi-lo > 1 {
			break
		}
		c := cands[hi-1]
		found = append(found, c)
		removedFound[c.ptr] = true
	}
	if len(found) == 0 {
		return &SafeModeError{Reason: "a member is not defined by any context"}
	}
	e := &SafeModeError{Path: found[0].ptr, Reason: fmt.Sprintf("property %q is not defined by any context", found[0].key)}
	if len(found) > 1 {
		var more []string
		for _, c := range found[1:] {
			more = append(more, c.ptr)
		}
		e.Reason += " (also undefined: " + strings.Join(more, ", ") + ")"
	}
	return e
}

func isStructuralKey(k string) bool {
	switch k {
	case "@context", "id", "@id", "type", "@type":
		return true
	}
	return false
}

func collectCandidates(v any, ptr string, out *[]candidate) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			p := ptr + "/" + escapePointer(k)
			if k == "@context" {
				continue
			}
			if !isStructuralKey(k) {
				*out = append(*out, candidate{ptr: p, key: k})
			}
			collectCandidates(x[k], p, out)
		}
	case []any:
		for i, e := range x {
			collectCandidates(e, ptr+"/"+strconv.Itoa(i), out)
		}
	}
}

// prune deep-copies v, keeping object members that are structural or whose
// pointer is in keep.
func prune(v any, ptr string, keep map[string]bool) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			p := ptr + "/" + escapePointer(k)
			if k == "@context" {
				m[k] = e
				continue
			}
			if !isStructuralKey(k) && !keep[p] {
				continue
			}
			m[k] = prune(e, p, keep)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = prune(e, ptr+"/"+strconv.Itoa(i), keep)
		}
		return a
	}
	return v
}

// absIRI matches an absolute IRI as JSON-LD processors test it: a scheme,
// a colon, and no white space.
var absIRIScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*:`)

func isAbsIRI(s string) bool {
	if !absIRIScheme.MatchString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
}

var langTag = regexp.MustCompile(`^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$`)
