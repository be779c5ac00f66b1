package rdf

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const suiteDir = "testdata/rdf-canon"

// suiteEntry is an entry of the rdf-canon manifest.jsonld.
type suiteEntry struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	Name          string `json:"name"`
	Action        string `json:"action"`
	Result        string `json:"result"`
	HashAlgorithm string `json:"hashAlgorithm"`
	Complexity    string `json:"computationalComplexity"`
}

func loadSuite(t testing.TB) []suiteEntry {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(suiteDir, "manifest.jsonld"))
	require.NoError(t, err)
	var m struct {
		Entries []suiteEntry `json:"entries"`
	}
	require.NoError(t, json.Unmarshal(raw, &m))
	require.NotEmpty(t, m.Entries)
	return m.Entries
}

func readSuiteFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(suiteDir, name))
	require.NoError(t, err)
	return b
}

func suiteOptions(t testing.TB, e suiteEntry) *Options {
	t.Helper()
	switch e.HashAlgorithm {
	case "", "SHA256":
		return nil
	case "SHA384":
		return &Options{Hash: crypto.SHA384}
	}
	t.Fatalf("%s: unknown hash algorithm %q", e.ID, e.HashAlgorithm)
	return nil
}

// TestRDFCanonSuite runs the W3C RDFC-1.0 test suite under the default
// options (and so the default work budget).
func TestRDFCanonSuite(t *testing.T) {
	counts := map[string]int{}
	var maxWork int64
	var maxWorkTest string
	for _, e := range loadSuite(t) {
		t.Run(strings.TrimPrefix(e.ID, "#")+"_"+e.Name, func(t *testing.T) {
			ds, err := ParseNQuads(readSuiteFile(t, e.Action))
			require.NoError(t, err)
			opts := suiteOptions(t, e)
			switch e.Type {
			case "rdfc:RDFC10EvalTest":
				res, err := Canonicalize(context.Background(), ds, opts)
				require.NoError(t, err)
				assert.Equal(t, string(readSuiteFile(t, e.Result)), string(res.NQuads))
				if res.Work > maxWork {
					maxWork, maxWorkTest = res.Work, e.ID
				}
			case "rdfc:RDFC10MapTest":
				res, err := Canonicalize(context.Background(), ds, opts)
				require.NoError(t, err)
				var want map[string]string
				require.NoError(t, json.Unmarshal(readSuiteFile(t, e.Result), &want))
				assert.Equal(t, want, res.IssuedIdentifiers())
				// The keys are exactly the input's blank node labels.
				labels := map[string]bool{}
				for _, q := range ds {
					for _, term := range []Term{q.Subject, q.Object, q.Graph} {
						if term.Kind == KindBlank {
							labels[term.Value] = true
						}
					}
				}
				assert.Len(t, want, len(labels))
			case "rdfc:RDFC10NegativeEvalTest":
				start := time.Now()
				res, err := Canonicalize(context.Background(), ds, opts)
				elapsed := time.Since(start)
				require.Error(t, err)
				assert.Nil(t, res)
				var wle *WorkLimitError
				require.ErrorAs(t, err, &wle)
				assert.ErrorIs(t, err, ErrWorkLimit)
				assert.Equal(t, int64(DefaultMaxWork), wle.Limit)
				// Generous: the budget, not the clock, decides; this only catches a
				// budget that stopped working (the full run takes hours).
				assert.Less(t, elapsed, 10*time.Second, "poison graph must be rejected quickly")
				t.Logf("%s rejected after %v: %v", e.ID, elapsed, err)
			default:
				t.Fatalf("unknown test type %q", e.Type)
			}
			counts[e.Type]++
		})
	}
	t.Logf("ran %v; the most work, %d units, was for %s", counts, maxWork, maxWorkTest)
	assert.Equal(t, 64, counts["rdfc:RDFC10EvalTest"])
	assert.Equal(t, 21, counts["rdfc:RDFC10MapTest"])
	assert.Equal(t, 1, counts["rdfc:RDFC10NegativeEvalTest"])
}

// TestRDFCanonSuiteIdempotent checks that canonical output canonicalizes to
// itself, and that relabelling and reordering the input changes nothing.
func TestRDFCanonSuiteIdempotent(t *testing.T) {
	for _, e := range loadSuite(t) {
		if e.Type != "rdfc:RDFC10EvalTest" {
			continue
		}
		t.Run(strings.TrimPrefix(e.ID, "#"), func(t *testing.T) {
			want := readSuiteFile(t, e.Result)
			opts := suiteOptions(t, e)
			ds, err := ParseNQuads(want)
			require.NoError(t, err)
			res, err := Canonicalize(context.Background(), ds, opts)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(res.NQuads))

			in, err := ParseNQuads(readSuiteFile(t, e.Action))
			require.NoError(t, err)
			res, err = Canonicalize(context.Background(), relabel(reverse(in), "x"), opts)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(res.NQuads))
		})
	}
}

// TestPoisonCancel checks that a poison graph with an unlimited budget stops
// when its context is cancelled.
func TestPoisonCancel(t *testing.T) {
	ds, err := ParseNQuads(readSuiteFile(t, "rdfc10/test074-in.nq"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Canonicalize(ctx, ds, &Options{MaxWork: -1})
	elapsed := time.Since(start)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
	assert.Less(t, elapsed, 2*time.Second)
	t.Logf("cancelled after %v", elapsed)
}

// TestPoisonWorkLimit checks the budget on the computable "evil" graphs.
func TestPoisonWorkLimit(t *testing.T) {
	ds, err := ParseNQuads(readSuiteFile(t, "rdfc10/test046-in.nq"))
	require.NoError(t, err)
	res, err := Canonicalize(context.Background(), ds, nil)
	require.NoError(t, err)
	_, err = Canonicalize(context.Background(), ds, &Options{MaxWork: res.Work - 1})
	assert.ErrorIs(t, err, ErrWorkLimit)
	_, err = Canonicalize(context.Background(), ds, &Options{MaxWork: res.Work})
	assert.NoError(t, err)
}

// relabel returns a copy of ds with every blank node label prefixed.
func relabel(ds Dataset, prefix string) Dataset {
	out := make(Dataset, len(ds))
	for i, q := range ds {
		for _, term := range []*Term{&q.Subject, &q.Object, &q.Graph} {
			if term.Kind == KindBlank {
				term.Value = prefix + term.Value
			}
		}
		out[i] = q
	}
	return out
}

func reverse(ds Dataset) Dataset {
	out := make(Dataset, len(ds))
	for i, q := range ds {
		out[len(ds)-1-i] = q
	}
	return out
}
