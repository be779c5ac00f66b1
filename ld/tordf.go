package ld

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/microcred/microcred/ld/rdf"
)

// ToRDF expands doc (see Expand) and converts it to an RDF dataset
// following the JSON-LD 1.1 "Deserialize JSON-LD to RDF" algorithm with
// rdfDirection "i18n-datatype": language-tagged strings with a direction
// become literals typed https://www.w3.org/ns/i18n#{language}_{direction}.
// Blank nodes are labelled b0, b1, … in the order they are met.
//
// In safe mode (the default), a statement that RDF cannot hold and that
// expansion let through (an IRI that is absolute but not well-formed, such
// as one with '<' or two '#') is a *SafeModeError instead of being
// dropped; its Path is "", since the expanded form has no JSON paths.
func ToRDF(ctx context.Context, doc any, opts *Options) (rdf.Dataset, error) {
	exp, err := Expand(ctx, doc, opts)
	if err != nil {
		return nil, err
	}
	return expandedToRDF(exp, !opts.unsafe())
}

// ExpandedToRDF converts already expanded JSON-LD (the output of Expand) to
// an RDF dataset: JSON-LD 1.1 Node Map Generation and Deserialize JSON-LD
// to RDF, with rdfDirection "i18n-datatype". Statements that RDF cannot
// hold (relative or malformed IRIs, blank node predicates, malformed
// language tags) are dropped, as JSON-LD processors do; Expand in safe
// mode has already refused documents that contain most of them, and ToRDF
// refuses the rest. Blank nodes are labelled b0, b1, … in the order they
// are met (the members of a node object taken in a fixed order: shorter
// names first, then code point order), so the result is deterministic; the
// dataset holds no quad twice. expanded is not modified.
func ExpandedToRDF(expanded []any) (rdf.Dataset, error) {
	return expandedToRDF(expanded, false)
}

// expandedToRDF is ExpandedToRDF; with safe set, a statement that would be
// dropped is a *SafeModeError instead.
func expandedToRDF(expanded []any, safe bool) (ds rdf.Dataset, err error) {
	defer func() {
		if r := recover(); r != nil {
			ds, err = nil, &Error{Code: "toRdf failed", Err: fmt.Errorf("internal error: %v", r)}
		}
	}()
	c := mapperPool.Get().(*nodeMapper)
	c.reset(safe)
	c.ds = make(rdf.Dataset, 0, min(max(c.hint, 16), 4096))
	var g graphRef // the default graph
	for _, e := range expanded {
		if err := c.top(e, &g); err != nil {
			return nil, err
		}
	}
	c.hint = len(c.ds)
	if c.dup {
		c.dedupe()
	}
	ds = c.ds
	c.release()
	switch {
	case len(ds) == 0:
		return nil, nil
	case cap(ds) > 2*len(ds)+16:
		return slices.Clone(ds), nil
	}
	return ds, nil
}

// literal converts the value object m, whose @value is v, to a literal,
// or says why it cannot be one.
func (c *nodeMapper) literal(m map[string]any, v any) (rdf.Term, dropReason, error) {
	// Most value objects have no other member than @value: look up only
	// as many as there are.
	var dt, lang, dir string
	if n := len(m) - 1; n > 0 {
		if t, ok := m["@type"]; ok {
			dt, _ = t.(string)
			n--
		}
		if n > 0 {
			if l, ok := m["@language"]; ok {
				lang, _ = l.(string)
				n--
			}
		}
		if n > 0 {
			if d, ok := m["@direction"]; ok {
				dir, _ = d.(string)
			}
		}
	}
	if dt == "@json" {
		b, err := appendJCS(nil, v)
		if err != nil {
			return rdf.Term{}, dropReason{}, &Error{Code: "invalid @json value", Err: err}
		}
		return rdf.Literal(string(b), rdf.RDFJSON), dropReason{}, nil
	}
	var lex string
	switch x := v.(type) {
	case bool:
		lex = strconv.FormatBool(x)
		if dt == "" {
			dt = rdf.XSDBoolean
		}
	case string:
		lex = x
	default:
		f, ok := number(x)
		if !ok {
			return rdf.Term{}, dropReason{code: probValue, s: valueKind(v)}, nil
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return rdf.Term{}, dropReason{}, &Error{Code: "invalid number", Err: fmt.Errorf("%v is not a finite number", v)}
		}
		if dt == rdf.XSDDouble || f != math.Trunc(f) || math.Abs(f) >= 1e21 {
			lex = canonicalDouble(f)
			if dt == "" {
				dt = rdf.XSDDouble
			}
		} else {
			lex = canonicalInteger(f)
			if dt == "" {
				dt = rdf.XSDInteger
			}
		}
	}
	if lang != "" && !wellFormedLang(lang) {
		return rdf.Term{}, dropReason{code: probLanguage, s: lang}, nil
	}
	if dir != "" {
		return rdf.Literal(lex, rdf.I18NBase+strings.ToLower(lang)+"_"+dir), dropReason{}, nil
	}
	if lang != "" {
		return rdf.LangLiteral(lex, strings.ToLower(lang)), dropReason{}, nil
	}
	if dt != "" {
		if isBlankID(dt) {
			return rdf.Term{}, dropReason{code: probBlankDatatype, s: dt}, nil
		}
		if code := c.checkIRI(dt); code != probNone {
			return rdf.Term{}, dropReason{code: code, role: "datatype", s: dt}, nil
		}
	}
	return rdf.Literal(lex, dt), dropReason{}, nil
}

// valueKind describes an @value that is not a JSON scalar, for an error.
func valueKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "(an object)"
	case []any:
		return "(an array)"
	}
	return "(a " + reflect.TypeOf(v).String() + ")"
}

// number reads a JSON number in any of the forms a decoder produces.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}

// canonicalDouble writes the canonical xsd:double form JSON-LD uses: up to
// 16 significant digits, trailing zeros removed but one kept after the
// point, an upper-case E and an exponent without "+" or leading zeros
// (1.0E-1, 7.5E0, 1.0E21).
func canonicalDouble(f float64) string {
	var buf, out [32]byte
	b := strconv.AppendFloat(buf[:0], f, 'e', 15, 64) // -d.ddddddddddddddde±dd
	e := slices.Index(b, 'e')
	mant, exp := b[:e], b[e+1:]
	for len(mant) > 2 && mant[len(mant)-1] == '0' && mant[len(mant)-2] != '.' {
		mant = mant[:len(mant)-1]
	}
	r := append(out[:0], mant...)
	r = append(r, 'E')
	if exp[0] == '-' {
		r = append(r, '-')
	}
	exp = exp[1:]
	for len(exp) > 1 && exp[0] == '0' {
		exp = exp[1:]
	}
	return string(append(r, exp...))
}

// canonicalInteger writes an integral float64 as an exact decimal integer.
func canonicalInteger(f float64) string {
	if f == 0 {
		return "0"
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}
