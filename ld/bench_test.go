package ld

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	gold "github.com/piprate/json-gold/ld"
)

func loadJSON(tb testing.TB, path string) any {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		tb.Fatal(err)
	}
	return v
}

func benchDocs() map[string]string {
	return map[string]string{
		"realistic": "testdata/canon-edges/ob-realistic-safe.json",
		"full":      "testdata/canon-edges/ob-full-safe.json",
	}
}

// BenchmarkExpandGold is the json-gold expansion that Expand used before the
// expander (see gold_oracle_test.go), for comparison in the same run.
func BenchmarkExpandGold(b *testing.B) {
	for name, path := range benchDocs() {
		doc := loadJSON(b, path)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := expandGold(context.Background(), doc, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkToRDF(b *testing.B) {
	for name, path := range benchDocs() {
		doc := loadJSON(b, path)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ToRDF(context.Background(), doc, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCanonicalize(b *testing.B) {
	for name, path := range benchDocs() {
		doc := loadJSON(b, path)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Canonicalize(context.Background(), doc, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkJSONGoldNormalize is the baseline: plain json-gold v0.9.1
// URDNA2015 (no safe mode, pre-RDFC escaping), in the same run.
func BenchmarkJSONGoldNormalize(b *testing.B) {
	for name, path := range benchDocs() {
		doc := loadJSON(b, path)
		b.Run(name, func(b *testing.B) {
			opts := gold.NewJsonLdOptions("")
			opts.Algorithm = gold.AlgorithmURDNA2015
			opts.Format = "application/n-quads"
			opts.DocumentLoader = goldLoader{ctx: context.Background(), l: defaultLoader}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := gold.NewJsonLdProcessor().Normalize(doc, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
