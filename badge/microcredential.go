package badge

import (
	"strings"
)

// The names of the elements of Annex I of Council Recommendation 2022/C
// 243/02 (a European approach to micro-credentials), as MicroCredential,
// its JSON, Validate and FromOB3 use them.
const (
	ElementLearner                            = "learner"
	ElementTitle                              = "title"
	ElementIssuerCountry                      = "issuerCountry"
	ElementAwardingBody                       = "awardingBody"
	ElementDateOfIssue                        = "dateOfIssue"
	ElementLearningOutcomes                   = "learningOutcomes"
	ElementWorkload                           = "workload"
	ElementLevel                              = "level"
	ElementAssessmentType                     = "assessmentType"
	ElementParticipationForm                  = "participationForm"
	ElementQualityAssurance                   = "qualityAssurance"
	ElementPrerequisites                      = "prerequisites"
	ElementSupervisionAndIdentityVerification = "supervisionAndIdentityVerification"
	ElementGrade                              = "grade"
	ElementIntegrationStackability            = "integrationStackability"
	ElementFurtherInformation                 = "furtherInformation"
	ElementMobility                           = "mobility"
)

// MandatoryElements lists the mandatory elements of Annex I, in its order.
var MandatoryElements = []string{
	ElementLearner, ElementTitle, ElementIssuerCountry, ElementAwardingBody,
	ElementDateOfIssue, ElementLearningOutcomes, ElementWorkload, ElementLevel,
	ElementAssessmentType, ElementParticipationForm, ElementQualityAssurance,
}

// OptionalElements lists the optional elements of Annex I, and mobility.
var OptionalElements = []string{
	ElementPrerequisites, ElementSupervisionAndIdentityVerification, ElementGrade,
	ElementIntegrationStackability, ElementFurtherInformation, ElementMobility,
}

// MicroCredential is a typed view of a micro-credential: the elements of
// Annex I of Council Recommendation 2022/C 243/02, named as in
// MandatoryElements and OptionalElements, plus the few native Open Badges
// 3.0 fields an achievement needs (ID, AchievementID, Language,
// Description, Criteria, Creator, Alignment).
//
// Credential turns the view into an Open Badges 3.0 AchievementCredential
// carrying the EU profile (docs/eu-profile/README.md); FromOB3 reads any
// Open Badges 3.0 credential back; Validate lists every missing or invalid
// element.
type MicroCredential struct {
	// ID is the credential's id (optional).
	ID string `json:"id,omitempty"`
	// AchievementID is the achievement's id (Open Badges 3.0 requires
	// one).
	AchievementID string `json:"achievementId,omitempty"`
	// Language is the credential's primary language (the achievement's
	// inLanguage): the achievement's name is Title[Language].
	Language string `json:"language,omitempty"`
	// Description is the achievement's description (native OB3).
	Description string `json:"description,omitempty"`
	// Criteria is the achievement's criteria narrative (native OB3).
	Criteria string `json:"criteria,omitempty"`
	// Creator is the organization that defined the achievement, e.g. a
	// university alliance (native OB3; optional).
	Creator *Profile `json:"creator,omitempty"`
	// Alignment lists further alignments (ISCED-F, other frameworks);
	// Credential adds the EQF and ESCO alignments itself.
	Alignment []Alignment `json:"alignment,omitempty"`

	// Learner identifies the learner (mandatory).
	Learner Learner `json:"learner,omitzero"`
	// Title is the title of the micro-credential in each language
	// (mandatory).
	Title LangText `json:"title,omitempty"`
	// IssuerCountry is the country (and region) of the issuer
	// (mandatory).
	IssuerCountry IssuerCountry `json:"issuerCountry,omitzero"`
	// AwardingBody lists the awarding bodies (mandatory, one or more).
	// The first one is the issuer of the credential and must have an ID.
	AwardingBody []Profile `json:"awardingBody,omitempty"`
	// DateOfIssue is the date of issue (mandatory).
	DateOfIssue DateTime `json:"dateOfIssue,omitzero"`
	// LearningOutcomes lists the learning outcomes (mandatory, one or
	// more).
	LearningOutcomes []LearningOutcome `json:"learningOutcomes,omitempty"`
	// Workload is the notional workload, in ECTS and/or hours
	// (mandatory).
	Workload Workload `json:"workload,omitzero"`
	// Level is the level of the learning experience (mandatory).
	Level Level `json:"level,omitzero"`
	// AssessmentType lists the types of assessment (mandatory).
	AssessmentType []AssessmentType `json:"assessmentType,omitempty"`
	// ParticipationForm lists the forms of participation (mandatory).
	ParticipationForm []ParticipationForm `json:"participationForm,omitempty"`
	// QualityAssurance lists the quality assurance used (mandatory, one
	// or more).
	QualityAssurance []QualityAssurance `json:"qualityAssurance,omitempty"`

	// Prerequisites are the prerequisites for enrolment (optional).
	Prerequisites LangText `json:"prerequisites,omitempty"`
	// SupervisionAndIdentityVerification says how the assessment was
	// supervised and the learner identified (optional).
	SupervisionAndIdentityVerification Supervision `json:"supervisionAndIdentityVerification,omitempty"`
	// Grade is the grade achieved (optional).
	Grade *Grade `json:"grade,omitempty"`
	// IntegrationStackability says whether the micro-credential stands
	// alone or stacks towards other credentials (optional).
	IntegrationStackability *IntegrationStackability `json:"integrationStackability,omitempty"`
	// FurtherInformation holds further notes and links (optional).
	FurtherInformation *FurtherInformation `json:"furtherInformation,omitempty"`
	// Mobility lists the mobilities the micro-credential relates to.
	Mobility []Mobility `json:"mobility,omitempty"`

	// readProblems are the inconsistencies FromOB3 found in the
	// credential it read (views cannot hold them); Validate reports them
	// as long as their element keeps the value it was read with.
	readProblems []readProblem
}

