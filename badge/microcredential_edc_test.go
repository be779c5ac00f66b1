package badge

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/language"
)

// The European Commission's micro-credential sample (an EDC, ELM 3; see
// testdata/eu/SOURCES.md) mapped element by element into the typed view.
// The sample has no quality assurance: Validate reports exactly that.

// edcNode is a JSON-LD node of the EDC sample.
type edcNode map[string]any

func (n edcNode) node(key string) edcNode {
	switch v := n[key].(type) {
	case map[string]any:
		return v
	case []any:
		if len(v) > 0 {
			m, _ := v[0].(map[string]any)
			return m
		}
	}
	return nil
}

// nodes returns the value of key as a list of nodes (one or many).
func (n edcNode) nodes(key string) []edcNode {
	switch v := n[key].(type) {
	case map[string]any:
		return []edcNode{v}
	case []any:
		var out []edcNode
		for _, e := range v {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

func (n edcNode) str(key string) string {
	s, _ := n[key].(string)
	return s
}

func (n edcNode) id() string { return n.str("id") }

// langMap reads an ELM language map ({"en": "…"}).
func (n edcNode) langMap(key string) LangText {
	m, ok := n[key].(map[string]any)
	if !ok {
		return nil
	}
	out := LangText{}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// ELM uses the Publications Office authority tables: ISO 639-2/B
// languages (those of the sample below) and ISO 3166-1 alpha-3 countries
// (see alpha2).
var (
	edcLanguages = map[string]string{"ENG": "en", "SPA": "es"}
	// The supervision-verification concept of the sample, with its
	// English label "Unsupervised without ID Verification".
	edcSupervision = map[string]Supervision{
		"http://data.europa.eu/snb/supervision-verification/c598449d64": UnsupervisedNoIdentityVerification,
	}
)

// alpha2 returns the ISO 3166-1 alpha-2 code of an alpha-3 code.
func alpha2(alpha3 string) string {
	r, err := language.ParseRegion(alpha3)
	if err != nil {
		return ""
	}
	return r.String()
}

func lastSegment(iri string) string { return iri[strings.LastIndexByte(iri, '/')+1:] }

// camelCase turns an English concept label into the profile's alias
// ("artefact assessment" → "artefactAssessment").
func camelCase(label string) string {
	words := strings.Fields(label)
	for i, w := range words {
		w = strings.ToLower(w)
		if i > 0 {
			r := []rune(w)
			r[0] = unicode.ToUpper(r[0])
			w = string(r)
		}
		words[i] = w
	}
	return strings.Join(words, "")
}

func edcProfile(org edcNode) Profile {
	return Profile{
		ID:   org.id(),
		Type: Many[string]{TypeProfile},
		Name: NewText(org.langMap("legalName")["en"]),
		URL:  org.node("homepage").str("contentURL"),
	}
}

// edcToMicroCredential maps an EDC micro-credential into the view.
func edcToMicroCredential(t *testing.T, doc edcNode) *MicroCredential {
	t.Helper()
	subject := doc.node("credentialSubject")
	claim := subject.node("hasClaim")    // LearningAchievement
	spec := claim.node("specifiedBy")    // Qualification
	assessment := claim.node("provenBy") // LearningAssessment
	assessSpec := assessment.node("specifiedBy")
	awarding := claim.node("awardedBy") // AwardingProcess
	issuer := doc.node("issuer")

	m := &MicroCredential{
		ID:            doc.id(),
		AchievementID: spec.id(),
		Language:      edcLanguages[lastSegment(spec.node("language").id())],
	}
	// learner: the Person node, identified by its IRI and full name.
	m.Learner = Learner{ID: subject.id(), Identifier: []IdentityObject{{
		Type: OneOrMany[string]{TypeIdentityObject}, IdentityType: IdentifierType("name"),
		IdentityHash: subject.langMap("fullName")["en"],
	}}}
	// title: the qualification's title.
	m.Title = spec.langMap("title")
	// issuerCountry: the issuer's address country (alpha-3 → alpha-2) and
	// its ATU region.
	loc := issuer.node("location")
	m.IssuerCountry = IssuerCountry{
		Country: alpha2(lastSegment(loc.node("address").node("countryCode").id())),
		Region:  loc.node("spatialCode").langMap("prefLabel")["en"],
	}
	// awardingBody: awardedBy.awardingBody, the issuer first.
	for _, org := range awarding.nodes("awardingBody") {
		p := edcProfile(org)
		if p.ID == issuer.id() {
			m.AwardingBody = append([]Profile{p}, m.AwardingBody...)
		} else {
			m.AwardingBody = append(m.AwardingBody, p)
		}
	}
	// dateOfIssue: awardingDate, else validFrom.
	date := awarding.str("awardingDate")
	if date == "" {
		date = doc.str("validFrom")
	}
	m.DateOfIssue, _ = ParseDateTime(date)
	// learningOutcomes: title, ESCO and other skills.
	for _, lo := range spec.nodes("learningOutcome") {
		o := LearningOutcome{Text: lo.langMap("title")}
		for _, s := range lo.nodes("relatedESCOSkill") {
			o.ESCOSkills = append(o.ESCOSkills, s.id())
		}
		for _, s := range lo.nodes("relatedSkill") {
			o.RelatedSkills = append(o.RelatedSkills, s.id())
		}
		m.LearningOutcomes = append(m.LearningOutcomes, o)
	}
	// workload: the ECTS credit point and the volume of learning.
	for _, cp := range spec.nodes("creditPoint") {
		if cp.node("framework").id() == creditFrameworkECTSIRI {
			m.Workload.ECTS = cp.str("point")
		}
	}
	if h, ok := parseHours(spec.str("volumeOfLearning")); ok {
		m.Workload.Hours = h
	}
	// level: EQF and NQF concepts.
	if n, ok := eqfFromIRI(spec.node("eqfLevel").id()); ok {
		m.Level.EQF = n
	}
	for _, q := range spec.nodes("nqfLevel") {
		m.Level.NQF = append(m.Level.NQF, q.id())
	}
	// assessmentType: the assessment specification's type, whose concept
	// in the sample is a local one (urn:epass:concept:…): read by label.
	for _, ty := range assessSpec.nodes("dcType") {
		a := AssessmentType(camelCase(ty.langMap("prefLabel")["en"]))
		if !a.Valid() {
			a = aliasOf(assessmentTypes, AssessmentType(ty.id()))
		}
		m.AssessmentType = append(m.AssessmentType, a)
	}
	// participationForm: the qualification's mode.
	for _, md := range spec.nodes("mode") {
		m.ParticipationForm = append(m.ParticipationForm, aliasOf(participationForms, ParticipationForm(md.id())))
	}
	// qualityAssurance: accreditation of the qualification or of the
	// awarding body (none in the sample).
	for _, acc := range append(spec.nodes("accreditation"), awarding.node("awardingBody").nodes("accreditation")...) {
		body := edcProfile(acc.node("accreditingAgent"))
		m.QualityAssurance = append(m.QualityAssurance, QualityAssurance{
			Type: aliasOf(qaTypes, QualityAssuranceType(acc.node("dcType").id())), Body: &body,
		})
	}
	// prerequisites: the entry requirement note.
	m.Prerequisites = spec.node("entryRequirement").langMap("noteLiteral")
	// supervisionAndIdentityVerification: the assessment's idVerification.
	m.SupervisionAndIdentityVerification = edcSupervision[assessment.node("idVerification").id()]
	// grade: the assessment's grade note, on its grading scheme.
	if g := assessment.node("grade"); g != nil {
		scheme := assessSpec.node("gradingScheme")
		m.Grade = &Grade{
			Scale: ResultDescription{ID: scheme.id(), Type: Many[string]{TypeResultDescription},
				Name: NewText(scheme.langMap("title")["en"]), ResultType: ResultTypeResult},
			Value: g.langMap("noteLiteral")["en"],
		}
		m.Criteria = scheme.langMap("description")["en"]
	}
	m.Description = claim.node("influencedBy").langMap("description")["en"]
	// integrationStackability, furtherInformation, mobility: not in ELM's
	// sample (no isPartOf, additionalNote, supplementaryDocument).
	if notes := spec.nodes("additionalNote"); len(notes) > 0 {
		m.FurtherInformation = &FurtherInformation{}
		for _, n := range notes {
			m.FurtherInformation.Notes = append(m.FurtherInformation.Notes, n.langMap("noteLiteral"))
		}
	}
	return m
}

func TestMicroCredentialCommissionSample(t *testing.T) {
	b, err := os.ReadFile("testdata/eu/Sample-MC-Annex1-unsigned.jsonld")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	m := edcToMicroCredential(t, doc)

	str := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	elements := []struct {
		element string
		got     any
		want    string
	}{
		{ElementLearner, m.Learner.ID + " " + m.Learner.Identifier[0].IdentityHash, "urn:epass:person:1 Ana Andromeda"},
		{ElementTitle, m.Title, `{"en":"Digital micro-credential creation"}`},
		{ElementIssuerCountry, m.IssuerCountry, `{"country":"IE","region":"Dublin city"}`},
		{ElementAwardingBody, len(m.AwardingBody), `1`},
		{ElementAwardingBody, m.AwardingBody[0].ID + " " + m.AwardingBody[0].Name.String(), "urn:epass:org:1 University of Zed"},
		{ElementDateOfIssue, m.DateOfIssue.String(), "2022-12-31T23:00:00Z"},
		{ElementLearningOutcomes, len(m.LearningOutcomes), `2`},
		{ElementLearningOutcomes, m.LearningOutcomes[0].ESCOSkills, `["http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9","http://data.europa.eu/esco/skill/80f308e6-0e09-404a-80cd-ec5f50f6f304","http://data.europa.eu/esco/skill/326809fc-238d-40c2-881e-40042f7f2f0d"]`},
		{ElementLearningOutcomes, m.LearningOutcomes[1].Text, `{"en":"Developing digital content","es":"Contento digital"}`},
		{ElementLearningOutcomes, m.LearningOutcomes[1].RelatedSkills, `["http://data.europa.eu/snb/dcf/u69o196gu6","http://data.europa.eu/snb/dcf/3ol5wi3605"]`},
		{ElementWorkload, m.Workload, `{"ects":"2","hours":60}`},
		{ElementLevel, m.Level, `{"eqf":6,"nqf":["http://data.europa.eu/snb/qdr/c_c392e7a2"]}`},
		{ElementAssessmentType, m.AssessmentType, `["artefactAssessment"]`},
		{ElementParticipationForm, m.ParticipationForm, `["blended"]`},
		{ElementQualityAssurance, m.QualityAssurance, `null`},
		{ElementPrerequisites, m.Prerequisites, `{"en":"The learner needs to have an EDC Online Credential Builder account, that requires an EU Login ID."}`},
		{ElementSupervisionAndIdentityVerification, m.SupervisionAndIdentityVerification, `"unsupervisedNoIdentityVerification"`},
		{ElementGrade, m.Grade.Value + " " + m.Grade.Scale.ID + " " + m.Grade.Scale.Name.String(), "Pass urn:epass:gradingScheme:1 Standard grading"},
		{ElementIntegrationStackability, m.IntegrationStackability, `null`},
		{ElementFurtherInformation, m.FurtherInformation, `null`},
		{ElementMobility, m.Mobility, `null`},
	}
	for _, e := range elements {
		got := str(e.got)
		if s, ok := e.got.(string); ok {
			got = s
		}
		if got != e.want {
			t.Errorf("%s = %s, want %s", e.element, got, e.want)
		}
	}

	// The sample has every mandatory element but quality assurance.
	var me *MicroCredentialError
	if err := m.Validate(); !errors.As(err, &me) || !slices.Equal(me.Elements(), []string{ElementQualityAssurance}) {
		t.Fatalf("Validate = %v, want only qualityAssurance missing", err)
	}
	if got := m.absent(); !slices.Equal(got, []string{ElementQualityAssurance}) {
		t.Errorf("absent = %v", got)
	}

	// With a quality assurance added it becomes an OB3 credential that
	// canonicalizes in safe mode and reads back to the same view.
	m.QualityAssurance = []QualityAssurance{{Type: QAInstitutionalQualityAssurance, Body: NewProfileRef("https://qa-agency.example/")}}
	c, err := m.Credential()
	if err != nil {
		t.Fatal(err)
	}
	credNQuads(t, c)
	back, absent, err := FromOB3(c)
	if err != nil || len(absent) > 0 {
		t.Fatalf("FromOB3: %v, absent %v", err, absent)
	}
	if got, want := viewJSON(t, back), viewJSON(t, m); got != want {
		t.Errorf("FromOB3(Credential()) differs:\n got %s\nwant %s", got, want)
	}
}
