package ld

import (
	"strings"
)

// This file holds the IRI helpers of the expander: keyword tests, the
// "has the form of an IRI" test of JSON-LD, and relative IRI reference
// resolution following RFC 3986 §5.2 (the basic algorithm only: no
// syntax-based or scheme-based normalization, as JSON-LD 1.1 §8 requires).

// jsonldKeywords are the JSON-LD 1.1 keywords.
var jsonldKeywords = map[string]bool{
	"@base": true, "@container": true, "@context": true, "@direction": true,
	"@graph": true, "@id": true, "@import": true, "@included": true,
	"@index": true, "@json": true, "@language": true, "@list": true,
	"@nest": true, "@none": true, "@prefix": true, "@propagate": true,
	"@protected": true, "@reverse": true, "@set": true, "@type": true,
	"@value": true, "@version": true, "@vocab": true,
}

// isKeyword reports whether s is a JSON-LD 1.1 keyword.
func isKeyword(s string) bool {
	return len(s) > 1 && s[0] == '@' && jsonldKeywords[s]
}

// hasKeywordForm reports whether s has the form of a keyword: "@" followed
// by one or more ASCII letters. Such strings are reserved; JSON-LD ignores
// them where they are not keywords.
func hasKeywordForm(s string) bool {
	if len(s) < 2 || s[0] != '@' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// schemeLen returns the length of the IRI scheme at the start of s (the
// part before the first ":"), or -1 when s does not start with a scheme.
func schemeLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return i
		default:
			return -1
		}
	}
	return -1
}

// hasIRIForm reports whether s has the form of an absolute IRI, as the
// JSON-LD algorithms test it: a scheme followed by ":".
func hasIRIForm(s string) bool { return schemeLen(s) > 0 }

// iriParts are the five components of an IRI reference (RFC 3986 §3).
type iriParts struct {
	scheme, authority, path, query, fragment   string
	hasScheme, hasAuthority, hasQuery, hasFrag bool
}

// parseIRIRef splits an IRI reference into its components.
func parseIRIRef(s string) iriParts {
	var p iriParts
	if n := schemeLen(s); n > 0 {
		p.scheme, p.hasScheme = s[:n], true
		s = s[n+1:]
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		p.fragment, p.hasFrag = s[i+1:], true
		s = s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		p.query, p.hasQuery = s[i+1:], true
		s = s[:i]
	}
	if strings.HasPrefix(s, "//") {
		s = s[2:]
		i := strings.IndexByte(s, '/')
		if i < 0 {
			i = len(s)
		}
		p.authority, p.hasAuthority = s[:i], true
		s = s[i:]
	}
	p.path = s
	return p
}

// String recomposes the reference (RFC 3986 §5.3).
func (p *iriParts) String() string {
	var b strings.Builder
	b.Grow(len(p.scheme) + len(p.authority) + len(p.path) + len(p.query) + len(p.fragment) + 6)
	if p.hasScheme {
		b.WriteString(p.scheme)
		b.WriteByte(':')
	}
	if p.hasAuthority {
		b.WriteString("//")
		b.WriteString(p.authority)
	}
	b.WriteString(p.path)
	if p.hasQuery {
		b.WriteByte('?')
		b.WriteString(p.query)
	}
	if p.hasFrag {
		b.WriteByte('#')
		b.WriteString(p.fragment)
	}
	return b.String()
}

// resolveIRI resolves the reference ref against base (RFC 3986 §5.2.2).
// An empty base leaves ref as it is.
func resolveIRI(base, ref string) string {
	if base == "" {
		return ref
	}
	r := parseIRIRef(ref)
	if r.hasScheme {
		r.path = removeDotSegments(r.path)
		return r.String()
	}
	b := parseIRIRef(base)
	var t iriParts
	t.scheme, t.hasScheme = b.scheme, b.hasScheme
	t.fragment, t.hasFrag = r.fragment, r.hasFrag
	switch {
	case r.hasAuthority:
		t.authority, t.hasAuthority = r.authority, true
		t.path = removeDotSegments(r.path)
		t.query, t.hasQuery = r.query, r.hasQuery
	case r.path == "":
		t.authority, t.hasAuthority = b.authority, b.hasAuthority
		t.path = b.path
		if r.hasQuery {
			t.query, t.hasQuery = r.query, true
		} else {
			t.query, t.hasQuery = b.query, b.hasQuery
		}
	default:
		t.authority, t.hasAuthority = b.authority, b.hasAuthority
		if strings.HasPrefix(r.path, "/") {
			t.path = removeDotSegments(r.path)
		} else {
			t.path = removeDotSegments(mergePaths(&b, r.path))
		}
		t.query, t.hasQuery = r.query, r.hasQuery
	}
	return t.String()
}

// mergePaths merges a relative path with the base's path (RFC 3986 §5.2.3).
func mergePaths(b *iriParts, rel string) string {
	if b.hasAuthority && b.path == "" {
		return "/" + rel
	}
	i := strings.LastIndexByte(b.path, '/')
	if i < 0 {
		return rel
	}
	return b.path[:i+1] + rel
}

// removeDotSegments removes "." and ".." segments (RFC 3986 §5.2.4).
func removeDotSegments(in string) string {
	if !strings.Contains(in, ".") {
		return in
	}
	out := make([]string, 0, strings.Count(in, "/")+1)
	for in != "" {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "/..":
			in = "/"
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "." || in == "..":
			in = ""
		default:
			start := 0
			if in[0] == '/' {
				start = 1
			}
			i := strings.IndexByte(in[start:], '/')
			if i < 0 {
				i = len(in)
			} else {
				i += start
			}
			out = append(out, in[:i])
			in = in[i:]
		}
	}
	return strings.Join(out, "")
}