type readProblem struct {
	ElementProblem
	value string // the element's JSON when read
}

// Element returns the value of the element called name (one of
// MandatoryElements or OptionalElements) and whether it is present; the
// value is the view's field (LangText, Learner, []Profile, *Grade, …),
// and encodes in JSON as the view does. An unknown name returns nil,
// false.
func (m *MicroCredential) Element(name string) (value any, present bool) {
	switch name {
	case ElementLearner:
		return m.Learner, m.Learner.ID != "" || len(m.Learner.Identifier) > 0
	case ElementTitle:
		return m.Title, len(m.Title) > 0
	case ElementIssuerCountry:
		return m.IssuerCountry, m.IssuerCountry != IssuerCountry{}
	case ElementAwardingBody:
		return m.AwardingBody, len(m.AwardingBody) > 0
	case ElementDateOfIssue:
		return m.DateOfIssue, !m.DateOfIssue.IsZero()
	case ElementLearningOutcomes:
		return m.LearningOutcomes, len(m.LearningOutcomes) > 0
	case ElementWorkload:
		return m.Workload, m.Workload != Workload{}
	case ElementLevel:
		return m.Level, !m.Level.IsZero()
	case ElementAssessmentType:
		return m.AssessmentType, len(m.AssessmentType) > 0
	case ElementParticipationForm:
		return m.ParticipationForm, len(m.ParticipationForm) > 0
	case ElementQualityAssurance:
		return m.QualityAssurance, len(m.QualityAssurance) > 0
	case ElementPrerequisites:
		return m.Prerequisites, len(m.Prerequisites) > 0
	case ElementSupervisionAndIdentityVerification:
		return m.SupervisionAndIdentityVerification, m.SupervisionAndIdentityVerification != ""
	case ElementGrade:
		return m.Grade, m.Grade != nil
	case ElementIntegrationStackability:
		return m.IntegrationStackability, m.IntegrationStackability != nil
	case ElementFurtherInformation:
		return m.FurtherInformation, m.FurtherInformation != nil
	case ElementMobility:
		return m.Mobility, len(m.Mobility) > 0
	}
	return nil, false
}

