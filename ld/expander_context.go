package ld

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// This file holds the context side of the expander: active contexts, term
// definitions, the Context Processing and Create Term Definition algorithms
// of JSON-LD 1.1 (§4.1, §4.2), IRI Expansion (§4.3) and the processed-context
// cache.

// Container mapping flags of a term definition.
const (
	cList uint16 = 1 << iota
	cSet
	cIndex
	cLanguage
	cGraph
	cID
	cType
)

// Limits of context processing, per expansion.
const (
	// maxRemoteContexts bounds the nesting of remote context inclusion
	// (the "context overflow" limit of JSON-LD 1.1 §4.1.2 step 5.2.3).
	maxRemoteContexts = 32
	// maxContextLoads bounds the distinct documents loaded (context URLs
	// and @import) while expanding one document.
	maxContextLoads = 256
	// maxContextWork bounds the work of context processing for one
	// document: term definitions created plus term definitions copied when
	// an active context is cloned. It stops documents whose scoped
	// contexts multiply (a context whose terms each carry a context whose
	// terms each carry a context…). Expanding an Open Badges credential
	// with an empty cache takes about 4,400 units.
	maxContextWork = 1 << 17
)

// Cache levels: where a processed context may be cached. A context is only
// as shareable as the least shareable thing it was derived from.
const (
	// levelCall: derived from data of the document being expanded (an
	// inline context, a base IRI): memoized for this call only.
	levelCall uint8 = iota
	// levelLoader: derived from documents of one Loader: cached on it.
	levelLoader
	// levelShared: derived only from the embedded, pinned contexts, which
	// every Loader serves identically: cached process-wide.
	levelShared
)

// ctxIDs numbers active contexts; cache keys name contexts by number.
var ctxIDs atomic.Uint64

// activeCtx is a JSON-LD active context. It is immutable once it has been
// returned by context processing; processing clones it before changing it.
type activeCtx struct {
	id    uint64
	level uint8
	terms map[string]*termDef
	// base is the base IRI; hasBase is false when it is null.
	base    string
	hasBase bool
	// origBase is the original base URL, to which a null context resets.
	origBase string
	// vocab is the vocabulary mapping, when hasVocab.
	vocab    string
	hasVocab bool
	// lang is the default language (lower-cased), when hasLang.
	lang    string
	hasLang bool
	// dir is the default base direction, "" for none.
	dir string
	// prev is the previous context, set by non-propagated (type-scoped)
	// contexts: the expander reverts to it at the next node object.
	prev *activeCtx
	// protected reports whether any term definition is protected.
	protected bool
}

// termDef is a term definition.
type termDef struct {
	// id is the IRI mapping (an IRI, a blank node identifier or a
	// keyword); null is true when the term is mapped to null.
	id   string
	null bool
	// reverse marks a reverse property.
	reverse bool
	// typ is the type mapping ("" for none).
	typ string
	// language mapping: langSet when the definition has one; langNull
	// when it is null (no language, overriding the default).
	lang     string
	langSet  bool
	langNull bool
	// direction mapping: dirSet when the definition has one, dir "" for null.
	dir    string
	dirSet bool
	// container holds the cList… flags.
	container uint16
	// index is the index mapping of a property-valued index.
	index string
	// nest is the nest value.
	nest string
	// prefix is the prefix flag.
	prefix bool
	// protected marks a protected term.
	protected bool
	// context is the scoped context, when hasCtx; baseURL resolves it.
	context any
	hasCtx  bool
	baseURL string
}

// newActiveCtx returns an empty active context with the given base IRI.
func newActiveCtx(base string, level uint8) *activeCtx {
	return &activeCtx{
		id:       ctxIDs.Add(1),
		level:    level,
		terms:    map[string]*termDef{},
		base:     base,
		hasBase:  base != "",
		origBase: base,
	}
}

// sharedRoot is the initial context of documents without a base IRI, the
// root of every process-wide cached context.
var sharedRoot = newActiveCtx("", levelShared)

// clone returns a mutable copy of c with a new identity.
func (e *expander) clone(c *activeCtx) (*activeCtx, error) {
	if err := e.work(len(c.terms) + 1); err != nil {
		return nil, err
	}
	n := *c
	n.id = ctxIDs.Add(1)
	n.terms = maps.Clone(c.terms)
	if n.terms == nil {
		n.terms = map[string]*termDef{}
	}
	return &n, nil
}

