package vc

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustParse(t testing.TB, s string) *Credential {
	t.Helper()
	c, err := Parse([]byte(s))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c
}

func deepEqual(t testing.TB, what string, want, got any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Errorf("%s:\nwant %#v\ngot  %#v", what, want, got)
	}
}

func TestParseRejectsHostileInput(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 64) + "1" + strings.Repeat("}", 64) // 64 objects + the value: depth 64, ok
	tooDeep := `{"credentialSubject":` + strings.Repeat("[", 64) + strings.Repeat("]", 64) + "}"
	big := `{"a":"` + strings.Repeat("x", 1<<20-7) + `"}` // 1 MiB + 1
	tests := []struct {
		name    string
		in      string
		opts    ParseOptions
		kind    error
		pointer string
	}{
		{"65 levels", tooDeep, ParseOptions{}, ErrTooDeep, "/credentialSubject" + strings.Repeat("/0", 63)},
		{"1 MiB + 1", big, ParseOptions{}, ErrTooLarge, ""},
		{"own size limit", `{"id":"x"}`, ParseOptions{MaxBytes: 5}, ErrTooLarge, ""},
		{"own depth limit", deep, ParseOptions{MaxDepth: 10}, ErrTooDeep, strings.Repeat("/a", 10)},
		{"own values limit", `{"type":["a","b","c"]}`, ParseOptions{MaxValues: 4}, ErrTooManyValues, "/type/2"},
		{"duplicate key at depth", `{"credentialSubject":{"achievement":{"name":"A","name":"B"}}}`, ParseOptions{},
			ErrDuplicateKey, "/credentialSubject/achievement/name"},
		{"duplicate key by escape", `{"issuer":"did:x:1","\u0069ssuer":"did:x:2"}`, ParseOptions{}, ErrDuplicateKey, "/issuer"},
		{"invalid UTF-8", "{\"name\":\"caf\xe9\"}", ParseOptions{}, ErrInvalidUTF8, "/name"},
		{"unpaired surrogate", `{"name":"\udead"}`, ParseOptions{}, ErrInvalidUTF8, "/name"},
		{"NaN", `{"credentialSubject":{"score":NaN}}`, ParseOptions{}, ErrSyntax, "/credentialSubject/score"},
		{"Infinity", `{"n":-Infinity}`, ParseOptions{}, ErrSyntax, "/n"},
		{"trailing garbage", `{"id":"urn:x:1"}garbage`, ParseOptions{}, ErrTrailingData, ""},
		{"second document", `{} {}`, ParseOptions{}, ErrTrailingData, ""},
		{"BOM", "\xef\xbb\xbf{}", ParseOptions{}, ErrSyntax, ""},
		{"not an object", `["VerifiableCredential"]`, ParseOptions{}, ErrNotObject, ""},
		{"null", `null`, ParseOptions{}, ErrNotObject, ""},
		{"empty", ``, ParseOptions{}, ErrSyntax, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseWithOptions([]byte(tt.in), tt.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if c != nil {
				t.Error("credential returned with error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, not *ParseError", err)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error %v is not %v", err, tt.kind)
			}
			if pe.Pointer != tt.pointer {
				t.Errorf("pointer %q, want %q (%v)", pe.Pointer, tt.pointer, err)
			}
			if !strings.HasPrefix(err.Error(), "vc: parse credential: ") {
				t.Errorf("error text %q", err)
			}
		})
	}
	if _, err := Parse([]byte(deep)); err != nil {
		t.Errorf("depth 64: %v", err)
	}
}

func TestParseHugeNumberKeepsLexicalForm(t *testing.T) {
	c := mustParse(t, `{"n":1e400,"m":123456789012345678901234567890,"f":1.50}`)
	deepEqual(t, "numbers", map[string]any{
		"n": json.Number("1e400"), "m": json.Number("123456789012345678901234567890"), "f": json.Number("1.50"),
	}, c.Map())
}

