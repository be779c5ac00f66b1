// Package multibase implements the small parts of the multiformats family that
// Data Integrity proofs, Multikey and did:key need: base58btc (Bitcoin
// alphabet), multibase prefixes ('z' base58btc and 'u' base64url without
// padding), unsigned-varint multicodec prefixes, and the Multikey
// "prefix + multicodec + key bytes" form.
//
// Every decoder bounds its input length, rejects non-canonical input
// (non-minimal varints, base64 padding or stray bits) and returns an error
// instead of panicking, because its input comes from untrusted documents.
package multibase

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Encoding is a multibase prefix character.
type Encoding byte

// The multibase encodings this package supports.
const (
	// Base58BTC is base58 with the Bitcoin alphabet, prefix 'z'.
	Base58BTC Encoding = 'z'
	// Base64URL is RFC 4648 §5 base64url without padding, prefix 'u'.
	Base64URL Encoding = 'u'
)

// MaxBase64Len bounds the length, in characters, of base64url text that
// Decode accepts (1 MiB). Base64 decoding is linear; the bound only caps memory.
const MaxBase64Len = 1 << 20

// Errors returned by this package. They are wrapped; test with errors.Is.
var (
	// ErrTooLong reports an input above the package's length limits.
	ErrTooLong = errors.New("multibase: input too long")
	// ErrUnsupported reports a multibase prefix this package does not decode.
	ErrUnsupported = errors.New("multibase: unsupported encoding")
	// ErrInvalid reports malformed encoded text or a malformed varint.
	ErrInvalid = errors.New("multibase: invalid input")
)

// CharError reports a character outside the base58 alphabet.
type CharError struct {
	Pos  int  // byte offset in the text given to DecodeBase58
	Char byte // the offending byte
}

// Error implements error.
func (e *CharError) Error() string {
	return fmt.Sprintf("multibase: invalid base58 character %q at offset %d", e.Char, e.Pos)
}

// Is makes errors.Is(err, ErrInvalid) true for a CharError.
func (e *CharError) Is(target error) bool { return target == ErrInvalid }

// b64 is strict base64url without padding: stray trailing bits are rejected
// (and Decode rejects the line breaks encoding/base64 would skip) so that
// every byte string has exactly one accepted text form.
var b64 = base64.RawURLEncoding.Strict()

// Encode returns the multibase text of data: the prefix character followed by
// data in that encoding. It panics only on an Encoding value other than
// Base58BTC and Base64URL, which is a programming error.
func Encode(enc Encoding, data []byte) string {
	switch enc {
	case Base58BTC:
		buf := make([]byte, 1, 1+len(data)*138/100+1)
		buf[0] = 'z'
		return string(AppendBase58(buf, data))
	case Base64URL:
		return "u" + b64.EncodeToString(data)
	}
	panic(fmt.Sprintf("multibase: Encode with unsupported encoding %q", byte(enc)))
}

// Decode decodes multibase text, returning the encoding that its prefix
// named and the decoded bytes. Only 'z' (base58btc) and 'u' (base64url, no
// padding) are accepted; anything else is ErrUnsupported.
func Decode(s string) (Encoding, []byte, error) {
	if s == "" {
		return 0, nil, fmt.Errorf("%w: empty multibase string", ErrInvalid)
	}
	switch Encoding(s[0]) {
	case Base58BTC:
		b, err := DecodeBase58(s[1:])
		if err != nil {
			var ce *CharError
			if errors.As(err, &ce) {
				ce.Pos++ // report the offset in s, including the prefix
			}
			return 0, nil, err
		}
		return Base58BTC, b, nil
	case Base64URL:
		if len(s)-1 > MaxBase64Len {
			return 0, nil, fmt.Errorf("%w: base64url text is %d characters, limit %d", ErrTooLong, len(s)-1, MaxBase64Len)
		}
		if strings.ContainsAny(s, "\r\n") { // encoding/base64 skips them; we do not
			return 0, nil, fmt.Errorf("%w: base64url: line break in text", ErrInvalid)
		}
		b, err := b64.DecodeString(s[1:])
		if err != nil {
			return 0, nil, fmt.Errorf("%w: base64url: %v", ErrInvalid, err)
		}
		return Base64URL, b, nil
	}
	return 0, nil, fmt.Errorf("%w: prefix %q", ErrUnsupported, s[0])
}

// DecodeBase58BTC decodes multibase text that must use the 'z' prefix.
func DecodeBase58BTC(s string) ([]byte, error) {
	if s == "" || s[0] != 'z' {
		if s == "" {
			return nil, fmt.Errorf("%w: empty multibase string", ErrInvalid)
		}
		return nil, fmt.Errorf("%w: prefix %q, want 'z' (base58btc)", ErrUnsupported, s[0])
	}
	_, b, err := Decode(s)
	return b, err
}
