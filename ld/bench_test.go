package ld

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"
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

func BenchmarkExpand(b *testing.B) {
	for name, path := range benchDocs() {
		doc := loadJSON(b, path)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Expand(context.Background(), doc, nil); err != nil {
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
