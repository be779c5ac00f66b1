package status

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Limits of the Bitstring Status List format.
const (
	// MinEntries is the minimum number of entries of a status list
	// (Bitstring Status List v1.0: "the uncompressed bitstring MUST be at
	// least 16KB in size", 131,072 one-bit entries), which gives group
	// privacy to the credentials in it.
	MinEntries = 131072
	// DefaultMaxListBytes bounds the decompressed bitstring DecodeList
	// accepts when DecodeOptions.MaxBytes is 0 (16 MiB: 134 million one-bit
	// entries). GZIP compresses runs of zeros about 1000:1, so without a
	// bound a 1 MiB response could expand to a gigabyte.
	DefaultMaxListBytes = 16 << 20
	// MaxStatusSize is the largest statusSize (bits per entry) supported.
	MaxStatusSize = 32
)

// Status purposes defined by Bitstring Status List v1.0.
const (
	PurposeRevocation = "revocation"
	PurposeSuspension = "suspension"
	PurposeRefresh    = "refresh"
	PurposeMessage    = "message"
)

// Type names of the status list data model and of the 1EdTech method.
const (
	TypeListCredential = "BitstringStatusListCredential"
	TypeList           = "BitstringStatusList"
	TypeEntry          = "BitstringStatusListEntry"
	// TypeRevocationList is the 1EdTech Revocation List status method of
	// Open Badges 3.0 and CLR 2.0.
	TypeRevocationList = "1EdTechRevocationList"
)

// Errors of the list codec. They are wrapped, with details, in the errors
// DecodeList and the List methods return.
var (
	// ErrMalformedList: encodedList is not multibase base64url of GZIP data
	// (the spec's MALFORMED_VALUE_ERROR).
	ErrMalformedList = errors.New("status: malformed encodedList")
	// ErrListTooLarge: the decompressed bitstring exceeds the byte limit.
	ErrListTooLarge = errors.New("status: decompressed status list exceeds the limit")
	// ErrListTooShort: the list has fewer than MinEntries entries (the
	// spec's STATUS_LIST_LENGTH_ERROR).
	ErrListTooShort = errors.New("status: status list is shorter than the minimum of 131,072 entries")
	// ErrRange: an index outside the list, or a value that does not fit in
	// statusSize bits (the spec's RANGE_ERROR).
	ErrRange = errors.New("status: index or value out of range")
)

// List is a status bitstring: Len entries of StatusSize bits each, entry 0
// in the most significant bits of the first byte (Bitstring Status List
// v1.0: "the first index, with a value of zero (0), is located at the
// left-most bit in the bitstring"). A List is not safe for concurrent
// modification.
type List struct {
	// Purpose is the statusPurpose written by Credential.
	Purpose string
	// StatusSize is the number of bits of each entry (1 unless built with
	// NewListWithStatusSize or decoded with DecodeOptions.StatusSize).
	StatusSize int

	bits []byte
}

// NewList returns a list of size one-bit entries, all zero, for purpose
// (PurposeRevocation, PurposeSuspension, …). A size below MinEntries is
// raised to MinEntries, as the spec requires of issuers, and size is
// rounded up to a whole number of bytes.
func NewList(size int, purpose string) (*List, error) {
	return NewListWithStatusSize(size, purpose, 1)
}

// NewListWithStatusSize is NewList with statusSize bits an entry (1 to
// MaxStatusSize); lists with statusSize > 1 are for the "message" purpose,
// whose entries carry statusMessage values.
func NewListWithStatusSize(size int, purpose string, statusSize int) (*List, error) {
	if statusSize < 1 || statusSize > MaxStatusSize {
		return nil, fmt.Errorf("%w: statusSize %d, must be 1 to %d", ErrRange, statusSize, MaxStatusSize)
	}
	if purpose == "" {
		return nil, errors.New("status: statusPurpose is required")
	}
	if size < MinEntries {
		size = MinEntries
	}
	bits := (int64(size)*int64(statusSize) + 7) / 8
	if bits > DefaultMaxListBytes {
		return nil, fmt.Errorf("%w: %d entries of %d bits", ErrListTooLarge, size, statusSize)
	}
	return &List{Purpose: purpose, StatusSize: statusSize, bits: make([]byte, bits)}, nil
}

// Len returns the number of entries.
func (l *List) Len() int { return len(l.bits) * 8 / l.statusSize() }

