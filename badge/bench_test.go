package badge

import (
	"os"
	"testing"

	"github.com/microcred/microcred/vc"
)

func benchFiles(b *testing.B) map[string][]byte {
	files := map[string][]byte{}
	for name, path := range map[string]string{
		"full-spec-example": "testdata/spec/fullOpenBadge--complete-openbadgecredential.json",
		"embedded-56KB":     "testdata/educredentials/theed_regular_embedded_ho.json",
	} {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		files[name] = data
	}
	return files
}

// BenchmarkParseCredential compares ParseCredential with vc.Parse (which
// it runs first) on the same input.
func BenchmarkParseCredential(b *testing.B) {
	for name, data := range benchFiles(b) {
		b.Run(name+"/vc.Parse", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := vc.Parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/ParseCredential", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := ParseCredential(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMarshalJSON(b *testing.B) {
	for name, data := range benchFiles(b) {
		c, err := ParseCredential(data)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := c.MarshalJSON(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
