package badge

import (
	"github.com/microcred/microcred/internal/jsonx"

	"fmt"
	"reflect"
	"regexp"
	"slices"

	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc"
)

// AchievementCredential is an Open Badges 3.0 AchievementCredential (also
// typed OpenBadgeCredential): a verifiable credential saying that its
// subject achieved an Achievement.
//
// The value is the canonical view of the credential. Reading accepts what
// issuers send — single values or arrays, an issuer IRI or Profile object,
// VCDM 1.1's issuanceDate/expirationDate, contexts 3.0.1–3.0.3 and the
// unversioned one — and turns it into the one form MarshalJSON writes
// (see Context, ValidFrom). Members the model does not know are kept in
// Extra and written back.
//
// Writing a credential that was read from a signed document changes its
// bytes (and, where a context or a VCDM 1.1 date was upgraded, its
// canonical form), so its proofs no longer verify against the output:
// verify the bytes you received (package vc keeps them), and use this type
// to read them or to build new credentials.
type AchievementCredential struct {
	// Context is the @context list, in canonical form: the VCDM 2.0 base
	// context, the OB 3.0.3 context, the OB extensions context when the
	// credential uses a 1EdTech type (or listed it), then the other
	// contexts in their order. Reading replaces the VCDM 1.1 base
	// context and the OB 3.0.0–3.0.2 and unversioned contexts, and drops
	// the Data Integrity v1/v2 contexts (credentials/v2 defines
	// DataIntegrityProof; JSON-LD refuses the two together);
	// MarshalJSON applies the same rule to whatever Context holds. The
	// contexts as received are available from vc.Credential.Contexts.
	Context Many[any] `json:"@context,omitempty"`
	// ID is the credential's URI.
	ID string `json:"id,omitempty"`
	// Type must include VerifiableCredential and AchievementCredential or
	// OpenBadgeCredential.
	Type Many[string] `json:"type,omitempty"`
	// Name is the credential's name for display in wallets.
	Name Text `json:"name,omitempty"`
	// Description is a short description for display.
	Description Text `json:"description,omitempty"`
	// Image is an image for display.
	Image *Image `json:"image,omitempty"`
	// Issuer is the issuer's Profile, or a reference to it by IRI (see
	// Profile.IsRef). Issuer.ID is the issuer's id either way.
	Issuer *Profile `json:"issuer,omitempty"`
	// ValidFrom is when the credential becomes valid (VCDM 1.1's
	// issuanceDate is read into it; a zone-less VCDM 1.1 date gets "Z",
	// as it is read as UTC).
	ValidFrom DateTime `json:"validFrom,omitempty"`
	// ValidUntil is when the credential stops being valid (VCDM 1.1's
	// expirationDate is read into it).
	ValidUntil DateTime `json:"validUntil,omitempty"`
	// AwardedDate is when the achievement was first awarded, kept when a
	// credential is re-issued with a new ValidFrom.
	AwardedDate DateTime `json:"awardedDate,omitempty"`
	// CredentialSubject is the learner and their achievement. Open Badges
	// 3.0 has exactly one; it is written as a single object then.
	CredentialSubject OneOrMany[AchievementSubject] `json:"credentialSubject,omitempty"`
	// Evidence describes the work behind the achievement.
	Evidence Many[Evidence] `json:"evidence,omitempty"`
	// Endorsement are endorsements of the credential.
	Endorsement Many[EndorsementCredential] `json:"endorsement,omitempty"`
	// EndorsementJwt are endorsements as compact JWS strings.
	EndorsementJwt Many[string] `json:"endorsementJwt,omitempty"`
	// CredentialSchema lists the JSON Schemas the credential conforms to.
	CredentialSchema Many[CredentialSchema] `json:"credentialSchema,omitempty"`
	// CredentialStatus says where to check revocation or suspension.
	CredentialStatus OneOrMany[CredentialStatus] `json:"credentialStatus,omitempty"`
	// RefreshService says where to get a fresh copy.
	RefreshService OneOrMany[RefreshService] `json:"refreshService,omitempty"`
	// TermsOfUse lists terms of use.
	TermsOfUse Many[TermsOfUse] `json:"termsOfUse,omitempty"`
	// Proof lists the embedded proofs.
	Proof Many[Proof] `json:"proof,omitempty"`
	// Extra holds the members this type does not model, by name, as
	// decoded JSON (numbers as json.Number). They are written back as they
	// are.
	Extra map[string]any `json:"-"`
}

