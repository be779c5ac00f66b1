package badge

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc"
)

// minimal is a credential with one of everything a test may replace.
const minimal = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:1",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": "did:web:example.edu",
  "validFrom": "2024-09-01T00:00:00Z",
  "credentialSubject": {
    "id": "did:example:learner",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://example.edu/a", "type": ["Achievement"], "name": "A", "description": "B",
      "criteria": {"narrative": "C"}
    }
  }
}`

func mustParse(t *testing.T, s string) *AchievementCredential {
	t.Helper()
	c, err := ParseCredential([]byte(s))
	if err != nil {
		t.Fatalf("ParseCredential: %v", err)
	}
	return c
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return string(b)
}

// replace returns minimal with old replaced by new (old must occur).
func replace(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(minimal, old) {
		t.Fatalf("minimal has no %q", old)
	}
	return strings.Replace(minimal, old, new, 1)
}

func TestAccessors(t *testing.T) {
	c := mustParse(t, minimal)
	if c.Issuer.ID != "did:web:example.edu" || !c.Issuer.IsRef() {
		t.Errorf("Issuer = %+v", c.Issuer)
	}
	if got := c.CredentialSubject[0].Achievement.Name.String(); got != "A" {
		t.Errorf("achievement name = %q", got)
	}
	if c.Achievement() != c.CredentialSubject[0].Achievement || c.Subject() != &c.CredentialSubject[0] {
		t.Error("Subject/Achievement do not return the first subject's")
	}
	if want := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC); !c.ValidFrom.Time().Equal(want) {
		t.Errorf("ValidFrom = %v", c.ValidFrom.Time())
	}
	if (&AchievementCredential{}).Subject() != nil || (&AchievementCredential{}).Achievement() != nil {
		t.Error("empty credential has a subject")
	}
}

func TestSingleOrArray(t *testing.T) {
	c := mustParse(t, replace(t, `"type": ["Achievement"]`, `"type": "Achievement", "alignment": {"type": "Alignment", "targetName": "X", "targetUrl": "https://x"}, "tag": "t"`))
	a := c.Achievement()
	if !reflect.DeepEqual(a.Type, Many[string]{"Achievement"}) || len(a.Alignment) != 1 || !reflect.DeepEqual(a.Tag, Many[string]{"t"}) {
		t.Fatalf("single values not read as lists: %+v", a)
	}
	out := mustMarshal(t, a)
	for _, want := range []string{`"type":["Achievement"]`, `"alignment":[{"type":["Alignment"]`, `"tag":["t"]`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s: %s", want, out)
		}
	}
	// OneOrMany: a one-element array is written as the element.
	c = mustParse(t, strings.Replace(replace(t, `"credentialSubject": {`, `"credentialSubject": [{`), `}
  }
}`, `}
  }]
}`, 1))
	if len(c.CredentialSubject) != 1 {
		t.Fatalf("credentialSubject = %+v", c.CredentialSubject)
	}
	if out := mustMarshal(t, c); !strings.Contains(out, `"credentialSubject":{"id"`) {
		t.Errorf("single subject not written as an object: %s", out)
	}
	// Two subjects stay an array.
	c.CredentialSubject = append(c.CredentialSubject, c.CredentialSubject[0])
	if out := mustMarshal(t, c); !strings.Contains(out, `"credentialSubject":[{`) {
		t.Errorf("two subjects not written as an array: %s", out)
	}
	var img Image
	if err := json.Unmarshal([]byte(`{"id": "https://x/i.png", "type": ["Image"]}`), &img); err != nil {
		t.Fatal(err)
	}
	if out := mustMarshal(t, img); out != `{"id":"https://x/i.png","type":"Image"}` {
		t.Errorf("Image = %s", out)
	}
}

func TestIRIOrObject(t *testing.T) {
	c := mustParse(t, minimal)
	if out := mustMarshal(t, c); !strings.Contains(out, `"issuer":"did:web:example.edu"`) {
		t.Errorf("issuer IRI not kept: %s", out)
	}
	c.Issuer.Name = NewText("Example University")
	c.Issuer.Type = Many[string]{TypeProfile}
	if out := mustMarshal(t, c); !strings.Contains(out, `"issuer":{"id":"did:web:example.edu","type":["Profile"],"name":"Example University"}`) {
		t.Errorf("issuer with a name not written as an object: %s", out)
	}
	// An object with only an id stays an object (for creator, JSON-LD
	// reads "x" and {"id": "x"} differently).
	var p Profile
	if err := json.Unmarshal([]byte(`{"id": "did:x"}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.IsRef() || mustMarshal(t, p) != `{"id":"did:x"}` {
		t.Errorf("object with only an id: %s", mustMarshal(t, p))
	}
	for _, v := range []any{NewProfileRef("did:x"), NewImageRef("data:image/png;base64,AA==")} {
		if out := mustMarshal(t, v); !strings.HasPrefix(out, `"`) {
			t.Errorf("ref written as %s", out)
		}
	}
	c = mustParse(t, replace(t, `"criteria": {"narrative": "C"}`, `"criteria": "https://example.edu/criteria", "image": "https://example.edu/i.png"`))
	a := c.Achievement()
	if !a.Criteria.IsRef() || a.Criteria.ID != "https://example.edu/criteria" || !a.Image.IsRef() {
		t.Errorf("criteria/image refs: %+v %+v", a.Criteria, a.Image)
	}
	if out := mustMarshal(t, a); !strings.Contains(out, `"criteria":"https://example.edu/criteria","image":"https://example.edu/i.png"`) {
		t.Errorf("refs not kept: %s", out)
	}
	c = mustParse(t, replace(t, `"achievement": {`, `"achievement": "https://example.edu/a", "x": {`))
	if !c.Achievement().IsRef() || c.Achievement().ID != "https://example.edu/a" {
		t.Errorf("achievement ref: %+v", c.Achievement())
	}
}

func TestUnknownMembersSurvive(t *testing.T) {
	in := replace(t, `"criteria": {"narrative": "C"}`, `"criteria": {"narrative": "C", "x:y": [1.50, {"deep": null}]}, "ECTS": 5.0, "big": 123456789012345678901234567890`)
	in = strings.Replace(in, `"id": "urn:uuid:1",`, `"id": "urn:uuid:1", "evidenceNote": {"a": "b"},`, 1)
	c := mustParse(t, in)
	a := c.Achievement()
	if a.Extra["ECTS"] != json.Number("5.0") || a.Extra["big"] != json.Number("123456789012345678901234567890") {
		t.Errorf("numbers not kept exactly: %#v", a.Extra)
	}
	out := mustMarshal(t, c)
	for _, want := range []string{`"ECTS":5.0`, `"big":123456789012345678901234567890`, `"x:y":[1.50,{"deep":null}]`, `"evidenceNote":{"a":"b"}`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s: %s", want, out)
		}
	}
}

func TestEmptyValuesSurvive(t *testing.T) {
	in := replace(t, `"criteria": {"narrative": "C"}`, `"criteria": {"narrative": "C"}, "humanCode": "", "alignment": [], "image": null, "fieldOfStudy": {}`)
	c := mustParse(t, in)
	a := c.Achievement()
	if a.HumanCode != "" || a.Alignment != nil || a.Image != nil || !a.FieldOfStudy.IsZero() {
		t.Errorf("empty values set fields: %+v", a)
	}
	out := mustMarshal(t, a)
	for _, want := range []string{`"humanCode":""`, `"alignment":[]`, `"image":null`, `"fieldOfStudy":{}`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s: %s", want, out)
		}
	}
	// Setting the field replaces the empty value kept in Extra.
	a.HumanCode = "X1"
	if out := mustMarshal(t, a); !strings.Contains(out, `"humanCode":"X1"`) || strings.Contains(out, `"humanCode":""`) {
		t.Errorf("field set over an empty extra: %s", out)
	}
	// A non-empty extra under a field's name, with the field set, would be
	// written twice: an error, not a silent choice.
	a.Extra["humanCode"] = "X2"
	if _, err := json.Marshal(a); err == nil || !strings.Contains(err.Error(), "humanCode") {
		t.Errorf("Marshal with a field set twice: %v", err)
	}
	a.HumanCode = ""
	if out := mustMarshal(t, a); !strings.Contains(out, `"humanCode":"X2"`) {
		t.Errorf("extra under a field's name, field empty: %s", out)
	}
}

