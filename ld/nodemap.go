package ld

// Node Map Generation (JSON-LD 1.1 Processing Algorithms and API §7.2)
// fused with Deserialize JSON-LD to RDF (§8.1).
//
// The specification first flattens the expanded document into a node map
// (graph name → node identifier → node, where every node object met under
// the same identifier is merged into one node and every property's values
// form a set, lists excepted), then walks the node map, sorted, to write
// triples. Both steps only ever add statements: a merged node's statements
// are the union of the statements of the node objects that describe it. So
// nodeMapper walks the expanded document once and writes each statement
// when it meets it, with the relabelling of blank nodes, the @reverse,
// @graph, @included and @list handling and the "conflicting indexes" error
// of the algorithm, and without building the node map. What the node map
// merges away is not written twice: a value repeated within one property
// of one node object is compared with that property's earlier objects, and
// the statements of a node that several node objects describe with those
// written for it before (see nodeMapper.add). The rare rest (@reverse
// statements, very long properties) is deduplicated at the end.

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/microcred/microcred/ld/rdf"
)

// nodeMapper converts expanded JSON-LD to quads. Its buffers are reused
// through mapperPool.
type nodeMapper struct {
	// safe makes every statement that would be dropped an error.
	safe bool
	ds   rdf.Dataset
	// labels maps the blank node identifiers of the input to issued labels.
	labels map[string]string
	issued int
	// keys is a stack of sorted member names, a frame per node object.
	keys []string
	// objs is a stack of the objects written for a property, a frame per
	// property being walked, to skip a value repeated within it.
	objs []rdf.Term
	// subjects is a stack of the nodes being walked.
	subjects []subject
	// Statements of nodes named by the input (IRIs and input blank node
	// identifiers), which other node objects may describe too: slots maps
	// such a node to its slot; heads[slot] is the last chain entry of its
	// statements (-1: none) and multi[slot] is set once a second node
	// object describes it; chain links each statement (an index in ds) to
	// the node's previous one.
	slots map[string]int32
	heads []int32
	multi []bool
	chain []chainLink
	// dup says that ds may still hold a quad twice (see dedupe).
	dup bool
	// index holds the @index of each node that has one, per graph.
	index map[indexKey]any
	// iris caches checkIRI: predicates, types and datatypes repeat, and
	// the expanded form usually repeats the very same string, which ==
	// recognizes without reading it.
	iris [64]iriVerdict
	// hint is the size of the previous dataset, to size the next one.
	hint int
}

// iriVerdict is a cached checkIRI result.
type iriVerdict struct {
	s    string
	code uint8
}

// checkIRI is the package's checkIRI, cached.
func (c *nodeMapper) checkIRI(s string) uint8 {
	if s == "" {
		return probRelative
	}
	v := &c.iris[(len(s)*8^int(s[len(s)-1]))&(len(c.iris)-1)]
	if v.s == s {
		return v.code
	}
	code := checkIRI(s)
	*v = iriVerdict{s: s, code: code}
	return code
}

// chainLink is a statement of a named node and the node's previous one.
type chainLink struct{ quad, prev int32 }

// Bounds beyond which repeated statements are left to dedupe: the objects
// of one property and the statements of one node compared linearly.
const (
	maxPropertyFrame = 64
	maxNodeChain     = 256
)

// mapperPool recycles nodeMappers, so that converting a document allocates
// little more than the dataset it returns.
var mapperPool = sync.Pool{New: func() any { return new(nodeMapper) }}

// reset prepares a pooled nodeMapper for a conversion.
func (c *nodeMapper) reset(safe bool) {
	c.safe = safe
	c.ds = c.ds[:0]
	clear(c.labels)
	c.issued = 0
	c.keys = c.keys[:0]
	c.objs = c.objs[:0]
	c.subjects = c.subjects[:0]
	clear(c.slots)
	c.heads = c.heads[:0]
	c.multi = c.multi[:0]
	c.chain = c.chain[:0]
	c.dup = false
	c.index = nil
	clear(c.iris[:])
}

