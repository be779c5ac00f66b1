package rdf

import (
	"io"
	"strconv"
	"unicode/utf8"
)

// This file holds the N-Quads writer. Every term is written in the
// canonical N-Quads form of RDFC-1.0 §4 (the canonical form of RDF 1.2
// N-Triples/N-Quads):
//
//   - an IRI is written between < and >, with its characters as they are;
//     the characters N-Quads forbids inside IRIREF (U+0000–U+0020 and
//     < > " { } | ^ ` \), which cannot occur in a valid IRI, are written as
//     \u00XX with uppercase hex digits, as rdf-canonize does, so the output
//     always parses back to the same IRI;
//   - a blank node is written as _: followed by its label;
//   - a literal's lexical form is written between double quotes, escaping
//     only " as \", \ as \\, U+0008 as \b, U+0009 as \t, U+000A as \n,
//     U+000C as \f, U+000D as \r, and the other characters in
//     U+0000–U+001F and U+007F as \u00XX with uppercase hex digits; every
//     other character is written as itself (UTF-8);
//   - an xsd:string literal has no datatype; a language-tagged string is
//     followed by @ and its tag (as given, not case-folded); any other
//     literal is followed by ^^ and its datatype IRI;
//   - the four terms are separated by one space, the graph name is left out
//     for the default graph, and the statement ends with " .\n".

const upperHex = "0123456789ABCDEF"

// literalEscape[b] is the escape sequence for byte b inside a literal's
// quotes, or "" when b is written as itself (all bytes of multi-byte UTF-8
// sequences are).
var literalEscape = func() (t [256]string) {
	for b := 0; b < 0x20; b++ {
		t[b] = `\u00` + string(upperHex[b>>4]) + string(upperHex[b&0xF])
	}
	t[0x7F] = `\u007F`
	t['\b'] = `\b`
	t['\t'] = `\t`
	t['\n'] = `\n`
	t['\f'] = `\f`
	t['\r'] = `\r`
	t['"'] = `\"`
	t['\\'] = `\\`
	return t
}()

// iriEscaped[b] reports whether byte b may not appear as itself in an
// N-Quads IRIREF.
var iriEscaped = func() (t [256]bool) {
	for b := 0; b <= 0x20; b++ {
		t[b] = true
	}
	for _, b := range []byte("<>\"{}|^`\\") {
		t[b] = true
	}
	return t
}()

// appendLiteralBody appends s with the canonical literal escapes applied.
func appendLiteralBody(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if e := literalEscape[s[i]]; e != "" {
			dst = append(dst, s[start:i]...)
			dst = append(dst, e...)
			start = i + 1
		}
	}
	return append(dst, s[start:]...)
}

// appendIRI appends <iri>, escaping the characters IRIREF cannot hold.
func appendIRI(dst []byte, iri string) []byte {
	dst = append(dst, '<')
	start := 0
	for i := 0; i < len(iri); i++ {
		if b := iri[i]; iriEscaped[b] {
			dst = append(dst, iri[start:i]...)
			dst = append(dst, '\\', 'u', '0', '0', upperHex[b>>4], upperHex[b&0xF])
			start = i + 1
		}
	}
	dst = append(dst, iri[start:]...)
	return append(dst, '>')
}

// appendLiteral appends a literal term in canonical form.
func appendLiteral(dst []byte, t *Term) []byte {
	dst = append(dst, '"')
	dst = appendLiteralBody(dst, t.Value)
	dst = append(dst, '"')
	switch {
	case t.Language != "" && (t.Datatype == "" || t.Datatype == RDFLangString):
		dst = append(dst, '@')
		dst = append(dst, t.Language...)
	case t.Datatype != "" && t.Datatype != XSDString:
		dst = append(dst, '^', '^')
		dst = appendIRI(dst, t.Datatype)
	}
	return dst
}

// AppendTerm appends the canonical N-Quads form of t to dst and returns the
// extended slice. A term of kind KindNone (the default graph) appends
// nothing.
func AppendTerm(dst []byte, t Term) []byte {
	return appendTerm(dst, &t)
}

func appendTerm(dst []byte, t *Term) []byte {
	switch t.Kind {
	case KindIRI:
		return appendIRI(dst, t.Value)
	case KindBlank:
		dst = append(dst, '_', ':')
		return append(dst, t.Value...)
	case KindLiteral:
		return appendLiteral(dst, t)
	}
	return dst
}