// loadedDoc is a document loaded during one expansion.
type loadedDoc struct {
	url string
	doc *Document
}

// procKey identifies one processing of a local context against an active
// context. Exactly one of doc, td and inline is set. doc and td are
// pointers to immutable objects that the key keeps alive, so they can never
// be confused with a later object at the same address; inline (the address
// of a map in the caller's document) is only used in the per-call memo,
// while the caller's document is alive and unchanged.
type procKey struct {
	parent uint64
	doc    *Document
	td     *termDef
	inline uintptr
	flags  uint8
}

// Flags of a procKey.
const (
	pkOverride  uint8 = 1 << iota // override protected
	pkNoPropag                    // propagate is false
	pkScopedTop                   // a whole scoped-context processing
)

// Bounds of a processed-context cache. When either is exceeded the cache is
// emptied and starts over: hostile documents can make contexts without
// end, but cannot make the cache grow without bound.
// Expanding every test document (Open Badges, VC 2.0 and extension
// contexts) caches about 60 contexts holding 3,500 term entries; a term
// entry costs some 40 bytes, so a full cache stays under about 6 MB.
const (
	maxCachedContexts = 2048
	maxCachedTerms    = 1 << 17
)

// procCache memoizes processed contexts. It is safe for concurrent use.
type procCache struct {
	mu    sync.RWMutex
	m     map[procKey]*activeCtx
	terms int
}

// newProcCache returns an empty cache.
func newProcCache() *procCache { return &procCache{m: map[procKey]*activeCtx{}} }

// get returns the context cached under k, or nil.
func (c *procCache) get(k procKey) *activeCtx {
	c.mu.RLock()
	v := c.m[k]
	c.mu.RUnlock()
	return v
}

// put caches v under k, first emptying the cache if it is full.
func (c *procCache) put(k procKey, v *activeCtx) {
	c.mu.Lock()
	if len(c.m) >= maxCachedContexts || c.terms+len(v.terms) > maxCachedTerms {
		clear(c.m)
		c.terms = 0
	}
	if _, ok := c.m[k]; !ok {
		c.terms += len(v.terms)
	}
	c.m[k] = v
	c.mu.Unlock()
}

// len returns the number of cached contexts (for tests).
func (c *procCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

// sharedCache holds contexts derived only from embedded contexts.
var sharedCache = newProcCache()

// loaderCache returns the processed-context cache of l, creating it on
// first use. It lives in l.procSlot, which Register resets, so registering
// a context drops what was derived from the Loader's earlier documents.
func loaderCache(l *Loader) *procCache {
	l.mu.RLock()
	c, _ := l.procSlot.(*procCache)
	l.mu.RUnlock()
	if c != nil {
		return c
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if c, _ = l.procSlot.(*procCache); c == nil {
		c = newProcCache()
		l.procSlot = c
	}
	return c
}

// cacheGet looks k up at the given level.
func (e *expander) cacheGet(level uint8, k procKey) *activeCtx {
	switch level {
	case levelShared:
		return sharedCache.get(k)
	case levelLoader:
		return e.lcache.get(k)
	}
	return e.memo[k]
}

// cachePut stores v under k at the given level.
func (e *expander) cachePut(level uint8, k procKey, v *activeCtx) {
	switch level {
	case levelShared:
		sharedCache.put(k, v)
	case levelLoader:
		e.lcache.put(k, v)
	default:
		if e.memo == nil {
			e.memo = map[procKey]*activeCtx{}
		}
		if len(e.memo) < maxCachedContexts {
			e.memo[k] = v
		}
	}
}

// ldError returns a JSON-LD processing error with the given error code.
func ldError(code, format string, args ...any) error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...)}
}

// work charges n units of context-processing work.
func (e *expander) work(n int) error {
	e.workDone += n
	if e.workDone > maxContextWork {
		return ldError("context overflow", "context processing exceeds its work limit")
	}
	return nil
}