// LangText is a text in several languages: BCP 47 language tag → text.
// The key "" holds a text without a language.
type LangText map[string]string

// Learner identifies the learner: the credential subject's id and/or its
// identifiers.
type Learner struct {
	// ID is the learner's IRI (a DID, a URL).
	ID string `json:"id,omitempty"`
	// Identifier identifies the learner by other means (name, email,
	// student number), plain or hashed.
	Identifier []IdentityObject `json:"identifier,omitempty"`
}

// IssuerCountry is the country, and optionally the region, of the issuer.
type IssuerCountry struct {
	// Country is the ISO 3166-1 alpha-2 code ("NL").
	Country string `json:"country,omitempty"`
	// Region is the region ("Utrecht"), optional.
	Region string `json:"region,omitempty"`
}

// LearningOutcome is one learning outcome.
type LearningOutcome struct {
	// Text is the outcome in each language.
	Text LangText `json:"text,omitempty"`
	// ESCOSkills are ESCO skill IRIs (http://data.europa.eu/esco/skill/…).
	ESCOSkills []string `json:"escoSkills,omitempty"`
	// RelatedSkills are skill IRIs of other frameworks.
	RelatedSkills []string `json:"relatedSkills,omitempty"`
}

// Workload is the notional workload: ECTS credits and/or hours.
type Workload struct {
	// ECTS is the number of ECTS credits as a decimal string ("5",
	// "7.5"); "" when not given.
	ECTS string `json:"ects,omitempty"`
	// Hours is the notional learning time in hours; 0 when not given.
	Hours float64 `json:"hours,omitempty"`
}

// Level is the level of the learning experience: an EQF level and/or NQF
// levels and/or a QF-EHEA cycle, or explicitly not applicable.
type Level struct {
	// EQF is the EQF level, 1–8; 0 when not given.
	EQF int `json:"eqf,omitempty"`
	// NQF lists NQF level concept IRIs (http://data.europa.eu/snb/qdr/…).
	NQF []string `json:"nqf,omitempty"`
	// QFEHEACycle is the QF-EHEA cycle.
	QFEHEACycle QFEHEACycle `json:"qfEheaCycle,omitempty"`
	// NotApplicable says that no level applies (then nothing else may be
	// set).
	NotApplicable bool `json:"notApplicable,omitempty"`
}

// IsZero reports whether no level information is given.
func (l Level) IsZero() bool {
	return l.EQF == 0 && len(l.NQF) == 0 && l.QFEHEACycle == "" && !l.NotApplicable
}

// QualityAssurance is a quality assurance (accreditation) of the
// micro-credential: its type and the body that performed it.
type QualityAssurance struct {
	// Type is the type of quality assurance.
	Type QualityAssuranceType `json:"type,omitempty"`
	// Body is the quality assurance body (a Profile or a reference).
	Body *Profile `json:"body,omitempty"`
	// Title names the quality assurance, per language (optional).
	Title LangText `json:"title,omitempty"`
	// Report is the URL of the report (optional).
	Report string `json:"report,omitempty"`
}

// Grade is the grade achieved: the grading scale (an Open Badges
// ResultDescription, which needs an ID) and the learner's value or status.
type Grade struct {
	// Scale describes the possible results (resultType, allowedValue,
	// …).
	Scale ResultDescription `json:"scale"`
	// Value is the learner's result ("B").
	Value string `json:"value,omitempty"`
	// Status is the learner's status, for a Status result type.
	Status ResultStatusType `json:"status,omitempty"`
}

// IntegrationStackability says whether the micro-credential is stand-alone
// or stackable towards other credentials.
type IntegrationStackability struct {
	// Kind is standAlone or stackable.
	Kind Stackability `json:"kind,omitempty"`
	// Towards names the credentials it stacks towards.
	Towards []StackTarget `json:"towards,omitempty"`
}

// StackTarget is a credential a micro-credential stacks towards.
type StackTarget struct {
	// ID is the target's IRI.
	ID string `json:"id"`
	// Name is its name (optional).
	Name string `json:"name,omitempty"`
}

