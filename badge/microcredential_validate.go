package badge

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// ElementProblem is one missing or invalid element of a MicroCredential.
type ElementProblem struct {
	// Element is the Annex I element name (ElementLearner, …).
	Element string `json:"element"`
	// Path is the RFC 6901 JSON Pointer of the element's value in the
	// credential that MicroCredential.Credential writes.
	Path string `json:"path"`
	// Message says what is missing or wrong.
	Message string `json:"message"`
}

// Error returns "badge: <element> (<path>): <message>".
func (p ElementProblem) Error() string {
	return "badge: " + p.Element + " (" + p.Path + "): " + p.Message
}

// MicroCredentialError is the error MicroCredential.Validate returns: every
// missing or invalid element.
type MicroCredentialError struct {
	Problems []ElementProblem // in the order of the elements
}

// Error returns the first problem and how many more there are.
func (e *MicroCredentialError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0].Error()
	}
	return fmt.Sprintf("%s (and %d more problems)", e.Problems[0].Error(), len(e.Problems)-1)
}

// Unwrap returns the problems as errors, for errors.As.
func (e *MicroCredentialError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// Elements returns the names of the elements with problems, each once, in
// order.
func (e *MicroCredentialError) Elements() []string {
	var out []string
	for _, p := range e.Problems {
		if len(out) == 0 || out[len(out)-1] != p.Element {
			out = append(out, p.Element)
		}
	}
	return out
}

const achPtr = "/credentialSubject/achievement"

var (
	countryCode = regexp.MustCompile(`^[A-Z]{2}$`)
	decimal     = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	langTag     = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)
)

type mcChecker struct{ problems []ElementProblem }

func (k *mcChecker) add(element, path, format string, args ...any) {
	k.problems = append(k.problems, ElementProblem{element, path, fmt.Sprintf(format, args...)})
}

func (k *mcChecker) langText(element, path string, t LangText, what string) {
	if len(t) == 0 {
		k.add(element, path, "%s is missing", what)
		return
	}
	for lang, s := range t {
		if lang != "" && !langTag.MatchString(lang) {
			k.add(element, path+"/"+lang, "%q is not a BCP 47 language tag", lang)
		}
		if strings.TrimSpace(s) == "" {
			k.add(element, path+"/"+lang, "the %s in %q is empty", what, lang)
		}
	}
}

func (k *mcChecker) iris(element, path string, l []string) {
	for i, s := range l {
		if !isAbsIRI(s) {
			k.add(element, path+"/"+strconv.Itoa(i), "%q is not an absolute IRI", s)
		}
	}
}

func (k *mcChecker) profile(element, path string, p *Profile, what string) {
	if p == nil || p.ID == "" {
		k.add(element, path, "the %s has no id", what)
	} else if !isAbsIRI(p.ID) {
		k.add(element, path, "the %s's id %q is not an absolute IRI", what, p.ID)
	}
}