func TestNumbers(t *testing.T) {
	c := mustParse(t, replace(t, `"criteria": {"narrative": "C"}`, `"criteria": {"narrative": "C"}, "creditsAvailable": 36.0`))
	if c.Achievement().CreditsAvailable != "36.0" {
		t.Errorf("creditsAvailable = %q", c.Achievement().CreditsAvailable)
	}
	if out := mustMarshal(t, c.Achievement()); !strings.Contains(out, `"creditsAvailable":36.0`) {
		t.Errorf("output: %s", out)
	}
	_, err := ParseCredential([]byte(replace(t, `"criteria": {"narrative": "C"}`, `"criteria": {"narrative": "C"}, "creditsAvailable": "36"`)))
	assertDecodeError(t, err, "/credentialSubject/achievement/creditsAvailable")
}

func assertDecodeError(t *testing.T, err error, ptr string) {
	t.Helper()
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error = %v, want a *DecodeError", err)
	}
	if de.Pointer != ptr {
		t.Errorf("pointer = %q, want %q (%v)", de.Pointer, ptr, err)
	}
	if !strings.Contains(err.Error(), ptr) {
		t.Errorf("message %q does not name %s", err, ptr)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ old, new, ptr string }{
		{`"name": "A"`, `"name": 5`, "/credentialSubject/achievement/name"},
		{`"id": "urn:uuid:1"`, `"id": ["urn:uuid:1"]`, "/id"},
		{`"issuer": "did:web:example.edu"`, `"issuer": 7`, "/issuer"},
		{`"validFrom": "2024-09-01T00:00:00Z"`, `"validFrom": 2024`, "/validFrom"},
		{`"type": ["Achievement"]`, `"type": ["Achievement", 3]`, "/credentialSubject/achievement/type/1"},
		{`"criteria": {"narrative": "C"}`, `"criteria": {"narrative": "C"}, "alignment": [{"targetName": "x"}, {"targetName": true}]`, "/credentialSubject/achievement/alignment/1/targetName"},
		{`"criteria": {"narrative": "C"}`, `"criteria": []`, "/credentialSubject/achievement/criteria"},
		{`"criteria": {"narrative": "C"}`, `"criteria": {"narrative": "C"}, "fieldOfStudy": {"@value": "x", "@type": "y"}`, "/credentialSubject/achievement/fieldOfStudy/@type"},
		{`"id": "did:example:learner",`, `"id": "did:example:learner", "identifier": {"type": "IdentityObject", "hashed": "yes"},`, "/credentialSubject/identifier/hashed"},
		{`"credentialSubject": {`, `"proof": [{"type": "x"}, "z"], "credentialSubject": {`, "/proof/1"},
		{`"validFrom"`, `"issuanceDate": 5, "validFrom"`, "/issuanceDate"},
	}
	for _, tt := range tests {
		t.Run(tt.ptr, func(t *testing.T) {
			_, err := ParseCredential([]byte(replace(t, tt.old, tt.new)))
			assertDecodeError(t, err, tt.ptr)
		})
	}
}

