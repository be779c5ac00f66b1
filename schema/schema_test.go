package schema

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/jsonx"
	"github.com/microcred/microcred/vc"
)

const validatorCases = "../testdata/ob3/validator-cases/ob30/"

func newValidator(t testing.TB, opts Options) *Validator {
	t.Helper()
	v, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	v, err := jsonx.Decode(b, jsonx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return v.(map[string]any)
}

// where renders problems as "pointer keyword", sorted, for comparison.
func where(ps []Problem) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.InstancePath+" "+p.Keyword)
	}
	slices.Sort(out)
	return out
}

func dump(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "\n\t%s [%s]", p, p.KeywordPath)
	}
	return b.String()
}

// TestValidatorFixtures runs the 1EdTech validator's fixtures through
// ValidateCredential with the published schemas. The validator's verdict
// (testdata/ob3/validator-cases/cases.json) comes from many probes; only
// some of them are about the JSON Schema, so "want" is what the schema
// says, and "why" explains each case where that differs from the
// validator's verdict.
func TestValidatorFixtures(t *testing.T) {
	const (
		ctx11    = "/@context/0 enum"
		from11   = "/validFrom required"
		noAchiev = "/credentialSubject/achievement required"
	)
	tests := []struct {
		file      string
		verdict   string   // the 1EdTech validator's expectation
		want      []string // problems: "pointer keyword"
		unknownAt string   // credentialSchema entry the error names, if any
		why       string
	}{
		{"simple.json", "VALID", nil, "", ""},
		{"simple-context-alias.json", "VALID", nil, "", ""},
		{"simple-did-key-method.json", "VALID", nil, "", ""},
		{"simple-did-web-method.json", "VALID", nil, "", ""},
		{"endorsement-valid.json", "VALID", nil, "", "EndorsementCredential: endorsementcredential schema"},
		{"complete.json", "INVALID", nil, "",
			"the validator could not reach the credentialSchema URLs in its test environment; they are embedded here"},
		{"simple-context-version.json", "WARNING", nil, "", "context 3.0.2 is allowed by the schema's pattern; the warning is the validator's"},
		{"simple-err-issuer.json", "INVALID", []string{"/issuer required", noAchiev}, "",
			"the validator's canonical JSON schema failure: issuer removed"},
		{"simple-err-type.json", "INVALID", []string{"/type type"}, "",
			"neither AchievementCredential nor OpenBadgeCredential in type: no OB3 schema applies, which is a problem"},
		{"simple-err-context.json", "INVALID", []string{"/@context minItems", "/@context/0 enum", noAchiev, from11}, "",
			"the VCDM 2.0 context is missing"},
		{"simple-err-credential-subject-type.json", "INVALID", []string{"/credentialSubject/type contains"}, "", ""},
		{"simple-err-credential-subject-identifier-type.json", "INVALID", []string{"/credentialSubject/identifier/0/type enum"}, "", ""},
		{"simple-err-credential-subject-result-type.json", "INVALID", []string{"/credentialSubject/result/1/type contains"}, "", ""},
		{"simple-err-issuer-type.json", "INVALID", []string{"/issuer/type contains"}, "", ""},
		{"simple-err-issuer-parentorg-type.json", "INVALID", []string{"/issuer/parentOrg/type contains"}, "", ""},
		{"simple-err-issuer-otheridentifier-type.json", "INVALID", []string{"/issuer/otherIdentifier/1/type enum"}, "", ""},
		{"simple-err-credential-subject-achievement-result-description-type.json", "INVALID", nil, "",
			`the published schema accepts any single string as a type ("InvalidResultDescription"); the validator checks the value in code`},
		{"simple-err-credential-subject-profile-type.json", "INVALID", nil, "",
			`the published schema accepts any single string as a type ("InvalidProfile"); checked in code by the validator`},
		{"simple-err-evidence-type.json", "INVALID", nil, "",
			`the published schema accepts any single string as a type ("InvalidEvidence"); checked in code by the validator`},
		{"simple-err-expired.json", "INVALID", nil, "", "validUntil in the past: a validity check, not schema"},
		{"simple-err-issued.json", "INVALID", []string{noAchiev}, "", "validFrom in the future is a validity check; the schema finds the missing achievement"},
		{"simple-err-proof-method.json", "INVALID", nil, "", "proof: key resolution"},
		{"simple-err-proof-method-no-scheme.json", "INVALID", nil, "", "proof: key resolution"},
		{"simple-err-proof-method-unknown-scheme.json", "INVALID", nil, "", "proof: key resolution"},
		{"simple-err-proof-method-unknown-did-method.json", "INVALID", nil, "", "proof: key resolution"},
		{"simple-err-proof-value.json", "INVALID", nil, "", "proof: signature"},
		{"simple-multiple-proofs.json", "INVALID", nil, "", "an undefined proof type: JSON-LD, not schema"},
		{"simple-eddsa-2022.json", "WARNING", []string{ctx11, from11}, "",
			"VCDM 1.1: the published OB 3.0 schema admits only VCDM 2.0 (context and validFrom); the validator only warns"},
		{"simple_v1.json", "WARNING", []string{ctx11, from11}, "", "VCDM 1.1, as above"},
		{"simple-noproof.json", "INVALID", []string{ctx11, noAchiev, from11}, "", "VCDM 1.1 and no achievement"},
		{"credential-status-revoked.json", "INVALID", []string{ctx11, from11}, "", "revocation is a status check; VCDM 1.1 as above"},
		{"endorsement-err-schema-status-refresh.json", "INVALID", []string{ctx11, from11}, "/credentialSchema/1",
			"VCDM 1.1; a third-party credentialSchema (state.gov) that is not available offline"},
		{"complete_v1.json", "INVALID", nil, "/credentialSchema/0",
			"VCDM 1.1 (problems checked in TestCompleteV1); its credentialSchema names an old schema URL that is not embedded"},
		{"bit-string-list/credential-status-revoked.json", "INVALID", nil, "", "revocation is a status check"},
		{"bit-string-list/credential-status-revoked-blank-nodes.json", "INVALID", nil, "", "revocation is a status check"},
		{"sd/derivedcredential.json", "VALID", nil, "", ""},
	}
	v := newValidator(t, Options{})
	ctx := context.Background()
	seen := map[string]bool{}
	for _, tc := range tests {
		seen[tc.file] = true
		t.Run(tc.file, func(t *testing.T) {
			res, err := v.ValidateCredential(ctx, readFile(t, validatorCases+tc.file))
			if res == nil {
				t.Fatalf("no result: %v", err)
			}
			if tc.unknownAt == "" && err != nil {
				t.Fatalf("error: %v", err)
			}
			if tc.unknownAt != "" {
				var ue *UnknownSchemaError
				if !errors.As(err, &ue) || ue.Pointer != tc.unknownAt {
					t.Fatalf("err = %v, want an *UnknownSchemaError for %s", err, tc.unknownAt)
				}
			}
			if tc.file == "complete_v1.json" {
				return
			}
			want := slices.Sorted(slices.Values(tc.want))
			if got := where(res.Problems); !slices.Equal(got, want) {
				t.Errorf("problems:\n got %q\nwant %q%s", got, want, dump(res.Problems))
			}
			if res.Valid() != (len(tc.want) == 0) {
				t.Errorf("Valid() = %v", res.Valid())
			}
			for _, p := range res.Problems {
				if p.Message == "" || (p.Keyword != "type" || p.InstancePath != "/type") && (p.SchemaID == "" || p.SchemaLocation == "") {
					t.Errorf("incomplete problem %+v", p)
				}
			}
		})
	}
	// Every JSON fixture is in the table.
	files, _ := filepath.Glob(validatorCases + "*.json")
	more, _ := filepath.Glob(validatorCases + "*/*.json")
	for _, f := range append(files, more...) {
		rel, _ := filepath.Rel(validatorCases, f)
		if !seen[filepath.ToSlash(rel)] {
			t.Errorf("fixture %s is not in the table", rel)
		}
	}
}

