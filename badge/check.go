package badge

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/microcred/microcred/internal/jsonx"
)

// Problem is one violation of an Open Badges 3.0 rule: where it is, which
// rule and what is wrong.
type Problem struct {
	// Pointer is the RFC 6901 JSON Pointer of the offending value (or of
	// the missing member) in the credential as MarshalJSON writes it:
	// arrays for multi-valued properties ("/evidence/0"), a single object
	// for the one credentialSubject ("/credentialSubject/achievement").
	Pointer string
	// Rule is a short stable identifier of the rule (see Check).
	Rule string
	// Message says what is wrong in plain words.
	Message string
}

// Error returns "badge: <pointer>: <message>" ("badge: <message>" for the
// whole document).
func (p Problem) Error() string {
	if p.Pointer == "" {
		return "badge: " + p.Message
	}
	return "badge: " + p.Pointer + ": " + p.Message
}

// ValidationError is the error Validate returns: every problem Check
// found.
type ValidationError struct {
	Problems []Problem // in the order Check found them
}

// Error returns the first problem and how many more there are.
func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0].Error()
	}
	return fmt.Sprintf("%s (and %d more problems)", e.Problems[0].Error(), len(e.Problems)-1)
}

// Unwrap returns the problems as errors, for errors.As.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// Rules that Check applies. Most are rules the Open Badges 3.0 JSON
// Schemas cannot express (cross references, either-or requirements);
// the type, enumeration and closed-class rules repeat the schema so that
// Check is useful on its own and names the exact place.
const (
	// RuleType: a type list lacks a type the class requires
	// (VerifiableCredential and AchievementCredential or
	// OpenBadgeCredential; Achievement; Profile; …).
	RuleType = "type"
	// RuleRequired: credentialSubject or achievement is missing.
	RuleRequired = "required"
	// RuleSubjectID: a credentialSubject has neither id nor identifier.
	RuleSubjectID = "subject.id"
	// RuleAchievementRef: an achievement is a bare IRI, not an object.
	RuleAchievementRef = "achievement.ref"
	// RuleCriteria: Criteria has neither id nor narrative.
	RuleCriteria = "criteria"
	// RuleResultDescription: a Result's resultDescription is not the id
	// of a ResultDescription of the achievement.
	RuleResultDescription = "result.resultDescription"
	// RuleAchievedLevel: a Result's achievedLevel is not the id of a
	// RubricCriterionLevel of the linked ResultDescription.
	RuleAchievedLevel = "result.achievedLevel"
	// RuleResultStatus: status is missing although the linked
	// ResultDescription's resultType is Status.
	RuleResultStatus = "result.status"
	// RuleRequiredLevel: a ResultDescription's requiredLevel is not the id
	// of one of its rubric criterion levels.
	RuleRequiredLevel = "resultDescription.requiredLevel"
	// RuleEnum: a value outside an enumeration (achievementType,
	// resultType, status, targetType, identifierType, identityType).
	RuleEnum = "enum"
	// RuleIdentityHash: a hashed IdentityObject's identityHash is not
	// "sha256$" or "md5$" followed by a hash in hex.
	RuleIdentityHash = "identityHash"
	// RuleClosed: Image, IdentityObject or IdentifierEntry has a property
	// Open Badges 3.0 does not define for it.
	RuleClosed = "closed"
	// RuleDateTime: a date-time is not a valid XML Schema dateTime, or
	// validFrom/validUntil has no time zone.
	RuleDateTime = "datetime"
)

// checker collects problems.
type checker struct{ problems []Problem }