// ParseCredential reads an AchievementCredential from untrusted JSON with
// the limits of vc.Parse: at most 1 MiB, nesting at most 64 deep, no
// duplicate member names, no invalid UTF-8. A JSON-level problem is a
// *vc.ParseError; a value of the wrong shape (a number where the name
// belongs) is a *DecodeError naming its JSON Pointer.
//
// ParseCredential does not check Open Badges rules beyond the shapes of
// values: run Check (and the JSON Schema and proof checks) for that.
func ParseCredential(data []byte) (*AchievementCredential, error) {
	vcred, err := vc.Parse(data)
	if err != nil {
		return nil, err
	}
	c := new(AchievementCredential)
	// The tree is vcred's own, discarded after this: Extra may keep parts
	// of it.
	if err := c.decodeTree(vcred.Map()); err != nil {
		return nil, err
	}
	return c, nil
}

// UnmarshalJSON reads a credential object into the canonical view (see
// the type's documentation). It does not bound the input's size or depth;
// ParseCredential does.
func (c *AchievementCredential) UnmarshalJSON(data []byte) error { return unmarshalTree(data, c) }

func (c *AchievementCredential) decodeTree(v any) error {
	*c = AchievementCredential{}
	if err := decodeObject(v, reflect.ValueOf(c).Elem(), &c.Extra); err != nil {
		return err
	}
	return finishEnvelope(&c.Context, &c.ValidFrom, &c.ValidUntil, &c.Extra, c.usesExtensionTypes())
}

// finishEnvelope applies the canonicalizations both credential types share
// after decoding: VCDM 1.1 dates become validFrom/validUntil, and @context
// becomes the canonical list.
func finishEnvelope(ctx *Many[any], validFrom, validUntil *DateTime, extra *map[string]any, needExtensions bool) error {
	v1 := isV1(*ctx)
	var err error
	if *validFrom, err = upgradeDate(*validFrom, "issuanceDate", "validFrom", extra, v1); err != nil {
		return err
	}
	if *validUntil, err = upgradeDate(*validUntil, "expirationDate", "validUntil", extra, v1); err != nil {
		return err
	}
	*ctx = canonicalContext(*ctx, needExtensions)
	dropExtra(extra, "@context") // an empty @context, replaced by the canonical list
	return nil
}

// MarshalJSON writes the credential in canonical form: @context as
// described for Context, arrays for multi-valued properties, the
// single subject, status and refresh service as objects, and the extras.
func (c AchievementCredential) MarshalJSON() ([]byte, error) { return marshalTree(c) }

func (c AchievementCredential) encodeTo(e *encoder) error {
	c.Context = canonicalContext(c.Context, c.usesExtensionTypes())
	return e.object(reflect.ValueOf(&c).Elem(), c.Extra)
}

func (c *AchievementCredential) usesExtensionTypes() bool {
	return usesExtensionTypes(c.CredentialSchema, c.CredentialStatus, c.RefreshService, c.TermsOfUse, c.Evidence)
}

// Subject returns the first credential subject, or nil when there is
// none. Open Badges 3.0 credentials have exactly one.
func (c *AchievementCredential) Subject() *AchievementSubject {
	if len(c.CredentialSubject) == 0 {
		return nil
	}
	return &c.CredentialSubject[0]
}