// release clears the references c holds into the converted document and
// returns c to the pool, unless its buffers grew too large to keep.
func (c *nodeMapper) release() {
	c.ds = nil
	if cap(c.chain) > 1<<16 || len(c.labels) > 1<<12 || len(c.slots) > 1<<12 {
		return
	}
	clear(c.keys[:cap(c.keys)])
	clear(c.objs[:cap(c.objs)])
	clear(c.subjects[:cap(c.subjects)])
	c.reset(false)
	mapperPool.Put(c)
}

// indexKey names a node of a graph.
type indexKey struct{ graph, node rdf.Term }

// graphRef is the graph statements are written to.
type graphRef struct {
	// term is the graph name; KindNone is the default graph.
	term rdf.Term
	// bad says why the graph name cannot be in RDF (the graph's
	// statements are dropped); zero if it can.
	bad dropReason
}

// subject is a node whose statements are being written.
type subject struct {
	term rdf.Term
	bad  dropReason
	// named: the identifier comes from the input, so other node objects
	// may describe the same node.
	named bool
	// slot is the node's slot (see nodeMapper.slots), -1 before its first
	// statement.
	slot int32
}

// link is a subject and a predicate waiting for objects.
type link struct {
	// s is the subject's index in nodeMapper.subjects.
	s    int
	p    rdf.Term
	pbad dropReason
	// skip: the property is a keyword, which gives no statement.
	skip bool
	// objs is where this property's frame starts in nodeMapper.objs.
	objs int
}

// Drop reason codes: why a term cannot be written.
const (
	probNone          uint8 = iota
	probRelative            // not an absolute IRI (no scheme, or white space)
	probMalformed           // a character N-Quads forbids in an IRI
	probHash                // a second '#'
	probUTF8                // not valid UTF-8
	probBlankPred           // a blank node as a predicate
	probLanguage            // a malformed language tag
	probValue               // an @value that is no RDF literal
	probBlankDatatype       // a blank node as a datatype
)

// dropReason says why a statement is dropped: what is wrong (code), with
// which term (role) and value (s). The message is only built in safe mode.
type dropReason struct {
	code uint8
	role string
	s    string
}

// reason words the drop reason for a *SafeModeError.
func (p dropReason) reason() string {
	q := strconv.Quote(p.s)
	switch p.code {
	case probRelative:
		return p.role + " " + q + " is not an absolute IRI"
	case probMalformed:
		for i := 0; i < len(p.s); i++ {
			if iriByte[p.s[i]] == iriForbidden {
				return p.role + " " + q + " is not a well-formed IRI: RDF (N-Quads IRIREF) does not allow " + strconv.QuoteRune(rune(p.s[i])) + " in an IRI"
			}
		}
		return p.role + " " + q + " is not a well-formed IRI"
	case probHash:
		return p.role + " " + q + " is not a well-formed IRI: it has more than one '#'"
	case probUTF8:
		return p.role + " " + q + " is not valid UTF-8"
	case probBlankPred:
		return p.role + " " + q + " is a blank node, which RDF does not allow as a predicate"
	case probLanguage:
		return "language tag " + q + " is not well-formed"
	case probBlankDatatype:
		return "datatype " + q + " is a blank node, which RDF does not allow as a datatype"
	case probValue:
		return "@value " + p.s + " cannot be written as an RDF literal"
	}
	return p.role + " " + q + " cannot be written in RDF"
}

// drop handles a statement that cannot be written: an error in safe mode,
// nothing otherwise.
func (c *nodeMapper) drop(p dropReason) error {
	if c.safe {
		return &SafeModeError{Reason: p.reason() + "; the statement would be dropped"}
	}
	return nil
}

// first returns the first of the drop reasons that is set.
func first(ps ...dropReason) dropReason {
	for _, p := range ps {
		if p.code != probNone {
			return p
		}
	}
	return dropReason{}
}

