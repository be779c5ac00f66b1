package rdf

import (
	"bytes"
	"cmp"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash"
	"math"
	"slices"
	"strconv"
	"sync"
)

// DefaultMaxWork is the work budget [Canonicalize] uses when
// Options.MaxWork is 0.
//
// Work is counted only in the N-degree phase of RDFC-1.0, the only part
// whose cost can explode (everything else is O(n log n) in the size of the
// dataset). Each call of the Hash N-Degree Quads algorithm costs 1 plus the
// number of quads mentioning its blank node (each of which needs a Hash
// Related Blank Node hash), each permutation tried costs 1 plus 1/16 of the
// sizes of the issuer it copies and of the permutation, each blank node
// visited in a permutation costs 1, and each look-up in a temporary issuer
// costs 1/32 of its size. A unit is thus roughly one hash or a few dozen
// memory operations, and memory use in the phase is proportional to the
// work as well. The measure is deterministic: the same dataset always needs
// the same work.
//
// Realistic credentials need little or none: all blank nodes of the Open
// Badges examples in testdata have unique first-degree hashes except a few
// in small groups (ob-full-safe, 348 quads and 40 blank nodes, needs 182
// units). The W3C rdf-canon suite needs at most 8,666 units (test044–046,
// the "evil" graphs that are meant to be computable). Legitimate but
// symmetric shapes cost more: two equal objects each holding six equal
// blank-node objects need 44,820 units (seven: 433,458, over the budget),
// an RDF list of 50 equal blank-node items about 30,000 (100 items: about
// 200,000, over).
//
// 100,000 units leave more than ten times the suite's maximum and are far
// more than rdf-canonize (jsonld.js) allows by default (as many Hash
// N-Degree Quads calls as there are blank nodes with shared hashes), while
// the 10-node clique of rdf-canon test074, whose full run would need many
// orders of magnitude more, is rejected after about 10 ms (on one
// virtualised AMD Turin-class core) and 1.5 MB of allocations.
const DefaultMaxWork = 100_000

// maxDepth bounds the recursion of Hash N-Degree Quads (which is also
// bounded by the work budget: each level costs at least one unit). It
// only matters with an unlimited budget, where it keeps a long chain of
// look-alike blank nodes from growing the goroutine stack without limit.
// A variable only so that tests can lower it.
var maxDepth = 10_000

// ctxCheckInterval is how many work units pass between two checks of the
// context.
const ctxCheckInterval = 4096

// ErrWorkLimit is matched, with [errors.Is], by the *WorkLimitError that
// [Canonicalize] returns when a dataset needs more work than its budget.
var ErrWorkLimit = errors.New("rdf: canonicalization work limit exceeded")

// WorkLimitError reports that canonicalizing a dataset needed more work than
// Options.MaxWork allows, which happens with poison graphs built to make
// RDFC-1.0 run for hours (highly symmetric blank node structures such as
// cliques). It unwraps to [ErrWorkLimit].
type WorkLimitError struct {
	// Limit is the budget that was exceeded.
	Limit int64
	// Depth is set instead when the Hash N-Degree Quads recursion got
	// deeper than the package's fixed bound of 10,000 levels.
	Depth int
	// BlankNodes is the number of distinct blank nodes in the dataset.
	BlankNodes int
	// Shared is the number of blank nodes whose first-degree hash was not
	// unique, the ones that needed the N-degree phase.
	Shared int
}

// Error describes the limit that was hit.
func (e *WorkLimitError) Error() string {
	s := "rdf: canonicalization work limit exceeded: "
	if e.Depth > 0 {
		s += "recursion deeper than " + strconv.Itoa(e.Depth) + " levels"
	} else {
		s += "more than " + strconv.FormatInt(e.Limit, 10) + " work units"
	}
	return s + " (" + strconv.Itoa(e.BlankNodes) + " blank nodes, " +
		strconv.Itoa(e.Shared) + " with shared first-degree hashes)"
}

// Unwrap returns [ErrWorkLimit].
func (e *WorkLimitError) Unwrap() error { return ErrWorkLimit }

// Options tunes [Canonicalize]. The zero value, like a nil *Options, gives
// standard RDFC-1.0 with SHA-256 and the default work budget.
type Options struct {
	// Hash is the hash algorithm: crypto.SHA256 (used when zero, the
	// RDFC-1.0 default) or crypto.SHA384 (RDFC-1.0 allows other hash
	// algorithms; the rdf-canon suite tests SHA-384). Others give an error.
	Hash crypto.Hash
	// MaxWork is the work budget (see [DefaultMaxWork] for what a unit is).
	// Zero means DefaultMaxWork; a negative value means no limit, which is
	// only safe for trusted input.
	MaxWork int64
	// UTF16Order sorts N-Quads lines (in Hash First Degree Quads and in the
	// output) by UTF-16 code units instead of Unicode code points. This is
	// not RDFC-1.0: it reproduces rdf-canonize, and so jsonld.js and the
	// Data Integrity libraries built on it, which sort with JavaScript's
	// default string order. The two orders differ only for datasets whose
	// strings hold both characters above U+FFFF (such as emoji) and
	// characters in U+E000–U+FFFF (such as fullwidth forms), so a verifier
	// can retry with UTF16Order when a proof over such a dataset fails.
	UTF16Order bool
}

