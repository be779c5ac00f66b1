package badge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/microcred/microcred/internal/jsonx"
)

// This file holds the JSON machinery shared by every class of the model.
//
// Reading: the input is decoded once, strictly, by internal/jsonx into
// map[string]any / []any / string / json.Number / bool / nil; that tree is
// then converted into the model's structs by reflection over their json
// tags (decodeValue, decodeObject), member by member, so that errors name
// the member's JSON Pointer and unknown members land in Extra. Converting
// a tree instead of re-reading bytes at each level keeps the work linear
// in the input size whatever its nesting.
//
// Writing: one buffer for the whole document (encoder); each struct is
// written in field order, then its extras in name order.

// DecodeError reports a JSON value whose shape does not fit the model:
// a number where a string belongs, an array where an object belongs, two
// members with the same name. ParseCredential and the UnmarshalJSON methods
// of this package return it.
type DecodeError struct {
	// Pointer is the RFC 6901 JSON Pointer of the offending value in the
	// input ("" for the whole document).
	Pointer string
	// Err says what is wrong.
	Err error
}

// Error returns "badge: <pointer>: <what is wrong>".
func (e *DecodeError) Error() string {
	if e.Pointer == "" {
		return "badge: " + e.Err.Error()
	}
	return "badge: " + e.Pointer + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *DecodeError) Unwrap() error { return e.Err }

// ErrDuplicateKey is wrapped by a *DecodeError when an object has two
// members with the same name (UnmarshalJSON; ParseCredential returns
// vc.ErrDuplicateKey in a *vc.ParseError for that).
var ErrDuplicateKey = errors.New("duplicate key")

// atKey prefixes the pointer of err with /key; any other error becomes a
// *DecodeError at /key.
func atKey(key string, err error) error {
	return prefixPointer("/"+jsonx.EscapeToken(key), err)
}

// atIndex prefixes the pointer of err with /i.
func atIndex(i int, err error) error {
	return prefixPointer("/"+strconv.Itoa(i), err)
}

func prefixPointer(prefix string, err error) error {
	var de *DecodeError
	if errors.As(err, &de) {
		return &DecodeError{Pointer: prefix + de.Pointer, Err: de.Err}
	}
	return &DecodeError{Pointer: prefix, Err: err}
}

// wrongKind is the error for a value of the wrong JSON type.
func wrongKind(want string, got any) error {
	return &DecodeError{Err: fmt.Errorf("want %s, got %s", want, jsonx.Kind(got))}
}

// unmarshalLimits bound UnmarshalJSON, which callers use on data they
// produced or trust; ParseCredential applies vc.Parse's tighter limits
// (1 MiB, depth 64) to untrusted input.
var unmarshalLimits = jsonx.Limits{MaxBytes: math.MaxInt32, MaxDepth: 1000, MaxValues: math.MaxInt32}

// decodeAny decodes a JSON text into map[string]any, []any, string,
// json.Number, bool or nil, rejecting duplicate member names and invalid
// UTF-8.
func decodeAny(data []byte) (any, error) {
	v, err := jsonx.Decode(data, unmarshalLimits)
	if err != nil {
		var je *jsonx.Error
		if errors.As(err, &je) {
			if errors.Is(err, jsonx.ErrDuplicateKey) {
				return nil, &DecodeError{Pointer: je.Pointer, Err: fmt.Errorf("%w: %s", ErrDuplicateKey, je.Detail)}
			}
			return nil, &DecodeError{Pointer: je.Pointer, Err: je}
		}
		return nil, err
	}
	return v, nil
}

// treeDecoder is implemented by the types that read a decoded JSON value
// their own way (single-or-array lists, IRI-or-object classes, Text,
// DateTime, the credentials). Other structs are read by decodeObject.
type treeDecoder interface {
	decodeTree(v any) error
}

// treeEncoder is implemented by the types that write themselves their own
// way. Other structs are written by (*encoder).object.
type treeEncoder interface {
	encodeTo(e *encoder) error
}

// unmarshalTree is UnmarshalJSON for the model's types: decode, then
// convert the tree.
func unmarshalTree(data []byte, ptr any) error {
	v, err := decodeAny(data)
	if err != nil {
		return err
	}
	return decodeValue(v, reflect.ValueOf(ptr).Elem())
}

// marshalTree is MarshalJSON for the model's types.
func marshalTree(v any) ([]byte, error) {
	e := newEncoder()
	if err := e.value(v); err != nil {
		return nil, err
	}
	return e.buf.Bytes(), nil
}

var (
	numberType = reflect.TypeFor[json.Number]()
	anyType    = reflect.TypeFor[any]()
	extraType  = reflect.TypeFor[map[string]any]()
)