// FurtherInformation holds further notes, per language, and links to
// public documents.
type FurtherInformation struct {
	// Notes are notes in several languages.
	Notes []LangText `json:"notes,omitempty"`
	// Links are URLs of supplementary documents.
	Links []string `json:"links,omitempty"`
}

// Mobility is a mobility the micro-credential relates to.
type Mobility struct {
	// Relation is how the micro-credential relates to the mobility.
	Relation MobilityRelation `json:"relation,omitempty"`
	// Format is the mobility's format.
	Format MobilityFormat `json:"format,omitempty"`
	// Direction is seen from the issuer (optional).
	Direction MobilityDirection `json:"direction,omitempty"`
	// HostInstitutions are the host institutions (required unless the
	// format is virtual).
	HostInstitutions []Profile `json:"hostInstitutions,omitempty"`
}

// enumeration is the set of aliases of one EU-profile property, with their
// concept IRIs (see ld/contexts/microcred-eu-v1.jsonld).
type enumeration map[string]string

// valid reports whether v is an alias or the concept IRI of one.
func (e enumeration) valid(v string) bool {
	if _, ok := e[v]; ok {
		return true
	}
	return e.alias(v) != ""
}

// alias returns the alias for v (an alias or a concept IRI), or "".
func (e enumeration) alias(v string) string {
	if _, ok := e[v]; ok {
		return v
	}
	for a, iri := range e {
		if iri == v {
			return a
		}
	}
	return ""
}

const (
	mcVocab    = "https://w3id.org/microcred/eu/vocab#"
	snb        = "http://data.europa.eu/snb/"
	eqfPrefix  = snb + "eqf/"
	escoPrefix = "http://data.europa.eu/esco/skill/"
)

// AssessmentType is a type of assessment (Europass learning assessment
// types), written as its alias.
type AssessmentType string

// The assessment types of the EU profile.
const (
	AssessmentArtefact             AssessmentType = "artefactAssessment"
	AssessmentContinuousEvaluation AssessmentType = "continuousEvaluation"
	AssessmentGroupPerformance     AssessmentType = "groupPerformance"
	AssessmentLevelOfAttendance    AssessmentType = "levelOfAttendance"
	AssessmentMarkedAssignment     AssessmentType = "markedAssignment"
	AssessmentOralExamination      AssessmentType = "oralExamination"
	AssessmentPeerAssessment       AssessmentType = "peerAssessment"
	AssessmentPeerReview           AssessmentType = "peerReview"
	AssessmentPortfolio            AssessmentType = "portfolio"
	AssessmentPractical            AssessmentType = "practicalAssessment"
	AssessmentProblemBasedLearning AssessmentType = "problemBasedLearning"
	AssessmentProjectWork          AssessmentType = "projectWork"
	AssessmentQuiz                 AssessmentType = "quiz"
	AssessmentWrittenExamination   AssessmentType = "writtenExamination"
)

var assessmentTypes = enumeration{
	"artefactAssessment":   snb + "assessment/de4d165a6c",
	"continuousEvaluation": snb + "assessment/3484bd7e51",
	"groupPerformance":     snb + "assessment/56539a6507",
	"levelOfAttendance":    snb + "assessment/7331eb4762",
	"markedAssignment":     snb + "assessment/2939dae15f",
	"oralExamination":      snb + "assessment/d30284d7df",
	"peerAssessment":       snb + "assessment/19a2e5e671",
	"peerReview":           snb + "assessment/812e3b0ae1",
	"portfolio":            snb + "assessment/4f03b91c0e",
	"practicalAssessment":  snb + "assessment/6a4db9f11d",
	"problemBasedLearning": snb + "assessment/c4256a2726",
	"projectWork":          snb + "assessment/795dac4096",
	"quiz":                 snb + "assessment/b1b68f6735",
	"writtenExamination":   snb + "assessment/6e6cb2cc78",
}

// Valid reports whether t is an alias of the profile or its concept IRI.
func (t AssessmentType) Valid() bool { return assessmentTypes.valid(string(t)) }

