package jsonx

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// BenchmarkDecode compares Decode with encoding/json on the same inputs in
// one run: json.Unmarshal into an any (float64 numbers, no duplicate-key or
// UTF-8 checks) and json.Decoder with UseNumber (the closest equivalent of
// what Decode returns).
func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"ob-realistic-safe.json", "ob-full-safe.json"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/jsonx", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(data, Limits{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/json.Unmarshal", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/json.Decoder-UseNumber", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				dec := json.NewDecoder(bytes.NewReader(data))
				dec.UseNumber()
				var v any
				if err := dec.Decode(&v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
