package schema

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const euExamples = "../docs/eu-profile/examples/"

// euEntry is the credentialSchema entry that claims the EU profile.
func euEntry() map[string]any {
	return map[string]any{"id": EUMicroCredentialSchemaURL, "type": Type1EdTechJSONSchemaValidator2019}
}

// euDoc reads an EU profile example and names the EU schema in it.
func euDoc(t testing.TB, name string) map[string]any {
	t.Helper()
	m := decode(t, readFile(t, filepath.Join(euExamples, name)))
	m["credentialSchema"] = []any{euEntry()}
	return m
}

// euProblems validates m and returns the problems the EU schema found
// (the OB3 schema's are left out), failing the test when the EU schema was
// not applied from the embedded copy.
func euProblems(t testing.TB, v *Validator, m map[string]any) []Problem {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.ValidateCredential(context.Background(), b)
	if err != nil {
		t.Fatalf("ValidateCredential: %v", err)
	}
	var applied bool
	for _, s := range res.Schemas {
		if s.AppliedID == EUMicroCredentialSchemaURL && s.Origin == OriginEmbedded && s.NotApplied == "" {
			applied = true
		}
	}
	if !applied {
		t.Fatalf("EU schema not applied: %+v", res.Schemas)
	}
	var out []Problem
	for _, p := range res.Problems {
		if p.SchemaID == EUMicroCredentialSchemaURL {
			out = append(out, p)
		}
	}
	return out
}

// tokens splits a JSON Pointer.
func tokens(ptr string) []string {
	if ptr == "" {
		return nil
	}
	ts := strings.Split(ptr[1:], "/")
	for i, s := range ts {
		ts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return ts
}

// edit sets (or, with del, removes) the value at ptr in doc.
func edit(t testing.TB, doc any, ptr string, val any, del bool) {
	t.Helper()
	ts := tokens(ptr)
	cur := doc
	for i, tok := range ts {
		last := i == len(ts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if del {
					if _, ok := c[tok]; !ok {
						t.Fatalf("%s: nothing to remove", ptr)
					}
					delete(c, tok)
				} else {
					c[tok] = val
				}
				return
			}
			cur = c[tok]
		case []any:
			n, err := strconv.Atoi(tok)
			if err != nil || n >= len(c) {
				t.Fatalf("%s: bad index %q", ptr, tok)
			}
			if last {
				if del {
					t.Fatalf("%s: cannot remove an array item", ptr)
				}
				c[n] = val
				return
			}
			cur = c[n]
		default:
			t.Fatalf("%s: no container at %q", ptr, tok)
		}
	}
}

func euValidator(t testing.TB) *Validator { return newValidator(t, Options{}) }

// The profile schema is embedded, pinned, has the URL as $id, is draft
// 2019-09 and compiles.
func TestEUSchemaEmbedded(t *testing.T) {
	b, ok := EmbeddedSchema(EUMicroCredentialSchemaURL)
	if !ok {
		t.Fatal("EU schema not embedded")
	}
	if !slices.Contains(EmbeddedSchemas(), EUMicroCredentialSchemaURL) {
		t.Error("EmbeddedSchemas does not list the EU schema")
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["$id"] != EUMicroCredentialSchemaURL || doc["$schema"] != "https://json-schema.org/draft/2019-09/schema#" {
		t.Errorf("$id %v, $schema %v", doc["$id"], doc["$schema"])
	}
	if _, err := embeddedByURL[EUMicroCredentialSchemaURL].compile(); err != nil {
		t.Fatal(err)
	}
	// Validate applies it on its own too; Strict does not replace it.
	for _, strict := range []bool{false, true} {
		v := newValidator(t, Options{Strict: strict})
		ps, err := v.Validate(context.Background(), EUMicroCredentialSchemaURL, readFile(t, euExamples+"joint-mobility-preparation.json"))
		if err != nil || len(ps) != 0 {
			t.Errorf("strict=%v: %v%s", strict, err, dump(ps))
		}
	}
}

// Every example of docs/eu-profile passes the OB3 schema and the EU schema
// when it names the EU schema in credentialSchema (as an array entry or a
// single object), and the EU schema is applied from the embedded copy.
func TestEUSchemaExamples(t *testing.T) {
	v := euValidator(t)
	files, err := filepath.Glob(euExamples + "*.json")
	if err != nil || len(files) < 3 {
		t.Fatalf("examples: %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			m := euDoc(t, filepath.Base(f))
			if ps := euProblems(t, v, m); len(ps) != 0 {
				t.Errorf("EU schema problems:%s", dump(ps))
			}
			// The OB3 schema's verdict is not this test's business
			// (joint-mobility-preparation.json has activityStartDate and
			// activityEndDate as dates, where OB 3.0 wants date-times).
			m["credentialSchema"] = euEntry()
			b, _ := json.Marshal(m)
			res, err := v.ValidateCredential(context.Background(), b)
			if err != nil {
				t.Fatalf("single entry: %v", err)
			}
			for _, p := range res.Problems {
				if p.SchemaID == EUMicroCredentialSchemaURL {
					t.Errorf("single entry: %s", p)
				}
			}
			if len(res.Schemas) != 2 || res.Schemas[1].Pointer != "/credentialSchema" || res.Schemas[1].SHA256 != euMicroCredentialSchemaSHA256 {
				t.Errorf("schemas applied: %+v", res.Schemas)
			}
		})
	}
}

