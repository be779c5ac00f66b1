package badge

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/microcred/microcred/internal/jsonx"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc"
)

// The round-trip tests read every example, write it back, and compare the
// output with the input after applying to the input exactly the
// canonicalizations MarshalJSON is meant to make (and nothing else):
//
//  1. @context of a credential (top level and nested endorsements): the
//     canonical list — credentials/v2, OB 3.0.3, extensions.json when a
//     1EdTech type is used or it was listed, then the other entries in
//     order (VCDM 1.1 base, OB 3.0.0–3.0.2/unversioned and Data
//     Integrity v1/v2 contexts dropped, duplicates dropped).
//  2. issuanceDate/expirationDate renamed validFrom/validUntil (the 1.1
//     name dropped when the 2.0 one is present); in a credential whose
//     base context was VCDM 1.1, a date-time without a zone gets "Z".
//  3. Multi-valued properties (Many) as arrays; single-valued ones
//     (OneOrMany: credentialSubject, credentialStatus, refreshService, the
//     type of Image/IdentityObject/IdentifierEntry/GeoCoordinates and of
//     the VC plumbing) as the value when the input had a one-element array.
//  4. Text: a value object without language or direction, or a
//     one-element array of a plain string, as the plain string.
//  5. IdentityObject: a missing "hashed" written as false.
//
// Every other member, including ones the model does not know, must come
// back with the same value (numbers with the same lexical form).

type card int

const (
	one       card = iota // a single value; an array stays an array
	many                  // written as an array
	oneOrMany             // written as a single value when it has one entry
)

type prop struct {
	card  card
	class string // class of the values, "" for scalars
}

// model is the expected shape of the canonical form, written down
// independently of the implementation.
var model = map[string]map[string]prop{
	"AchievementCredential": {
		"type": {many, ""}, "issuer": {one, "Profile"}, "image": {one, "Image"},
		"credentialSubject": {oneOrMany, "AchievementSubject"}, "evidence": {many, "Evidence"},
		"endorsement": {many, "EndorsementCredential"}, "endorsementJwt": {many, ""},
		"credentialSchema": {many, "Plumbing"}, "credentialStatus": {oneOrMany, "Plumbing"},
		"refreshService": {oneOrMany, "Plumbing"}, "termsOfUse": {many, "Plumbing"},
		"proof": {many, ""}, "name": {one, "Text"}, "description": {one, "Text"},
	},
	"EndorsementCredential": {
		"type": {many, ""}, "issuer": {one, "Profile"},
		"credentialSubject": {oneOrMany, "EndorsementSubject"},
		"credentialSchema":  {many, "Plumbing"}, "credentialStatus": {oneOrMany, "Plumbing"},
		"refreshService": {oneOrMany, "Plumbing"}, "termsOfUse": {many, "Plumbing"},
		"proof": {many, ""}, "name": {one, "Text"}, "description": {one, "Text"},
	},
	"AchievementSubject": {
		"type": {many, ""}, "achievement": {one, "Achievement"}, "identifier": {many, "IdentityObject"},
		"image": {one, "Image"}, "result": {many, "Result"}, "source": {one, "Profile"},
		"narrative": {one, "Text"}, "role": {one, "Text"}, "term": {one, "Text"},
	},
	"Achievement": {
		"type": {many, ""}, "criteria": {one, "Criteria"}, "image": {one, "Image"},
		"creator": {one, "Profile"}, "tag": {many, ""}, "alignment": {many, "Alignment"},
		"endorsement": {many, "EndorsementCredential"}, "endorsementJwt": {many, ""},
		"otherIdentifier": {many, "IdentifierEntry"}, "related": {many, "Related"},
		"resultDescription": {many, "ResultDescription"},
		"name":              {one, "Text"}, "description": {one, "Text"}, "fieldOfStudy": {one, "Text"},
		"specialization": {one, "Text"},
	},
	"Profile": {
		"type": {many, ""}, "image": {one, "Image"}, "address": {one, "Address"},
		"parentOrg": {one, "Profile"}, "otherIdentifier": {many, "IdentifierEntry"},
		"endorsement": {many, "EndorsementCredential"}, "endorsementJwt": {many, ""},
		"name": {one, "Text"}, "description": {one, "Text"}, "official": {one, "Text"},
	},
	"Address":              {"type": {many, ""}, "geo": {one, "GeoCoordinates"}},
	"GeoCoordinates":       {"type": {oneOrMany, ""}},
	"Result":               {"type": {many, ""}, "alignment": {many, "Alignment"}},
	"ResultDescription":    {"type": {many, ""}, "allowedValue": {many, ""}, "rubricCriterionLevel": {many, "RubricCriterionLevel"}, "alignment": {many, "Alignment"}, "name": {one, "Text"}},
	"RubricCriterionLevel": {"type": {many, ""}, "alignment": {many, "Alignment"}, "name": {one, "Text"}, "description": {one, "Text"}, "level": {one, "Text"}},
	"Alignment":            {"type": {many, ""}, "targetName": {one, "Text"}, "targetDescription": {one, "Text"}, "targetFramework": {one, "Text"}},
	"Evidence":             {"type": {many, ""}, "name": {one, "Text"}, "description": {one, "Text"}, "narrative": {one, "Text"}, "genre": {one, "Text"}, "audience": {one, "Text"}},
	"Criteria":             {"narrative": {one, "Text"}},
	"Image":                {"type": {oneOrMany, ""}, "caption": {one, "Text"}},
	"IdentityObject":       {"type": {oneOrMany, ""}},
	"IdentifierEntry":      {"type": {oneOrMany, ""}},
	"Related":              {"type": {many, ""}},
	"EndorsementSubject":   {"type": {many, ""}, "endorsementComment": {one, "Text"}},
	"Plumbing":             {"type": {oneOrMany, ""}},
}