// Achievement returns the first subject's achievement, or nil.
func (c *AchievementCredential) Achievement() *Achievement {
	if s := c.Subject(); s != nil {
		return s.Achievement
	}
	return nil
}

// EndorsementCredential is an Open Badges 3.0 EndorsementCredential: a
// third party's claim about a profile, an achievement or a credential.
// Reading and writing follow AchievementCredential.
type EndorsementCredential struct {
	// Context is the @context list in canonical form (see
	// AchievementCredential.Context).
	Context Many[any] `json:"@context,omitempty"`
	// ID is the credential's URI.
	ID string `json:"id,omitempty"`
	// Type must include VerifiableCredential and EndorsementCredential.
	Type Many[string] `json:"type,omitempty"`
	// Name is the endorsement's name (required by Open Badges 3.0).
	Name Text `json:"name,omitempty"`
	// Description is a short description.
	Description Text `json:"description,omitempty"`
	// Issuer is the endorser's Profile or a reference to it.
	Issuer *Profile `json:"issuer,omitempty"`
	// ValidFrom, ValidUntil and AwardedDate as in AchievementCredential.
	ValidFrom   DateTime `json:"validFrom,omitempty"`
	ValidUntil  DateTime `json:"validUntil,omitempty"`
	AwardedDate DateTime `json:"awardedDate,omitempty"`
	// CredentialSubject is the endorsed entity.
	CredentialSubject OneOrMany[EndorsementSubject] `json:"credentialSubject,omitempty"`
	// CredentialSchema, CredentialStatus, RefreshService, TermsOfUse and
	// Proof as in AchievementCredential.
	CredentialSchema Many[CredentialSchema]      `json:"credentialSchema,omitempty"`
	CredentialStatus OneOrMany[CredentialStatus] `json:"credentialStatus,omitempty"`
	RefreshService   OneOrMany[RefreshService]   `json:"refreshService,omitempty"`
	TermsOfUse       Many[TermsOfUse]            `json:"termsOfUse,omitempty"`
	Proof            Many[Proof]                 `json:"proof,omitempty"`
	// Extra holds the members this type does not model.
	Extra map[string]any `json:"-"`
}

// ParseEndorsementCredential reads an EndorsementCredential from untrusted
// JSON, with the limits and errors of ParseCredential.
func ParseEndorsementCredential(data []byte) (*EndorsementCredential, error) {
	vcred, err := vc.Parse(data)
	if err != nil {
		return nil, err
	}
	c := new(EndorsementCredential)
	if err := c.decodeTree(vcred.Map()); err != nil {
		return nil, err
	}
	return c, nil
}

// UnmarshalJSON reads an endorsement credential object into the canonical
// view (see AchievementCredential.UnmarshalJSON).
func (c *EndorsementCredential) UnmarshalJSON(data []byte) error { return unmarshalTree(data, c) }

func (c *EndorsementCredential) decodeTree(v any) error {
	*c = EndorsementCredential{}
	if err := decodeObject(v, reflect.ValueOf(c).Elem(), &c.Extra); err != nil {
		return err
	}
	return finishEnvelope(&c.Context, &c.ValidFrom, &c.ValidUntil, &c.Extra, c.usesExtensionTypes())
}

// MarshalJSON writes the endorsement in canonical form (see
// AchievementCredential.MarshalJSON).
func (c EndorsementCredential) MarshalJSON() ([]byte, error) { return marshalTree(c) }

func (c EndorsementCredential) encodeTo(e *encoder) error {
	c.Context = canonicalContext(c.Context, c.usesExtensionTypes())
	return e.object(reflect.ValueOf(&c).Elem(), c.Extra)
}

func (c *EndorsementCredential) usesExtensionTypes() bool {
	return usesExtensionTypes(c.CredentialSchema, c.CredentialStatus, c.RefreshService, c.TermsOfUse, nil)
}