// Result is the outcome of [Canonicalize].
type Result struct {
	// NQuads is the canonical N-Quads document: every quad of the dataset
	// once, its blank nodes relabelled _:c14n0, _:c14n1, …, one line per
	// quad ending in "\n", the lines sorted in code point (UTF-8 byte) order
	// (UTF-16 order with Options.UTF16Order). This is what a Data Integrity
	// proof hashes.
	NQuads []byte
	// Work is the number of work units the N-degree phase used.
	Work int64

	labels []string // input blank node labels, by node number
	canon  []int32  // canonical number, by node number
}

// IssuedIdentifiers returns the issued identifiers map of RDFC-1.0: each
// input blank node label (without "_:") mapped to its canonical label
// ("c14n0", "c14n1", …). It builds a new map on each call.
func (r *Result) IssuedIdentifiers() map[string]string {
	m := make(map[string]string, len(r.labels))
	for i, l := range r.labels {
		m[l] = "c14n" + strconv.Itoa(int(r.canon[i]))
	}
	return m
}

// Canonicalize runs the RDF Dataset Canonicalization algorithm RDFC-1.0
// (https://www.w3.org/TR/rdf-canon/) on ds and returns the canonical
// N-Quads document and the issued identifiers map.
//
// Duplicate quads in ds count once. Each quad must be valid (see
// [Quad.Validate]), except that blank node labels may be any non-empty
// UTF-8 string, since they are replaced; an invalid quad gives a *QuadError.
//
// The N-degree phase, which is exponential on symmetric blank node
// structures, stops with a *WorkLimitError (matching [ErrWorkLimit]) once
// it has used Options.MaxWork units. Canonicalize also stops, returning
// ctx.Err(), soon after ctx is done. opts may be nil.
//
// When several permutations of related blank nodes produce the same path
// (the graph has automorphisms), the one found first wins; permutations are
// enumerated like rdf-canonize does (Steinhaus–Johnson–Trotter over the
// input labels in UTF-16 order), so the issued identifiers map matches
// jsonld.js. The canonical N-Quads do not depend on this choice.
//
// Canonicalize does not modify ds and is safe for concurrent use.
func Canonicalize(ctx context.Context, ds Dataset, opts *Options) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	hashAlg, maxWork, utf16 := crypto.SHA256, int64(DefaultMaxWork), false
	if opts != nil {
		if opts.Hash != 0 {
			hashAlg = opts.Hash
		}
		utf16 = opts.UTF16Order
		switch {
		case opts.MaxWork < 0:
			maxWork = math.MaxInt64
		case opts.MaxWork > 0:
			maxWork = opts.MaxWork
		}
	}
	if hashAlg != crypto.SHA256 && hashAlg != crypto.SHA384 {
		return nil, errors.New("rdf: unsupported canonicalization hash " + hashAlg.String())
	}
	c, _ := canonPool.Get().(*canonicalizer)
	if c == nil {
		c = new(canonicalizer)
	}
	defer c.release()
	c.ctx, c.ds, c.utf16 = ctx, ds, utf16
	c.maxWork, c.work, c.nextCheck = maxWork, 0, ctxCheckInterval
	c.nextCanon, c.shared = 0, 0
	if hashAlg == crypto.SHA256 {
		if c.h256 == nil {
			c.h256 = sha256.New()
		}
		c.h, c.hs = c.h256, sha256.Size
	} else {
		if c.h384 == nil {
			c.h384 = sha512.New384()
		}
		c.h, c.hs = c.h384, sha512.Size384
	}
	if err := c.load(); err != nil {
		return nil, err
	}
	if err := c.label(); err != nil {
		return nil, err
	}
	return &Result{NQuads: c.output(), Work: c.work, labels: c.labels, canon: c.canon}, nil
}

// canonPool recycles the scratch space of Canonicalize: its buffers are
// proportional to the dataset and would otherwise be allocated (and
// zeroed) for every signature verification.
var canonPool sync.Pool

// maxPooledBytes is the largest scratch buffer kept for reuse.
const maxPooledBytes = 1 << 20

// release drops the references to the caller's data and returns c to the
// pool, unless a big dataset made its buffers large.
func (c *canonicalizer) release() {
	if cap(c.arena) > maxPooledBytes || cap(c.lines) > maxPooledBytes ||
		cap(c.quads) > maxPooledBytes/64 || len(c.ids) > 4096 || len(c.iris) > 4096 {
		return
	}
	c.ctx, c.ds, c.labels, c.canon, c.h = nil, nil, nil, nil, nil
	clear(c.ids)
	clear(c.iris)
	canonPool.Put(c)
}