// shapeError reports input that is not in expanded form.
func shapeError(where string, v any) error {
	return &Error{Code: "toRdf failed", Err: &shapeErr{where: where, v: v}}
}

type shapeErr struct {
	where string
	v     any
}

func (e *shapeErr) Error() string {
	t := "null"
	if e.v != nil {
		t = reflect.TypeOf(e.v).String()
	}
	return "not expanded JSON-LD: " + e.where + " is a " + t
}

// push appends a quad.
func (c *nodeMapper) push(s, p, o rdf.Term, g *graphRef) {
	c.ds = append(c.ds, rdf.Quad{Subject: s, Predicate: p, Object: o, Graph: g.term})
}

// add writes the statement (subject of l) (predicate of l) o in graph g,
// unless it was written before or cannot be written.
func (c *nodeMapper) add(l *link, o rdf.Term, obad dropReason, g *graphRef) error {
	if l.skip {
		return nil
	}
	s := &c.subjects[l.s]
	if s.bad.code|l.pbad.code|obad.code|g.bad.code != probNone {
		return c.drop(first(s.bad, l.pbad, obad, g.bad))
	}
	// The same value twice in the property.
	if frame := c.objs[l.objs:]; len(frame) > maxPropertyFrame {
		c.dup = true
	} else if slices.Contains(frame, o) {
		return nil
	}
	c.objs = append(c.objs, o)
	if !s.named {
		c.push(s.term, l.p, o, g)
		return nil
	}
	if s.slot < 0 {
		s.slot = c.slot(s.term.Value)
	}
	q := rdf.Quad{Subject: s.term, Predicate: l.p, Object: o, Graph: g.term}
	if c.multi[s.slot] && c.written(s.slot, &q) {
		return nil
	}
	c.ds = append(c.ds, q)
	c.chain = append(c.chain, chainLink{quad: int32(len(c.ds) - 1), prev: c.heads[s.slot]})
	c.heads[s.slot] = int32(len(c.chain) - 1)
	return nil
}

// slot returns the slot of the named node id for a node object that is
// about to write its first statement, and notes when another node object
// has written statements for the node before.
func (c *nodeMapper) slot(id string) int32 {
	if n, ok := c.slots[id]; ok {
		c.multi[n] = true
		return n
	}
	if c.slots == nil {
		c.slots = make(map[string]int32)
	}
	n := int32(len(c.heads))
	c.slots[id] = n
	c.heads = append(c.heads, -1)
	c.multi = append(c.multi, false)
	return n
}

// written reports whether q is among the statements written for the node
// of slot n.
func (c *nodeMapper) written(n int32, q *rdf.Quad) bool {
	steps := 0
	for e := c.heads[n]; e >= 0; e = c.chain[e].prev {
		if steps++; steps > maxNodeChain {
			c.dup = true
			return false
		}
		if sameQuad(&c.ds[c.chain[e].quad], q) {
			return true
		}
	}
	return false
}

// sameQuad compares two quads, the parts that differ most often first.
func sameQuad(a, b *rdf.Quad) bool {
	return a.Predicate.Value == b.Predicate.Value && a.Object == b.Object &&
		a.Graph == b.Graph && a.Subject == b.Subject && a.Predicate == b.Predicate
}

// fresh issues a new blank node label.
func (c *nodeMapper) fresh() string {
	n := c.issued
	c.issued++
	if n < len(blankLabels) {
		return blankLabels[n]
	}
	return "b" + strconv.Itoa(n)
}

// blankLabels are the first labels fresh issues, allocated once.
var blankLabels = func() (a [256]string) {
	for i := range a {
		a[i] = "b" + strconv.Itoa(i)
	}
	return
}()

// relabel returns the label issued for the blank node identifier id of
// the input, issuing one the first time.
func (c *nodeMapper) relabel(id string) string {
	if l, ok := c.labels[id]; ok {
		return l
	}
	if c.labels == nil {
		c.labels = make(map[string]string)
	}
	l := c.fresh()
	c.labels[id] = l
	return l
}

