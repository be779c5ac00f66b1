package ld

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// This file holds microcred's own JSON-LD 1.1 expansion (JSON-LD 1.1
// Processing Algorithms and API, §5.1 Expansion and §5.3 Value Expansion),
// with safe mode built in. Its context side (context processing, term
// definitions, IRI expansion and the processed-context cache) is in
// expander_context.go.
//
// Differences from a plain JSON-LD 1.1 processor:
//
//   - Only processing mode json-ld-1.1; frame expansion is not supported.
//   - In safe mode, instead of dropping data silently, expansion stops with
//     a *SafeModeError whose Path is the RFC 6901 pointer of the offending
//     member of the input: a key that expands to nothing or to a relative
//     IRI, a blank-node property, an @id or @type (or @type-map key, @id-map
//     key, @type: @id value) that is not an absolute IRI, a datatype that is
//     not an absolute IRI, a malformed language tag, and a free-floating
//     value or list (one that is not the value of any property and so is not
//     in the RDF dataset), and a keyword that means nothing where it is
//     (such as @vocab or @none as a key of a node object, directly or
//     through an alias). @index is not reported, as in Expand.
//   - Members are visited in the order JSON-LD uses: the keys of each object
//     sorted by code point, array items in order, depth first. The first
//     problem in that order is the one reported.

// maxExpandDepth bounds the nesting of the input the expander walks. The
// JSON parser already bounds documents to 64 levels; this guards callers
// that build values in memory (or cyclic ones).
const maxExpandDepth = 512

// expandOptions are the options of expandWith.
type expandOptions struct {
	// base is the document's base IRI; "" means none.
	base string
	// expandContext is a context applied before the document's own.
	expandContext any
	// safe turns safe mode on.
	safe bool
}

// expander is the state of one expansion.
type expander struct {
	ctx    context.Context
	loader *Loader
	lcache *procCache
	// memo holds the contexts processed in this call that are cached
	// nowhere else (see levelCall).
	memo map[procKey]*activeCtx
	safe bool

	docs         []loadedDoc // context documents loaded, by URL
	foreignLoads int         // uses of documents that are not embedded
	workDone     int         // context-processing work (see maxContextWork)
	depth        int         // context-processing recursion
	edepth       int         // expansion recursion
	objects      int         // objects expanded, for cancellation checks

	keyStack []string // backing store for sorted key lists
}

// expandFast expands doc (a decoded JSON value) with the JSON-LD 1.1
// expansion algorithm, loading contexts from l (nil means DefaultLoader()).
// There is no base IRI. With safe set, it returns a *SafeModeError for the
// first member (in the order described above) that expansion would drop or
// that could not be represented in RDF; otherwise it drops such members as
// JSON-LD does. Other problems are reported as *Error values with a JSON-LD
// error code. doc is not modified; the result shares no maps or slices with
// it, except the values of @json literals.
func expandFast(ctx context.Context, doc any, l *Loader, safe bool) ([]any, error) {
	return expandWith(ctx, doc, l, expandOptions{safe: safe})
}

// expandWith is expandFast with a base IRI and an expandContext.
func expandWith(ctx context.Context, doc any, l *Loader, o expandOptions) (out []any, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, &Error{Code: "expansion failed", Err: fmt.Errorf("internal error: %v", r)}
		}
	}()
	if l == nil {
		l = defaultLoader
	}
	e := &expander{ctx: ctx, loader: l, lcache: loaderCache(l), safe: o.safe}
	root := sharedRoot
	if o.base != "" {
		root = newActiveCtx(o.base, levelCall)
	}
	if o.expandContext != nil {
		c := o.expandContext
		if m, ok := c.(map[string]any); ok {
			if inner, ok := m["@context"]; ok {
				c = inner
			}
		}
		if root, err = e.processLocal(root, c, o.base); err != nil {
			return nil, err
		}
	}
	v, err := e.expand(root, "", doc, o.base, false, nil)
	if err != nil {
		return nil, err
	}
	if m, ok := v.(map[string]any); ok && len(m) == 1 {
		if g, ok := m["@graph"]; ok {
			v = g
		}
	}
	switch x := v.(type) {
	case nil:
		return []any{}, nil
	case []any:
		return x, nil
	}
	return []any{v}, nil
}