// resize returns s with length n, reusing its array when it is big enough.
// The elements are not cleared.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// digest holds a SHA-256 or SHA-384 digest; SHA-256 leaves the tail zero,
// so comparing whole arrays compares the digests.
type digest [sha512.Size384]byte

// cquad is a quad of the input prepared for canonicalization.
type cquad struct {
	// blank is the node number of each position's blank node, or -1.
	blank [4]int32
	// off and end locate each non-blank term's canonical N-Quads form in
	// the arena; off == end for the default graph.
	off, end [4]int32
	// iri numbers each position's IRI (equal IRIs, equal numbers), or -1.
	iri [4]int32
}

// lineRef locates a serialized line in a buffer.
type lineRef struct {
	start, end int32
	// quad is the quad's index (in output: its subject's number).
	quad int32
	// rest is where the line continues after the subject (output only).
	rest int32
}

type canonicalizer struct {
	ctx context.Context
	ds  Dataset

	h          hash.Hash // h256 or h384
	h256, h384 hash.Hash
	hs         int // digest size

	maxWork, work, nextCheck int64
	utf16                    bool // sort lines in UTF-16 order

	quads    []cquad
	outSize  int                 // an upper bound of the output size
	arena    []byte              // serialized non-blank terms
	ids      map[string]int32    // node number by input label
	iris     map[string][3]int32 // arena span and number by IRI
	iriSpans [][2]int32          // arena span by IRI number
	labels   []string            // input label by node number
	// The quads mentioning node n are qIdx[qStart[n] : qStart[n]+qLen[n]],
	// in input order, each once.
	qStart, qLen, qIdx []int32

	first     []byte // first-degree digests, hs bytes per node
	firstHex  []byte // their hex forms, 2*hs bytes per node (lazy)
	canon     []int32
	nextCanon int32
	shared    int
	rank      []int32 // order of the input labels (lazy)
	order     []int32 // node numbers sorted by first-degree hash
	// Output: the canonical labels ("_:c14nN") of the nodes,
	// labelBuf[labelEnd[n-1]:labelEnd[n]], and space to sort the lines.
	labelBuf   []byte
	labelEnd   []int32
	groupStart []int32
	subjects   []int32
	sorted     []lineRef

	// Scratch space.
	lines  []byte
	refs   []lineRef
	relBuf []byte
	bufs   [][]byte
	// Stacks for the N-degree recursion.
	relStack  []relatedNode
	permStack []permEntry
	leftStack []bool
	recStack  []int32
}

// load validates ds, serializes its non-blank terms, numbers its blank
// nodes in order of first appearance (subject, object, graph) and builds
// the blank node to quads map.
func (c *canonicalizer) load() error {
	ds := c.ds
	c.quads = resize(c.quads, len(ds))
	size, blanks := 0, 0
	for i := range ds {
		q := &ds[i]
		size += len(q.Predicate.Value) + 2
		if q.Subject.Kind != KindBlank {
			size += len(q.Subject.Value) + 2
		} else {
			blanks++
		}
		if q.Object.Kind != KindBlank {
			size += len(q.Object.Value) + len(q.Object.Datatype) + len(q.Object.Language) + 6
		} else {
			blanks++
		}
		if q.Graph.Kind == KindIRI {
			size += len(q.Graph.Value) + 2
		} else if q.Graph.Kind == KindBlank {
			blanks++
		}
	}
	if size > math.MaxInt32/2 {
		return errors.New("rdf: dataset too large to canonicalize")
	}
	c.arena = slices.Grow(c.arena[:0], size+size/8)
	c.outSize = 0
	c.iriSpans = c.iriSpans[:0]
	if c.ids == nil {
		c.ids = make(map[string]int32, blanks/2)
		c.iris = make(map[string][3]int32, len(ds))
	}
	ids := c.ids
	c.labels = make([]string, 0, blanks/2)
	for i := range ds {
		q := &ds[i]
		if pos, reason := checkQuad(q, false); reason != "" {
			return &QuadError{Index: i, Position: pos, Reason: reason}
		}
		cq := &c.quads[i]
		for pos, t := range [4]*Term{&q.Subject, &q.Predicate, &q.Object, &q.Graph} {
			if t.Kind == KindBlank {
				id, ok := ids[t.Value]
				if !ok {
					id = int32(len(c.labels))
					ids[t.Value] = id
					c.labels = append(c.labels, t.Value)
				}
				cq.blank[pos], cq.iri[pos] = id, -1
				cq.off[pos], cq.end[pos] = 0, 0
				continue
			}
			cq.blank[pos], cq.iri[pos] = -1, -1
			if t.Kind == KindIRI {
				// IRIs repeat a lot (predicates, subjects, types): store
				// each once and number them, which lets output compare
				// them without looking at their bytes.
				if span, ok := c.iris[t.Value]; ok {
					cq.off[pos], cq.end[pos], cq.iri[pos] = span[0], span[1], span[2]
					continue
				}
			}
			cq.off[pos] = int32(len(c.arena))
			c.arena = appendTerm(c.arena, t)
			cq.end[pos] = int32(len(c.arena))
			if t.Kind == KindIRI {
				cq.iri[pos] = int32(len(c.iriSpans))
				c.iris[t.Value] = [3]int32{cq.off[pos], cq.end[pos], cq.iri[pos]}
				c.iriSpans = append(c.iriSpans, [2]int32{cq.off[pos], cq.end[pos]})
			}
		}
		if len(c.arena) > math.MaxInt32/2 {
			return errors.New("rdf: dataset too large to canonicalize")
		}
		for pos := range 4 {
			if cq.blank[pos] >= 0 {
				c.outSize += 12
			} else {
				c.outSize += int(cq.end[pos]-cq.off[pos]) + 1
			}
		}
		c.outSize += 3
	}

	n := len(c.labels)
	c.qStart = resize(c.qStart, n+1)
	c.qLen = resize(c.qLen, n)
	clear(c.qLen)
	for i := range c.quads {
		b := &c.quads[i].blank
		c.eachNode(b, func(id int32) { c.qLen[id]++ })
	}
	var sum int32
	for id := range n {
		c.qStart[id] = sum
		sum += c.qLen[id]
		c.qLen[id] = 0
	}
	c.qStart[n] = sum
	c.qIdx = resize(c.qIdx, int(sum))
	for i := range c.quads {
		b := &c.quads[i].blank
		c.eachNode(b, func(id int32) {
			c.qIdx[c.qStart[id]+c.qLen[id]] = int32(i)
			c.qLen[id]++
		})
	}
	return nil
}