// expect applies the canonicalizations listed above to a decoded input
// value of the given class and returns the expected output.
func expect(v any, class string) any {
	if class == "Text" {
		return expectText(v)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return v // an IRI in place of an object, or a scalar
	}
	out := map[string]any{}
	for k, e := range m {
		out[k] = e
	}
	if class == "AchievementCredential" || class == "EndorsementCredential" {
		expectEnvelope(out)
	}
	if class == "IdentityObject" {
		if _, ok := out["hashed"]; !ok {
			out["hashed"] = false
		}
	}
	for k, e := range out {
		p, ok := model[class][k]
		if !ok {
			continue
		}
		arr, isArr := e.([]any)
		switch {
		case p.card == many && !isArr && e != nil:
			arr, isArr = []any{e}, true
		case p.card == oneOrMany && isArr && len(arr) == 1:
			out[k] = expect(arr[0], p.class)
			continue
		}
		if isArr && p.class != "Text" {
			na := make([]any, len(arr))
			for i, x := range arr {
				na[i] = expect(x, p.class)
			}
			out[k] = na
		} else {
			out[k] = expect(e, p.class)
		}
	}
	return out
}

func expectText(v any) any {
	if a, ok := v.([]any); ok && len(a) == 1 {
		v = a[0]
	}
	if m, ok := v.(map[string]any); ok {
		if s, ok := m["@value"].(string); ok && len(m) == 1 {
			return s
		}
	}
	return v
}

var extensionTypes = []string{"1EdTechJsonSchemaValidator2019", "1EdTechRevocationList", "1EdTechCredentialRefresh"}

func expectEnvelope(m map[string]any) {
	var ctx []any
	switch c := m["@context"].(type) {
	case []any:
		ctx = c
	case nil:
	default:
		ctx = []any{c}
	}
	v1 := len(ctx) > 0 && ctx[0] == vc.ContextV1
	// 1EdTech types used by the envelope entries?
	ext := false
	for _, p := range []string{"credentialSchema", "credentialStatus", "refreshService", "termsOfUse", "evidence"} {
		var entries []any
		switch e := m[p].(type) {
		case []any:
			entries = e
		case map[string]any:
			entries = []any{e}
		}
		for _, e := range entries {
			em, _ := e.(map[string]any)
			var ts []any
			switch t := em["type"].(type) {
			case string:
				ts = []any{t}
			case []any:
				ts = t
			}
			for _, t := range ts {
				if s, ok := t.(string); ok && slices.Contains(extensionTypes, s) {
					ext = true
				}
			}
		}
	}
	rest := []any{}
	for _, c := range ctx {
		if s, ok := c.(string); ok {
			if s == ld.CredentialsV1URL || s == ld.CredentialsV2URL || IsOBContext(s) ||
				s == ld.DataIntegrityV1URL || s == ld.DataIntegrityV2URL {
				continue
			}
			if s == ld.OBExtensionsURL {
				ext = true
				continue
			}
			if slices.Contains(rest, c) {
				continue
			}
		}
		rest = append(rest, c)
	}
	want := []any{ld.CredentialsV2URL, ld.OB303URL}
	if ext {
		want = append(want, ld.OBExtensionsURL)
	}
	m["@context"] = append(want, rest...)
	for old, nw := range map[string]string{"issuanceDate": "validFrom", "expirationDate": "validUntil"} {
		if d, ok := m[old]; ok {
			delete(m, old)
			if cur, has := m[nw]; !has || cur == nil || cur == "" {
				m[nw] = d
				v1 = true
			}
		}
		if s, ok := m[nw].(string); ok && v1 && len(s) >= 19 && !strings.ContainsAny(s[19:], "Z+-") {
			m[nw] = s + "Z"
		}
	}
}