// jpath is a JSON Pointer under construction: a linked list from a member
// to the root, built on the stack as the expander descends and rendered
// only when a safe-mode error is reported. The root is the nil *jpath.
type jpath struct {
	up  *jpath
	key string
	idx int // array index, or -1 for an object member
}

// child returns the path of member k of the object at p.
func (p *jpath) child(k string) jpath { return jpath{up: p, key: k, idx: -1} }

// at returns the path of item i of the array at p.
func (p *jpath) at(i int) jpath { return jpath{up: p, idx: i} }

// String renders p as an RFC 6901 JSON Pointer.
func (p *jpath) String() string {
	var segs []string
	for q := p; q != nil; q = q.up {
		if q.idx >= 0 {
			segs = append(segs, strconv.Itoa(q.idx))
		} else {
			segs = append(segs, escapePointer(q.key))
		}
	}
	var b strings.Builder
	for i := len(segs) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(segs[i])
	}
	return b.String()
}

// safeErr returns a safe-mode error for the member at p.
func safeErr(p *jpath, format string, args ...any) error {
	return &SafeModeError{Path: p.String(), Reason: fmt.Sprintf(format, args...)}
}

// sortedKeys returns the keys of m sorted by code point, in storage that
// stays valid until the matching release.
func (e *expander) sortedKeys(m map[string]any) (keys []string, mark int) {
	mark = len(e.keyStack)
	for k := range m {
		e.keyStack = append(e.keyStack, k)
	}
	keys = e.keyStack[mark:len(e.keyStack):len(e.keyStack)]
	slices.Sort(keys)
	return keys, mark
}

// release frees the key storage taken since mark.
func (e *expander) release(mark int) { e.keyStack = e.keyStack[:mark] }

// expandKey IRI-expands an object key (vocabulary-relative); "" means null.
func (e *expander) expandKey(ac *activeCtx, k string) string {
	x, ok, _ := e.expandIRI(ac, k, false, true, nil)
	if !ok {
		return ""
	}
	return x
}

// expand is the Expansion algorithm (§5.1.2) for one element. prop is the
// active property ("" for null). It returns nil for null.
func (e *expander) expand(ac *activeCtx, prop string, elem any, baseURL string, fromMap bool, p *jpath) (any, error) {
	e.edepth++
	defer func() { e.edepth-- }()
	if e.edepth > maxExpandDepth {
		return nil, ldError("expansion failed", "document nested deeper than %d levels", maxExpandDepth)
	}
	switch v := elem.(type) {
	case nil:
		return nil, nil
	case []any:
		return e.expandArray(ac, prop, v, baseURL, fromMap, p)
	case map[string]any:
		return e.expandObject(ac, prop, v, baseURL, fromMap, p)
	}
	// Step 4: a scalar.
	if prop == "" || prop == "@graph" {
		if e.safe {
			return nil, safeErr(p, "a value outside any node object is dropped")
		}
		return nil, nil
	}
	if td := ac.terms[prop]; td != nil && td.hasCtx {
		var err error
		if ac, err = e.processScoped(ac, td, ac.level, true, true); err != nil {
			return nil, err
		}
	}
	return e.expandValue(ac, prop, elem, p)
}

// expandArray is step 5 of the Expansion algorithm.
func (e *expander) expandArray(ac *activeCtx, prop string, a []any, baseURL string, fromMap bool, p *jpath) (any, error) {
	out := make([]any, 0, len(a))
	list := false
	if td := ac.terms[prop]; td != nil && td.container&cList != 0 {
		list = true
	}
	for i, item := range a {
		ip := p.at(i)
		x, err := e.expand(ac, prop, item, baseURL, fromMap, &ip)
		if err != nil {
			return nil, err
		}
		switch xv := x.(type) {
		case nil:
		case []any:
			if list {
				out = append(out, map[string]any{"@list": xv})
			} else {
				out = append(out, xv...)
			}
		default:
			out = append(out, x)
		}
	}
	return out, nil
}