func TestParseErrorString(t *testing.T) {
	_, err := Parse([]byte(`{"credentialSubject":{"name":"a","name":"b"}}`))
	want := `vc: parse credential: jsonx: /credentialSubject/name: duplicate key "name" at offset 33`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

const fullV2 = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", {"Ex": "https://example.org/#Ex"}],
  "id": "urn:uuid:0b2b5f9c-0000-4000-8000-000000000001",
  "type": ["VerifiableCredential", "Ex"],
  "issuer": {"id": "did:example:issuer", "name": "Example Issuer", "type": "Profile"},
  "validFrom": "2024-03-15T09:30:00.25+01:00",
  "validUntil": "2029-03-15T09:30:00Z",
  "credentialSubject": [{"id": "did:example:alice", "name": "Alice"}, {"name": "anonymous"}],
  "credentialStatus": {"id": "https://example.org/status/1#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
  "credentialSchema": [{"id": "https://example.org/schema.json", "type": "1EdTechJsonSchemaValidator2019"}],
  "refreshService": {"id": "https://example.org/refresh", "type": "ManualRefreshService2018"},
  "termsOfUse": [{"type": "OdrlPolicy2017"}],
  "evidence": [{"type": "Evidence", "id": "https://example.org/evidence/1"}, {"type": ["Evidence", "X"]}],
  "proof": [
    {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2024-03-15T09:30:00Z",
     "verificationMethod": "did:key:z6Mk#z6Mk", "proofPurpose": "assertionMethod", "proofValue": "z5abc",
     "id": "urn:uuid:p1", "challenge": "c1", "domain": ["a.example", "b.example"], "nonce": "n"},
    {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "verificationMethod": {"id": "did:key:z6Mk#2"},
     "proofPurpose": "assertionMethod", "proofValue": "z5def", "previousProof": "urn:uuid:p1", "domain": "c.example",
     "created": "2024-03-15T09:31:00"}
  ]
}`

func TestAccessors(t *testing.T) {
	c := mustParse(t, fullV2)
	if ps := c.CheckDataModel(); ps != nil {
		t.Fatalf("problems: %v", ps)
	}
	deepEqual(t, "Contexts", []any{ContextV2, map[string]any{"Ex": "https://example.org/#Ex"}}, c.Contexts())
	if v, err := c.Version(); v != V2 || err != nil || v.String() != "VCDM 2.0" {
		t.Errorf("Version() = %v, %v", v, err)
	}
	deepEqual(t, "ID", "urn:uuid:0b2b5f9c-0000-4000-8000-000000000001", c.ID())
	deepEqual(t, "Types", []string{"VerifiableCredential", "Ex"}, c.Types())
	if !c.HasType("Ex") || c.HasType("ex") {
		t.Error("HasType")
	}
	iss, err := c.Issuer()
	if err != nil || iss.ID != "did:example:issuer" || iss.Name != "Example Issuer" || iss.Raw["type"] != "Profile" {
		t.Errorf("Issuer() = %+v, %v", iss, err)
	}
	from, ok, err := c.ValidFrom()
	if !ok || err != nil || !from.Equal(time.Date(2024, 3, 15, 8, 30, 0, 250e6, time.UTC)) {
		t.Errorf("ValidFrom() = %v, %v, %v", from, ok, err)
	}
	if _, off := from.Zone(); off != 3600 {
		t.Errorf("zone offset %d, want 3600", off)
	}
	until, ok, err := c.ValidUntil()
	if !ok || err != nil || !until.Equal(time.Date(2029, 3, 15, 9, 30, 0, 0, time.UTC)) || until.Location() != time.UTC {
		t.Errorf("ValidUntil() = %v, %v, %v", until, ok, err)
	}
	subs, err := c.Subjects()
	if err != nil || len(subs) != 2 || subs[0].ID != "did:example:alice" || subs[1].ID != "" ||
		subs[1].Pointer != "/credentialSubject/1" || subs[1].Raw["name"] != "anonymous" {
		t.Errorf("Subjects() = %+v, %v", subs, err)
	}
	st, err := c.Status()
	if err != nil || len(st) != 1 || st[0].ID != "https://example.org/status/1#5" ||
		!slices.Equal(st[0].Types, []string{"BitstringStatusListEntry"}) || st[0].Pointer != "/credentialStatus" ||
		st[0].Raw["statusPurpose"] != "revocation" {
		t.Errorf("Status() = %+v, %v", st, err)
	}
	sc, err := c.Schemas()
	if err != nil || len(sc) != 1 || sc[0].ID != "https://example.org/schema.json" || sc[0].Pointer != "/credentialSchema/0" ||
		!slices.Equal(sc[0].Types, []string{"1EdTechJsonSchemaValidator2019"}) {
		t.Errorf("Schemas() = %+v, %v", sc, err)
	}
	ps, err := c.Proofs()
	if err != nil || len(ps) != 2 {
		t.Fatalf("Proofs() = %+v, %v", ps, err)
	}
	p := ps[0]
	want := Proof{Pointer: "/proof/0", Raw: p.Raw, Type: "DataIntegrityProof", Cryptosuite: "eddsa-rdfc-2022",
		VerificationMethod: "did:key:z6Mk#z6Mk", ProofPurpose: "assertionMethod", Created: "2024-03-15T09:30:00Z",
		ProofValue: "z5abc", ID: "urn:uuid:p1", Challenge: "c1", Domain: []string{"a.example", "b.example"}, Nonce: "n"}
	deepEqual(t, "proof 0", want, p)
	if ct, ok, err := p.CreatedTime(); !ok || err != nil || !ct.Equal(time.Date(2024, 3, 15, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("CreatedTime() = %v %v %v", ct, ok, err)
	}
	if _, ok, err := p.ExpiresTime(); ok || err != nil {
		t.Errorf("ExpiresTime() = %v %v", ok, err)
	}
	p = ps[1]
	if p.VerificationMethod != "did:key:z6Mk#2" || !slices.Equal(p.PreviousProof, []string{"urn:uuid:p1"}) ||
		!slices.Equal(p.Domain, []string{"c.example"}) || p.Pointer != "/proof/1" {
		t.Errorf("proof 1 = %+v", p)
	}
	if ct, ok, err := p.CreatedTime(); !ok || err != nil || !ct.Equal(time.Date(2024, 3, 15, 9, 31, 0, 0, time.UTC)) {
		t.Errorf("CreatedTime() without zone = %v %v %v", ct, ok, err)
	}
	if n := len(c.RefreshService()); n != 1 {
		t.Errorf("RefreshService: %d entries", n)
	}
	if n := len(c.TermsOfUse()); n != 1 {
		t.Errorf("TermsOfUse: %d entries", n)
	}
	if n := len(c.Evidence()); n != 2 {
		t.Errorf("Evidence: %d entries", n)
	}
}

func TestAccessorsOnMinimalCredential(t *testing.T) {
	c := mustParse(t, `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential",
		"issuer":"https://example.org/issuers/1","credentialSubject":{"id":"did:example:s"}}`)
	if ps := c.CheckDataModel(); ps != nil {
		t.Fatalf("problems: %v", ps)
	}
	deepEqual(t, "Contexts", []any{ContextV2}, c.Contexts())
	deepEqual(t, "Types", []string{"VerifiableCredential"}, c.Types())
	if iss, err := c.Issuer(); err != nil || iss.ID != "https://example.org/issuers/1" || iss.Raw != nil {
		t.Errorf("Issuer() = %+v, %v", iss, err)
	}
	if _, ok, err := c.ValidFrom(); ok || err != nil {
		t.Errorf("ValidFrom: %v %v", ok, err)
	}
	if c.ID() != "" {
		t.Error("ID")
	}
	for name, v := range map[string]any{"Status": must(c.Status()), "Schemas": must(c.Schemas()), "Proofs": must(c.Proofs()),
		"RefreshService": c.RefreshService(), "TermsOfUse": c.TermsOfUse(), "Evidence": c.Evidence()} {
		if !reflect.ValueOf(v).IsNil() {
			t.Errorf("%s = %v, want nil", name, v)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestAccessorErrors(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		call    func(c *Credential) error
		pointer string
		kind    error
	}{
		{"issuer missing", `{}`, func(c *Credential) error { _, err := c.Issuer(); return err }, "/issuer", ErrInvalidValue},
		{"issuer number", `{"issuer":1}`, func(c *Credential) error { _, err := c.Issuer(); return err }, "/issuer", ErrInvalidValue},
		{"issuer not URL", `{"issuer":"Example Org"}`, func(c *Credential) error { _, err := c.Issuer(); return err }, "/issuer", ErrInvalidValue},
		{"issuer object without id", `{"issuer":{"name":"x"}}`, func(c *Credential) error { _, err := c.Issuer(); return err }, "/issuer/id", ErrInvalidValue},
		{"issuer id array", `{"issuer":{"id":["did:x:1"]}}`, func(c *Credential) error { _, err := c.Issuer(); return err }, "/issuer/id", ErrInvalidValue},
		{"validFrom no zone (2.0)", `{"@context":["https://www.w3.org/ns/credentials/v2"],"validFrom":"2024-01-01T00:00:00"}`,
			func(c *Credential) error { _, _, err := c.ValidFrom(); return err }, "/validFrom", ErrInvalidDateTime},
		{"validFrom number", `{"validFrom":20240101}`,
			func(c *Credential) error { _, _, err := c.ValidFrom(); return err }, "/validFrom", ErrInvalidDateTime},
		{"validUntil bad", `{"validUntil":"2024-02-30T00:00:00Z"}`,
			func(c *Credential) error { _, _, err := c.ValidUntil(); return err }, "/validUntil", ErrInvalidDateTime},
		{"expirationDate bad", `{"@context":["https://www.w3.org/2018/credentials/v1"],"expirationDate":"tomorrow"}`,
			func(c *Credential) error { _, _, err := c.ValidUntil(); return err }, "/expirationDate", ErrInvalidDateTime},
		{"subject missing", `{}`, func(c *Credential) error { _, err := c.Subjects(); return err }, "/credentialSubject", ErrInvalidValue},
		{"subject string", `{"credentialSubject":["did:x:1"]}`, func(c *Credential) error { _, err := c.Subjects(); return err }, "/credentialSubject/0", ErrInvalidValue},
		{"status string", `{"credentialStatus":"https://x.example/1"}`, func(c *Credential) error { _, err := c.Status(); return err }, "/credentialStatus", ErrInvalidValue},
		{"schema null", `{"credentialSchema":[{"id":"x:y","type":"T"},null]}`, func(c *Credential) error { _, err := c.Schemas(); return err }, "/credentialSchema/1", ErrInvalidValue},
		{"proof string", `{"proof":"eyJ..."}`, func(c *Credential) error { _, err := c.Proofs(); return err }, "/proof", ErrInvalidValue},
		{"proof created bad", `{"proof":{"type":"T","created":"yesterday"}}`, func(c *Credential) error {
			ps, _ := c.Proofs()
			_, _, err := ps[0].CreatedTime()
			return err
		}, "/proof/created", ErrInvalidDateTime},
		{"version unknown", `{"@context":["https://example.org/ctx"]}`, func(c *Credential) error { _, err := c.Version(); return err }, "/@context/0", ErrUnknownVersion},
		{"version no context", `{}`, func(c *Credential) error { _, err := c.Version(); return err }, "/@context", ErrUnknownVersion},
		{"version single context object", `{"@context":{"a":"b"}}`, func(c *Credential) error { _, err := c.Version(); return err }, "/@context", ErrUnknownVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(mustParse(t, tt.doc))
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("error %v (%T) is not a *Problem", err, err)
			}
			if p.Pointer != tt.pointer {
				t.Errorf("pointer %q, want %q", p.Pointer, tt.pointer)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("%v is not %v", err, tt.kind)
			}
			if !strings.HasPrefix(err.Error(), "vc: "+tt.pointer+": ") {
				t.Errorf("error text %q", err)
			}
		})
	}
}

func TestVersion1(t *testing.T) {
	c := mustParse(t, `{
		"@context": ["https://www.w3.org/2018/credentials/v1"],
		"type": "VerifiableCredential",
		"issuer": "did:example:issuer",
		"issuanceDate": "2010-01-01T19:23:24",
		"expirationDate": "2020-01-01T19:23:24-05:00",
		"credentialSubject": {"id": "did:example:s"}
	}`)
	if ps := c.CheckDataModel(); ps != nil {
		t.Fatalf("problems: %v", ps)
	}
	if v, err := c.Version(); v != V1 || err != nil || v.String() != "VCDM 1.1" {
		t.Errorf("Version() = %v, %v", v, err)
	}
	from, ok, err := c.ValidFrom()
	if !ok || err != nil || !from.Equal(time.Date(2010, 1, 1, 19, 23, 24, 0, time.UTC)) {
		t.Errorf("ValidFrom() = %v %v %v", from, ok, err)
	}
	until, ok, err := c.ValidUntil()
	if !ok || err != nil || !until.Equal(time.Date(2020, 1, 2, 0, 23, 24, 0, time.UTC)) {
		t.Errorf("ValidUntil() = %v %v %v", until, ok, err)
	}

	// validFrom in a 1.1 credential is xsd:dateTime too, and takes precedence.
	c = mustParse(t, `{"@context":["https://www.w3.org/2018/credentials/v1"],"validFrom":"2011-01-01T00:00:00","issuanceDate":"2010-01-01T00:00:00Z"}`)
	if from, _, err := c.ValidFrom(); err != nil || from.Year() != 2011 {
		t.Errorf("ValidFrom() = %v, %v", from, err)
	}

	// A 1.1 credential must have issuanceDate.
	c = mustParse(t, `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],
		"issuer":"did:example:i","credentialSubject":{"id":"did:example:s"}}`)
	ps := c.CheckDataModel()
	if len(ps) != 1 || ps[0].Rule != "validity" || ps[0].Pointer != "/issuanceDate" {
		t.Errorf("problems: %v", ps)
	}
}

func TestCheckDataModelProblems(t *testing.T) {
	base := func(extra string) string {
		return `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
			"issuer":"did:example:i","credentialSubject":{"id":"did:example:s"}` + extra + `}`
	}
	tests := []struct {
		name    string
		doc     string
		rule    string
		pointer string
	}{
		{"context not array or string", `{"@context":5,"type":"VerifiableCredential","issuer":"did:x:i","credentialSubject":{"a":1}}`, "context", "/@context"},
		{"type empty array", `{"@context":"https://www.w3.org/ns/credentials/v2","type":[],"issuer":"did:x:i","credentialSubject":{"a":1}}`, "type", "/type"},
		{"type empty string", `{"@context":"https://www.w3.org/ns/credentials/v2","type":["VerifiableCredential",""],"issuer":"did:x:i","credentialSubject":{"a":1}}`, "type", "/type/1"},
		{"issuer object id not url", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","issuer":{"id":"x y"},"credentialSubject":{"a":1}}`, "issuer", "/issuer/id"},
		{"subject empty array", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","issuer":"did:x:i","credentialSubject":[]}`, "credentialSubject", "/credentialSubject"},
		{"subject id number", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","issuer":"did:x:i","credentialSubject":{"id":5}}`, "credentialSubject", "/credentialSubject/id"},
		{"validFrom without zone", base(`,"validFrom":"2024-01-01T00:00:00"`), "validity", "/validFrom"},
		{"validUntil before validFrom", base(`,"validFrom":"2024-01-02T00:00:00Z","validUntil":"2024-01-01T23:00:00-00:30"`), "validity.order", "/validUntil"},
		{"status array entry not object", base(`,"credentialStatus":[{"type":"T"},"x"]`), "credentialStatus", "/credentialStatus/1"},
		{"status type empty array", base(`,"credentialStatus":{"type":[]}`), "credentialStatus", "/credentialStatus/type"},
		{"schema id null", base(`,"credentialSchema":{"type":"T","id":null}`), "credentialSchema", "/credentialSchema/id"},
		{"evidence id not url", base(`,"evidence":[{"type":"E","id":"not a url"}]`), "evidence", "/evidence/0/id"},
		{"proof id not url", base(`,"proof":{"type":"DataIntegrityProof","id":"p 1"}`), "proof", "/proof/id"},
		{"proof entry array", base(`,"proof":[[{"type":"T"}]]`), "proof", "/proof/0"},
		{"name number", base(`,"name":5`), "name", "/name"},
		{"name value without @value", base(`,"name":{"@language":"en"}`), "name", "/name"},
		{"description bad direction", base(`,"description":[{"@value":"x","@direction":"up"}]`), "description", "/description/0"},
		{"name empty language", base(`,"name":{"@value":"x","@language":""}`), "name", "/name"},
		{"json pointer escaping", base(`,"credentialSchema":{"type":"T"}`), "credentialSchema", "/credentialSchema/id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := mustParse(t, tt.doc).CheckDataModel()
			for _, p := range ps {
				if p.Rule == tt.rule && p.Pointer == tt.pointer {
					if !errors.Is(p, ErrInvalidValue) && !errors.Is(p, ErrInvalidDateTime) && !errors.Is(p, ErrUnknownVersion) {
						t.Errorf("problem %v wraps %v", p, p.Err)
					}
					return
				}
			}
			t.Errorf("want rule %q at %q, got %v", tt.rule, tt.pointer, ps)
		})
	}
}

