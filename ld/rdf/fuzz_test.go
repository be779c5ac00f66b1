package rdf

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds adds every N-Quads file of testdata as a seed.
func fuzzSeeds(f *testing.F) {
	files, err := filepath.Glob("testdata/rdf-canon/rdfc10/*-in.nq")
	if err != nil {
		f.Fatal(err)
	}
	more, err := filepath.Glob("testdata/credentials/*.nq")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range append(files, more...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"",
		"_:a <urn:p> _:a _:a .",
		"<urn:s> <urn:p> \"\\u0000\\U0001F600\\t\"@en-GB .\r\n# c\r",
		"_:a.b <urn:p> \"x\"^^<urn:\\u0020> .",
		"<urn:s><urn:p>_:x.",
	} {
		f.Add([]byte(s))
	}
}

// FuzzParseNQuads checks that the parser never panics and that whatever it
// accepts is written back as N-Quads that parse to the same dataset.
func FuzzParseNQuads(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := ParseNQuads(data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if err := ds.Validate(); err != nil {
			t.Fatalf("parsed dataset is invalid: %v", err)
		}
		out := ds.NQuads()
		ds2, err := ParseNQuads(out)
		if err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, out)
		}
		if len(ds2) != len(ds) {
			t.Fatalf("round trip changed the quad count: %d != %d", len(ds2), len(ds))
		}
		for i := range ds {
			if ds[i] != ds2[i] {
				t.Fatalf("round trip changed quad %d: %#v != %#v", i, ds[i], ds2[i])
			}
		}
		if out2 := ds2.NQuads(); !bytes.Equal(out, out2) {
			t.Fatalf("serialization is not stable:\n%s\n%s", out, out2)
		}
	})
}

// fuzzBudget keeps each fuzz run short; poison inputs just stop.
const fuzzBudget = 20_000

// FuzzCanonicalize checks that canonicalization never panics, that its
// output is a fixed point (it parses and canonicalizes to the same bytes)
// and that it does not depend on quad order or blank node labels.
func FuzzCanonicalize(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := ParseNQuads(data)
		if err != nil {
			return
		}
		opts := &Options{MaxWork: fuzzBudget}
		res, err := Canonicalize(context.Background(), ds, opts)
		if err != nil {
			if !errors.Is(err, ErrWorkLimit) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		if want := naiveOutput(ds, res.IssuedIdentifiers(), false); want != string(res.NQuads) {
			t.Fatalf("output differs from the naive rendering:\n%s\n---\n%s", res.NQuads, want)
		}
		ds2, err := ParseNQuads(res.NQuads)
		if err != nil {
			t.Fatalf("canonical output does not parse: %v\n%s", err, res.NQuads)
		}
		// The work depends a little on labels and order (through the
		// order of permutations), so allow more, but not unbounded, work
		// for the variants.
		more := &Options{MaxWork: 50 * fuzzBudget}
		res2, err := Canonicalize(context.Background(), ds2, more)
		if errors.Is(err, ErrWorkLimit) {
			return
		}
		if err != nil {
			t.Fatalf("canonical output does not canonicalize: %v", err)
		}
		if !bytes.Equal(res.NQuads, res2.NQuads) {
			t.Fatalf("not idempotent:\n%s\n---\n%s", res.NQuads, res2.NQuads)
		}
		if len(res.IssuedIdentifiers()) != len(res2.IssuedIdentifiers()) {
			t.Fatalf("blank node count changed")
		}
		res3, err := Canonicalize(context.Background(), shuffleRelabel(ds, uint64(len(data))), more)
		if errors.Is(err, ErrWorkLimit) {
			return
		}
		if err != nil {
			t.Fatalf("relabelled input does not canonicalize: %v", err)
		}
		if !bytes.Equal(res.NQuads, res3.NQuads) {
			t.Fatalf("depends on labels or order:\n%s\n---\n%s", res.NQuads, res3.NQuads)
		}
	})
}
