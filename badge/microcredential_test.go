package badge

import (
	"context"

	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/microcred/microcred/internal/jsonx"
	"github.com/microcred/microcred/schema"
)

// scenarioMC is the issue's scenario: 5 ECTS, EQF 7, prepared for an
// outgoing mobility, awarded jointly by two universities of an alliance,
// QA by an accredited agency, titles and outcomes in three languages.
func scenarioMC(t testing.TB) *MicroCredential {
	t.Helper()
	date, err := ParseDateTime("2025-06-30T10:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	return &MicroCredential{
		ID:            "urn:uuid:6f1c2a4e-3b7d-4c51-9a0e-2d8f5b7c1e90",
		AchievementID: "https://alpha-university.example/micro-credentials/intercultural-mobility",
		Language:      "en",
		Description:   "A joint micro-credential of the Example European University Alliance that prepares master's students for an outgoing exchange.",
		Criteria:      "Complete the online module and both on-site workshops, submit a portfolio and pass the oral examination.",
		Creator:       &Profile{ID: "https://alliance.example/", Type: Many[string]{TypeProfile}, Name: NewText("Example European University Alliance")},
		Alignment: []Alignment{{
			Type: Many[string]{TypeAlignment}, TargetType: "ext:ISCED-F", TargetName: NewText("Personal skills and development"),
			TargetFramework: NewText("ISCED-F 2013"), TargetCode: "0031", TargetURL: "http://data.europa.eu/snb/isced-f/0031",
		}},
		Learner: Learner{
			ID:         "did:example:learner-3f9a2c",
			Identifier: []IdentityObject{{Type: OneOrMany[string]{TypeIdentityObject}, IdentityType: "name", IdentityHash: "Maria Jansen"}},
		},
		Title: LangText{
			"en": "Intercultural Competence for International Mobility",
			"fr": "Compétence interculturelle pour la mobilité internationale",
			"nl": "Interculturele competentie voor internationale mobiliteit",
		},
		IssuerCountry: IssuerCountry{Country: "NL", Region: "Utrecht"},
		AwardingBody: []Profile{
			{ID: "https://alpha-university.example/", Type: Many[string]{TypeProfile}, Name: NewText("Alpha University"),
				URL: "https://alpha-university.example/", Address: &Address{Type: Many[string]{TypeAddress}, AddressLocality: "Utrecht"}},
			{ID: "https://beta-universite.example/", Type: Many[string]{TypeProfile}, Name: NewText("Université Beta"),
				Address: &Address{Type: Many[string]{TypeAddress}, AddressCountryCode: "FR", AddressRegion: "Occitanie"}},
		},
		DateOfIssue: date,
		LearningOutcomes: []LearningOutcome{
			{Text: LangText{
				"en": "Analyse how cultural values shape communication in international academic settings.",
				"fr": "Analyser la manière dont les valeurs culturelles façonnent la communication dans des contextes académiques internationaux.",
				"nl": "Analyseren hoe culturele waarden communicatie in internationale academische omgevingen beïnvloeden.",
			}},
			{
				Text: LangText{
					"en": "Communicate and collaborate with peers and staff at a host institution abroad.",
					"fr": "Communiquer et collaborer avec les pairs et le personnel d'un établissement d'accueil à l'étranger.",
					"nl": "Communiceren en samenwerken met medestudenten en medewerkers van een gastinstelling in het buitenland.",
				},
				ESCOSkills:    []string{"http://data.europa.eu/esco/skill/326809fc-238d-40c2-881e-40042f7f2f0d"},
				RelatedSkills: []string{"https://alliance.example/competences/intercultural-communication"},
			},
		},
		Workload:          Workload{ECTS: "5", Hours: 140},
		Level:             Level{EQF: 7, NQF: []string{"http://data.europa.eu/snb/qdr/c_478359fc"}, QFEHEACycle: QFEHEASecondCycle},
		AssessmentType:    []AssessmentType{AssessmentPortfolio, AssessmentOralExamination},
		ParticipationForm: []ParticipationForm{ParticipationBlended},
		QualityAssurance: []QualityAssurance{{
			Type:   QAProgramQualityAssurance,
			Body:   &Profile{ID: "https://qa-agency.example/", Type: Many[string]{TypeProfile}, Name: NewText("Example Quality Assurance Agency")},
			Title:  LangText{"en": "Accreditation of the joint micro-credential programme"},
			Report: "https://qa-agency.example/reports/2024-117.pdf",
		}},
		Prerequisites: LangText{
			"en": "Enrolled in a master's programme of the alliance and selected for an outgoing exchange.",
			"fr": "Être inscrit(e) dans un master de l'alliance et sélectionné(e) pour un échange sortant.",
			"nl": "Ingeschreven voor een masteropleiding van de alliantie en geselecteerd voor een uitgaande uitwisseling.",
		},
		SupervisionAndIdentityVerification: SupervisedOnsiteWithIdentityVerification,
		Grade: &Grade{
			Scale: ResultDescription{ID: "urn:uuid:0d3b7e2a-5c61-4f8e-b9a4-1e7c2d6f8a13", Type: Many[string]{TypeResultDescription},
				Name: NewText("ECTS grade"), ResultType: ResultTypeLetterGrade, AllowedValue: Many[string]{"A", "B", "C", "D", "E", "FX", "F"}},
			Value: "B",
		},
		IntegrationStackability: &IntegrationStackability{Kind: Stackable, Towards: []StackTarget{
			{ID: "https://alliance.example/programmes/msc-global-challenges", Name: "MSc Global Challenges for Sustainability"},
		}},
		FurtherInformation: &FurtherInformation{
			Notes: []LangText{{"en": "The online module is taught in English.", "fr": "Le module en ligne est enseigné en anglais."}},
			Links: []string{"https://alliance.example/micro-credentials/intercultural-mobility"},
		},
		Mobility: []Mobility{{
			Relation: MobilityPreparesFor, Format: MobilityPhysical, Direction: MobilityOutgoing,
			HostInstitutions: []Profile{{ID: "https://universidad-gamma.example/", Type: Many[string]{TypeProfile}, Name: NewText("Universidad Gamma")}},
		}},
	}
}