// idTerm turns a node identifier (an @id or @type value) into a term.
func (c *nodeMapper) idTerm(id, role string) (rdf.Term, dropReason) {
	if isBlankID(id) {
		return rdf.Blank(c.relabel(id)), dropReason{}
	}
	if code := c.checkIRI(id); code != probNone {
		return rdf.IRI(id), dropReason{code: code, role: role, s: id}
	}
	return rdf.IRI(id), dropReason{}
}

// predicate turns a property into a predicate. skip is set for keywords.
func (c *nodeMapper) predicate(prop string) (p rdf.Term, bad dropReason, skip bool) {
	if strings.HasPrefix(prop, "@") {
		return rdf.Term{}, dropReason{}, true
	}
	if isBlankID(prop) {
		return rdf.Term{}, dropReason{code: probBlankPred, role: "property", s: prop}, false
	}
	if code := c.checkIRI(prop); code != probNone {
		return rdf.Term{}, dropReason{code: code, role: "property", s: prop}, false
	}
	return rdf.IRI(prop), dropReason{}, false
}

// top walks elements that have no subject: the document, the content of
// @graph and @included, and lists whose statements are not written. Their
// node objects are converted; values are free-floating and give nothing.
func (c *nodeMapper) top(v any, g *graphRef) error {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if err := c.top(e, g); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		if _, ok := x["@value"]; ok {
			return nil
		}
		if l, ok := x["@list"]; ok {
			return c.top(l, g)
		}
		_, _, err := c.node(x, g)
		return err
	}
	return shapeError("an element", v)
}

// nodeKeywords are the members of a node object that node handles before
// its properties.
type nodeKeywords struct {
	id, typ, index, reverse, graph, included               any
	hasID, hasType, hasIndex, hasReverse, hasGraph, hasInc bool
}

// node converts the node object m in graph g: its types, @index, reverse
// properties, graph, included nodes and properties (§7.2 step 6). It
// returns the node's term, and why the term cannot be in RDF.
func (c *nodeMapper) node(m map[string]any, g *graphRef) (rdf.Term, dropReason, error) {
	// One pass over the members: the keywords aside, the properties
	// pushed on the keys stack.
	var kw nodeKeywords
	start := len(c.keys)
	for k, v := range m {
		if len(k) > 1 && k[0] == '@' {
			switch k {
			case "@id":
				kw.id, kw.hasID = v, true
				continue
			case "@type":
				kw.typ, kw.hasType = v, true
				continue
			case "@index":
				kw.index, kw.hasIndex = v, true
				continue
			case "@reverse":
				kw.reverse, kw.hasReverse = v, true
				continue
			case "@graph":
				kw.graph, kw.hasGraph = v, true
				continue
			case "@included":
				kw.included, kw.hasInc = v, true
				continue
			}
		}
		c.keys = append(c.keys, k)
	}
	sortKeys(c.keys[start:])

	s := subject{slot: -1}
	id := ""
	if kw.hasID {
		var ok bool
		if id, ok = kw.id.(string); !ok {
			return rdf.Term{}, dropReason{}, shapeError("@id", kw.id)
		}
		s.term, s.bad = c.idTerm(id, "subject")
		s.named = true
	} else {
		s.term = rdf.Blank(c.fresh())
	}
	si := len(c.subjects)
	c.subjects = append(c.subjects, s)
	if err := c.nodeMembers(m, &kw, si, kw.hasID && id == "@default", start, g); err != nil {
		return rdf.Term{}, dropReason{}, err
	}
	c.subjects = c.subjects[:si]
	c.keys = c.keys[:start]
	bad := s.bad
	if bad.code != probNone {
		bad.role = "object"
	}
	return s.term, bad, nil
}

