package vc

import "unicode/utf8"

// IsURL reports whether s is an absolute URL as the data model uses the
// word: an RFC 3986 URI (or RFC 3987 IRI) with a scheme, such as
// "https://example.org/x", "did:example:123" or "urn:uuid:…".
//
// It checks the scheme (a letter, then letters, digits, '+', '-' or '.',
// then ':'), that something follows it, and that the rest holds no
// character a URI cannot contain: no space or other ASCII control
// character, none of " < > \ ^ ` { | }, no '%' that is not followed by two
// hex digits, at most one '#', and valid UTF-8. It does not resolve
// anything and does not check scheme-specific syntax.
func IsURL(s string) bool {
	i := 0
	for i < len(s) && s[i] != ':' {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
		i++
	}
	if i == 0 || i >= len(s)-1 {
		return false // no scheme, or nothing after it
	}
	fragment := false
	for j := i + 1; j < len(s); j++ {
		c := s[j]
		switch {
		case c < 0x20 || c == 0x7f:
			return false
		case c == ' ', c == '"', c == '<', c == '>', c == '\\', c == '^', c == '`', c == '{', c == '|', c == '}':
			return false
		case c == '%':
			if j+2 >= len(s) || !isHex(s[j+1]) || !isHex(s[j+2]) {
				return false
			}
		case c == '#':
			if fragment {
				return false
			}
			fragment = true
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(s[j:])
			if r == utf8.RuneError && size <= 1 {
				return false
			}
			j += size - 1
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