// usesExtensionTypes reports whether an envelope entry has one of the
// types that only the OB extensions context defines.
func usesExtensionTypes(schemas []CredentialSchema, status []CredentialStatus, refresh []RefreshService, terms []TermsOfUse, evidence []Evidence) bool {
	var types [][]string
	for _, s := range schemas {
		types = append(types, s.Type)
	}
	for _, s := range status {
		types = append(types, s.Type)
	}
	for _, s := range refresh {
		types = append(types, s.Type)
	}
	for _, s := range terms {
		types = append(types, s.Type)
	}
	for _, s := range evidence {
		types = append(types, s.Type)
	}
	for _, ts := range types {
		for _, t := range ts {
			switch t {
			case Type1EdTechJsonSchemaValidator2019, Type1EdTechRevocationList, Type1EdTechCredentialRefresh:
				return true
			}
		}
	}
	return false
}

// obContext matches the OB 3.0 context URLs that the canonical form
// replaces with context-3.0.3.json: the versioned ones (3.0.0–3.0.3 and
// any later 3.x.y patch the OB schema's pattern admits), the unversioned
// one and its .jsonld alias.
var obContext = regexp.MustCompile(`^https://purl\.imsglobal\.org/spec/ob/v3p0/(context(-3\.\d+\.\d+)?\.json|context/ob_v3p0\.jsonld)$`)

// IsOBContext reports whether u is an Open Badges 3.0 context URL that the
// canonical form replaces with ld.OB303URL.
func IsOBContext(u string) bool { return obContext.MatchString(u) }

func isV1(ctx []any) bool {
	return len(ctx) > 0 && ctx[0] == vc.ContextV1
}

// canonicalContext returns the canonical @context list for a credential
// whose @context was ctx.
func canonicalContext(ctx []any, needExtensions bool) Many[any] {
	out := Many[any]{ld.CredentialsV2URL, ld.OB303URL}
	var rest []any
	for _, c := range ctx {
		if s, ok := c.(string); ok {
			switch {
			case s == ld.CredentialsV2URL || s == ld.CredentialsV1URL || IsOBContext(s):
				continue
			case s == ld.DataIntegrityV1URL || s == ld.DataIntegrityV2URL:
				// VCDM 1.1 credentials list these for DataIntegrityProof;
				// credentials/v2 defines it, and JSON-LD refuses the
				// protected redefinition when both are present.
				continue
			case s == ld.OBExtensionsURL:
				needExtensions = true
				continue
			case slices.Contains(rest, any(s)):
				continue
			}
		}
		rest = append(rest, c)
	}
	if needExtensions {
		out = append(out, ld.OBExtensionsURL)
	}
	return append(out, rest...)
}

// upgradeDate moves the VCDM 1.1 member old (issuanceDate or
// expirationDate) from extra into the VCDM 2.0 property, unless that is
// already set (then the 1.1 member is dropped: VCDM 2.0 has no term for
// it). In a VCDM 1.1 credential a date without a zone gets "Z".
func upgradeDate(d DateTime, old, new string, extra *map[string]any, v1 bool) (DateTime, error) {
	if v, ok := (*extra)[old]; ok {
		s, isStr := v.(string)
		if !isStr && v != nil {
			return d, &DecodeError{Pointer: "/" + old, Err: fmt.Errorf("want a date-time string, got %s", jsonx.Kind(v))}
		}
		dropExtra(extra, old)
		if d.IsZero() && s != "" {
			d, _ = ParseDateTime(s)
			v1 = true
			dropExtra(extra, new) // an empty validFrom/validUntil kept verbatim
		}
	}
	if v1 {
		d = d.withZone()
	}
	return d, nil
}

// dropExtra deletes extra member name, leaving a nil map when none is
// left.
func dropExtra(extra *map[string]any, name string) {
	delete(*extra, name)
	if len(*extra) == 0 {
		*extra = nil
	}
}
