package rdf

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxNQuadsSize is the largest input, in bytes, that [ParseNQuads] accepts
// (64 MiB). The parser's memory use is linear in its input, so this bounds
// it; a verifier that reads N-Quads from untrusted sources should apply a
// much smaller limit of its own before parsing.
const MaxNQuadsSize = 64 << 20

// ParseError reports a syntax error in an N-Quads document.
type ParseError struct {
	// Line is the 1-based line number of the error (0 when the error is
	// about the whole input).
	Line int
	// Column is the 1-based byte offset of the error within its line (0 when
	// unknown).
	Column int
	// Msg describes the error.
	Msg string
}

// Error returns the message with its line and column.
func (e *ParseError) Error() string {
	if e.Line == 0 {
		return "rdf: N-Quads: " + e.Msg
	}
	return "rdf: N-Quads line " + strconv.Itoa(e.Line) + " column " + strconv.Itoa(e.Column) + ": " + e.Msg
}

// ParseNQuads parses an RDF 1.1 N-Quads document (which is also RDF 1.2
// N-Quads without triple terms, directional language tags or a version
// directive; those give an error).
//
// The input must be valid UTF-8 and at most [MaxNQuadsSize] bytes. IRIs
// must be absolute (have a scheme). Lines may end in LF, CR or CRLF;
// comments and blank lines are allowed. Escapes are decoded: UCHAR in IRIs
// and literals, ECHAR in literals. A literal typed xsd:string gets an empty
// Datatype (see [Literal]). Duplicate quads are kept; [Canonicalize]
// removes them. Blank node labels are kept as written, without "_:".
//
// Errors are *ParseError values with the line and column of the problem.
// The returned terms share memory with one copy of data, so data may be
// reused after the call.
func ParseNQuads(data []byte) (Dataset, error) {
	if len(data) > MaxNQuadsSize {
		return nil, &ParseError{Msg: "input is " + strconv.Itoa(len(data)) + " bytes, more than the limit of " + strconv.Itoa(MaxNQuadsSize)}
	}
	p := parser{s: string(data), line: 1}
	if !utf8.ValidString(p.s) {
		for i := 0; i < len(p.s); {
			r, size := utf8.DecodeRuneInString(p.s[i:])
			if r == utf8.RuneError && size == 1 {
				p.i = i
				break
			}
			if p.s[i] == '\n' || p.s[i] == '\r' {
				p.i = i
				p.newline()
				i = p.i
				continue
			}
			i += size
		}
		return nil, p.errorf("invalid UTF-8")
	}
	// A rough capacity guess: quad lines are typically 80 bytes or longer.
	ds := make(Dataset, 0, len(p.s)/80+1)
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			break
		}
		switch c := p.s[p.i]; c {
		case '\n', '\r':
			p.newline()
			continue
		case '#':
			p.skipComment()
			continue
		}
		q, err := p.statement()
		if err != nil {
			return nil, err
		}
		ds = append(ds, q)
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == '#' {
			p.skipComment()
		}
		if p.i < len(p.s) {
			if c := p.s[p.i]; c != '\n' && c != '\r' {
				return nil, p.errorf("expected end of line after '.'")
			}
		}
	}
	return ds, nil
}

type parser struct {
	s         string
	i         int // current offset
	line      int // current line, 1-based
	lineStart int // offset of the current line's first byte
}

func (p *parser) errorf(msg string) *ParseError {
	return &ParseError{Line: p.line, Column: p.i - p.lineStart + 1, Msg: msg}
}

// newline consumes one line ending (LF, CR or CRLF) at p.i.
func (p *parser) newline() {
	if p.s[p.i] == '\r' && p.i+1 < len(p.s) && p.s[p.i+1] == '\n' {
		p.i++
	}
	p.i++
	p.line++
	p.lineStart = p.i
}

func (p *parser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *parser) skipComment() {
	for p.i < len(p.s) && p.s[p.i] != '\n' && p.s[p.i] != '\r' {
		p.i++
	}
}