func TestParseLimits(t *testing.T) {
	_, err := ParseCredential([]byte(`{"id": "a", "id": "b"}`))
	if !errors.Is(err, vc.ErrDuplicateKey) {
		t.Errorf("duplicate key: %v", err)
	}
	deep := strings.Repeat(`{"a":`, 70) + "1" + strings.Repeat("}", 70)
	if _, err := ParseCredential([]byte(deep)); !errors.Is(err, vc.ErrTooDeep) {
		t.Errorf("deep: %v", err)
	}
	big := `{"x": "` + strings.Repeat("a", 1<<20) + `"}`
	if _, err := ParseCredential([]byte(big)); !errors.Is(err, vc.ErrTooLarge) {
		t.Errorf("large: %v", err)
	}
	if _, err := ParseCredential([]byte(`[1]`)); !errors.Is(err, vc.ErrNotObject) {
		t.Errorf("array: %v", err)
	}
	// UnmarshalJSON on its own rejects duplicate keys too, at any depth.
	var a Achievement
	err = json.Unmarshal([]byte(`{"criteria": {"narrative": "a", "narrative": "b"}}`), &a)
	if !errors.Is(err, ErrDuplicateKey) {
		t.Errorf("nested duplicate: %v", err)
	}
	assertDecodeError(t, err, "/criteria/narrative")
	err = json.Unmarshal([]byte(`{"x": {"k": 1, "k": 2}}`), &a)
	if !errors.Is(err, ErrDuplicateKey) {
		t.Errorf("duplicate in an extra: %v", err)
	}
	assertDecodeError(t, err, "/x/k")
}