// ParticipationForm is a form of participation (the ELM mode of learning
// and assessment, or volunteering), written as its alias.
type ParticipationForm string

// The participation forms of the EU profile. Annex I's forms map as
// online → ParticipationOnline, onsite → ParticipationOnsite, blended →
// ParticipationBlended, work experience → ParticipationWorkExperience,
// volunteering → ParticipationVolunteering.
const (
	ParticipationOnline           ParticipationForm = "online"
	ParticipationOnsite           ParticipationForm = "presential"
	ParticipationBlended          ParticipationForm = "blended"
	ParticipationWorkExperience   ParticipationForm = "workbased"
	ParticipationVolunteering     ParticipationForm = "volunteering"
	ParticipationProjectBased     ParticipationForm = "projectBased"
	ParticipationResearchLabBased ParticipationForm = "researchLabBased"
)

var participationForms = enumeration{
	"online":           snb + "learning-assessment/920fbb3cbe",
	"presential":       snb + "learning-assessment/9191af2ed9",
	"blended":          snb + "learning-assessment/e92d221e4d",
	"workbased":        snb + "learning-assessment/729f3bed4b",
	"projectBased":     snb + "learning-assessment/7813801c77",
	"researchLabBased": snb + "learning-assessment/ed4c557045",
	"volunteering":     snb + "learning-activity/59eaf34fab",
}

// Valid reports whether f is an alias of the profile or its concept IRI.
func (f ParticipationForm) Valid() bool { return participationForms.valid(string(f)) }

// QualityAssuranceType is a Europass accreditation type, written as its
// alias.
type QualityAssuranceType string

// The quality assurance types of the EU profile.
const (
	QAInstitutionalLicense          QualityAssuranceType = "institutionalLicense"
	QAInstitutionalQualityAssurance QualityAssuranceType = "institutionalQualityAssurance"
	QAProgramLicense                QualityAssuranceType = "programLicense"
	QAProgramQualityAssurance       QualityAssuranceType = "programQualityAssurance"
)

var qaTypes = enumeration{
	"institutionalLicense":          snb + "accreditation/003293d2ce",
	"institutionalQualityAssurance": snb + "accreditation/bb4618238e",
	"programLicense":                snb + "accreditation/e57dddfcf3",
	"programQualityAssurance":       snb + "accreditation/820101cba6",
}

// Valid reports whether t is an alias of the profile or its concept IRI.
func (t QualityAssuranceType) Valid() bool { return qaTypes.valid(string(t)) }

// QFEHEACycle is a cycle of the Qualifications Framework of the European
// Higher Education Area.
type QFEHEACycle string

// The QF-EHEA cycles.
const (
	QFEHEAShortCycle  QFEHEACycle = "shortCycle"
	QFEHEAFirstCycle  QFEHEACycle = "firstCycle"
	QFEHEASecondCycle QFEHEACycle = "secondCycle"
	QFEHEAThirdCycle  QFEHEACycle = "thirdCycle"
)

var qfEheaCycles = enumeration{
	"shortCycle":  mcVocab + "QFEHEAShortCycle",
	"firstCycle":  mcVocab + "QFEHEAFirstCycle",
	"secondCycle": mcVocab + "QFEHEASecondCycle",
	"thirdCycle":  mcVocab + "QFEHEAThirdCycle",
}

// Valid reports whether c is an alias of the profile or its concept IRI.
func (c QFEHEACycle) Valid() bool { return qfEheaCycles.valid(string(c)) }

// Supervision says how the assessment was supervised and the learner's
// identity verified.
type Supervision string

// The supervision and identity verification values.
const (
	UnsupervisedNoIdentityVerification       Supervision = "unsupervisedNoIdentityVerification"
	SupervisedNoIdentityVerification         Supervision = "supervisedNoIdentityVerification"
	SupervisedOnlineWithIdentityVerification Supervision = "supervisedOnlineWithIdentityVerification"
	SupervisedOnsiteWithIdentityVerification Supervision = "supervisedOnsiteWithIdentityVerification"
)