// load loads a context document (a context URL or an @import). Each URL
// is loaded once per expansion, so that one expansion sees one version of
// each document; at most maxContextLoads distinct URLs are loaded.
func (e *expander) load(u string) (*Document, map[string]any, error) {
	var d *Document
	for i := range e.docs {
		if e.docs[i].url == u {
			d = e.docs[i].doc
			break
		}
	}
	if d == nil {
		if err := e.ctx.Err(); err != nil {
			return nil, nil, err
		}
		if len(e.docs) >= maxContextLoads {
			return nil, nil, ldError("context overflow", "more than %d context documents loaded", maxContextLoads)
		}
		var err error
		d, err = e.loader.Load(e.ctx, u)
		if err != nil {
			if cerr := e.ctx.Err(); cerr != nil {
				return nil, nil, cerr
			}
			return nil, nil, &Error{Code: "loading remote context failed", Err: err}
		}
		e.docs = append(e.docs, loadedDoc{u, d})
	}
	if !d.Embedded {
		e.foreignLoads++
	}
	m, ok := d.parsed.(map[string]any)
	if !ok {
		return nil, nil, ldError("invalid remote context", "%s is not a JSON object", u)
	}
	return d, m, nil
}

// processScoped applies the scoped context of td (a type-scoped or
// property-scoped context) to active, through the caches. level is the
// cache level of the context td was found in.
func (e *expander) processScoped(active *activeCtx, td *termDef, tdLevel uint8, override, propagate bool) (*activeCtx, error) {
	k := procKey{parent: active.id, td: td, flags: pkScopedTop}
	if override {
		k.flags |= pkOverride
	}
	if !propagate {
		k.flags |= pkNoPropag
	}
	level := min(active.level, tdLevel)
	if c := e.cacheGet(level, k); c != nil {
		return c, nil
	}
	before := e.foreignLoads
	c, owned, err := e.processContext(active, td.context, td.baseURL, nil, override, propagate, true, false)
	if err != nil {
		return nil, err
	}
	if e.foreignLoads != before {
		level = min(level, levelLoader)
	}
	if owned {
		c.level = level
	} else {
		level = min(level, c.level)
	}
	e.cachePut(level, k, c)
	return c, nil
}

// processLocal applies a node's @context value to active.
func (e *expander) processLocal(active *activeCtx, local any, baseURL string) (*activeCtx, error) {
	// A lone inline map is processed as a whole (it may carry @propagate);
	// an array is folded element by element so that each URL context hits
	// the cache.
	if m, ok := local.(map[string]any); ok {
		k := procKey{parent: active.id, inline: reflect.ValueOf(m).Pointer()}
		if c := e.memo[k]; c != nil {
			return c, nil
		}
		c, _, err := e.processContext(active, m, baseURL, nil, false, true, true, false)
		if err != nil {
			return nil, err
		}
		e.cachePut(levelCall, k, c)
		return c, nil
	}
	c, _, err := e.processContext(active, local, baseURL, nil, false, true, true, false)
	return c, err
}

// processContext is the Context Processing algorithm (JSON-LD 1.1 §4.1.2).
// remote is the list of remote contexts being processed (not modified);
// inRemote reports that local comes from a remote document, where @base is
// ignored. owned reports that the result was made by this call (its level is
// levelCall and the caller may raise it before publishing it); otherwise it
// is active itself or a context from a cache.
func (e *expander) processContext(active *activeCtx, local any, baseURL string, remote []string, override, propagate, validate, inRemote bool) (result *activeCtx, owned bool, err error) {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxContextDepth {
		return nil, false, ldError("context overflow", "contexts nested deeper than %d levels", maxContextDepth)
	}
	result = active
	mutable := func() error {
		if owned {
			return nil
		}
		c, err := e.clone(result)
		if err != nil {
			return err
		}
		c.level = levelCall // the caller sets the level of what it caches
		result, owned = c, true
		return nil
	}
	// Step 2: @propagate of a lone context definition.
	if m, ok := local.(map[string]any); ok {
		if p, ok := m["@propagate"]; ok {
			b, ok := p.(bool)
			if !ok {
				return nil, false, ldError("invalid @propagate value", "@propagate must be true or false")
			}
			propagate = b
		}
	}
	// Step 3.
	if !propagate && result.prev == nil {
		if err := mutable(); err != nil {
			return nil, false, err
		}
		result.prev = active
	}
	var items []any
	if a, ok := local.([]any); ok {
		items = a
	} else {
		items = []any{local}
	}
	for _, item := range items {
		switch c := item.(type) {
		case nil:
			// Step 5.1.
			if !override && result.protected {
				return nil, false, ldError("invalid context nullification", "a context with protected terms cannot be set to null")
			}
			if propagate && active.origBase == "" {
				result, owned = sharedRoot, false
				continue
			}
			n := newActiveCtx(active.origBase, levelCall)
			if !propagate {
				n.prev = result
			}
			result, owned = n, true
		case string:
			// Step 5.2.
			u := c
			if baseURL != "" {
				u = resolveIRI(baseURL, c)
			}
			if !validate && slices.Contains(remote, u) {
				continue
			}
			if len(remote) >= maxRemoteContexts {
				return nil, false, ldError("context overflow", "more than %d nested remote contexts", maxRemoteContexts)
			}
			sub, err := e.processRemote(result, u, remote, validate)
			if err != nil {
				return nil, false, err
			}
			result, owned = sub, false
		case map[string]any:
			if err := mutable(); err != nil {
				return nil, false, err
			}
			if err := e.processDefinition(result, c, baseURL, remote, override, inRemote); err != nil {
				return nil, false, err
			}
		default:
			return nil, false, ldError("invalid local context", "a context must be an object, a string, an array or null")
		}
	}
	return result, owned, nil
}