// decodeValue stores the decoded JSON value v into rv (settable). null
// leaves the zero value.
func decodeValue(v any, rv reflect.Value) error {
	if td, ok := rv.Addr().Interface().(treeDecoder); ok {
		return td.decodeTree(v)
	}
	switch rv.Type() {
	case anyType:
		if v != nil {
			rv.Set(reflect.ValueOf(v))
		}
		return nil
	case numberType:
		switch n := v.(type) {
		case json.Number:
			rv.SetString(string(n))
		case nil:
		default:
			return wrongKind("a number", v)
		}
		return nil
	}
	switch rv.Kind() {
	case reflect.String:
		switch s := v.(type) {
		case string:
			rv.SetString(s)
		case nil:
		default:
			return wrongKind("a string", v)
		}
		return nil
	case reflect.Bool:
		switch b := v.(type) {
		case bool:
			rv.SetBool(b)
		case nil:
		default:
			return wrongKind("a boolean", v)
		}
		return nil
	case reflect.Pointer:
		if v == nil {
			rv.SetZero()
			return nil
		}
		p := reflect.New(rv.Type().Elem())
		if err := decodeValue(v, p.Elem()); err != nil {
			return err
		}
		rv.Set(p)
		return nil
	case reflect.Struct:
		rv.SetZero()
		si := infoOf(rv.Type())
		if si.extra < 0 {
			break
		}
		return decodeObject(v, rv, rv.Field(si.extra).Addr().Interface().(*map[string]any))
	}
	return fmt.Errorf("badge: cannot decode into %s", rv.Type()) // a bug in the model
}

// fieldInfo describes one JSON member of a model struct.
type fieldInfo struct {
	name      string
	index     int
	omitEmpty bool
}

type structInfo struct {
	fields []fieldInfo
	byName map[string]int // JSON name -> position in fields
	extra  int            // index of the Extra field, -1 if none
}

var structCache sync.Map // reflect.Type -> *structInfo

// infoOf returns the JSON members of struct type t, from its json tags.
// Fields tagged "-" (Extra) and unexported fields are not members.
func infoOf(t reflect.Type) *structInfo {
	if si, ok := structCache.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byName: map[string]int{}, extra: -1}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Name == "Extra" && f.Type == extraType {
			si.extra = i
		}
		tag, ok := f.Tag.Lookup("json")
		if !f.IsExported() || !ok || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		si.byName[name] = len(si.fields)
		si.fields = append(si.fields, fieldInfo{name: name, index: i, omitEmpty: strings.Contains(opts, "omitempty")})
	}
	structCache.Store(t, si)
	return si
}

// isEmpty reports whether a field value is left out when writing: empty
// strings, lists and maps, nil pointers, zero Text and DateTime values.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	}
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		return z.IsZero()
	}
	return v.IsZero()
}

// decodeObject fills the struct sv from the decoded JSON object v, member
// by member (in name order, so that the first error reported does not
// depend on map order). Members the struct does not name go into *extra.
// A member the struct names but whose value is empty for the model ("",
// null, [], {} for a list) is kept verbatim in *extra too, so that writing
// the struct back reproduces it: (*encoder).object writes an extra under a
// field's name when the field itself is empty.
func decodeObject(v any, sv reflect.Value, extra *map[string]any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return wrongKind("an object", v)
	}
	si := infoOf(sv.Type())
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		e := m[k]
		if i, known := si.byName[k]; known {
			fi := si.fields[i]
			fv := sv.Field(fi.index)
			if err := decodeValue(e, fv); err != nil {
				return atKey(k, err)
			}
			if !fi.omitEmpty || !isEmpty(fv) {
				continue
			}
			fv.SetZero()
		}
		if *extra == nil {
			*extra = map[string]any{}
		}
		(*extra)[k] = e
	}
	return nil
}

// encoder writes a document into one buffer.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func newEncoder() *encoder {
	e := &encoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false) // '<', '>', '&' are common in Markdown
	return e
}