// Bytes returns the bitstring itself (not a copy).
func (l *List) Bytes() []byte { return l.bits }

func (l *List) statusSize() int {
	if l.StatusSize <= 0 {
		return 1
	}
	return l.StatusSize
}

func (l *List) checkIndex(index int) error {
	if index < 0 || index >= l.Len() {
		return fmt.Errorf("%w: index %d, list has %d entries", ErrRange, index, l.Len())
	}
	return nil
}

// Status returns the value of entry index: 0 or 1 for one-bit lists.
func (l *List) Status(index int) (uint64, error) {
	if err := l.checkIndex(index); err != nil {
		return 0, err
	}
	n := l.statusSize()
	var v uint64
	for i := index * n; i < (index+1)*n; i++ {
		v = v<<1 | uint64(l.bits[i/8]>>(7-i%8)&1)
	}
	return v, nil
}

// SetStatus sets entry index to value, which must fit in StatusSize bits.
func (l *List) SetStatus(index int, value uint64) error {
	if err := l.checkIndex(index); err != nil {
		return err
	}
	n := l.statusSize()
	if n < 64 && value>>n != 0 {
		return fmt.Errorf("%w: value %#x does not fit in %d bits", ErrRange, value, n)
	}
	for k := 0; k < n; k++ {
		i := index*n + k
		mask := byte(1) << (7 - i%8)
		if value>>(n-1-k)&1 == 1 {
			l.bits[i/8] |= mask
		} else {
			l.bits[i/8] &^= mask
		}
	}
	return nil
}

// Set sets entry index to 1 (revoked, suspended).
func (l *List) Set(index int) error { return l.SetStatus(index, 1) }

// Clear sets entry index to 0.
func (l *List) Clear(index int) error { return l.SetStatus(index, 0) }

// encodeLevel is the GZIP level of Encode. The issuer re-encodes the whole
// list on every status change, so the level trades the issuer's CPU for
// the bytes every verifier downloads. Measured with Go 1.26's
// compress/flate on 131,072-entry lists set at random (as Store allocates
// them), DefaultCompression's encodedList is ~30% longer than
// BestCompression's with 300 entries set (1013 against 783 characters),
// ~11% longer at 1% set (2764 against 2484) and the same at 10% set,
// while compressing lists with 1% or fewer set 20 to 50 times faster (a
// few hundred microseconds instead of 5 to 10 ms: BestCompression's long
// hash-chain searches are costly on sparse bitstrings, whose many short
// repeats all hash alike). BestSpeed is faster still (tens of
// microseconds) but its lists are up to 22% longer again (3364 characters
// at 1% set), for a saving that no longer matters next to signing and
// writing the list. Any level decodes the same; no verifier depends on
// the exact bytes.
const encodeLevel = gzip.DefaultCompression

// maxPooledEncodeBuf bounds the compressed and text buffers an encoder
// keeps in encoderPool, so one huge list does not pin its buffers.
const maxPooledEncodeBuf = 1 << 20

// encoder is Encode's reusable state: the GZIP writer (whose DEFLATE
// compressor is most of the ~800 KB a fresh one allocates) and the
// buffers of the compressed bytes and of the multibase text (the text
// multibase.Encode(multibase.Base64URL, …) would give, built without
// its intermediate string).
type encoder struct {
	zw   *gzip.Writer
	gz   bytes.Buffer
	text []byte
}

var encoderPool = sync.Pool{New: func() any {
	e := new(encoder)
	// NewWriterLevel fails only for an invalid level.
	e.zw, _ = gzip.NewWriterLevel(&e.gz, encodeLevel)
	return e
}}

// Encode returns the encodedList value: multibase base64url without
// padding ('u' prefix) of the GZIP-compressed bitstring. The GZIP header
// has no modification time, name or comment, so the same bitstring always
// encodes to the same text. Encode is safe to call from several goroutines
// as long as none modifies l.
func (l *List) Encode() (string, error) {
	e := encoderPool.Get().(*encoder)
	e.gz.Reset()
	// Reset also clears the Header: no ModTime, Name or Comment.
	e.zw.Reset(&e.gz)
	if _, err := e.zw.Write(l.bits); err != nil {
		return "", err
	}
	if err := e.zw.Close(); err != nil {
		return "", err
	}
	e.text = append(e.text[:0], 'u')
	e.text = base64.RawURLEncoding.AppendEncode(e.text, e.gz.Bytes())
	s := string(e.text)
	if e.gz.Cap() <= maxPooledEncodeBuf && cap(e.text) <= maxPooledEncodeBuf {
		encoderPool.Put(e)
	}
	return s, nil
}

