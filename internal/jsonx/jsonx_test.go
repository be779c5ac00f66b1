package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

// stdDecode decodes like Decode's contract says encoding/json would.
func stdDecode(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	return v
}

func nest(open, close string, n int) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

func TestDecodeAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want any
	}{
		{"object", `{"a":1,"b":[true,false,null],"c":"x"}`, map[string]any{
			"a": json.Number("1"), "b": []any{true, false, nil}, "c": "x"}},
		{"whitespace around", " \t\r\n{ \"a\" : [ ] , \"b\" : { } }\n ", map[string]any{"a": []any{}, "b": map[string]any{}}},
		{"top-level string", `"x"`, "x"},
		{"top-level number", `-0.5e+10`, json.Number("-0.5e+10")},
		{"number lexical form kept", `[1.0, 1E2, 0, -0, 1e400, 123456789012345678901234567890]`, []any{
			json.Number("1.0"), json.Number("1E2"), json.Number("0"), json.Number("-0"),
			json.Number("1e400"), json.Number("123456789012345678901234567890")}},
		{"escapes", `"a\"b\\c\/d\b\f\n\r\t\u00e9\u20ac\ud83d\ude00"`, "a\"b\\c/d\b\f\n\r\t\u00e9\u20ac\U0001F600"},
		{"raw UTF-8", `"naïve café — 😀"`, "naïve café — 😀"},
		{"noncharacter kept", "\"\uFFFE\"", "\uFFFE"},
		{"escaped key distinct", `{"a":1,"A":2}`, map[string]any{"a": json.Number("1"), "A": json.Number("2")}},
		{"depth 64", nest("[", "]", 64), nil},
		{"empty key", `{"":1}`, map[string]any{"": json.Number("1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in), Limits{})
			noErr(t, err)
			if tt.want != nil {
				equal(t, tt.want, got)
			}
			equal(t, stdDecode(t, []byte(tt.in)), got, "same as encoding/json")
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	big := `"` + strings.Repeat("a", DefaultMaxBytes-1) + `"` // exactly 1 MiB + 1
	tests := []struct {
		name    string
		in      string
		lim     Limits
		kind    error
		pointer string
		detail  string // substring of Detail
	}{
		{"empty", ``, Limits{}, ErrSyntax, "", "end of input"},
		{"only whitespace", "  \n", Limits{}, ErrSyntax, "", "end of input"},
		{"1 MiB + 1", big, Limits{}, ErrTooLarge, "", "1048577 bytes, limit is 1048576"},
		{"custom size limit", `[1,2,3]`, Limits{MaxBytes: 6}, ErrTooLarge, "", "limit is 6"},
		{"depth 65 arrays", nest("[", "]", 65), Limits{}, ErrTooDeep, strings.Repeat("/0", 64), "deeper than 64"},
		{"depth 65 objects", strings.Repeat(`{"a":`, 65) + "1" + strings.Repeat("}", 65), Limits{},
			ErrTooDeep, strings.Repeat("/a", 64), "deeper than 64"},
		{"custom depth", `{"a":{"b":[1]}}`, Limits{MaxDepth: 2}, ErrTooDeep, "/a/b", ""},
		{"too many values", `[1,2,3,4]`, Limits{MaxValues: 4}, ErrTooManyValues, "/3", "more than 4"},
		{"duplicate key", `{"a":1,"a":2}`, Limits{}, ErrDuplicateKey, "/a", `duplicate key "a"`},
		{"duplicate key after unescaping", `{"name":1,"n\u0061me":2}`, Limits{}, ErrDuplicateKey, "/name", `duplicate key "name"`},
		{"duplicate key at depth", `{"credentialSubject":{"achievement":[{}, {"name":"x","id":"y","name":"z"}]}}`, Limits{},
			ErrDuplicateKey, "/credentialSubject/achievement/1/name", `duplicate key "name"`},
		{"duplicate key pointer escaping", `{"a/b":{"~":1,"~":2}}`, Limits{}, ErrDuplicateKey, "/a~1b/~0", ""},
		{"invalid UTF-8 in string", "{\"a\":\"x\xffy\"}", Limits{}, ErrInvalidUTF8, "/a", `"\xff"`},
		{"invalid UTF-8 in key", "{\"a\xc3\":1}", Limits{}, ErrInvalidUTF8, "", ""},
		{"UTF-8 encoded surrogate", "\"\xed\xa0\x80\"", Limits{}, ErrInvalidUTF8, "", ""},
		{"overlong UTF-8", "\"\xc0\xaf\"", Limits{}, ErrInvalidUTF8, "", ""},
		{"invalid UTF-8 after escape", "[\"\\n\xff\"]", Limits{}, ErrInvalidUTF8, "/0", ""},
		{"lone high surrogate", `["\ud800"]`, Limits{}, ErrInvalidUTF8, "/0", "unpaired surrogate"},
		{"lone low surrogate", `["\udc00x"]`, Limits{}, ErrInvalidUTF8, "/0", "unpaired surrogate"},
		{"high surrogate then non-surrogate", `"\ud800\u0041"`, Limits{}, ErrInvalidUTF8, "", ""},
		{"byte order mark", "\xef\xbb\xbf{}", Limits{}, ErrSyntax, "", "byte order mark"},
		{"non-ASCII outside string", "[\xff]", Limits{}, ErrSyntax, "/0", `byte "\xff"`},
		{"trailing garbage", `{"a":1} x`, Limits{}, ErrTrailingData, "", "character 'x'"},
		{"two values", `{} {}`, Limits{}, ErrTrailingData, "", ""},
		{"trailing NUL", "{}\x00", Limits{}, ErrTrailingData, "", ""},
		{"NaN", `{"n":NaN}`, Limits{}, ErrSyntax, "/n", "expecting a value"},
		{"Infinity", `[Infinity]`, Limits{}, ErrSyntax, "/0", ""},
		{"-Infinity", `[-Infinity]`, Limits{}, ErrSyntax, "/0", "digit after minus"},
		{"plus sign", `[+1]`, Limits{}, ErrSyntax, "/0", ""},
		{"leading zero", `[01]`, Limits{}, ErrSyntax, "/0", "leading zero"},
		{"leading dot", `[.5]`, Limits{}, ErrSyntax, "/0", ""},
		{"trailing dot", `[1.]`, Limits{}, ErrSyntax, "/0", "after decimal point"},
		{"empty exponent", `[1e]`, Limits{}, ErrSyntax, "/0", "exponent"},
		{"hex", `[0x10]`, Limits{}, ErrSyntax, "", "expecting ',' or ']'"},
		{"single quotes", `{'a':1}`, Limits{}, ErrSyntax, "", "member name"},
		{"comment", "{} // c", Limits{}, ErrTrailingData, "", ""},
		{"trailing comma object", `{"a":1,}`, Limits{}, ErrSyntax, "", "member name"},
		{"trailing comma array", `[1,]`, Limits{}, ErrSyntax, "/1", "expecting a value"},
		{"missing colon", `{"a" 1}`, Limits{}, ErrSyntax, "/a", "expecting ':'"},
		{"unterminated string", `{"a":"xyz`, Limits{}, ErrSyntax, "/a", "end of input in string"},
		{"unterminated object", `{"a":1`, Limits{}, ErrSyntax, "", "end of input"},
		{"raw newline in string", "[\"a\nb\"]", Limits{}, ErrSyntax, "/0", "control character"},
		{"raw tab after escape", "[\"\\na\tb\"]", Limits{}, ErrSyntax, "/0", "control character"},
		{"bad escape", `["\x"]`, Limits{}, ErrSyntax, "/0", "invalid escape"},
		{"short unicode escape", `["\u12"]`, Limits{}, ErrSyntax, "/0", `\u`},
		{"truth", `[tru]`, Limits{}, ErrSyntax, "/0", "expecting true"},
		{"capital True", `[True]`, Limits{}, ErrSyntax, "/0", ""},
		{"nul literal", `[nul]`, Limits{}, ErrSyntax, "/0", "expecting null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Decode([]byte(tt.in), tt.lim)
			if err == nil {
				t.Fatal("no error")
			}
			equal(t, nil, v)
			var je *Error
			if !errors.As(err, &je) {
				t.Fatalf("error is %T, not *Error", err)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error %v is not %v", err, tt.kind)
			}
			equal(t, tt.pointer, je.Pointer, "pointer (error %q)", err)
			if !strings.Contains(je.Detail, tt.detail) {
				t.Errorf("detail %q does not contain %q", je.Detail, tt.detail)
			}
			check(t, strings.HasPrefix(err.Error(), "jsonx: "), err.Error())
			if tt.kind == ErrTooLarge {
				equal(t, -1, je.Offset)
			} else {
				check(t, je.Offset >= 0 && je.Offset <= len(tt.in), "offset %d", je.Offset)
			}
			if tt.kind != ErrDuplicateKey && tt.kind != ErrInvalidUTF8 && tt.kind != ErrTooDeep &&
				tt.kind != ErrTooManyValues && tt.kind != ErrTooLarge {
				check(t, !json.Valid([]byte(tt.in)), "encoding/json rejects it too")
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	_, err := Decode([]byte(`{"credentialSubject":{"name":"a","name":"b"}}`), Limits{})
	if err == nil {
		t.Fatal("no error")
	}
	equal(t, `jsonx: /credentialSubject/name: duplicate key "name" at offset 33`, err.Error())
	var je *Error
	if !errors.As(err, &je) {
		t.Fatalf("error is %T, not *Error", err)
	}
	equal(t, "$.credentialSubject.name", je.JSONPath())

	_, err = Decode([]byte(`{"a b":[0,{"x":01}]}`), Limits{})
	if !errors.As(err, &je) {
		t.Fatalf("error is %T, not *Error", err)
	}
	equal(t, "/a b/1/x", je.Pointer)
	equal(t, "$['a b'][1].x", je.JSONPath())

	_, err = Decode([]byte(`[] x`), Limits{})
	equal(t, "jsonx: unexpected character 'x' after top-level value at offset 3", err.Error())

	_, err = Decode(make([]byte, 11), Limits{MaxBytes: 10})
	equal(t, "jsonx: input is 11 bytes, limit is 10", err.Error())
}

func TestEscapeToken(t *testing.T) {
	equal(t, "a~1b~0c", EscapeToken("a/b~c"))
	equal(t, "plain", EscapeToken("plain"))
	equal(t, "/x/a~1b", AppendKey("/x", "a/b"))
	equal(t, "/x/3", AppendIndex("/x", 3))
}

func TestDecodeStringSharesInput(t *testing.T) {
	v, err := DecodeString(`{"k":"v"}`, Limits{})
	noErr(t, err)
	equal(t, map[string]any{"k": "v"}, v)
}

func TestDecodeDoesNotAliasInput(t *testing.T) {
	in := []byte(`{"k":"v"}`)
	v, err := Decode(in, Limits{})
	noErr(t, err)
	copy(in, `{"z":"z"}`)
	equal(t, map[string]any{"k": "v"}, v)
}

func TestDecodeTestdataMatchesEncodingJSON(t *testing.T) {
	for _, name := range []string{"ob-realistic-safe.json", "ob-full-safe.json"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + name)
			noErr(t, err)
			got, err := Decode(data, Limits{})
			noErr(t, err)
			check(t, reflect.DeepEqual(stdDecode(t, data), got))
		})
	}
}

// TestScratchReuse decodes siblings and nesting so the shared member and
// element stacks are exercised across levels.
func TestScratchReuse(t *testing.T) {
	in := `{"a":[1,[2,3],{"b":[4,{"c":5,"d":[6]}]}],"e":{"f":{"g":[]}},"h":[[],[[]],{}]}`
	got, err := Decode([]byte(in), Limits{})
	noErr(t, err)
	equal(t, stdDecode(t, []byte(in)), got)
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// equal reports a test error when want and got differ (reflect.DeepEqual).
func equal(t testing.TB, want, got any, msg ...any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Errorf("%s\nwant: %#v\ngot:  %#v", sprint(msg), want, got)
	}
}

func check(t testing.TB, ok bool, msg ...any) {
	t.Helper()
	if !ok {
		t.Errorf("check failed: %s", sprint(msg))
	}
}

func sprint(msg []any) string {
	if len(msg) == 0 {
		return ""
	}
	if f, ok := msg[0].(string); ok {
		return fmt.Sprintf(f, msg[1:]...)
	}
	return fmt.Sprint(msg...)
}

func TestKind(t *testing.T) {
	for v, want := range map[any]string{
		nil: "null", true: "a boolean", json.Number("1"): "a number", 1.5: "a number",
		"s": "a string", struct{}{}: "struct {}",
	} {
		if got := Kind(v); got != want {
			t.Errorf("Kind(%#v) = %q, want %q", v, got, want)
		}
	}
	if Kind([]any{}) != "an array" || Kind(map[string]any{}) != "an object" {
		t.Error("array/object")
	}
}
