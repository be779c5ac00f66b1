// Package jsonx is a strict, bounded JSON decoder for untrusted input.
//
// It exists because every credential a verifier sees comes from someone it
// does not trust, and encoding/json is lenient in ways that matter there: it
// keeps the last of two members with the same name (so two parties can read
// two different documents from one byte string), it replaces invalid UTF-8
// and unpaired surrogates with U+FFFD (so the bytes that were signed are not
// the text that is read), and it has no limit on size or nesting.
//
// Decode produces the same shapes as json.Unmarshal into an any —
// map[string]any, []any, string, bool and nil — except that numbers are
// json.Number holding the exact lexical form from the input ("1.0" stays
// "1.0", "1e400" stays "1e400"), because JSON-LD's number rules need it.
//
// What Decode rejects (every rejection is an *Error):
//
//   - input longer than Limits.MaxBytes (ErrTooLarge), checked before any
//     parsing;
//   - objects and arrays nested deeper than Limits.MaxDepth (ErrTooDeep);
//   - more than Limits.MaxValues values in total (ErrTooManyValues);
//   - two members of one object whose names are equal after unescaping, e.g.
//     "a" and "\u0061" (ErrDuplicateKey);
//   - invalid UTF-8 in strings and member names, and \u escapes that leave
//     an unpaired UTF-16 surrogate (ErrInvalidUTF8): both are rejected,
//     never repaired (outside strings any byte that is not ASCII is a
//     syntax error);
//   - a leading byte order mark, anything after the top-level value other
//     than JSON whitespace (ErrTrailingData), and everything RFC 8259 does
//     not allow: NaN, Infinity, +1, 01, .5, 1., single quotes, comments,
//     trailing commas, raw control characters in strings (ErrSyntax).
//
// Every input Decode accepts is also accepted by encoding/json and decodes
// to the same value when encoding/json is asked to use json.Number (the fuzz
// test checks this).
//
// Paths. Errors name the place of the problem as an RFC 6901 JSON Pointer
// ("/credentialSubject/achievement/name", "" for the whole document); the
// JSONPath method renders the same location as "$.credentialSubject…".
//
// Memory. Decode copies its input once into a string; decoded strings,
// numbers and object keys without escapes are substrings of that copy, so
// any one of them keeps the whole input alive. For inputs bounded by
// MaxBytes this is a good trade (about half the allocations of
// encoding/json).
package jsonx

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Default limits, used for every Limits field that is zero or negative.
const (
	// DefaultMaxBytes is the default input size limit: 1 MiB.
	DefaultMaxBytes = 1 << 20
	// DefaultMaxDepth is the default nesting limit. The top-level object or
	// array is at depth 1, so 64 allows 64 nested containers.
	DefaultMaxDepth = 64
	// DefaultMaxValues is the default limit on the number of JSON values
	// (objects, arrays, strings, numbers, true, false, null, counting the
	// top-level value, every member value and every array element).
	DefaultMaxValues = 100_000
)

// Limits bound the work Decode does. A zero or negative field means the
// default (DefaultMaxBytes, DefaultMaxDepth, DefaultMaxValues); there is no
// "unlimited".
type Limits struct {
	// MaxBytes is the largest input accepted, in bytes.
	MaxBytes int
	// MaxDepth is the deepest nesting of objects and arrays accepted; the
	// top-level container is at depth 1.
	MaxDepth int
	// MaxValues is the largest number of JSON values accepted.
	MaxValues int
}

// withDefaults returns l with zero or negative fields replaced by defaults.
func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxValues <= 0 {
		l.MaxValues = DefaultMaxValues
	}
	return l
}

