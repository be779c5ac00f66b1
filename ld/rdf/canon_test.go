package rdf

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shuffleRelabel returns a copy of ds with its quads in a pseudo-random
// order and its blank nodes relabelled b0, b1, … in a pseudo-random order,
// the way a JSON-LD to RDF conversion would hand a dataset over.
func shuffleRelabel(ds Dataset, seed uint64) Dataset {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	labels := map[string]string{}
	var order []string
	for _, q := range ds {
		for _, term := range []Term{q.Subject, q.Object, q.Graph} {
			if term.Kind == KindBlank {
				if _, ok := labels[term.Value]; !ok {
					labels[term.Value] = ""
					order = append(order, term.Value)
				}
			}
		}
	}
	perm := rng.Perm(len(order))
	for i, l := range order {
		labels[l] = "b" + strconv.Itoa(perm[i])
	}
	out := make(Dataset, len(ds))
	for i, j := range rng.Perm(len(ds)) {
		q := ds[j]
		for _, term := range []*Term{&q.Subject, &q.Object, &q.Graph} {
			if term.Kind == KindBlank {
				term.Value = labels[term.Value]
			}
		}
		out[i] = q
	}
	return out
}

// TestCanonicalizeCredentials checks the N-Quads that jsonld.js produced
// for a set of credentials (already canonical) against this package, also
// after shuffling and relabelling. jsonld.js sorts lines in UTF-16 order,
// so with UTF16Order the output must match it byte for byte, and in the
// standard code point order it must hold the same lines, byte-sorted
// (edge-codepoint-sort is the file where the two orders differ).
func TestCanonicalizeCredentials(t *testing.T) {
	files, err := filepath.Glob("testdata/credentials/*.nq")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			jsOut, err := os.ReadFile(f)
			require.NoError(t, err)
			lines := strings.SplitAfter(string(jsOut), "\n")
			slices.Sort(lines)
			want := strings.Join(lines, "")
			if strings.Contains(f, "codepoint-sort") {
				require.NotEqual(t, string(jsOut), want, "the orders should differ here")
			}
			ds, err := ParseNQuads(jsOut)
			require.NoError(t, err)
			for seed := range uint64(5) {
				in := ds
				if seed > 0 {
					in = shuffleRelabel(ds, seed)
				}
				res, err := Canonicalize(context.Background(), in, nil)
				require.NoError(t, err)
				assert.Equal(t, want, string(res.NQuads), "seed %d", seed)
				res16, err := Canonicalize(context.Background(), in, &Options{UTF16Order: true})
				require.NoError(t, err)
				assert.Equal(t, string(jsOut), string(res16.NQuads), "seed %d, UTF-16 order", seed)
				if seed == 0 {
					t.Logf("%d quads, %d blank nodes, work %d", len(ds), len(res.IssuedIdentifiers()), res.Work)
					// Canonical labels map to themselves.
					for k, v := range res.IssuedIdentifiers() {
						assert.Equal(t, k, v)
					}
				}
			}
		})
	}
}

