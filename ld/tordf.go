package ld

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	gold "github.com/piprate/json-gold/ld"

	"github.com/microcred/microcred/ld/rdf"
)

// ToRDF expands doc (see Expand) and converts it to an RDF dataset
// following the JSON-LD 1.1 "Deserialize JSON-LD to RDF" algorithm with
// rdfDirection "i18n-datatype": language-tagged strings with a direction
// become literals typed https://www.w3.org/ns/i18n#{language}_{direction}.
// Blank nodes are labelled b0, b1, … in the order they are met.
func ToRDF(ctx context.Context, doc any, opts *Options) (rdf.Dataset, error) {
	exp, err := Expand(ctx, doc, opts)
	if err != nil {
		return nil, err
	}
	return ExpandedToRDF(exp)
}

// ExpandedToRDF converts already expanded JSON-LD (the output of Expand) to
// an RDF dataset. Statements that RDF cannot hold (relative IRIs, blank node
// predicates, malformed language tags) are dropped; Expand in safe mode has
// already refused documents that contain them.
func ExpandedToRDF(expanded []any) (ds rdf.Dataset, err error) {
	defer func() {
		if r := recover(); r != nil {
			ds, err = nil, &Error{Code: "toRdf failed", Err: fmt.Errorf("internal error: %v", r)}
		}
	}()
	issuer := gold.NewIdentifierIssuer("_:b")
	nodeMap := map[string]any{"@default": map[string]any{}}
	var in any = expanded
	if _, err := gold.NewJsonLdApi().GenerateNodeMap(in, nodeMap, "@default", issuer, "", "", nil); err != nil {
		return nil, &Error{Code: "toRdf failed", Err: err}
	}
	c := converter{issuer: issuer}
	for _, g := range sortedKeys(nodeMap) {
		var graph rdf.Term
		if g != "@default" {
			t, ok := nodeTerm(g)
			if !ok {
				continue
			}
			graph = t
		}
		nodes, _ := nodeMap[g].(map[string]any)
		for _, id := range sortedKeys(nodes) {
			subj, ok := nodeTerm(id)
			if !ok {
				continue
			}
			node, _ := nodes[id].(map[string]any)
			for _, prop := range sortedKeys(node) {
				vals, _ := node[prop].([]any)
				if prop == "@type" {
					for _, t := range vals {
						s, _ := t.(string)
						if o, ok := nodeTerm(s); ok {
							c.ds = append(c.ds, rdf.Quad{Subject: subj, Predicate: rdf.IRI(rdf.RDFType), Object: o, Graph: graph})
						}
					}
					continue
				}
				if strings.HasPrefix(prop, "@") || isBlankID(prop) || !isAbsIRI(prop) {
					continue
				}
				pred := rdf.IRI(prop)
				for _, item := range vals {
					o, ok, err := c.object(item, graph)
					if err != nil {
						return nil, err
					}
					if ok {
						c.ds = append(c.ds, rdf.Quad{Subject: subj, Predicate: pred, Object: o, Graph: graph})
					}
				}
			}
		}
	}
	return c.ds, nil
}

// nodeTerm turns a node identifier from the node map into a term.
func nodeTerm(id string) (rdf.Term, bool) {
	if isBlankID(id) {
		return rdf.Blank(id[2:]), true
	}
	if isAbsIRI(id) {
		return rdf.IRI(id), true
	}
	return rdf.Term{}, false
}

type converter struct {
	issuer *gold.IdentifierIssuer
	ds     rdf.Dataset
}

// object converts a node reference, list object or value object.
func (c *converter) object(item any, graph rdf.Term) (rdf.Term, bool, error) {
	m, ok := item.(map[string]any)
	if !ok {
		return rdf.Term{}, false, nil
	}
	if v, ok := m["@value"]; ok {
		return valueTerm(m, v)
	}
	if l, ok := m["@list"]; ok {
		items, _ := l.([]any)
		return c.list(items, graph)
	}
	if id, ok := m["@id"].(string); ok {
		t, ok := nodeTerm(id)
		return t, ok, nil
	}
	return rdf.Term{}, false, nil
}

func (c *converter) list(items []any, graph rdf.Term) (rdf.Term, bool, error) {
	if len(items) == 0 {
		return rdf.IRI(rdf.RDFNil), true, nil
	}
	labels := make([]string, len(items))
	for i := range items {
		labels[i] = c.issuer.GetId("")[2:]
	}
	for i, item := range items {
		subj := rdf.Blank(labels[i])
		o, ok, err := c.object(item, graph)
		if err != nil {
			return rdf.Term{}, false, err
		}
		if ok {
			c.ds = append(c.ds, rdf.Quad{Subject: subj, Predicate: rdf.IRI(rdf.RDFFirst), Object: o, Graph: graph})
		}
		rest := rdf.IRI(rdf.RDFNil)
		if i+1 < len(items) {
			rest = rdf.Blank(labels[i+1])
		}
		c.ds = append(c.ds, rdf.Quad{Subject: subj, Predicate: rdf.IRI(rdf.RDFRest), Object: rest, Graph: graph})
	}
	return rdf.Blank(labels[0]), true, nil
}

// valueTerm converts a value object to a literal.
func valueTerm(m map[string]any, v any) (rdf.Term, bool, error) {
	dt, _ := m["@type"].(string)
	lang, _ := m["@language"].(string)
	dir, _ := m["@direction"].(string)
	var lex string
	if dt == "@json" {
		b, err := appendJCS(nil, v)
		if err != nil {
			return rdf.Term{}, false, &Error{Code: "invalid @json value", Err: err}
		}
		return rdf.Literal(string(b), rdf.RDFJSON), true, nil
	}
	switch x := v.(type) {
	case bool:
		lex = strconv.FormatBool(x)
		if dt == "" {
			dt = rdf.XSDBoolean
		}
	case string:
		lex = x
	case nil:
		return rdf.Term{}, false, nil
	default:
		f, ok := number(x)
		if !ok {
			return rdf.Term{}, false, nil
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return rdf.Term{}, false, &Error{Code: "invalid number", Err: fmt.Errorf("%v is not a finite number", v)}
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
	if dir != "" {
		return rdf.Literal(lex, rdf.I18NBase+strings.ToLower(lang)+"_"+dir), true, nil
	}
	if lang != "" {
		if !langTag.MatchString(lang) {
			return rdf.Term{}, false, nil
		}
		return rdf.LangLiteral(lex, strings.ToLower(lang)), true, nil
	}
	if dt != "" && !isAbsIRI(dt) {
		return rdf.Term{}, false, nil
	}
	return rdf.Literal(lex, dt), true, nil
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
	s := strconv.FormatFloat(f, 'e', 15, 64)
	mant, exp, _ := strings.Cut(s, "e")
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		mant = strings.TrimRight(mant, "0")
		if strings.HasSuffix(mant, ".") {
			mant += "0"
		}
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// canonicalInteger writes an integral float64 as an exact decimal integer.
func canonicalInteger(f float64) string {
	if f == 0 {
		return "0"
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}
