package badge

import (
	"encoding/json"
	"reflect"
	"time"

	"github.com/microcred/microcred/vc"
)

// Type names of the Open Badges 3.0 classes and of the VC types they use.
const (
	TypeVerifiableCredential  = "VerifiableCredential"
	TypeAchievementCredential = "AchievementCredential"
	// TypeOpenBadgeCredential is an alias of AchievementCredential (the
	// 3.0.3 context maps it to the same IRI); either satisfies OB 3.0.
	TypeOpenBadgeCredential   = "OpenBadgeCredential"
	TypeEndorsementCredential = "EndorsementCredential"
	TypeAchievement           = "Achievement"
	TypeAchievementSubject    = "AchievementSubject"
	TypeAddress               = "Address"
	TypeAlignment             = "Alignment"
	TypeCriteria              = "Criteria"
	TypeEndorsementSubject    = "EndorsementSubject"
	TypeEvidence              = "Evidence"
	TypeGeoCoordinates        = "GeoCoordinates"
	TypeIdentifierEntry       = "IdentifierEntry"
	TypeIdentityObject        = "IdentityObject"
	TypeImage                 = "Image"
	TypeProfile               = "Profile"
	TypeRelated               = "Related"
	TypeResult                = "Result"
	TypeResultDescription     = "ResultDescription"
	TypeRubricCriterionLevel  = "RubricCriterionLevel"
)

// The 1EdTech types defined by https://purl.imsglobal.org/spec/ob/v3p0/extensions.json
// rather than by the OB context; a credential that uses one needs that
// context, and MarshalJSON adds it.
const (
	Type1EdTechJsonSchemaValidator2019 = "1EdTechJsonSchemaValidator2019"
	Type1EdTechRevocationList          = "1EdTechRevocationList"
	Type1EdTechCredentialRefresh       = "1EdTechCredentialRefresh"
)

