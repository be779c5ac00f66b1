package badge

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// reflectReportJSON is the former Report.MarshalJSON: encoding/json over
// reportJSON. reportEncoder must write the same bytes.
func reflectReportJSON(r *Report) ([]byte, error) {
	checks := r.Checks
	if checks == nil {
		checks = []Check{}
	}
	ci := r.Credential
	if ci.Types == nil {
		ci.Types = []string{}
	}
	return json.Marshal(reportJSON{Verified: r.Verified(), Credential: ci, Checks: checks, EUElements: r.EUElements})
}

var trickyStrings = []string{
	"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "tab\tnl\nret\rbs\bff\f",
	"\x00\x01\x1f\x7f", "Université de Genève — ✓", "line\u2028para\u2029end", "bad \xff\xfe utf8",
	"trunc \xe2\x82", "emoji 😀", "\U0010FFFF",
}

func TestReportEncoderMatchesEncodingJSON(t *testing.T) {
	sub := &Report{Credential: CredentialInfo{ID: "urn:x<", Types: []string{"A&B"}}, Checks: []Check{{ID: CheckParse, Outcome: Failed, Message: "x\u2028y"}}}
	var reports []*Report
	reports = append(reports, &Report{}, &Report{Checks: []Check{}}, sub)
	for _, s := range trickyStrings {
		details := map[string]any{
			s:           s,
			"list":      []string{s, ""},
			"nilList":   []string(nil),
			"any":       []any{s, 1, 2.5, true, nil, map[string]any{s: s}},
			"nilAny":    []any(nil),
			"maps":      []map[string]any{{"a": s}, nil, {}},
			"nilMaps":   []map[string]any(nil),
			"map":       map[string]any{"z": 1, "a": s, "é": false},
			"nilMap":    map[string]any(nil),
			"int":       -42,
			"int64":     int64(7),
			"float":     1e21,
			"number":    json.Number("12.50"),
			"time":      time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			"outcome":   Passed,
			"report":    sub,
			"nilReport": (*Report)(nil),
			"err":       errors.New(s),
			"bytes":     []byte(s),
			"mc":        &MicroCredential{ID: s, Title: LangText{"en": s}},
			"html":      json.RawMessage(`"<a>"`),
		}
		reports = append(reports, &Report{
			Credential: CredentialInfo{ID: s, Issuer: s, Types: []string{s, "x"}, Format: s},
			Checks: []Check{
				{ID: s, Outcome: Outcome(s), Message: s, Details: details},
				{ID: CheckProof, Outcome: Warning, Message: "m", Details: map[string]any{}},
				{ID: CheckEndorsements, Outcome: Passed, Details: map[string]any{"endorsements": []map[string]any{{"pointer": "/endorsement/0", "report": sub}}}},
			},
			EUElements: &MicroCredential{ID: s, Title: LangText{"en": s, "fr": "é<"}},
		})
	}
	for i, r := range reports {
		want, err := reflectReportJSON(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("report %d:\n got %s\nwant %s", i, got, want)
		}
		// As vcapi writes it (json.Marshal compacts MarshalJSON's output).
		viaMarshal, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(viaMarshal, want) {
			t.Errorf("report %d via json.Marshal:\n got %s\nwant %s", i, viaMarshal, want)
		}
	}
	// A value encoding/json cannot write is an error either way.
	bad := &Report{Checks: []Check{{Details: map[string]any{"ch": make(chan int)}}}}
	if _, err := bad.MarshalJSON(); err == nil {
		t.Error("no error for a channel in Details")
	}
}

func FuzzReportEncoder(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		r := &Report{
			Credential: CredentialInfo{ID: a, Issuer: b, Types: []string{a, b}, Format: b},
			Checks:     []Check{{ID: a, Outcome: Outcome(b), Message: a + b, Details: map[string]any{a: b, b: []string{a}, "m": map[string]any{b: a}}}},
		}
		want, err := reflectReportJSON(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("got %s\nwant %s", got, want)
		}
	})
}

// BenchmarkReportMarshalJSON writes the report of the realistic EU
// credential (the vcapi response body).
func BenchmarkReportMarshalJSON(b *testing.B) {
	v := demoVerifier(b, VerifierOptions{RequireEUProfile: true})
	rep, err := v.Verify(b.Context(), issueDemoEU(b))
	if err != nil || !rep.Verified() {
		b.Fatal("not verified")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(rep); err != nil {
			b.Fatal(err)
		}
	}
}