// AppendQuad appends q as one line of canonical N-Quads, including the
// terminating " .\n", and returns the extended slice. It does not check
// that q is valid; see [Quad.Validate].
func AppendQuad(dst []byte, q Quad) []byte {
	return appendQuad(dst, &q)
}

func appendQuad(dst []byte, q *Quad) []byte {
	dst = appendTerm(dst, &q.Subject)
	dst = append(dst, ' ')
	dst = appendTerm(dst, &q.Predicate)
	dst = append(dst, ' ')
	dst = appendTerm(dst, &q.Object)
	if q.Graph.Kind != KindNone {
		dst = append(dst, ' ')
		dst = appendTerm(dst, &q.Graph)
	}
	return append(dst, ' ', '.', '\n')
}

// String returns the canonical N-Quads form of t: <iri>, _:label or a
// quoted literal. The default graph (KindNone) gives "".
func (t Term) String() string {
	return string(appendTerm(nil, &t))
}

// String returns q as a canonical N-Quads statement, ending with " ." but
// without the final newline (use [AppendQuad] for a complete line).
func (q Quad) String() string {
	b := appendQuad(make([]byte, 0, 128), &q)
	return string(b[:len(b)-1])
}

// NQuads returns d as an N-Quads document, one canonical line per quad, in
// the order of d. It neither sorts nor removes duplicates and does not
// validate; use [Canonicalize] for the canonical document of a dataset.
func (d Dataset) NQuads() []byte {
	n := 0
	for i := range d {
		q := &d[i]
		n += len(q.Subject.Value) + len(q.Predicate.Value) + len(q.Object.Value) +
			len(q.Object.Datatype) + len(q.Object.Language) + len(q.Graph.Value) + 16
	}
	out := make([]byte, 0, n)
	for i := range d {
		out = appendQuad(out, &d[i])
	}
	return out
}

// WriteNQuads validates d (see [Dataset.Validate]) and writes it to w as an
// N-Quads document, one canonical line per quad in the order of d. Nothing
// is written when d is invalid.
func WriteNQuads(w io.Writer, d Dataset) error {
	if err := d.Validate(); err != nil {
		return err
	}
	_, err := w.Write(d.NQuads())
	return err
}

// QuadError reports a quad that is not a valid RDF quad, or that cannot be
// written as N-Quads.
type QuadError struct {
	// Index is the position of the quad in the dataset.
	Index int
	// Position is "subject", "predicate", "object" or "graph".
	Position string
	// Reason says what is wrong.
	Reason string
}

// Error returns the message with the quad index and position.
func (e *QuadError) Error() string {
	return "rdf: quad " + strconv.Itoa(e.Index) + " " + e.Position + ": " + e.Reason
}

// Validate reports whether every quad of d is a valid RDF quad that can be
// written as N-Quads (see [Quad.Validate]). The error is a *QuadError.
func (d Dataset) Validate() error {
	for i := range d {
		if pos, reason := checkQuad(&d[i], true); reason != "" {
			return &QuadError{Index: i, Position: pos, Reason: reason}
		}
	}
	return nil
}

// Validate reports whether q is a valid RDF quad that can be written as
// N-Quads: the subject is an IRI or blank node, the predicate an IRI, the
// object an IRI, blank node or literal, and the graph absent, an IRI or a
// blank node; all strings are valid UTF-8; blank node labels follow the
// N-Quads BLANK_NODE_LABEL grammar; a language tag follows the N-Quads
// LANGTAG grammar and goes with an empty or rdf:langString datatype, and
// rdf:langString is only used with a language tag. IRIs are not checked
// beyond UTF-8. The error is a *QuadError with Index 0.
func (q Quad) Validate() error {
	if pos, reason := checkQuad(&q, true); reason != "" {
		return &QuadError{Position: pos, Reason: reason}
	}
	return nil
}