// AchievementSubject is the subject of an AchievementCredential: the
// learner, and the achievement they earned.
type AchievementSubject struct {
	// ID identifies the learner (a DID, a URL). Either ID or at least one
	// Identifier must be present.
	ID string `json:"id,omitempty"`
	// Type must include "AchievementSubject".
	Type Many[string] `json:"type,omitempty"`
	// Identifier identifies the learner by other means than ID: email,
	// student number, …, plain or hashed. See MatchesRecipient.
	Identifier Many[IdentityObject] `json:"identifier,omitempty"`
	// Achievement is what the learner achieved.
	Achievement *Achievement `json:"achievement,omitempty"`
	// Result lists the learner's results, each linked to a
	// ResultDescription of the achievement.
	Result Many[Result] `json:"result,omitempty"`
	// CreditsEarned is the number of credits earned (compare
	// Achievement.CreditsAvailable), kept with its exact lexical form.
	CreditsEarned json.Number `json:"creditsEarned,omitempty"`
	// ActivityStartDate and ActivityEndDate bound the activity.
	ActivityStartDate DateTime `json:"activityStartDate,omitempty"`
	ActivityEndDate   DateTime `json:"activityEndDate,omitempty"`
	// LicenseNumber is the license number issued with the credential.
	LicenseNumber string `json:"licenseNumber,omitempty"`
	// Role is the learner's role ("Intern", "Captain").
	Role Text `json:"role,omitempty"`
	// Term is the academic term of the achievement.
	Term Text `json:"term,omitempty"`
	// Narrative connects several pieces of evidence.
	Narrative Text `json:"narrative,omitempty"`
	// Source is the organization that assessed the learner, when it is not
	// the issuer.
	Source *Profile `json:"source,omitempty"`
	// Image is an image of the learner's achievement (e.g. a baked badge).
	Image *Image `json:"image,omitempty"`
	// Extra holds the members this type does not model, by name, as
	// decoded JSON (numbers as json.Number). They are written back as they
	// are.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads an AchievementSubject object.
func (s *AchievementSubject) UnmarshalJSON(data []byte) error { return unmarshalTree(data, s) }

// MarshalJSON writes the subject's members, then its extras.
func (s AchievementSubject) MarshalJSON() ([]byte, error) { return marshalTree(s) }

// Achievement describes what was achieved: a badge, a course, a degree,
// a competency, a micro-credential.
type Achievement struct {
	// ID is the achievement's unique URI.
	ID string `json:"id,omitempty"`
	// Type must include "Achievement".
	Type Many[string] `json:"type,omitempty"`
	// AchievementType is the kind of achievement (Badge, Course,
	// MicroCredential, ext:…).
	AchievementType AchievementType `json:"achievementType,omitempty"`
	// Name is the achievement's name.
	Name Text `json:"name,omitempty"`
	// Description says what the achievement is.
	Description Text `json:"description,omitempty"`
	// Criteria says how the achievement is earned.
	Criteria *Criteria `json:"criteria,omitempty"`
	// Image is the achievement's image.
	Image *Image `json:"image,omitempty"`
	// Creator is the organization that defined the achievement.
	Creator *Profile `json:"creator,omitempty"`
	// CreditsAvailable is the number of credits the achievement carries,
	// kept with its exact lexical form.
	CreditsAvailable json.Number `json:"creditsAvailable,omitempty"`
	// FieldOfStudy is the discipline ("Business", "Psychology").
	FieldOfStudy Text `json:"fieldOfStudy,omitempty"`
	// HumanCode is a human-readable code ("CS101").
	HumanCode string `json:"humanCode,omitempty"`
	// InLanguage is the BCP 47 language of the achievement.
	InLanguage string `json:"inLanguage,omitempty"`
	// Specialization is the focus within the field of study.
	Specialization Text `json:"specialization,omitempty"`
	// Version is the issuer's version string of the achievement.
	Version string `json:"version,omitempty"`
	// Tag lists searchable keywords.
	Tag Many[string] `json:"tag,omitempty"`
	// Alignment links the achievement to frameworks (competencies, EQF
	// levels, CASE items, …).
	Alignment Many[Alignment] `json:"alignment,omitempty"`
	// Endorsement are endorsements of the achievement.
	Endorsement Many[EndorsementCredential] `json:"endorsement,omitempty"`
	// EndorsementJwt are endorsements as compact JWS strings.
	EndorsementJwt Many[string] `json:"endorsementJwt,omitempty"`
	// OtherIdentifier lists other identifiers of the achievement.
	OtherIdentifier Many[IdentifierEntry] `json:"otherIdentifier,omitempty"`
	// Related lists related achievements (other languages or versions).
	Related Many[Related] `json:"related,omitempty"`
	// ResultDescription describes the results a subject can have; each
	// Result links to one by id.
	ResultDescription Many[ResultDescription] `json:"resultDescription,omitempty"`
	// Extra holds the members this type does not model (see
	// AchievementSubject.Extra).
	Extra map[string]any `json:"-"`

	ref bool
}

// IsRef reports whether the achievement was given as a bare IRI instead of
// an object. Open Badges 3.0 requires the object; such a value is read
// (ID holds the IRI) and written back as the IRI, and Check reports it.
func (a *Achievement) IsRef() bool { return a.ref }

// UnmarshalJSON reads an Achievement object (or a bare IRI, see IsRef).
func (a *Achievement) UnmarshalJSON(data []byte) error { return unmarshalTree(data, a) }

func (a *Achievement) decodeTree(v any) error {
	*a = Achievement{}
	if s, ok := v.(string); ok {
		a.ID, a.ref = s, true
		return nil
	}
	return decodeObject(v, reflect.ValueOf(a).Elem(), &a.Extra)
}

// MarshalJSON writes the achievement's members, then its extras.
func (a Achievement) MarshalJSON() ([]byte, error) { return marshalTree(a) }

func (a Achievement) encodeTo(e *encoder) error {
	sv := reflect.ValueOf(&a).Elem()
	if a.ref && onlyID(sv) {
		return e.value(a.ID)
	}
	return e.object(sv, a.Extra)
}

// Profile describes an individual or organization: the issuer, an
// achievement's creator, an assessing source, a parent organization.
type Profile struct {
	// ID is the profile's URI (for an issuer, typically a DID or an HTTPS
	// URL).
	ID string `json:"id,omitempty"`
	// Type must include "Profile".
	Type Many[string] `json:"type,omitempty"`
	// Name is the name of the entity or organization.
	Name Text `json:"name,omitempty"`
	// Description describes the entity.
	Description Text `json:"description,omitempty"`
	// URL is the entity's home page.
	URL string `json:"url,omitempty"`
	// Phone is a phone number.
	Phone string `json:"phone,omitempty"`
	// Email is an email address.
	Email string `json:"email,omitempty"`
	// Image is the entity's logo or picture.
	Image *Image `json:"image,omitempty"`
	// Address is the entity's postal address.
	Address *Address `json:"address,omitempty"`
	// Official is the name of an authorized official of an organization.
	Official Text `json:"official,omitempty"`
	// ParentOrg is the organization this one belongs to.
	ParentOrg *Profile `json:"parentOrg,omitempty"`
	// OtherIdentifier lists other identifiers (national registry numbers,
	// institutional codes).
	OtherIdentifier Many[IdentifierEntry] `json:"otherIdentifier,omitempty"`
	// Endorsement are endorsements of the profile.
	Endorsement Many[EndorsementCredential] `json:"endorsement,omitempty"`
	// EndorsementJwt are endorsements as compact JWS strings.
	EndorsementJwt Many[string] `json:"endorsementJwt,omitempty"`
	// Person names.
	FamilyName       string `json:"familyName,omitempty"`
	GivenName        string `json:"givenName,omitempty"`
	AdditionalName   string `json:"additionalName,omitempty"`
	PatronymicName   string `json:"patronymicName,omitempty"`
	HonorificPrefix  string `json:"honorificPrefix,omitempty"`
	HonorificSuffix  string `json:"honorificSuffix,omitempty"`
	FamilyNamePrefix string `json:"familyNamePrefix,omitempty"`
	// DateOfBirth is a date, YYYY-MM-DD.
	DateOfBirth string `json:"dateOfBirth,omitempty"`
	// Extra holds the members this type does not model (see
	// AchievementSubject.Extra).
	Extra map[string]any `json:"-"`

	ref bool
}

// NewProfileRef returns a Profile that is written as the bare IRI id, as
// an issuer may be: "issuer": "did:web:example.edu".
func NewProfileRef(id string) *Profile { return &Profile{ID: id, ref: true} }

// IsRef reports whether the profile was given as a bare IRI (an issuer
// URI, a parentOrg link) instead of an object. It is written back as the
// IRI as long as nothing but ID is set.
func (p *Profile) IsRef() bool { return p.ref }

// UnmarshalJSON reads a Profile object, or a bare IRI (see IsRef).
func (p *Profile) UnmarshalJSON(data []byte) error { return unmarshalTree(data, p) }

func (p *Profile) decodeTree(v any) error {
	*p = Profile{}
	if s, ok := v.(string); ok {
		p.ID, p.ref = s, true
		return nil
	}
	return decodeObject(v, reflect.ValueOf(p).Elem(), &p.Extra)
}

// MarshalJSON writes the IRI of a reference, or the profile's members and
// extras.
func (p Profile) MarshalJSON() ([]byte, error) { return marshalTree(p) }

func (p Profile) encodeTo(e *encoder) error {
	sv := reflect.ValueOf(&p).Elem()
	if p.ref && onlyID(sv) {
		return e.value(p.ID)
	}
	return e.object(sv, p.Extra)
}

// Address is a postal address.
type Address struct {
	// Type must include "Address".
	Type                Many[string] `json:"type,omitempty"`
	AddressCountry      string       `json:"addressCountry,omitempty"`
	AddressCountryCode  string       `json:"addressCountryCode,omitempty"` // ISO 3166-1 alpha-2
	AddressRegion       string       `json:"addressRegion,omitempty"`
	AddressLocality     string       `json:"addressLocality,omitempty"`
	StreetAddress       string       `json:"streetAddress,omitempty"`
	PostOfficeBoxNumber string       `json:"postOfficeBoxNumber,omitempty"`
	PostalCode          string       `json:"postalCode,omitempty"`
	// Geo is the address's position.
	Geo *GeoCoordinates `json:"geo,omitempty"`
	// Extra holds the members this type does not model.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads an Address object.
func (a *Address) UnmarshalJSON(data []byte) error { return unmarshalTree(data, a) }

// MarshalJSON writes the address's members, then its extras.
func (a Address) MarshalJSON() ([]byte, error) { return marshalTree(a) }

// GeoCoordinates is a WGS84 position.
type GeoCoordinates struct {
	// Type is "GeoCoordinates".
	Type OneOrMany[string] `json:"type,omitempty"`
	// Latitude and Longitude in degrees, kept with their exact lexical
	// form.
	Latitude  json.Number `json:"latitude,omitempty"`
	Longitude json.Number `json:"longitude,omitempty"`
	// Extra holds the members this type does not model.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads a GeoCoordinates object.
func (g *GeoCoordinates) UnmarshalJSON(data []byte) error { return unmarshalTree(data, g) }

// MarshalJSON writes the coordinates' members, then its extras.
func (g GeoCoordinates) MarshalJSON() ([]byte, error) { return marshalTree(g) }

// Result is one of the learner's results: a grade, a score, a status or
// an achieved rubric level.
type Result struct {
	// Type must include "Result".
	Type Many[string] `json:"type,omitempty"`
	// ResultDescription is the id of the ResultDescription (in the
	// achievement) this result is for.
	ResultDescription string `json:"resultDescription,omitempty"`
	// AchievedLevel is the id of the RubricCriterionLevel achieved, in the
	// linked ResultDescription.
	AchievedLevel string `json:"achievedLevel,omitempty"`
	// Status is required when the linked description's resultType is
	// Status.
	Status ResultStatusType `json:"status,omitempty"`
	// Value is the result ("A", "87", "3.6").
	Value string `json:"value,omitempty"`
	// Alignment links the result to frameworks.
	Alignment Many[Alignment] `json:"alignment,omitempty"`
	// Extra holds the members this type does not model.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads a Result object.
func (r *Result) UnmarshalJSON(data []byte) error { return unmarshalTree(data, r) }

// MarshalJSON writes the result's members, then its extras.
func (r Result) MarshalJSON() ([]byte, error) { return marshalTree(r) }

// ResultDescription describes a possible result of an achievement.
type ResultDescription struct {
	// ID is the description's unique URI; Results link to it.
	ID string `json:"id,omitempty"`
	// Type must include "ResultDescription".
	Type Many[string] `json:"type,omitempty"`
	// Name is the name of the result.
	Name Text `json:"name,omitempty"`
	// ResultType is the kind of result (LetterGrade, Status, ext:…).
	ResultType ResultType `json:"resultType,omitempty"`
	// AllowedValue lists the allowed values, from low to high (an ordered
	// list in JSON-LD).
	AllowedValue Many[string] `json:"allowedValue,omitempty"`
	// RequiredLevel is the id of the rubric criterion level required to
	// pass.
	RequiredLevel string `json:"requiredLevel,omitempty"`
	// RequiredValue is the value required to pass.
	RequiredValue string `json:"requiredValue,omitempty"`
	// ValueMin and ValueMax bound the value of a linked result.
	ValueMin string `json:"valueMin,omitempty"`
	ValueMax string `json:"valueMax,omitempty"`
	// RubricCriterionLevel lists the levels of a rubric criterion.
	RubricCriterionLevel Many[RubricCriterionLevel] `json:"rubricCriterionLevel,omitempty"`
	// Alignment links the description to frameworks.
	Alignment Many[Alignment] `json:"alignment,omitempty"`
	// Extra holds the members this type does not model.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads a ResultDescription object.
func (d *ResultDescription) UnmarshalJSON(data []byte) error { return unmarshalTree(data, d) }

// MarshalJSON writes the description's members, then its extras.
func (d ResultDescription) MarshalJSON() ([]byte, error) { return marshalTree(d) }

// RubricCriterionLevel is one level of a rubric criterion.
type RubricCriterionLevel struct {
	// ID is the level's unique URI; Result.AchievedLevel links to it.
	ID string `json:"id,omitempty"`
	// Type must include "RubricCriterionLevel".
	Type Many[string] `json:"type,omitempty"`
	// Name is the level's name.
	Name Text `json:"name,omitempty"`
	// Description describes the level.
	Description Text `json:"description,omitempty"`
	// Level is the performance level in terms of success.
	Level Text `json:"level,omitempty"`
	// Points are the points of the level.
	Points string `json:"points,omitempty"`
	// Alignment links the level to frameworks.
	Alignment Many[Alignment] `json:"alignment,omitempty"`
	// Extra holds the members this type does not model.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads a RubricCriterionLevel object.
func (l *RubricCriterionLevel) UnmarshalJSON(data []byte) error { return unmarshalTree(data, l) }

// MarshalJSON writes the level's members, then its extras.
func (l RubricCriterionLevel) MarshalJSON() ([]byte, error) { return marshalTree(l) }

// Alignment links an achievement, result or level to a node of an
// educational framework (a competency, a qualification level, a CASE
// item).
type Alignment struct {
	// Type must include "Alignment".
	Type Many[string] `json:"type,omitempty"`
	// TargetName is the name of the target.
	TargetName Text `json:"targetName,omitempty"`
	// TargetURL is the URL of the target's official description.
	TargetURL string `json:"targetUrl,omitempty"`
	// TargetDescription describes the target.
	TargetDescription Text `json:"targetDescription,omitempty"`
	// TargetFramework is the name of the framework.
	TargetFramework Text `json:"targetFramework,omitempty"`
	// TargetCode identifies the target within its framework.
	TargetCode string `json:"targetCode,omitempty"`
	// TargetType is the type of the target node (CFItem, CTDL, ext:…).
	TargetType AlignmentTargetType `json:"targetType,omitempty"`
	// Extra holds the members this type does not model.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads an Alignment object.
func (a *Alignment) UnmarshalJSON(data []byte) error { return unmarshalTree(data, a) }

// MarshalJSON writes the alignment's members, then its extras.
func (a Alignment) MarshalJSON() ([]byte, error) { return marshalTree(a) }

// Evidence describes the work that led to the achievement.
type Evidence struct {
	// ID is the URL of the evidence, or the evidence as a data: URI.
	ID string `json:"id,omitempty"`
	// Type must include "Evidence".
	Type Many[string] `json:"type,omitempty"`
	// Name is a title of the evidence.
	Name Text `json:"name,omitempty"`
	// Description describes the evidence.
	Description Text `json:"description,omitempty"`
	// Narrative describes the evidence and the process that led to it.
	Narrative Text `json:"narrative,omitempty"`
	// Genre is the kind of evidence ("Poetry", "Film").
	Genre Text `json:"genre,omitempty"`
	// Audience is the intended audience.
	Audience Text `json:"audience,omitempty"`
	// Extra holds the members this type does not model.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads an Evidence object.
func (e *Evidence) UnmarshalJSON(data []byte) error { return unmarshalTree(data, e) }

// MarshalJSON writes the evidence's members, then its extras.
func (e Evidence) MarshalJSON() ([]byte, error) { return marshalTree(e) }

// Criteria says how an achievement is earned: a URL of a page describing
// it, a narrative, or both. One of the two must be present.
type Criteria struct {
	// ID is the URL of a page describing the criteria.
	ID string `json:"id,omitempty"`
	// Narrative describes the criteria (Markdown).
	Narrative Text `json:"narrative,omitempty"`
	// Extra holds the members this type does not model.
	Extra map[string]any `json:"-"`

	ref bool
}

// IsRef reports whether the criteria were given as a bare URL (as OB 2.0
// allowed) instead of an object. It is written back as the URL as long as
// nothing but ID is set.
func (c *Criteria) IsRef() bool { return c.ref }

// UnmarshalJSON reads a Criteria object, or a bare URL (see IsRef).
func (c *Criteria) UnmarshalJSON(data []byte) error { return unmarshalTree(data, c) }

func (c *Criteria) decodeTree(v any) error {
	*c = Criteria{}
	if s, ok := v.(string); ok {
		c.ID, c.ref = s, true
		return nil
	}
	return decodeObject(v, reflect.ValueOf(c).Elem(), &c.Extra)
}

// MarshalJSON writes the URL of a reference, or the criteria's members and
// extras.
func (c Criteria) MarshalJSON() ([]byte, error) { return marshalTree(c) }

func (c Criteria) encodeTo(e *encoder) error {
	sv := reflect.ValueOf(&c).Elem()
	if c.ref && onlyID(sv) {
		return e.value(c.ID)
	}
	return e.object(sv, c.Extra)
}

// Image is an image with an optional caption. Open Badges 3.0 allows no
// other properties (Check reports extras).
type Image struct {
	// ID is the URL of the image, or the image as a data: URI.
	ID string `json:"id,omitempty"`
	// Type is "Image".
	Type OneOrMany[string] `json:"type,omitempty"`
	// Caption is the image's caption.
	Caption Text `json:"caption,omitempty"`
	// Extra holds members Open Badges 3.0 does not allow here, so that
	// they are not lost; Check reports them.
	Extra map[string]any `json:"-"`

	ref bool
}

// NewImageRef returns an Image written as the bare URL (or data: URI) u.
func NewImageRef(u string) *Image { return &Image{ID: u, ref: true} }

// IsRef reports whether the image was given as a bare URL instead of an
// Image object. (The OB 3.0 JSON Schema requires the object; the context
// types image as an IRI, so a URL string is meaningful JSON-LD and
// common.) It is written back as the URL as long as nothing but ID is set.
func (i *Image) IsRef() bool { return i.ref }

// UnmarshalJSON reads an Image object or a bare URL (see IsRef).
func (i *Image) UnmarshalJSON(data []byte) error { return unmarshalTree(data, i) }

func (i *Image) decodeTree(v any) error {
	*i = Image{}
	if s, ok := v.(string); ok {
		i.ID, i.ref = s, true
		return nil
	}
	return decodeObject(v, reflect.ValueOf(i).Elem(), &i.Extra)
}

// MarshalJSON writes the URL of a reference, or the image's members.
func (i Image) MarshalJSON() ([]byte, error) { return marshalTree(i) }

func (i Image) encodeTo(e *encoder) error {
	sv := reflect.ValueOf(&i).Elem()
	if i.ref && onlyID(sv) {
		return e.value(i.ID)
	}
	return e.object(sv, i.Extra)
}

// IdentityObject identifies the learner by a value other than the
// subject's id, in plain text or hashed (see NewHashedIdentity,
// NewPlainIdentity and AchievementSubject.MatchesRecipient). Open Badges
// 3.0 allows no other properties (Check reports extras).
type IdentityObject struct {
	// Type is "IdentityObject".
	Type OneOrMany[string] `json:"type,omitempty"`
	// Hashed says whether IdentityHash is a hash. It is always written
	// (the property is required), false when it was absent.
	Hashed bool `json:"hashed"`
	// IdentityHash is the identity, plain, or hashed as
	// "sha256$<hex>" or "md5$<hex>" of identity+salt.
	IdentityHash string `json:"identityHash,omitempty"`
	// IdentityType is the kind of identity (emailAddress, studentId as
	// ext:…, …).
	IdentityType IdentifierType `json:"identityType,omitempty"`
	// Salt is appended to the identity before hashing.
	Salt string `json:"salt,omitempty"`
	// Extra holds members Open Badges 3.0 does not allow here, so that
	// they are not lost; Check reports them.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads an IdentityObject object.
func (o *IdentityObject) UnmarshalJSON(data []byte) error { return unmarshalTree(data, o) }

// MarshalJSON writes the identity's members.
func (o IdentityObject) MarshalJSON() ([]byte, error) { return marshalTree(o) }

// IdentifierEntry is another identifier of a profile or achievement. Open
// Badges 3.0 allows no other properties (Check reports extras).
type IdentifierEntry struct {
	// Type is "IdentifierEntry".
	Type OneOrMany[string] `json:"type,omitempty"`
	// Identifier is the identifier.
	Identifier string `json:"identifier,omitempty"`
	// IdentifierType is the kind of identifier.
	IdentifierType IdentifierType `json:"identifierType,omitempty"`
	// Extra holds members Open Badges 3.0 does not allow here, so that
	// they are not lost; Check reports them.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads an IdentifierEntry object.
func (e *IdentifierEntry) UnmarshalJSON(data []byte) error { return unmarshalTree(data, e) }

// MarshalJSON writes the entry's members.
func (e IdentifierEntry) MarshalJSON() ([]byte, error) { return marshalTree(e) }

// Related is a related achievement: the same one in another language or
// version.
type Related struct {
	// ID is the related achievement's URI.
	ID string `json:"id,omitempty"`
	// Type must include "Related".
	Type Many[string] `json:"type,omitempty"`
	// InLanguage is its BCP 47 language.
	InLanguage string `json:"inLanguage,omitempty"`
	// Version is its version.
	Version string `json:"version,omitempty"`
	// Extra holds the members this type does not model.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads a Related object.
func (r *Related) UnmarshalJSON(data []byte) error { return unmarshalTree(data, r) }

// MarshalJSON writes the members, then the extras.
func (r Related) MarshalJSON() ([]byte, error) { return marshalTree(r) }

// EndorsementSubject is the subject of an EndorsementCredential: the
// endorsed entity (a profile, an achievement, a credential).
type EndorsementSubject struct {
	// ID identifies what is endorsed.
	ID string `json:"id,omitempty"`
	// Type must include "EndorsementSubject".
	Type Many[string] `json:"type,omitempty"`
	// EndorsementComment is the endorser's claim (Markdown).
	EndorsementComment Text `json:"endorsementComment,omitempty"`
	// Extra holds the members this type does not model.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads an EndorsementSubject object.
func (s *EndorsementSubject) UnmarshalJSON(data []byte) error { return unmarshalTree(data, s) }

// MarshalJSON writes the members, then the extras.
func (s EndorsementSubject) MarshalJSON() ([]byte, error) { return marshalTree(s) }

// CredentialSchema is a credentialSchema entry: a JSON Schema the
// credential conforms to (type 1EdTechJsonSchemaValidator2019 in Open
// Badges 3.0, JsonSchema in VCDM 2.0).
type CredentialSchema struct {
	// ID is the schema's URL.
	ID string `json:"id,omitempty"`
	// Type is the validation method.
	Type OneOrMany[string] `json:"type,omitempty"`
	// Extra holds the members this type does not model.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads a CredentialSchema object.
func (s *CredentialSchema) UnmarshalJSON(data []byte) error { return unmarshalTree(data, s) }

// MarshalJSON writes the members, then the extras.
func (s CredentialSchema) MarshalJSON() ([]byte, error) { return marshalTree(s) }

// CredentialStatus is a credentialStatus entry (1EdTechRevocationList,
// BitstringStatusListEntry, …). Method-specific members (statusPurpose,
// statusListIndex, statusListCredential) are in Extra; package vc/status
// reads them.
type CredentialStatus struct {
	// ID is the URL of the status entry or method.
	ID string `json:"id,omitempty"`
	// Type is the status method.
	Type OneOrMany[string] `json:"type,omitempty"`
	// Extra holds the method-specific members.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads a CredentialStatus object.
func (s *CredentialStatus) UnmarshalJSON(data []byte) error { return unmarshalTree(data, s) }

// MarshalJSON writes the members, then the extras.
func (s CredentialStatus) MarshalJSON() ([]byte, error) { return marshalTree(s) }

// RefreshService is a refreshService entry (1EdTechCredentialRefresh, …).
type RefreshService struct {
	// ID is the URL of the refresh service.
	ID string `json:"id,omitempty"`
	// Type is the refresh method.
	Type OneOrMany[string] `json:"type,omitempty"`
	// Extra holds the method-specific members.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads a RefreshService object.
func (s *RefreshService) UnmarshalJSON(data []byte) error { return unmarshalTree(data, s) }

// MarshalJSON writes the members, then the extras.
func (s RefreshService) MarshalJSON() ([]byte, error) { return marshalTree(s) }

// TermsOfUse is a termsOfUse entry.
type TermsOfUse struct {
	// ID identifies the terms.
	ID string `json:"id,omitempty"`
	// Type is the kind of terms.
	Type OneOrMany[string] `json:"type,omitempty"`
	// Extra holds the policy-specific members.
	Extra map[string]any `json:"-"`
}

// UnmarshalJSON reads a TermsOfUse object.
func (t *TermsOfUse) UnmarshalJSON(data []byte) error { return unmarshalTree(data, t) }

// MarshalJSON writes the members, then the extras.
func (t TermsOfUse) MarshalJSON() ([]byte, error) { return marshalTree(t) }

// Proof is an embedded proof, kept as the decoded JSON object (numbers as
// json.Number) because each securing mechanism defines its own members.
// The accessors read the common Data Integrity members; VC converts it to
// the vc.Proof that the suites in vc/dataintegrity verify.
type Proof map[string]any

// UnmarshalJSON reads a JSON object.
func (p *Proof) UnmarshalJSON(data []byte) error { return unmarshalTree(data, p) }

func (p *Proof) decodeTree(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return wrongKind("an object", v)
	}
	*p = m
	return nil
}

func (p Proof) str(k string) string {
	s, _ := p[k].(string)
	return s
}

// Type returns the proof type, e.g. "DataIntegrityProof".
func (p Proof) Type() string { return p.str("type") }

// Cryptosuite returns the cryptosuite, e.g. "eddsa-rdfc-2022".
func (p Proof) Cryptosuite() string { return p.str("cryptosuite") }

// VerificationMethod returns the verification method URL.
func (p Proof) VerificationMethod() string { return p.str("verificationMethod") }

// ProofPurpose returns the proof purpose, e.g. "assertionMethod".
func (p Proof) ProofPurpose() string { return p.str("proofPurpose") }

// ProofValue returns the encoded signature.
func (p Proof) ProofValue() string { return p.str("proofValue") }

// Created returns the creation time; ok is false when it is absent or not
// a valid date-time.
func (p Proof) Created() (t time.Time, ok bool) {
	t, err := vc.ParseDateTime(p.str("created"), false)
	return t, err == nil
}

// VC returns the proof as package vc reads it, for the suites of
// vc/dataintegrity. pointer is its JSON Pointer in the credential
// ("/proof/0").
func (p Proof) VC(pointer string) vc.Proof { return vc.NewProof(p, pointer) }
