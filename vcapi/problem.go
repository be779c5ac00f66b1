package vcapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/microcred/microcred/internal/jsonx"
)

// ProblemTypeBase prefixes the "type" of every problem document; the
// fragment names the kind ("#invalid-json", "#invalid-credential", …).
const ProblemTypeBase = "https://w3id.org/microcred/problems#"

// Problem is the body of every error response: an RFC 9457 problem
// document with the list of what is wrong and where.
type Problem struct {
	// Type identifies the kind of problem: ProblemTypeBase + a kind.
	Type string `json:"type"`
	// Title is a short summary of the kind.
	Title string `json:"title"`
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Detail explains this occurrence.
	Detail string `json:"detail,omitempty"`
	// Instance is the request path.
	Instance string `json:"instance,omitempty"`
	// Problems lists each problem found, with its place in the request.
	Problems []Item `json:"problems,omitempty"`
}

// Item is one problem: where (a JSON Pointer into the request body) and
// what.
type Item struct {
	// Pointer is the RFC 6901 JSON Pointer of the value in the request
	// body ("" for the whole body).
	Pointer string `json:"pointer"`
	// Message says what is wrong.
	Message string `json:"message"`
	// Source is the step that found it (issue: "issuer", "ob3", "schema",
	// "profile", "jsonld"; requests: "request").
	Source string `json:"source,omitempty"`
	// Rule names the rule or JSON Schema keyword, when there is one.
	Rule string `json:"rule,omitempty"`
}

// problem is a Problem before it is written; Type is the kind only.
type problem struct {
	Status   int
	Type     string
	Title    string
	Detail   string
	Problems []Item
}

// writeProblem writes p as application/problem+json.
func writeProblem(w http.ResponseWriter, r *http.Request, p problem) {
	doc := Problem{Type: ProblemTypeBase + p.Type, Title: p.Title, Status: p.Status, Detail: p.Detail, Instance: r.URL.Path, Problems: p.Problems}
	b, _ := json.Marshal(doc)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	w.Write(append(b, '\n'))
}

// badRequest is a 400 problem with one item.
func badRequest(kind, title, pointer, msg string) problem {
	return problem{Status: http.StatusBadRequest, Type: kind, Title: title, Detail: msg,
		Problems: []Item{{Pointer: pointer, Message: msg, Source: "request"}}}
}

// errTooLarge is returned by readBody when the body is over the limit.
var errTooLarge = errors.New("request body too large")

// readBody reads r's body up to limit bytes; more is errTooLarge. A body
// with a Content-Length is read into one buffer of that size.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, errTooLarge
	}
	b, err := readAllHint(http.MaxBytesReader(w, r.Body, limit), r.ContentLength)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, errTooLarge
	}
	return b, err
}

