package jsonx

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"
)

// FuzzDecode checks that Decode never panics, that every error is an *Error
// of a known kind, that what Decode accepts encoding/json accepts and
// decodes to the same value (with json.Number), and that when encoding/json
// says the input is valid JSON, Decode rejects it only for a reason this
// package adds on purpose (never as a syntax error).
func FuzzDecode(f *testing.F) {
	// The 6 KB credential only: minimizing mutations of larger seeds
	// stalls the fuzzer for long stretches.
	data, err := os.ReadFile("testdata/ob-realistic-safe.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, s := range []string{
		`{}`, `[]`, `""`, `0`, `-1.5e+3`, `true`, `null`,
		`{"a":1,"a":2}`, `{"a":1,"\u0061":2}`, `["\ud83d\ude00"]`, `["\ud800"]`,
		"\"\xff\"", "\xef\xbb\xbf{}", `[1,]`, `{"a":01}`, `[NaN]`, `{} x`,
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`,
		`{"a":"\"\\\/\b\f\n\r\t"}`, `[1e400, 123456789012345678901234567890]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data, Limits{})
		valid := json.Valid(data)
		if err != nil {
			var je *Error
			if !errors.As(err, &je) {
				t.Fatalf("error is %T, not *Error: %v", err, err)
			}
			switch je.Kind {
			case ErrSyntax, ErrTrailingData:
				if valid {
					t.Fatalf("encoding/json accepts %q but Decode says %v", data, err)
				}
			case ErrDuplicateKey, ErrInvalidUTF8, ErrTooDeep, ErrTooManyValues, ErrTooLarge:
			default:
				t.Fatalf("unknown kind %v", je.Kind)
			}
			return
		}
		if !valid {
			t.Fatalf("Decode accepts %q but encoding/json does not", data)
		}
		want := stdDecode(t, data)
		if !reflect.DeepEqual(want, v) {
			t.Fatalf("Decode(%q) = %#v, encoding/json = %#v", data, v, want)
		}
	})
}