func TestVCDM11Upgrade(t *testing.T) {
	in := `{
	  "@context": ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json", "https://w3id.org/security/data-integrity/v1", "https://example.org/ctx"],
	  "id": "urn:x", "type": ["VerifiableCredential", "AchievementCredential"],
	  "issuer": {"id": "did:web:example.edu", "type": "Profile"},
	  "issuanceDate": "2022-11-27T00:00:00",
	  "expirationDate": "2030-01-01T00:00:00.50+01:00",
	  "credentialSubject": {"id": "did:x", "type": "AchievementSubject"}
	}`
	c := mustParse(t, in)
	if c.ValidFrom.String() != "2022-11-27T00:00:00Z" || c.ValidUntil.String() != "2030-01-01T00:00:00.50+01:00" {
		t.Errorf("dates: %q %q", c.ValidFrom, c.ValidUntil)
	}
	wantCtx := Many[any]{ld.CredentialsV2URL, ld.OB303URL, "https://example.org/ctx"}
	if !reflect.DeepEqual(c.Context, wantCtx) {
		t.Errorf("Context = %v", c.Context)
	}
	if c.Extra != nil {
		t.Errorf("Extra = %v", c.Extra)
	}
	out := mustMarshal(t, c)
	if strings.Contains(out, "issuanceDate") || !strings.Contains(out, `"validFrom":"2022-11-27T00:00:00Z","validUntil":"2030-01-01T00:00:00.50+01:00"`) {
		t.Errorf("output: %s", out)
	}
	// Both names: the VCDM 2.0 one wins, the 1.1 one has no term in
	// credentials/v2 and is dropped.
	c = mustParse(t, replace(t, `"validFrom": "2024-09-01T00:00:00Z"`, `"validFrom": "2024-09-01T00:00:00Z", "issuanceDate": "2020-01-01T00:00:00Z"`))
	if c.ValidFrom.String() != "2024-09-01T00:00:00Z" || c.Extra != nil {
		t.Errorf("ValidFrom = %v, Extra = %v", c.ValidFrom, c.Extra)
	}
	// A zone-less validFrom in a VCDM 2.0 credential is kept as it is
	// (Check reports it).
	c = mustParse(t, replace(t, `"2024-09-01T00:00:00Z"`, `"2024-09-01T00:00:00"`))
	if c.ValidFrom.String() != "2024-09-01T00:00:00" {
		t.Errorf("ValidFrom = %v", c.ValidFrom)
	}
}