func TestCanonicalizeBasics(t *testing.T) {
	p := IRI("urn:p")
	t.Run("empty", func(t *testing.T) {
		res, err := Canonicalize(context.Background(), nil, nil)
		require.NoError(t, err)
		assert.Empty(t, res.NQuads)
		assert.Empty(t, res.IssuedIdentifiers())
	})
	t.Run("ground quads sorted and deduplicated", func(t *testing.T) {
		ds := Dataset{
			{Subject: IRI("urn:b"), Predicate: p, Object: Literal("x", "")},
			{Subject: IRI("urn:a"), Predicate: p, Object: Literal("x", ""), Graph: IRI("urn:g")},
			{Subject: IRI("urn:a"), Predicate: p, Object: Literal("x", "")},
			{Subject: IRI("urn:b"), Predicate: p, Object: Literal("x", XSDString)},
		}
		res, err := Canonicalize(context.Background(), ds, nil)
		require.NoError(t, err)
		assert.Equal(t, "<urn:a> <urn:p> \"x\" .\n<urn:a> <urn:p> \"x\" <urn:g> .\n<urn:b> <urn:p> \"x\" .\n", string(res.NQuads))
	})
	t.Run("duplicate blank quads count once", func(t *testing.T) {
		// Without deduplication _:x and _:y would get different
		// first-degree hashes and the result would differ from the
		// deduplicated dataset's.
		ds := Dataset{
			{Subject: Blank("x"), Predicate: p, Object: Blank("y")},
			{Subject: Blank("x"), Predicate: p, Object: Blank("y")},
			{Subject: Blank("y"), Predicate: p, Object: Blank("x")},
			{Subject: Blank("x"), Predicate: p, Object: Blank("y")},
		}
		res, err := Canonicalize(context.Background(), ds, nil)
		require.NoError(t, err)
		res2, err := Canonicalize(context.Background(), ds[1:3], nil)
		require.NoError(t, err)
		assert.Equal(t, string(res2.NQuads), string(res.NQuads))
		assert.Equal(t, res2.IssuedIdentifiers(), res.IssuedIdentifiers())
		assert.Equal(t, 2, bytes.Count(res.NQuads, []byte("\n")))
	})
	t.Run("self loop", func(t *testing.T) {
		ds := Dataset{{Subject: Blank("x"), Predicate: p, Object: Blank("x"), Graph: Blank("x")}}
		res, err := Canonicalize(context.Background(), ds, nil)
		require.NoError(t, err)
		assert.Equal(t, "_:c14n0 <urn:p> _:c14n0 _:c14n0 .\n", string(res.NQuads))
	})
	t.Run("any label is fine", func(t *testing.T) {
		ds := Dataset{{Subject: Blank("not a label!"), Predicate: p, Object: Literal("x", "")}}
		res, err := Canonicalize(context.Background(), ds, nil)
		require.NoError(t, err)
		assert.Equal(t, "_:c14n0 <urn:p> \"x\" .\n", string(res.NQuads))
		assert.Equal(t, map[string]string{"not a label!": "c14n0"}, res.IssuedIdentifiers())
	})
	t.Run("invalid quad", func(t *testing.T) {
		ds := Dataset{
			{Subject: IRI("urn:s"), Predicate: p, Object: Literal("x", "")},
			{Subject: IRI("urn:s"), Predicate: p, Object: LangLiteral("x", "e n")},
		}
		_, err := Canonicalize(context.Background(), ds, nil)
		var qe *QuadError
		require.ErrorAs(t, err, &qe)
		assert.Equal(t, 1, qe.Index)
		assert.Equal(t, "object", qe.Position)
		ds[1] = Quad{Subject: Blank(""), Predicate: p, Object: Literal("x", "")}
		_, err = Canonicalize(context.Background(), ds, nil)
		require.ErrorAs(t, err, &qe)
	})
	t.Run("unsupported hash", func(t *testing.T) {
		_, err := Canonicalize(context.Background(), nil, &Options{Hash: crypto.SHA1})
		assert.ErrorContains(t, err, "unsupported")
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Canonicalize(ctx, Dataset{{Subject: IRI("urn:s"), Predicate: p, Object: IRI("urn:o")}}, nil)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

// symmetricGraph builds a dataset with parents identical blank nodes, each
// with children identical blank node children: a legitimate but
// automorphic structure (an array of equal objects inside an array of equal
// objects) of the kind that needs the N-degree phase.
func symmetricGraph(parents, children int) Dataset {
	var ds Dataset
	root := IRI("urn:root")
	for i := range parents {
		pl := Blank("p" + strconv.Itoa(i))
		ds = append(ds, Quad{Subject: root, Predicate: IRI("urn:has"), Object: pl})
		for j := range children {
			cl := Blank("c" + strconv.Itoa(i) + "_" + strconv.Itoa(j))
			ds = append(ds,
				Quad{Subject: pl, Predicate: IRI("urn:child"), Object: cl},
				Quad{Subject: cl, Predicate: IRI("urn:name"), Object: Literal("same", "")})
		}
	}
	return ds
}

// TestWorkOfSymmetricStructures records what the default budget allows.
func TestWorkOfSymmetricStructures(t *testing.T) {
	for _, tc := range []struct{ parents, children int }{{1, 8}, {2, 3}, {2, 4}, {2, 5}, {2, 6}, {2, 7}, {3, 3}, {3, 4}, {4, 3}, {8, 1}, {8, 2}} {
		ds := symmetricGraph(tc.parents, tc.children)
		res, err := Canonicalize(context.Background(), ds, &Options{MaxWork: -1})
		require.NoError(t, err)
		_, errDefault := Canonicalize(context.Background(), ds, nil)
		t.Logf("%d parents × %d identical children: work %d, default budget ok: %v", tc.parents, tc.children, res.Work, errDefault == nil)
		res2, err := Canonicalize(context.Background(), shuffleRelabel(ds, 7), &Options{MaxWork: -1})
		require.NoError(t, err)
		assert.Equal(t, string(res.NQuads), string(res2.NQuads))
	}
}

// TestDeepChain checks a long chain of look-alike blank nodes: it needs deep
// recursion, which the work budget stops, and without a budget the depth
// bound.
func TestDeepChain(t *testing.T) {
	chain := func(n int) Dataset {
		var ds Dataset
		for i := range n {
			ds = append(ds, Quad{Subject: Blank("n" + strconv.Itoa(i)), Predicate: IRI("urn:next"), Object: Blank("n" + strconv.Itoa((i+1)%n))})
		}
		return ds
	}
	res, err := Canonicalize(context.Background(), chain(50), nil)
	require.NoError(t, err)
	t.Logf("ring of 50: work %d", res.Work)
	_, err = Canonicalize(context.Background(), chain(5000), nil)
	assert.ErrorIs(t, err, ErrWorkLimit)
	defer func(d int) { maxDepth = d }(maxDepth)
	maxDepth = 100
	_, err = Canonicalize(context.Background(), chain(maxDepth+10), &Options{MaxWork: -1})
	var wle *WorkLimitError
	require.ErrorAs(t, err, &wle)
	assert.Equal(t, 100, wle.Depth)
	assert.Contains(t, err.Error(), "recursion")
}

func TestSHA384(t *testing.T) {
	ds := Dataset{
		{Subject: Blank("a"), Predicate: IRI("urn:p"), Object: Blank("b")},
		{Subject: Blank("b"), Predicate: IRI("urn:p"), Object: Blank("a")},
	}
	r256, err := Canonicalize(context.Background(), ds, nil)
	require.NoError(t, err)
	r384, err := Canonicalize(context.Background(), ds, &Options{Hash: crypto.SHA384})
	require.NoError(t, err)
	assert.Equal(t, string(r256.NQuads), string(r384.NQuads)) // symmetric: same either way
	assert.Len(t, r384.IssuedIdentifiers(), 2)
}

func TestCompareUTF16(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"a", "b", -1}, {"b", "a", 1}, {"a", "a", 0}, {"a", "ab", -1}, {"", "a", -1},
		{"\uffff", "😀", 1}, // U+FFFF > U+D83D (high surrogate) in UTF-16
		{"\ue000", "😀", 1},
		{"\ud7ff", "😀", -1},
		{"😀", "😁", -1},
		{"xé", "x😀", -1},
	}
	for _, tt := range tests {
		got := compareUTF16(tt.a, tt.b)
		if got > 0 {
			got = 1
		} else if got < 0 {
			got = -1
		}
		assert.Equal(t, tt.want, got, "%q vs %q", tt.a, tt.b)
	}
}

func TestWorkLimitErrorMessage(t *testing.T) {
	err := error(&WorkLimitError{Limit: 10, BlankNodes: 3, Shared: 2})
	assert.True(t, errors.Is(err, ErrWorkLimit))
	assert.True(t, strings.Contains(err.Error(), "more than 10 work units"), err.Error())
}

// TestCanonicalizeConcurrent runs canonicalizations of different datasets
// at once, which share pooled scratch space (run with -race).
func TestCanonicalizeConcurrent(t *testing.T) {
	var inputs []Dataset
	var wants []string
	for _, name := range []string{"test020", "test044", "test060", "test075"} {
		ds, err := ParseNQuads(readSuiteFile(t, "rdfc10/"+name+"-in.nq"))
		require.NoError(t, err)
		inputs = append(inputs, ds)
		wants = append(wants, string(readSuiteFile(t, "rdfc10/"+name+"-rdfc10.nq")))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				k := (g + i) % len(inputs)
				var opts *Options
				if k == 3 {
					opts = &Options{Hash: crypto.SHA384}
				}
				res, err := Canonicalize(context.Background(), inputs[k], opts)
				if !assert.NoError(t, err) || !assert.Equal(t, wants[k], string(res.NQuads)) {
					return
				}
			}
		})
	}
	wg.Wait()
}