// TestCompleteV1 checks the problems of a large VCDM 1.1 credential in
// detail: embedded endorsements are checked too, and a bad enum value under
// a oneOf with a pattern alternative reports both ways it could be right.
func TestCompleteV1(t *testing.T) {
	v := newValidator(t, Options{})
	res, _ := v.ValidateCredential(context.Background(), readFile(t, validatorCases+"complete_v1.json"))
	want := []string{
		"/@context/0 enum",
		"/credentialSubject/achievement/creator/endorsement/0/@context/0 enum",
		"/credentialSubject/achievement/creator/endorsement/0/id required",
		"/credentialSubject/achievement/creator/endorsement/0/validFrom required",
		"/credentialSubject/achievement/creator/endorsement/1/@context/0 enum",
		"/credentialSubject/achievement/creator/endorsement/1/id required",
		"/credentialSubject/achievement/creator/endorsement/1/name required",
		"/credentialSubject/achievement/creator/endorsement/1/validFrom required",
		"/credentialSubject/achievement/endorsement/0/@context/0 enum",
		"/credentialSubject/achievement/endorsement/0/id required",
		"/credentialSubject/achievement/endorsement/0/validFrom required",
		"/credentialSubject/identifier/0/identityType oneOf",
		"/credentialSubject/identifier/1/identityType oneOf",
		"/endorsement/0/@context/0 enum",
		"/endorsement/0/id required",
		"/endorsement/0/validFrom required",
		"/issuer/endorsement/0/@context/0 enum",
		"/issuer/endorsement/0/id required",
		"/issuer/endorsement/0/validFrom required",
		"/validFrom required",
	}
	if got := where(res.Problems); !slices.Equal(got, want) {
		t.Errorf("problems:\n got %q\nwant %q%s", got, want, dump(res.Problems))
	}
	// Sorted by pointer, arrays by index.
	if !slices.IsSortedFunc(res.Problems, func(a, b Problem) int { return comparePointers(a.InstancePath, b.InstancePath) }) {
		t.Error("problems not sorted")
	}
}

