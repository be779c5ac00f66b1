package badge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/microcred/microcred/internal/jsonx"
)

// This file holds the JSON machinery shared by every class of the model:
// reading an object member by member (so that errors name the member and
// unknown members are kept in Extra), writing it back in struct order
// followed by the extras, and the single-or-array list types.

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
// members with the same name.
var ErrDuplicateKey = errors.New("duplicate key")

// atKey prefixes the pointer of err with /key; any other error becomes a
// *DecodeError at /key.
func atKey(key string, err error) error {
	return prefixPointer("/"+jsonx.EscapeToken(key), err)
}

// atIndex prefixes the pointer of err with /i.
func atIndex(i int, err error) error {
	return prefixPointer(fmt.Sprintf("/%d", i), err)
}

func prefixPointer(prefix string, err error) error {
	var de *DecodeError
	if errors.As(err, &de) {
		return &DecodeError{Pointer: prefix + de.Pointer, Err: de.Err}
	}
	return &DecodeError{Pointer: prefix, Err: describeErr(err)}
}

// describeErr turns encoding/json's type errors into plain words.
func describeErr(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("want %s, got %s", kindName(te.Type), te.Value)
	}
	return err
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return t.String()
}

// jsonKind returns "string", "number", "object", "array", "boolean" or
// "null" for a JSON text (assumed valid and trimmed).
func jsonKind(data []byte) string {
	if len(data) == 0 {
		return "nothing"
	}
	switch data[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func isNull(data []byte) bool { return string(bytes.TrimSpace(data)) == "null" }

func isString(data []byte) bool {
	data = bytes.TrimSpace(data)
	return len(data) > 0 && data[0] == '"'
}

// marshal encodes v as compact JSON without HTML escaping ('<', '>' and
// '&' are common in Markdown narratives).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// decodeAny decodes a JSON text into map[string]any, []any, string,
// json.Number, bool or nil, rejecting duplicate member names.
func decodeAny(data []byte) (any, error) {
	v, err := jsonx.Decode(data, jsonx.Limits{})
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

var (
	numberType = reflect.TypeFor[json.Number]()
	anyType    = reflect.TypeFor[any]()
)

// unmarshalValue decodes data into the value ptr points to. It is
// json.Unmarshal with three differences: an `any` target gets json.Number
// numbers and duplicate-free objects, a json.Number target refuses a JSON
// string (encoding/json would accept "5"), and errors are *DecodeError.
func unmarshalValue(data []byte, ptr reflect.Value) error {
	t := ptr.Type().Elem()
	switch t {
	case anyType:
		v, err := decodeAny(data)
		if err != nil {
			return err
		}
		if v == nil {
			ptr.Elem().SetZero()
		} else {
			ptr.Elem().Set(reflect.ValueOf(v))
		}
		return nil
	case numberType:
		d := bytes.TrimSpace(data)
		if len(d) > 0 && d[0] != '-' && (d[0] < '0' || d[0] > '9') && !isNull(d) {
			return &DecodeError{Err: fmt.Errorf("want a number, got %s", jsonKind(d))}
		}
	}
	if err := json.Unmarshal(data, ptr.Interface()); err != nil {
		var de *DecodeError
		if errors.As(err, &de) {
			return de
		}
		return &DecodeError{Err: describeErr(err)}
	}
	return nil
}

// member is one name/value pair of a JSON object, value undecoded.
type member struct {
	key string
	raw json.RawMessage
}

// splitObject returns the members of a JSON object in order. Two members
// with the same name are an error.
func splitObject(data []byte) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, &DecodeError{Err: err}
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, &DecodeError{Err: fmt.Errorf("want an object, got %s", jsonKind(bytes.TrimSpace(data)))}
	}
	var ms []member
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, &DecodeError{Err: err}
		}
		key := tok.(string)
		if seen[key] {
			return nil, &DecodeError{Pointer: "/" + jsonx.EscapeToken(key), Err: fmt.Errorf("%w %q", ErrDuplicateKey, key)}
		}
		seen[key] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, atKey(key, err)
		}
		ms = append(ms, member{key, raw})
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, &DecodeError{Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &DecodeError{Err: errors.New("trailing data after object")}
	}
	return ms, nil
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
}

var structCache sync.Map // reflect.Type -> *structInfo

// infoOf returns the JSON members of struct type t, from its json tags.
// Fields tagged "-" (Extra) and unexported fields are not members.
func infoOf(t reflect.Type) *structInfo {
	if si, ok := structCache.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byName: map[string]int{}}
	for i := range t.NumField() {
		f := t.Field(i)
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

// isEmpty reports whether a field value is written at all: empty strings,
// lists and maps, nil pointers and zero Text and DateTime values are not.
func isEmpty(v reflect.Value) bool {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		return z.IsZero()
	}
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	}
	return v.IsZero()
}