// eachNode calls f for each distinct blank node of a quad.
func (c *canonicalizer) eachNode(b *[4]int32, f func(int32)) {
	s, o, g := b[0], b[2], b[3]
	if s >= 0 {
		f(s)
	}
	if o >= 0 && o != s {
		f(o)
	}
	if g >= 0 && g != s && g != o {
		f(g)
	}
}

func (c *canonicalizer) nodeQuads(n int32) []int32 {
	return c.qIdx[c.qStart[n] : c.qStart[n]+c.qLen[n]]
}

// appendLine appends the N-Quads line of quad qi. With self >= 0 it writes
// blank nodes as the Hash First Degree Quads algorithm does (_:a for node
// self, _:z for the others); with self < 0 it writes canonical labels.
func (c *canonicalizer) appendLine(dst []byte, qi int32, self int32) []byte {
	q := &c.quads[qi]
	for pos := range 4 {
		b := q.blank[pos]
		if b < 0 {
			if q.off[pos] == q.end[pos] { // default graph
				continue
			}
			if pos > 0 {
				dst = append(dst, ' ')
			}
			dst = append(dst, c.arena[q.off[pos]:q.end[pos]]...)
			continue
		}
		if pos > 0 {
			dst = append(dst, ' ')
		}
		switch {
		case self < 0:
			dst = append(dst, c.canonLabel(b)...)
		case b == self:
			dst = append(dst, "_:a"...)
		default:
			dst = append(dst, "_:z"...)
		}
	}
	return append(dst, " .\n"...)
}

func (c *canonicalizer) compareLines(a, b lineRef) int {
	return c.compareBytes(c.lines[a.start:a.end], c.lines[b.start:b.end])
}

// label issues a canonical identifier to every blank node (RDFC-1.0 §4.4.3
// steps 2–5).
func (c *canonicalizer) label() error {
	n := len(c.labels)
	c.canon = make([]int32, n)
	if n == 0 {
		return nil
	}
	c.first = resize(c.first, n*c.hs)
	for id := range int32(n) {
		if id&255 == 255 {
			if err := c.ctx.Err(); err != nil {
				return err
			}
		}
		c.hashFirstDegree(id)
	}

	// Step 4: issue identifiers to nodes with unique first-degree hashes,
	// in hash order; collect the groups sharing a hash. The sort is stable
	// so that a group lists its nodes in order of first appearance.
	c.order = resize(c.order, n)
	order := c.order
	for i := range order {
		order[i] = int32(i)
		c.canon[i] = -1
	}
	firstOf := func(id int32) []byte { return c.first[int(id)*c.hs : int(id+1)*c.hs] }
	slices.SortStableFunc(order, func(a, b int32) int { return bytes.Compare(firstOf(a), firstOf(b)) })
	var groups [][]int32
	for i := 0; i < n; {
		j := i + 1
		for j < n && bytes.Equal(firstOf(order[i]), firstOf(order[j])) {
			j++
		}
		if j-i == 1 {
			c.issue(order[i])
		} else {
			groups = append(groups, order[i:j])
			c.shared += j - i
		}
		i = j
	}
	if len(groups) == 0 {
		return nil
	}

	// Step 5: the N-degree phase for the shared hashes, in hash order.
	c.prepareNDegree()
	type pathResult struct {
		h   digest
		iss []int32
	}
	var results []pathResult
	for _, group := range groups {
		results = results[:0]
		for _, id := range group {
			if c.canon[id] >= 0 {
				continue
			}
			h, iss, err := c.hashNDegree(id, []int32{id}, 1)
			if err != nil {
				return err
			}
			results = append(results, pathResult{h, iss})
		}
		slices.SortStableFunc(results, func(a, b pathResult) int { return bytes.Compare(a.h[:], b.h[:]) })
		for _, r := range results {
			for _, id := range r.iss {
				c.issue(id)
			}
		}
	}
	return nil
}

