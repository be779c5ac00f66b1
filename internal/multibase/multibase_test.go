package multibase

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"testing"
)

// refEncode is a slow, obviously-correct base58 encoder used as an oracle.
func refEncode(src []byte) string {
	n := new(big.Int).SetBytes(src)
	var out []byte
	fifty8 := big.NewInt(58)
	mod := new(big.Int)
	for n.Sign() > 0 {
		n.DivMod(n, fifty8, mod)
		out = append(out, alphabet[mod.Int64()])
	}
	for _, b := range src {
		if b != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBase58Vectors(t *testing.T) {
	// Vectors from the Bitcoin Core base58_encode_decode.json test file and
	// the IETF base58 draft (draft-msporny-base58).
	tests := []struct{ hex, b58 string }{
		{"", ""},
		{"61", "2g"},
		{"626262", "a3gV"},
		{"636363", "aPEr"},
		{"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
		{"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
		{"516b6fcd0f", "ABnLTmg"},
		{"bf4f89001e670274dd", "3SEo3LWLoPntC"},
		{"572e4794", "3EFU7m"},
		{"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
		{"10c8511e", "Rt5zm"},
		{"00000000000000000000", "1111111111"},
		{"000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5", "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"},
		{hex.EncodeToString([]byte("Hello World!")), "2NEpo7TZRRrLZSi2U"},
		{hex.EncodeToString([]byte("The quick brown fox jumps over the lazy dog.")), "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z"},
		{"0000287fb4cd", "11233QC4"},
	}
	for _, tt := range tests {
		src := mustHex(t, tt.hex)
		if got := EncodeBase58(src); got != tt.b58 {
			t.Errorf("EncodeBase58(%s) = %q, want %q", tt.hex, got, tt.b58)
		}
		got, err := DecodeBase58(tt.b58)
		if err != nil {
			t.Errorf("DecodeBase58(%q): %v", tt.b58, err)
			continue
		}
		if !bytes.Equal(got, src) {
			t.Errorf("DecodeBase58(%q) = %x, want %s", tt.b58, got, tt.hex)
		}
	}
}

func TestBase58AgainstReference(t *testing.T) {
	// Every length up to 200 bytes, with and without leading zeros and 0xff runs.
	for n := 0; n <= 200; n++ {
		for _, fill := range []byte{0x00, 0x01, 0x7f, 0xff} {
			src := bytes.Repeat([]byte{fill}, n)
			for i := range src {
				if i%7 == 3 {
					src[i] ^= byte(i * 31)
				}
			}
			want := refEncode(src)
			if got := EncodeBase58(src); got != want {
				t.Fatalf("n=%d fill=%x: got %q want %q", n, fill, got, want)
			}
			back, err := DecodeBase58(want)
			if err != nil || !bytes.Equal(back, src) {
				t.Fatalf("n=%d fill=%x: decode = %x, %v", n, fill, back, err)
			}
		}
	}
}

func TestDecodeBase58Errors(t *testing.T) {
	tests := []struct {
		in      string
		wantPos int
	}{
		{"0", 0},
		{"O", 0},
		{"I", 0},
		{"l", 0},
		{"11l", 2},
		{"abc+", 3},
		{"z\x00", 1},
		{"é", 0},
	}
	for _, tt := range tests {
		_, err := DecodeBase58(tt.in)
		var ce *CharError
		if !errors.As(err, &ce) {
			t.Errorf("DecodeBase58(%q) err = %v, want CharError", tt.in, err)
			continue
		}
		if ce.Pos != tt.wantPos {
			t.Errorf("DecodeBase58(%q) pos = %d, want %d", tt.in, ce.Pos, tt.wantPos)
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("CharError is not ErrInvalid")
		}
	}
	if _, err := DecodeBase58(strings.Repeat("2", MaxBase58Len+1)); !errors.Is(err, ErrTooLong) {
		t.Errorf("oversized input: err = %v, want ErrTooLong", err)
	}
	if _, err := DecodeBase58(strings.Repeat("z", MaxBase58Len)); err != nil {
		t.Errorf("input at the limit: %v", err)
	}
}

func TestMultibase(t *testing.T) {
	// From the multibase spec test vectors ("yes mani !").
	msg := []byte("yes mani !")
	if got := Encode(Base58BTC, msg); got != "z7paNL19xttacUY" {
		t.Errorf("base58btc = %q", got)
	}
	if got := Encode(Base64URL, msg); got != "ueWVzIG1hbmkgIQ" {
		t.Errorf("base64url = %q", got)
	}
	tests := []struct {
		in      string
		enc     Encoding
		want    []byte
		wantErr error
	}{
		{"z7paNL19xttacUY", Base58BTC, msg, nil},
		{"ueWVzIG1hbmkgIQ", Base64URL, msg, nil},
		{"z", Base58BTC, []byte{}, nil},
		{"u", Base64URL, []byte{}, nil},
		{"", 0, nil, ErrInvalid},
		{"ueWVzIG1hbmkgIQ==", 0, nil, ErrInvalid}, // padding
		{"ueWVzIG1hbmkgIR", 0, nil, ErrInvalid},   // stray bits
		{"ue+Vz", 0, nil, ErrInvalid},             // std alphabet
		{"ueWVz\nIG1hbmkgIQ", 0, nil, ErrInvalid}, // line break
		{"u\r\n", 0, nil, ErrInvalid},
		{"z0", 0, nil, ErrInvalid},
		{"Mmm", 0, nil, ErrUnsupported},
		{"f00", 0, nil, ErrUnsupported},
		{"u" + strings.Repeat("A", MaxBase64Len+1), 0, nil, ErrTooLong},
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 20 {
			name = name[:20]
		}
		enc, got, err := Decode(tt.in)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Decode(%q) err = %v, want %v", name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || enc != tt.enc || !bytes.Equal(got, tt.want) {
			t.Errorf("Decode(%q) = %c %x %v", name, enc, got, err)
		}
	}
	var ce *CharError
	if _, _, err := Decode("z12l"); !errors.As(err, &ce) || ce.Pos != 3 {
		t.Errorf("Decode(z12l) err = %v, want CharError at 3", err)
	}
	if _, err := DecodeBase58BTC("uAAA"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("DecodeBase58BTC(u...) err = %v", err)
	}
}

func TestVarint(t *testing.T) {
	tests := []struct {
		v   uint64
		hex string
	}{
		{0, "00"},
		{1, "01"},
		{127, "7f"},
		{128, "8001"},
		{255, "ff01"},
		{300, "ac02"},
		{uint64(Ed25519Pub), "ed01"},
		{uint64(Ed25519Priv), "8026"},
		{uint64(P256Pub), "8024"},
		{uint64(P384Pub), "8124"},
		{uint64(P256Priv), "8626"},
		{1<<63 - 1, "ffffffffffffffff7f"},
	}
	for _, tt := range tests {
		b := AppendVarint(nil, tt.v)
		if hex.EncodeToString(b) != tt.hex {
			t.Errorf("AppendVarint(%d) = %x, want %s", tt.v, b, tt.hex)
		}
		v, n, err := ReadVarint(append(b, 0xAA))
		if err != nil || v != tt.v || n != len(b) {
			t.Errorf("ReadVarint(%x) = %d, %d, %v", b, v, n, err)
		}
	}
	for _, bad := range []string{"", "80", "ff", "8000", "ed8100", "ffffffffffffffffff01", "80808080808080808001"} {
		if _, _, err := ReadVarint(mustHex(t, bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("ReadVarint(%s) err = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestMultikeyVectors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		codec  Codec
		keyLen int
		keyHex string
	}{
		// W3C vc-di-eddsa TestVectors/keyPair.json
		{"w3c eddsa public", "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", Ed25519Pub, 32, ""},
		{"w3c eddsa secret", "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq", Ed25519Priv, 32, ""},
		// OB 3.0 implementation guide test key pair
		{"ob3 public", "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", Ed25519Pub, 32, "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"},
		{"ob3 secret (seed||public)", "zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx", Ed25519Priv, 64,
			"6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be44bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"},
		// W3C vc-di-ecdsa TestVectors/p256KeyPair.json and p384KeyPair.json
		{"w3c p256 public", "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP", P256Pub, 33, ""},
		{"w3c p256 secret", "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN", P256Priv, 32, ""},
		{"w3c p384 public", "z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ", P384Pub, 49, ""},
		{"w3c p384 secret", "z2fanyY7zgwNpZGxX5fXXibvScNaUWNprHU9dKx7qpVj7mws9J8LLt4mDB5TyH2GLHWkUc", P384Priv, 48, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, key, err := DecodeMultikey(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if c != tt.codec || len(key) != tt.keyLen {
				t.Fatalf("got %v len %d, want %v len %d", c, len(key), tt.codec, tt.keyLen)
			}
			if tt.keyHex != "" && hex.EncodeToString(key) != tt.keyHex {
				t.Fatalf("key = %x, want %s", key, tt.keyHex)
			}
			if got := EncodeMultikey(c, key); got != tt.in {
				t.Fatalf("re-encode = %q", got)
			}
		})
	}
	if _, _, err := DecodeMultikey("z"); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty multikey err = %v", err)
	}
	if got := Ed25519Pub.String(); got != "ed25519-pub" {
		t.Errorf("String = %q", got)
	}
	if got := Codec(0x99).String(); got != "multicodec(0x99)" {
		t.Errorf("String = %q", got)
	}
}

func TestAppendBase58Allocs(t *testing.T) {
	key := bytes.Repeat([]byte{0xab}, 34)
	buf := make([]byte, 0, 64)
	allocs := testing.AllocsPerRun(100, func() { _ = AppendBase58(buf[:0], key) })
	if allocs != 0 {
		t.Errorf("AppendBase58 of a 34-byte key allocated %v times, want 0", allocs)
	}
}

func FuzzDecodeBase58(f *testing.F) {
	for _, s := range []string{"", "1", "11233QC4", "2NEpo7TZRRrLZSi2U", "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "0OIl", "111111z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := DecodeBase58(s)
		if err != nil {
			return
		}
		// Base58 is a bijection between byte strings and alphabet strings.
		if got := EncodeBase58(b); got != s {
			t.Fatalf("round trip %q -> %x -> %q", s, b, got)
		}
		if len(s) < 300 {
			if ref := refEncode(b); ref != s {
				t.Fatalf("reference encoder disagrees: %q vs %q", ref, s)
			}
		}
	})
}

func FuzzEncodeBase58(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 1})
	f.Add(bytes.Repeat([]byte{0xff}, 70))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 2000 {
			return
		}
		s := EncodeBase58(b)
		if ref := refEncode(b); ref != s {
			t.Fatalf("EncodeBase58(%x) = %q, reference %q", b, s, ref)
		}
		back, err := DecodeBase58(s)
		if err != nil || !bytes.Equal(back, b) {
			t.Fatalf("decode(%q) = %x, %v", s, back, err)
		}
	})
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{"z7paNL19xttacUY", "ueWVzIG1hbmkgIQ", "u", "z", "", "f00", "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq", "u===="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc, b, err := Decode(s)
		if err != nil {
			return
		}
		if got := Encode(enc, b); got != s {
			t.Fatalf("round trip %q -> %q", s, got)
		}
		if c, rest, err := SplitCodec(b); err == nil {
			if got := AppendCodec(nil, c, rest); !bytes.Equal(got, b) {
				t.Fatalf("codec round trip %x -> %x", b, got)
			}
		}
	})
}

func BenchmarkEncodeBase58Key(b *testing.B) {
	key := bytes.Repeat([]byte{0xab}, 34)
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendBase58(buf[:0], key)
	}
}

func BenchmarkDecodeBase58Key(b *testing.B) {
	s := "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeBase58(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeBase58Signature(b *testing.B) {
	s := EncodeBase58(bytes.Repeat([]byte{0x5a}, 64))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeBase58(s); err != nil {
			b.Fatal(err)
		}
	}
}