// expandValue is the Value Expansion algorithm (§5.3.2) for a scalar v at p.
func (e *expander) expandValue(ac *activeCtx, prop string, v any, p *jpath) (any, error) {
	td := ac.terms[prop]
	s, isStr := v.(string)
	if td != nil && isStr && (td.typ == "@id" || td.typ == "@vocab") {
		id, ok, err := e.expandIRI(ac, s, true, td.typ == "@vocab", nil)
		if err != nil {
			return nil, err
		}
		if !ok {
			if e.safe {
				return nil, safeErr(p, "id %q is not an absolute IRI", s)
			}
			return map[string]any{"@id": nil}, nil
		}
		if e.safe && !isBlankID(id) && !validIRI(id) {
			return nil, safeErr(p, "id %q is not an absolute IRI", id)
		}
		return map[string]any{"@id": id}, nil
	}
	res := map[string]any{"@value": v}
	if td != nil && td.typ != "" && td.typ != "@id" && td.typ != "@vocab" && td.typ != "@none" {
		if e.safe && td.typ != "@json" && !validIRI(td.typ) {
			return nil, safeErr(p, "datatype %q is not an absolute IRI (no context defines it)", td.typ)
		}
		res["@type"] = td.typ
		return res, nil
	}
	if !isStr {
		return res, nil
	}
	lang, hasLang := ac.lang, ac.hasLang
	dir := ac.dir
	if td != nil {
		if td.langSet {
			lang, hasLang = td.lang, !td.langNull
		}
		if td.dirSet {
			dir = td.dir
		}
	}
	if hasLang {
		if e.safe && !wellFormedLang(lang) {
			return nil, safeErr(p, "language tag %q is not well-formed", lang)
		}
		res["@language"] = lang
	}
	if dir != "" {
		res["@direction"] = dir
	}
	return res, nil
}

// nodeState is the result under construction for one object (steps 12–14).
type nodeState struct {
	result map[string]any
	// m is the object the state was made for (for the input type).
	m map[string]any
	// inputType is the expanded last @type value of m, once computed.
	inputType    string
	hasInputType bool
	// typeKey and langKey are the input keys that gave @type and
	// @language, to name them in safe-mode errors.
	typeKey, langKey string
}

// expandObject is steps 6–20 of the Expansion algorithm.
func (e *expander) expandObject(ac *activeCtx, prop string, m map[string]any, baseURL string, fromMap bool, p *jpath) (any, error) {
	e.objects++
	if e.objects&63 == 0 {
		if err := e.ctx.Err(); err != nil {
			return nil, err
		}
	}
	keys, mark := e.sortedKeys(m)
	defer e.release(mark)
	var err error
	// Step 3.
	var propTD *termDef
	propLevel := ac.level
	if prop != "" {
		propTD = ac.terms[prop]
	}
	// Step 7: revert a non-propagated context at a new node object.
	if ac.prev != nil && !fromMap {
		revert := true
		for _, k := range keys {
			if x := e.expandKey(ac, k); x == "@value" || (len(keys) == 1 && x == "@id") {
				revert = false
				break
			}
		}
		if revert {
			ac = ac.prev
		}
	}
	// Step 8.
	if propTD != nil && propTD.hasCtx {
		if ac, err = e.processScoped(ac, propTD, propLevel, true, true); err != nil {
			return nil, err
		}
	}
	// Step 9.
	if c, ok := m["@context"]; ok {
		if ac, err = e.processLocal(ac, c, baseURL); err != nil {
			return nil, err
		}
	}
	// Steps 10–11: type-scoped contexts.
	typeScoped := ac
	for _, k := range keys {
		if e.expandKey(ac, k) != "@type" {
			continue
		}
		var types []string
		switch t := m[k].(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				if s, ok := x.(string); ok {
					types = append(types, s)
				}
			}
			slices.Sort(types)
		}
		for _, t := range types {
			if td := typeScoped.terms[t]; td != nil && td.hasCtx {
				if ac, err = e.processScoped(ac, td, typeScoped.level, false, false); err != nil {
					return nil, err
				}
			}
		}
	}
	// Steps 12–14.
	st := &nodeState{result: map[string]any{}, m: m}
	if err := e.expandEntries(st, ac, typeScoped, prop, m, keys, baseURL, p); err != nil {
		return nil, err
	}
	return e.finishObject(st, prop, p)
}