// A credential without the credentialSchema entry is not held to the
// profile.
func TestEUSchemaOnlyWhenNamed(t *testing.T) {
	v := euValidator(t)
	m := decode(t, readFile(t, euExamples+"joint-mobility-preparation.json"))
	delete(m["credentialSubject"].(map[string]any)["achievement"].(map[string]any), "learningOutcome")
	b, _ := json.Marshal(m)
	res, err := v.ValidateCredential(context.Background(), b)
	if err != nil || len(res.Schemas) != 1 || res.Schemas[0].AppliedID != AchievementCredentialURL {
		t.Errorf("%v %+v", err, res)
	}
	for _, p := range res.Problems {
		if strings.Contains(p.InstancePath, "learningOutcome") {
			t.Errorf("%s", p)
		}
	}
}

const ach = "/credentialSubject/achievement"

// Removing each mandatory element fails with a problem at that element.
func TestEUSchemaMissingElements(t *testing.T) {
	v := euValidator(t)
	for _, tc := range []struct {
		element string
		file    string   // default joint-mobility-preparation.json
		remove  []string // pointers removed
		want    string   // pointer of a problem, with its keyword
	}{
		{"learner", "", []string{"/credentialSubject/id", "/credentialSubject/identifier"}, "/credentialSubject/id required"},
		{"title (language map)", "", []string{ach + "/title"}, ach + "/title required"},
		{"title (name)", "", []string{ach + "/name"}, ach + "/name required"},
		{"issuerCountry", "", []string{"/issuer/address/addressCountryCode"}, "/issuer/address/addressCountryCode required"},
		{"issuerCountry (address)", "", []string{"/issuer/address"}, "/issuer/address required"},
		{"awardingBody", "", []string{ach + "/awardingBody"}, ach + "/awardingBody required"},
		{"dateOfIssue", "", []string{"/awardedDate", "/validFrom"}, "/validFrom required"},
		{"learningOutcomes", "", []string{ach + "/learningOutcome"}, ach + "/learningOutcome required"},
		{"learningOutcomes (text)", "", []string{ach + "/learningOutcome/1/title"}, ach + "/learningOutcome/1/title required"},
		{"workload", "", []string{ach + "/creditPoint", ach + "/volumeOfLearning", ach + "/creditsAvailable"}, ach + "/creditPoint required"},
		{"workload (ECTS for creditsAvailable)", "", []string{ach + "/creditPoint"}, ach + "/creditPoint required"},
		{"workload (hours only)", "volunteering-level-not-applicable.json", []string{ach + "/volumeOfLearning"}, ach + "/creditPoint required"},
		{"level", "", []string{ach + "/eqfLevel", ach + "/nqfLevel", ach + "/qfEheaCycle"}, ach + "/eqfLevel required"},
		{"level (not applicable)", "volunteering-level-not-applicable.json", []string{ach + "/levelNotApplicable"}, ach + "/eqfLevel required"},
		{"assessmentType", "", []string{ach + "/assessmentType"}, ach + "/assessmentType required"},
		{"participationForm", "", []string{ach + "/mode"}, ach + "/mode required"},
		{"qualityAssurance", "", []string{ach + "/accreditation"}, ach + "/accreditation required"},
		{"qualityAssurance (type)", "", []string{ach + "/accreditation/0/dcType"}, ach + "/accreditation/0/dcType required"},
		{"qualityAssurance (body)", "", []string{ach + "/accreditation/0/accreditingAgent"}, ach + "/accreditation/0/accreditingAgent required"},
		{"achievement type", "", []string{ach + "/type"}, ach + "/type required"},
		{"achievementType", "", []string{ach + "/achievementType"}, ach + "/achievementType required"},
		{"prerequisites (text)", "", []string{ach + "/entryRequirement/noteLiteral"}, ach + "/entryRequirement/noteLiteral required"},
		{"mobility (relation)", "", []string{ach + "/mobility/0/relation"}, ach + "/mobility/0/relation required"},
		{"mobility (format)", "", []string{ach + "/mobility/0/format"}, ach + "/mobility/0/format required"},
		{"mobility (host)", "", []string{ach + "/mobility/0/hostInstitution"}, ach + "/mobility/0/hostInstitution required"},
		{"integrationStackability (stackable)", "", []string{ach + "/stackableTowards"}, ach + "/stackableTowards required"},
		{"achievement", "", []string{ach}, ach + " required"},
	} {
		t.Run(tc.element, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = "joint-mobility-preparation.json"
			}
			m := euDoc(t, file)
			for _, p := range tc.remove {
				edit(t, m, p, nil, true)
			}
			ps := euProblems(t, v, m)
			if !slices.Contains(where(ps), tc.want) {
				t.Errorf("want %q, got%s", tc.want, dump(ps))
			}
		})
	}
}