// naiveOutput is a plain rendering of the last step of RDFC-1.0: relabel
// with the issued identifiers, serialize each quad, sort the lines, drop
// repeats. It checks the faster output code of Canonicalize.
func naiveOutput(ds Dataset, issued map[string]string, utf16 bool) string {
	var lines []string
	for _, q := range ds {
		for _, term := range []*Term{&q.Subject, &q.Object, &q.Graph} {
			if term.Kind == KindBlank {
				term.Value = issued[term.Value]
			}
		}
		lines = append(lines, string(AppendQuad(nil, q)))
	}
	if utf16 {
		slices.SortFunc(lines, compareUTF16[string])
	} else {
		slices.Sort(lines)
	}
	return strings.Join(slices.Compact(lines), "")
}

// randomDataset builds a dataset from a small vocabulary chosen to produce
// terms that are prefixes of each other, characters on both sides of the
// UTF-16/code point divide, repeats and blank nodes in every position.
func randomDataset(rng *rand.Rand) Dataset {
	iris := []string{"urn:a", "urn:a:b", "urn:ab", "urn:\ue000", "urn:😀", "urn:a b", "http://example.org/x#y"}
	lits := []Term{Literal("", ""), Literal("a", ""), Literal("a b", ""), Literal("a", XSDInteger),
		LangLiteral("a", "en"), LangLiteral("a", "en-us"), Literal("\ue000", ""), Literal("😀", ""),
		Literal("x\n\"\\", ""), Literal("\x00\x7f", "")}
	nBlank := 1 + rng.IntN(12)
	blank := func() Term { return Blank("n" + strconv.Itoa(rng.IntN(nBlank))) }
	iri := func() Term { return IRI(iris[rng.IntN(len(iris))]) }
	var ds Dataset
	for range 1 + rng.IntN(40) {
		q := Quad{Predicate: iri()}
		if rng.IntN(2) == 0 {
			q.Subject = blank()
		} else {
			q.Subject = iri()
		}
		switch rng.IntN(3) {
		case 0:
			q.Object = blank()
		case 1:
			q.Object = iri()
		default:
			q.Object = lits[rng.IntN(len(lits))]
		}
		switch rng.IntN(4) {
		case 0:
			q.Graph = blank()
		case 1:
			q.Graph = iri()
		}
		ds = append(ds, q)
		if rng.IntN(10) == 0 {
			ds = append(ds, q) // a repeat
		}
	}
	return ds
}