// issue gives node id the next canonical identifier unless it has one.
func (c *canonicalizer) issue(id int32) {
	if c.canon[id] < 0 {
		c.canon[id] = c.nextCanon
		c.nextCanon++
	}
}

// hashFirstDegree runs the Hash First Degree Quads algorithm (§4.6) for
// node id and stores the digest. On the way it drops repeated quads from
// the node's quad list: they serialize to equal lines here.
func (c *canonicalizer) hashFirstDegree(id int32) {
	list := c.nodeQuads(id)
	c.lines = c.lines[:0]
	c.refs = c.refs[:0]
	for _, qi := range list {
		start := len(c.lines)
		c.lines = c.appendLine(c.lines, qi, id)
		c.refs = append(c.refs, lineRef{start: int32(start), end: int32(len(c.lines)), quad: qi})
	}
	refs := c.refs
	if len(refs) > 1 {
		slices.SortFunc(refs, c.compareLines)
		refs = c.dropDuplicates(id, refs)
	}
	c.h.Reset()
	for _, r := range refs {
		c.h.Write(c.lines[r.start:r.end])
	}
	c.h.Sum(c.first[int(id)*c.hs : int(id)*c.hs])
}

// dropDuplicates removes, from refs sorted by line, the quads that repeat
// an earlier quad of the input, and drops them from node id's quad list
// too. Equal lines only hint at a repeat, since the _:z nodes may differ;
// equal lines and equal blank nodes mean equal quads.
func (c *canonicalizer) dropDuplicates(id int32, refs []lineRef) []lineRef {
	var repeats []int32
	for i := 0; i < len(refs); {
		j := i + 1
		for j < len(refs) && c.compareLines(refs[i], refs[j]) == 0 {
			j++
		}
		if j-i > 1 {
			run := refs[i:j]
			slices.SortFunc(run, func(a, b lineRef) int {
				ba, bb := &c.quads[a.quad].blank, &c.quads[b.quad].blank
				for k := range ba {
					if ba[k] != bb[k] {
						return int(ba[k]) - int(bb[k])
					}
				}
				return int(a.quad) - int(b.quad)
			})
			for k := 1; k < len(run); k++ {
				if c.quads[run[k].quad].blank == c.quads[run[k-1].quad].blank {
					repeats = append(repeats, run[k].quad) // keep the first copy
				}
			}
		}
		i = j
	}
	if len(repeats) == 0 {
		return refs
	}
	slices.Sort(repeats)
	isRepeat := func(q int32) bool {
		_, found := slices.BinarySearch(repeats, q)
		return found
	}
	kept := refs[:0]
	for _, r := range refs {
		if !isRepeat(r.quad) {
			kept = append(kept, r)
		}
	}
	list := c.nodeQuads(id)
	keep := list[:0]
	for _, qi := range list {
		if !isRepeat(qi) {
			keep = append(keep, qi)
		}
	}
	c.qLen[id] = int32(len(keep))
	return kept
}

// prepareNDegree computes what only the N-degree phase needs: the hex
// forms of the first-degree digests and the order of the input labels.
func (c *canonicalizer) prepareNDegree() {
	n := len(c.labels)
	c.firstHex = resize(c.firstHex, 2*len(c.first))
	hex.Encode(c.firstHex, c.first)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return compareUTF16(c.labels[a], c.labels[b]) })
	c.rank = resize(c.rank, n)
	for r, id := range order {
		c.rank[id] = int32(r)
	}
}