// processRemote processes the context document at u (step 5.2 of Context
// Processing) against active, through the caches.
func (e *expander) processRemote(active *activeCtx, u string, remote []string, validate bool) (*activeCtx, error) {
	d, m, err := e.load(u)
	if err != nil {
		return nil, err
	}
	loaded, ok := m["@context"]
	if !ok {
		return nil, ldError("invalid remote context", "%s has no @context", u)
	}
	level := active.level
	if !d.Embedded {
		level = min(level, levelLoader)
	}
	k := procKey{parent: active.id, doc: d}
	if validate {
		if c := e.cacheGet(level, k); c != nil {
			return c, nil
		}
	}
	before := e.foreignLoads
	rc := make([]string, len(remote), len(remote)+1)
	copy(rc, remote)
	rc = append(rc, u)
	c, owned, err := e.processContext(active, loaded, d.URL, rc, false, true, validate, true)
	if err != nil {
		return nil, err
	}
	if e.foreignLoads != before {
		level = min(level, levelLoader)
	}
	if owned {
		c.level = level
	} else {
		level = min(level, c.level)
	}
	if validate {
		e.cachePut(level, k, c)
	}
	return c, nil
}

// contextKeywords are the entries of a context definition that are not
// term definitions.
var contextKeywords = map[string]bool{
	"@base": true, "@direction": true, "@import": true, "@language": true,
	"@propagate": true, "@protected": true, "@version": true, "@vocab": true,
}

// defState carries the parameters of Create Term Definition through IRI
// expansion, which may define terms on demand.
type defState struct {
	local     map[string]any
	defined   map[string]bool
	baseURL   string
	protected bool
	override  bool
	remote    []string
}