// exampleKind says what each example is; credentials are the default.
var exampleKind = map[string]string{
	"api--sample-putprofile-response.json":                                                     "Profile",
	"impl-migrating--issuer-profile-relation-between-open-badges-2-0-and-open-badges-3-0.json": "Profile",     // an OB 2.0 Profile
	"impl-migrating--openbadges-2-0-with-related-openbadges-3-0.json":                          "Achievement", // an OB 2.0 BadgeClass
	"impl-linked-data-proof-ob--proof.json":                                                    "Proof",
	// Fragments {"credentialSubject": {…}}: the subject is round-tripped.
	"impl-recommended-practices--email-identifier-in-credential-subject.json":                     "Subject",
	"impl-recommended-practices--name-identifier-in-credential-subject.json":                      "Subject",
	"impl-recommended-practices--given-name-and-family-name-credential-subject-with-profile.json": "Subject",
}

func decodeGeneric(t *testing.T, b []byte) any {
	t.Helper()
	v, err := jsonx.Decode(b, jsonx.Limits{})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return v
}

type roundTrip struct {
	file     string
	kind     string
	in, out  any // decoded input (the relevant part) and output
	outBytes []byte
}

// roundTripFile parses file as its kind, marshals it, parses the output
// again and checks: the second parse equals the first, writing again gives
// the same bytes, and the output equals the input with the expected
// canonicalizations.
func roundTripFile(t *testing.T, file, kind string) roundTrip {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	in := decodeGeneric(t, data)
	class := kind
	var newV func() any
	switch kind {
	case "Credential":
		class = "AchievementCredential"
		if strings.Contains(string(data), `"EndorsementCredential"`) && !strings.Contains(string(data), `"AchievementSubject"`) {
			class, kind = "EndorsementCredential", "EndorsementCredential"
			newV = func() any { return new(EndorsementCredential) }
		} else {
			newV = func() any { return new(AchievementCredential) }
		}
	case "Profile":
		newV = func() any { return new(Profile) }
	case "Achievement":
		newV = func() any { return new(Achievement) }
	case "Proof":
		newV = func() any { return new(Proof) }
		class = "proof"
	case "Subject":
		class = "AchievementSubject"
		in = in.(map[string]any)["credentialSubject"]
		data, _ = json.Marshal(in)
		newV = func() any { return new(AchievementSubject) }
	}
	var v1 any
	switch kind {
	case "Credential":
		c, err := ParseCredential(data)
		if err != nil {
			t.Fatalf("ParseCredential: %v", err)
		}
		v1 = c
	case "EndorsementCredential":
		c, err := ParseEndorsementCredential(data)
		if err != nil {
			t.Fatalf("ParseEndorsementCredential: %v", err)
		}
		v1 = c
	default:
		v1 = newV()
		if err := json.Unmarshal(data, v1); err != nil {
			t.Fatalf("Unmarshal: %v", err)
		}
	}
	out1, err := marshalTree(v1)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	v2 := newV()
	if err := json.Unmarshal(out1, v2); err != nil {
		t.Fatalf("second Unmarshal: %v\n%s", err, out1)
	}
	if !reflect.DeepEqual(v1, v2) {
		t.Errorf("second parse differs from the first:\n%#v\n%#v", v1, v2)
	}
	out2, err := marshalTree(v2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out1, out2) {
		t.Errorf("writing again gives other bytes:\n%s\n%s", out1, out2)
	}
	out := decodeGeneric(t, out1)
	want := in
	if class != "proof" {
		want = expect(in, class)
	}
	if !reflect.DeepEqual(want, out) {
		wb, _ := json.MarshalIndent(want, "", " ")
		ob, _ := json.MarshalIndent(out, "", " ")
		t.Errorf("output differs from the canonicalized input:\nwant %s\ngot  %s", wb, ob)
	}
	return roundTrip{file: file, kind: kind, in: in, out: out, outBytes: out1}
}