// inputTypeOf returns the input type of st (step 12): the last value of the
// first entry expanding to @type, IRI-expanded.
func (e *expander) inputTypeOf(st *nodeState, ac *activeCtx) string {
	if st.hasInputType {
		return st.inputType
	}
	st.hasInputType = true
	keys, mark := e.sortedKeys(st.m)
	defer e.release(mark)
	for _, k := range keys {
		if e.expandKey(ac, k) != "@type" {
			continue
		}
		var last any = st.m[k]
		if a, ok := last.([]any); ok {
			if len(a) == 0 {
				break
			}
			last = a[len(a)-1]
		}
		if s, ok := last.(string); ok {
			x, _, _ := e.expandIRI(ac, s, true, true, nil)
			st.inputType = x
		}
		break
	}
	return st.inputType
}

// hasValueKey reports whether a key of m expands to @value.
func (e *expander) hasValueKey(ac *activeCtx, m map[string]any) bool {
	for k := range m {
		if e.expandKey(ac, k) == "@value" {
			return true
		}
	}
	return false
}

// asArray returns v as an array: nil as an empty array, an array as it is,
// anything else as a one-item array.
func asArray(v any) []any {
	switch x := v.(type) {
	case nil:
		return []any{}
	case []any:
		return x
	}
	return []any{v}
}

// addValues appends v (an array's items, or v itself) to the array at
// m[k].
func addValues(m map[string]any, k string, v any) {
	cur, _ := m[k].([]any)
	switch x := v.(type) {
	case []any:
		if cur == nil {
			m[k] = x
			return
		}
		m[k] = append(cur, x...)
	default:
		m[k] = append(cur, v)
	}
}

// isValueObject reports whether v is a value object (a map with @value).
func isValueObject(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, ok = m["@value"]
	return ok
}

// isListObject reports whether v is a list object (a map with @list).
func isListObject(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, ok = m["@list"]
	return ok
}

// isGraphObject reports whether v is a graph object: a map with @graph and
// at most @id, @index and @context besides.
func isGraphObject(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	if _, ok := m["@graph"]; !ok {
		return false
	}
	for k := range m {
		switch k {
		case "@graph", "@id", "@index", "@context":
		default:
			return false
		}
	}
	return true
}