func TestValidateError(t *testing.T) {
	c := mustParse(t, `{"@context":["https://example.org/x"],"type":"X"}`)
	err := c.Validate()
	var dme *DataModelError
	if !errors.As(err, &dme) || len(dme.Problems) < 3 {
		t.Fatalf("Validate() = %v", err)
	}
	if !errors.Is(err, ErrUnknownVersion) {
		t.Error("DataModelError does not unwrap to ErrUnknownVersion")
	}
	var p *Problem
	if !errors.As(err, &p) || p.Pointer != "/@context/0" {
		t.Errorf("errors.As(*Problem) = %+v", p)
	}
	if !strings.Contains(err.Error(), "more)") {
		t.Errorf("Error() = %q", err)
	}
}

func TestRawMapDocument(t *testing.T) {
	in := []byte(`{"b": 1.0, "a": ["x", {"y": null}], "proof": {"type": "T"}}`)
	c, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	in[0] = '[' // the credential kept its own copy
	raw := c.Raw()
	if string(raw) != `{"b": 1.0, "a": ["x", {"y": null}], "proof": {"type": "T"}}` {
		t.Errorf("Raw() = %s", raw)
	}
	raw[0] = 'X' // and Raw returns a copy
	if c.Raw()[0] != '{' {
		t.Error("Raw() shares memory")
	}

	doc := c.Document()
	deepEqual(t, "Document", c.Map(), doc)
	doc["a"].([]any)[1].(map[string]any)["y"] = "changed"
	if c.Map()["a"].([]any)[1].(map[string]any)["y"] != nil {
		t.Error("Document() is not a deep copy")
	}

	wp := c.WithoutProof()
	if _, ok := wp["proof"]; ok {
		t.Error("WithoutProof kept proof")
	}
	if _, ok := c.Map()["proof"]; !ok {
		t.Error("WithoutProof changed the credential")
	}
	wp["a"].([]any)[0] = "changed"
	if c.Map()["a"].([]any)[0] != "x" {
		t.Error("WithoutProof() is not a deep copy")
	}

	b, err := Marshal(wp)
	if err != nil || string(b) != `{"a":["changed",{"y":null}],"b":1.0}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
}

func TestMarshal(t *testing.T) {
	b, err := Marshal(map[string]any{"html": "<a&b>", "n": json.Number("1e400"), "u": "é\u2028"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"html":"<a&b>","n":1e400,"u":"é\u2028"}`; string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	if _, err := Marshal(map[string]any{"n": json.Number("NaN")}); err == nil || !strings.HasPrefix(err.Error(), "vc: marshal: ") {
		t.Errorf("Marshal(bad number) error = %v", err)
	}
	if CopyDocument(nil) != nil {
		t.Error("CopyDocument(nil)")
	}
}