// compareUTF16 compares two UTF-8 strings in UTF-16 code unit order, the
// order of JavaScript's default sort. It differs from byte (code point)
// order only where a character above U+FFFF (a 4-byte sequence, a
// surrogate pair in UTF-16) meets one in U+E000–U+FFFF (a 3-byte sequence
// starting with 0xEE or 0xEF): the former sorts first in UTF-16.
func compareUTF16[T ~string | ~[]byte](a, b T) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n {
		return len(a) - len(b)
	}
	// After a common prefix, a lead byte faces a lead byte (or ASCII).
	ca, cb := a[i], b[i]
	switch {
	case ca >= 0xF0 && (cb == 0xEE || cb == 0xEF):
		return -1
	case cb >= 0xF0 && (ca == 0xEE || ca == 0xEF):
		return 1
	}
	return int(ca) - int(cb)
}

// charge adds n work units and checks the budget and, now and then, the
// context.
func (c *canonicalizer) charge(n int64) error {
	c.work += n
	if c.work >= c.nextCheck || c.work > c.maxWork {
		return c.checkpoint()
	}
	return nil
}

func (c *canonicalizer) checkpoint() error {
	if c.work > c.maxWork {
		return &WorkLimitError{Limit: c.maxWork, BlankNodes: len(c.labels), Shared: c.shared}
	}
	c.nextCheck = c.work + ctxCheckInterval
	return c.ctx.Err()
}

// find returns the temporary identifier number that iss gave node id, or
// -1, and charges the search.
func (c *canonicalizer) find(iss []int32, id int32) int {
	c.work += int64(len(iss) / 32)
	for i, v := range iss {
		if v == id {
			return i
		}
	}
	return -1
}

func (c *canonicalizer) getBuf() []byte {
	if n := len(c.bufs); n > 0 {
		b := c.bufs[n-1]
		c.bufs = c.bufs[:n-1]
		return b[:0]
	}
	return make([]byte, 0, 256)
}

func (c *canonicalizer) putBuf(b []byte) {
	if b != nil {
		c.bufs = append(c.bufs, b[:0])
	}
}

func (c *canonicalizer) sum(b []byte) (d digest) {
	if c.hs == sha256.Size {
		s := sha256.Sum256(b)
		copy(d[:], s[:])
	} else {
		s := sha512.Sum384(b)
		copy(d[:], s[:])
	}
	return d
}

// appendIssued appends the identifier "_:c14nN" or "_:bN" of node id, if
// the canonical issuer or iss has issued one, and reports whether it did.
func (c *canonicalizer) appendIssued(dst []byte, id int32, iss []int32) ([]byte, bool) {
	if k := c.canon[id]; k >= 0 {
		dst = append(dst, "_:c14n"...)
		return strconv.AppendInt(dst, int64(k), 10), true
	}
	if j := c.find(iss, id); j >= 0 {
		dst = append(dst, "_:b"...)
		return strconv.AppendInt(dst, int64(j), 10), true
	}
	return dst, false
}

// hashRelated runs the Hash Related Blank Node algorithm (§4.7).
func (c *canonicalizer) hashRelated(related, qi int32, iss []int32, position byte) digest {
	b := append(c.relBuf[:0], position)
	if position != 'g' {
		b = append(b, '<')
		b = append(b, c.ds[qi].Predicate.Value...)
		b = append(b, '>')
	}
	var ok bool
	if b, ok = c.appendIssued(b, related, iss); !ok {
		b = append(b, c.firstHex[int(related)*2*c.hs:int(related+1)*2*c.hs]...)
	}
	c.relBuf = b
	return c.sum(b)
}

// relatedNode is an entry of the hash to related blank nodes map.
type relatedNode struct {
	h    digest
	key  uint64 // the first 8 bytes of h, for faster sorting
	node int32
}

// positions holds the quad positions that can hold a blank node, with the
// letters Hash Related Blank Node uses for them.
var positions = [...]struct {
	pos    int
	letter byte
}{{0, 's'}, {2, 'o'}, {3, 'g'}}

// hashNDegree runs the Hash N-Degree Quads algorithm (§4.8) for node id
// with the temporary issuer iss (node numbers in order of issue; iss is
// not modified). It returns the hash and the resulting issuer.
func (c *canonicalizer) hashNDegree(id int32, iss []int32, depth int) (digest, []int32, error) {
	if depth > maxDepth {
		return digest{}, nil, &WorkLimitError{Limit: c.maxWork, Depth: maxDepth, BlankNodes: len(c.labels), Shared: c.shared}
	}
	quads := c.nodeQuads(id)
	if err := c.charge(1 + int64(len(quads))); err != nil {
		return digest{}, nil, err
	}
	// Steps 1–3: hash the related blank nodes. The entries live on a stack
	// shared by all levels of the recursion: deeper levels only push above
	// this level's entries (and if that moves the stack, this level's slice
	// still sees its own entries).
	base := len(c.relStack)
	defer func() { c.relStack = c.relStack[:base] }()
	for _, qi := range quads {
		b := &c.quads[qi].blank
		for _, p := range positions {
			if r := b[p.pos]; r >= 0 && r != id {
				h := c.hashRelated(r, qi, iss, p.letter)
				c.relStack = append(c.relStack, relatedNode{h, binary.BigEndian.Uint64(h[:8]), r})
			}
		}
	}
	rels := c.relStack[base:]
	slices.SortStableFunc(rels, func(a, b relatedNode) int {
		if a.key != b.key {
			return cmp.Compare(a.key, b.key)
		}
		return bytes.Compare(a.h[:], b.h[:])
	})

	// Steps 4–5: for each related hash, in order, the smallest path.
	data := c.getBuf()
	for i := 0; i < len(rels); {
		j := i + 1
		for j < len(rels) && rels[j].h == rels[i].h {
			j++
		}
		data = hex.AppendEncode(data, rels[i].h[:c.hs])
		chosen, chosenIss, err := c.choosePath(rels[i:j], iss, depth)
		if err != nil {
			return digest{}, nil, err
		}
		data = append(data, chosen...)
		c.putBuf(chosen)
		iss = chosenIss
		i = j
	}
	h := c.sum(data)
	c.putBuf(data)
	return h, iss, nil
}

