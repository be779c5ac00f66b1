package badge_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"strings"
	"testing"

	"github.com/microcred/microcred/badge"
)

// pngChunk encodes one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	return b.Bytes()
}

// bakePNG builds a minimal PNG with an openbadgecredential iTXt chunk.
func bakePNG(text []byte, compressed bool) []byte {
	var it bytes.Buffer
	it.WriteString(badge.PNGKeyword)
	it.WriteByte(0)
	if compressed {
		it.Write([]byte{1, 0, 0, 0})
		zw := zlib.NewWriter(&it)
		_, _ = zw.Write(text)
		_ = zw.Close()
	} else {
		it.Write([]byte{0, 0, 0, 0})
		it.Write(text)
	}
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	b.Write(pngChunk("IHDR", make([]byte, 13)))
	b.Write(pngChunk("iTXt", it.Bytes()))
	b.Write(pngChunk("IEND", nil))
	return b.Bytes()
}

// TestExtractBakedFixtures: the 1EdTech baked fixtures give the
// credential they carry: JSON for simple-json.*, a compact JWS for
// simple-jwt.*; and the verifier reads them with the right format.
func TestExtractBakedFixtures(t *testing.T) {
	for _, tc := range []struct {
		file string
		json bool
	}{
		{"simple-json.png", true}, {"simple-json.svg", true},
		{"simple-jwt.png", false}, {"simple-jwt.svg", false},
		{"simple-jwt_v1.png", false}, {"simple-jwt_v1.svg", false},
	} {
		data, err := os.ReadFile(casesDir + "/" + tc.file)
		if err != nil {
			t.Fatal(err)
		}
		var got []byte
		if strings.HasSuffix(tc.file, ".png") {
			got, err = badge.ExtractPNG(data)
		} else {
			got, err = badge.ExtractSVG(data)
		}
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		if tc.json {
			if got[0] != '{' || !bytes.Contains(got, []byte("OpenBadgeCredential")) {
				t.Errorf("%s: extracted %.60q", tc.file, got)
			}
		} else if !bytes.HasPrefix(got, []byte("eyJ")) || bytes.Count(got, []byte(".")) != 2 {
			t.Errorf("%s: extracted %.60q", tc.file, got)
		}
		rep := mustVerify(t, newVerifier(t, badge.VerifierOptions{}), data)
		wantFormat := tc.file[strings.LastIndex(tc.file, ".")+1:]
		kind := "jwt"
		if tc.json {
			kind = "json"
		}
		if rep.Credential.Format != wantFormat+"+"+kind {
			t.Errorf("%s: format %q", tc.file, rep.Credential.Format)
		}
		if c := rep.Check(badge.CheckParse); c.Outcome != badge.Passed {
			t.Errorf("%s: parse %s %s", tc.file, c.Outcome, c.Message)
		}
	}
}

// TestExtractPNGRoundTrip: plain and compressed iTXt.
func TestExtractPNGRoundTrip(t *testing.T) {
	want := []byte(`{"a":"b"}`)
	for _, comp := range []bool{false, true} {
		got, err := badge.ExtractPNG(bakePNG(want, comp))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("compressed=%v: %q %v", comp, got, err)
		}
	}
}

// TestExtractHostile: hostile PNGs and SVGs fail with a clear ErrBaked
// error, never a panic or an unbounded allocation; the verifier reports
// them as a failed parse.
func TestExtractHostile(t *testing.T) {
	good := bakePNG([]byte(`{"a":1}`), false)

	huge := bytes.Clone(good)
	binary.BigEndian.PutUint32(huge[8:12], 0x7fffffff) // IHDR length
	badCRC := bytes.Clone(good)
	badCRC[8+8+13] ^= 0xff // IHDR's CRC
	bomb := bakePNG(bytes.Repeat([]byte{'x'}, badge.MaxBakedCredentialBytes+10), true)
	plain := append(append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", make([]byte, 13))...), pngChunk("IEND", nil)...)
	noIEND := plain[:len(plain)-12]
	many := []byte("\x89PNG\r\n\x1a\n")
	for range badge.MaxPNGChunks + 1 {
		many = append(many, pngChunk("tEXt", nil)...)
	}
	var deep strings.Builder
	deep.WriteString(`<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">`)
	for range badge.MaxSVGDepth + 5 {
		deep.WriteString("<g>")
	}
	entity := `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>` +
		`<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>&e;</openbadges:credential></svg>`
	billion := `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
		`<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>&b;</openbadges:credential></svg>`
	for _, tc := range []struct {
		name, want string
		data       []byte
		png        bool
	}{
		{"huge chunk length", "exceeds the data", huge, true},
		{"bad CRC", "bad CRC", badCRC, true},
		{"decompression bomb", "decompresses to more than", bomb, true},
		{"no IEND", "truncated", noIEND, true},
		{"too many chunks", "more than", many, true},
		{"no credential", "no iTXt", plain, true},
		{"deep XML", "nested deeper", []byte(deep.String()), false},
		{"external entity", "SVG", []byte(entity), false},
		{"entity expansion", "SVG", []byte(billion), false},
		{"unclosed", "SVG", []byte(`<svg><openbadges:credential>{}`), false},
		{"no element", "no <openbadges:credential>", []byte(`<svg></svg>`), false},
	} {
		var err error
		if tc.png {
			_, err = badge.ExtractPNG(tc.data)
		} else {
			_, err = badge.ExtractSVG(tc.data)
		}
		if err == nil || !errors.Is(err, badge.ErrBaked) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want ErrBaked containing %q", tc.name, err, tc.want)
		}
		if len(tc.data) > 0 {
			rep := mustVerify(t, newVerifier(t, badge.VerifierOptions{}), tc.data)
			if c := rep.Check(badge.CheckParse); c.Outcome != badge.Failed {
				t.Errorf("%s: parse %s", tc.name, c.Outcome)
			}
		}
	}
}

// FuzzExtractPNG: no panic, and a result only within the limits.
func FuzzExtractPNG(f *testing.F) {
	// The fixtures are 84 KB of image data, which slows the fuzzer to a
	// crawl; their credentials are re-baked into minimal PNGs instead.
	for _, n := range []string{"simple-json.png", "simple-jwt.png"} {
		if b, err := os.ReadFile(casesDir + "/" + n); err == nil {
			if text, err := badge.ExtractPNG(b); err == nil {
				f.Add(bakePNG(text, false))
			}
		}
	}
	f.Add(bakePNG([]byte(`{"a":1}`), true))
	f.Add(bakePNG([]byte(`{"a":1}`), false))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := badge.ExtractPNG(data)
		if err == nil && len(out) > badge.MaxBakedCredentialBytes {
			t.Fatalf("%d bytes extracted", len(out))
		}
		if err != nil && !errors.Is(err, badge.ErrBaked) {
			t.Fatalf("error not ErrBaked: %v", err)
		}
	})
}

// FuzzExtractSVG: no panic, and a result only within the limits.
func FuzzExtractSVG(f *testing.F) {
	for _, n := range []string{"simple-json.svg", "simple-jwt.svg"} {
		if b, err := os.ReadFile(casesDir + "/" + n); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="a.b.c"/></svg>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := badge.ExtractSVG(data)
		if err == nil && len(out) > badge.MaxBakedCredentialBytes {
			t.Fatalf("%d bytes extracted", len(out))
		}
		if err != nil && !errors.Is(err, badge.ErrBaked) {
			t.Fatalf("error not ErrBaked: %v", err)
		}
	})
}