// TestSpecExamples validates the OB 3.0 specification's credential
// examples against the published schemas, where all but one pass, and the
// strict build, which rejects a single value where it wants an array.
func TestSpecExamples(t *testing.T) {
	tests := []struct {
		file       string
		lenient    []string // problems with the published schemas
		strict     []string // problems with the strict build
		unknownAt  string
		quirkNotes string
	}{
		{file: "basicOpenBadgeCredential--sample-openbadgecredential.json"},
		{file: "fullOpenBadge--complete-openbadgecredential.json"},
		{file: "endorsement--sample-endorsementcredential.json", unknownAt: "/credentialSchema/1",
			quirkNotes: "names an illustrative third-party schema at state.gov, not available offline"},
		{file: "achievementAlignmentCase--achievement-alignment-case.json"},
		{file: "achievementAlignmentCe--achievement-alignment-credential-engine.json"},
		{file: "skillAssertionCase--skill-assertion-case.json"},
		{file: "skillAssertionCtdl--skill-assertion-credential-registry.json"},
		{file: "docformat--sample-openbadgecredential-file-contents.json"},
		{file: "equality-and-comparison--sample-credential-a.json"},
		{file: "equality-and-comparison--sample-credential-c.json"},
		{file: "impl-migrating--upgraded-ob-2-0-assertion-included-within-clr-2-0.json",
			lenient: []string{"/issuer/otherIdentifier/0/type oneOf"},
			strict: []string{
				"/credentialSubject/achievement/creator/type type", "/credentialSubject/achievement/type type",
				"/credentialSubject/type type", "/issuer/otherIdentifier/0/type type",
			},
			quirkNotes: `IdentifierEntry.type is the single IRI "IdentifierEntry"; the example gives an array`},
		{file: "impl-recommended-practices--achievement-alignment-case.json",
			strict: []string{
				"/credentialSubject/achievement/alignment/0/type type", "/credentialSubject/achievement/type type",
				"/credentialSubject/type type", "/issuer/type type",
			}, quirkNotes: "single-string types"},
		{file: "impl-recommended-practices--skill-assertion-credential-registry.json",
			strict: []string{
				"/credentialSubject/achievement/creator/type type", "/credentialSubject/achievement/type type",
				"/credentialSubject/type type", "/issuer/type type",
			}, quirkNotes: "single-string types"},
		{file: "../../../testdata/ob3/spec/impl-linked-data-proof-ob--credential.json"},
		{file: "../../../testdata/ob3/spec/impl-linked-data-proof-ob--signed-credential.json",
			strict: []string{"/proof type"}, quirkNotes: "a single proof object"},
	}
	ctx := context.Background()
	for _, strict := range []bool{false, true} {
		v := newValidator(t, Options{Strict: strict})
		for _, tc := range tests {
			t.Run(fmt.Sprintf("strict=%v/%s", strict, filepath.Base(tc.file)), func(t *testing.T) {
				res, err := v.ValidateCredential(ctx, readFile(t, "testdata/spec/"+tc.file))
				if tc.unknownAt != "" {
					var ue *UnknownSchemaError
					if !errors.As(err, &ue) || ue.Pointer != tc.unknownAt {
						t.Fatalf("err = %v, want *UnknownSchemaError at %s", err, tc.unknownAt)
					}
				} else if err != nil {
					t.Fatal(err)
				}
				want := tc.lenient
				if strict {
					want = tc.strict
				}
				if got := where(res.Problems); !slices.Equal(got, want) {
					t.Errorf("problems (%s):\n got %q\nwant %q%s", tc.quirkNotes, got, want, dump(res.Problems))
				}
			})
		}
	}
}