// Sentinel errors: the Kind of every *Error is one of these, and
// errors.Is(err, ErrDuplicateKey) works on any error that wraps an *Error.
var (
	// ErrSyntax means the input is not JSON as RFC 8259 defines it.
	ErrSyntax = errors.New("syntax error")
	// ErrDuplicateKey means an object has two members with the same name.
	ErrDuplicateKey = errors.New("duplicate key")
	// ErrInvalidUTF8 means the input has a byte sequence that is not UTF-8,
	// or a string whose \u escapes leave an unpaired UTF-16 surrogate.
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	// ErrTrailingData means there is something after the top-level value.
	ErrTrailingData = errors.New("trailing data after value")
	// ErrTooLarge means the input is longer than Limits.MaxBytes.
	ErrTooLarge = errors.New("input too large")
	// ErrTooDeep means objects and arrays nest deeper than Limits.MaxDepth.
	ErrTooDeep = errors.New("nesting too deep")
	// ErrTooManyValues means the input has more than Limits.MaxValues values.
	ErrTooManyValues = errors.New("too many values")
)

// Error is the error Decode returns. Use errors.As to get at its fields and
// errors.Is with the sentinels above to test its Kind.
type Error struct {
	// Kind is one of the sentinel errors of this package.
	Kind error
	// Pointer is the RFC 6901 JSON Pointer of the value where the problem
	// is: for a duplicate key, the second member with that name; for a
	// syntax error, the value being decoded. "" is the whole document.
	Pointer string
	// Offset is the byte offset in the input where the problem was found,
	// or -1 when it does not apply (ErrTooLarge).
	Offset int
	// Detail says what is wrong, e.g. `duplicate key "name"`.
	Detail string

	rev []pathToken // path tokens, innermost first, until finish
	tok []pathToken // path tokens, outermost first, after finish
}

type pathToken struct {
	key   string
	index int // -1 for object members
}

// Error returns "jsonx: <pointer>: <detail> at offset <n>", leaving out the
// pointer for the whole document and the offset where it does not apply.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("jsonx: ")
	if e.Pointer != "" {
		b.WriteString(e.Pointer)
		b.WriteString(": ")
	}
	b.WriteString(e.Detail)
	if e.Offset >= 0 {
		b.WriteString(" at offset ")
		b.WriteString(strconv.Itoa(e.Offset))
	}
	return b.String()
}

// Unwrap returns e.Kind, so errors.Is(err, ErrDuplicateKey) works.
func (e *Error) Unwrap() error { return e.Kind }

// JSONPath returns the location of the problem in JSONPath form:
// "$", "$.credentialSubject.name", "$.proof[0]", "$['odd key']".
func (e *Error) JSONPath() string {
	var b strings.Builder
	b.WriteByte('$')
	for _, t := range e.tok {
		if t.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(t.index))
			b.WriteByte(']')
			continue
		}
		if isIdentifier(t.key) {
			b.WriteByte('.')
			b.WriteString(t.key)
			continue
		}
		b.WriteString("['")
		for _, r := range t.key {
			switch r {
			case '\'', '\\':
				b.WriteByte('\\')
				b.WriteRune(r)
			default:
				b.WriteRune(r)
			}
		}
		b.WriteString("']")
	}
	return b.String()
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || c == '@' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// EscapeToken escapes one reference token for an RFC 6901 JSON Pointer:
// "~" becomes "~0" and "/" becomes "~1".
func EscapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// AppendKey returns the pointer to member key of the object at pointer ptr.
func AppendKey(ptr, key string) string { return ptr + "/" + EscapeToken(key) }

// AppendIndex returns the pointer to element i of the array at pointer ptr.
func AppendIndex(ptr string, i int) string { return ptr + "/" + strconv.Itoa(i) }

// finish turns the reversed token list into Pointer and tok.
func (e *Error) finish() *Error {
	n := len(e.rev)
	e.tok = make([]pathToken, n)
	var b strings.Builder
	for i := range n {
		t := e.rev[n-1-i]
		e.tok[i] = t
		b.WriteByte('/')
		if t.index >= 0 {
			b.WriteString(strconv.Itoa(t.index))
		} else {
			b.WriteString(EscapeToken(t.key))
		}
	}
	e.rev = nil
	e.Pointer = b.String()
	return e
}

