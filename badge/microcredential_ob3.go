package badge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/schema"
)

// TypeEUMicroCredentialAchievement is the extension type of the EU
// micro-credential profile, listed in an achievement's type next to
// Achievement; its context is ld.EUMicroCredentialV1URL.
const TypeEUMicroCredentialAchievement = "EUMicroCredentialAchievement"

// Alignment target types the EU profile uses to mirror its levels and
// skills for generic Open Badges displays.
const (
	AlignmentTargetEQF  AlignmentTargetType = "ext:EQF"
	AlignmentTargetNQF  AlignmentTargetType = "ext:NQF"
	AlignmentTargetESCO AlignmentTargetType = "ext:ESCO"
)

// langMap returns t as a JSON-LD language map ("" becomes "@none").
func (t LangText) langMap() map[string]any {
	m := make(map[string]any, len(t))
	for k, v := range t {
		if k == "" {
			k = "@none"
		}
		m[k] = v
	}
	return m
}

// primaryLanguage returns Language, or else the first language of Title.
func (m *MicroCredential) primaryLanguage() string {
	if m.Language != "" || len(m.Title) == 0 {
		return m.Language
	}
	keys := make([]string, 0, len(m.Title))
	for k := range m.Title {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys[0]
}

func formatHours(h float64) string {
	return "PT" + strconv.FormatFloat(h, 'f', -1, 64) + "H"
}

// Credential builds the Open Badges 3.0 AchievementCredential that
// carries the micro-credential, as docs/eu-profile/README.md maps it:
// @context [credentials v2, OB 3.0.3, EU v1]; the issuer is the first
// awarding body, with the issuer country and region in its address;
// validFrom and awardedDate are the date of issue; the achievement has
// type [Achievement, EUMicroCredentialAchievement], achievementType
// MicroCredential, name = Title[Language], creditsAvailable (and the
// subject's creditsEarned) and one ECTS creditPoint, EQF and ESCO
// alignments mirroring eqfLevel and the outcomes' ESCO skills, the grade
// as resultDescription/result, and the EU terms for the other elements.
//
// The view is validated first: an invalid view returns the
// *MicroCredentialError of Validate and no credential. AchievementID,
// Description and Criteria are not Annex I elements, but Open Badges 3.0
// requires them: without them the credential fails Check and the OB 3.0
// JSON Schema. The credential has no proof; sign it with an Issuer or
// vc/dataintegrity.
func (m *MicroCredential) Credential() (*AchievementCredential, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	lang := m.primaryLanguage()
	issuer := m.AwardingBody[0]
	if issuer.Type == nil {
		issuer.Type = Many[string]{TypeProfile}
	}
	if issuer.Address == nil {
		issuer.Address = &Address{Type: Many[string]{TypeAddress}}
	} else {
		a := *issuer.Address
		issuer.Address = &a
	}
	issuer.Address.AddressCountryCode = m.IssuerCountry.Country
	issuer.Address.AddressRegion = m.IssuerCountry.Region

	a := &Achievement{
		ID:              m.AchievementID,
		Type:            Many[string]{TypeAchievement, TypeEUMicroCredentialAchievement},
		AchievementType: AchievementTypeMicroCredential,
		Name:            NewText(m.Title[lang]),
		Description:     NewText(m.Description),
		InLanguage:      m.Language,
		Creator:         m.Creator,
	}
	if m.Criteria != "" {
		a.Criteria = &Criteria{Narrative: NewText(m.Criteria)}
	}
	ex := map[string]any{}
	ex["title"] = m.Title.langMap()

	bodies := []any{m.AwardingBody[0].ID}
	for _, p := range m.AwardingBody[1:] {
		bodies = append(bodies, p)
	}
	ex["awardingBody"] = bodies

	var outcomes []any
	for _, o := range m.LearningOutcomes {
		lo := map[string]any{"type": "LearningOutcome", "title": o.Text.langMap()}
		if len(o.ESCOSkills) > 0 {
			lo["relatedESCOSkill"] = o.ESCOSkills
		}
		if len(o.RelatedSkills) > 0 {
			lo["relatedSkill"] = o.RelatedSkills
		}
		outcomes = append(outcomes, lo)
	}
	ex["learningOutcome"] = outcomes

	subject := AchievementSubject{
		ID:         m.Learner.ID,
		Type:       Many[string]{TypeAchievementSubject},
		Identifier: m.Learner.Identifier,
	}
	if m.Workload.ECTS != "" {
		a.CreditsAvailable = json.Number(m.Workload.ECTS)
		subject.CreditsEarned = json.Number(m.Workload.ECTS)
		ex["creditPoint"] = []any{map[string]any{"framework": creditFrameworkECTS, "point": m.Workload.ECTS}}
	}
	if m.Workload.Hours > 0 {
		ex["volumeOfLearning"] = formatHours(m.Workload.Hours)
	}

	lv := m.Level
	if lv.NotApplicable {
		ex["levelNotApplicable"] = true
	}
	if lv.EQF != 0 {
		ex["eqfLevel"] = eqfPrefix + strconv.Itoa(lv.EQF)
		a.Alignment = append(a.Alignment, Alignment{
			Type:            Many[string]{TypeAlignment},
			TargetType:      AlignmentTargetEQF,
			TargetName:      NewText("EQF level " + strconv.Itoa(lv.EQF)),
			TargetFramework: NewText("European Qualifications Framework"),
			TargetCode:      strconv.Itoa(lv.EQF),
			TargetURL:       eqfPrefix + strconv.Itoa(lv.EQF),
		})
	}
	if len(lv.NQF) > 0 {
		ex["nqfLevel"] = lv.NQF
	}
	if lv.QFEHEACycle != "" {
		ex["qfEheaCycle"] = string(lv.QFEHEACycle)
	}
	for _, o := range m.LearningOutcomes {
		for _, s := range o.ESCOSkills {
			a.Alignment = append(a.Alignment, Alignment{
				Type:            Many[string]{TypeAlignment},
				TargetType:      AlignmentTargetESCO,
				TargetName:      NewText(o.Text[lang]),
				TargetFramework: NewText("ESCO"),
				TargetURL:       s,
			})
		}
	}
	a.Alignment = append(a.Alignment, m.Alignment...)

	ex["assessmentType"] = m.AssessmentType
	ex["mode"] = m.ParticipationForm
	var accs []any
	for _, q := range m.QualityAssurance {
		acc := map[string]any{"dcType": string(q.Type), "accreditingAgent": q.Body}
		if len(q.Title) > 0 {
			acc["title"] = q.Title.langMap()
		}
		if q.Report != "" {
			acc["report"] = q.Report
		}
		accs = append(accs, acc)
	}
	ex["accreditation"] = accs

	if len(m.Prerequisites) > 0 {
		ex["entryRequirement"] = map[string]any{"noteLiteral": m.Prerequisites.langMap()}
	}
	if m.SupervisionAndIdentityVerification != "" {
		ex["supervisionAndIdentityVerification"] = string(m.SupervisionAndIdentityVerification)
	}
	if g := m.Grade; g != nil {
		d := g.Scale
		if d.Type == nil {
			d.Type = Many[string]{TypeResultDescription}
		}
		a.ResultDescription = Many[ResultDescription]{d}
		subject.Result = Many[Result]{{
			Type:              Many[string]{TypeResult},
			ResultDescription: d.ID,
			Value:             g.Value,
			Status:            g.Status,
		}}
	}
	if is := m.IntegrationStackability; is != nil {
		if is.Kind != "" {
			ex["integrationStackability"] = string(is.Kind)
		}
		if len(is.Towards) > 0 {
			var ts []any
			for _, t := range is.Towards {
				if t.Name == "" {
					ts = append(ts, t.ID)
				} else {
					ts = append(ts, map[string]any{"id": t.ID, "name": t.Name})
				}
			}
			ex["stackableTowards"] = ts
		}
	}
	if fi := m.FurtherInformation; fi != nil {
		if len(fi.Notes) > 0 {
			var ns []any
			for _, n := range fi.Notes {
				ns = append(ns, map[string]any{"noteLiteral": n.langMap()})
			}
			ex["additionalNote"] = ns
		}
		if len(fi.Links) > 0 {
			ex["supplementaryDocument"] = fi.Links
		}
	}
	if len(m.Mobility) > 0 {
		var ms []any
		for _, mo := range m.Mobility {
			e := map[string]any{"relation": string(mo.Relation), "format": string(mo.Format)}
			if mo.Direction != "" {
				e["direction"] = string(mo.Direction)
			}
			if len(mo.HostInstitutions) > 0 {
				e["hostInstitution"] = mo.HostInstitutions
			}
			ms = append(ms, e)
		}
		ex["mobility"] = ms
	}
	// Normalize the extras to decoded JSON, as ParseCredential would
	// give them.
	raw, err := json.Marshal(ex)
	if err != nil {
		return nil, fmt.Errorf("badge: MicroCredential.Credential: %w", err)
	}
	if a.Extra, err = decodeJSONMap(raw); err != nil {
		return nil, fmt.Errorf("badge: MicroCredential.Credential: %w", err)
	}
	subject.Achievement = a

	c := &AchievementCredential{
		Context:           Many[any]{ld.CredentialsV2URL, ld.OB303URL, ld.EUMicroCredentialV1URL},
		ID:                m.ID,
		Type:              Many[string]{TypeVerifiableCredential, TypeOpenBadgeCredential},
		Name:              NewText(m.Title[lang]),
		Issuer:            &issuer,
		ValidFrom:         m.DateOfIssue,
		AwardedDate:       m.DateOfIssue,
		CredentialSubject: OneOrMany[AchievementSubject]{subject},
		// Claim the profile's JSON Schema, so any verifier that applies
		// credentialSchema entries checks the EU elements too.
		CredentialSchema: Many[CredentialSchema]{{ID: schema.EUMicroCredentialSchemaURL, Type: OneOrMany[string]{Type1EdTechJsonSchemaValidator2019}}},
	}
	return c, nil
}

// ClaimsEUProfile reports whether the credential claims the EU
// micro-credential profile: its achievement is typed
// EUMicroCredentialAchievement. Such a credential is held to
// MicroCredential.Validate (the Issuer does so on every Issue).
func (c *AchievementCredential) ClaimsEUProfile() bool {
	a := c.Achievement()
	return a != nil && slices.Contains(a.Type, TypeEUMicroCredentialAchievement)
}

func decodeJSONMap(raw []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// oneOrMore reads a JSON value or an array of them.
type oneOrMore[T any] []T

// UnmarshalJSON accepts a single value or an array.
func (o *oneOrMore[T]) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var l []T
		if err := json.Unmarshal(data, &l); err != nil {
			return err
		}
		*o = l
		return nil
	}
	if string(data) == "null" {
		*o = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*o = oneOrMore[T]{v}
	return nil
}

// UnmarshalJSON reads a target given as an IRI or as {"id", "name"}.
func (t *StackTarget) UnmarshalJSON(data []byte) error {
	var s string
	if json.Unmarshal(data, &s) == nil {
		*t = StackTarget{ID: s}
		return nil
	}
	var o struct {
		ID   string `json:"id"`
		Name Text   `json:"name"`
	}
	if err := json.Unmarshal(data, &o); err != nil {
		return err
	}
	*t = StackTarget{ID: o.ID, Name: o.Name.String()}
	return nil
}

// euNote is an elm:Note.
type euNote struct {
	NoteLiteral Text `json:"noteLiteral"`
}

// euAchievement holds the EU terms of an achievement, as read back.
type euAchievement struct {
	Title           Text               `json:"title"`
	AwardingBody    oneOrMore[Profile] `json:"awardingBody"`
	LearningOutcome oneOrMore[struct {
		Title            Text              `json:"title"`
		RelatedESCOSkill oneOrMore[string] `json:"relatedESCOSkill"`
		RelatedSkill     oneOrMore[string] `json:"relatedSkill"`
	}] `json:"learningOutcome"`
	CreditPoint oneOrMore[struct {
		Framework string `json:"framework"`
		Point     any    `json:"point"`
	}] `json:"creditPoint"`
	VolumeOfLearning   string                       `json:"volumeOfLearning"`
	EQFLevel           any                          `json:"eqfLevel"`
	NQFLevel           oneOrMore[string]            `json:"nqfLevel"`
	QFEheaCycle        string                       `json:"qfEheaCycle"`
	LevelNotApplicable bool                         `json:"levelNotApplicable"`
	AssessmentType     oneOrMore[AssessmentType]    `json:"assessmentType"`
	Mode               oneOrMore[ParticipationForm] `json:"mode"`
	Accreditation      oneOrMore[struct {
		DCType           QualityAssuranceType `json:"dcType"`
		AccreditingAgent *Profile             `json:"accreditingAgent"`
		Title            Text                 `json:"title"`
		Report           string               `json:"report"`
	}] `json:"accreditation"`
	EntryRequirement                   *euNote                `json:"entryRequirement"`
	SupervisionAndIdentityVerification Supervision            `json:"supervisionAndIdentityVerification"`
	IntegrationStackability            Stackability           `json:"integrationStackability"`
	StackableTowards                   oneOrMore[StackTarget] `json:"stackableTowards"`
	AdditionalNote                     oneOrMore[euNote]      `json:"additionalNote"`
	SupplementaryDocument              oneOrMore[string]      `json:"supplementaryDocument"`
	Mobility                           oneOrMore[struct {
		Relation        MobilityRelation   `json:"relation"`
		Format          MobilityFormat     `json:"format"`
		Direction       MobilityDirection  `json:"direction"`
		HostInstitution oneOrMore[Profile] `json:"hostInstitution"`
	}] `json:"mobility"`
}

// langText returns t as a LangText (the first value per language; ""
// for an untagged value), or nil when t is empty.
func langText(t Text, defaultLang string) LangText {
	if t.IsZero() {
		return nil
	}
	m := LangText{}
	if t.Value != "" {
		m[defaultLang] = t.Value
	}
	for _, l := range t.Langs {
		if _, ok := m[l.Lang]; !ok {
			m[l.Lang] = l.Value
		}
	}
	return m
}

func aliasOf[T ~string](e enumeration, v T) T {
	if a := e.alias(string(v)); a != "" {
		return T(a)
	}
	return v
}

// parseHours reads "PT<n>H" (and "P<d>DT<n>H"-less forms are not read).
func parseHours(s string) (float64, bool) {
	if !strings.HasPrefix(s, "PT") || !strings.HasSuffix(s, "H") {
		return 0, false
	}
	h, err := strconv.ParseFloat(s[2:len(s)-1], 64)
	return h, err == nil && h > 0
}

// FromOB3 reads an Open Badges 3.0 credential into the typed view and
// reports which mandatory elements are absent (by element name, in the
// order of MandatoryElements). Absent optional elements are simply zero in
// the view.
//
// The EU profile's terms are read where present; for credentials of other
// issuers, native Open Badges fields stand in: the issuer for the awarding
// body, validFrom when there is no awardedDate, the name (in inLanguage)
// for the title, creditsAvailable (taken as ECTS) when there is no ECTS
// creditPoint, ext:EQF and ext:NQF alignments for the level, and ext:ESCO
// alignments (or alignments to ESCO skill IRIs) for the learning outcomes.
// Enumeration values given as concept IRIs are read as their aliases.
//
// FromOB3 does not validate: call Validate on the result, which also
// reports the inconsistencies of the credential that the view cannot
// hold (an ext:EQF alignment that disagrees with eqfLevel,
// creditsAvailable without or unlike the ECTS creditPoint, an ECTS point
// that is not a string, a volumeOfLearning that is not PT<n>H, a name that is
// not the title in the primary language, awarding bodies without the
// issuer). It fails only
// when the credential has no subject or achievement, or an EU term has a
// value of the wrong JSON shape.
func FromOB3(c *AchievementCredential) (*MicroCredential, []string, error) {
	return fromOB3(c, false)
}

// fromOB3 is FromOB3; parsed says that c was read from JSON (its extras
// are a decoded tree), so that the EU terms can be read from the tree
// (euAchievement.fromTree) rather than through a JSON round trip.
func fromOB3(c *AchievementCredential, parsed bool) (*MicroCredential, []string, error) {
	if c == nil || c.Subject() == nil || c.Achievement() == nil {
		return nil, nil, fmt.Errorf("badge: FromOB3: the credential has no credentialSubject.achievement")
	}
	s, a := c.Subject(), c.Achievement()
	var eu euAchievement
	if !parsed || !eu.fromTree(a.Extra) {
		eu = euAchievement{}
		raw, err := json.Marshal(a.Extra)
		if err != nil {
			return nil, nil, fmt.Errorf("badge: FromOB3: %w", err)
		}
		if err := json.Unmarshal(raw, &eu); err != nil {
			return nil, nil, fmt.Errorf("badge: FromOB3: an EU term of the achievement has a value of the wrong shape: %w", err)
		}
	}
	m := &MicroCredential{
		ID:            c.ID,
		AchievementID: a.ID,
		Language:      a.InLanguage,
		Description:   a.Description.String(),
		Creator:       a.Creator,
		Learner:       Learner{ID: s.ID, Identifier: s.Identifier},
		DateOfIssue:   c.AwardedDate,
	}
	if a.Criteria != nil {
		m.Criteria = a.Criteria.Narrative.String()
	}
	// title
	m.Title = langText(eu.Title, a.InLanguage)
	if m.Title == nil {
		m.Title = langText(a.Name, a.InLanguage)
	} else if name := a.Name.String(); name != "" && a.Name.Langs == nil && m.Title[a.InLanguage] != name {
		m.readProblem(ElementTitle, achPtr+"/name", "the name %q is not the title in the primary language %q", name, a.InLanguage)
	}
	// issuerCountry and awardingBody
	var issuer *Profile
	if c.Issuer != nil {
		p := *c.Issuer
		issuer = &p
		if ad := p.Address; ad != nil {
			m.IssuerCountry = IssuerCountry{Country: ad.AddressCountryCode, Region: ad.AddressRegion}
			if m.IssuerCountry.Country == "" && len(ad.AddressCountry) == 2 {
				m.IssuerCountry.Country = strings.ToUpper(ad.AddressCountry)
			}
			na := *ad
			na.AddressCountryCode, na.AddressRegion = "", ""
			if na.AddressCountry == m.IssuerCountry.Country {
				na.AddressCountry = ""
			}
			p.Address = &na
			if onlyTypeAddress(&na) {
				p.Address = nil
			}
		}
	}
	isEU := slices.Contains(a.Type, TypeEUMicroCredentialAchievement)
	if isEU && len(eu.AwardingBody) > 0 && issuer != nil &&
		!slices.ContainsFunc(eu.AwardingBody, func(p Profile) bool { return p.ID == issuer.ID }) {
		m.readProblem(ElementAwardingBody, achPtr+"/awardingBody", "the awarding bodies do not include the issuer %q", issuer.ID)
	}
	for _, b := range eu.AwardingBody {
		if issuer != nil && b.ID == issuer.ID && b.IsRef() {
			b = *issuer
		}
		m.AwardingBody = append(m.AwardingBody, b)
	}
	if issuer != nil {
		// The issuer is the first awarding body of the view.
		switch i := slices.IndexFunc(m.AwardingBody, func(p Profile) bool { return p.ID == issuer.ID }); {
		case i < 0:
			m.AwardingBody = append([]Profile{*issuer}, m.AwardingBody...)
		case i > 0:
			b := m.AwardingBody[i]
			m.AwardingBody = append([]Profile{b}, slices.Delete(m.AwardingBody, i, i+1)...)
		}
	}
	if m.DateOfIssue.IsZero() {
		m.DateOfIssue = c.ValidFrom
	}
	// learningOutcomes
	for _, o := range eu.LearningOutcome {
		m.LearningOutcomes = append(m.LearningOutcomes, LearningOutcome{
			Text:          langText(o.Title, a.InLanguage),
			ESCOSkills:    o.RelatedESCOSkill,
			RelatedSkills: o.RelatedSkill,
		})
	}
	// level (alignments) and the other alignments
	var eqfFromAlignment, eqfAlignmentIndex int
	var nqfFromAlignment []string
	var escoAlignments []LearningOutcome
	for i, al := range a.Alignment {
		switch {
		case al.TargetType == AlignmentTargetEQF:
			if n, err := strconv.Atoi(al.TargetCode); err == nil {
				eqfFromAlignment, eqfAlignmentIndex = n, i
			} else if n, ok := eqfFromIRI(al.TargetURL); ok {
				eqfFromAlignment, eqfAlignmentIndex = n, i
			}
		case al.TargetType == AlignmentTargetNQF:
			if al.TargetURL != "" {
				nqfFromAlignment = append(nqfFromAlignment, al.TargetURL)
			}
		case al.TargetType == AlignmentTargetESCO || strings.HasPrefix(al.TargetURL, escoPrefix):
			escoAlignments = append(escoAlignments, LearningOutcome{
				Text:       langText(al.TargetName, a.InLanguage),
				ESCOSkills: []string{al.TargetURL},
			})
		default:
			m.Alignment = append(m.Alignment, al)
		}
	}
	if len(m.LearningOutcomes) == 0 {
		m.LearningOutcomes = escoAlignments
	}
	// workload
	for i, cp := range eu.CreditPoint {
		if cp.Framework == creditFrameworkECTS || cp.Framework == creditFrameworkECTSIRI {
			m.Workload.ECTS = fmt.Sprint(cp.Point)
			if _, ok := cp.Point.(string); !ok {
				m.readProblem(ElementWorkload, achPtr+"/creditPoint/"+strconv.Itoa(i)+"/point", "point must be a decimal string, as in EDC")
			}
		}
	}
	switch {
	case m.Workload.ECTS == "" && a.CreditsAvailable != "":
		m.Workload.ECTS = a.CreditsAvailable.String()
		if isEU {
			m.readProblem(ElementWorkload, achPtr+"/creditPoint", "creditsAvailable is %s but there is no ECTS creditPoint", a.CreditsAvailable)
		}
	case m.Workload.ECTS != "" && a.CreditsAvailable != "" && !sameNumber(m.Workload.ECTS, a.CreditsAvailable.String()):
		m.readProblem(ElementWorkload, achPtr+"/creditsAvailable", "creditsAvailable %s differs from the ECTS creditPoint %s", a.CreditsAvailable, m.Workload.ECTS)
	}
	if h, ok := parseHours(eu.VolumeOfLearning); ok {
		m.Workload.Hours = h
	} else if eu.VolumeOfLearning != "" {
		m.readProblem(ElementWorkload, achPtr+"/volumeOfLearning", "volumeOfLearning %q is not a number of hours (PT<n>H)", eu.VolumeOfLearning)
	}
	// level
	switch v := eu.EQFLevel.(type) {
	case string:
		if n, ok := eqfFromIRI(v); ok {
			m.Level.EQF = n
			if eqfFromAlignment != 0 && eqfFromAlignment != n {
				m.readProblem(ElementLevel, achPtr+"/alignment/"+strconv.Itoa(eqfAlignmentIndex)+"/targetCode",
					"the ext:EQF alignment (level %d) disagrees with eqfLevel (level %d)", eqfFromAlignment, n)
			}
		} else {
			m.Level.EQF = -1 // present but invalid: Validate reports it
		}
	case nil:
		m.Level.EQF = eqfFromAlignment
	default:
		m.Level.EQF = -1
	}
	m.Level.NQF = eu.NQFLevel
	if len(m.Level.NQF) == 0 {
		m.Level.NQF = nqfFromAlignment
	}
	m.Level.QFEHEACycle = aliasOf(qfEheaCycles, QFEHEACycle(eu.QFEheaCycle))
	m.Level.NotApplicable = eu.LevelNotApplicable
	// assessmentType, participationForm
	for _, t := range eu.AssessmentType {
		m.AssessmentType = append(m.AssessmentType, aliasOf(assessmentTypes, t))
	}
	for _, f := range eu.Mode {
		m.ParticipationForm = append(m.ParticipationForm, aliasOf(participationForms, f))
	}
	// qualityAssurance
	for _, acc := range eu.Accreditation {
		m.QualityAssurance = append(m.QualityAssurance, QualityAssurance{
			Type:   aliasOf(qaTypes, acc.DCType),
			Body:   acc.AccreditingAgent,
			Title:  langText(acc.Title, a.InLanguage),
			Report: acc.Report,
		})
	}
	// optional elements
	if eu.EntryRequirement != nil {
		m.Prerequisites = langText(eu.EntryRequirement.NoteLiteral, a.InLanguage)
	}
	m.SupervisionAndIdentityVerification = aliasOf(supervisions, eu.SupervisionAndIdentityVerification)
	if g := gradeOf(s, a); g != nil {
		m.Grade = g
	}
	if eu.IntegrationStackability != "" || len(eu.StackableTowards) > 0 {
		m.IntegrationStackability = &IntegrationStackability{
			Kind:    aliasOf(stackabilities, eu.IntegrationStackability),
			Towards: eu.StackableTowards,
		}
	}
	if len(eu.AdditionalNote) > 0 || len(eu.SupplementaryDocument) > 0 {
		fi := &FurtherInformation{Links: eu.SupplementaryDocument}
		for _, n := range eu.AdditionalNote {
			fi.Notes = append(fi.Notes, langText(n.NoteLiteral, a.InLanguage))
		}
		m.FurtherInformation = fi
	}
	for _, mo := range eu.Mobility {
		m.Mobility = append(m.Mobility, Mobility{
			Relation:         aliasOf(mobilityRelations, mo.Relation),
			Format:           aliasOf(mobilityFormats, mo.Format),
			Direction:        aliasOf(mobilityDirections, mo.Direction),
			HostInstitutions: mo.HostInstitution,
		})
	}
	for i := range m.readProblems {
		m.readProblems[i].value = m.elementJSON(m.readProblems[i].Element)
	}
	return m, m.absent(), nil
}

func onlyTypeAddress(a *Address) bool {
	b := *a
	b.Type = nil
	return b.AddressCountry == "" && b.AddressCountryCode == "" && b.AddressRegion == "" &&
		b.AddressLocality == "" && b.StreetAddress == "" && b.PostOfficeBoxNumber == "" &&
		b.PostalCode == "" && b.Geo == nil && len(b.Extra) == 0
}

func eqfFromIRI(s string) (int, bool) {
	rest, ok := strings.CutPrefix(s, eqfPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 1 && n <= 8
}

// gradeOf returns the first result of s that links to a result
// description of a, as a Grade.
func gradeOf(s *AchievementSubject, a *Achievement) *Grade {
	for _, r := range s.Result {
		for _, d := range a.ResultDescription {
			if d.ID != "" && d.ID == r.ResultDescription {
				return &Grade{Scale: d, Value: r.Value, Status: r.Status}
			}
		}
	}
	return nil
}

// absent returns the mandatory elements that are not present at all.
func (m *MicroCredential) absent() []string {
	var out []string
	for _, name := range MandatoryElements {
		if _, ok := m.Element(name); !ok {
			out = append(out, name)
		}
	}
	return out
}

// readProblem records an inconsistency of the credential read; FromOB3
// calls it when the element's value in the view is final.
func (m *MicroCredential) readProblem(element, path, format string, args ...any) {
	m.readProblems = append(m.readProblems, readProblem{ElementProblem{element, path, fmt.Sprintf(format, args...)}, ""})
}

// elementJSON returns the JSON of an element's value.
func (m *MicroCredential) elementJSON(name string) string {
	v, _ := m.Element(name)
	b, _ := json.Marshal(v)
	return string(b)
}

// sameNumber reports whether two decimal strings are the same number.
func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && x == y
}