// processDefinition applies a context definition (steps 5.5–5.13 of
// Context Processing) to result, which is mutable.
func (e *expander) processDefinition(result *activeCtx, c map[string]any, baseURL string, remote []string, override, inRemote bool) error {
	if v, ok := c["@version"]; ok {
		if !isNumberValue(v, 1.1) {
			return ldError("invalid @version value", "@version must be 1.1")
		}
	}
	if v, ok := c["@import"]; ok {
		s, ok := v.(string)
		if !ok {
			return ldError("invalid @import value", "@import must be a string")
		}
		u := s
		if baseURL != "" {
			u = resolveIRI(baseURL, s)
		}
		_, m, err := e.load(u)
		if err != nil {
			return err
		}
		imp, ok := m["@context"].(map[string]any)
		if !ok {
			return ldError("invalid remote context", "the context imported from %s is not an object", u)
		}
		if _, ok := imp["@import"]; ok {
			return ldError("invalid context entry", "an imported context must not import")
		}
		merged := maps.Clone(imp)
		maps.Copy(merged, c)
		c = merged
	}
	if v, ok := c["@base"]; ok && !inRemote {
		switch b := v.(type) {
		case nil:
			result.base, result.hasBase = "", false
		case string:
			switch {
			case hasIRIForm(b):
				result.base, result.hasBase = b, true
			case result.hasBase:
				result.base = resolveIRI(result.base, b)
			default:
				return ldError("invalid base IRI", "@base %q is relative and there is no base IRI", b)
			}
		default:
			return ldError("invalid base IRI", "@base must be a string or null")
		}
	}
	if v, ok := c["@vocab"]; ok {
		switch s := v.(type) {
		case nil:
			result.vocab, result.hasVocab = "", false
		case string:
			x, ok, err := e.expandIRI(result, s, true, true, nil)
			if err != nil {
				return err
			}
			if !ok || !(hasIRIForm(x) || strings.HasPrefix(x, "_:")) {
				return ldError("invalid vocab mapping", "@vocab %q is not an IRI", s)
			}
			result.vocab, result.hasVocab = x, true
		default:
			return ldError("invalid vocab mapping", "@vocab must be a string or null")
		}
	}
	if v, ok := c["@language"]; ok {
		switch s := v.(type) {
		case nil:
			result.lang, result.hasLang = "", false
		case string:
			result.lang, result.hasLang = strings.ToLower(s), true
		default:
			return ldError("invalid default language", "@language must be a string or null")
		}
	}
	if v, ok := c["@direction"]; ok {
		switch s := v.(type) {
		case nil:
			result.dir = ""
		case string:
			if s != "ltr" && s != "rtl" {
				return ldError("invalid base direction", "@direction must be \"ltr\", \"rtl\" or null")
			}
			result.dir = s
		default:
			return ldError("invalid base direction", "@direction must be \"ltr\", \"rtl\" or null")
		}
	}
	if v, ok := c["@propagate"]; ok {
		if _, ok := v.(bool); !ok {
			return ldError("invalid @propagate value", "@propagate must be true or false")
		}
	}
	protected := false
	if v, ok := c["@protected"]; ok {
		b, ok := v.(bool)
		if !ok {
			return ldError("invalid @protected value", "@protected must be true or false")
		}
		protected = b
	}
	st := &defState{
		local:     c,
		defined:   make(map[string]bool, len(c)),
		baseURL:   baseURL,
		protected: protected,
		override:  override,
		remote:    remote,
	}
	for _, k := range sortedKeys(c) {
		if contextKeywords[k] {
			continue
		}
		if err := e.createTerm(result, k, st); err != nil {
			return err
		}
	}
	return nil
}

// isNumberValue reports whether v is a JSON number equal to want.
func isNumberValue(v any, want float64) bool {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return err == nil && f == want
	case float64:
		return n == want
	}
	return false
}

// termDefKeys are the entries a term definition may have.
var termDefKeys = map[string]bool{
	"@id": true, "@reverse": true, "@container": true, "@context": true,
	"@direction": true, "@index": true, "@language": true, "@nest": true,
	"@prefix": true, "@protected": true, "@type": true,
}