func TestCanonicalContext(t *testing.T) {
	v2, ob, ext := ld.CredentialsV2URL, ld.OB303URL, ld.OBExtensionsURL
	inline := map[string]any{"x": "https://example.org/x"}
	tests := []struct {
		in   []any
		ext  bool
		want Many[any]
	}{
		{nil, false, Many[any]{v2, ob}},
		{[]any{v2, ob}, false, Many[any]{v2, ob}},
		{[]any{v2, ob}, true, Many[any]{v2, ob, ext}},
		{[]any{v2, ob, ext}, false, Many[any]{v2, ob, ext}},
		{[]any{ob}, false, Many[any]{v2, ob}},
		{[]any{ld.CredentialsV1URL, "https://purl.imsglobal.org/spec/ob/v3p0/context.json", ld.Ed25519Suite2020URL}, false, Many[any]{v2, ob, ld.Ed25519Suite2020URL}},
		{[]any{v2, "https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld", "https://example.org/a", inline, "https://example.org/a", ext}, false, Many[any]{v2, ob, ext, "https://example.org/a", inline}},
		{[]any{v2, ld.OB302URL, ld.DataIntegrityV2URL}, false, Many[any]{v2, ob}},
	}
	for _, tt := range tests {
		if got := canonicalContext(tt.in, tt.ext); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("canonicalContext(%v, %v) = %v, want %v", tt.in, tt.ext, got, tt.want)
		}
	}
	for u, want := range map[string]bool{
		ld.OB301URL: true, ld.OB302URL: true, ld.OB303URL: true,
		"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.0.json": true,
		"https://purl.imsglobal.org/spec/ob/v3p0/context.json":       true,
		ld.OBExtensionsURL: false, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.jsonx": false,
	} {
		if IsOBContext(u) != want {
			t.Errorf("IsOBContext(%q) = %v", u, !want)
		}
	}
	// A credential built in Go that uses a 1EdTech type gets the
	// extensions context.
	c := mustParse(t, minimal)
	c.CredentialStatus = OneOrMany[CredentialStatus]{{ID: "https://example.edu/revocations", Type: OneOrMany[string]{Type1EdTechRevocationList}}}
	if out := mustMarshal(t, c); !strings.Contains(out, `"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json","https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]`) {
		t.Errorf("extensions context not added: %s", out)
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		in   string
		want Text
		out  string // "" means the same as in
	}{
		{`"plain"`, Text{Value: "plain"}, ""},
		{`{"@value":"Hallo","@language":"nl"}`, Text{Langs: []LangString{{Value: "Hallo", Lang: "nl"}}}, ""},
		{`{"@value":"x"}`, Text{Value: "x"}, `"x"`},
		{`["x"]`, Text{Value: "x"}, `"x"`},
		{`[{"@value":"Hello","@language":"en"},{"@value":"مرحبا","@language":"ar","@direction":"rtl"}]`,
			Text{Langs: []LangString{{Value: "Hello", Lang: "en"}, {Value: "مرحبا", Lang: "ar", Dir: "rtl"}}}, ""},
		{`["a",{"@value":"b","@language":"en"},"c"]`, Text{Value: "a", Langs: []LangString{{Value: "b", Lang: "en"}, {Value: "c"}}}, ""},
		{`{"en":"Hello","nl":"Hallo"}`, Text{Langs: []LangString{{Value: "Hello", Lang: "en"}, {Value: "Hallo", Lang: "nl"}}, LanguageMap: true}, ""},
		{`{"@none":"x","en":["a","b"]}`, Text{Value: "x", Langs: []LangString{{Value: "a", Lang: "en"}, {Value: "b", Lang: "en"}}, LanguageMap: true}, ""},
	}
	for _, tt := range tests {
		var got Text
		if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
			t.Errorf("Unmarshal(%s): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Unmarshal(%s) = %#v, want %#v", tt.in, got, tt.want)
		}
		want := tt.out
		if want == "" {
			want = tt.in
		}
		if out := mustMarshal(t, got); out != want {
			t.Errorf("Marshal(%s) = %s, want %s", tt.in, out, want)
		}
	}
	for _, bad := range []string{`5`, `true`, `[5]`, `{"@value": 5}`, `{"@language": "en"}`, `{"en": 5}`, `{"@value":"x","@id":"y"}`} {
		var got Text
		if err := json.Unmarshal([]byte(bad), &got); err == nil {
			t.Errorf("Unmarshal(%s) = %#v, want an error", bad, got)
		}
	}
	x := Text{Value: "Data Literacy", Langs: []LangString{{Value: "Datageletterdheid", Lang: "nl"}}}
	if x.String() != "Data Literacy" || x.In("nl") != "Datageletterdheid" || x.In("de") != "Data Literacy" {
		t.Errorf("String/In: %q %q %q", x.String(), x.In("nl"), x.In("de"))
	}
	if (Text{Langs: []LangString{{Value: "Hallo", Lang: "nl"}}}).String() != "Hallo" {
		t.Error("String of a tagged-only Text")
	}
	if _, err := json.Marshal(Text{Langs: []LangString{{Value: "x", Lang: "ar", Dir: "rtl"}}, LanguageMap: true}); err == nil {
		t.Error("a language map with a direction must not marshal")
	}
}

