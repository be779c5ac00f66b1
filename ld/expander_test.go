package ld

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// expanderInputs lists the documents of the differential tests.
func expanderInputs(tb testing.TB) []string {
	tb.Helper()
	var files []string
	for _, g := range []string{"testdata/canon-edges/*.json", "testdata/ob3-examples/*.json"} {
		m, err := filepath.Glob(g)
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		tb.Fatal("no test documents")
	}
	return files
}

// canonJSON renders a decoded JSON value with sorted keys, for comparison.
func canonJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func decodeJSONBytes(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// TestExpanderDifferential checks that the expander's output equals
// json-gold's on every test document, in both modes, and that safe-mode
// errors agree.
func TestExpanderDifferential(t *testing.T) {
	ctx := context.Background()
	for _, f := range expanderInputs(t) {
		doc := loadJSON(t, f)
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			for _, safe := range []bool{false, true} {
				want, werr := Expand(ctx, doc, &Options{DropUndefinedUnsafe: !safe})
				got, gerr := expandFast(ctx, doc, nil, safe)
				if (werr == nil) != (gerr == nil) {
					t.Errorf("safe=%v: json-gold error %v, expander error %v", safe, werr, gerr)
					continue
				}
				if werr != nil {
					var ws, gs *SafeModeError
					if errors.As(werr, &ws) != errors.As(gerr, &gs) {
						t.Errorf("safe=%v: error kinds differ: json-gold %v, expander %v", safe, werr, gerr)
					} else if ws != nil && ws.Path != gs.Path {
						t.Logf("safe=%v: paths differ: json-gold %q, expander %q (%s)", safe, ws.Path, gs.Path, gs.Reason)
					}
					t.Logf("safe=%v: both fail: %v | %v", safe, werr, gerr)
					continue
				}
				if w, g := canonJSON(t, want), canonJSON(t, got); w != g {
					t.Errorf("safe=%v: output differs\njson-gold: %s\nexpander:  %s", safe, w, g)
				}
			}
		})
	}
}

var _ = os.ReadFile