// DecodeOptions bound and shape DecodeList.
type DecodeOptions struct {
	// MaxBytes bounds the decompressed bitstring; 0 means
	// DefaultMaxListBytes.
	MaxBytes int
	// StatusSize is the number of bits an entry (the entry's statusSize);
	// 0 means 1.
	StatusSize int
	// AllowShortUnsafe accepts lists with fewer than MinEntries entries.
	// The spec requires verifiers to reject them (STATUS_LIST_LENGTH_ERROR);
	// a short list lets an issuer single out a holder.
	AllowShortUnsafe bool
}

// DecodeList decodes an encodedList value into a List (with no Purpose:
// the caller knows it from the list credential).
//
// Accepted: the multibase form the spec requires ('u' followed by
// base64url without padding), and, because real issuers emit them,
// base64url with '=' padding (the 1EdTech validator fixtures), and the
// unprefixed base64url of StatusList2021 (recognised by the GZIP magic,
// "H4sI"). The standard base64 alphabet ('+', '/') is accepted too.
//
// Decompression stops at opts.MaxBytes (a GZIP bomb gives ErrListTooLarge,
// having allocated at most the limit). A list with fewer than MinEntries
// entries gives ErrListTooShort unless opts.AllowShortUnsafe is set: the
// spec requires the uncompressed bitstring to be at least 16KB and defines
// STATUS_LIST_LENGTH_ERROR for a list that is not; we reject rather than
// read such a list, since a short list can single out a holder. A bitstring whose length is not a
// multiple of the statusSize leaves its trailing bits unused.
func DecodeList(encoded string, opts DecodeOptions) (*List, error) {
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxListBytes
	}
	statusSize := opts.StatusSize
	if statusSize == 0 {
		statusSize = 1
	}
	if statusSize < 1 || statusSize > MaxStatusSize {
		return nil, fmt.Errorf("%w: statusSize %d, must be 1 to %d", ErrRange, statusSize, MaxStatusSize)
	}
	compressed, err := decodeBase64(encoded)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return nil, fmt.Errorf("%w: not GZIP data: %v", ErrMalformedList, err)
	}
	// The GZIP trailer's ISIZE (size mod 2^32) is only a hint for the
	// first allocation, capped by the limit and by DEFLATE's maximum ratio
	// (1032:1) so a lying trailer cannot make a small input allocate much;
	// the limit is enforced on what actually decompresses.
	var buf bytes.Buffer
	if n := len(compressed); n >= 18 {
		isize := int64(binary.LittleEndian.Uint32(compressed[n-4:]))
		buf.Grow(int(min(isize, int64(maxBytes), int64(n)*1032) + 1))
	}
	n, err := io.Copy(&buf, io.LimitReader(zr, int64(maxBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("%w: GZIP stream: %v", ErrMalformedList, err)
	}
	if n > int64(maxBytes) {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrListTooLarge, maxBytes)
	}
	l := &List{StatusSize: statusSize, bits: buf.Bytes()}
	if l.Len() < MinEntries && !opts.AllowShortUnsafe {
		return nil, fmt.Errorf("%w: %d entries of %d bits", ErrListTooShort, l.Len(), statusSize)
	}
	return l, nil
}

// decodeBase64 reads the multibase (or legacy) base64url text of encodedList.
func decodeBase64(s string) ([]byte, error) {
	switch {
	case strings.HasPrefix(s, "u"):
		s = s[1:]
	case strings.HasPrefix(s, "H4sI"): // StatusList2021: no multibase prefix
	default:
		return nil, fmt.Errorf("%w: not multibase base64url (no 'u' prefix)", ErrMalformedList)
	}
	if len(s) > 4*(DefaultMaxListBytes/3+1) {
		return nil, fmt.Errorf("%w: %d characters", ErrListTooLarge, len(s))
	}
	s = strings.TrimRight(s, "=")
	enc := base64.RawURLEncoding
	if strings.ContainsAny(s, "+/") {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: base64url: %v", ErrMalformedList, err)
	}
	return b, nil
}
