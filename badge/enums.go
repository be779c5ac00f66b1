package badge

import (
	"slices"
	"strings"
)

// The enumerations of Open Badges 3.0, with the values of the OB 3.0 JSON
// Schema (achievementcredential, 2024 build and published purl copy; the
// lists are identical). AchievementType, ResultType, AlignmentTargetType
// and IdentifierType are extensible: a value "ext:" followed by a name is
// also valid. ResultStatusType is closed.
//
// On the extension pattern: the schema's pattern is
// "(ext:)[a-z|A-Z|0-9|.|-|_]+", unanchored, so the schema accepts any
// string that contains "ext:" and one more name character somewhere. The
// intent is clearly "ext:" followed by a name; this package checks that:
// "ext:" then one or more ASCII letters, digits, '.', '-' or '_' and
// nothing else. (The schema's character class also admits '|' and, being
// written with '|' separators, not '-' — both read as slips.)

// AchievementType is the type of an achievement (Achievement.achievementType).
type AchievementType string

// The AchievementType values of Open Badges 3.0.
const (
	AchievementTypeAchievement                 AchievementType = "Achievement"
	AchievementTypeApprenticeshipCertificate   AchievementType = "ApprenticeshipCertificate"
	AchievementTypeAssessment                  AchievementType = "Assessment"
	AchievementTypeAssignment                  AchievementType = "Assignment"
	AchievementTypeAssociateDegree             AchievementType = "AssociateDegree"
	AchievementTypeAward                       AchievementType = "Award"
	AchievementTypeBadge                       AchievementType = "Badge"
	AchievementTypeBachelorDegree              AchievementType = "BachelorDegree"
	AchievementTypeCertificate                 AchievementType = "Certificate"
	AchievementTypeCertificateOfCompletion     AchievementType = "CertificateOfCompletion"
	AchievementTypeCertification               AchievementType = "Certification"
	AchievementTypeCommunityService            AchievementType = "CommunityService"
	AchievementTypeCompetency                  AchievementType = "Competency"
	AchievementTypeCourse                      AchievementType = "Course"
	AchievementTypeCoCurricular                AchievementType = "CoCurricular"
	AchievementTypeDegree                      AchievementType = "Degree"
	AchievementTypeDiploma                     AchievementType = "Diploma"
	AchievementTypeDoctoralDegree              AchievementType = "DoctoralDegree"
	AchievementTypeFieldwork                   AchievementType = "Fieldwork"
	AchievementTypeGeneralEducationDevelopment AchievementType = "GeneralEducationDevelopment"
	AchievementTypeJourneymanCertificate       AchievementType = "JourneymanCertificate"
	AchievementTypeLearningProgram             AchievementType = "LearningProgram"
	AchievementTypeLicense                     AchievementType = "License"
	AchievementTypeMembership                  AchievementType = "Membership"
	AchievementTypeProfessionalDoctorate       AchievementType = "ProfessionalDoctorate"
	AchievementTypeQualityAssuranceCredential  AchievementType = "QualityAssuranceCredential"
	AchievementTypeMasterCertificate           AchievementType = "MasterCertificate"
	AchievementTypeMasterDegree                AchievementType = "MasterDegree"
	AchievementTypeMicroCredential             AchievementType = "MicroCredential"
	AchievementTypeResearchDoctorate           AchievementType = "ResearchDoctorate"
	AchievementTypeSecondarySchoolDiploma      AchievementType = "SecondarySchoolDiploma"
)

var achievementTypes = []AchievementType{
	"Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree",
	"Award", "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification",
	"CommunityService", "Competency", "Course", "CoCurricular", "Degree", "Diploma",
	"DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment", "JourneymanCertificate",
	"LearningProgram", "License", "Membership", "ProfessionalDoctorate",
	"QualityAssuranceCredential", "MasterCertificate", "MasterDegree", "MicroCredential",
	"ResearchDoctorate", "SecondarySchoolDiploma",
}

// Valid reports whether t is an Open Badges 3.0 achievement type or an
// "ext:" extension.
func (t AchievementType) Valid() bool {
	return slices.Contains(achievementTypes, t) || IsExtension(string(t))
}

// ResultType is the type of result a ResultDescription describes.
type ResultType string

// The ResultType values of Open Badges 3.0.
const (
	ResultTypeGradePointAverage    ResultType = "GradePointAverage"
	ResultTypeLetterGrade          ResultType = "LetterGrade"
	ResultTypePercent              ResultType = "Percent"
	ResultTypePerformanceLevel     ResultType = "PerformanceLevel"
	ResultTypePredictedScore       ResultType = "PredictedScore"
	ResultTypeRawScore             ResultType = "RawScore"
	ResultTypeResult               ResultType = "Result"
	ResultTypeRubricCriterion      ResultType = "RubricCriterion"
	ResultTypeRubricCriterionLevel ResultType = "RubricCriterionLevel"
	ResultTypeRubricScore          ResultType = "RubricScore"
	ResultTypeScaledScore          ResultType = "ScaledScore"
	ResultTypeStatus               ResultType = "Status"
)