// decodeObject fills the struct ptr points to from a JSON object, member by
// member. Members the struct does not name go into *extra. A member the
// struct names but whose value is empty for the model ("", null, [], {} for
// a list) is kept verbatim in *extra too, so that writing the struct back
// reproduces it: encodeObject writes an extra under a field's name when the
// field itself is empty.
func decodeObject(data []byte, ptr any, extra *map[string]any) error {
	ms, err := splitObject(data)
	if err != nil {
		return err
	}
	sv := reflect.ValueOf(ptr).Elem()
	si := infoOf(sv.Type())
	for _, m := range ms {
		i, known := si.byName[m.key]
		if known {
			fi := si.fields[i]
			fv := sv.Field(fi.index)
			if err := unmarshalValue(m.raw, fv.Addr()); err != nil {
				return atKey(m.key, err)
			}
			if !fi.omitEmpty || !isEmpty(fv) {
				continue
			}
			fv.SetZero()
		}
		v, err := decodeAny(m.raw)
		if err != nil {
			return atKey(m.key, err)
		}
		if *extra == nil {
			*extra = map[string]any{}
		}
		(*extra)[m.key] = v
	}
	return nil
}

// encodeObject writes the struct ptr points to as a JSON object: its
// fields in declaration order (empty ones left out where the tag says
// omitempty), then the extra members sorted by name. An extra member may
// carry the name of a field only when that field is empty.
func encodeObject(ptr any, extra map[string]any) ([]byte, error) {
	sv := reflect.ValueOf(ptr).Elem()
	si := infoOf(sv.Type())
	var buf bytes.Buffer
	buf.WriteByte('{')
	n := 0
	write := func(key string, v any) error {
		b, err := marshal(v)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		k, _ := marshal(key)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(b)
		return nil
	}
	for _, fi := range si.fields {
		fv := sv.Field(fi.index)
		if fi.omitEmpty && isEmpty(fv) {
			continue
		}
		if _, dup := extra[fi.name]; dup {
			return nil, fmt.Errorf("badge: %s: Extra holds %q, which is set as a field", sv.Type().Name(), fi.name)
		}
		if err := write(fi.name, fv.Interface()); err != nil {
			return nil, err
		}
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := write(k, extra[k]); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// onlyID reports whether the struct ptr points to has nothing set but its
// ID field (and no extras): such a value can be written as a bare IRI.
func onlyID(ptr any, extra map[string]any) bool {
	if len(extra) > 0 {
		return false
	}
	sv := reflect.ValueOf(ptr).Elem()
	for _, fi := range infoOf(sv.Type()).fields {
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
func (m *Many[T]) UnmarshalJSON(data []byte) error {
	l, err := unmarshalList[T](data)
	*m = l
	return err
}

// MarshalJSON writes the list as a JSON array.
func (m Many[T]) MarshalJSON() ([]byte, error) {
	if m == nil {
		return []byte("[]"), nil
	}
	return marshal([]T(m))
}

// OneOrMany is a property that Open Badges 3.0 defines as single-valued
// but that the data model allows to repeat (credentialSubject,
// credentialStatus, refreshService, and the type of classes whose type is
// one IRI such as Image). It reads a single value or an array and writes a
// single value when it holds exactly one, an array otherwise.
type OneOrMany[T any] []T

// UnmarshalJSON reads a single value as a one-element list, an array as
// the list and null as an empty list.
func (m *OneOrMany[T]) UnmarshalJSON(data []byte) error {
	l, err := unmarshalList[T](data)
	*m = l
	return err
}

// MarshalJSON writes the only element, or a JSON array when there are
// zero or several.
func (m OneOrMany[T]) MarshalJSON() ([]byte, error) {
	if len(m) == 1 {
		return marshal(m[0])
	}
	if m == nil {
		return []byte("[]"), nil
	}
	return marshal([]T(m))
}

func unmarshalList[T any](data []byte) ([]T, error) {
	data = bytes.TrimSpace(data)
	if isNull(data) {
		return nil, nil
	}
	if len(data) == 0 || data[0] != '[' {
		var v T
		if err := unmarshalValue(data, reflect.ValueOf(&v)); err != nil {
			return nil, err
		}
		return []T{v}, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, &DecodeError{Err: err}
	}
	l := make([]T, len(raws))
	for i, r := range raws {
		if err := unmarshalValue(r, reflect.ValueOf(&l[i])); err != nil {
			return nil, atIndex(i, err)
		}
	}
	return l, nil
}