// Decode decodes one JSON value from data, which must hold exactly that
// value (with optional JSON whitespace around it), within lim.
func Decode(data []byte, lim Limits) (any, error) {
	lim = lim.withDefaults()
	if err := precheck(len(data), lim); err != nil {
		return nil, err
	}
	return decode(string(data), lim)
}

// DecodeString is Decode for input that is already a string; it does not
// copy s, and decoded strings share its memory.
func DecodeString(s string, lim Limits) (any, error) {
	lim = lim.withDefaults()
	if err := precheck(len(s), lim); err != nil {
		return nil, err
	}
	return decode(s, lim)
}

// precheck rejects oversized input before it is copied.
func precheck(n int, lim Limits) error {
	if n > lim.MaxBytes {
		return &Error{Kind: ErrTooLarge, Offset: -1,
			Detail: "input is " + strconv.Itoa(n) + " bytes, limit is " + strconv.Itoa(lim.MaxBytes)}
	}
	return nil
}

func decode(s string, lim Limits) (any, error) {
	if strings.HasPrefix(s, "\xef\xbb\xbf") {
		return nil, (&Error{Kind: ErrSyntax, Offset: 0, Detail: "byte order mark not allowed"}).finish()
	}
	d := decoder{s: s, maxDepth: lim.MaxDepth, maxValues: lim.MaxValues}
	d.skipWS()
	v, err := d.value()
	if err != nil {
		return nil, err.finish()
	}
	d.skipWS()
	if d.i < len(d.s) {
		return nil, (&Error{Kind: ErrTrailingData, Offset: d.i,
			Detail: "unexpected " + describe(d.s, d.i) + " after top-level value"}).finish()
	}
	return v, nil
}

type member struct {
	key string
	val any
	off int
}

type decoder struct {
	s         string
	i         int
	depth     int
	maxDepth  int
	values    int
	maxValues int
	members   []member // stack of object members being decoded
	elems     []any    // stack of array elements being decoded
	buf       []byte   // scratch for strings with escapes
}

func (d *decoder) skipWS() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) fail(kind error, off int, detail string) *Error {
	return &Error{Kind: kind, Offset: off, Detail: detail}
}

// describe names the byte at i for an error message.
func describe(s string, i int) string {
	if i >= len(s) {
		return "end of input"
	}
	c := s[i]
	if c >= 0x20 && c < 0x7f {
		return "character " + strconv.QuoteRune(rune(c))
	}
	return "byte " + strconv.Quote(s[i:i+1])
}

func (d *decoder) value() (any, *Error) {
	d.values++
	if d.values > d.maxValues {
		return nil, d.fail(ErrTooManyValues, d.i, "more than "+strconv.Itoa(d.maxValues)+" values")
	}
	if d.i >= len(d.s) {
		return nil, d.fail(ErrSyntax, d.i, "unexpected end of input, expecting a value")
	}
	switch c := d.s[d.i]; c {
	case '{':
		return d.object()
	case '[':
		return d.array()
	case '"':
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		return s, nil
	case 't':
		return d.literal("true", true)
	case 'f':
		return d.literal("false", false)
	case 'n':
		return d.literal("null", nil)
	default:
		if c == '-' || '0' <= c && c <= '9' {
			return d.number()
		}
		return nil, d.fail(ErrSyntax, d.i, "unexpected "+describe(d.s, d.i)+", expecting a value")
	}
}

