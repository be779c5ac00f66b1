package rdf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseNQuads(t *testing.T) {
	s, p, o, g := IRI("urn:s"), IRI("urn:p"), IRI("urn:o"), IRI("urn:g")
	tests := []struct {
		name string
		in   string
		want Dataset
	}{
		{"empty", "", Dataset{}},
		{"only comments and blank lines", "# c\n\n  \t\r\n#x", Dataset{}},
		{"triple", "<urn:s> <urn:p> <urn:o> .\n", Dataset{{Subject: s, Predicate: p, Object: o}}},
		{"no final newline", "<urn:s> <urn:p> <urn:o> .", Dataset{{Subject: s, Predicate: p, Object: o}}},
		{"quad", "<urn:s> <urn:p> <urn:o> <urn:g> .", Dataset{{Subject: s, Predicate: p, Object: o, Graph: g}}},
		{"minimal whitespace", "<urn:s><urn:p><urn:o><urn:g>.", Dataset{{Subject: s, Predicate: p, Object: o, Graph: g}}},
		{"tabs and comment", "\t<urn:s>\t<urn:p>  <urn:o> .\t# comment <x>\n", Dataset{{Subject: s, Predicate: p, Object: o}}},
		{"comment right after dot", "<urn:s> <urn:p> <urn:o> .#c", Dataset{{Subject: s, Predicate: p, Object: o}}},
		{"crlf and cr", "<urn:s> <urn:p> <urn:o> .\r\n<urn:s> <urn:p> <urn:o> <urn:g> .\r<urn:s> <urn:p> _:b .", Dataset{
			{Subject: s, Predicate: p, Object: o}, {Subject: s, Predicate: p, Object: o, Graph: g}, {Subject: s, Predicate: p, Object: Blank("b")}}},
		{"duplicates kept", "<urn:s> <urn:p> <urn:o> .\n<urn:s> <urn:p> <urn:o> .\n", Dataset{{Subject: s, Predicate: p, Object: o}, {Subject: s, Predicate: p, Object: o}}},
		{"blank nodes", "_:a <urn:p> _:b _:g .", Dataset{{Subject: Blank("a"), Predicate: p, Object: Blank("b"), Graph: Blank("g")}}},
		{"blank label with dots, dash, colon", "_:a.b-c:d_1 <urn:p> _:0x.", Dataset{{Subject: Blank("a.b-c:d_1"), Predicate: p, Object: Blank("0x")}}},
		{"blank label non-ascii", "_:é·\u0300x <urn:p> _:𐀀 .", Dataset{{Subject: Blank("é·\u0300x"), Predicate: p, Object: Blank("𐀀")}}},
		{"blank label before dot", "_:a <urn:p> _:b..", nil}, // "_:b." then "." – second dot is junk
		{"plain literal", `<urn:s> <urn:p> "x y" .`, Dataset{{Subject: s, Predicate: p, Object: Literal("x y", "")}}},
		{"empty literal", `<urn:s> <urn:p> "" .`, Dataset{{Subject: s, Predicate: p, Object: Literal("", "")}}},
		{"typed literal", `<urn:s> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .`, Dataset{{Subject: s, Predicate: p, Object: Literal("1", XSDInteger)}}},
		{"xsd:string normalized", `<urn:s> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#string> .`, Dataset{{Subject: s, Predicate: p, Object: Literal("1", "")}}},
		{"language", `<urn:s> <urn:p> "chat"@fr-CA-1994 <urn:g>.`, Dataset{{Subject: s, Predicate: p, Object: LangLiteral("chat", "fr-CA-1994"), Graph: g}}},
		{"echar", `<urn:s> <urn:p> "\t\b\n\r\f\"\'\\" .`, Dataset{{Subject: s, Predicate: p, Object: Literal("\t\b\n\r\f\"'\\", "")}}},
		{"uchar", `<urn:s> <urn:p> "\u0041\U0001F600\u00e9" .`, Dataset{{Subject: s, Predicate: p, Object: Literal("A😀é", "")}}},
		{"iri uchar", `<urn:\u0061\U00000062> <urn:p> <urn:\u0020> .`, Dataset{{Subject: IRI("urn:ab"), Predicate: p, Object: IRI("urn: ")}}},
		{"hash and quote chars inside terms", `<urn:s#x> <urn:p> "# not a comment ." .`, Dataset{{Subject: IRI("urn:s#x"), Predicate: p, Object: Literal("# not a comment .", "")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseNQuads([]byte(tt.in))
			if tt.want == nil {
				var pe *ParseError
				require.ErrorAs(t, err, &pe)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseNQuadsErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		line, col int
		msg       string
	}{
		{"literal subject", `"x" <urn:p> <urn:o> .`, 1, 1, "expected an IRI or blank node as subject"},
		{"blank predicate", `<urn:s> _:p <urn:o> .`, 1, 9, "expected an IRI as predicate"},
		{"missing object", `<urn:s> <urn:p> .`, 1, 17, "expected an IRI, blank node or literal"},
		{"missing dot", "<urn:s> <urn:p> <urn:o>\n", 1, 24, "expected '.'"},
		{"literal graph", `<urn:s> <urn:p> <urn:o> "g" .`, 1, 25, "expected '.'"},
		{"junk after dot", `<urn:s> <urn:p> <urn:o> . <urn:x>`, 1, 27, "expected end of line"},
		{"two statements on a line", `<urn:s> <urn:p> <urn:o> . <urn:s> <urn:p> <urn:o> .`, 1, 27, "expected end of line"},
		{"error line number", "# c\n<urn:s> <urn:p> <urn:o> .\r\n\r\n<urn:s> <urn:p> <urn:o>", 4, 24, "expected '.'"},
		{"error line number after cr", "<urn:s> <urn:p> <urn:o> .\r\r<urn:s> <urn:p>", 3, 16, "expected an IRI, blank node or literal"},
		{"space in iri", `<urn:a b> <urn:p> <urn:o> .`, 1, 7, "not allowed in IRI"},
		{"relative iri", `<a> <urn:p> <urn:o> .`, 1, 1, "not absolute"},
		{"empty iri", `<> <urn:p> <urn:o> .`, 1, 1, "not absolute"},
		{"unterminated iri", `<urn:s`, 1, 7, "unterminated IRI"},
		{"bad iri escape", `<urn:\n> <urn:p> <urn:o> .`, 1, 6, `invalid escape \n`},
		{"truncated uchar", `<urn:s> <urn:p> "\u00`, 1, 18, "truncated"},
		{"bad hex", `<urn:s> <urn:p> "\u00g0" .`, 1, 18, "invalid hex digit"},
		{"surrogate uchar", `<urn:s> <urn:p> "\uD800" .`, 1, 18, "not a Unicode scalar value"},
		{"too big uchar", `<urn:s> <urn:p> "\U00110000" .`, 1, 18, "not a Unicode scalar value"},
		{"bad echar", `<urn:s> <urn:p> "\a" .`, 1, 18, `invalid escape \a`},
		{"unterminated literal", `<urn:s> <urn:p> "abc`, 1, 21, "unterminated string literal"},
		{"newline in literal", "<urn:s> <urn:p> \"a\nb\" .", 1, 19, "line break in string literal"},
		{"bad language", `<urn:s> <urn:p> "x"@1 .`, 1, 21, "invalid language tag"},
		{"bad language subtag", `<urn:s> <urn:p> "x"@en- .`, 1, 24, "invalid language tag"},
		{"directional language", `<urn:s> <urn:p> "x"@en--ltr .`, 1, 23, "directional language tags are not supported"},
		{"datatype without iri", `<urn:s> <urn:p> "x"^^xsd:int .`, 1, 22, "expected a datatype IRI"},
		{"langString datatype", `<urn:s> <urn:p> "x"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .`, 1, 22, "rdf:langString literal without a language tag"},
		{"bad blank label", `_:-a <urn:p> <urn:o> .`, 1, 3, "invalid blank node label"},
		{"empty blank label", `_: <urn:p> <urn:o> .`, 1, 3, "invalid blank node label"},
		{"label then dot is fine", `<urn:s> <urn:p> _:a .`, 0, 0, ""},
		{"underscore only", `_ <urn:p> <urn:o> .`, 1, 1, "expected '_:'"},
		{"triple term", `<<( <urn:s> <urn:p> <urn:o> )>> <urn:p> <urn:o> .`, 1, 1, "triple terms are not supported"},
		{"triple term object", `<urn:s> <urn:p> <<( <urn:s> <urn:p> <urn:o> )>> .`, 1, 17, "triple terms are not supported"},
		{"version", `VERSION "1.2"`, 1, 1, "version directives are not supported"},
		{"invalid utf-8", "<urn:s> <urn:p> \"ok\" .\n<urn:s> <urn:p> \"\xff\" .", 2, 18, "invalid UTF-8"},
		{"invalid utf-8 after cr", "#\r\r\n\xc3", 3, 1, "invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNQuads([]byte(tt.in))
			if tt.line == 0 {
				assert.NoError(t, err)
				return
			}
			var pe *ParseError
			require.ErrorAs(t, err, &pe, "input %q", tt.in)
			assert.Equal(t, tt.line, pe.Line, "line: %v", err)
			assert.Equal(t, tt.col, pe.Column, "column: %v", err)
			assert.Contains(t, pe.Msg, tt.msg)
			assert.Contains(t, err.Error(), "line ")
		})
	}
}

func TestParseNQuadsTooLarge(t *testing.T) {
	_, err := ParseNQuads(make([]byte, MaxNQuadsSize+1))
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 0, pe.Line)
	assert.Contains(t, err.Error(), "limit")
}

// TestParseRoundTrip parses every N-Quads file in testdata, writes it back
// and parses it again.
func TestParseRoundTrip(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.nq")
	require.NoError(t, err)
	files2, err := filepath.Glob("testdata/rdf-canon/rdfc10/*.nq")
	require.NoError(t, err)
	files = append(files, files2...)
	require.Greater(t, len(files), 100)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			ds, err := ParseNQuads(data)
			require.NoError(t, err)
			out := ds.NQuads()
			ds2, err := ParseNQuads(out)
			require.NoError(t, err)
			assert.Equal(t, ds, ds2)
			if strings.HasSuffix(f, "-rdfc10.nq") || strings.Contains(f, "credentials") {
				// Canonical files are written back byte for byte.
				assert.Equal(t, string(data), string(out))
			}
		})
	}
}