// mcNQuads returns the canonical N-Quads (safe mode) of the credential
// built from m, as it is written in JSON.
func mcNQuads(t testing.TB, m *MicroCredential) string {
	t.Helper()
	c, err := m.Credential()
	if err != nil {
		t.Fatalf("Credential: %v", err)
	}
	return credNQuads(t, c)
}

func credNQuads(t testing.TB, c *AchievementCredential) string {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonx.Decode(b, jsonx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	nq, err := canonicalize(doc)
	if err != nil {
		t.Fatalf("Canonicalize (safe mode): %v\n%s", err, b)
	}
	return string(nq)
}

func viewJSON(t testing.TB, m *MicroCredential) string {
	t.Helper()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMicroCredentialScenario(t *testing.T) {
	m := scenarioMC(t)
	if err := m.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	c, err := m.Credential()
	if err != nil {
		t.Fatal(err)
	}
	if ps := c.Check(); len(ps) > 0 {
		t.Errorf("Check of the OB3 output: %v", ps)
	}
	nq := credNQuads(t, c)
	for _, want := range []string{
		`"Interculturele competentie voor internationale mobiliteit"@nl`,
		`"Compétence interculturelle pour la mobilité internationale"@fr`,
		`<http://data.europa.eu/snb/model/elm/EQFLevel> <http://data.europa.eu/snb/eqf/7>`,
		`<https://w3id.org/microcred/eu/vocab#mobilityRelation> <https://w3id.org/microcred/eu/vocab#PreparesForMobility>`,
		`<http://data.europa.eu/snb/model/elm/framework> <http://data.europa.eu/snb/education-credit/6fcec5c5af>`,
	} {
		if !strings.Contains(nq, want) {
			t.Errorf("canonical N-Quads lack %s", want)
		}
	}
	out, _ := json.Marshal(c)
	for _, want := range []string{
		`"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json","https://purl.imsglobal.org/spec/ob/v3p0/extensions.json","https://w3id.org/microcred/eu/v1"]`,
		`"credentialSchema":[{"id":"https://w3id.org/microcred/eu/v1/schema.json","type":"1EdTechJsonSchemaValidator2019"}]`,
		`"type":["Achievement","EUMicroCredentialAchievement"]`,
		`"achievementType":"MicroCredential"`,
		`"creditsAvailable":5`,
		`"targetType":"ext:EQF"`,
		`"targetType":"ext:ESCO"`,
		`"addressCountryCode":"NL"`,
		`"awardedDate":"2025-06-30T10:00:00Z"`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %s", want)
		}
	}

	// Round trip, on the value and through JSON.
	back, absent, err := FromOB3(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(absent) > 0 {
		t.Errorf("absent = %v", absent)
	}
	if got, want := viewJSON(t, back), viewJSON(t, m); got != want {
		t.Errorf("FromOB3(Credential()) differs:\n got %s\nwant %s", got, want)
	}
	parsed, err := ParseCredential(out)
	if err != nil {
		t.Fatal(err)
	}
	back2, _, err := FromOB3(parsed)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := viewJSON(t, back2), viewJSON(t, m); got != want {
		t.Errorf("FromOB3(parsed JSON) differs:\n got %s\nwant %s", got, want)
	}
}

// Every element is inside the signed graph: changing it in the view
// changes the canonical N-Quads of the credential.
func TestMicroCredentialEveryElementSigned(t *testing.T) {
	base := mcNQuads(t, scenarioMC(t))
	tests := []struct {
		element string
		name    string
		change  func(m *MicroCredential)
	}{
		{ElementLearner, "id", func(m *MicroCredential) { m.Learner.ID = "did:example:other" }},
		{ElementLearner, "identifier", func(m *MicroCredential) { m.Learner.Identifier[0].IdentityHash = "Maria Janssen" }},
		{ElementTitle, "primary language", func(m *MicroCredential) { m.Title["en"] = "Intercultural Competence" }},
		{ElementTitle, "other language", func(m *MicroCredential) { m.Title["nl"] = "Interculturele competentie" }},
		{ElementTitle, "language tag", func(m *MicroCredential) { m.Title["de"] = m.Title["nl"]; delete(m.Title, "nl") }},
		{ElementIssuerCountry, "country", func(m *MicroCredential) { m.IssuerCountry.Country = "BE" }},
		{ElementIssuerCountry, "region", func(m *MicroCredential) { m.IssuerCountry.Region = "Noord-Holland" }},
		{ElementAwardingBody, "co-awarding body", func(m *MicroCredential) { m.AwardingBody[1].ID = "https://gamma.example/" }},
		{ElementAwardingBody, "one body", func(m *MicroCredential) { m.AwardingBody = m.AwardingBody[:1] }},
		{ElementAwardingBody, "issuer", func(m *MicroCredential) { m.AwardingBody[0].ID = "https://delta.example/" }},
		{ElementDateOfIssue, "date", func(m *MicroCredential) { m.DateOfIssue, _ = ParseDateTime("2025-07-01T10:00:00Z") }},
		{ElementLearningOutcomes, "text", func(m *MicroCredential) { m.LearningOutcomes[0].Text["fr"] = "Analyser." }},
		{ElementLearningOutcomes, "ESCO skill", func(m *MicroCredential) {
			m.LearningOutcomes[1].ESCOSkills[0] = "http://data.europa.eu/esco/skill/80f308e6-0e09-404a-80cd-ec5f50f6f304"
		}},
		{ElementLearningOutcomes, "related skill", func(m *MicroCredential) { m.LearningOutcomes[1].RelatedSkills = nil }},
		{ElementLearningOutcomes, "one fewer", func(m *MicroCredential) { m.LearningOutcomes = m.LearningOutcomes[1:] }},
		{ElementWorkload, "ECTS", func(m *MicroCredential) { m.Workload.ECTS = "6" }},
		{ElementWorkload, "hours", func(m *MicroCredential) { m.Workload.Hours = 150 }},
		{ElementLevel, "EQF", func(m *MicroCredential) { m.Level.EQF = 6 }},
		{ElementLevel, "NQF", func(m *MicroCredential) { m.Level.NQF = []string{"http://data.europa.eu/snb/qdr/c_828fbcc3"} }},
		{ElementLevel, "QF-EHEA cycle", func(m *MicroCredential) { m.Level.QFEHEACycle = QFEHEAFirstCycle }},
		{ElementLevel, "not applicable", func(m *MicroCredential) { m.Level = Level{NotApplicable: true} }},
		{ElementAssessmentType, "type", func(m *MicroCredential) { m.AssessmentType[1] = AssessmentWrittenExamination }},
		{ElementParticipationForm, "form", func(m *MicroCredential) { m.ParticipationForm[0] = ParticipationOnline }},
		{ElementQualityAssurance, "type", func(m *MicroCredential) { m.QualityAssurance[0].Type = QAInstitutionalQualityAssurance }},
		{ElementQualityAssurance, "body", func(m *MicroCredential) { m.QualityAssurance[0].Body.ID = "https://other-agency.example/" }},
		{ElementQualityAssurance, "title", func(m *MicroCredential) { m.QualityAssurance[0].Title["en"] = "Programme accreditation" }},
		{ElementQualityAssurance, "report", func(m *MicroCredential) { m.QualityAssurance[0].Report = "https://qa-agency.example/r.pdf" }},
		{ElementPrerequisites, "text", func(m *MicroCredential) { m.Prerequisites["nl"] = "Geen." }},
		{ElementPrerequisites, "removed", func(m *MicroCredential) { m.Prerequisites = nil }},
		{ElementSupervisionAndIdentityVerification, "value", func(m *MicroCredential) {
			m.SupervisionAndIdentityVerification = SupervisedOnlineWithIdentityVerification
		}},
		{ElementGrade, "value", func(m *MicroCredential) { m.Grade.Value = "A" }},
		{ElementGrade, "scale", func(m *MicroCredential) { m.Grade.Scale.AllowedValue = Many[string]{"A", "B", "C"} }},
		{ElementGrade, "removed", func(m *MicroCredential) { m.Grade = nil }},
		{ElementIntegrationStackability, "kind", func(m *MicroCredential) { m.IntegrationStackability = &IntegrationStackability{Kind: StandAlone} }},
		{ElementIntegrationStackability, "target", func(m *MicroCredential) {
			m.IntegrationStackability.Towards[0].ID = "https://alliance.example/programmes/other"
		}},
		{ElementFurtherInformation, "note", func(m *MicroCredential) { m.FurtherInformation.Notes[0]["fr"] = "En anglais." }},
		{ElementFurtherInformation, "link", func(m *MicroCredential) { m.FurtherInformation.Links[0] = "https://alliance.example/other" }},
		{ElementMobility, "relation", func(m *MicroCredential) { m.Mobility[0].Relation = MobilityConcludes }},
		{ElementMobility, "format", func(m *MicroCredential) { m.Mobility[0].Format = MobilityBlendedIntensiveProgramme }},
		{ElementMobility, "direction", func(m *MicroCredential) { m.Mobility[0].Direction = MobilityIncoming }},
		{ElementMobility, "host institution", func(m *MicroCredential) { m.Mobility[0].HostInstitutions[0].ID = "https://epsilon.example/" }},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.element] = true
		t.Run(tt.element+"/"+tt.name, func(t *testing.T) {
			m := scenarioMC(t)
			tt.change(m)
			if err := m.Validate(); err != nil {
				t.Fatalf("the changed view is invalid: %v", err)
			}
			if mcNQuads(t, m) == base {
				t.Errorf("changing %s (%s) does not change the canonical N-Quads", tt.element, tt.name)
			}
			// And the change is read back.
			c, _ := m.Credential()
			back, _, err := FromOB3(c)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := viewJSON(t, back), viewJSON(t, m); got != want {
				t.Errorf("FromOB3 after the change differs:\n got %s\nwant %s", got, want)
			}
		})
	}
	for _, e := range append(slices.Clone(MandatoryElements), OptionalElements...) {
		if !covered[e] {
			t.Errorf("element %s has no case", e)
		}
	}
}

func TestMicroCredentialValidateEmpty(t *testing.T) {
	err := new(MicroCredential).Validate()
	var me *MicroCredentialError
	if !errors.As(err, &me) {
		t.Fatalf("Validate = %v, want a *MicroCredentialError", err)
	}
	if got := me.Elements(); !slices.Equal(got, MandatoryElements) {
		t.Errorf("elements with problems = %v, want %v", got, MandatoryElements)
	}
	for _, p := range me.Problems {
		if !strings.HasPrefix(p.Path, "/") || p.Message == "" {
			t.Errorf("problem without path or message: %+v", p)
		}
	}
	var ep ElementProblem
	if !errors.As(err, &ep) || ep.Element != ElementLearner {
		t.Errorf("errors.As(ElementProblem) = %+v", ep)
	}
	if _, err := new(MicroCredential).Credential(); !errors.As(err, &me) {
		t.Errorf("Credential of an empty view: %v", err)
	}
}

// Validate lists every invalid element, with its path.
func TestMicroCredentialValidateInvalid(t *testing.T) {
	m := scenarioMC(t)
	m.Title["nl"] = " "
	m.IssuerCountry.Country = "nl"
	m.AwardingBody[1].ID = ""
	m.DateOfIssue, _ = ParseDateTime("2025-06-30")
	m.LearningOutcomes[1].ESCOSkills[0] = "https://example.org/skill"
	m.Workload.ECTS = "five"
	m.Level.EQF = 9
	m.Level.NotApplicable = true
	m.AssessmentType[0] = "exam"
	m.ParticipationForm[0] = "onsite"
	m.QualityAssurance[0].Type = ""
	m.QualityAssurance[0].Body = nil
	m.SupervisionAndIdentityVerification = "supervised"
	m.Grade.Value = "G"
	m.IntegrationStackability.Towards = nil
	m.FurtherInformation.Links[0] = "not a url"
	m.Mobility[0].Relation = "preparesFro"
	m.Mobility[0].HostInstitutions = nil
	err := m.Validate()
	var me *MicroCredentialError
	if !errors.As(err, &me) {
		t.Fatalf("Validate = %v", err)
	}
	want := map[string]string{
		ElementTitle:                              achPtr + "/title/nl",
		ElementIssuerCountry:                      "/issuer/address/addressCountryCode",
		ElementAwardingBody:                       achPtr + "/awardingBody/1",
		ElementDateOfIssue:                        "/awardedDate",
		ElementLearningOutcomes:                   achPtr + "/learningOutcome/1/relatedESCOSkill/0",
		ElementWorkload:                           achPtr + "/creditPoint/0/point",
		ElementLevel:                              achPtr + "/eqfLevel",
		ElementAssessmentType:                     achPtr + "/assessmentType/0",
		ElementParticipationForm:                  achPtr + "/mode/0",
		ElementQualityAssurance:                   achPtr + "/accreditation/0/dcType",
		ElementSupervisionAndIdentityVerification: achPtr + "/supervisionAndIdentityVerification",
		ElementGrade:                              "/credentialSubject/result/0/value",
		ElementIntegrationStackability:            achPtr + "/stackableTowards",
		ElementFurtherInformation:                 achPtr + "/supplementaryDocument/0",
		ElementMobility:                           achPtr + "/mobility/0/relation",
	}
	for el, path := range want {
		if !slices.ContainsFunc(me.Problems, func(p ElementProblem) bool { return p.Element == el && p.Path == path }) {
			t.Errorf("no problem for %s at %s", el, path)
		}
	}
	if t.Failed() {
		for _, p := range me.Problems {
			t.Log(p)
		}
	}
}

func readCredentialFile(t *testing.T, path string) *AchievementCredential {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCredential(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

// Every example of the profile reads back with no mandatory element
// absent, validates, and the view builds a credential that canonicalizes
// and reads back to the same view.
func TestMicroCredentialProfileExamples(t *testing.T) {
	files, _ := filepath.Glob("../docs/eu-profile/examples/*.json")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			c := readCredentialFile(t, f)
			m, absent, err := FromOB3(c)
			if err != nil {
				t.Fatal(err)
			}
			if len(absent) > 0 {
				t.Errorf("absent = %v", absent)
			}
			if err := m.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			c2, err := m.Credential()
			if err != nil {
				t.Fatal(err)
			}
			credNQuads(t, c2)
			back, _, err := FromOB3(c2)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := viewJSON(t, back), viewJSON(t, m); got != want {
				t.Errorf("view after Credential differs:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestMicroCredentialFromPlainOB3(t *testing.T) {
	c := readCredentialFile(t, "../testdata/ob3/validator-cases/ob30/simple.json")
	m, absent, err := FromOB3(c)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ElementIssuerCountry, ElementLearningOutcomes, ElementWorkload, ElementLevel,
		ElementAssessmentType, ElementParticipationForm, ElementQualityAssurance}
	if !slices.Equal(absent, want) {
		t.Errorf("absent = %v, want %v", absent, want)
	}
	if m.Title[""] != "Teamwork" || m.Learner.ID != "did:example:ebfeb1f712ebc6f1c276e12ec21" ||
		len(m.AwardingBody) != 1 || m.AwardingBody[0].ID != "https://example.com/issuers/876543" ||
		m.DateOfIssue.String() != "2010-01-01T00:00:00Z" {
		t.Errorf("view = %s", viewJSON(t, m))
	}
	var me *MicroCredentialError
	if err := m.Validate(); !errors.As(err, &me) || !slices.Equal(me.Elements(), want) {
		t.Errorf("Validate elements = %v, want %v (%v)", me.Elements(), want, err)
	}
}

// Credentials of other issuers: native OB3 fields and alignments stand
// in for the EU terms.
func TestMicroCredentialFromOB3Fallbacks(t *testing.T) {
	c := readCredentialFile(t, "../testdata/ob3/validator-cases/ob30/simple.json")
	a := c.Achievement()
	a.CreditsAvailable = "3"
	a.InLanguage = "en"
	a.Alignment = Many[Alignment]{
		{Type: Many[string]{TypeAlignment}, TargetType: "ext:EQF", TargetName: NewText("EQF 5"), TargetCode: "5", TargetURL: "http://data.europa.eu/snb/eqf/5"},
		{Type: Many[string]{TypeAlignment}, TargetType: "ext:ESCO", TargetName: NewText("work in teams"), TargetURL: "http://data.europa.eu/esco/skill/0f2ad1c4-1b8f-4b6f-8c2f-0d0f6b7e1a11"},
	}
	c.Issuer.Address = &Address{Type: Many[string]{TypeAddress}, AddressCountry: "de"}
	m, absent, err := FromOB3(c)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ElementAssessmentType, ElementParticipationForm, ElementQualityAssurance}
	if !slices.Equal(absent, want) {
		t.Errorf("absent = %v, want %v", absent, want)
	}
	if m.Level.EQF != 5 || m.Workload.ECTS != "3" || m.IssuerCountry.Country != "DE" || m.Title["en"] != "Teamwork" ||
		len(m.LearningOutcomes) != 1 || m.LearningOutcomes[0].Text["en"] != "work in teams" {
		t.Errorf("view = %s", viewJSON(t, m))
	}
}

// FromOB3 reads concept IRIs as aliases, puts the issuer first among the
// awarding bodies, and keeps invalid values for Validate to report.
func TestMicroCredentialFromOB3Values(t *testing.T) {
	c, err := scenarioMC(t).Credential()
	if err != nil {
		t.Fatal(err)
	}
	a := c.Achievement()
	a.Extra["mode"] = []any{"http://data.europa.eu/snb/learning-assessment/920fbb3cbe"}
	a.Extra["assessmentType"] = "http://data.europa.eu/snb/assessment/4f03b91c0e"
	a.Extra["mobility"].([]any)[0].(map[string]any)["relation"] = "https://w3id.org/microcred/eu/vocab#ConcludesMobility"
	a.Extra["awardingBody"] = []any{map[string]any{"id": "https://beta-universite.example/"}, "https://alpha-university.example/"}
	m, absent, err := FromOB3(c)
	if err != nil || len(absent) > 0 {
		t.Fatalf("FromOB3: %v, absent %v", err, absent)
	}
	if !slices.Equal(m.ParticipationForm, []ParticipationForm{ParticipationOnline}) ||
		!slices.Equal(m.AssessmentType, []AssessmentType{AssessmentPortfolio}) ||
		m.Mobility[0].Relation != MobilityConcludes {
		t.Errorf("aliases not read: %v %v %v", m.ParticipationForm, m.AssessmentType, m.Mobility[0].Relation)
	}
	if len(m.AwardingBody) != 2 || m.AwardingBody[0].ID != "https://alpha-university.example/" || m.AwardingBody[0].Name.String() != "Alpha University" {
		t.Errorf("awarding bodies = %s", viewJSON(t, m))
	}
	if err := m.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}

	// Values of the right shape but wrong content are kept and reported.
	a.Extra["eqfLevel"] = json.Number("7")
	a.Extra["mode"] = []any{"onsite"}
	c.Issuer.Address.AddressCountryCode = "UK"
	m, _, err = FromOB3(c)
	if err != nil {
		t.Fatal(err)
	}
	var me *MicroCredentialError
	if err := m.Validate(); !errors.As(err, &me) ||
		!slices.Equal(me.Elements(), []string{ElementIssuerCountry, ElementLevel, ElementParticipationForm}) {
		t.Errorf("Validate = %v", err)
	}
	// A value of the wrong shape is an error.
	a.Extra["learningOutcome"] = 7
	if _, _, err := FromOB3(c); err == nil {
		t.Error("FromOB3 accepted a number as learningOutcome")
	}
}

// The credentials Credential builds pass the Open Badges 3.0 JSON Schema.
func TestMicroCredentialSchema(t *testing.T) {
	v, err := schema.New(schema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	views := map[string]*MicroCredential{"scenario": scenarioMC(t)}
	files, _ := filepath.Glob("../docs/eu-profile/examples/*.json")
	for _, f := range files {
		m, _, err := FromOB3(readCredentialFile(t, f))
		if err != nil {
			t.Fatal(err)
		}
		views[filepath.Base(f)] = m
	}
	for name, m := range views {
		c, err := m.Credential()
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		res, err := v.ValidateCredential(context.Background(), b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !res.Valid() {
			t.Errorf("%s: schema problems: %+v", name, res.Problems)
		}
	}
	// Control: the schema is applied (OB 3.0 requires a description).
	m := scenarioMC(t)
	m.Description = ""
	c, _ := m.Credential()
	b, _ := json.Marshal(c)
	if res, err := v.ValidateCredential(context.Background(), b); err != nil || res.Valid() {
		t.Errorf("a credential without description passes the schema (%v)", err)
	}
}

// Inconsistencies of the credential read, which the view cannot hold, are
// reported by Validate until their element is changed.
func TestMicroCredentialReadProblems(t *testing.T) {
	c := readCredentialFile(t, "../docs/eu-profile/examples/joint-mobility-preparation.json")
	a := c.Achievement()
	a.Alignment[0].TargetCode = "6"
	a.CreditsAvailable = "6"
	a.Name = NewText("Intercultural Competence")
	a.Extra["awardingBody"] = []any{"https://beta-universite.example/"}
	a.Extra["volumeOfLearning"] = "PT2H30M"
	m, absent, err := FromOB3(c)
	if err != nil || len(absent) > 0 {
		t.Fatalf("FromOB3: %v, absent %v", err, absent)
	}
	var me *MicroCredentialError
	if err := m.Validate(); !errors.As(err, &me) {
		t.Fatalf("Validate = %v", err)
	}
	want := []ElementProblem{
		{ElementTitle, achPtr + "/name", ""},
		{ElementAwardingBody, achPtr + "/awardingBody", ""},
		{ElementWorkload, achPtr + "/creditsAvailable", ""},
		{ElementWorkload, achPtr + "/volumeOfLearning", ""},
		{ElementLevel, achPtr + "/alignment/0/targetCode", ""},
	}
	if len(me.Problems) != len(want) {
		t.Fatalf("problems = %v", me.Problems)
	}
	for i, p := range me.Problems {
		if p.Element != want[i].Element || p.Path != want[i].Path {
			t.Errorf("problem %d = %v, want %s at %s", i, p, want[i].Element, want[i].Path)
		}
	}
	// Changing the element in the view settles it.
	m.Level.EQF = 6
	m.Title["en"] = "Intercultural Competence"
	if err := m.Validate(); !errors.As(err, &me) || !slices.Equal(me.Elements(), []string{ElementAwardingBody, ElementWorkload}) {
		t.Errorf("after the changes: %v", err)
	}
}

func TestMicroCredentialElement(t *testing.T) {
	full, empty := scenarioMC(t), new(MicroCredential)
	for _, name := range append(slices.Clone(MandatoryElements), OptionalElements...) {
		if _, ok := full.Element(name); !ok {
			t.Errorf("%s absent from the scenario", name)
		}
		if v, ok := empty.Element(name); ok {
			t.Errorf("%s present in an empty view: %v", name, v)
		}
	}
	if v, ok := full.Element("learningOutcome"); ok || v != nil {
		t.Error("unknown element name accepted")
	}
}