// permEntry is an element of a permutation: a node, its label rank, and the
// slot of its direction flag (equal nodes share one, as in rdf-canonize).
type permEntry struct {
	node, rank, slot int32
}

// choosePath runs steps 5.2–5.4 of Hash N-Degree Quads for one related
// hash: it tries every permutation of the related nodes and returns the
// smallest path and the issuer that goes with it.
func (c *canonicalizer) choosePath(group []relatedNode, iss []int32, depth int) ([]byte, []int32, error) {
	// perm, left and the recursion list live on stacks shared by all
	// levels, like the related nodes in hashNDegree.
	permBase, leftBase, recBase := len(c.permStack), len(c.leftStack), len(c.recStack)
	defer func() {
		c.permStack, c.leftStack, c.recStack = c.permStack[:permBase], c.leftStack[:leftBase], c.recStack[:recBase]
	}()
	for _, r := range group {
		c.permStack = append(c.permStack, permEntry{node: r.node, rank: c.rank[r.node]})
		c.leftStack = append(c.leftStack, true)
	}
	perm, left := c.permStack[permBase:], c.leftStack[leftBase:]
	slices.SortStableFunc(perm, func(a, b permEntry) int { return int(a.rank) - int(b.rank) })
	for k := range perm {
		perm[k].slot = int32(k)
		if k > 0 && perm[k].node == perm[k-1].node {
			perm[k].slot = perm[k-1].slot
		}
	}

	var chosen []byte
	var chosenIss, spare []int32
	path := c.getBuf()
	for {
		if err := c.charge(1 + int64(len(iss)+len(perm))/16); err != nil {
			return nil, nil, err
		}
		// Step 5.4.1. An issuer copy that a permutation discards is
		// reused by the next one (spare); one that is chosen is kept.
		var issCopy []int32
		if spare != nil {
			issCopy = append(spare[:0], iss...)
			spare = nil
		} else {
			issCopy = make([]int32, len(iss), len(iss)+len(perm))
			copy(issCopy, iss)
		}
		path = path[:0]
		c.recStack = c.recStack[:recBase]
		skip := false
		for _, e := range perm {
			var ok bool
			if path, ok = c.appendIssued(path, e.node, issCopy); !ok {
				c.recStack = append(c.recStack, e.node)
				path = append(path, "_:b"...)
				path = strconv.AppendInt(path, int64(len(issCopy)), 10)
				issCopy = append(issCopy, e.node)
			}
			if err := c.charge(1); err != nil {
				return nil, nil, err
			}
			// Step 5.4.4.3. Once path sorts after chosen path it stays
			// there, so the length test of the spec is not needed.
			if chosen != nil && bytes.Compare(path, chosen) > 0 {
				skip = true
				break
			}
		}
		for _, r := range c.recStack[recBase:] {
			if skip {
				break
			}
			h, resIss, err := c.hashNDegree(r, issCopy, depth+1)
			if err != nil {
				return nil, nil, err
			}
			path, _ = c.appendIssued(path, r, issCopy)
			path = append(path, '<')
			path = hex.AppendEncode(path, h[:c.hs])
			path = append(path, '>')
			issCopy = resIss
			skip = chosen != nil && bytes.Compare(path, chosen) > 0
		}
		if !skip && (chosen == nil || bytes.Compare(path, chosen) < 0) {
			if chosen == nil {
				chosen, path = path, c.getBuf()
			} else {
				chosen, path = path, chosen
			}
			chosenIss, spare = issCopy, chosenIss
		} else {
			spare = issCopy
		}
		if !nextPermutation(perm, left) {
			break
		}
	}
	c.putBuf(path)
	return chosen, chosenIss, nil
}

