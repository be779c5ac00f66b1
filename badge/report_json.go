package badge

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// reportEncoder writes a Report's JSON form directly, with the bytes
// encoding/json writes for reportJSON: the same member order, map keys
// sorted, the same string escaping (HTML characters included). Values it
// does not know are written by json.Marshal, and strings that need any
// escaping too, so that the output cannot differ from encoding/json's.
type reportEncoder struct {
	buf []byte
}

func (e *reportEncoder) report(r *Report) error {
	e.buf = append(e.buf, `{"verified":`...)
	e.buf = strconv.AppendBool(e.buf, r.Verified())
	e.buf = append(e.buf, `,"credential":{"id":`...)
	e.str(r.Credential.ID)
	e.buf = append(e.buf, `,"issuer":`...)
	e.str(r.Credential.Issuer)
	e.buf = append(e.buf, `,"types":[`...)
	for i, t := range r.Credential.Types {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.str(t)
	}
	e.buf = append(e.buf, ']')
	if r.Credential.Format != "" {
		e.buf = append(e.buf, `,"format":`...)
		e.str(r.Credential.Format)
	}
	e.buf = append(e.buf, `},"checks":[`...)
	for i := range r.Checks {
		c := &r.Checks[i]
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, `{"id":`...)
		e.str(c.ID)
		e.buf = append(e.buf, `,"outcome":`...)
		e.str(string(c.Outcome))
		e.buf = append(e.buf, `,"message":`...)
		e.str(c.Message)
		if len(c.Details) > 0 {
			e.buf = append(e.buf, `,"details":`...)
			if err := e.object(c.Details); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, ']')
	if r.EUElements != nil {
		e.buf = append(e.buf, `,"euElements":`...)
		if err := e.marshal(r.EUElements); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// marshal appends json.Marshal(v), which json.Encoder writes (with a
// newline, dropped) without a copy of its own.
func (e *reportEncoder) marshal(v any) error {
	n := len(e.buf)
	if err := json.NewEncoder(e).Encode(v); err != nil {
		e.buf = e.buf[:n]
		return err
	}
	if len(e.buf) > n && e.buf[len(e.buf)-1] == '\n' {
		e.buf = e.buf[:len(e.buf)-1]
	}
	return nil
}

// Write appends p (for json.Encoder).
func (e *reportEncoder) Write(p []byte) (int, error) {
	e.buf = append(e.buf, p...)
	return len(p), nil
}

// str appends s as a JSON string. Strings that encoding/json writes as
// they are (printable ASCII but " \ < > &, and valid UTF-8 but U+2028 and
// U+2029) are written here; any other goes through json.Marshal.
func (e *reportEncoder) str(s string) {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b < 0x20 || b == '"' || b == '\\' || b == '<' || b == '>' || b == '&' {
				e.slowStr(s)
				return
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			e.slowStr(s)
			return
		}
		i += size
	}
	e.buf = append(e.buf, '"')
	e.buf = append(e.buf, s...)
	e.buf = append(e.buf, '"')
}

func (e *reportEncoder) slowStr(s string) {
	b, _ := json.Marshal(s) // a string always marshals
	e.buf = append(e.buf, b...)
}

// object appends a map with its keys sorted, as encoding/json does.
func (e *reportEncoder) object(m map[string]any) error {
	if m == nil {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	var arr [16]string
	keys := arr[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e.buf = append(e.buf, '{')
	for i, k := range keys {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.str(k)
		e.buf = append(e.buf, ':')
		if err := e.value(m[k]); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// value appends one Details value: the kinds the verifier puts there are
// written here, any other by json.Marshal.
func (e *reportEncoder) value(v any) error {
	switch v := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case string:
		e.str(v)
	case bool:
		e.buf = strconv.AppendBool(e.buf, v)
	case int:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case map[string]any:
		return e.object(v)
	case []string:
		return appendList(e, v, func(x string) error { e.str(x); return nil })
	case []any:
		return appendList(e, v, e.value)
	case []map[string]any:
		return appendList(e, v, e.object)
	case *Report:
		if v == nil {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.report(v)
	default:
		return e.marshal(v)
	}
	return nil
}

// appendList appends a JSON array of list's elements, each written by
// elem; a nil list is null, as encoding/json writes it.
func appendList[T any](e *reportEncoder, list []T, elem func(T) error) error {
	if list == nil {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	e.buf = append(e.buf, '[')
	for i, x := range list {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if err := elem(x); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, ']')
	return nil
}