func (d *decoder) literal(word string, v any) (any, *Error) {
	if strings.HasPrefix(d.s[d.i:], word) {
		d.i += len(word)
		return v, nil
	}
	return nil, d.fail(ErrSyntax, d.i, "invalid literal, expecting "+word)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func (d *decoder) number() (any, *Error) {
	s, start, i := d.s, d.i, d.i
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
		if i < len(s) && isDigit(s[i]) {
			return nil, d.fail(ErrSyntax, start, "number with leading zero")
		}
	case i < len(s) && isDigit(s[i]):
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	default:
		return nil, d.fail(ErrSyntax, start, "invalid number: expecting digit after minus sign")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || !isDigit(s[i]) {
			return nil, d.fail(ErrSyntax, start, "invalid number: expecting digit after decimal point")
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || !isDigit(s[i]) {
			return nil, d.fail(ErrSyntax, start, "invalid number: expecting digit in exponent")
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	d.i = i
	return json.Number(s[start:i]), nil
}

func (d *decoder) object() (any, *Error) {
	d.depth++
	if d.depth > d.maxDepth {
		return nil, d.fail(ErrTooDeep, d.i, "nesting deeper than "+strconv.Itoa(d.maxDepth))
	}
	d.i++ // '{'
	d.skipWS()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		d.depth--
		return make(map[string]any), nil
	}
	base := len(d.members)
	for {
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			d.dropMembers(base)
			return nil, d.fail(ErrSyntax, d.i, "unexpected "+describe(d.s, d.i)+", expecting a member name")
		}
		off := d.i
		key, err := d.str()
		if err != nil {
			d.dropMembers(base)
			return nil, err
		}
		d.skipWS()
		if d.i >= len(d.s) || d.s[d.i] != ':' {
			d.dropMembers(base)
			err := d.fail(ErrSyntax, d.i, "unexpected "+describe(d.s, d.i)+", expecting ':' after member name")
			err.rev = append(err.rev, pathToken{key: key, index: -1})
			return nil, err
		}
		d.i++
		d.skipWS()
		v, err := d.value()
		if err != nil {
			d.dropMembers(base)
			err.rev = append(err.rev, pathToken{key: key, index: -1})
			return nil, err
		}
		d.members = append(d.members, member{key: key, val: v, off: off})
		d.skipWS()
		if d.i < len(d.s) {
			if c := d.s[d.i]; c == ',' {
				d.i++
				d.skipWS()
				continue
			} else if c == '}' {
				d.i++
				break
			}
		}
		d.dropMembers(base)
		return nil, d.fail(ErrSyntax, d.i, "unexpected "+describe(d.s, d.i)+", expecting ',' or '}' after object member")
	}
	ms := d.members[base:]
	m := make(map[string]any, len(ms))
	for _, e := range ms {
		if _, dup := m[e.key]; dup {
			d.dropMembers(base)
			err := d.fail(ErrDuplicateKey, e.off, "duplicate key "+strconv.Quote(e.key))
			err.rev = append(err.rev, pathToken{key: e.key, index: -1})
			return nil, err
		}
		m[e.key] = e.val
	}
	d.dropMembers(base)
	d.depth--
	return m, nil
}

// dropMembers pops the member stack to base, clearing the references so the
// scratch space does not keep decoded values alive.
func (d *decoder) dropMembers(base int) {
	clear(d.members[base:])
	d.members = d.members[:base]
}

func (d *decoder) dropElems(base int) {
	clear(d.elems[base:])
	d.elems = d.elems[:base]
}

func (d *decoder) array() (any, *Error) {
	d.depth++
	if d.depth > d.maxDepth {
		return nil, d.fail(ErrTooDeep, d.i, "nesting deeper than "+strconv.Itoa(d.maxDepth))
	}
	d.i++ // '['
	d.skipWS()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		d.depth--
		return make([]any, 0), nil
	}
	base := len(d.elems)
	for n := 0; ; n++ {
		v, err := d.value()
		if err != nil {
			d.dropElems(base)
			err.rev = append(err.rev, pathToken{index: n})
			return nil, err
		}
		d.elems = append(d.elems, v)
		d.skipWS()
		if d.i < len(d.s) {
			if c := d.s[d.i]; c == ',' {
				d.i++
				d.skipWS()
				continue
			} else if c == ']' {
				d.i++
				break
			}
		}
		d.dropElems(base)
		return nil, d.fail(ErrSyntax, d.i, "unexpected "+describe(d.s, d.i)+", expecting ',' or ']' after array element")
	}
	a := make([]any, len(d.elems)-base)
	copy(a, d.elems[base:])
	d.dropElems(base)
	d.depth--
	return a, nil
}