// value writes v: through its encodeTo method, as a model struct, or with
// encoding/json (strings, numbers, extras).
func (e *encoder) value(v any) error {
	if te, ok := v.(treeEncoder); ok {
		return te.encodeTo(e)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().Kind() == reflect.Struct {
		rv = rv.Elem()
	}
	if rv.Kind() == reflect.Struct {
		if si := infoOf(rv.Type()); si.extra >= 0 {
			return e.object(rv, rv.Field(si.extra).Interface().(map[string]any))
		}
	}
	if err := e.enc.Encode(v); err != nil {
		return err
	}
	e.buf.Truncate(e.buf.Len() - 1) // Encode's newline
	return nil
}

// object writes struct sv: its fields in declaration order (empty ones
// left out where the tag says omitempty), then the extra members sorted by
// name. An extra member may carry the name of a field when that field is
// empty (decodeObject keeps empty values so), or when the extra is itself
// empty (null, "", [], {}: the field then replaces it); otherwise the
// value would be written twice, which is an error.
func (e *encoder) object(sv reflect.Value, extra map[string]any) error {
	si := infoOf(sv.Type())
	e.buf.WriteByte('{')
	n := 0
	member := func(key string, v any) error {
		if n > 0 {
			e.buf.WriteByte(',')
		}
		n++
		if err := e.value(key); err != nil {
			return err
		}
		e.buf.WriteByte(':')
		if err := e.value(v); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		return nil
	}
	var replaced []string
	for _, fi := range si.fields {
		fv := sv.Field(fi.index)
		if fi.omitEmpty && isEmpty(fv) {
			continue
		}
		if ev, dup := extra[fi.name]; dup {
			if !emptyJSON(ev) {
				return fmt.Errorf("badge: %s: Extra holds %q, which is set as a field", sv.Type().Name(), fi.name)
			}
			// An empty value kept verbatim, since replaced by the field.
			replaced = append(replaced, fi.name)
		}
		if err := member(fi.name, fv.Interface()); err != nil {
			return err
		}
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !slices.Contains(replaced, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := member(k, extra[k]); err != nil {
			return err
		}
	}
	e.buf.WriteByte('}')
	return nil
}

// emptyJSON reports whether a decoded value is null, "", [] or {}.
func emptyJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// onlyID reports whether struct sv has nothing set but its id member (and
// no extras): such a value can be written as a bare IRI.
func onlyID(sv reflect.Value) bool {
	si := infoOf(sv.Type())
	if si.extra >= 0 && sv.Field(si.extra).Len() > 0 {
		return false
	}
	for _, fi := range si.fields {
		if fi.name != "id" && !isEmpty(sv.Field(fi.index)) {
			return false
		}
	}
	return true
}

// knownMember reports whether name is a property the struct type of ptr
// models.
func knownMember(ptr any, name string) bool {
	_, ok := infoOf(reflect.TypeOf(ptr).Elem()).byName[name]
	return ok
}

// Many is a multi-valued property: it reads a single JSON value or an
// array of them, and always writes an array (the canonical form Open
// Badges 3.0's JSON Schema asks for: type, alignment, evidence, proof,
// credentialSchema, identifier, result, …).
type Many[T any] []T

// UnmarshalJSON reads a single value as a one-element list, an array as
// the list and null as an empty list.
func (m *Many[T]) UnmarshalJSON(data []byte) error { return unmarshalTree(data, m) }

func (m *Many[T]) decodeTree(v any) error {
	l, err := decodeList[T](v)
	*m = l
	return err
}

// MarshalJSON writes the list as a JSON array.
func (m Many[T]) MarshalJSON() ([]byte, error) { return marshalTree(m) }

func (m Many[T]) encodeTo(e *encoder) error { return encodeList(e, m) }

// OneOrMany is a property that Open Badges 3.0 defines as single-valued
// but that the data model allows to repeat (credentialSubject,
// credentialStatus, refreshService, and the type of classes whose type is
// one IRI such as Image). It reads a single value or an array and writes a
// single value when it holds exactly one, an array otherwise.
type OneOrMany[T any] []T

// UnmarshalJSON reads a single value as a one-element list, an array as
// the list and null as an empty list.
func (m *OneOrMany[T]) UnmarshalJSON(data []byte) error { return unmarshalTree(data, m) }

func (m *OneOrMany[T]) decodeTree(v any) error {
	l, err := decodeList[T](v)
	*m = l
	return err
}

// MarshalJSON writes the only element, or a JSON array when there are
// zero or several.
func (m OneOrMany[T]) MarshalJSON() ([]byte, error) { return marshalTree(m) }

func (m OneOrMany[T]) encodeTo(e *encoder) error {
	if len(m) == 1 {
		return e.value(m[0])
	}
	return encodeList(e, m)
}

func decodeList[T any](v any) ([]T, error) {
	switch a := v.(type) {
	case nil:
		return nil, nil
	case []any:
		l := make([]T, len(a))
		for i, x := range a {
			if err := decodeValue(x, reflect.ValueOf(&l[i]).Elem()); err != nil {
				return nil, atIndex(i, err)
			}
		}
		return l, nil
	}
	var x T
	if err := decodeValue(v, reflect.ValueOf(&x).Elem()); err != nil {
		return nil, err
	}
	return []T{x}, nil
}

func encodeList[T any](e *encoder, l []T) error {
	e.buf.WriteByte('[')
	for i := range l {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		if err := e.value(l[i]); err != nil {
			return err
		}
	}
	e.buf.WriteByte(']')
	return nil
}