// createTerm is the Create Term Definition algorithm (JSON-LD 1.1 §4.2.2).
func (e *expander) createTerm(ac *activeCtx, term string, st *defState) error {
	// Step 1.
	if done, ok := st.defined[term]; ok {
		if done {
			return nil
		}
		return ldError("cyclic IRI mapping", "term %q is defined in terms of itself", term)
	}
	// Step 2.
	if term == "" {
		return ldError("invalid term definition", "a term must not be empty")
	}
	if err := e.work(1); err != nil {
		return err
	}
	st.defined[term] = false
	value := st.local[term]
	// Step 4.
	if term == "@type" {
		m, ok := value.(map[string]any)
		valid := ok && len(m) > 0
		for k, v := range m {
			switch k {
			case "@container":
				if v != "@set" {
					valid = false
				}
			case "@protected":
			default:
				valid = false
			}
		}
		if !valid {
			return ldError("keyword redefinition", "@type may only be given @container @set and @protected")
		}
	} else if isKeyword(term) {
		return ldError("keyword redefinition", "keyword %s cannot be redefined", term)
	} else if hasKeywordForm(term) {
		// Step 5: reserved, ignored.
		st.defined[term] = true
		return nil
	}
	// Step 6.
	prev := ac.terms[term]
	delete(ac.terms, term)
	// Steps 7–9.
	var m map[string]any
	simple := false
	switch v := value.(type) {
	case nil:
		m = map[string]any{"@id": nil}
	case string:
		m = map[string]any{"@id": v}
		simple = true
	case map[string]any:
		m = v
	default:
		return ldError("invalid term definition", "the definition of %q must be a string, an object or null", term)
	}
	def := &termDef{}
	// Step 11.
	if v, ok := m["@protected"]; ok {
		b, ok := v.(bool)
		if !ok {
			return ldError("invalid @protected value", "@protected of %q must be true or false", term)
		}
		def.protected = b
	} else {
		def.protected = st.protected
	}
	// Step 12.
	if v, ok := m["@type"]; ok {
		s, ok := v.(string)
		if !ok {
			return ldError("invalid type mapping", "@type of %q must be a string", term)
		}
		t, ok, err := e.expandIRI(ac, s, false, true, st)
		if err != nil {
			return err
		}
		if !ok || !(t == "@id" || t == "@json" || t == "@none" || t == "@vocab" || (hasIRIForm(t) && !strings.HasPrefix(t, "_:"))) {
			return ldError("invalid type mapping", "@type of %q is %q, not an IRI", term, s)
		}
		def.typ = t
	}
	// Step 13.
	if v, ok := m["@reverse"]; ok {
		if _, ok := m["@id"]; ok {
			return ldError("invalid reverse property", "reverse term %q must not have @id", term)
		}
		if _, ok := m["@nest"]; ok {
			return ldError("invalid reverse property", "reverse term %q must not have @nest", term)
		}
		s, ok := v.(string)
		if !ok {
			return ldError("invalid IRI mapping", "@reverse of %q must be a string", term)
		}
		if hasKeywordForm(s) {
			st.defined[term] = true
			return nil
		}
		id, ok, err := e.expandIRI(ac, s, false, true, st)
		if err != nil {
			return err
		}
		if !ok || !strings.Contains(id, ":") {
			return ldError("invalid IRI mapping", "@reverse of %q is not an IRI", term)
		}
		def.id = id
		if c, ok := m["@container"]; ok {
			switch c {
			case nil:
			case "@set":
				def.container = cSet
			case "@index":
				def.container = cIndex
			default:
				return ldError("invalid reverse property", "the container of reverse term %q must be @set or @index", term)
			}
		}
		def.reverse = true
		// A reverse term may also carry other entries; check and record them.
		if err := e.termExtras(ac, term, m, def, st); err != nil {
			return err
		}
		return e.finishTerm(ac, term, def, prev, st)
	}
	// Step 15.
	if v, ok := m["@id"]; ok && v != term {
		switch s := v.(type) {
		case nil:
			def.null = true
		case string:
			if !isKeyword(s) && hasKeywordForm(s) {
				st.defined[term] = true
				return nil
			}
			id, ok, err := e.expandIRI(ac, s, false, true, st)
			if err != nil {
				return err
			}
			if !ok || !(isKeyword(id) || strings.Contains(id, ":")) {
				return ldError("invalid IRI mapping", "@id of %q is %q, not an IRI, blank node identifier or keyword", term, s)
			}
			if id == "@context" {
				return ldError("invalid keyword alias", "@context cannot be aliased")
			}
			def.id = id
			if i := strings.IndexByte(term, ':'); (i > 0 && i < len(term)-1) || strings.Contains(term, "/") {
				st.defined[term] = true
				x, ok, err := e.expandIRI(ac, term, false, true, st)
				if err != nil {
					return err
				}
				if !ok || x != id {
					return ldError("invalid IRI mapping", "term %q looks like an IRI but maps to a different one", term)
				}
			}
			if !strings.ContainsAny(term, ":/") && simple && (strings.HasPrefix(id, "_:") || (id != "" && strings.ContainsRune(":/?#[]@", rune(id[len(id)-1])))) {
				def.prefix = true
			}
		default:
			return ldError("invalid IRI mapping", "@id of %q must be a string or null", term)
		}
	} else if i := strings.IndexByte(term, ':'); i > 0 {
		// Step 16.
		prefix, suffix := term[:i], term[i+1:]
		if _, ok := st.local[prefix]; ok {
			if err := e.createTerm(ac, prefix, st); err != nil {
				return err
			}
		}
		if p := ac.terms[prefix]; p != nil && !p.null {
			def.id = p.id + suffix
		} else {
			def.id = term
		}
	} else if strings.Contains(term, "/") {
		// Step 17 (without the local context: the term itself is being
		// defined).
		id, ok, err := e.expandIRI(ac, term, false, true, nil)
		if err != nil {
			return err
		}
		if !ok || !hasIRIForm(id) {
			return ldError("invalid IRI mapping", "term %q is a relative IRI that does not resolve", term)
		}
		def.id = id
	} else if term == "@type" {
		def.id = "@type"
	} else if ac.hasVocab {
		def.id = ac.vocab + term
	} else {
		return ldError("invalid IRI mapping", "term %q has no @id and there is no @vocab", term)
	}
	// Step 20.
	if v, ok := m["@container"]; ok {
		c, err := parseContainer(v)
		if err != nil {
			return err
		}
		def.container = c
		if c&cType != 0 {
			if def.typ == "" {
				def.typ = "@id"
			} else if def.typ != "@id" && def.typ != "@vocab" {
				return ldError("invalid type mapping", "a @type container needs type @id or @vocab")
			}
		}
	}
	if err := e.termExtras(ac, term, m, def, st); err != nil {
		return err
	}
	return e.finishTerm(ac, term, def, prev, st)
}