// checkQuad returns the position and reason of the first problem in q, or
// "", "" when q is fine. strictLabels asks for N-Quads blank node label
// syntax; without it any non-empty label is accepted (canonicalization
// never writes input labels).
func checkQuad(q *Quad, strictLabels bool) (string, string) {
	if r := checkTerm(&q.Subject, strictLabels, true, false, false); r != "" {
		return "subject", r
	}
	if q.Predicate.Kind != KindIRI {
		return "predicate", "must be an IRI"
	}
	if r := checkTerm(&q.Predicate, strictLabels, false, false, false); r != "" {
		return "predicate", r
	}
	if r := checkTerm(&q.Object, strictLabels, true, true, false); r != "" {
		return "object", r
	}
	if r := checkTerm(&q.Graph, strictLabels, true, false, true); r != "" {
		return "graph", r
	}
	return "", ""
}

func checkTerm(t *Term, strictLabels, blankOK, literalOK, noneOK bool) string {
	switch t.Kind {
	case KindNone:
		if !noneOK {
			return "missing term"
		}
		return ""
	case KindIRI:
		if !utf8.ValidString(t.Value) {
			return "IRI is not valid UTF-8"
		}
		return ""
	case KindBlank:
		if !blankOK {
			return "blank node not allowed here"
		}
		if t.Value == "" {
			return "empty blank node label"
		}
		if strictLabels {
			if !validBlankLabel(t.Value) {
				return "invalid blank node label " + strconv.Quote(t.Value)
			}
		} else if !utf8.ValidString(t.Value) {
			return "blank node label is not valid UTF-8"
		}
		return ""
	case KindLiteral:
		if !literalOK {
			return "literal not allowed here"
		}
		if !utf8.ValidString(t.Value) {
			return "literal value is not valid UTF-8"
		}
		if !utf8.ValidString(t.Datatype) {
			return "datatype IRI is not valid UTF-8"
		}
		if t.Language != "" {
			if !validLangTag(t.Language) {
				return "invalid language tag " + strconv.Quote(t.Language)
			}
			if t.Datatype != "" && t.Datatype != RDFLangString {
				return "language tag with datatype " + strconv.Quote(t.Datatype)
			}
		} else if t.Datatype == RDFLangString {
			return "rdf:langString literal without a language tag"
		}
		return ""
	}
	return "unknown term kind " + strconv.Itoa(int(t.Kind))
}

// validLangTag reports whether s matches [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*.
func validLangTag(s string) bool {
	i := 0
	for i < len(s) && isAlpha(s[i]) {
		i++
	}
	if i == 0 {
		return false
	}
	for i < len(s) {
		if s[i] != '-' {
			return false
		}
		i++
		j := i
		for i < len(s) && (isAlpha(s[i]) || isDigit(s[i])) {
			i++
		}
		if i == j {
			return false
		}
	}
	return true
}

func isAlpha(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }
func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// validBlankLabel reports whether s matches the N-Quads BLANK_NODE_LABEL
// production without its "_:" prefix:
// (PN_CHARS_U | [0-9]) ((PN_CHARS | '.')* PN_CHARS)?
func validBlankLabel(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for i, r := range s {
		if i == 0 {
			if !isPNCharsU(r) && !(r >= '0' && r <= '9') {
				return false
			}
			continue
		}
		if r != '.' && !isPNChars(r) {
			return false
		}
	}
	return s[len(s)-1] != '.'
}

// isPNCharsBase reports membership in the PN_CHARS_BASE production.
func isPNCharsBase(r rune) bool {
	switch {
	case r < 0x80:
		return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
	case r >= 0x00C0 && r <= 0x00D6, r >= 0x00D8 && r <= 0x00F6,
		r >= 0x00F8 && r <= 0x02FF, r >= 0x0370 && r <= 0x037D,
		r >= 0x037F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF,
		r >= 0x3001 && r <= 0xD7FF, r >= 0xF900 && r <= 0xFDCF,
		r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

// isPNCharsU reports membership in PN_CHARS_U, which in N-Triples and
// N-Quads includes ':'.
func isPNCharsU(r rune) bool { return r == '_' || r == ':' || isPNCharsBase(r) }

// isPNChars reports membership in the PN_CHARS production.
func isPNChars(r rune) bool {
	return isPNCharsU(r) || r == '-' || r >= '0' && r <= '9' || r == 0x00B7 ||
		r >= 0x0300 && r <= 0x036F || r >= 0x203F && r <= 0x2040
}
