package multibase

import (
	"fmt"
)

// alphabet is the Bitcoin base58 alphabet used by base58btc.
const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// MaxBase58Len bounds the length, in characters, of base58 text that
// DecodeBase58 accepts. Base58 decoding is quadratic in the input length, so an
// unbounded input would let a hostile document spend CPU; 16 KiB of text is
// ~11.7 KB of bytes, far above any key or signature this project reads.
const MaxBase58Len = 16 << 10

// pow58 holds 58^n for n = 0..5; 58^5 < 2^30.
var pow58 = [6]uint64{1, 58, 58 * 58, 58 * 58 * 58, 58 * 58 * 58 * 58, 58 * 58 * 58 * 58 * 58}

const base58Limb = 58 * 58 * 58 * 58 * 58 // 656356768, five base58 digits per limb

// decodeMap maps an ASCII byte to its base58 digit value, or 0xff.
var decodeMap = func() [256]byte {
	var m [256]byte
	for i := range m {
		m[i] = 0xff
	}
	for i := 0; i < len(alphabet); i++ {
		m[alphabet[i]] = byte(i)
	}
	return m
}()

// EncodeBase58 returns the base58btc (Bitcoin alphabet) text of src, without
// a multibase prefix. Leading zero bytes become leading '1' characters.
func EncodeBase58(src []byte) string {
	return string(AppendBase58(nil, src))
}

// AppendBase58 appends the base58btc text of src to dst and returns the
// extended slice. It allocates only to grow dst and for a small scratch
// buffer proportional to len(src).
func AppendBase58(dst, src []byte) []byte {
	zeros := 0
	for zeros < len(src) && src[zeros] == 0 {
		zeros++
	}
	for range zeros {
		dst = append(dst, '1')
	}
	rest := src[zeros:]
	if len(rest) == 0 {
		return dst
	}

	// The number is converted to little-endian limbs of base 58^5, consuming
	// the input in 32-bit big-endian words (the first word may be shorter).
	// len(rest) bytes need at most ceil(len*8/log2(58^5)) limbs; log2(58^5) > 29.2.
	var scratch [24]uint32
	limbs := scratch[:0]
	if n := len(rest)*8/29 + 1; n > len(scratch) {
		limbs = make([]uint32, 0, n)
	}
	first := len(rest) % 4
	if first == 0 {
		first = 4
	}
	for i := 0; i < len(rest); {
		n := 4
		if i == 0 {
			n = first
		}
		var w uint64
		for _, b := range rest[i : i+n] {
			w = w<<8 | uint64(b)
		}
		i += n
		shift := uint(8 * n)
		carry := w
		for j := range limbs {
			// limbs[j] < 2^30, so limbs[j]<<32 + carry < 2^63.
			v := uint64(limbs[j])<<shift + carry
			limbs[j] = uint32(v % base58Limb)
			carry = v / base58Limb
		}
		for carry > 0 {
			limbs = append(limbs, uint32(carry%base58Limb))
			carry /= base58Limb
		}
	}

	// Most significant limb without leading zero digits, then five digits per limb.
	top := limbs[len(limbs)-1]
	var digits [5]byte
	k := len(digits)
	for top > 0 {
		k--
		digits[k] = alphabet[top%58]
		top /= 58
	}
	dst = append(dst, digits[k:]...)
	for j := len(limbs) - 2; j >= 0; j-- {
		v := limbs[j]
		for d := 4; d >= 0; d-- {
			digits[d] = alphabet[v%58]
			v /= 58
		}
		dst = append(dst, digits[:]...)
	}
	return dst
}

// DecodeBase58 decodes base58btc text (no multibase prefix). It rejects text
// longer than MaxBase58Len and any character outside the Bitcoin alphabet,
// reporting the offending position. The empty string decodes to an empty slice.
func DecodeBase58(s string) ([]byte, error) {
	if len(s) > MaxBase58Len {
		return nil, fmt.Errorf("%w: base58 text is %d characters, limit %d", ErrTooLong, len(s), MaxBase58Len)
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	rest := s[zeros:]

	// Little-endian base-2^32 limbs; len(rest) digits need at most
	// ceil(len*log2(58)/32) limbs and log2(58) < 5.86.
	var scratch [24]uint32
	limbs := scratch[:0]
	if n := len(rest)*586/3200 + 1; n > len(scratch) {
		limbs = make([]uint32, 0, n)
	}
	first := len(rest) % 5
	if first == 0 {
		first = 5
	}
	for i := 0; i < len(rest); {
		n := 5
		if i == 0 {
			n = first
		}
		var w uint64
		for k := i; k < i+n; k++ {
			d := decodeMap[rest[k]]
			if d == 0xff {
				return nil, &CharError{Pos: zeros + k, Char: rest[k]}
			}
			w = w*58 + uint64(d)
		}
		i += n
		mul := pow58[n]
		carry := w
		for j := range limbs {
			// limbs[j] < 2^32 and mul < 2^30, so the sum stays below 2^63.
			v := uint64(limbs[j])*mul + carry
			limbs[j] = uint32(v)
			carry = v >> 32
		}
		for carry > 0 {
			limbs = append(limbs, uint32(carry))
			carry >>= 32
		}
	}

	size := zeros
	if len(limbs) > 0 {
		top := limbs[len(limbs)-1]
		topBytes := 0
		for t := top; t > 0; t >>= 8 {
			topBytes++
		}
		size += topBytes + 4*(len(limbs)-1)
	}
	out := make([]byte, size)
	p := size
	for j := 0; j < len(limbs); j++ {
		v := limbs[j]
		if j == len(limbs)-1 {
			for v > 0 {
				p--
				out[p] = byte(v)
				v >>= 8
			}
			break
		}
		out[p-1] = byte(v)
		out[p-2] = byte(v >> 8)
		out[p-3] = byte(v >> 16)
		out[p-4] = byte(v >> 24)
		p -= 4
	}
	return out, nil
}