// termExtras handles steps 21–27 of Create Term Definition.
func (e *expander) termExtras(ac *activeCtx, term string, m map[string]any, def *termDef, st *defState) error {
	if v, ok := m["@index"]; ok {
		s, ok := v.(string)
		if !ok || def.container&cIndex == 0 || isKeyword(s) {
			return ldError("invalid term definition", "@index of %q needs an @index container and a property", term)
		}
		x, ok, err := e.expandIRI(ac, s, false, true, st)
		if err != nil {
			return err
		}
		if !ok || !strings.Contains(x, ":") {
			return ldError("invalid term definition", "@index of %q is not an IRI", term)
		}
		def.index = s
	}
	if v, ok := m["@context"]; ok {
		// Validate the scoped context now; the result is discarded.
		if _, _, err := e.processContext(ac, v, st.baseURL, st.remote, true, true, false, false); err != nil {
			if e.ctx.Err() != nil {
				return err
			}
			if le, ok := err.(*Error); ok && (le.Code == "context overflow" || le.Code == "loading remote context failed") {
				return err
			}
			return &Error{Code: "invalid scoped context", Err: fmt.Errorf("scoped context of %q: %w", term, err)}
		}
		def.context, def.hasCtx, def.baseURL = v, true, st.baseURL
	}
	_, hasType := m["@type"]
	if v, ok := m["@language"]; ok && !hasType {
		switch s := v.(type) {
		case nil:
			def.langSet, def.langNull = true, true
		case string:
			def.langSet, def.lang = true, strings.ToLower(s)
		default:
			return ldError("invalid language mapping", "@language of %q must be a string or null", term)
		}
	}
	if v, ok := m["@direction"]; ok && !hasType {
		switch s := v.(type) {
		case nil:
			def.dirSet = true
		case string:
			if s != "ltr" && s != "rtl" {
				return ldError("invalid base direction", "@direction of %q must be ltr, rtl or null", term)
			}
			def.dirSet, def.dir = true, s
		default:
			return ldError("invalid base direction", "@direction of %q must be ltr, rtl or null", term)
		}
	}
	if v, ok := m["@nest"]; ok {
		s, ok := v.(string)
		if !ok || (isKeyword(s) && s != "@nest") {
			return ldError("invalid @nest value", "@nest of %q must be a term or @nest", term)
		}
		def.nest = s
	}
	if v, ok := m["@prefix"]; ok {
		if strings.ContainsAny(term, ":/") {
			return ldError("invalid term definition", "@prefix is not allowed on %q", term)
		}
		b, ok := v.(bool)
		if !ok {
			return ldError("invalid @prefix value", "@prefix of %q must be true or false", term)
		}
		def.prefix = b
		if b && isKeyword(def.id) {
			return ldError("invalid term definition", "keyword alias %q cannot be a prefix", term)
		}
	}
	for k := range m {
		if !termDefKeys[k] {
			return ldError("invalid term definition", "the definition of %q has an unknown entry %q", term, k)
		}
	}
	return nil
}

// finishTerm handles steps 28–29 of Create Term Definition.
func (e *expander) finishTerm(ac *activeCtx, term string, def, prev *termDef, st *defState) error {
	if !st.override && prev != nil && prev.protected {
		if !sameTermDef(def, prev) {
			return ldError("protected term redefinition", "protected term %q cannot be redefined", term)
		}
		def = prev
	}
	ac.terms[term] = def
	if def.protected {
		ac.protected = true
	}
	st.defined[term] = true
	return nil
}