// nodeMembers converts the members of the node object m, whose subject is
// c.subjects[si], whose keywords are in kw and whose properties are on the
// keys stack from start on. isDefault says that its @id is "@default": the
// node map keeps the default graph under that name, so its @graph is the
// default graph.
func (c *nodeMapper) nodeMembers(m map[string]any, kw *nodeKeywords, si int, isDefault bool, start int, g *graphRef) error {
	end := len(c.keys)
	term, sbad := c.subjects[si].term, c.subjects[si].bad
	if kw.hasIndex {
		k := indexKey{graph: g.term, node: term}
		if old, ok := c.index[k]; ok {
			if !sameJSON(old, kw.index) {
				return &Error{Code: "conflicting indexes", Err: &conflictErr{node: term}}
			}
		} else {
			if c.index == nil {
				c.index = make(map[indexKey]any)
			}
			c.index[k] = kw.index
		}
	}

	if kw.hasType {
		l := link{s: si, p: rdf.IRI(rdf.RDFType), objs: len(c.objs)}
		if err := c.types(kw.typ, &l, g); err != nil {
			return err
		}
		c.objs = c.objs[:l.objs]
	}

	if kw.hasReverse {
		rm, ok := kw.reverse.(map[string]any)
		if !ok {
			return shapeError("@reverse", kw.reverse)
		}
		rstart := len(c.keys)
		for k := range rm {
			c.keys = append(c.keys, k)
		}
		sortKeys(c.keys[rstart:])
		rend := len(c.keys)
		for i := rstart; i < rend; i++ {
			rp := c.keys[i]
			p, pbad, skip := c.predicate(rp)
			if err := c.reverse(rm[rp], term, sbad, p, pbad, skip, g); err != nil {
				return err
			}
		}
		c.keys = c.keys[:rstart]
	}

	if kw.hasGraph {
		inner := graphRef{term: term, bad: sbad}
		if inner.bad.code != probNone {
			inner.bad.role = "graph name"
		}
		if isDefault {
			inner = graphRef{}
		}
		if err := c.top(kw.graph, &inner); err != nil {
			return err
		}
	}

	if kw.hasInc {
		if err := c.top(kw.included, g); err != nil {
			return err
		}
	}

	for i := start; i < end; i++ {
		prop := c.keys[i]
		l := link{s: si, objs: len(c.objs)}
		l.p, l.pbad, l.skip = c.predicate(prop)
		if kw.hasType && prop == rdf.RDFType {
			c.dup = true // rdf:type both as @type and as a property
		}
		if err := c.values(m[prop], &l, g); err != nil {
			return err
		}
		c.objs = c.objs[:l.objs]
	}
	return nil
}

// sortKeys sorts member names: by length, then in code point order. Any
// fixed order makes the labels and the order of the quads deterministic;
// this one rarely compares more than the lengths.
func sortKeys(ks []string) {
	if len(ks) < 2 {
		return
	}
	slices.SortFunc(ks, func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	})
}

// conflictErr is the "conflicting indexes" error of §7.2 step 6.8.
type conflictErr struct{ node rdf.Term }

func (e *conflictErr) Error() string {
	return "node " + e.node.String() + " has two different @index values"
}

// sameJSON compares two @index values.
func sameJSON(a, b any) bool {
	if x, ok := a.(string); ok {
		y, ok := b.(string)
		return ok && x == y
	}
	return reflect.DeepEqual(a, b)
}

// types writes the rdf:type statements of a node.
func (c *nodeMapper) types(v any, l *link, g *graphRef) error {
	switch x := v.(type) {
	case string:
		t, bad := c.idTerm(x, "type")
		return c.add(l, t, bad, g)
	case []any:
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return shapeError("a @type value", e)
			}
			t, bad := c.idTerm(s, "type")
			if err := c.add(l, t, bad, g); err != nil {
				return err
			}
		}
		return nil
	}
	return shapeError("@type", v)
}

