package multibase

import (
	"fmt"
)

// Codec is a multicodec code (https://github.com/multiformats/multicodec).
type Codec uint64

// The multicodec codes for key material used by Multikey and did:key.
const (
	Ed25519Pub  Codec = 0xed   // varint ed 01
	X25519Pub   Codec = 0xec   // varint ec 01
	Ed25519Priv Codec = 0x1300 // varint 80 26
	P256Pub     Codec = 0x1200 // varint 80 24, SEC1 compressed point
	P384Pub     Codec = 0x1201 // varint 81 24, SEC1 compressed point
	P521Pub     Codec = 0x1202 // varint 82 24, SEC1 compressed point
	P256Priv    Codec = 0x1306 // varint 86 26, 32-byte scalar
	P384Priv    Codec = 0x1307 // varint 87 26, 48-byte scalar
)

// String returns the multicodec table name of c, or its hex value.
func (c Codec) String() string {
	switch c {
	case Ed25519Pub:
		return "ed25519-pub"
	case X25519Pub:
		return "x25519-pub"
	case Ed25519Priv:
		return "ed25519-priv"
	case P256Pub:
		return "p256-pub"
	case P384Pub:
		return "p384-pub"
	case P521Pub:
		return "p521-pub"
	case P256Priv:
		return "p256-priv"
	case P384Priv:
		return "p384-priv"
	}
	return fmt.Sprintf("multicodec(0x%x)", uint64(c))
}

// maxVarintLen is the multiformats limit: at most 9 bytes (63 bits).
const maxVarintLen = 9

// AppendVarint appends the unsigned-varint (LEB128) encoding of v to dst.
func AppendVarint(dst []byte, v uint64) []byte {
	for v >= 0x80 {
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

// ReadVarint decodes an unsigned varint at the start of b and returns the
// value and the number of bytes read. Following the multiformats
// unsigned-varint spec it rejects encodings longer than 9 bytes and
// non-minimal encodings (a trailing 0x00 continuation group), so every value
// has one accepted form.
func ReadVarint(b []byte) (uint64, int, error) {
	var v uint64
	for i := 0; i < len(b) && i < maxVarintLen; i++ {
		c := b[i]
		v |= uint64(c&0x7f) << (7 * uint(i))
		if c < 0x80 {
			if c == 0 && i > 0 {
				return 0, 0, fmt.Errorf("%w: non-minimal varint", ErrInvalid)
			}
			return v, i + 1, nil
		}
	}
	if len(b) >= maxVarintLen {
		return 0, 0, fmt.Errorf("%w: varint longer than %d bytes", ErrInvalid, maxVarintLen)
	}
	return 0, 0, fmt.Errorf("%w: truncated varint", ErrInvalid)
}

// AppendCodec appends the varint of c followed by key to dst.
func AppendCodec(dst []byte, c Codec, key []byte) []byte {
	dst = AppendVarint(dst, uint64(c))
	return append(dst, key...)
}

// SplitCodec splits b into its leading multicodec and the rest. The returned
// slice aliases b.
func SplitCodec(b []byte) (Codec, []byte, error) {
	v, n, err := ReadVarint(b)
	if err != nil {
		return 0, nil, fmt.Errorf("multicodec prefix: %w", err)
	}
	return Codec(v), b[n:], nil
}

// EncodeMultikey returns 'z' + base58btc(varint(c) || key), the
// publicKeyMultibase / secretKeyMultibase form of Multikey and the
// method-specific identifier of did:key.
func EncodeMultikey(c Codec, key []byte) string {
	buf := make([]byte, 0, 1+(len(key)+3)*138/100+1)
	buf = append(buf, 'z')
	var tmp [64 + maxVarintLen]byte
	raw := AppendCodec(tmp[:0], c, key)
	return string(AppendBase58(buf, raw))
}

// DecodeMultikey reverses EncodeMultikey: s must start with 'z'. It returns
// the multicodec and the key bytes; the caller checks that the codec is one it
// expects and that the key has the right length.
func DecodeMultikey(s string) (Codec, []byte, error) {
	b, err := DecodeBase58BTC(s)
	if err != nil {
		return 0, nil, err
	}
	return SplitCodec(b)
}