// sameTermDef compares two term definitions, ignoring protected.
func sameTermDef(a, b *termDef) bool {
	if a.id != b.id || a.null != b.null || a.reverse != b.reverse || a.typ != b.typ ||
		a.lang != b.lang || a.langSet != b.langSet || a.langNull != b.langNull ||
		a.dir != b.dir || a.dirSet != b.dirSet || a.container != b.container ||
		a.index != b.index || a.nest != b.nest || a.prefix != b.prefix ||
		a.hasCtx != b.hasCtx || a.baseURL != b.baseURL {
		return false
	}
	return !a.hasCtx || jsonEqual(a.context, b.context)
}

// jsonEqual compares two decoded JSON values.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !jsonEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number:
		f, ok := number(b)
		g, _ := number(x)
		return ok && f == g
	case float64:
		f, ok := number(b)
		return ok && f == x
	}
	return a == b
}

// parseContainer checks a @container value (step 20.1) and returns its flags.
func parseContainer(v any) (uint16, error) {
	var items []any
	switch c := v.(type) {
	case string:
		items = []any{c}
	case []any:
		items = c
	case nil:
		return 0, nil
	default:
		return 0, ldError("invalid container mapping", "@container must be a string or an array")
	}
	var f uint16
	for _, it := range items {
		s, _ := it.(string)
		var b uint16
		switch s {
		case "@list":
			b = cList
		case "@set":
			b = cSet
		case "@index":
			b = cIndex
		case "@language":
			b = cLanguage
		case "@graph":
			b = cGraph
		case "@id":
			b = cID
		case "@type":
			b = cType
		default:
			return 0, ldError("invalid container mapping", "unknown container %v", it)
		}
		if f&b != 0 {
			return 0, ldError("invalid container mapping", "container %s repeated", s)
		}
		f |= b
	}
	rest := f &^ cSet
	valid := false
	switch {
	case f == cList:
		valid = len(items) == 1
	case rest&cGraph != 0:
		// @graph with optionally @id or @index (not both) and @set.
		other := rest &^ cGraph
		valid = other == 0 || other == cID || other == cIndex
	default:
		// One of @index, @language, @id, @type, optionally with @set, or @set alone.
		valid = rest == 0 || rest == cIndex || rest == cLanguage || rest == cID || rest == cType
	}
	if !valid {
		return 0, ldError("invalid container mapping", "invalid @container combination")
	}
	return f, nil
}

// expandIRI is the IRI Expansion algorithm (JSON-LD 1.1 §4.3.2). It returns
// ok == false for null. st is non-nil during context processing, when
// terms of the local context are defined on demand.
func (e *expander) expandIRI(ac *activeCtx, v string, docRel, vocab bool, st *defState) (string, bool, error) {
	if isKeyword(v) {
		return v, true, nil
	}
	if hasKeywordForm(v) {
		return "", false, nil
	}
	if st != nil {
		if _, ok := st.local[v]; ok && !st.defined[v] {
			if err := e.createTerm(ac, v, st); err != nil {
				return "", false, err
			}
		}
	}
	if td, ok := ac.terms[v]; ok {
		if td.null {
			if vocab {
				return "", false, nil
			}
		} else if isKeyword(td.id) {
			return td.id, true, nil
		} else if vocab {
			return td.id, true, nil
		}
	}
	if i := strings.IndexByte(v, ':'); i > 0 {
		prefix, suffix := v[:i], v[i+1:]
		if prefix == "_" || strings.HasPrefix(suffix, "//") {
			return v, true, nil
		}
		if st != nil {
			if _, ok := st.local[prefix]; ok && !st.defined[prefix] {
				if err := e.createTerm(ac, prefix, st); err != nil {
					return "", false, err
				}
			}
		}
		if td := ac.terms[prefix]; td != nil && !td.null && td.prefix {
			return td.id + suffix, true, nil
		}
		if hasIRIForm(v) {
			return v, true, nil
		}
	}
	if vocab && ac.hasVocab {
		return ac.vocab + v, true, nil
	}
	if docRel && ac.hasBase {
		return resolveIRI(ac.base, v), true, nil
	}
	return v, true, nil
}