// readAllHint is io.ReadAll starting with a buffer of hint bytes (when
// positive), so that a body of known length is not copied while growing.
func readAllHint(r io.Reader, hint int64) ([]byte, error) {
	size := 512
	if hint > 0 {
		size = int(hint) + 1 // +1: reading EOF needs room
	}
	b := make([]byte, 0, size)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// bodyProblem turns a readBody error into a problem.
func bodyProblem(err error, limit int64) problem {
	if errors.Is(err, errTooLarge) {
		msg := fmt.Sprintf("the request body is larger than %d bytes", limit)
		return problem{Status: http.StatusRequestEntityTooLarge, Type: "too-large", Title: "request body too large", Detail: msg,
			Problems: []Item{{Pointer: "", Message: msg, Source: "request"}}}
	}
	return badRequest("bad-body", "the request body could not be read", "", err.Error())
}

// members is a JSON object split into its top-level members, each the exact
// bytes of its value.
type members map[string]json.RawMessage

// splitObject reads body as one JSON object whose member names must be in
// allowed (nil allows any), without duplicates, and returns the members'
// raw values. The values themselves are checked only for JSON syntax here;
// the verifier parses credentials with its own strict limits.
func splitObject(body []byte, allowed ...string) (members, *problem) {
	fail := func(ptr, msg string) (members, *problem) {
		p := badRequest("invalid-json", "the request body is not the JSON object this endpoint takes", ptr, msg)
		return nil, &p
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return fail("", "the request body is empty; want a JSON object")
	}
	if trimmed[0] != '{' {
		return fail("", "the request body is not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return fail("", "invalid JSON: "+err.Error())
	}
	out := members{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail("", "invalid JSON: "+err.Error())
		}
		name, _ := tok.(string)
		ptr := "/" + jsonx.EscapeToken(name)
		if _, dup := out[name]; dup {
			return fail(ptr, fmt.Sprintf("member %q appears twice", name))
		}
		if allowed != nil && !slices.Contains(allowed, name) {
			return fail(ptr, fmt.Sprintf("unknown member %q (this endpoint takes %s)", name, quoteList(allowed)))
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail(ptr, "invalid JSON: "+err.Error())
		}
		out[name] = raw
	}
	if _, err := dec.Token(); err != nil {
		return fail("", "invalid JSON: "+err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail("", "invalid JSON: data after the top-level object")
	}
	return out, nil
}

// decodeOptions decodes raw (an "options" member, may be empty) into v,
// refusing unknown members and wrong types with a pointer under base.
func decodeOptions(raw json.RawMessage, base string, v any) *problem {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if bytes.TrimSpace(raw)[0] != '{' {
		p := badRequest("invalid-options", "invalid options", base, "options must be a JSON object")
		return &p
	}
	if p := strictMembers(raw, base, reflect.TypeOf(v)); p != nil {
		return p
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		ptr := base
		msg := err.Error()
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			if te.Field != "" {
				ptr += "/" + strings.ReplaceAll(jsonx.EscapeToken(te.Field), ".", "/")
			}
			msg = fmt.Sprintf("%s must be a JSON %s, not %s", strings.TrimPrefix(ptr, "/"), te.Type.Kind(), te.Value)
		} else if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
			ptr += "/" + strings.Trim(name, `"`)
			msg = "unknown option " + name
		}
		p := badRequest("invalid-options", "invalid options", ptr, msg)
		return &p
	}
	return nil
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// strictMembers refuses what encoding/json would let through: a member
// that appears twice (it keeps the last) and a member whose name matches a
// field only when case is ignored. typ is the Go type raw is decoded into;
// members of json.RawMessage fields are checked where they are decoded.
func strictMembers(raw []byte, base string, typ reflect.Type) *problem {
	tree, err := jsonx.Decode(raw, jsonx.Limits{MaxBytes: len(raw) + 1, MaxDepth: 32, MaxValues: 10000})
	if err != nil {
		ptr := base
		var je *jsonx.Error
		if errors.As(err, &je) {
			ptr += je.Pointer
		}
		p := badRequest("invalid-options", "invalid options", ptr, err.Error())
		return &p
	}
	return checkMembers(tree, base, typ)
}

var rawMessageType = reflect.TypeOf(json.RawMessage(nil))

func checkMembers(v any, ptr string, typ reflect.Type) *problem {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ == rawMessageType {
		return nil
	}
	switch typ.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil // a type error, which json.Decode reports
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			fields[name] = f.Type
		}
		for k, val := range obj {
			ft, ok := fields[k]
			p := ptr + "/" + jsonx.EscapeToken(k)
			if !ok {
				q := badRequest("invalid-options", "invalid options", p, fmt.Sprintf("unknown member %q (member names are case-sensitive)", k))
				return &q
			}
			if q := checkMembers(val, p, ft); q != nil {
				return q
			}
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			return nil
		}
		for i, el := range arr {
			if q := checkMembers(el, jsonx.AppendIndex(ptr, i), typ.Elem()); q != nil {
				return q
			}
		}
	}
	return nil
}