// values writes the statements of one property: v is its value, an array
// of value, list and node objects.
func (c *nodeMapper) values(v any, l *link, g *graphRef) error {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if err := c.values(e, l, g); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		if v, ok := x["@value"]; ok {
			if l.skip {
				return nil
			}
			o, obad, err := c.literal(x, v)
			if err != nil {
				return err
			}
			return c.add(l, o, obad, g)
		}
		if lv, ok := x["@list"]; ok {
			if l.skip || (!c.safe && c.subjects[l.s].bad.code|l.pbad.code|g.bad.code != probNone) {
				// The list's statements are not written; its nodes are.
				return c.top(lv, g)
			}
			head, err := c.list(lv, g)
			if err != nil {
				return err
			}
			return c.add(l, head, dropReason{}, g)
		}
		o, obad, err := c.node(x, g)
		if err != nil {
			return err
		}
		return c.add(l, o, obad, g)
	}
	return shapeError("a property value", v)
}

// listState is the part of an RDF collection written so far.
type listState struct {
	head, last rdf.Term
	n          int
}

// list writes the RDF collection of a @list value and returns its head.
func (c *nodeMapper) list(v any, g *graphRef) (rdf.Term, error) {
	var st listState
	if err := c.listItems(v, g, &st); err != nil {
		return rdf.Term{}, err
	}
	if st.n == 0 {
		return rdf.IRI(rdf.RDFNil), nil
	}
	c.push(st.last, rdf.IRI(rdf.RDFRest), rdf.IRI(rdf.RDFNil), g)
	return st.head, nil
}

// listItems writes the rdf:first statements of the items in v and the
// rdf:rest statements that chain them.
func (c *nodeMapper) listItems(v any, g *graphRef, st *listState) error {
	var (
		o    rdf.Term
		obad dropReason
		err  error
	)
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if err := c.listItems(e, g, st); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		if val, ok := x["@value"]; ok {
			o, obad, err = c.literal(x, val)
		} else if lv, ok := x["@list"]; ok {
			o, err = c.list(lv, g)
		} else {
			o, obad, err = c.node(x, g)
		}
		if err != nil {
			return err
		}
	default:
		return shapeError("a list item", v)
	}
	if g.bad.code != probNone {
		return c.drop(g.bad)
	}
	item := rdf.Blank(c.fresh())
	if st.n == 0 {
		st.head = item
	} else {
		c.push(st.last, rdf.IRI(rdf.RDFRest), item, g)
	}
	st.last = item
	st.n++
	if obad.code != probNone {
		// The item is dropped; the list keeps its length (W3C toRdf li12).
		return c.drop(obad)
	}
	c.push(item, rdf.IRI(rdf.RDFFirst), o, g)
	return nil
}

// reverse writes the statements of a reverse property: each node object
// in v is their subject and target their object. As in the algorithm,
// value objects give nothing and the node objects of a list are taken one
// by one.
func (c *nodeMapper) reverse(v any, target rdf.Term, tbad dropReason, p rdf.Term, pbad dropReason, skip bool, g *graphRef) error {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if err := c.reverse(e, target, tbad, p, pbad, skip, g); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		if _, ok := x["@value"]; ok {
			return nil
		}
		if lv, ok := x["@list"]; ok {
			return c.reverse(lv, target, tbad, p, pbad, skip, g)
		}
		o, obad, err := c.node(x, g)
		if err != nil || skip {
			return err
		}
		obad.role = "subject"
		tbad.role = "object"
		if bad := first(obad, pbad, tbad, g.bad); bad.code != probNone {
			return c.drop(bad)
		}
		c.dup = true // the node's own statements may hold this one
		c.push(o, p, target, g)
		return nil
	}
	return shapeError("a reverse property value", v)
}

// dedupe removes repeated quads from c.ds, keeping the first of each.
func (c *nodeMapper) dedupe() {
	seen := make(map[rdf.Quad]struct{}, len(c.ds))
	out := c.ds[:0]
	for _, q := range c.ds {
		if _, ok := seen[q]; ok {
			continue
		}
		seen[q] = struct{}{}
		out = append(out, q)
	}
	clear(c.ds[len(out):])
	c.ds = out
}

// IRI checks.

// Byte classes for IRI checks.
const (
	iriPlain     uint8 = iota // allowed
	iriSpace                  // ASCII white space: not an absolute IRI at all
	iriForbidden              // control character or one of <>"{}|^`\
	iriHash                   // '#', allowed once
	iriNonASCII               // first byte of a multi-byte sequence
)