// TestOutputMatchesNaive checks the output step against naiveOutput on the
// test files and on random datasets, in both orders, and checks
// isomorphism invariance on the random datasets.
func TestOutputMatchesNaive(t *testing.T) {
	var inputs []Dataset
	files, err := filepath.Glob("testdata/*/*.nq")
	require.NoError(t, err)
	more, err := filepath.Glob("testdata/rdf-canon/rdfc10/*-in.nq")
	require.NoError(t, err)
	for _, f := range append(files, more...) {
		if strings.Contains(f, "test074") {
			continue
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		ds, err := ParseNQuads(data)
		require.NoError(t, err)
		inputs = append(inputs, ds)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		inputs = append(inputs, randomDataset(rng))
	}
	skipped := 0
	for i, ds := range inputs {
		for _, utf16 := range []bool{false, true} {
			opts := &Options{UTF16Order: utf16, MaxWork: 1_000_000}
			res, err := Canonicalize(context.Background(), ds, opts)
			if errors.Is(err, ErrWorkLimit) {
				skipped++
				continue
			}
			require.NoError(t, err, "input %d", i)
			require.Equal(t, naiveOutput(ds, res.IssuedIdentifiers(), utf16), string(res.NQuads), "input %d utf16 %v", i, utf16)
			res2, err := Canonicalize(context.Background(), shuffleRelabel(ds, uint64(i)), opts)
			require.NoError(t, err, "input %d", i)
			require.Equal(t, string(res.NQuads), string(res2.NQuads), "input %d utf16 %v: not invariant", i, utf16)
		}
	}
	t.Logf("%d datasets, %d runs stopped by the budget", len(inputs), skipped)
}