var supervisions = enumeration{
	"unsupervisedNoIdentityVerification":       mcVocab + "UnsupervisedNoIdentityVerification",
	"supervisedNoIdentityVerification":         mcVocab + "SupervisedNoIdentityVerification",
	"supervisedOnlineWithIdentityVerification": mcVocab + "SupervisedOnlineWithIdentityVerification",
	"supervisedOnsiteWithIdentityVerification": mcVocab + "SupervisedOnsiteWithIdentityVerification",
}

// Valid reports whether s is an alias of the profile or its concept IRI.
func (s Supervision) Valid() bool { return supervisions.valid(string(s)) }

// Stackability says whether a micro-credential is stand-alone or
// stackable.
type Stackability string

// The integration/stackability values.
const (
	StandAlone Stackability = "standAlone"
	Stackable  Stackability = "stackable"
)

var stackabilities = enumeration{
	"standAlone": mcVocab + "StandAlone",
	"stackable":  mcVocab + "Stackable",
}

// Valid reports whether s is an alias of the profile or its concept IRI.
func (s Stackability) Valid() bool { return stackabilities.valid(string(s)) }

// MobilityRelation is how a micro-credential relates to a mobility.
type MobilityRelation string

// The mobility relations.
const (
	MobilityPreparesFor      MobilityRelation = "preparesFor"
	MobilityConcludes        MobilityRelation = "concludes"
	MobilityPartOf           MobilityRelation = "partOf"
	MobilityIncludesRequired MobilityRelation = "includesRequired"
	MobilityIsMobility       MobilityRelation = "isMobility"
)

var mobilityRelations = enumeration{
	"preparesFor":      mcVocab + "PreparesForMobility",
	"concludes":        mcVocab + "ConcludesMobility",
	"partOf":           mcVocab + "PartOfMobility",
	"includesRequired": mcVocab + "IncludesRequiredMobility",
	"isMobility":       mcVocab + "IsMobility",
}

// Valid reports whether r is an alias of the profile or its concept IRI.
func (r MobilityRelation) Valid() bool { return mobilityRelations.valid(string(r)) }

// MobilityFormat is the format of a mobility.
type MobilityFormat string

// The mobility formats.
const (
	MobilityPhysical                  MobilityFormat = "physical"
	MobilityVirtual                   MobilityFormat = "virtual"
	MobilityBlended                   MobilityFormat = "blended"
	MobilityBlendedIntensiveProgramme MobilityFormat = "blendedIntensiveProgramme"
)

var mobilityFormats = enumeration{
	"physical":                  mcVocab + "PhysicalMobility",
	"virtual":                   mcVocab + "VirtualMobility",
	"blended":                   mcVocab + "BlendedMobility",
	"blendedIntensiveProgramme": mcVocab + "BlendedIntensiveProgramme",
}

// Valid reports whether f is an alias of the profile or its concept IRI.
func (f MobilityFormat) Valid() bool { return mobilityFormats.valid(string(f)) }

// MobilityDirection is the direction of a mobility, seen from the issuer.
type MobilityDirection string

// The mobility directions.
const (
	MobilityOutgoing MobilityDirection = "outgoing"
	MobilityIncoming MobilityDirection = "incoming"
)

var mobilityDirections = enumeration{
	"outgoing": mcVocab + "OutgoingMobility",
	"incoming": mcVocab + "IncomingMobility",
}

// Valid reports whether d is an alias of the profile or its concept IRI.
func (d MobilityDirection) Valid() bool { return mobilityDirections.valid(string(d)) }

// ECTS credit framework concept IRI, and its alias.
const (
	creditFrameworkECTS    = "ECTS"
	creditFrameworkECTSIRI = snb + "education-credit/6fcec5c5af"
)

// isAbsIRI reports whether s looks like an absolute IRI: a scheme, a
// colon, no white space.
func isAbsIRI(s string) bool {
	i := strings.IndexByte(s, ':')
	if i < 1 || strings.ContainsAny(s, " \t\r\n<>\"{}|\\^`") {
		return false
	}
	for j, r := range s[:i] {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case j > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}