func TestFromDocument(t *testing.T) {
	doc := map[string]any{
		"@context":          []any{ContextV2},
		"type":              []string{"VerifiableCredential"}, // not a decoded shape: normalized by the round trip
		"issuer":            "did:example:i",
		"credentialSubject": map[string]any{"id": "did:example:s", "score": 7},
	}
	c, err := FromDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	if ps := c.CheckDataModel(); ps != nil {
		t.Errorf("problems: %v", ps)
	}
	deepEqual(t, "type", []any{"VerifiableCredential"}, c.Map()["type"])
	deepEqual(t, "score", json.Number("7"), c.Map()["credentialSubject"].(map[string]any)["score"])
	if _, err := FromDocument(map[string]any{"f": func() {}}); err == nil {
		t.Error("FromDocument(func) succeeded")
	}
}

func TestRealisticCredentials(t *testing.T) {
	for _, name := range []string{"ob-realistic-safe.json", "ob-full-safe.json"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + name)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if ps := c.CheckDataModel(); ps != nil {
				t.Errorf("problems: %v", ps)
			}
			if !c.HasType("OpenBadgeCredential") && !c.HasType("AchievementCredential") {
				t.Errorf("types %v", c.Types())
			}
			if iss, err := c.Issuer(); err != nil || iss.ID == "" {
				t.Errorf("Issuer() = %+v, %v", iss, err)
			}
		})
	}
}

func TestVersionString(t *testing.T) {
	if VersionUnknown.String() != "unknown" {
		t.Error(VersionUnknown.String())
	}
}