// iriByte classifies the bytes of an IRI.
var iriByte = func() (t [256]uint8) {
	for b := 0; b <= 0x20; b++ {
		t[b] = iriForbidden
	}
	for _, b := range "\t\n\v\f\r " {
		t[b] = iriSpace
	}
	for _, b := range "<>\"{}|^`\\" {
		t[b] = iriForbidden
	}
	t['#'] = iriHash
	for b := 0x80; b < 0x100; b++ {
		t[b] = iriNonASCII
	}
	return
}()

// schemeEnd returns the length of s's scheme and colon
// ([A-Za-z][A-Za-z0-9+.-]*:), or 0 if s does not start with one.
func schemeEnd(s string) int {
	if len(s) == 0 || !isASCIILetter(s[0]) {
		return 0
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == ':':
			return i + 1
		case isASCIILetter(c), c >= '0' && c <= '9', c == '+', c == '.', c == '-':
		default:
			return 0
		}
	}
	return 0
}

func isASCIILetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// isIRISpace reports the white space that makes a string no absolute IRI
// for JSON-LD processors: unicode.IsSpace and U+FEFF.
func isIRISpace(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' }

// validIRI reports whether s is an absolute IRI as JSON-LD processors test
// it (the JSON-LD 1.1 "absolute IRI" test): a scheme
// [A-Za-z][A-Za-z0-9+.-]* and ':', then no white space (unicode.IsSpace or
// U+FEFF) anywhere. It does not check the rest of the IRI syntax (see
// checkIRI). ASCII strings are checked byte by byte, without decoding.
func validIRI(s string) bool {
	i := schemeEnd(s)
	if i == 0 {
		return false
	}
	for ; i < len(s); i++ {
		switch iriByte[s[i]] {
		case iriSpace:
			return false
		case iriNonASCII:
			r, n := utf8.DecodeRuneInString(s[i:])
			if isIRISpace(r) {
				return false
			}
			i += n - 1
		}
	}
	return true
}

// checkIRI returns probNone if s can be written as an IRI in RDF, and
// otherwise why not: probRelative if it is not an absolute IRI (see
// validIRI); probMalformed if it holds a character the N-Quads IRIREF
// production forbids (U+0000–U+0020, <>"{}|^`\); probHash if it has two
// '#' (a fragment cannot hold one); probUTF8 if it is not valid UTF-8.
// These are the IRIs jsonld.js drops (W3C toRdf tests e111, e112, li12).
func checkIRI(s string) uint8 {
	i := schemeEnd(s)
	if i == 0 {
		return probRelative
	}
	bad, hash := probNone, false
	for ; i < len(s); i++ {
		switch iriByte[s[i]] {
		case iriPlain:
		case iriSpace:
			return probRelative
		case iriForbidden:
			if bad == probNone {
				bad = probMalformed
			}
		case iriHash:
			if hash && bad == probNone {
				bad = probHash
			}
			hash = true
		case iriNonASCII:
			r, n := utf8.DecodeRuneInString(s[i:])
			if isIRISpace(r) {
				return probRelative
			}
			if r == utf8.RuneError && n == 1 && bad == probNone {
				bad = probUTF8
			}
			i += n - 1
		}
	}
	return bad
}

// wellFormedLang reports whether s matches the language tag form that
// JSON-LD requires for RDF: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})* (the langTag
// expression, without a regexp).
func wellFormedLang(s string) bool {
	i := 0
	for i < len(s) && isASCIILetter(s[i]) {
		i++
	}
	if i == 0 || i > 8 {
		return false
	}
	for i < len(s) {
		if s[i] != '-' {
			return false
		}
		i++
		j := i
		for i < len(s) && (isASCIILetter(s[i]) || s[i] >= '0' && s[i] <= '9') {
			i++
		}
		if i == j || i-j > 8 {
			return false
		}
	}
	return true
}
