package badge

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"github.com/microcred/microcred/schema"
)

// euSchemaEntry is the credentialSchema entry that claims the EU profile.
func euSchemaEntry() CredentialSchema {
	return CredentialSchema{ID: schema.EUMicroCredentialSchemaURL, Type: OneOrMany[string]{Type1EdTechJsonSchemaValidator2019}}
}

// euSchemaProblems marshals c and validates it with v, requiring the EU
// schema to be applied from the embedded copy; it returns every problem.
func euSchemaProblems(t *testing.T, v *schema.Validator, c *AchievementCredential) []schema.Problem {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.ValidateCredential(context.Background(), b)
	if err != nil {
		t.Fatalf("ValidateCredential: %v", err)
	}
	if !slices.ContainsFunc(res.Schemas, func(a schema.AppliedSchema) bool {
		return a.AppliedID == schema.EUMicroCredentialSchemaURL && a.Origin == schema.OriginEmbedded && a.NotApplied == ""
	}) {
		t.Fatalf("EU schema not applied: %+v", res.Schemas)
	}
	return res.Problems
}

// The credentials MicroCredential.Credential builds — the scenario, views
// with hours only, a level that is not applicable, a virtual mobility, and
// the profile examples read back with FromOB3 — pass the OB 3.0 schema and
// the EU profile schema once they name it in credentialSchema; with the
// entry they still canonicalize in safe mode (the entry's type brings in
// the OB extensions context).
func TestMicroCredentialEUSchema(t *testing.T) {
	v, err := schema.New(schema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	views := map[string]*MicroCredential{"scenario": scenarioMC(t)}

	hours := scenarioMC(t)
	hours.Workload = Workload{Hours: 7.5}
	hours.Level = Level{NotApplicable: true}
	hours.IntegrationStackability = &IntegrationStackability{Kind: StandAlone}
	hours.Mobility = []Mobility{{Relation: MobilityIncludesRequired, Format: MobilityVirtual}}
	hours.Grade = nil
	views["hours, no level, virtual mobility"] = hours

	iris := scenarioMC(t)
	iris.ParticipationForm = []ParticipationForm{"http://data.europa.eu/snb/learning-activity/59eaf34fab"}
	iris.AssessmentType = []AssessmentType{"http://data.europa.eu/snb/assessment/6e6cb2cc78"}
	iris.Level = Level{QFEHEACycle: "https://w3id.org/microcred/eu/vocab#QFEHEASecondCycle"}
	views["concept IRIs"] = iris

	files, _ := filepath.Glob("../docs/eu-profile/examples/*.json")
	if len(files) < 3 {
		t.Fatalf("examples: %v", files)
	}
	for _, f := range files {
		m, _, err := FromOB3(readCredentialFile(t, f))
		if err != nil {
			t.Fatal(err)
		}
		views[filepath.Base(f)] = m
	}
	for name, m := range views {
		t.Run(name, func(t *testing.T) {
			c, err := m.Credential()
			if err != nil {
				t.Fatal(err)
			}
			c.CredentialSchema = Many[CredentialSchema]{euSchemaEntry()}
			if ps := euSchemaProblems(t, v, c); len(ps) != 0 {
				t.Errorf("schema problems: %v", ps)
			}
			credNQuads(t, c)
		})
	}
}

// A credential that breaks the profile after Credential (a view cannot
// produce one: Credential validates it first) fails the EU schema at the
// element's pointer, and only the EU schema notices.
func TestMicroCredentialEUSchemaBroken(t *testing.T) {
	v, err := schema.New(schema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const ach = "/credentialSubject/achievement"
	for _, tc := range []struct {
		name   string
		mutate func(c *AchievementCredential)
		want   string
	}{
		{"no learning outcome", func(c *AchievementCredential) { delete(c.Subject().Achievement.Extra, "learningOutcome") }, ach + "/learningOutcome"},
		{"no participation form", func(c *AchievementCredential) { delete(c.Subject().Achievement.Extra, "mode") }, ach + "/mode"},
		{"Annex I wording for onsite", func(c *AchievementCredential) { c.Subject().Achievement.Extra["mode"] = []any{"onsite"} }, ach + "/mode/0"},
		{"EQF level as a number", func(c *AchievementCredential) { c.Subject().Achievement.Extra["eqfLevel"] = json.Number("7") }, ach + "/eqfLevel"},
		{"ECTS point as a number", func(c *AchievementCredential) {
			c.Subject().Achievement.Extra["creditPoint"] = []any{map[string]any{"framework": "ECTS", "point": json.Number("5")}}
		}, ach + "/creditPoint/0/point"},
		{"not an EU achievement", func(c *AchievementCredential) { c.Subject().Achievement.Type = Many[string]{TypeAchievement} }, ach + "/type"},
		{"not a micro-credential", func(c *AchievementCredential) { c.Subject().Achievement.AchievementType = "Course" }, ach + "/achievementType"},
		{"no issuer country", func(c *AchievementCredential) { c.Issuer.Address.AddressCountryCode = "" }, "/issuer/address/addressCountryCode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := scenarioMC(t).Credential()
			if err != nil {
				t.Fatal(err)
			}
			c.CredentialSchema = Many[CredentialSchema]{euSchemaEntry()}
			tc.mutate(c)
			ps := euSchemaProblems(t, v, c)
			var at []string
			for _, p := range ps {
				if p.SchemaID == schema.EUMicroCredentialSchemaURL {
					at = append(at, p.InstancePath)
				}
			}
			if !slices.Contains(at, tc.want) {
				t.Errorf("want a problem at %s, got %v", tc.want, ps)
			}
			// The OB3 schema accepts all of these.
			for _, p := range ps {
				if p.SchemaID != schema.EUMicroCredentialSchemaURL {
					t.Errorf("OB3 schema problem: %s", p)
				}
			}
		})
	}
}
