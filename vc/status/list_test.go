package status

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/microcred/microcred/internal/jsonx"
)

const fixtureDir = "../../testdata/ob3/validator-cases/ob30/bit-string-list/"

// fixtureEncodedList returns the encodedList of the 1EdTech test list.
func fixtureEncodedList(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(fixtureDir + "testlist")
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return v.(map[string]any)["credentialSubject"].(map[string]any)["encodedList"].(string)
}

func gzipBytes(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestFixtureList(t *testing.T) {
	l, err := DecodeList(fixtureEncodedList(t), DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != MinEntries {
		t.Errorf("Len = %d, want %d", l.Len(), MinEntries)
	}
	// The validator says the credential at index 23 is revoked; nothing
	// else is set (byte 2 is 0x01: MSB-first, index 23 is its last bit).
	for i := 0; i < l.Len(); i++ {
		v, _ := l.Status(i)
		if want := uint64(0); i == 23 {
			if v != 1 {
				t.Errorf("index 23 = %d, want 1", v)
			}
		} else if v != want {
			t.Fatalf("index %d = %d, want 0", i, v)
		}
	}
}

func TestMSBFirst(t *testing.T) {
	l, _ := NewList(0, PurposeRevocation)
	if err := l.Set(0); err != nil {
		t.Fatal(err)
	}
	l.Set(9)
	if l.Bytes()[0] != 0x80 || l.Bytes()[1] != 0x40 {
		t.Fatalf("bytes % x, want 80 40", l.Bytes()[:2])
	}
	l.Clear(0)
	if l.Bytes()[0] != 0 {
		t.Fatal("Clear did not clear")
	}
	// Two-bit entries: entry 1 = 0b10 is bits 2..3 of byte 0.
	m, err := NewListWithStatusSize(0, PurposeMessage, 2)
	if err != nil {
		t.Fatal(err)
	}
	if m.Len() != MinEntries {
		t.Errorf("Len = %d", m.Len())
	}
	m.SetStatus(1, 2)
	if m.Bytes()[0] != 0x20 {
		t.Fatalf("byte 0 = %#x, want 0x20", m.Bytes()[0])
	}
	if v, _ := m.Status(1); v != 2 {
		t.Errorf("Status(1) = %d", v)
	}
	if err := m.SetStatus(1, 4); !errors.Is(err, ErrRange) {
		t.Errorf("value 4 in 2 bits: %v", err)
	}
	if err := l.Set(l.Len()); !errors.Is(err, ErrRange) {
		t.Errorf("index Len: %v", err)
	}
	if err := l.Set(-1); !errors.Is(err, ErrRange) {
		t.Errorf("index -1: %v", err)
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	l, _ := NewList(200000, PurposeSuspension)
	idx := []int{0, 1, 7, 8, 4095, 131071, l.Len() - 1}
	for _, i := range idx {
		l.Set(i)
	}
	enc, err := l.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if enc[0] != 'u' || strings.ContainsAny(enc, "=+/") {
		t.Fatalf("encodedList %q… is not unpadded multibase base64url", enc[:10])
	}
	d, err := DecodeList(enc, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Bytes(), l.Bytes()) {
		t.Fatal("round trip changed the bitstring")
	}
}

func TestDecodeList(t *testing.T) {
	full := make([]byte, MinEntries/8)
	full[2] = 1
	gz := gzipBytes(t, full)
	raw := base64.RawURLEncoding.EncodeToString(gz)
	padded := base64.URLEncoding.EncodeToString(gz)
	if raw == padded {
		t.Fatal("test needs a length that pads")
	}
	std := base64.StdEncoding.EncodeToString(gz)
	short := base64.RawURLEncoding.EncodeToString(gzipBytes(t, make([]byte, 1000)))

	for _, tc := range []struct {
		name string
		in   string
		opts DecodeOptions
		err  error
	}{
		{"multibase", "u" + raw, DecodeOptions{}, nil},
		{"padded (1EdTech fixtures)", "u" + padded, DecodeOptions{}, nil},
		{"standard alphabet", "u" + std, DecodeOptions{}, nil},
		{"StatusList2021 unprefixed", raw, DecodeOptions{}, nil},
		{"other multibase", "z" + raw, DecodeOptions{}, ErrMalformedList},
		{"empty", "", DecodeOptions{}, ErrMalformedList},
		{"bad base64", "u!!!!", DecodeOptions{}, ErrMalformedList},
		{"not gzip", "u" + base64.RawURLEncoding.EncodeToString(full[:100]), DecodeOptions{}, ErrMalformedList},
		{"truncated gzip", "u" + base64.RawURLEncoding.EncodeToString(gz[:len(gz)-6]), DecodeOptions{}, ErrMalformedList},
		{"short list", "u" + short, DecodeOptions{}, ErrListTooShort},
		{"short list allowed", "u" + short, DecodeOptions{AllowShortUnsafe: true}, nil},
		{"short for statusSize 2", "u" + raw, DecodeOptions{StatusSize: 2}, ErrListTooShort},
		{"statusSize out of range", "u" + raw, DecodeOptions{StatusSize: 33}, ErrRange},
		{"over MaxBytes", "u" + raw, DecodeOptions{MaxBytes: 1000}, ErrListTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := DecodeList(tc.in, tc.opts)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if err == nil && len(l.Bytes()) == len(full) && l.Bytes()[2] != full[2] {
				t.Error("wrong content")
			}
		})
	}
}

// TestGzipBomb: 64 MiB of zeros compress to ~64 KiB; decoding stops at the
// limit instead of allocating it all.
func TestGzipBomb(t *testing.T) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 64 {
		zw.Write(zeros)
	}
	zw.Close()
	enc := "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
	t.Logf("bomb: %d bytes encoded, 64 MiB decompressed", len(enc))
	_, err := DecodeList(enc, DecodeOptions{})
	if !errors.Is(err, ErrListTooLarge) {
		t.Fatalf("err = %v, want ErrListTooLarge", err)
	}
}

func TestNewListErrors(t *testing.T) {
	if _, err := NewList(10, ""); err == nil {
		t.Error("empty purpose accepted")
	}
	if _, err := NewListWithStatusSize(10, PurposeMessage, 0); !errors.Is(err, ErrRange) {
		t.Errorf("statusSize 0: %v", err)
	}
	if _, err := NewList(DefaultMaxListBytes*8+1, PurposeRevocation); !errors.Is(err, ErrListTooLarge) {
		t.Errorf("huge list: %v", err)
	}
}

func FuzzDecodeList(f *testing.F) {
	f.Add(fixtureEncodedList(f), 1)
	f.Add("uH4sIAAAAAAAA_-3BMQEAAAzDoMy_6cnoA9QFAAAAAAAAAAAAAAAAAAAAbD3uPa2cAEAAAA==", 1)
	f.Add("u", 2)
	f.Add("H4sI", 8)
	f.Fuzz(func(t *testing.T, s string, statusSize int) {
		l, err := DecodeList(s, DecodeOptions{MaxBytes: 1 << 20, StatusSize: statusSize, AllowShortUnsafe: true})
		if err != nil {
			return
		}
		if len(l.Bytes()) > 1<<20 {
			t.Fatalf("decoded %d bytes over the limit", len(l.Bytes()))
		}
		for _, i := range []int{0, l.Len() / 2, l.Len() - 1} {
			if i >= 0 && i < l.Len() {
				if _, err := l.Status(i); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Re-encoding and decoding gives the same bits.
		enc, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		d, err := DecodeList(enc, DecodeOptions{MaxBytes: 1 << 20, StatusSize: l.StatusSize, AllowShortUnsafe: true})
		if err != nil || !bytes.Equal(d.Bytes(), l.Bytes()) {
			t.Fatalf("re-encode: %v", err)
		}
	})
}