// expandEntries is step 13 (and, for nested properties, step 14) of the
// Expansion algorithm: it expands the entries of m into st.result.
func (e *expander) expandEntries(st *nodeState, ac, typeScoped *activeCtx, prop string, m map[string]any, keys []string, baseURL string, p *jpath) error {
	result := st.result
	var nests []string
	for _, key := range keys {
		if key == "@context" {
			continue
		}
		kp := p.child(key)
		xp, ok, err := e.expandIRI(ac, key, false, true, nil)
		if err != nil {
			return err
		}
		if !ok || (!strings.Contains(xp, ":") && !isKeyword(xp)) {
			if e.safe {
				return safeErr(&kp, "property %q is not defined by any context", key)
			}
			continue
		}
		value := m[key]
		if isKeyword(xp) {
			if prop == "@reverse" {
				return ldError("invalid reverse property map", "keyword %s cannot be used in @reverse", key)
			}
			if _, dup := result[xp]; dup && xp != "@included" && xp != "@type" {
				return ldError("colliding keywords", "%s appears more than once", xp)
			}
			var ev any
			switch xp {
			case "@id":
				s, ok := value.(string)
				if !ok {
					return ldError("invalid @id value", "@id must be a string")
				}
				id, ok, err := e.expandIRI(ac, s, true, false, nil)
				if err != nil {
					return err
				}
				if e.safe && (!ok || (!isBlankID(id) && !validIRI(id))) {
					return safeErr(&kp, "id %q is not an absolute IRI", s)
				}
				if !ok {
					// The spec keeps @id: null (13.4.16), which json-gold writes
					// as ""; no triple uses it.
					result["@id"] = "" // json-gold's form of null
					continue
				}
				ev = id
			case "@type":
				switch t := value.(type) {
				case string:
					x, err := e.expandType(typeScoped, ac, st, t, &kp)
					if err != nil {
						return err
					}
					ev = x
				case []any:
					out := make([]any, 0, len(t))
					for i, item := range t {
						s, ok := item.(string)
						if !ok {
							return ldError("invalid type value", "@type values must be strings")
						}
						ip := kp.at(i)
						x, err := e.expandType(typeScoped, ac, st, s, &ip)
						if err != nil {
							return err
						}
						if x != nil {
							out = append(out, x)
						}
					}
					ev = out
				default:
					return ldError("invalid type value", "@type must be a string or an array of strings")
				}
				if cur, ok := result["@type"]; ok {
					ev = append(slices.Clone(asArray(cur)), asArray(ev)...)
				}
				st.typeKey = key
			case "@graph":
				x, err := e.expand(ac, "@graph", value, baseURL, false, &kp)
				if err != nil {
					return err
				}
				ev = asArray(x)
			case "@included":
				// With @included as the active property, scalars become
				// value objects and are rejected below instead of dropped.
				x, err := e.expand(ac, "@included", value, baseURL, false, &kp)
				if err != nil {
					return err
				}
				arr := asArray(x)
				for _, it := range arr {
					im, ok := it.(map[string]any)
					if !ok || isValueObject(im) || isListObject(im) {
						return ldError("invalid @included value", "@included values must be node objects")
					}
					if _, ok := im["@set"]; ok {
						return ldError("invalid @included value", "@included values must be node objects")
					}
				}
				if cur, ok := result["@included"]; ok {
					arr = append(slices.Clone(asArray(cur)), arr...)
				}
				ev = arr
			case "@value":
				if e.inputTypeOf(st, ac) == "@json" {
					result["@value"] = value
					continue
				}
				switch value.(type) {
				case map[string]any, []any:
					return ldError("invalid value object value", "@value must be a scalar or null")
				case nil:
					result["@value"] = nil
					continue
				}
				ev = value
			case "@language":
				s, ok := value.(string)
				if !ok {
					return ldError("invalid language-tagged string", "@language must be a string")
				}
				ev = strings.ToLower(s)
				st.langKey = key
			case "@direction":
				if value != "ltr" && value != "rtl" {
					return ldError("invalid base direction", "@direction must be \"ltr\" or \"rtl\"")
				}
				ev = value
			case "@index":
				if _, ok := value.(string); !ok {
					return ldError("invalid @index value", "@index must be a string")
				}
				ev = value
			case "@list":
				if prop == "" || prop == "@graph" {
					if e.safe {
						if a, ok := value.([]any); !ok || len(a) > 0 {
							return safeErr(&kp, "a list outside any node object is dropped")
						}
					}
					continue
				}
				x, err := e.expand(ac, prop, value, baseURL, false, &kp)
				if err != nil {
					return err
				}
				ev = asArray(x)
			case "@set":
				x, err := e.expand(ac, prop, value, baseURL, false, &kp)
				if err != nil {
					return err
				}
				ev = x
			case "@reverse":
				vm, ok := value.(map[string]any)
				if !ok {
					return ldError("invalid @reverse value", "@reverse must be an object")
				}
				x, err := e.expand(ac, "@reverse", vm, baseURL, false, &kp)
				if err != nil {
					return err
				}
				xm, _ := x.(map[string]any)
				if rr, ok := xm["@reverse"].(map[string]any); ok {
					for rp, items := range rr {
						addValues(result, rp, slices.Clone(asArray(items)))
					}
				}
				for rp, items := range xm {
					if rp == "@reverse" {
						continue
					}
					rm, _ := result["@reverse"].(map[string]any)
					if rm == nil {
						rm = map[string]any{}
						result["@reverse"] = rm
					}
					for _, it := range asArray(items) {
						if isValueObject(it) || isListObject(it) {
							return ldError("invalid reverse property value", "a reverse property value must be a node object")
						}
					}
					addValues(rm, rp, slices.Clone(asArray(items)))
				}
				continue
			case "@nest":
				nests = append(nests, key)
				continue
			default:
				// A keyword that has no meaning in a node or value object
				// (@base, @vocab, @none, …): JSON-LD drops it.
				if e.safe {
					return safeErr(&kp, "keyword %s has no meaning here and would be dropped", xp)
				}
				continue
			}
			if ev != nil {
				result[xp] = ev
			}
			continue
		}
		// A property.
		if e.safe {
			if isBlankID(xp) {
				return safeErr(&kp, "property %q is a blank node, which RDF does not allow as a predicate", key)
			}
			if !validIRI(xp) {
				return safeErr(&kp, "property %q is not an absolute IRI", xp)
			}
		}
		td := ac.terms[key]
		var container uint16
		if td != nil {
			container = td.container
		}
		var ev any
		vm, isMap := value.(map[string]any)
		switch {
		case td != nil && td.typ == "@json":
			ev = map[string]any{"@value": value, "@type": "@json"}
		case container&cLanguage != 0 && isMap:
			ev, err = e.expandLanguageMap(ac, td, vm, &kp)
		case container&(cIndex|cType|cID) != 0 && isMap:
			ev, err = e.expandIndexMap(ac, key, td, vm, baseURL, &kp)
		default:
			ev, err = e.expand(ac, key, value, baseURL, false, &kp)
		}
		if err != nil {
			return err
		}
		if ev == nil {
			continue
		}
		if container&cList != 0 && !isListObject(ev) {
			ev = map[string]any{"@list": asArray(ev)}
		}
		if container&cGraph != 0 && container&(cID|cIndex) == 0 {
			arr := asArray(ev)
			out := make([]any, len(arr))
			for i, it := range arr {
				out[i] = map[string]any{"@graph": asArray(it)}
			}
			ev = out
		}
		if td != nil && td.reverse {
			rm, _ := result["@reverse"].(map[string]any)
			if rm == nil {
				rm = map[string]any{}
				result["@reverse"] = rm
			}
			arr := asArray(ev)
			for _, it := range arr {
				if isValueObject(it) || isListObject(it) {
					return ldError("invalid reverse property value", "a reverse property value must be a node object")
				}
			}
			addValues(rm, xp, arr)
			continue
		}
		addValues(result, xp, ev)
	}
	// Step 14: nested properties.
	for _, nk := range nests {
		np := p.child(nk)
		for i, nv := range asArray(m[nk]) {
			ip := np.at(i)
			ipp := &ip
			if _, isArr := m[nk].([]any); !isArr {
				ipp = &np
			}
			nm, ok := nv.(map[string]any)
			if !ok {
				return ldError("invalid @nest value", "a nested value must be an object")
			}
			nkeys, mark := e.sortedKeys(nm)
			for _, k := range nkeys {
				if e.expandKey(ac, k) == "@value" {
					e.release(mark)
					return ldError("invalid @nest value", "a nested value must not be a value object")
				}
			}
			nac := ac
			if td := ac.terms[nk]; td != nil && td.hasCtx {
				var err error
				if nac, err = e.processScoped(ac, td, ac.level, true, true); err != nil {
					e.release(mark)
					return err
				}
			}
			err := e.expandEntries(st, nac, typeScoped, nk, nm, nkeys, baseURL, ipp)
			e.release(mark)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// expandType IRI-expands one @type value and, in safe mode, checks it.
// ac and st (the active context and the object's state) only serve to word
// the error.
func (e *expander) expandType(typeScoped, ac *activeCtx, st *nodeState, s string, p *jpath) (any, error) {
	x, ok, err := e.expandIRI(typeScoped, s, true, true, nil)
	if err != nil {
		return nil, err
	}
	if e.safe && (!ok || (!isBlankID(x) && !validIRI(x))) {
		isValue := st != nil && e.hasValueKey(ac, st.m)
		switch {
		case ok && x == "@json" && isValue:
			// A JSON literal: fine.
		case isValue:
			return nil, safeErr(p, "datatype %q is not an absolute IRI (no context defines it)", s)
		case ok && x == "@json":
			return nil, safeErr(p, "type %q (@json) types a value, not a node", s)
		default:
			return nil, safeErr(p, "type %q is not defined by any context", s)
		}
	}
	if !ok {
		return nil, nil
	}
	return x, nil
}

// expandLanguageMap is step 13.7 of the Expansion algorithm.
func (e *expander) expandLanguageMap(ac *activeCtx, td *termDef, vm map[string]any, p *jpath) (any, error) {
	out := []any{}
	dir := ac.dir
	if td.dirSet {
		dir = td.dir
	}
	langs, mark := e.sortedKeys(vm)
	defer e.release(mark)
	for _, lang := range langs {
		lp := p.child(lang)
		lv := vm[lang]
		items, isArr := lv.([]any)
		if !isArr {
			items = []any{lv}
		}
		xl := e.expandKey(ac, lang)
		for _, item := range items {
			if item == nil {
				continue
			}
			s, ok := item.(string)
			if !ok {
				return nil, ldError("invalid language map value", "language map values must be strings")
			}
			v := map[string]any{"@value": s}
			if lang != "@none" && xl != "@none" {
				if e.safe && !wellFormedLang(lang) {
					return nil, safeErr(&lp, "language tag %q is not well-formed", lang)
				}
				v["@language"] = strings.ToLower(lang)
			}
			if dir != "" {
				v["@direction"] = dir
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// expandIndexMap is step 13.8 of the Expansion algorithm: index, id and
// type maps.
func (e *expander) expandIndexMap(ac *activeCtx, key string, td *termDef, vm map[string]any, baseURL string, p *jpath) (any, error) {
	out := []any{}
	container := td.container
	indexKey := "@index"
	if td.index != "" {
		indexKey = td.index
	}
	idxs, mark := e.sortedKeys(vm)
	defer e.release(mark)
	for _, index := range idxs {
		ip := p.child(index)
		mapCtx := ac
		if container&(cID|cType) != 0 && ac.prev != nil {
			mapCtx = ac.prev
		}
		if container&cType != 0 {
			if itd := mapCtx.terms[index]; itd != nil && itd.hasCtx {
				var err error
				if mapCtx, err = e.processScoped(mapCtx, itd, mapCtx.level, false, true); err != nil {
					return nil, err
				}
			}
		} else {
			mapCtx = ac
		}
		xIndex := e.expandKey(ac, index)
		iv := vm[index]
		items, err := e.expand(mapCtx, key, asArrayNoCopy(iv), baseURL, true, &ip)
		if err != nil {
			return nil, err
		}
		for _, item := range asArray(items) {
			if container&cGraph != 0 && !isGraphObject(item) {
				item = map[string]any{"@graph": asArray(item)}
			}
			im, ok := item.(map[string]any)
			if !ok {
				out = append(out, item)
				continue
			}
			switch {
			case container&cIndex != 0 && indexKey != "@index" && xIndex != "@none":
				re, err := e.expandValue(ac, indexKey, index, &ip)
				if err != nil {
					return nil, err
				}
				xik := e.expandKey(ac, indexKey)
				vals := append([]any{re}, asArrayNoCopy(im[xik])...)
				if _, ok := im[xik]; !ok {
					vals = []any{re}
				}
				im[xik] = vals
				if isValueObject(im) {
					return nil, ldError("invalid value object", "a value object cannot have an index property")
				}
			case container&cIndex != 0 && xIndex != "@none":
				if _, ok := im["@index"]; !ok {
					im["@index"] = index
				}
			case container&cID != 0 && xIndex != "@none":
				if _, ok := im["@id"]; !ok {
					id, ok, err := e.expandIRI(ac, index, true, false, nil)
					if err != nil {
						return nil, err
					}
					if e.safe && (!ok || (!isBlankID(id) && !validIRI(id))) {
						return nil, safeErr(&ip, "id %q is not an absolute IRI", index)
					}
					if ok {
						im["@id"] = id
					}
				}
			case container&cType != 0 && xIndex != "@none":
				if e.safe && !isBlankID(xIndex) && !validIRI(xIndex) {
					return nil, safeErr(&ip, "type %q is not defined by any context", index)
				}
				types := []any{xIndex}
				if cur, ok := im["@type"]; ok {
					types = append(types, asArrayNoCopy(cur)...)
				}
				im["@type"] = types
			}
			out = append(out, im)
		}
	}
	return out, nil
}

// asArrayNoCopy is asArray for values that are only read.
func asArrayNoCopy(v any) []any {
	if v == nil {
		return nil
	}
	return asArray(v)
}

// finishObject is steps 15–20 of the Expansion algorithm.
func (e *expander) finishObject(st *nodeState, prop string, p *jpath) (any, error) {
	result := st.result
	if v, ok := result["@value"]; ok {
		for k := range result {
			switch k {
			case "@direction", "@index", "@language", "@type", "@value":
			default:
				return nil, ldError("invalid value object", "a value object cannot have %s", k)
			}
		}
		t, hasType := result["@type"]
		_, hasLang := result["@language"]
		_, hasDir := result["@direction"]
		if hasType && (hasLang || hasDir) {
			return nil, ldError("invalid value object", "a value object cannot have both @type and @language or @direction")
		}
		isJSON := hasType && t == "@json"
		if !isJSON && v == nil {
			return nil, nil
		}
		if a, ok := v.([]any); ok && len(a) == 0 && !isJSON {
			return nil, nil
		}
		if isJSON {
			// A JSON literal: any @value.
		} else if _, isStr := v.(string); !isStr && hasLang {
			return nil, ldError("invalid language-tagged value", "only strings can have a language")
		}
		if hasType && !isJSON {
			ts, ok := t.(string)
			if e.safe && ok && !validIRI(ts) {
				tp := p.child(st.typeKey)
				return nil, safeErr(&tp, "datatype %q is not an absolute IRI (no context defines it)", ts)
			}
			if !ok || !validIRI(ts) || isBlankID(ts) {
				return nil, ldError("invalid typed value", "the type of a value must be an IRI")
			}
		}
		if hasLang && e.safe {
			if l := result["@language"].(string); !wellFormedLang(l) {
				lp := p.child(st.langKey)
				return nil, safeErr(&lp, "language tag %q is not well-formed", l)
			}
		}
	} else if t, ok := result["@type"]; ok {
		if _, isArr := t.([]any); !isArr {
			result["@type"] = []any{t}
		}
	} else {
		_, hasSet := result["@set"]
		_, hasList := result["@list"]
		if hasSet || hasList {
			_, hasIndex := result["@index"]
			if len(result) > 2 || (len(result) == 2 && !hasIndex) {
				return nil, ldError("invalid set or list object", "@set and @list objects may only have @index besides")
			}
			if hasSet {
				return result["@set"], nil
			}
		}
	}
	if len(result) == 1 {
		if _, ok := result["@language"]; ok {
			return nil, nil
		}
	}
	if prop == "" || prop == "@graph" {
		if len(result) == 0 {
			return nil, nil
		}
		_, hasValue := result["@value"]
		_, hasList := result["@list"]
		if hasValue || hasList {
			return nil, e.checkFreeFloating(result, prop, p)
		}
		if _, ok := result["@id"]; ok && len(result) == 1 {
			return nil, nil
		}
	}
	return result, nil
}

// checkFreeFloating reports, in safe mode, a value or list object that is
// dropped because it is not the value of any property.
func (e *expander) checkFreeFloating(result map[string]any, prop string, p *jpath) error {
	if !e.safe || (prop != "" && prop != "@graph") {
		return nil
	}
	if l, ok := result["@list"].([]any); ok && len(l) == 0 {
		return nil
	}
	return safeErr(p, "a value outside any node object is dropped")
}
