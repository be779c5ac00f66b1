package rdf

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTermString(t *testing.T) {
	tests := []struct {
		name string
		term Term
		want string
	}{
		{"iri", IRI("http://example.com/a#b"), "<http://example.com/a#b>"},
		{"iri non-ascii", IRI("urn:ex:∞"), "<urn:ex:∞>"},
		{"iri forbidden chars", IRI("urn:a b<>\"{}|^`\\\x00\x1f"), `<urn:a\u0020b\u003C\u003E\u0022\u007B\u007D\u007C\u005E\u0060\u005C\u0000\u001F>`},
		{"blank", Blank("b0"), "_:b0"},
		{"plain literal", Literal("hello", ""), `"hello"`},
		{"xsd:string dropped", Literal("x", XSDString), `"x"`},
		{"xsd:string set directly", Term{Kind: KindLiteral, Value: "x", Datatype: XSDString}, `"x"`},
		{"typed literal", Literal("1", XSDInteger), `"1"^^<http://www.w3.org/2001/XMLSchema#integer>`},
		{"lang literal", LangLiteral("chat", "fr-CA"), `"chat"@fr-CA`},
		{"lang literal with langString datatype", Term{Kind: KindLiteral, Value: "x", Datatype: RDFLangString, Language: "en"}, `"x"@en`},
		{"echar", Literal("\"\\\n\r\t\b\f'", ""), `"\"\\\n\r\t\b\f'"`},
		{"controls", Literal("\x00\x01\x07\x0b\x0e\x1f\x7f", ""), `"\u0000\u0001\u0007\u000B\u000E\u001F\u007F"`},
		{"no escape for printable and non-ascii", Literal(" <>{}|^`\u00a0\u0080\u2028😀", ""), "\" <>{}|^`\u00a0\u0080\u2028😀\""},
		{"default graph", Term{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.term.String())
			assert.Equal(t, "x"+tt.want, string(AppendTerm([]byte("x"), tt.term)))
		})
	}
}

// TestLiteralEscapesMatchTest060 checks every ASCII control character
// against the canonical form that rdf-canon test060 expects.
func TestLiteralEscapesMatchTest060(t *testing.T) {
	var b strings.Builder
	for r := rune(0); r < 0x20; r++ {
		b.WriteRune(r)
	}
	got := Literal(b.String(), "").String()
	want := `"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000B\f\r\u000E\u000F` +
		`\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"`
	assert.Equal(t, want, got)
}

func TestQuadString(t *testing.T) {
	q := Quad{Subject: Blank("s"), Predicate: IRI("urn:p"), Object: Literal("o", "")}
	assert.Equal(t, `_:s <urn:p> "o" .`, q.String())
	assert.Equal(t, "_:s <urn:p> \"o\" .\n", string(AppendQuad(nil, q)))
	q.Graph = IRI("urn:g")
	assert.Equal(t, `_:s <urn:p> "o" <urn:g> .`, q.String())
	q.Graph = Blank("g")
	assert.Equal(t, `_:s <urn:p> "o" _:g .`, q.String())
}

func TestDatasetNQuads(t *testing.T) {
	ds := Dataset{
		{Subject: IRI("urn:b"), Predicate: IRI("urn:p"), Object: IRI("urn:o")},
		{Subject: IRI("urn:a"), Predicate: IRI("urn:p"), Object: LangLiteral("x", "en"), Graph: IRI("urn:g")},
		{Subject: IRI("urn:b"), Predicate: IRI("urn:p"), Object: IRI("urn:o")},
	}
	want := "<urn:b> <urn:p> <urn:o> .\n<urn:a> <urn:p> \"x\"@en <urn:g> .\n<urn:b> <urn:p> <urn:o> .\n"
	assert.Equal(t, want, string(ds.NQuads()))
	var buf bytes.Buffer
	require.NoError(t, WriteNQuads(&buf, ds))
	assert.Equal(t, want, buf.String())
	assert.Empty(t, Dataset(nil).NQuads())
}

func TestValidate(t *testing.T) {
	s, p, o := IRI("urn:s"), IRI("urn:p"), IRI("urn:o")
	tests := []struct {
		name     string
		quad     Quad
		position string // "" when valid
	}{
		{"valid", Quad{Subject: s, Predicate: p, Object: o}, ""},
		{"valid blank graph", Quad{Subject: Blank("a"), Predicate: p, Object: Blank("b.c"), Graph: Blank("g")}, ""},
		{"valid lang", Quad{Subject: s, Predicate: p, Object: LangLiteral("x", "en-GB-oxendict")}, ""},
		{"literal subject", Quad{Subject: Literal("x", ""), Predicate: p, Object: o}, "subject"},
		{"missing subject", Quad{Predicate: p, Object: o}, "subject"},
		{"blank predicate", Quad{Subject: s, Predicate: Blank("p"), Object: o}, "predicate"},
		{"missing object", Quad{Subject: s, Predicate: p}, "object"},
		{"literal graph", Quad{Subject: s, Predicate: p, Object: o, Graph: Literal("g", "")}, "graph"},
		{"bad kind", Quad{Subject: s, Predicate: p, Object: Term{Kind: 9, Value: "x"}}, "object"},
		{"empty blank label", Quad{Subject: Blank(""), Predicate: p, Object: o}, "subject"},
		{"bad blank label", Quad{Subject: Blank("a b"), Predicate: p, Object: o}, "subject"},
		{"blank label ending in dot", Quad{Subject: Blank("a."), Predicate: p, Object: o}, "subject"},
		{"bad language", Quad{Subject: s, Predicate: p, Object: LangLiteral("x", "en US")}, "object"},
		{"injected language", Quad{Subject: s, Predicate: p, Object: LangLiteral("x", "en .\n<urn:s> <urn:p> \"y")}, "object"},
		{"language with datatype", Quad{Subject: s, Predicate: p, Object: Term{Kind: KindLiteral, Value: "x", Language: "en", Datatype: XSDInteger}}, "object"},
		{"langString without language", Quad{Subject: s, Predicate: p, Object: Literal("x", RDFLangString)}, "object"},
		{"invalid utf-8 literal", Quad{Subject: s, Predicate: p, Object: Literal("\xff", "")}, "object"},
		{"invalid utf-8 iri", Quad{Subject: IRI("urn:\xff"), Predicate: p, Object: o}, "subject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.quad.Validate()
			if tt.position == "" {
				assert.NoError(t, err)
				return
			}
			var qe *QuadError
			require.ErrorAs(t, err, &qe)
			assert.Equal(t, tt.position, qe.Position)
			t.Log(err)

			err = Dataset{{Subject: s, Predicate: p, Object: o}, tt.quad}.Validate()
			require.ErrorAs(t, err, &qe)
			assert.Equal(t, 1, qe.Index)
			var buf bytes.Buffer
			assert.Error(t, WriteNQuads(&buf, Dataset{tt.quad}))
			assert.Zero(t, buf.Len())
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("boom") }

func TestWriteNQuadsWriterError(t *testing.T) {
	err := WriteNQuads(failWriter{}, Dataset{{Subject: IRI("urn:s"), Predicate: IRI("urn:p"), Object: IRI("urn:o")}})
	assert.EqualError(t, err, "boom")
}
