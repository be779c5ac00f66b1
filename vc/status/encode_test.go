package status

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/microcred/microcred/internal/multibase"
)

// encodeTestList returns a 131,072-entry list with set entries chosen by a
// fixed-seed generator: n of them, or, if frac > 0, each with probability
// frac.
func encodeTestList(t testing.TB, n int, frac float64) *List {
	t.Helper()
	l, err := NewList(MinEntries, PurposeRevocation)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	if frac > 0 {
		for i := range l.Len() {
			if r.Float64() < frac {
				l.Set(i)
			}
		}
	}
	for range n {
		l.Set(r.IntN(l.Len()))
	}
	return l
}

var encodeCases = []struct {
	name string
	n    int
	frac float64
}{
	{"empty", 0, 0},
	{"300set", 300, 0},
	{"1pct", 0, 0.01},
	{"10pct", 0, 0.10},
}

// BenchmarkListEncode: Encode of a 131,072-entry list (the issuer re-encodes
// the whole list on every status change). The sub-benchmarks report the
// length of the encodedList as "chars".
func BenchmarkListEncode(b *testing.B) {
	for _, c := range encodeCases {
		b.Run(c.name, func(b *testing.B) {
			l := encodeTestList(b, c.n, c.frac)
			enc, err := l.Encode()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(enc)), "chars")
			b.SetBytes(int64(len(l.Bytes())))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.Encode(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestEncodeSizes logs the encodedList length of each gzip level for the
// benchmark lists (go test -v -run TestEncodeSizes): the data behind the
// level Encode uses.
func TestEncodeSizes(t *testing.T) {
	if testing.Short() {
		t.Skip("informational")
	}
	for _, c := range encodeCases {
		l := encodeTestList(t, c.n, c.frac)
		enc, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		line := fmt.Sprintf("%-7s Encode=%d", c.name, len(enc))
		for _, lvl := range []int{gzip.BestSpeed, 2, 3, 4, 5, gzip.DefaultCompression, 7, 8, gzip.BestCompression} {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, lvl)
			zw.Write(l.Bytes())
			zw.Close()
			line += fmt.Sprintf(" L%d=%d", lvl, len(multibase.Encode(multibase.Base64URL, buf.Bytes())))
		}
		t.Log(line)
	}
}

// TestEncodeDeterministic: Encode decodes (with DecodeList and with the
// strict multibase decoder) to the bitstring, its GZIP header carries no
// time, name or comment, and the same list always encodes the same,
// whichever pooled encoder runs, also concurrently.
func TestEncodeDeterministic(t *testing.T) {
	lists := make([]*List, len(encodeCases))
	want := make([]string, len(encodeCases))
	for k, c := range encodeCases {
		l := encodeTestList(t, c.n, c.frac)
		enc, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		d, err := DecodeList(enc, DecodeOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !bytes.Equal(d.Bytes(), l.Bytes()) {
			t.Fatalf("%s: round trip changed the bitstring", c.name)
		}
		mb, gz, err := multibase.Decode(enc)
		if err != nil || mb != multibase.Base64URL {
			t.Fatalf("%s: multibase.Decode: %v, %q", c.name, err, mb)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		if h := zr.Header; !h.ModTime.Equal(time.Time{}) || h.Name != "" || h.Comment != "" || h.Extra != nil {
			t.Errorf("%s: GZIP header %+v, want no time, name, comment or extra", c.name, h)
		}
		if gz[4]|gz[5]|gz[6]|gz[7] != 0 {
			t.Errorf("%s: MTIME bytes % x, want zero", c.name, gz[4:8])
		}
		lists[k], want[k] = l, enc
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 3 * len(lists) {
				k := (g + i) % len(lists)
				enc, err := lists[k].Encode()
				if err != nil {
					t.Error(err)
					return
				}
				if enc != want[k] {
					t.Errorf("%s: a second Encode gave different text", encodeCases[k].name)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestEncodeLarge: a list larger than the pooled-buffer bound (a random,
// incompressible bitstring of 2 MiB) still round-trips, and a small list
// encoded afterwards is unaffected.
func TestEncodeLarge(t *testing.T) {
	l, err := NewList(16<<20, PurposeRevocation)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := range l.Bytes() {
		l.Bytes()[i] = byte(r.Uint32())
	}
	enc, err := l.Encode()
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeList(enc, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Bytes(), l.Bytes()) {
		t.Fatal("round trip changed the bitstring")
	}
	small := encodeTestList(t, 300, 0)
	a, _ := small.Encode()
	b, _ := small.Encode()
	if a != b {
		t.Fatal("Encode is not deterministic after a large list")
	}
}