func (k *checker) add(ptr, rule, format string, args ...any) {
	k.problems = append(k.problems, Problem{Pointer: ptr, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

func key(ptr, name string) string { return ptr + "/" + jsonx.EscapeToken(name) }

func idx(ptr string, i int) string { return ptr + "/" + strconv.Itoa(i) }

// oneIdx is the pointer of entry i of a OneOrMany of n entries.
func oneIdx(ptr string, i, n int) string {
	if n == 1 {
		return ptr
	}
	return idx(ptr, i)
}

// Check applies the Open Badges 3.0 rules to the credential and returns
// every problem found, nil when there is none. The rules (Problem.Rule)
// are the Rule… constants; they are applied to nested endorsements too.
// Check does not run the JSON Schema, verify proofs, or look at the
// validity period's relation to the current time.
func (c *AchievementCredential) Check() []Problem {
	var k checker
	k.credential(c, "")
	return k.problems
}

// Validate runs Check and returns its problems as a *ValidationError, or
// nil.
func (c *AchievementCredential) Validate() error {
	if p := c.Check(); len(p) > 0 {
		return &ValidationError{Problems: p}
	}
	return nil
}

// Check applies the Open Badges 3.0 rules to the endorsement (see
// AchievementCredential.Check).
func (c *EndorsementCredential) Check() []Problem {
	var k checker
	k.endorsement(c, "")
	return k.problems
}

// Validate runs Check and returns its problems as a *ValidationError, or
// nil.
func (c *EndorsementCredential) Validate() error {
	if p := c.Check(); len(p) > 0 {
		return &ValidationError{Problems: p}
	}
	return nil
}

// Check applies the Open Badges 3.0 rules to a profile (for instance an
// issuer profile document). Pointers are relative to the profile.
func (p *Profile) Check() []Problem {
	var k checker
	k.profile(p, "")
	return k.problems
}

// Check applies the Open Badges 3.0 rules to an achievement. Pointers are
// relative to the achievement.
func (a *Achievement) Check() []Problem {
	var k checker
	k.achievement(a, "")
	return k.problems
}

func (k *checker) types(types []string, ptr string, class string, want ...string) {
	for _, w := range want {
		alts := strings.Split(w, "|")
		if !slices.ContainsFunc(alts, func(a string) bool { return slices.Contains(types, a) }) {
			k.add(key(ptr, "type"), RuleType, "%s type must include %s", class, strings.Join(alts, " or "))
		}
	}
}

func (k *checker) dateTime(d DateTime, ptr string, needZone bool) {
	if d.IsZero() {
		return
	}
	if d.Err() != nil {
		k.add(ptr, RuleDateTime, "%q is not a valid date-time", d.String())
	} else if needZone && !d.HasZone() {
		k.add(ptr, RuleDateTime, "%q has no time zone (VCDM 2.0 requires one)", d.String())
	}
}

func (k *checker) credential(c *AchievementCredential, ptr string) {
	k.types(c.Type, ptr, "AchievementCredential", TypeVerifiableCredential, TypeAchievementCredential+"|"+TypeOpenBadgeCredential)
	k.envelope(c.Issuer, c.ValidFrom, c.ValidUntil, c.AwardedDate, ptr)
	k.image(c.Image, key(ptr, "image"))
	if len(c.CredentialSubject) == 0 {
		k.add(key(ptr, "credentialSubject"), RuleRequired, "credentialSubject is missing")
	}
	for i := range c.CredentialSubject {
		k.subject(&c.CredentialSubject[i], oneIdx(key(ptr, "credentialSubject"), i, len(c.CredentialSubject)))
	}
	for i, e := range c.Evidence {
		k.types(e.Type, idx(key(ptr, "evidence"), i), "Evidence", TypeEvidence)
	}
	k.endorsements(c.Endorsement, key(ptr, "endorsement"))
}

func (k *checker) envelope(issuer *Profile, from, until, awarded DateTime, ptr string) {
	if issuer != nil {
		k.profile(issuer, key(ptr, "issuer"))
	}
	k.dateTime(from, key(ptr, "validFrom"), true)
	k.dateTime(until, key(ptr, "validUntil"), true)
	k.dateTime(awarded, key(ptr, "awardedDate"), false)
}

func (k *checker) endorsements(es []EndorsementCredential, ptr string) {
	for i := range es {
		k.endorsement(&es[i], idx(ptr, i))
	}
}

func (k *checker) endorsement(c *EndorsementCredential, ptr string) {
	k.types(c.Type, ptr, "EndorsementCredential", TypeVerifiableCredential, TypeEndorsementCredential)
	k.envelope(c.Issuer, c.ValidFrom, c.ValidUntil, c.AwardedDate, ptr)
	if len(c.CredentialSubject) == 0 {
		k.add(key(ptr, "credentialSubject"), RuleRequired, "credentialSubject is missing")
	}
	for i, s := range c.CredentialSubject {
		k.types(s.Type, oneIdx(key(ptr, "credentialSubject"), i, len(c.CredentialSubject)), "EndorsementSubject", TypeEndorsementSubject)
	}
}

func (k *checker) subject(s *AchievementSubject, ptr string) {
	k.types(s.Type, ptr, "AchievementSubject", TypeAchievementSubject)
	if s.ID == "" && len(s.Identifier) == 0 {
		k.add(ptr, RuleSubjectID, "credentialSubject must have an id or at least one identifier")
	}
	for i := range s.Identifier {
		k.identity(&s.Identifier[i], idx(key(ptr, "identifier"), i))
	}
	k.dateTime(s.ActivityStartDate, key(ptr, "activityStartDate"), false)
	k.dateTime(s.ActivityEndDate, key(ptr, "activityEndDate"), false)
	k.image(s.Image, key(ptr, "image"))
	if s.Source != nil {
		k.profile(s.Source, key(ptr, "source"))
	}
	if s.Achievement == nil {
		k.add(key(ptr, "achievement"), RuleRequired, "achievement is missing")
	} else {
		k.achievement(s.Achievement, key(ptr, "achievement"))
	}
	for i := range s.Result {
		k.result(&s.Result[i], idx(key(ptr, "result"), i), s.Achievement)
	}
}

func (k *checker) result(r *Result, ptr string, a *Achievement) {
	k.types(r.Type, ptr, "Result", TypeResult)
	if r.Status != "" && !r.Status.Valid() {
		k.add(key(ptr, "status"), RuleEnum, "status %q is not a result status (Completed, Enrolled, Failed, InProgress, OnHold, Provisional, Withdrew)", r.Status)
	}
	for i := range r.Alignment {
		k.alignment(&r.Alignment[i], idx(key(ptr, "alignment"), i))
	}
	var rd *ResultDescription
	if r.ResultDescription != "" && a != nil {
		for i := range a.ResultDescription {
			if a.ResultDescription[i].ID == r.ResultDescription {
				rd = &a.ResultDescription[i]
				break
			}
		}
		if rd == nil {
			k.add(key(ptr, "resultDescription"), RuleResultDescription, "resultDescription %q is not the id of a resultDescription of the achievement", r.ResultDescription)
		}
	}
	if r.AchievedLevel != "" {
		switch {
		case r.ResultDescription == "":
			k.add(key(ptr, "achievedLevel"), RuleAchievedLevel, "achievedLevel %q needs a resultDescription to look it up in", r.AchievedLevel)
		case rd != nil && !slices.ContainsFunc(rd.RubricCriterionLevel, func(l RubricCriterionLevel) bool { return l.ID == r.AchievedLevel }):
			k.add(key(ptr, "achievedLevel"), RuleAchievedLevel, "achievedLevel %q is not the id of a rubricCriterionLevel of resultDescription %q", r.AchievedLevel, rd.ID)
		}
	}
	if rd != nil && rd.ResultType == ResultTypeStatus && r.Status == "" {
		k.add(key(ptr, "status"), RuleResultStatus, "status is required: the resultType of resultDescription %q is Status", rd.ID)
	}
}

func (k *checker) achievement(a *Achievement, ptr string) {
	if a.ref {
		k.add(ptr, RuleAchievementRef, "achievement is the IRI %q; Open Badges 3.0 requires the Achievement object", a.ID)
		return
	}
	k.types(a.Type, ptr, "Achievement", TypeAchievement)
	if a.AchievementType != "" && !a.AchievementType.Valid() {
		k.add(key(ptr, "achievementType"), RuleEnum, "achievementType %q is neither an Open Badges 3.0 achievement type nor an ext: extension", a.AchievementType)
	}
	if a.Criteria != nil && a.Criteria.ID == "" && a.Criteria.Narrative.IsZero() {
		k.add(key(ptr, "criteria"), RuleCriteria, "criteria must have an id or a narrative")
	}
	k.image(a.Image, key(ptr, "image"))
	if a.Creator != nil {
		k.profile(a.Creator, key(ptr, "creator"))
	}
	for i := range a.Alignment {
		k.alignment(&a.Alignment[i], idx(key(ptr, "alignment"), i))
	}
	k.endorsements(a.Endorsement, key(ptr, "endorsement"))
	for i := range a.OtherIdentifier {
		k.identifierEntry(&a.OtherIdentifier[i], idx(key(ptr, "otherIdentifier"), i))
	}
	for i, r := range a.Related {
		k.types(r.Type, idx(key(ptr, "related"), i), "Related", TypeRelated)
	}
	for i := range a.ResultDescription {
		k.resultDescription(&a.ResultDescription[i], idx(key(ptr, "resultDescription"), i))
	}
}

func (k *checker) resultDescription(d *ResultDescription, ptr string) {
	k.types(d.Type, ptr, "ResultDescription", TypeResultDescription)
	if d.ResultType != "" && !d.ResultType.Valid() {
		k.add(key(ptr, "resultType"), RuleEnum, "resultType %q is neither an Open Badges 3.0 result type nor an ext: extension", d.ResultType)
	}
	if d.RequiredLevel != "" && !slices.ContainsFunc(d.RubricCriterionLevel, func(l RubricCriterionLevel) bool { return l.ID == d.RequiredLevel }) {
		k.add(key(ptr, "requiredLevel"), RuleRequiredLevel, "requiredLevel %q is not the id of one of the rubricCriterionLevel entries", d.RequiredLevel)
	}
	for i := range d.Alignment {
		k.alignment(&d.Alignment[i], idx(key(ptr, "alignment"), i))
	}
	for i := range d.RubricCriterionLevel {
		l := &d.RubricCriterionLevel[i]
		lp := idx(key(ptr, "rubricCriterionLevel"), i)
		k.types(l.Type, lp, "RubricCriterionLevel", TypeRubricCriterionLevel)
		for j := range l.Alignment {
			k.alignment(&l.Alignment[j], idx(key(lp, "alignment"), j))
		}
	}
}

func (k *checker) alignment(a *Alignment, ptr string) {
	k.types(a.Type, ptr, "Alignment", TypeAlignment)
	if a.TargetType != "" && !a.TargetType.Valid() {
		k.add(key(ptr, "targetType"), RuleEnum, "targetType %q is neither an Open Badges 3.0 alignment target type nor an ext: extension", a.TargetType)
	}
}

func (k *checker) profile(p *Profile, ptr string) {
	if p.ref {
		return
	}
	k.types(p.Type, ptr, "Profile", TypeProfile)
	k.image(p.Image, key(ptr, "image"))
	if a := p.Address; a != nil {
		ap := key(ptr, "address")
		k.types(a.Type, ap, "Address", TypeAddress)
		if a.Geo != nil {
			k.types(a.Geo.Type, key(ap, "geo"), "GeoCoordinates", TypeGeoCoordinates)
		}
	}
	if p.ParentOrg != nil {
		k.profile(p.ParentOrg, key(ptr, "parentOrg"))
	}
	for i := range p.OtherIdentifier {
		k.identifierEntry(&p.OtherIdentifier[i], idx(key(ptr, "otherIdentifier"), i))
	}
	k.endorsements(p.Endorsement, key(ptr, "endorsement"))
}

func (k *checker) image(img *Image, ptr string) {
	if img == nil || img.ref {
		return
	}
	k.types(img.Type, ptr, "Image", TypeImage)
	k.closed(img, img.Extra, ptr, "Image")
}

func (k *checker) identity(o *IdentityObject, ptr string) {
	k.types(o.Type, ptr, "IdentityObject", TypeIdentityObject)
	if o.IdentityType != "" && !o.IdentityType.Valid() {
		k.add(key(ptr, "identityType"), RuleEnum, "identityType %q is neither an Open Badges 3.0 identifier type nor an ext: extension", o.IdentityType)
	}
	if o.Hashed {
		if _, _, ok := splitHash(o.IdentityHash); !ok {
			k.add(key(ptr, "identityHash"), RuleIdentityHash, "a hashed identityHash must be \"sha256$\" or \"md5$\" followed by the hash in hex")
		}
	}
	k.closed(o, o.Extra, ptr, "IdentityObject")
}

func (k *checker) identifierEntry(e *IdentifierEntry, ptr string) {
	k.types(e.Type, ptr, "IdentifierEntry", TypeIdentifierEntry)
	if e.IdentifierType != "" && !e.IdentifierType.Valid() {
		k.add(key(ptr, "identifierType"), RuleEnum, "identifierType %q is neither an Open Badges 3.0 identifier type nor an ext: extension", e.IdentifierType)
	}
	k.closed(e, e.Extra, ptr, "IdentifierEntry")
}

// closed reports the extras of a class that admits no other properties.
// Extras under a modelled name (an empty value kept verbatim) are not
// extra properties.
func (k *checker) closed(ptr any, extra map[string]any, at, class string) {
	names := make([]string, 0, len(extra))
	for n := range extra {
		if !knownMember(ptr, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		k.add(key(at, n), RuleClosed, "%s does not allow property %q", class, n)
	}
}