// upgrades returns why the canonical N-Quads of a credential may
// legitimately differ from its input's: the round trip changed a context
// (VCDM 1.1 base → credentials/v2, an older OB context → 3.0.3, Data
// Integrity context dropped) or renamed a VCDM 1.1 date, anywhere in the
// document (nested endorsements included). For every other credential
// that canonicalizes in safe mode, the N-Quads before and after must be
// identical.
func upgrades(v any) []string {
	var why []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			var ctx []any
			switch c := v["@context"].(type) {
			case []any:
				ctx = c
			case string:
				ctx = []any{c}
			}
			for _, c := range ctx {
				if s, ok := c.(string); ok && (s == ld.CredentialsV1URL || s == ld.DataIntegrityV1URL || s == ld.DataIntegrityV2URL || IsOBContext(s) && s != ld.OB303URL) {
					why = append(why, "context "+s)
				}
			}
			for _, d := range []string{"issuanceDate", "expirationDate"} {
				if _, ok := v[d]; ok {
					why = append(why, d)
				}
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return why
}

type ldResult struct {
	inErr, outErr error
	same          bool
	upgraded      bool
}

func canonicalize(doc any) ([]byte, error) {
	return ld.Canonicalize(context.Background(), doc, nil)
}

func checkLD(t *testing.T, rt roundTrip) ldResult {
	t.Helper()
	var r ldResult
	inNQ, err := canonicalize(rt.in)
	if err != nil {
		r.inErr = err
		return r
	}
	outNQ, err := canonicalize(rt.out)
	if err != nil {
		r.outErr = err
		t.Errorf("input canonicalizes in safe mode but the output does not: %v", err)
		return r
	}
	r.same = bytes.Equal(inNQ, outNQ)
	if why := upgrades(rt.in); len(why) > 0 {
		r.upgraded = true
		t.Logf("upgraded (%s); N-Quads identical: %v", strings.Join(why, ", "), r.same)
	} else if !r.same {
		t.Errorf("canonical N-Quads differ:\nin:\n%s\nout:\n%s", inNQ, outNQ)
	}
	return r
}

func TestRoundTripExamples(t *testing.T) {
	var files []string
	for _, dir := range []string{"testdata/spec", "testdata/educredentials"} {
		fs, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	if len(files) != 54 {
		t.Fatalf("found %d examples, want 54", len(files))
	}
	var n, ldSame, ldSkipped int
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			kind := exampleKind[filepath.Base(f)]
			if kind == "" {
				kind = "Credential"
			}
			rt := roundTripFile(t, f, kind)
			n++
			if kind == "Credential" || kind == "EndorsementCredential" {
				r := checkLD(t, rt)
				if r.inErr != nil {
					ldSkipped++
					t.Logf("input is not JSON-LD-valid in safe mode (not compared): %v", r.inErr)
				} else if r.same {
					ldSame++
				}
			}
		})
	}
	t.Logf("%d examples round-tripped; %d credentials with identical N-Quads, %d not JSON-LD-valid as given", n, ldSame, ldSkipped)
}

func TestRoundTripValidatorCases(t *testing.T) {
	files, err := filepath.Glob("../testdata/ob3/validator-cases/ob30/*.json")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../testdata/ob3/validator-cases/ob30/*/*.json")
	files = append(files, more...)
	if len(files) < 30 {
		t.Fatalf("found only %d validator cases", len(files))
	}
	var n, ldSame, ldSkipped int
	for _, f := range files {
		t.Run(strings.TrimPrefix(f, "../testdata/ob3/validator-cases/ob30/"), func(t *testing.T) {
			rt := roundTripFile(t, f, "Credential")
			n++
			r := checkLD(t, rt)
			if r.inErr != nil {
				ldSkipped++
				t.Logf("input is not JSON-LD-valid in safe mode (not compared): %v", r.inErr)
			} else if r.same {
				ldSame++
			}
		})
	}
	t.Logf("%d validator cases round-tripped; %d with identical N-Quads, %d not JSON-LD-valid as given", n, ldSame, ldSkipped)
}