// plain marks the bytes that stand for themselves inside a string: printable
// ASCII other than '"' and '\\'.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str decodes the string starting at d.i (which holds '"').
func (d *decoder) str() (string, *Error) {
	s := d.s
	start := d.i + 1
	i := start
	for i < len(s) {
		c := s[i]
		if plain[c] {
			i++
			continue
		}
		switch {
		case c == '"':
			d.i = i + 1
			return s[start:i], nil
		case c == '\\':
			return d.strEscaped(start, i)
		case c < 0x20:
			return "", d.fail(ErrSyntax, i, "control character "+strconv.Quote(s[i:i+1])+" in string")
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size <= 1 {
				return "", d.fail(ErrInvalidUTF8, i, "invalid UTF-8 byte "+strconv.Quote(s[i:i+1])+" in string")
			}
			i += size
		}
	}
	return "", d.fail(ErrSyntax, len(s), "unexpected end of input in string")
}

// strEscaped continues decoding a string that has an escape at i.
func (d *decoder) strEscaped(start, i int) (string, *Error) {
	s := d.s
	b := append(d.buf[:0], s[start:i]...)
	for i < len(s) {
		c := s[i]
		if plain[c] {
			b = append(b, c)
			i++
			continue
		}
		switch {
		case c == '"':
			d.i = i + 1
			d.buf = b
			return string(b), nil
		case c == '\\':
			if i+1 >= len(s) {
				return "", d.fail(ErrSyntax, len(s), "unexpected end of input in string escape")
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
				i += 2
			case 'b':
				b = append(b, '\b')
				i += 2
			case 'f':
				b = append(b, '\f')
				i += 2
			case 'n':
				b = append(b, '\n')
				i += 2
			case 'r':
				b = append(b, '\r')
				i += 2
			case 't':
				b = append(b, '\t')
				i += 2
			case 'u':
				r, ok := hex4(s, i+2)
				if !ok {
					return "", d.fail(ErrSyntax, i, "invalid \\u escape in string")
				}
				n := 6
				switch {
				case 0xD800 <= r && r < 0xDC00:
					lo, ok := rune(0), false
					if i+n+1 < len(s) && s[i+n] == '\\' && s[i+n+1] == 'u' {
						lo, ok = hex4(s, i+n+2)
					}
					if !ok || lo < 0xDC00 || lo > 0xDFFF {
						return "", d.fail(ErrInvalidUTF8, i, "unpaired surrogate escape "+s[i:i+6]+" in string")
					}
					r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
					n += 6
				case 0xDC00 <= r && r <= 0xDFFF:
					return "", d.fail(ErrInvalidUTF8, i, "unpaired surrogate escape "+s[i:i+6]+" in string")
				}
				b = utf8.AppendRune(b, r)
				i += n
			default:
				return "", d.fail(ErrSyntax, i, "invalid escape "+strconv.Quote(s[i:i+2])+" in string")
			}
		case c < 0x20:
			return "", d.fail(ErrSyntax, i, "control character "+strconv.Quote(s[i:i+1])+" in string")
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size <= 1 {
				return "", d.fail(ErrInvalidUTF8, i, "invalid UTF-8 byte "+strconv.Quote(s[i:i+1])+" in string")
			}
			b = append(b, s[i:i+size]...)
			i += size
		}
	}
	d.buf = b
	return "", d.fail(ErrSyntax, len(s), "unexpected end of input in string")
}

// hex4 parses four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// Kind names the JSON type of a decoded value for error messages: "null",
// "a boolean", "a number", "a string", "an array", "an object". Numbers may
// be json.Number or any Go numeric type; other Go values are named by type.
func Kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64, float32, int, int64, int32, uint64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
