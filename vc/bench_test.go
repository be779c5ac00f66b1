package vc

import (
	"encoding/json"
	"os"
	"testing"
)

// BenchmarkParse measures Parse on an Open Badges credential, next to
// json.Unmarshal of the same bytes into a map (no limits, no duplicate-key
// or UTF-8 checks, float64 numbers) as the baseline.
func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"ob-realistic-safe.json", "ob-full-safe.json"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/vc.Parse", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/json.Unmarshal", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var m map[string]any
				if err := json.Unmarshal(data, &m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheckDataModel measures the structural checks and the accessors
// a verifier calls on a parsed credential.
func BenchmarkCheckDataModel(b *testing.B) {
	data, err := os.ReadFile("testdata/ob-realistic-safe.json")
	if err != nil {
		b.Fatal(err)
	}
	c, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ps := c.CheckDataModel(); ps != nil {
			b.Fatal(ps)
		}
		if _, err := c.Issuer(); err != nil {
			b.Fatal(err)
		}
		if _, _, err := c.ValidFrom(); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Proofs(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWithoutProof measures the deep copy proof code makes.
func BenchmarkWithoutProof(b *testing.B) {
	data, err := os.ReadFile("testdata/ob-full-safe.json")
	if err != nil {
		b.Fatal(err)
	}
	c, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.WithoutProof()
	}
}