// Validate checks every element and returns a *MicroCredentialError
// listing each missing mandatory element and each invalid element (by
// element name, JSON Pointer in the Credential output, and message), in
// the order of MandatoryElements then OptionalElements, or nil. For a view
// read by FromOB3 it also lists the inconsistencies of the credential read
// (see FromOB3).
func (m *MicroCredential) Validate() error {
	var k mcChecker
	// learner
	switch {
	case m.Learner.ID == "" && len(m.Learner.Identifier) == 0:
		k.add(ElementLearner, "/credentialSubject/id", "the learner is missing: give an id or an identifier")
	case m.Learner.ID != "" && !isAbsIRI(m.Learner.ID):
		k.add(ElementLearner, "/credentialSubject/id", "%q is not an absolute IRI", m.Learner.ID)
	}
	for i, o := range m.Learner.Identifier {
		if o.IdentityHash == "" || o.IdentityType == "" {
			k.add(ElementLearner, "/credentialSubject/identifier/"+strconv.Itoa(i), "an identifier needs identityType and identityHash")
		}
	}
	// title
	k.langText(ElementTitle, achPtr+"/title", m.Title, "title")
	if len(m.Title) > 0 && m.Language != "" {
		if _, ok := m.Title[m.Language]; !ok {
			k.add(ElementTitle, achPtr+"/title", "there is no title in the primary language %q", m.Language)
		}
	}
	// issuerCountry
	switch c := m.IssuerCountry.Country; {
	case c == "":
		k.add(ElementIssuerCountry, "/issuer/address/addressCountryCode", "the issuer country is missing")
	case !isCountryCode(c):
		k.add(ElementIssuerCountry, "/issuer/address/addressCountryCode", "%q is not an ISO 3166-1 alpha-2 country code", c)
	}
	// awardingBody
	if len(m.AwardingBody) == 0 {
		k.add(ElementAwardingBody, achPtr+"/awardingBody", "no awarding body: at least one (the issuer) is required")
	}
	for i := range m.AwardingBody {
		what := "awarding body"
		path := achPtr + "/awardingBody/" + strconv.Itoa(i)
		if i == 0 {
			what, path = "issuer (first awarding body)", "/issuer/id"
		}
		k.profile(ElementAwardingBody, path, &m.AwardingBody[i], what)
	}
	// dateOfIssue
	switch d := m.DateOfIssue; {
	case d.IsZero():
		k.add(ElementDateOfIssue, "/awardedDate", "the date of issue is missing")
	case d.Err() != nil:
		k.add(ElementDateOfIssue, "/awardedDate", "%q is not a date-time: %v", d.String(), d.Err())
	case !d.HasZone():
		k.add(ElementDateOfIssue, "/awardedDate", "%q has no time zone", d.String())
	}
	// learningOutcomes
	if len(m.LearningOutcomes) == 0 {
		k.add(ElementLearningOutcomes, achPtr+"/learningOutcome", "no learning outcome: at least one is required")
	}
	for i, o := range m.LearningOutcomes {
		p := achPtr + "/learningOutcome/" + strconv.Itoa(i)
		k.langText(ElementLearningOutcomes, p+"/title", o.Text, "learning outcome text")
		for j, s := range o.ESCOSkills {
			if !strings.HasPrefix(s, escoPrefix) || !isAbsIRI(s) {
				k.add(ElementLearningOutcomes, p+"/relatedESCOSkill/"+strconv.Itoa(j), "%q is not an ESCO skill IRI (%s…)", s, escoPrefix)
			}
		}
		k.iris(ElementLearningOutcomes, p+"/relatedSkill", o.RelatedSkills)
	}
	// workload
	w := m.Workload
	if w.ECTS == "" && w.Hours == 0 {
		k.add(ElementWorkload, achPtr+"/creditPoint", "the workload is missing: give ECTS credits and/or hours")
	}
	if w.ECTS != "" {
		if f, err := strconv.ParseFloat(w.ECTS, 64); !decimal.MatchString(w.ECTS) || err != nil || f <= 0 {
			k.add(ElementWorkload, achPtr+"/creditPoint/0/point", "ECTS %q is not a positive decimal number", w.ECTS)
		}
	}
	if w.Hours < 0 {
		k.add(ElementWorkload, achPtr+"/volumeOfLearning", "hours %v is negative", w.Hours)
	}
	// level
	lv := m.Level
	switch {
	case lv.IsZero():
		k.add(ElementLevel, achPtr+"/eqfLevel", "the level is missing: give an EQF level, NQF levels, a QF-EHEA cycle, or say it is not applicable")
	case lv.NotApplicable && (lv.EQF != 0 || len(lv.NQF) > 0 || lv.QFEHEACycle != ""):
		k.add(ElementLevel, achPtr+"/levelNotApplicable", "a level is given although it is said not to be applicable")
	}
	if lv.EQF != 0 && (lv.EQF < 1 || lv.EQF > 8) {
		k.add(ElementLevel, achPtr+"/eqfLevel", "EQF level %d is not between 1 and 8 (or not an EQF level IRI)", lv.EQF)
	}
	k.iris(ElementLevel, achPtr+"/nqfLevel", lv.NQF)
	if lv.QFEHEACycle != "" && !lv.QFEHEACycle.Valid() {
		k.add(ElementLevel, achPtr+"/qfEheaCycle", "%q is not a QF-EHEA cycle", lv.QFEHEACycle)
	}
	// assessmentType
	if len(m.AssessmentType) == 0 {
		k.add(ElementAssessmentType, achPtr+"/assessmentType", "the assessment type is missing")
	}
	for i, t := range m.AssessmentType {
		if !t.Valid() {
			k.add(ElementAssessmentType, achPtr+"/assessmentType/"+strconv.Itoa(i), "%q is not an assessment type of the profile", t)
		}
	}
	// participationForm
	if len(m.ParticipationForm) == 0 {
		k.add(ElementParticipationForm, achPtr+"/mode", "the form of participation is missing")
	}
	for i, f := range m.ParticipationForm {
		if !f.Valid() {
			k.add(ElementParticipationForm, achPtr+"/mode/"+strconv.Itoa(i), "%q is not a form of participation of the profile", f)
		}
	}
	// qualityAssurance
	if len(m.QualityAssurance) == 0 {
		k.add(ElementQualityAssurance, achPtr+"/accreditation", "the quality assurance is missing")
	}
	for i, q := range m.QualityAssurance {
		p := achPtr + "/accreditation/" + strconv.Itoa(i)
		switch {
		case q.Type == "":
			k.add(ElementQualityAssurance, p+"/dcType", "the type of quality assurance is missing")
		case !q.Type.Valid():
			k.add(ElementQualityAssurance, p+"/dcType", "%q is not a quality assurance type of the profile", q.Type)
		}
		k.profile(ElementQualityAssurance, p+"/accreditingAgent", q.Body, "quality assurance body")
		if q.Report != "" && !isAbsIRI(q.Report) {
			k.add(ElementQualityAssurance, p+"/report", "%q is not an absolute URL", q.Report)
		}
	}
	// prerequisites
	if len(m.Prerequisites) > 0 {
		k.langText(ElementPrerequisites, achPtr+"/entryRequirement/noteLiteral", m.Prerequisites, "prerequisites")
	}
	// supervisionAndIdentityVerification
	if s := m.SupervisionAndIdentityVerification; s != "" && !s.Valid() {
		k.add(ElementSupervisionAndIdentityVerification, achPtr+"/supervisionAndIdentityVerification", "%q is not a supervision and identity verification value of the profile", s)
	}
	// grade
	if g := m.Grade; g != nil {
		p := achPtr + "/resultDescription/0"
		if g.Scale.ID == "" {
			k.add(ElementGrade, p+"/id", "the grading scale (result description) needs an id")
		}
		if g.Scale.Name.IsZero() {
			k.add(ElementGrade, p+"/name", "the grading scale needs a name")
		}
		if g.Scale.ResultType == "" || !g.Scale.ResultType.Valid() {
			k.add(ElementGrade, p+"/resultType", "resultType %q is not an Open Badges result type", g.Scale.ResultType)
		}
		if g.Value == "" && g.Status == "" {
			k.add(ElementGrade, "/credentialSubject/result/0", "the grade has neither a value nor a status")
		}
		if g.Scale.ResultType == ResultTypeStatus && g.Status == "" {
			k.add(ElementGrade, "/credentialSubject/result/0/status", "a Status result needs a status")
		}
		if g.Status != "" && !g.Status.Valid() {
			k.add(ElementGrade, "/credentialSubject/result/0/status", "%q is not an Open Badges result status", g.Status)
		}
		if g.Value != "" && len(g.Scale.AllowedValue) > 0 && !contains(g.Scale.AllowedValue, g.Value) {
			k.add(ElementGrade, "/credentialSubject/result/0/value", "%q is not one of the allowed values %v", g.Value, []string(g.Scale.AllowedValue))
		}
	}
	// integrationStackability
	if is := m.IntegrationStackability; is != nil {
		p := achPtr + "/integrationStackability"
		switch {
		case is.Kind == "":
			k.add(ElementIntegrationStackability, p, "say whether it is standAlone or stackable")
		case !is.Kind.Valid():
			k.add(ElementIntegrationStackability, p, "%q is neither standAlone nor stackable", is.Kind)
		case is.Kind == Stackable && len(is.Towards) == 0:
			k.add(ElementIntegrationStackability, achPtr+"/stackableTowards", "a stackable micro-credential should name what it stacks towards")
		}
		for i, t := range is.Towards {
			if !isAbsIRI(t.ID) {
				k.add(ElementIntegrationStackability, achPtr+"/stackableTowards/"+strconv.Itoa(i), "%q is not an absolute IRI", t.ID)
			}
		}
	}
	// furtherInformation
	if fi := m.FurtherInformation; fi != nil {
		for i, n := range fi.Notes {
			k.langText(ElementFurtherInformation, achPtr+"/additionalNote/"+strconv.Itoa(i)+"/noteLiteral", n, "note")
		}
		k.iris(ElementFurtherInformation, achPtr+"/supplementaryDocument", fi.Links)
	}
	// mobility
	for i, mo := range m.Mobility {
		p := achPtr + "/mobility/" + strconv.Itoa(i)
		if !mo.Relation.Valid() {
			k.add(ElementMobility, p+"/relation", "%q is not a mobility relation of the profile", mo.Relation)
		}
		if !mo.Format.Valid() {
			k.add(ElementMobility, p+"/format", "%q is not a mobility format of the profile", mo.Format)
		}
		if mo.Direction != "" && !mo.Direction.Valid() {
			k.add(ElementMobility, p+"/direction", "%q is neither outgoing nor incoming", mo.Direction)
		}
		if len(mo.HostInstitutions) == 0 && aliasOf(mobilityFormats, mo.Format) != MobilityVirtual {
			k.add(ElementMobility, p+"/hostInstitution", "a host institution is required unless the mobility is virtual")
		}
		for j := range mo.HostInstitutions {
			k.profile(ElementMobility, p+"/hostInstitution/"+strconv.Itoa(j), &mo.HostInstitutions[j], "host institution")
		}
	}
	for _, p := range m.readProblems {
		if p.value == m.elementJSON(p.Element) {
			k.problems = append(k.problems, p.ElementProblem)
		}
	}
	slices.SortStableFunc(k.problems, func(a, b ElementProblem) int { return elementOrder(a.Element) - elementOrder(b.Element) })
	if len(k.problems) == 0 {
		return nil
	}
	return &MicroCredentialError{Problems: k.problems}
}

// isCountryCode reports whether c is an ISO 3166-1 alpha-2 code of a
// country: two capital letters that CLDR knows as a country and maps to
// an alpha-3 code (so "ZZ", "EU", "QO" and the reserved "UK" are refused;
// "XK", Kosovo, which the EU country table lists, is accepted).
func isCountryCode(c string) bool {
	if !countryCode.MatchString(c) {
		return false
	}
	r, err := language.ParseRegion(c)
	return err == nil && r.IsCountry() && r.ISO3() != "ZZZ"
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func elementOrder(name string) int {
	if i := slices.Index(MandatoryElements, name); i >= 0 {
		return i
	}
	return len(MandatoryElements) + slices.Index(OptionalElements, name)
}