func TestDateTime(t *testing.T) {
	var d DateTime
	if err := json.Unmarshal([]byte(`"2024-05-01T12:00:00.120+02:00"`), &d); err != nil {
		t.Fatal(err)
	}
	if d.String() != "2024-05-01T12:00:00.120+02:00" || d.Err() != nil || !d.HasZone() {
		t.Errorf("d = %q, %v", d, d.Err())
	}
	if want := time.Date(2024, 5, 1, 10, 0, 0, 120e6, time.UTC); !d.Time().Equal(want) {
		t.Errorf("Time = %v", d.Time())
	}
	if mustMarshal(t, d) != `"2024-05-01T12:00:00.120+02:00"` {
		t.Errorf("lexical form not kept: %s", mustMarshal(t, d))
	}
	if err := json.Unmarshal([]byte(`"next tuesday"`), &d); err != nil {
		t.Fatal(err)
	}
	if d.Err() == nil || !d.Time().IsZero() || d.IsZero() || mustMarshal(t, d) != `"next tuesday"` {
		t.Errorf("invalid date: %q %v", d, d.Err())
	}
	n := NewDateTime(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	if n.String() != "2024-05-01T12:00:00Z" || !n.HasZone() {
		t.Errorf("NewDateTime = %q", n)
	}
	if !NewDateTime(time.Time{}).IsZero() {
		t.Error("NewDateTime(zero) is not zero")
	}
	if z, _ := ParseDateTime("2024-05-01T12:00:00"); z.HasZone() || z.withZone().String() != "2024-05-01T12:00:00Z" {
		t.Errorf("withZone: %q", z.withZone())
	}
}

func TestProof(t *testing.T) {
	c := mustParse(t, replace(t, `"credentialSubject": {`, `"proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2024-01-01T00:00:00Z", "verificationMethod": "did:key:z6Mk#z6Mk", "proofPurpose": "assertionMethod", "proofValue": "z58", "x": 1.0}, "credentialSubject": {`))
	if len(c.Proof) != 1 {
		t.Fatalf("proof = %v", c.Proof)
	}
	p := c.Proof[0]
	if p.Type() != "DataIntegrityProof" || p.Cryptosuite() != "eddsa-rdfc-2022" || p.VerificationMethod() != "did:key:z6Mk#z6Mk" ||
		p.ProofPurpose() != "assertionMethod" || p.ProofValue() != "z58" || p["x"] != json.Number("1.0") {
		t.Errorf("proof accessors: %v", p)
	}
	if tm, ok := p.Created(); !ok || tm.Year() != 2024 {
		t.Errorf("Created = %v %v", tm, ok)
	}
	if vp := p.VC("/proof/0"); vp.Cryptosuite != "eddsa-rdfc-2022" || vp.Pointer != "/proof/0" {
		t.Errorf("VC() = %+v", vp)
	}
	if out := mustMarshal(t, c); !strings.Contains(out, `"proof":[{`) || !strings.Contains(out, `"x":1.0`) {
		t.Errorf("proof not written as an array: %s", out)
	}
}

func TestEnums(t *testing.T) {
	for _, v := range achievementTypes {
		if !v.Valid() {
			t.Errorf("%q not valid", v)
		}
	}
	for _, v := range resultTypes {
		if !v.Valid() {
			t.Errorf("%q not valid", v)
		}
	}
	for _, v := range resultStatusTypes {
		if !v.Valid() {
			t.Errorf("%q not valid", v)
		}
	}
	for _, v := range alignmentTargetTypes {
		if !v.Valid() {
			t.Errorf("%q not valid", v)
		}
	}
	for _, v := range identifierTypes {
		if !v.Valid() {
			t.Errorf("%q not valid", v)
		}
	}
	if len(achievementTypes) != 31 || len(resultTypes) != 12 || len(resultStatusTypes) != 7 || len(alignmentTargetTypes) != 7 || len(identifierTypes) != 19 {
		t.Error("enumeration lists do not have the schema's lengths")
	}
	for s, want := range map[string]bool{
		"ext:EQF": true, "ext:a.b-c_d9": true, "ext:": false, "ext: x": false, "EXT:x": false,
		"xext:y": false, "ext:x|y": false, "ext:é": false, "": false,
	} {
		if IsExtension(s) != want {
			t.Errorf("IsExtension(%q) = %v", s, !want)
		}
	}
	if !AchievementType("ext:Minor").Valid() || AchievementType("minor").Valid() ||
		!IdentifierType("ext:BRIN").Valid() || IdentifierType("email").Valid() ||
		ResultStatusType("ext:Done").Valid() || !ResultType("ext:ECTSGradeScore").Valid() ||
		!AlignmentTargetType("ext:EQF").Valid() || AlignmentTargetType("EQF").Valid() {
		t.Error("Valid")
	}
}