// nextPermutation advances perm to the next permutation of the
// Steinhaus–Johnson–Trotter algorithm, exactly as rdf-canonize's Permuter
// does (which matters only for which of several equal paths is found
// first), and reports false when there is none.
func nextPermutation(perm []permEntry, left []bool) bool {
	kPos := -1
	var kRank int32
	last := len(perm) - 1
	for i, e := range perm {
		if kPos >= 0 && e.rank <= kRank {
			continue
		}
		if left[e.slot] && i > 0 && e.rank > perm[i-1].rank ||
			!left[e.slot] && i < last && e.rank > perm[i+1].rank {
			kPos, kRank = i, e.rank
		}
	}
	if kPos < 0 {
		return false
	}
	k := perm[kPos]
	swap := kPos + 1
	if left[k.slot] {
		swap = kPos - 1
	}
	perm[kPos], perm[swap] = perm[swap], k
	for _, e := range perm {
		if e.rank > kRank {
			left[e.slot] = !left[e.slot]
		}
	}
	return true
}

// canonLabel returns "_:c14nN" for node n (after output has written the
// labels).
func (c *canonicalizer) canonLabel(n int32) []byte {
	start := int32(0)
	if n > 0 {
		start = c.labelEnd[n-1]
	}
	return c.labelBuf[start:c.labelEnd[n]]
}

func (c *canonicalizer) compareBytes(a, b []byte) int {
	if c.utf16 {
		return compareUTF16(a, b)
	}
	return bytes.Compare(a, b)
}

// output serializes every quad with canonical labels, sorts the lines and
// drops repeats.
//
// Lines are sorted in two steps: by subject, then by the rest of the line
// within each subject. That is the order of whole lines because no
// subject's serialization holds a space or a control character, so of two
// different subjects the one that is a prefix of the other sorts first in
// both. It saves comparing the long subjects that most lines share.
func (c *canonicalizer) output() []byte {
	n := len(c.labels)
	c.labelBuf = c.labelBuf[:0]
	c.labelEnd = resize(c.labelEnd, n)
	for id := range n {
		c.labelBuf = append(c.labelBuf, "_:c14n"...)
		c.labelBuf = strconv.AppendInt(c.labelBuf, int64(c.canon[id]), 10)
		c.labelEnd[id] = int32(len(c.labelBuf))
	}

	// Serialize; number the subjects: blank nodes 0…n-1, IRIs n…
	c.lines = slices.Grow(c.lines[:0], c.outSize)
	c.refs = resize(c.refs, len(c.quads))
	c.groupStart = resize(c.groupStart, n+len(c.iriSpans)+1)
	clear(c.groupStart)
	for qi := range c.quads {
		q := &c.quads[qi]
		start := len(c.lines)
		c.lines = c.appendLine(c.lines, int32(qi), -1)
		var subj int32
		var rest int
		if b := q.blank[0]; b >= 0 {
			subj, rest = b, start+len(c.canonLabel(b))
		} else {
			subj, rest = int32(n)+q.iri[0], start+int(q.end[0]-q.off[0])
		}
		c.refs[qi] = lineRef{start: int32(start), rest: int32(rest), end: int32(len(c.lines)), quad: subj}
		c.groupStart[subj+1]++
	}

	// Sort the subjects that occur.
	subjects := c.subjects[:0]
	for k := range len(c.groupStart) - 1 {
		if c.groupStart[k+1] > 0 {
			subjects = append(subjects, int32(k))
		}
	}
	subjectBytes := func(k int32) []byte {
		if k < int32(n) {
			return c.canonLabel(k)
		}
		span := c.iriSpans[k-int32(n)]
		return c.arena[span[0]:span[1]]
	}
	slices.SortFunc(subjects, func(a, b int32) int { return c.compareBytes(subjectBytes(a), subjectBytes(b)) })

	// Place the lines subject by subject (a counting sort), then sort each
	// subject's lines.
	pos := int32(0)
	for _, k := range subjects {
		count := c.groupStart[k+1]
		c.groupStart[k+1] = pos // start of the group, for now
		pos += count
	}
	c.sorted = resize(c.sorted, len(c.refs))
	for _, r := range c.refs {
		k := r.quad + 1
		c.sorted[c.groupStart[k]] = r
		c.groupStart[k]++
	}
	byRest := func(a, b lineRef) int {
		return c.compareBytes(c.lines[a.rest:a.end], c.lines[b.rest:b.end])
	}
	out := make([]byte, 0, len(c.lines))
	start := 0
	for _, k := range subjects {
		group := c.sorted[start:c.groupStart[k+1]]
		start = int(c.groupStart[k+1])
		slices.SortFunc(group, byRest)
		for i, r := range group {
			if i > 0 && byRest(group[i-1], r) == 0 {
				continue // a repeated quad
			}
			out = append(out, c.lines[r.start:r.end]...)
		}
	}
	c.subjects = subjects[:0]
	return out
}