func (p *parser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// statement parses subject predicate object graph? '.' at p.i.
func (p *parser) statement() (Quad, error) {
	var q Quad
	var err error
	switch p.peek() {
	case '<':
		if strings.HasPrefix(p.s[p.i:], "<<") {
			return q, p.errorf("triple terms are not supported")
		}
		q.Subject, err = p.iri()
	case '_':
		q.Subject, err = p.blank()
	default:
		if strings.HasPrefix(p.s[p.i:], "VERSION") {
			return q, p.errorf("version directives are not supported")
		}
		return q, p.errorf("expected an IRI or blank node as subject")
	}
	if err != nil {
		return q, err
	}
	p.skipSpace()
	if p.peek() != '<' {
		return q, p.errorf("expected an IRI as predicate")
	}
	if q.Predicate, err = p.iri(); err != nil {
		return q, err
	}
	p.skipSpace()
	switch p.peek() {
	case '<':
		if strings.HasPrefix(p.s[p.i:], "<<") {
			return q, p.errorf("triple terms are not supported")
		}
		q.Object, err = p.iri()
	case '_':
		q.Object, err = p.blank()
	case '"':
		q.Object, err = p.literal()
	default:
		return q, p.errorf("expected an IRI, blank node or literal as object")
	}
	if err != nil {
		return q, err
	}
	p.skipSpace()
	switch p.peek() {
	case '<':
		q.Graph, err = p.iri()
	case '_':
		q.Graph, err = p.blank()
	}
	if err != nil {
		return q, err
	}
	p.skipSpace()
	if p.peek() != '.' {
		return q, p.errorf("expected '.' at end of statement")
	}
	p.i++
	return q, nil
}

// iri parses an IRIREF at p.i (which holds '<').
func (p *parser) iri() (Term, error) {
	open := p.i
	p.i++
	start := p.i
	escaped := false
	for {
		if p.i >= len(p.s) {
			return Term{}, p.errorf("unterminated IRI")
		}
		c := p.s[p.i]
		if c == '>' {
			break
		}
		if c == '\\' {
			escaped = true
			_, n, err := p.uchar(p.i)
			if err != nil {
				return Term{}, err
			}
			p.i += n
			continue
		}
		if iriEscaped[c] {
			return Term{}, p.errorf("character " + strconv.QuoteRune(rune(c)) + " not allowed in IRI")
		}
		p.i++
	}
	v := p.s[start:p.i]
	if escaped {
		var b strings.Builder
		b.Grow(len(v))
		for j := 0; j < len(v); {
			if v[j] == '\\' {
				r, n, _ := p.uchar(start + j) // validated above
				b.WriteRune(r)
				j += n
				continue
			}
			b.WriteByte(v[j])
			j++
		}
		v = b.String()
	}
	if !hasScheme(v) {
		p.i = open
		return Term{}, p.errorf("IRI " + strconv.Quote(v) + " is not absolute")
	}
	p.i++ // '>'
	return Term{Kind: KindIRI, Value: v}, nil
}

// hasScheme reports whether s starts with scheme ":" where scheme is
// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
func hasScheme(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ':':
			return true
		case isAlpha(c), isDigit(c), c == '+', c == '-', c == '.':
		default:
			return false
		}
	}
	return false
}

// uchar decodes \uXXXX or \UXXXXXXXX at offset i, returning the rune and
// the escape's length.
func (p *parser) uchar(i int) (rune, int, error) {
	if i+1 >= len(p.s) {
		p.i = i
		return 0, 0, p.errorf("unterminated escape")
	}
	var n int
	switch p.s[i+1] {
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		p.i = i
		return 0, 0, p.errorf("invalid escape \\" + string(rune(p.s[i+1])))
	}
	if i+2+n > len(p.s) {
		p.i = i
		return 0, 0, p.errorf("truncated \\" + p.s[i+1:i+2] + " escape")
	}
	var r rune
	for _, c := range []byte(p.s[i+2 : i+2+n]) {
		var d byte
		switch {
		case isDigit(c):
			d = c - '0'
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			d = (c | 0x20) - 'a' + 10
		default:
			p.i = i
			return 0, 0, p.errorf("invalid hex digit in \\" + p.s[i+1:i+2] + " escape")
		}
		r = r<<4 | rune(d)
	}
	if r > utf8.MaxRune || r >= 0xD800 && r <= 0xDFFF {
		p.i = i
		return 0, 0, p.errorf("escape " + p.s[i:i+2+n] + " is not a Unicode scalar value")
	}
	return r, 2 + n, nil
}