// TestProfileExamples validates the spec's Profile examples with Validate.
func TestProfileExamples(t *testing.T) {
	v := newValidator(t, Options{})
	for _, f := range []string{"api--sample-putprofile-response.json", "impl-migrating--issuer-profile-relation-between-open-badges-2-0-and-open-badges-3-0.json"} {
		ps, err := v.Validate(context.Background(), ProfileURL, readFile(t, "testdata/spec/"+f))
		if err != nil || len(ps) != 0 {
			t.Errorf("%s: %v%s", f, err, dump(ps))
		}
	}
	// A profile without its required id and type.
	ps, err := v.Validate(context.Background(), ProfileURL, map[string]any{"name": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := where(ps), []string{"/id required", "/type required"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestMessages checks the wording and locations of typical problems.
func TestMessages(t *testing.T) {
	doc := decode(t, readFile(t, "testdata/spec/basicOpenBadgeCredential--sample-openbadgecredential.json"))
	doc["validFrom"] = "2010-13-01T00:00:00Z"
	doc["name"] = map[string]any{"english": "Badge"}
	doc["description"] = json.Number("5")
	doc["credentialSubject"].(map[string]any)["type"] = []any{"Subject"}
	delete(doc["issuer"].(map[string]any), "id")
	doc["proof"] = []any{"not a proof"}
	v := newValidator(t, Options{})
	res, err := v.ValidateCredential(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"/credentialSubject/type": `must contain "AchievementSubject"`,
		"/description":            `must be a string or an object, not a number`,
		"/issuer/id":              `required property "id" is missing`,
		"/name/english":           `property name "english" is not allowed: "english" does not match the pattern ^[a-z]{2}(-[A-Z]{2})?$`,
		"/proof/0":                `must be an object, not a string`,
		"/validFrom":              `"2010-13-01T00:00:00Z" is not a valid date-time (RFC 3339, such as 2024-03-15T09:30:00Z): invalid date element: parsing time "2010-13-01": month out of range`,
	}
	got := map[string]string{}
	for _, p := range res.Problems {
		got[p.InstancePath] = p.Message
	}
	for ptr, msg := range want {
		if got[ptr] != msg {
			t.Errorf("%s: got %q, want %q", ptr, got[ptr], msg)
		}
	}
	if len(res.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:%s", len(res.Problems), len(want), dump(res.Problems))
	}
	// The issuer alternative that fits best is the Profile, not the IRI
	// (or its language-map form).
	for _, p := range res.Problems {
		if p.InstancePath == "/issuer/id" && !strings.HasSuffix(p.SchemaLocation, "#/$defs/Profile/required") {
			t.Errorf("issuer problem from %s", p.SchemaLocation)
		}
		if p.InstancePath == "/validFrom" && p.KeywordPath != "/properties/validFrom/format" {
			t.Errorf("keyword path %s", p.KeywordPath)
		}
	}
}

// TestFormatAssertions checks that format is asserted, not annotated.
func TestFormatAssertions(t *testing.T) {
	v := newValidator(t, Options{})
	const id = "https://schemas.example.org/formats.json"
	err := v.Register(id, []byte(`{"$schema": "https://json-schema.org/draft/2019-09/schema",
		"properties": {"d": {"format": "date-time"}, "day": {"format": "date"}, "u": {"format": "uri"}, "e": {"format": "email"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		doc   string
		valid bool
	}{
		{`{"d": "2024-03-15T09:30:00Z", "day": "2024-03-15", "u": "https://example.org/a?b#c", "e": "a@example.org"}`, true},
		{`{"d": "2024-03-15T09:30:00"}`, false}, // no time zone
		{`{"d": "2024-03-15"}`, false},
		{`{"day": "2024-02-30"}`, false},
		{`{"u": "/relative"}`, false},
		{`{"u": "https://example.org/a b"}`, false},
		{`{"u": "https://example.org/[x]"}`, false},
		{`{"u": "http://[2001:db8::1]/x"}`, true},
		{`{"e": "@example.org"}`, false},
		{`{"e": "not an email"}`, false},
	} {
		ps, err := v.Validate(context.Background(), id, []byte(tc.doc))
		if err != nil {
			t.Fatal(err)
		}
		if (len(ps) == 0) != tc.valid {
			t.Errorf("%s: valid = %v, want %v%s", tc.doc, len(ps) == 0, tc.valid, dump(ps))
		}
		for _, p := range ps {
			if p.Keyword != "format" {
				t.Errorf("%s: keyword %s", tc.doc, p.Keyword)
			}
		}
	}
}

// TestStrictMapping: with Strict, the published schema named in
// credentialSchema is the strict build, applied once.
func TestStrictMapping(t *testing.T) {
	b := readFile(t, "testdata/spec/fullOpenBadge--complete-openbadgecredential.json")
	for _, strict := range []bool{false, true} {
		res, err := newValidator(t, Options{Strict: strict}).ValidateCredential(context.Background(), b)
		if err != nil {
			t.Fatal(err)
		}
		want := AchievementCredentialURL
		if strict {
			want = StrictAchievementCredentialURL
		}
		if len(res.Schemas) != 2 {
			t.Fatalf("schemas %+v", res.Schemas)
		}
		base, entry := res.Schemas[0], res.Schemas[1]
		if base.ID != AchievementCredentialURL || base.AppliedID != want || base.Pointer != "" || base.Origin != OriginEmbedded || base.NotApplied != "" {
			t.Errorf("base %+v", base)
		}
		if entry.ID != AchievementCredentialURL || entry.AppliedID != want || entry.Pointer != "/credentialSchema/0" || entry.NotApplied != "duplicate" {
			t.Errorf("entry %+v", entry)
		}
		if b, _ := EmbeddedSchema(want); fmt.Sprintf("%x", sha256.Sum256(b)) != base.SHA256 {
			t.Errorf("sha256 %s", base.SHA256)
		}
	}
	// Validate resolves the published URL to the strict build too.
	ps, err := newValidator(t, Options{Strict: true}).Validate(context.Background(), AchievementCredentialURL,
		readFile(t, "../testdata/ob3/spec/impl-linked-data-proof-ob--signed-credential.json"))
	if err != nil || len(ps) != 1 || ps[0].SchemaID != StrictAchievementCredentialURL {
		t.Errorf("%v%s", err, dump(ps))
	}
}

// TestEmbedded checks the pins and that every embedded schema compiles.
func TestEmbedded(t *testing.T) {
	urls := EmbeddedSchemas()
	if len(urls) != 11 { // 10 OB3 schemas and the EU profile schema
		t.Fatalf("%d embedded schemas", len(urls))
	}
	for _, u := range urls {
		b, ok := EmbeddedSchema(u)
		if !ok {
			t.Fatalf("%s not available", u)
		}
		if sum := sha256.Sum256(b); fmt.Sprintf("%x", sum) != embeddedByURL[u].sha256 {
			t.Errorf("%s: hash", u)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil || doc["$id"] != u {
			t.Errorf("%s: $id %v (%v)", u, doc["$id"], err)
		}
		if _, err := embeddedByURL[u].compile(); err != nil {
			t.Errorf("%s: %v", u, err)
		}
		b[0] = 'x' // a copy
	}
	if b, _ := EmbeddedSchema(urls[0]); b[0] != '{' {
		t.Error("EmbeddedSchema returned shared bytes")
	}
	if _, ok := EmbeddedSchema("https://example.org/x.json"); ok {
		t.Error("unknown URL found")
	}
	// An altered file is refused.
	e := &embeddedSchema{url: "x", file: pinnedSchemas[0].file, sha256: strings.Repeat("0", 64)}
	if _, err := e.readVerified(); err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Errorf("altered file: %v", err)
	}
}

// TestRegister registers SURF's micro-credential profile schemas (a real
// third-party profile layered on OB3) and validates their examples.
func TestRegister(t *testing.T) {
	const base = "https://raw.githubusercontent.com/educredentials/obv3-examples/refs/heads/main/schemas/"
	v := newValidator(t, Options{})
	ctx := context.Background()
	cred := readFile(t, "testdata/educredentials/theed_microcredential_full_ho.json")

	_, err := v.ValidateCredential(ctx, cred)
	var ue *UnknownSchemaError
	if !errors.As(err, &ue) || !errors.Is(err, ErrUnknownSchema) || !errors.Is(err, fetch.ErrNetworkDisabled) {
		t.Fatalf("before Register: %v", err)
	}
	for _, n := range []string{"microcredential", "microcredential_ects", "regular", "regular_sbu"} {
		if err := v.Register(base+n+".json", readFile(t, "testdata/educredentials/educredentials-"+n+".json")); err != nil {
			t.Fatal(err)
		}
	}
	res, err := v.ValidateCredential(ctx, cred)
	if err != nil || !res.Valid() {
		t.Fatalf("%v%s", err, dump(res.Problems))
	}
	if len(res.Schemas) != 4 || res.Schemas[2].Origin != OriginRegistered || res.Schemas[3].Origin != OriginRegistered {
		t.Errorf("schemas %+v", res.Schemas)
	}
	res, err = v.ValidateCredential(ctx, readFile(t, "testdata/educredentials/theed_regular_full_mbo.json"))
	if err != nil || !res.Valid() {
		t.Fatalf("%v%s", err, dump(res.Problems))
	}

	// Take the mandatory EU elements away: the profile schema says so.
	doc := decode(t, cred)
	ach := doc["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
	delete(ach, "ECTS")
	ach["participationType"] = "by carrier pigeon"
	res, err = v.ValidateCredential(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/credentialSubject/achievement oneOf", "/credentialSubject/achievement/ECTS required", "/credentialSubject/achievement/participationType enum"}
	if got := where(res.Problems); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q%s", got, want, dump(res.Problems))
	}
}

func TestRegisterErrors(t *testing.T) {
	v := newValidator(t, Options{MaxSchemaBytes: 1000})
	lenient, _ := EmbeddedSchema(AchievementCredentialURL)
	var ise *InvalidSchemaError
	var use *UnknownSchemaError
	for _, tc := range []struct {
		name, id, schema string
		ok               bool
		check            func(error) bool
	}{
		{"relative id", "schemas/x.json", `{}`, false, nil},
		{"embedded, same bytes", AchievementCredentialURL, string(lenient), true, nil},
		{"embedded, other bytes", AchievementCredentialURL, `{}`, false, nil},
		{"not JSON", "https://s.example/a.json", `{`, false, func(err error) bool { return errors.As(err, &ise) }},
		{"duplicate key", "https://s.example/a.json", `{"type": "object", "type": "string"}`, false, func(err error) bool { return errors.Is(err, jsonx.ErrDuplicateKey) }},
		{"not a schema", "https://s.example/a.json", `[1]`, false, nil},
		{"fails the metaschema", "https://s.example/a.json", `{"type": 5}`, false, func(err error) bool { return errors.As(err, &ise) }},
		{"too large", "https://s.example/a.json", `{"description": "` + strings.Repeat("x", 1000) + `"}`, false, nil},
		{"shadows an embedded schema", "https://s.example/a.json", `{"$id": "` + AchievementCredentialURL + `"}`, false, nil},
		{"shadows with a nested $id", "https://s.example/a.json", `{"$defs": {"x": {"$id": "ob_v3p0_profile_schema.json"}}, "$id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/mine.json"}`, false, nil},
		{"unknown reference", "https://s.example/a.json", `{"$ref": "https://elsewhere.example/b.json"}`, false, func(err error) bool { return errors.As(err, &use) && use.URL == "https://elsewhere.example/b.json" }},
		{"ok", "https://s.example/a.json", `{"$ref": "` + ProfileURL + `"}`, true, nil},
		{"same again", "https://s.example/a.json", `{"$ref": "` + ProfileURL + `"}`, true, nil},
		{"other bytes", "https://s.example/a.json", `{}`, false, nil},
		{"refers to a registered one", "https://s.example/b.json", `{"allOf": [{"$ref": "a.json"}], "required": ["b"]}`, true, nil},
	} {
		err := v.Register(tc.id, []byte(tc.schema))
		if (err == nil) != tc.ok || (err != nil && tc.check != nil && !tc.check(err)) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// A failed registration left the compiler usable.
	ps, err := v.Validate(context.Background(), "https://s.example/b.json", map[string]any{"name": "n"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := where(ps), []string{"/b required", "/id required", "/type required"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestExtensionSchema registers the spec's example extension schema and
// names it in credentialSchema, with either credentialSchema type.
func TestExtensionSchema(t *testing.T) {
	v := newValidator(t, Options{})
	ext := readFile(t, "testdata/spec/impl-extensions--ob-clr-extension-json-schema.json")
	const id = "https://your_url/your_schema.json"
	if err := v.Register(id, ext); err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{Type1EdTechJSONSchemaValidator2019, TypeJSONSchema} {
		doc := decode(t, readFile(t, "testdata/spec/basicOpenBadgeCredential--sample-openbadgecredential.json"))
		doc["credentialSchema"] = []any{
			map[string]any{"id": AchievementCredentialURL, "type": Type1EdTechJSONSchemaValidator2019},
			map[string]any{"id": id, "type": typ},
		}
		ach := doc["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
		ach["anotherField"] = "yesterday"
		res, err := v.ValidateCredential(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"/credentialSubject/achievement/anotherField format", "/credentialSubject/achievement/myField required"}
		if got := where(res.Problems); !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q%s", typ, got, want, dump(res.Problems))
		}
		for _, p := range res.Problems {
			if p.SchemaID != id {
				t.Errorf("problem from %s", p.SchemaID)
			}
		}
		if res.Schemas[1].NotApplied != "duplicate" || res.Schemas[2].Problems != 2 || res.Schemas[2].Pointer != "/credentialSchema/1" {
			t.Errorf("schemas %+v", res.Schemas)
		}
	}
}

func TestUnsupportedTypes(t *testing.T) {
	v := newValidator(t, Options{})
	for _, typ := range []any{TypeJSONSchemaCredential, "SomeOtherValidator", []any{"A", "B"}} {
		doc := decode(t, readFile(t, "testdata/spec/basicOpenBadgeCredential--sample-openbadgecredential.json"))
		doc["credentialSchema"] = map[string]any{"id": "https://schemas.example/c.json", "type": typ}
		res, err := v.ValidateCredential(context.Background(), doc)
		var ute *UnsupportedSchemaTypeError
		if !errors.As(err, &ute) || ute.Pointer != "/credentialSchema" || ute.URL != "https://schemas.example/c.json" {
			t.Errorf("%v: err = %v", typ, err)
		}
		if _, isArray := typ.([]any); res == nil || res.Valid() == isArray || res.Schemas[1].NotApplied != "error" {
			// The published schema wants one type per entry.
			t.Errorf("%v: result %+v", typ, res)
		}
	}
	// An entry with no id is left to the OB3 schema.
	doc := decode(t, readFile(t, "testdata/spec/basicOpenBadgeCredential--sample-openbadgecredential.json"))
	doc["credentialSchema"] = map[string]any{"type": TypeJSONSchema}
	res, err := v.ValidateCredential(context.Background(), doc)
	if err != nil || !slices.Equal(where(res.Problems), []string{"/credentialSchema/id required"}) || res.Schemas[1].NotApplied != "no id" {
		t.Errorf("%v %+v%s", err, res.Schemas, dump(res.Problems))
	}
}

func TestDigestSRI(t *testing.T) {
	raw, _ := EmbeddedSchema(AchievementCredentialURL)
	s384 := sha512.Sum384(raw)
	s256 := sha256.Sum256(raw)
	good384 := "sha384-" + base64.StdEncoding.EncodeToString(s384[:])
	good256 := "sha256-" + base64.StdEncoding.EncodeToString(s256[:])
	bad := "sha384-" + base64.StdEncoding.EncodeToString(make([]byte, 48))
	v := newValidator(t, Options{})
	for _, tc := range []struct {
		sri string
		ok  bool
	}{
		{good384, true},
		{good256, true},
		{good256 + " " + bad, false}, // only the strongest algorithm counts
		{bad + " " + good384, true},
		{good384 + "?ct=application/json", true},
		{bad, false},
		{"sha384-!!!", false},
		{"md5-abc", false},
	} {
		doc := decode(t, readFile(t, "testdata/spec/basicOpenBadgeCredential--sample-openbadgecredential.json"))
		doc["credentialSchema"] = map[string]any{"id": AchievementCredentialURL, "type": Type1EdTechJSONSchemaValidator2019, "digestSRI": tc.sri}
		_, err := v.ValidateCredential(context.Background(), doc)
		var de *SchemaDigestError
		if tc.ok != (err == nil) || (!tc.ok && !errors.As(err, &de)) {
			t.Errorf("%q: %v", tc.sri, err)
		}
	}
}

// mapFetcher serves schemas from a map and counts requests.
type mapFetcher struct {
	docs  map[string]string
	calls atomic.Int32
}

func (f *mapFetcher) Fetch(_ context.Context, u string) ([]byte, error) {
	f.calls.Add(1)
	d, ok := f.docs[u]
	if !ok {
		return nil, &fetch.Error{URL: u, Err: fetch.ErrHostNotAllowed}
	}
	return []byte(d), nil
}

func TestFetcher(t *testing.T) {
	const stateGov = "https://state.gov/schema/endorsementcredential.json"
	f := &mapFetcher{docs: map[string]string{
		stateGov: `{"$schema": "https://json-schema.org/draft/2019-09/schema",
			"allOf": [{"$ref": "` + EndorsementCredentialURL + `"}, {"$ref": "parts.json#/$defs/named"}]}`,
		"https://state.gov/schema/parts.json": `{"$defs": {"named": {"required": ["name"], "properties": {"name": {"type": "string", "minLength": 3}}}}}`,
		"https://evil.example/shadow.json":    `{"$id": "` + ProfileURL + `", "type": "object"}`,
		"https://evil.example/big.json":       `{"description": "` + strings.Repeat("x", 2000) + `"}`,
		"https://evil.example/loop0.json":     `{"$ref": "loop1.json"}`,
		"https://evil.example/loop1.json":     `{"$ref": "loop2.json"}`,
		"https://evil.example/loop2.json":     `{"$ref": "loop3.json"}`,
		"https://evil.example/loop3.json":     `{"$ref": "loop4.json"}`,
		"https://evil.example/loop4.json":     `{}`,
		"https://evil.example/file.json":      `{"$ref": "file:///etc/passwd"}`,
	}}
	v := newValidator(t, Options{Fetcher: f, MaxSchemaBytes: 1500, MaxFetches: 3, CacheTTL: time.Minute})
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	v.now = func() time.Time { return now }
	ctx := context.Background()
	cred := readFile(t, "testdata/spec/endorsement--sample-endorsementcredential.json")

	res, err := v.ValidateCredential(ctx, cred)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Valid() || res.Schemas[2].Origin != OriginFetched || res.Schemas[2].ID != stateGov {
		t.Fatalf("%+v%s", res.Schemas, dump(res.Problems))
	}
	if n := f.calls.Load(); n != 2 {
		t.Errorf("%d fetches, want 2 (the embedded schema is never fetched)", n)
	}
	// The fetched schema's own problems carry its URL.
	doc := decode(t, cred)
	doc["name"] = "x"
	res, err = v.ValidateCredential(ctx, doc)
	if err != nil || !slices.Equal(where(res.Problems), []string{"/name minLength"}) || res.Problems[0].SchemaID != stateGov {
		t.Errorf("%v%s", err, dump(res.Problems))
	}
	if n := f.calls.Load(); n != 2 {
		t.Errorf("cached schema fetched again (%d)", n)
	}
	now = now.Add(2 * time.Minute)
	if _, err := v.ValidateCredential(ctx, cred); err != nil || f.calls.Load() != 4 {
		t.Errorf("after expiry: %v, %d fetches", err, f.calls.Load())
	}

	for _, tc := range []struct {
		url   string
		check func(error) bool
	}{
		{"https://not-allowed.example/s.json", func(err error) bool {
			var ue *UnknownSchemaError
			return errors.As(err, &ue) && errors.Is(err, fetch.ErrHostNotAllowed)
		}},
		{"https://evil.example/shadow.json", func(err error) bool {
			var ie *InvalidSchemaError
			return errors.As(err, &ie) && strings.Contains(err.Error(), "shadow")
		}},
		{"https://evil.example/big.json", func(err error) bool { return errors.Is(err, ErrUnknownSchema) }},
		{"https://evil.example/loop0.json", func(err error) bool {
			return errors.Is(err, ErrUnknownSchema) && strings.Contains(err.Error(), "more than 3 documents")
		}},
		{"https://evil.example/file.json", func(err error) bool { return errors.Is(err, ErrUnknownSchema) }},
	} {
		_, err := v.Validate(ctx, tc.url, map[string]any{})
		if err == nil || !tc.check(err) {
			t.Errorf("%s: %v", tc.url, err)
		}
	}
	// The embedded Profile schema is still the embedded one.
	ps, err := v.Validate(ctx, ProfileURL, map[string]any{})
	if err != nil || len(ps) != 2 {
		t.Errorf("%v%s", err, dump(ps))
	}
}

// TestInputs: every accepted form of document gives the same result.
func TestInputs(t *testing.T) {
	b := readFile(t, validatorCases+"simple-err-issuer-type.json")
	c, err := vc.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	var plain map[string]any // encoding/json: float64 numbers
	if err := json.Unmarshal(b, &plain); err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, Options{})
	var first []Problem
	for i, in := range []any{b, json.RawMessage(b), c, decode(t, b), plain} {
		res, err := v.ValidateCredential(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = res.Problems
		} else if !slices.Equal(res.Problems, first) {
			t.Errorf("input %T: %s", in, dump(res.Problems))
		}
	}
}

// TestHostileInput: what cannot be validated is an error, never a panic,
// and size and depth are bounded.
func TestHostileInput(t *testing.T) {
	v := newValidator(t, Options{})
	ctx := context.Background()
	cyclic := map[string]any{"type": "x"}
	cyclic["self"] = cyclic
	deepMap := map[string]any{}
	for m, i := deepMap, 0; i < 100; i++ {
		n := map[string]any{}
		m["a"] = n
		m = n
	}
	for _, tc := range []struct {
		name string
		doc  any
	}{
		{"deep JSON", []byte(strings.Repeat(`{"a":`, 10000) + `1` + strings.Repeat(`}`, 10000))},
		{"deep arrays", []byte(`{"type": ` + strings.Repeat(`[`, 5000) + strings.Repeat(`]`, 5000) + `}`)},
		{"too many values", []byte(`{"type": [` + strings.Repeat(`"x",`, 200000) + `"x"]}`)},
		{"too large", []byte(`{"name": "` + strings.Repeat("x", 2<<20) + `"}`)},
		{"duplicate keys", []byte(`{"type": "a", "type": "b"}`)},
		{"invalid UTF-8", []byte("{\"name\": \"\xff\"}")},
		{"not JSON", []byte(`{`)},
		{"not an object", []byte(`[]`)},
		{"cycle", cyclic},
		{"deep map", deepMap},
		{"Go struct", map[string]any{"x": struct{}{}}},
		{"NaN", map[string]any{"x": math.NaN()}},
		{"nil credential", (*vc.Credential)(nil)},
		{"string", "{}"},
	} {
		res, err := v.ValidateCredential(ctx, tc.doc)
		if err == nil || !errors.Is(err, ErrInvalidDocument) || res != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}

	// Large but within the limits: many problems, all listed, quickly.
	items := make([]string, 20000)
	for i := range items {
		items[i] = fmt.Sprintf(`{"type": "Evidence", "id": %d}`, i)
	}
	doc := decode(t, readFile(t, "testdata/spec/basicOpenBadgeCredential--sample-openbadgecredential.json"))
	var ev any
	if err := json.Unmarshal([]byte("["+strings.Join(items, ",")+"]"), &ev); err != nil {
		t.Fatal(err)
	}
	doc["evidence"] = ev
	start := time.Now()
	res, err := v.ValidateCredential(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 20000 || res.Problems[19999].InstancePath != "/evidence/19999/id" {
		t.Errorf("%d problems, last %v", len(res.Problems), res.Problems[len(res.Problems)-1])
	}
	t.Logf("20,000 evidence items with a bad id: %d problems in %v", len(res.Problems), time.Since(start))

	// Limits can be lowered.
	small := newValidator(t, Options{Limits: vc.ParseOptions{MaxDepth: 3}})
	if _, err := small.Validate(ctx, ProfileURL, []byte(`{"a": {"b": {"c": {}}}}`)); !errors.Is(err, ErrInvalidDocument) {
		t.Errorf("MaxDepth 3: %v", err)
	}

	// Hostile registered schemas.
	if err := v.Register("https://s.example/deep.json", []byte(strings.Repeat(`{"items":`, 200)+`{}`+strings.Repeat(`}`, 200))); err == nil {
		t.Error("deep schema registered")
	}
	if err := v.Register("https://s.example/cycle.json", []byte(`{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}`)); err == nil {
		var ise *InvalidSchemaError
		if ps, err := v.Validate(ctx, "https://s.example/cycle.json", map[string]any{}); !errors.As(err, &ise) {
			t.Errorf("reference cycle: %v%s", err, dump(ps))
		}
	}

	// A cancelled context stops before any work.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := v.ValidateCredential(cctx, map[string]any{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestPropertyNamesLocation: jsonschema v6.0.3 may report a propertyNames
// failure at a sibling's location (it keeps a slice that later siblings
// overwrite); the pointers here must still be right.
func TestPropertyNamesLocation(t *testing.T) {
	v := newValidator(t, Options{})
	const id = "https://s.example/names.json"
	err := v.Register(id, []byte(`{"type": "object", "properties": {
		"a": {"type": "object", "properties": {
			"list": {"type": "array", "items": {"type": "object", "propertyNames": {"maxLength": 2}}},
			"x": {"type": "object", "propertyNames": {"maxLength": 2}},
			"y": {"type": "string"}}},
		"b": {"type": "string"},
		"c": {"type": "object", "additionalProperties": {"propertyNames": {"pattern": "^[a-z]+$"}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	doc := []byte(`{"a": {"list": [{"long": 1}, {"ok": 1}, {"longer": 2}], "x": {"wide": 1}, "y": 5},
		"b": 6, "c": {"p": {"Bad": 1}, "q": {"fine": 1}, "r": {"Also": 2}}}`)
	for range 20 { // map order varies from run to run
		ps, err := v.Validate(context.Background(), id, doc)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"/a/list/0/long propertyNames", "/a/list/2/longer propertyNames", "/a/x/wide propertyNames",
			"/a/y type", "/b type", "/c/p/Bad propertyNames", "/c/r/Also propertyNames",
		}
		if got := where(ps); !slices.Equal(got, want) {
			t.Fatalf("got %q\nwant %q%s", got, want, dump(ps))
		}
		for _, p := range ps {
			if p.Keyword == "propertyNames" && strings.Count(p.SchemaLocation, "propertyNames") != 1 {
				t.Errorf("schema location %s", p.SchemaLocation)
			}
		}
	}
}

// TestConcurrent validates and registers from many goroutines (run with
// -race).
func TestConcurrent(t *testing.T) {
	v := newValidator(t, Options{Strict: false})
	files := []string{"simple.json", "simple-err-issuer-type.json", "complete.json", "endorsement-valid.json"}
	docs := make([][]byte, len(files))
	want := make([][]Problem, len(files))
	for i, f := range files {
		docs[i] = readFile(t, validatorCases+f)
		res, err := v.ValidateCredential(context.Background(), docs[i])
		if err != nil {
			t.Fatal(err)
		}
		want[i] = res.Problems
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("https://s.example/%d.json", g)
			if err := v.Register(id, []byte(`{"$ref": "`+ProfileURL+`"}`)); err != nil {
				t.Error(err)
			}
			for i := range 20 {
				k := (g + i) % len(docs)
				res, err := v.ValidateCredential(context.Background(), docs[k])
				if err != nil || !slices.Equal(res.Problems, want[k]) {
					t.Errorf("%s: %v", files[k], err)
				}
				if _, err := v.Validate(context.Background(), id, map[string]any{}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestNewOptions(t *testing.T) {
	if _, err := New(Options{MaxSchemaBytes: -1}); err == nil {
		t.Error("negative limit accepted")
	}
	v := newValidator(t, Options{})
	if v.opts.MaxSchemaBytes != DefaultMaxSchemaBytes || v.opts.CacheTTL != DefaultCacheTTL || v.opts.MaxFetches != DefaultMaxFetches {
		t.Errorf("defaults %+v", v.opts)
	}
	if _, err := v.Validate(context.Background(), "not a url", map[string]any{}); !errors.Is(err, ErrUnknownSchema) {
		t.Errorf("relative schema id: %v", err)
	}
	for p, want := range map[Problem]string{
		{InstancePath: "", Message: "m", SchemaLocation: "s"}:  "(document): m (s)",
		{InstancePath: "/", Message: "m", SchemaLocation: "s"}: "/: m (s)",
		{InstancePath: "/type", Message: "m"}:                  "/type: m",
	} {
		if p.String() != want {
			t.Errorf("got %q, want %q", p.String(), want)
		}
	}
}

// TestKeywordMessages covers the keywords the OB3 schemas do not use but
// registered profile schemas may.
func TestKeywordMessages(t *testing.T) {
	v := newValidator(t, Options{})
	const id = "https://s.example/keywords.json"
	err := v.Register(id, []byte(`{"type": "object", "additionalProperties": false, "properties": {
		"not":   {"not": {"type": "string"}},
		"const": {"const": "EQF"},
		"max":   {"type": "array", "maxItems": 1},
		"tuple": {"type": "array", "items": [{"type": "string"}], "additionalItems": false},
		"one":   {"oneOf": [{"type": "number"}, {"type": "integer"}]},
		"mc":    {"type": "array", "contains": {"const": 1}, "minContains": 2},
		"min":   {"type": "number", "minimum": 1},
		"never": false
	}}`))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := v.Validate(context.Background(), id, []byte(`{"not": "s", "const": "NQF", "max": [1, 2], "tuple": ["a", 1],
		"one": 3, "mc": [1, 2], "min": 0.5, "never": null, "extra": true}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"/const": `must be "EQF", not "NQF"`,
		"/extra": `property "extra" is not allowed here`,
		"/max":   `must have at most 1 item, has 2`,
		"/mc":    `must contain at least 2 items that match the contains schema, has 1`,
		"/min":   `minimum: got 0.5, want 1`,
		"/never": `no value is allowed here`,
		"/not":   `must not match the schema at https://s.example/keywords.json#/properties/not/not`,
		"/one":   `matches alternatives 0 and 1 where exactly one is allowed`,
		"/tuple": `has 1 more item than allowed`,
	}
	if len(ps) != len(want) {
		t.Errorf("%d problems, want %d:%s", len(ps), len(want), dump(ps))
	}
	for _, p := range ps {
		if want[p.InstancePath] != p.Message {
			t.Errorf("%s: got %q, want %q", p.InstancePath, p.Message, want[p.InstancePath])
		}
		if p.Keyword != "false" && !strings.HasSuffix(p.KeywordPath, "/"+p.Keyword) {
			t.Errorf("%s: keyword %s, path %s", p.InstancePath, p.Keyword, p.KeywordPath)
		}
		if !strings.HasPrefix(p.SchemaLocation, id+"#/") {
			t.Errorf("%s: location %s", p.InstancePath, p.SchemaLocation)
		}
	}
}