// Values of the wrong shape, or outside the enumerations, fail at their
// pointer; the alternatives the profile allows pass.
func TestEUSchemaValues(t *testing.T) {
	v := euValidator(t)
	lo := ach + "/learningOutcome/1"
	for _, tc := range []struct {
		name string
		file string
		set  map[string]any // pointer -> value (nil value: remove)
		want string         // "pointer keyword", or "" for valid
	}{
		{"assessment type", "", map[string]any{ach + "/assessmentType/0": "exam"}, ach + "/assessmentType/0 enum"},
		{"assessment type as object", "", map[string]any{ach + "/assessmentType/0": map[string]any{"id": "http://data.europa.eu/snb/assessment/4f03b91c0e"}}, ach + "/assessmentType/0 enum"},
		{"assessment type IRI", "", map[string]any{ach + "/assessmentType/0": "http://data.europa.eu/snb/assessment/4f03b91c0e"}, ""},
		{"assessment types empty", "", map[string]any{ach + "/assessmentType": []any{}}, ach + "/assessmentType minItems"},
		{"mode onsite", "", map[string]any{ach + "/mode/0": "onsite"}, ach + "/mode/0 enum"},
		{"mode as string", "", map[string]any{ach + "/mode": "blended"}, ach + "/mode type"},
		{"mode volunteering IRI", "", map[string]any{ach + "/mode/0": "http://data.europa.eu/snb/learning-activity/59eaf34fab"}, ""},
		{"QA type", "", map[string]any{ach + "/accreditation/0/dcType": "accredited"}, ach + "/accreditation/0/dcType enum"},
		{"QA body without id", "", map[string]any{ach + "/accreditation/0/accreditingAgent": map[string]any{"name": "QA"}}, ach + "/accreditation/0/accreditingAgent/id required"},
		{"QA report", "", map[string]any{ach + "/accreditation/0/report": "reports 2024"}, ach + "/accreditation/0/report format"},
		{"EQF as number", "", map[string]any{ach + "/eqfLevel": 7}, ach + "/eqfLevel enum"},
		{"EQF 9", "", map[string]any{ach + "/eqfLevel": "http://data.europa.eu/snb/eqf/9"}, ach + "/eqfLevel enum"},
		{"NQF not IRI", "", map[string]any{ach + "/nqfLevel/0": "NLQF 7"}, ach + "/nqfLevel/0 format"},
		{"QF-EHEA cycle", "", map[string]any{ach + "/qfEheaCycle": "fourthCycle"}, ach + "/qfEheaCycle enum"},
		{"QF-EHEA cycle IRI", "", map[string]any{ach + "/qfEheaCycle": "https://w3id.org/microcred/eu/vocab#QFEHEASecondCycle"}, ""},
		{"level and not applicable", "", map[string]any{ach + "/levelNotApplicable": true}, ach + "/eqfLevel false"},
		{"level not applicable false", "volunteering-level-not-applicable.json", map[string]any{ach + "/levelNotApplicable": false}, ach + "/levelNotApplicable const"},
		{"EQF alignment disagrees (url)", "", map[string]any{ach + "/alignment/0/targetUrl": "http://data.europa.eu/snb/eqf/6"}, ach + "/alignment/0/targetUrl const"},
		{"EQF alignment disagrees (code)", "", map[string]any{ach + "/alignment/0/targetCode": "6"}, ach + "/alignment/0/targetCode const"},
		{"EQF alignment follows eqfLevel", "", map[string]any{ach + "/eqfLevel": "http://data.europa.eu/snb/eqf/6", ach + "/alignment/0/targetUrl": "http://data.europa.eu/snb/eqf/6", ach + "/alignment/0/targetCode": "6"}, ""},
		{"EQF alignment without eqfLevel", "", map[string]any{ach + "/eqfLevel": nil, ach + "/alignment/0/targetCode": "6"}, ""},
		{"hours as words", "", map[string]any{ach + "/volumeOfLearning": "140 hours"}, ach + "/volumeOfLearning pattern"},
		{"hours in days", "", map[string]any{ach + "/volumeOfLearning": "P5D"}, ach + "/volumeOfLearning pattern"},
		{"zero hours", "", map[string]any{ach + "/volumeOfLearning": "PT0H"}, ach + "/volumeOfLearning pattern"},
		{"fractional hours", "", map[string]any{ach + "/volumeOfLearning": "PT7.5H"}, ""},
		{"ECTS point as number", "", map[string]any{ach + "/creditPoint/0/point": 5}, ach + "/creditPoint/0/point type"},
		{"ECTS point with comma", "", map[string]any{ach + "/creditPoint/0/point": "7,5"}, ach + "/creditPoint/0/point pattern"},
		{"ECTS point zero", "", map[string]any{ach + "/creditPoint/0/point": "0"}, ach + "/creditPoint/0/point pattern"},
		{"ECTS point decimal", "", map[string]any{ach + "/creditPoint/0/point": "7.5", ach + "/creditsAvailable": 7.5}, ""},
		{"credit framework", "", map[string]any{ach + "/creditPoint/0/framework": "SBU"}, ach + "/creditPoint/0/framework enum"},
		{"ECVET only with creditsAvailable", "", map[string]any{ach + "/creditPoint/0/framework": "ECVET"}, ach + "/creditPoint contains"},
		{"two ECTS points", "", map[string]any{ach + "/creditPoint": []any{map[string]any{"framework": "ECTS", "point": "5"}, map[string]any{"framework": "http://data.europa.eu/snb/education-credit/6fcec5c5af", "point": "5"}}}, ach + "/creditPoint maxContains"},
		{"country lower case", "", map[string]any{"/issuer/address/addressCountryCode": "nl"}, "/issuer/address/addressCountryCode pattern"},
		{"country alpha-3", "", map[string]any{"/issuer/address/addressCountryCode": "NLD"}, "/issuer/address/addressCountryCode pattern"},
		{"issuer as IRI", "", map[string]any{"/issuer": "https://alpha-university.example/"}, "/issuer type"},
		{"title as string", "", map[string]any{ach + "/title": "Intercultural Competence"}, ach + "/title type"},
		{"title empty map", "", map[string]any{ach + "/title": map[string]any{}}, ach + "/title minProperties"},
		{"title blank", "", map[string]any{ach + "/title/fr": " "}, ach + "/title/fr pattern"},
		{"title bad language", "", map[string]any{ach + "/title/français": "Compétence"}, ach + "/title/français propertyNames"},
		{"name as language map", "", map[string]any{ach + "/name": map[string]any{"en": "x"}}, ach + "/name type"},
		{"type without EU type", "", map[string]any{ach + "/type": []any{"Achievement"}}, ach + "/type contains"},
		{"type as string", "", map[string]any{ach + "/type": "Achievement"}, ach + "/type type"},
		{"achievementType", "", map[string]any{ach + "/achievementType": "Course"}, ach + "/achievementType const"},
		{"no learning outcome", "", map[string]any{ach + "/learningOutcome": []any{}}, ach + "/learningOutcome minItems"},
		{"no awarding body", "", map[string]any{ach + "/awardingBody": []any{}}, ach + "/awardingBody minItems"},
		{"awarding body without id", "", map[string]any{ach + "/awardingBody/1": map[string]any{"name": "Beta"}}, ach + "/awardingBody/1/id required"},
		{"ESCO skill elsewhere", "", map[string]any{lo + "/relatedESCOSkill/0": "https://example.org/skills/1"}, lo + "/relatedESCOSkill/0 pattern"},
		{"related skill not IRI", "", map[string]any{lo + "/relatedSkill/0": "intercultural communication"}, lo + "/relatedSkill/0 format"},
		{"supervision", "", map[string]any{ach + "/supervisionAndIdentityVerification": "proctored"}, ach + "/supervisionAndIdentityVerification enum"},
		{"stackability", "", map[string]any{ach + "/integrationStackability": "integrated"}, ach + "/integrationStackability enum"},
		{"stackable towards not IRI", "", map[string]any{ach + "/stackableTowards/0": "MSc Global Challenges"}, ach + "/stackableTowards/0 format"},
		{"mobility relation", "", map[string]any{ach + "/mobility/0/relation": "preparesFro"}, ach + "/mobility/0/relation enum"},
		{"mobility format", "", map[string]any{ach + "/mobility/0/format": "hybrid"}, ach + "/mobility/0/format enum"},
		{"mobility direction", "", map[string]any{ach + "/mobility/0/direction": "outbound"}, ach + "/mobility/0/direction enum"},
		{"virtual mobility without host", "", map[string]any{ach + "/mobility/0/format": "virtual", ach + "/mobility/0/hostInstitution": nil}, ""},
		{"virtual mobility IRI without host", "", map[string]any{ach + "/mobility/0/format": "https://w3id.org/microcred/eu/vocab#VirtualMobility", ach + "/mobility/0/hostInstitution": nil}, ""},
		{"note text", "", map[string]any{ach + "/additionalNote/0/noteLiteral": "text"}, ach + "/additionalNote/0/noteLiteral type"},
		{"supplementary document", "", map[string]any{ach + "/supplementaryDocument/0": "see website"}, ach + "/supplementaryDocument/0 format"},
		{"learner id not IRI", "", map[string]any{"/credentialSubject/id": "Maria Jansen"}, "/credentialSubject/id format"},
		{"learner by one identifier object", "", map[string]any{"/credentialSubject/id": nil, "/credentialSubject/identifier": map[string]any{"type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": "Maria Jansen"}}, ""},
		{"learner by an empty identifier list", "", map[string]any{"/credentialSubject/id": nil, "/credentialSubject/identifier": []any{}}, "/credentialSubject/identifier minItems"},
		{"learner by identifier only", "", map[string]any{"/credentialSubject/id": nil}, ""},
		{"date of issue from validFrom", "", map[string]any{"/awardedDate": nil}, ""},
		{"subject array", "", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = "joint-mobility-preparation.json"
			}
			m := euDoc(t, file)
			for p, val := range tc.set {
				edit(t, m, p, val, val == nil)
			}
			if tc.name == "subject array" {
				m["credentialSubject"] = []any{m["credentialSubject"]}
			}
			ps := euProblems(t, v, m)
			switch {
			case tc.want == "" && len(ps) > 0:
				t.Errorf("want valid, got%s", dump(ps))
			case tc.want != "" && !slices.Contains(where(ps), tc.want):
				t.Errorf("want %q, got%s", tc.want, dump(ps))
			}
		})
	}
	// A problem inside an array of subjects points into the array.
	m := euDoc(t, "joint-mobility-preparation.json")
	edit(t, m, ach+"/mode/0", "onsite", false)
	m["credentialSubject"] = []any{m["credentialSubject"]}
	if got := where(euProblems(t, v, m)); !slices.Equal(got, []string{"/credentialSubject/0/achievement/mode/0 enum"}) {
		t.Errorf("subject array: %v", got)
	}
}

// The problems carry the EU schema's locations and readable messages.
func TestEUSchemaProblem(t *testing.T) {
	v := euValidator(t)
	m := euDoc(t, "joint-mobility-preparation.json")
	edit(t, m, ach+"/mode/0", "onsite", false)
	ps := euProblems(t, v, m)
	if len(ps) != 1 {
		t.Fatalf("problems:%s", dump(ps))
	}
	p := ps[0]
	if !strings.HasPrefix(p.SchemaLocation, EUMicroCredentialSchemaURL+"#/$defs/EUMicroCredentialAchievement/") ||
		!strings.Contains(p.Message, `"onsite"`) || !strings.Contains(p.Message, `"presential"`) {
		t.Errorf("%+v", p)
	}
}