var resultTypes = []ResultType{
	"GradePointAverage", "LetterGrade", "Percent", "PerformanceLevel", "PredictedScore",
	"RawScore", "Result", "RubricCriterion", "RubricCriterionLevel", "RubricScore",
	"ScaledScore", "Status",
}

// Valid reports whether t is an Open Badges 3.0 result type or an "ext:"
// extension.
func (t ResultType) Valid() bool {
	return slices.Contains(resultTypes, t) || IsExtension(string(t))
}

// ResultStatusType is the status of a Result (required when the linked
// ResultDescription has resultType Status). It is not extensible.
type ResultStatusType string

// The ResultStatusType values of Open Badges 3.0.
const (
	ResultStatusCompleted   ResultStatusType = "Completed"
	ResultStatusEnrolled    ResultStatusType = "Enrolled"
	ResultStatusFailed      ResultStatusType = "Failed"
	ResultStatusInProgress  ResultStatusType = "InProgress"
	ResultStatusOnHold      ResultStatusType = "OnHold"
	ResultStatusProvisional ResultStatusType = "Provisional"
	ResultStatusWithdrew    ResultStatusType = "Withdrew"
)

var resultStatusTypes = []ResultStatusType{
	"Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew",
}

// Valid reports whether t is one of the Open Badges 3.0 result statuses.
func (t ResultStatusType) Valid() bool { return slices.Contains(resultStatusTypes, t) }

// AlignmentTargetType is the type of the node an Alignment points at.
type AlignmentTargetType string

// The AlignmentTargetType values of Open Badges 3.0.
const (
	AlignmentTargetCeasnCompetency        AlignmentTargetType = "ceasn:Competency"
	AlignmentTargetCetermsCredential      AlignmentTargetType = "ceterms:Credential"
	AlignmentTargetCFItem                 AlignmentTargetType = "CFItem"
	AlignmentTargetCFRubric               AlignmentTargetType = "CFRubric"
	AlignmentTargetCFRubricCriterion      AlignmentTargetType = "CFRubricCriterion"
	AlignmentTargetCFRubricCriterionLevel AlignmentTargetType = "CFRubricCriterionLevel"
	AlignmentTargetCTDL                   AlignmentTargetType = "CTDL"
)

var alignmentTargetTypes = []AlignmentTargetType{
	"ceasn:Competency", "ceterms:Credential", "CFItem", "CFRubric", "CFRubricCriterion",
	"CFRubricCriterionLevel", "CTDL",
}

// Valid reports whether t is an Open Badges 3.0 alignment target type or
// an "ext:" extension.
func (t AlignmentTargetType) Valid() bool {
	return slices.Contains(alignmentTargetTypes, t) || IsExtension(string(t))
}

// IdentifierType is the type of an identifier: IdentifierEntry's
// identifierType and IdentityObject's identityType.
type IdentifierType string

// The IdentifierType values of Open Badges 3.0.
const (
	IdentifierTypeName                   IdentifierType = "name"
	IdentifierTypeSourcedID              IdentifierType = "sourcedId"
	IdentifierTypeSystemID               IdentifierType = "systemId"
	IdentifierTypeProductID              IdentifierType = "productId"
	IdentifierTypeUserName               IdentifierType = "userName"
	IdentifierTypeAccountID              IdentifierType = "accountId"
	IdentifierTypeEmailAddress           IdentifierType = "emailAddress"
	IdentifierTypeNationalIdentityNumber IdentifierType = "nationalIdentityNumber"
	IdentifierTypeISBN                   IdentifierType = "isbn"
	IdentifierTypeISSN                   IdentifierType = "issn"
	IdentifierTypeLISSourcedID           IdentifierType = "lisSourcedId"
	IdentifierTypeOneRosterSourcedID     IdentifierType = "oneRosterSourcedId"
	IdentifierTypeSISSourcedID           IdentifierType = "sisSourcedId"
	IdentifierTypeLTIContextID           IdentifierType = "ltiContextId"
	IdentifierTypeLTIDeploymentID        IdentifierType = "ltiDeploymentId"
	IdentifierTypeLTIToolID              IdentifierType = "ltiToolId"
	IdentifierTypeLTIPlatformID          IdentifierType = "ltiPlatformId"
	IdentifierTypeLTIUserID              IdentifierType = "ltiUserId"
	IdentifierTypeIdentifier             IdentifierType = "identifier"
)

var identifierTypes = []IdentifierType{
	"name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress",
	"nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId",
	"sisSourcedId", "ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId",
	"ltiUserId", "identifier",
}

// Valid reports whether t is an Open Badges 3.0 identifier type or an
// "ext:" extension.
func (t IdentifierType) Valid() bool {
	return slices.Contains(identifierTypes, t) || IsExtension(string(t))
}

// IsExtension reports whether s is an extension value of an extensible
// enumeration: "ext:" followed by one or more ASCII letters, digits, '.',
// '-' or '_'.
func IsExtension(s string) bool {
	name, ok := strings.CutPrefix(s, "ext:")
	if !ok || name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
