package rdf

import (
	"context"
	"os"
	"testing"
)

// benchDataset loads an N-Quads file from testdata.
func benchDataset(b *testing.B, path string) Dataset {
	b.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	ds, err := ParseNQuads(data)
	if err != nil {
		b.Fatal(err)
	}
	return ds
}

func BenchmarkCanonicalize(b *testing.B) {
	small := Dataset{
		{Subject: IRI("urn:uuid:1"), Predicate: IRI(RDFType), Object: IRI("https://www.w3.org/2018/credentials#VerifiableCredential")},
		{Subject: IRI("urn:uuid:1"), Predicate: IRI("https://www.w3.org/2018/credentials#credentialSubject"), Object: Blank("b0")},
		{Subject: Blank("b0"), Predicate: IRI("https://schema.org/name"), Object: Literal("Alice", "")},
		{Subject: Blank("b0"), Predicate: IRI("https://example.org/achievement"), Object: Blank("b1")},
		{Subject: Blank("b1"), Predicate: IRI("https://schema.org/name"), Object: LangLiteral("Go level 2", "en")},
		{Subject: Blank("b1"), Predicate: IRI("https://example.org/date"), Object: Literal("2024-01-01T00:00:00Z", "http://www.w3.org/2001/XMLSchema#dateTime")},
	}
	realistic := benchDataset(b, "testdata/credentials/ob-realistic-safe.jsonldjs.nq")
	full := benchDataset(b, "testdata/credentials/ob-full-safe.jsonldjs.nq")
	cases := []struct {
		name string
		ds   Dataset
	}{
		{"small-6q-2bn", small},
		{"ob-realistic-117q", realistic},
		{"ob-realistic-117q-relabelled", shuffleRelabel(realistic, 1)},
		{"ob-full-348q", full},
		{"ob-full-348q-relabelled", shuffleRelabel(full, 1)},
		{"symmetric-2x4", symmetricGraph(2, 4)},
		{"rdfc-test046-evil", benchDataset(b, "testdata/rdf-canon/rdfc10/test046-in.nq")},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Canonicalize(context.Background(), c.ds, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPoison measures how long the default budget lets the 10-node
// clique of rdf-canon test074 run before it is rejected.
func BenchmarkPoison(b *testing.B) {
	ds := benchDataset(b, "testdata/rdf-canon/rdfc10/test074-in.nq")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Canonicalize(context.Background(), ds, nil); err == nil {
			b.Fatal("no error")
		}
	}
}

func BenchmarkParseNQuads(b *testing.B) {
	data, err := os.ReadFile("testdata/credentials/ob-full-safe.jsonldjs.nq")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseNQuads(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNQuads(b *testing.B) {
	ds := benchDataset(b, "testdata/credentials/ob-full-safe.jsonldjs.nq")
	b.ReportAllocs()
	for b.Loop() {
		_ = ds.NQuads()
	}
}