// blank parses a BLANK_NODE_LABEL at p.i (which holds '_').
func (p *parser) blank() (Term, error) {
	if !strings.HasPrefix(p.s[p.i:], "_:") {
		return Term{}, p.errorf("expected '_:'")
	}
	p.i += 2
	start := p.i
	lastNonDot := -1
	for p.i < len(p.s) {
		r, size := rune(p.s[p.i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(p.s[p.i:])
		}
		if p.i == start {
			if !isPNCharsU(r) && !(r >= '0' && r <= '9') {
				return Term{}, p.errorf("invalid blank node label")
			}
		} else if r != '.' && !isPNChars(r) {
			break
		}
		if r != '.' {
			lastNonDot = p.i + size
		}
		p.i += size
	}
	if lastNonDot < 0 {
		return Term{}, p.errorf("empty blank node label")
	}
	p.i = lastNonDot // a trailing '.' ends the statement, not the label
	return Term{Kind: KindBlank, Value: p.s[start:p.i]}, nil
}

// literal parses STRING_LITERAL_QUOTE ('^^' IRIREF | LANGTAG)? at p.i.
func (p *parser) literal() (Term, error) {
	p.i++ // opening quote
	start := p.i
	escaped := false
	for {
		if p.i >= len(p.s) {
			return Term{}, p.errorf("unterminated string literal")
		}
		c := p.s[p.i]
		if c == '"' {
			break
		}
		switch c {
		case '\n', '\r':
			return Term{}, p.errorf("line break in string literal")
		case '\\':
			escaped = true
			if p.i+1 >= len(p.s) {
				return Term{}, p.errorf("unterminated escape")
			}
			switch p.s[p.i+1] {
			case 't', 'b', 'n', 'r', 'f', '"', '\'', '\\':
				p.i += 2
			default:
				_, n, err := p.uchar(p.i)
				if err != nil {
					return Term{}, err
				}
				p.i += n
			}
			continue
		}
		p.i++
	}
	v := p.s[start:p.i]
	if escaped {
		v = p.unescapeLiteral(start, v)
	}
	p.i++ // closing quote
	t := Term{Kind: KindLiteral, Value: v}
	switch {
	case strings.HasPrefix(p.s[p.i:], "^^"):
		p.i += 2
		if p.peek() != '<' {
			return Term{}, p.errorf("expected a datatype IRI after '^^'")
		}
		dtStart := p.i
		dt, err := p.iri()
		if err != nil {
			return Term{}, err
		}
		switch dt.Value {
		case XSDString:
		case RDFLangString:
			p.i = dtStart
			return Term{}, p.errorf("rdf:langString literal without a language tag")
		default:
			t.Datatype = dt.Value
		}
	case p.peek() == '@':
		p.i++
		start := p.i
		for p.i < len(p.s) && isAlpha(p.s[p.i]) {
			p.i++
		}
		if p.i == start {
			return Term{}, p.errorf("invalid language tag")
		}
		for p.i < len(p.s) && p.s[p.i] == '-' {
			if p.i+1 < len(p.s) && p.s[p.i+1] == '-' {
				return Term{}, p.errorf("directional language tags are not supported")
			}
			p.i++
			sub := p.i
			for p.i < len(p.s) && (isAlpha(p.s[p.i]) || isDigit(p.s[p.i])) {
				p.i++
			}
			if p.i == sub {
				return Term{}, p.errorf("invalid language tag")
			}
		}
		t.Language = p.s[start:p.i]
	}
	return t, nil
}

// unescapeLiteral decodes the escapes of v, which starts at offset start and
// was checked by literal.
func (p *parser) unescapeLiteral(start int, v string) string {
	var b strings.Builder
	b.Grow(len(v))
	for j := 0; j < len(v); {
		c := v[j]
		if c != '\\' {
			b.WriteByte(c)
			j++
			continue
		}
		switch v[j+1] {
		case 't':
			b.WriteByte('\t')
		case 'b':
			b.WriteByte('\b')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 'f':
			b.WriteByte('\f')
		case '"':
			b.WriteByte('"')
		case '\'':
			b.WriteByte('\'')
		case '\\':
			b.WriteByte('\\')
		default:
			r, n, _ := p.uchar(start + j)
			b.WriteRune(r)
			j += n
			continue
		}
		j += 2
	}
	return b.String()
}
