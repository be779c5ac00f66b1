package badge

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/microcred/microcred/internal/jsonx"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/schema"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
	"github.com/microcred/microcred/vc/jwt"
)

// ErrNeedsEd25519 is the error of Issue, IssueMap and IssueBatch on an
// Issuer whose signer is not an Ed25519 key: their eddsa-rdfc-2022 Data
// Integrity proofs need one. Such an Issuer signs with IssueJWT. Test
// with errors.Is.
var ErrNeedsEd25519 = errors.New("badge: eddsa-rdfc-2022 Data Integrity proofs need an Ed25519 key")

// jwtAlgorithms are the signature algorithms vc/jwt seals with, and so
// the ones NewIssuer accepts.
var jwtAlgorithms = []keys.Algorithm{keys.EdDSA, keys.ES256, keys.ES384, keys.ES512, keys.RS256}

// Sources of an IssueProblem: which validation step found it.
const (
	// SourceOB3: an Open Badges 3.0 rule of AchievementCredential.Check
	// (IssueProblem.Rule is the Rule… constant).
	SourceOB3 = "ob3"
	// SourceSchema: the OB3 JSON Schema or a credentialSchema entry
	// (IssueProblem.Rule is the failing schema keyword).
	SourceSchema = "schema"
	// SourceProfile: the IssuerOptions.Validate hook (for instance the EU
	// micro-credential profile).
	SourceProfile = "profile"
	// SourceJSONLD: JSON-LD safe mode refused the document: a term or type
	// that no context defines, or a value RDF cannot represent, which the
	// signature would not cover (IssueProblem.Err is the *ld.SafeModeError).
	SourceJSONLD = "jsonld"
	// SourceIssuer: the credential does not fit this Issuer: it names a
	// different issuer, already carries a proof, or (IssueJWT) cannot be
	// carried in a JWT.
	SourceIssuer = "issuer"
)

// IssueProblem is one reason an Issuer refused to sign a credential.
type IssueProblem struct {
	// Source is the step that found the problem (Source… constants).
	Source string
	// Pointer is the RFC 6901 JSON Pointer of the offending value in the
	// credential as it would have been signed (MarshalJSON's canonical
	// form with the Issuer's defaults filled in); "" for the document.
	Pointer string
	// Rule identifies the rule: a Rule… constant for SourceOB3, the JSON
	// Schema keyword for SourceSchema; empty otherwise.
	Rule string
	// Message says what is wrong in plain words.
	Message string
	// Err is the underlying error when there is one: a Problem, an
	// *ld.SafeModeError, the hook's error, an error that kept a schema
	// from being applied.
	Err error
}

// Error returns "<source>: <pointer>: <message>".
func (p IssueProblem) Error() string {
	var b strings.Builder
	b.WriteString(p.Source)
	b.WriteString(": ")
	if p.Pointer != "" {
		b.WriteString(p.Pointer)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Unwrap returns the underlying error, if any.
func (p IssueProblem) Unwrap() error { return p.Err }

// IssueError is the error Issue (and IssueMap, IssueBatch, IssueJWT)
// returns for a credential it refuses to sign: every problem found by
// every validation step, so that a caller can show them all. Errors that are not about the credential (a cancelled
// context, a failing signer) are returned as they are, not as an
// IssueError.
type IssueError struct {
	// Problems in the order of the steps (issuer, ob3, schema, profile,
	// jsonld), each step's in the order it reported them.
	Problems []IssueProblem
}

// Error returns the first problem and how many more there are.
func (e *IssueError) Error() string {
	if len(e.Problems) == 0 {
		return "badge: issue: credential refused"
	}
	s := "badge: issue: " + e.Problems[0].Error()
	if n := len(e.Problems) - 1; n > 0 {
		s += fmt.Sprintf(" (and %d more problems)", n)
	}
	return s
}

// Unwrap returns the problems as errors, so that errors.As finds an
// *ld.SafeModeError or a Problem among them.
func (e *IssueError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// BySource returns the problems that came from source.
func (e *IssueError) BySource(source string) []IssueProblem {
	var out []IssueProblem
	for _, p := range e.Problems {
		if p.Source == source {
			out = append(out, p)
		}
	}
	return out
}

// IssuerOptions configure an Issuer. The zero value is usable.
type IssuerOptions struct {
	// Schema validates credentials against the OB3 JSON Schemas and their
	// credentialSchema entries; nil means schema.New(schema.Options{}),
	// made once by NewIssuer (embedded schemas only, no network).
	Schema *schema.Validator
	// Now is the clock for validFrom and the proof's created time; nil
	// means time.Now. Times are written in UTC, to the second.
	Now func() time.Time
	// NewID returns the id of a credential that has none; nil means a
	// random (version 4) "urn:uuid:…" from crypto/rand. It must be safe
	// for concurrent use.
	NewID func() string
	// Validate, when set, is an extra check run on every credential after
	// the defaults are filled in, next to Check and the JSON Schema; its
	// problems have SourceProfile. A *ValidationError's problems are
	// listed one by one, any other error as one problem. (The EU
	// micro-credential profile needs no hook: a credential whose
	// achievement is typed EUMicroCredentialAchievement is always checked
	// with MicroCredential.Validate.) It gets a copy of the
	// credential, so what it changes is neither signed nor seen by the
	// caller. It must be safe for concurrent use.
	Validate func(*AchievementCredential) error
	// LD controls JSON-LD processing when signing (and the safe-mode check
	// of IssueJWT); nil means safe mode with the embedded contexts (see
	// dataintegrity.SignOptions.LD).
	LD *ld.Options
	// Workers is how many credentials IssueBatch issues at once; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
}

// Issuer signs Open Badges 3.0 credentials for one issuer Profile with one
// key: as eddsa-rdfc-2022 Data Integrity proofs (Issue, IssueMap,
// IssueBatch; Ed25519 keys only), or as VC-JWT / VC-JOSE compact JWS
// (IssueJWT; EdDSA, ES256, ES384, ES512 or RS256). Both forms get the same
// defaults and the same validation. Build it once with NewIssuer; it is
// safe for concurrent use.
type Issuer struct {
	signer  keys.Signer
	vm      string
	jwts    [2]*jwt.Suite // by jwt.Profile: VCJWT, VCJOSE
	profile Profile       // private deep copy, never modified after NewIssuer
	schema  *schema.Validator
	now     func() time.Time
	newID   func() string
	hook    func(*AchievementCredential) error
	ld      *ld.Options
	workers int
}

// NewIssuer returns an Issuer signing with signer for profile, which is
// copied. The signer's algorithm must be one VC-JWT signs with (EdDSA,
// ES256, ES384, ES512, RS256); Issue, IssueMap and IssueBatch, whose
// eddsa-rdfc-2022 proofs need an Ed25519 key, fail with ErrNeedsEd25519
// for the others, which sign with IssueJWT. (Verifiers allow RS256, ES256
// and EdDSA by default: jwt.DefaultAlgorithms.)
//
// The key's own DID is its did:key when it has one (Ed25519, P-256: see
// keys.DIDKey), else its did:jwk (RSA keys, for instance: keys.DIDJWK).
// When profile.ID is empty it becomes that DID. When the signer has no
// verification method and the profile's id is the key's did:key or
// did:jwk, proofs and JWT kids name that DID's verification method
// (keys.DIDKeyURL, or the did:jwk followed by "#0"). A profile without
// type gets ["Profile"]; the profile must then pass Profile.Check.
//
// A verifier checks that the proof's verification method is controlled by
// issuer.id: choose a key and profile id that go together (a did:key or
// did:jwk, or a did:web or HTTPS controller document listing the key).
// NewIssuer checks this for a did:key or did:jwk verification method,
// which needs no resolving: its key must be the signer's and its DID the
// profile's id. It does not resolve other verification methods.
//
// NewIssuer compiles the OB3 JSON Schema and processes the JSON-LD
// contexts once (about 40 ms the first time in a process), so that the
// first Issue is as fast as the others.
func NewIssuer(signer keys.Signer, profile Profile, opts IssuerOptions) (*Issuer, error) {
	if signer == nil {
		return nil, errors.New("badge: NewIssuer: nil signer")
	}
	if alg := signer.Algorithm(); !slices.Contains(jwtAlgorithms, alg) {
		return nil, fmt.Errorf("badge: NewIssuer: the signer uses %s; an Issuer signs with EdDSA (Data Integrity and VC-JWT), or ES256, ES384, ES512 or RS256 (VC-JWT only)", alg)
	}
	if opts.Workers < 0 {
		return nil, errors.New("badge: NewIssuer: negative Workers")
	}
	p, err := copyProfile(profile)
	if err != nil {
		return nil, fmt.Errorf("badge: NewIssuer: profile: %w", err)
	}
	// The key's own DIDs: did:key when the key type has one, did:jwk.
	didKey, didKeyErr := keys.DIDKey(signer.Public())
	didJWK, didJWKErr := keys.DIDJWK(signer.Public())
	if p.ID == "" {
		switch {
		case didKeyErr == nil:
			p.ID = didKey
		case didJWKErr == nil:
			p.ID = didJWK
		default:
			return nil, fmt.Errorf("badge: NewIssuer: the profile has no id and the key has neither a did:key nor a did:jwk: %w", errors.Join(didKeyErr, didJWKErr))
		}
	}
	p.ref = false
	if len(p.Type) == 0 {
		p.Type = Many[string]{TypeProfile}
	}
	if probs := p.Check(); len(probs) > 0 {
		return nil, fmt.Errorf("badge: NewIssuer: profile: %w", &ValidationError{Problems: probs})
	}
	vm := signer.VerificationMethod()
	// A did:key or did:jwk verification method is its own controller
	// document: check now what every verifier will check.
	var parse func(string) (crypto.PublicKey, string, error)
	switch {
	case strings.HasPrefix(vm, "did:key:"):
		parse = keys.ParseDIDKey
	case strings.HasPrefix(vm, "did:jwk:"): // its one verification method is "#0"
		parse = func(vm string) (crypto.PublicKey, string, error) {
			_, pub, did, err := keys.ParseDIDJWK(vm)
			return pub, did, err
		}
	}
	if parse != nil {
		pub, did, err := parse(vm)
		if err != nil {
			return nil, fmt.Errorf("badge: NewIssuer: verification method: %w", err)
		}
		if !keys.PublicKeysEqual(pub, signer.Public()) {
			return nil, fmt.Errorf("badge: NewIssuer: verification method %s is not the signer's key", vm)
		}
		if did != p.ID {
			return nil, fmt.Errorf("badge: NewIssuer: verification method %s is controlled by %s, not by the issuer %s: proofs would not verify", vm, did, p.ID)
		}
	}
	if vm == "" {
		switch {
		case didKeyErr == nil && p.ID == didKey:
			if vm, err = keys.DIDKeyURL(signer.Public()); err != nil {
				return nil, fmt.Errorf("badge: NewIssuer: %w", err)
			}
		case didJWKErr == nil && p.ID == didJWK:
			vm = didJWK + "#0"
		default:
			return nil, errors.New("badge: NewIssuer: the signer has no verification method (and the profile id is not its did:key or did:jwk)")
		}
	}
	is := &Issuer{
		signer:  signer,
		vm:      vm,
		profile: p,
		schema:  opts.Schema,
		now:     opts.Now,
		newID:   opts.NewID,
		hook:    opts.Validate,
		ld:      opts.LD,
		workers: opts.Workers,
	}
	if is.schema == nil {
		if is.schema, err = schema.New(schema.Options{}); err != nil {
			return nil, fmt.Errorf("badge: NewIssuer: %w", err)
		}
	}
	if is.now == nil {
		is.now = time.Now
	}
	if is.newID == nil {
		is.newID = NewUUIDURN
	}
	if is.workers == 0 {
		is.workers = runtime.GOMAXPROCS(0)
	}
	for _, prof := range []jwt.Profile{jwt.VCJWT, jwt.VCJOSE} {
		is.jwts[prof] = jwt.New(jwt.Options{Algorithms: []keys.Algorithm{signer.Algorithm()}, Profile: prof})
	}
	is.warmUp()
	return is, nil
}

// warmUp runs a small credential through the JSON Schema and JSON-LD
// steps, so that the OB3 schema is compiled and the contexts processed
// now rather than during the first Issue (tens of milliseconds). Both are
// cached per process, so later Issuers pay almost nothing. Errors are left
// for Issue to report.
func (is *Issuer) warmUp() {
	ctx := context.Background()
	doc := map[string]any{
		"@context":  []any{ld.CredentialsV2URL, ld.OB303URL},
		"id":        "urn:uuid:00000000-0000-4000-8000-000000000000",
		"type":      []any{TypeVerifiableCredential, TypeOpenBadgeCredential},
		"issuer":    map[string]any{"id": is.profile.ID, "type": []any{TypeProfile}, "name": "warm-up"},
		"validFrom": "2026-01-01T00:00:00Z",
		"name":      "warm-up",
		"credentialSubject": map[string]any{
			"id": "did:example:warm-up", "type": []any{TypeAchievementSubject},
			"achievement": map[string]any{
				"id": "urn:uuid:00000000-0000-4000-8000-000000000001", "type": []any{TypeAchievement},
				"name": "warm-up", "description": "warm-up", "criteria": map[string]any{"narrative": "warm-up"},
			},
		},
	}
	is.schema.ValidateCredential(ctx, doc)
	ld.Canonicalize(ctx, doc, is.ld)
}

// Profile returns a copy of the issuer Profile that Issue writes into
// credentials without an issuer.
func (is *Issuer) Profile() Profile {
	p, err := copyProfile(is.profile)
	if err != nil { // cannot happen: the profile was copied this way before
		panic(err)
	}
	return p
}

// ID returns the issuer's id.
func (is *Issuer) ID() string { return is.profile.ID }

// Signer returns the key the Issuer signs with, for signing other documents
// of the same issuer (status lists, credentials that are not Open Badges).
func (is *Issuer) Signer() keys.Signer { return is.signer }

// VerificationMethod returns the verification method the Issuer's proofs
// and JWT kids name.
func (is *Issuer) VerificationMethod() string { return is.vm }

// NewUUIDURN returns a random (version 4) UUID as a URN,
// "urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", from crypto/rand.
func NewUUIDURN() string {
	var u [16]byte
	rand.Read(u[:]) // never fails (crypto/rand.Read crashes the program instead)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var b [45]byte
	copy(b[:], "urn:uuid:")
	hex.Encode(b[9:17], u[0:4])
	b[17] = '-'
	hex.Encode(b[18:22], u[4:6])
	b[22] = '-'
	hex.Encode(b[23:27], u[6:8])
	b[27] = '-'
	hex.Encode(b[28:32], u[8:10])
	b[32] = '-'
	hex.Encode(b[33:45], u[10:16])
	return string(b[:])
}

// Issue validates cred and returns it signed, as JSON.
//
// cred is not modified: Issue works on a copy, on which it
//
//   - sets id to NewID() when it is empty;
//   - sets validFrom to the clock's now when it is absent;
//   - sets issuer to the Issuer's Profile when it is nil (an issuer with
//     another id is an error; one with the same id is kept as it is, a
//     bare IRI included);
//   - adds VerifiableCredential to type when missing, and
//     OpenBadgeCredential when type has neither AchievementCredential nor
//     OpenBadgeCredential.
//
// It then validates the copy with Check (OB 3.0 rules), the JSON Schemas
// (schema.Validator.ValidateCredential on the canonical JSON) and the
// Validate hook, and signs it with an eddsa-rdfc-2022 proof
// (dataintegrity.AddProof, created at the clock's now), whose JSON-LD safe
// mode refuses a term no context defines. A credential that already has a
// proof is refused.
//
// A credential that fails is an *IssueError listing every problem of every
// step: when an earlier step fails, the document is still run through
// JSON-LD safe mode (without signing) so that its problems are listed too.
// Other errors are not about the credential: ErrNeedsEd25519 (wrapped)
// when the Issuer's signer is not an Ed25519 key, ctx.Err() when ctx is
// done, a signer's error wrapped.
func (is *Issuer) Issue(ctx context.Context, cred *AchievementCredential) ([]byte, error) {
	signed, body, err := is.sign(ctx, cred)
	if err != nil {
		return nil, err
	}
	if body == nil {
		out, err := json.Marshal(signed)
		if err != nil {
			return nil, fmt.Errorf("badge: issue: %w", err)
		}
		return out, nil
	}
	proof, err := json.Marshal(signed["proof"])
	if err != nil {
		return nil, fmt.Errorf("badge: issue: %w", err)
	}
	// The credential as validated, in MarshalJSON's member order, and the
	// proof (AddProof changes nothing else when the @context defines
	// DataIntegrityProof, as the canonical one does).
	out := make([]byte, 0, len(body)+len(proof)+10)
	out = append(out, body[:len(body)-1]...) // without the final '}'
	out = append(out, `,"proof":`...)
	out = append(out, proof...)
	out = append(out, '}')
	return out, nil
}

// IssueMap is Issue returning the signed credential as a decoded JSON
// object (numbers as json.Number), for a caller that adds to it or embeds
// it: a proof set, a presentation.
func (is *Issuer) IssueMap(ctx context.Context, cred *AchievementCredential) (map[string]any, error) {
	signed, _, err := is.sign(ctx, cred)
	return signed, err
}

// IssueJWT validates cred as Issue does and returns it secured as a
// compact JWS of the given profile (vc/jwt Suite.Seal) instead of with an
// embedded proof. The zero profile, jwt.VCJWT, is the Open Badges 3.0
// §8.2 VC-JWT (header typ "JWT", the registered claims iss, jti, nbf, exp
// and sub added to the credential); jwt.VCJOSE is the W3C VC-JOSE
// enveloped credential (typ "vc+jwt", cty "vc").
//
// The defaults and the validation are Issue's, the same code: a copy of
// cred gets the same id, validFrom, issuer and type defaults, then Check,
// the JSON Schemas, the EU profile, the Validate hook and JSON-LD safe mode
// run on it. A JWT carries no Data Integrity proof, but its credential is
// JSON-LD all the same, so a term no context defines is refused here as
// well. A credential that already has a proof is refused. The header's
// alg is the signer's algorithm and its kid the verification method
// NewIssuer chose. IssueJWT works with every signer NewIssuer accepts.
//
// A credential that fails is an *IssueError, as for Issue. Other errors
// are not about the credential: ctx.Err() when ctx is done, an unknown
// profile, a signer's error wrapped (a *jwt.Error).
func (is *Issuer) IssueJWT(ctx context.Context, cred *AchievementCredential, profile jwt.Profile) ([]byte, error) {
	if profile != jwt.VCJWT && profile != jwt.VCJOSE {
		return nil, fmt.Errorf("badge: issue: unknown JWT profile %d", int(profile))
	}
	v, err := is.validate(ctx, cred, "IssueJWT", true)
	if err != nil {
		return nil, err
	}
	tok, err := is.jwts[profile].Seal(ctx, v.doc, vc.ProofOptions{Signer: is.signer, VerificationMethod: is.vm})
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		if errors.Is(err, jwt.ErrCredential) {
			// Validated, but not something a JWT carries (a member named
			// vc or vp).
			return nil, &IssueError{Problems: []IssueProblem{{Source: SourceIssuer, Message: err.Error(), Err: err}}}
		}
		return nil, fmt.Errorf("badge: issue: %w", err)
	}
	return tok, nil
}

// Validate runs every check Issue and IssueJWT run — the defaults filled
// in on a copy, the OB 3.0 rules, the JSON Schemas, the EU profile, the
// Validate hook and JSON-LD safe mode — without signing, and returns nil
// or the *IssueError Issue would return. A service calls it before it
// commits resources to a credential (a status list index, say) that
// signing might still refuse. cred is not modified.
func (is *Issuer) Validate(ctx context.Context, cred *AchievementCredential) error {
	_, err := is.validate(ctx, cred, "Issue", true)
	return err
}

// validated is a credential that passed every check of validate, with
// the Issuer's defaults filled in.
type validated struct {
	// body is the credential's canonical JSON (MarshalJSON), doc the
	// same decoded (numbers as json.Number).
	body []byte
	doc  map[string]any
	// now is the clock's now, in UTC, to the second.
	now time.Time
}

func (is *Issuer) sign(ctx context.Context, cred *AchievementCredential) (map[string]any, []byte, error) {
	if alg := is.signer.Algorithm(); alg != keys.EdDSA {
		return nil, nil, fmt.Errorf("%w; this Issuer's signer uses %s: use IssueJWT", ErrNeedsEd25519, alg)
	}
	// JSON-LD safe mode runs in AddProof, which signs only what it allows.
	v, err := is.validate(ctx, cred, "Issue", false)
	if err != nil {
		return nil, nil, err
	}
	body, doc := v.body, v.doc
	signed, err := dataintegrity.AddProof(ctx, doc, is.signer, dataintegrity.SignOptions{
		VerificationMethod: is.vm,
		Created:            v.now,
		LD:                 is.ld,
	})
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, nil, cerr
		}
		var sm *ld.SafeModeError
		var le *ld.Error
		if errors.As(err, &sm) || errors.As(err, &le) {
			return nil, nil, &IssueError{Problems: []IssueProblem{jsonldProblem(err)}}
		}
		return nil, nil, fmt.Errorf("badge: issue: %w", err)
	}
	if len(signed) != len(doc)+1 || !sameList(signed["@context"], doc["@context"]) {
		body = nil // AddProof added a context: Issue writes the map
	}
	return signed, body, nil
}

// validate is the part Issue and IssueJWT share: it fills the defaults in
// on a copy of cred and runs every validation step on it. method is the
// caller's name, for messages. When the other steps find problems, the
// document also goes through JSON-LD safe mode so that its problems are
// listed with theirs; when they find none, it does only with jsonld (Issue
// leaves that to AddProof, which must run it anyway).
func (is *Issuer) validate(ctx context.Context, cred *AchievementCredential, method string, jsonld bool) (*validated, error) {
	if cred == nil {
		return nil, errors.New("badge: issue: nil credential")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := is.now().UTC().Truncate(time.Second)

	// A shallow copy: the defaults below replace top-level fields only,
	// everything else is read (by Check and MarshalJSON), never written.
	c := *cred

	var probs []IssueProblem
	add := func(p IssueProblem) { probs = append(probs, p) }

	// Defaults.
	if c.ID == "" {
		c.ID = is.newID()
	}
	if c.ValidFrom.IsZero() {
		c.ValidFrom = NewDateTime(now)
	}
	switch {
	case c.Issuer == nil:
		c.Issuer = &is.profile // read only, as the rest
	case c.Issuer.ID != is.profile.ID:
		ptr := "/issuer/id"
		if c.Issuer.IsRef() {
			ptr = "/issuer"
		}
		add(IssueProblem{Source: SourceIssuer, Pointer: ptr,
			Message: fmt.Sprintf("the credential names issuer %q, this Issuer is %q", c.Issuer.ID, is.profile.ID)})
	}
	if !slices.Contains(c.Type, TypeVerifiableCredential) {
		c.Type = slices.Insert(slices.Clip(c.Type), 0, TypeVerifiableCredential)
	}
	if !slices.Contains(c.Type, TypeAchievementCredential) && !slices.Contains(c.Type, TypeOpenBadgeCredential) {
		c.Type = append(slices.Clip(c.Type), TypeOpenBadgeCredential)
	}
	if len(c.Proof) > 0 {
		add(IssueProblem{Source: SourceIssuer, Pointer: "/proof",
			Message: "the credential already has a proof; " + method + " signs unsigned credentials"})
	}

	// OB 3.0 rules.
	for _, p := range c.Check() {
		add(IssueProblem{Source: SourceOB3, Pointer: p.Pointer, Rule: p.Rule, Message: p.Message, Err: p})
	}

	// JSON Schema, on the JSON that will be signed.
	body, err := c.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("badge: issue: %w", err)
	}
	// Numbers as json.Number, as written; no size limit (the input is the
	// caller's own), the schema validator's depth and value limits apply.
	tree, err := jsonx.Decode(body, jsonx.Limits{MaxBytes: math.MaxInt, MaxDepth: math.MaxInt, MaxValues: math.MaxInt})
	if err != nil {
		return nil, fmt.Errorf("badge: issue: %w", err)
	}
	doc, ok := tree.(map[string]any)
	if !ok {
		return nil, errors.New("badge: issue: the credential is not written as a JSON object")
	}
	res, err := is.schema.ValidateCredential(ctx, doc)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		add(IssueProblem{Source: SourceSchema, Message: err.Error(), Err: err})
	}
	if res != nil {
		for _, p := range res.Problems {
			add(IssueProblem{Source: SourceSchema, Pointer: p.InstancePath, Rule: p.Keyword, Message: p.Message})
		}
	}

	// The EU micro-credential profile, when the credential claims it.
	for _, p := range euProfileProblems(&c) {
		add(p)
	}

	// The profile hook.
	if is.hook != nil {
		// The hook gets its own deep copy, read from the JSON that will be
		// signed: what it does to it changes neither the caller's value
		// nor the signed document.
		hc := new(AchievementCredential)
		if err := hc.UnmarshalJSON(body); err != nil {
			return nil, fmt.Errorf("badge: issue: %w", err)
		}
		if err := is.hook(hc); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) && len(ve.Problems) > 0 {
				for _, p := range ve.Problems {
					add(IssueProblem{Source: SourceProfile, Pointer: p.Pointer, Rule: p.Rule, Message: p.Message, Err: p})
				}
			} else {
				add(IssueProblem{Source: SourceProfile, Message: err.Error(), Err: err})
			}
		}
	}

	if len(probs) > 0 || jsonld {
		// JSON-LD safe mode: nothing is signed (Issue) or nothing else
		// would refuse a term no context defines (IssueJWT).
		if _, err := ld.Canonicalize(ctx, doc, is.ld); err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return nil, cerr
			}
			add(jsonldProblem(err))
		}
	}
	if len(probs) > 0 {
		return nil, &IssueError{Problems: probs}
	}
	return &validated{body: body, doc: doc, now: now}, nil
}

// jsonldProblem turns a JSON-LD processing error into a problem.
func jsonldProblem(err error) IssueProblem {
	p := IssueProblem{Source: SourceJSONLD, Message: err.Error(), Err: err}
	var sm *ld.SafeModeError
	var le *ld.Error
	switch {
	case errors.As(err, &sm):
		p.Pointer, p.Message = sm.Path, sm.Reason
	case errors.As(err, &le):
		p.Message = le.Error()
	}
	return p
}

// IssueBatch issues every credential of creds, Workers at a time (all
// cores by default), and returns the signed credentials and the errors,
// both in the order of creds: out[i] is nil exactly when errs[i] is not. A
// credential that fails does not stop the others. When ctx is done, the
// credentials not yet issued get ctx.Err(). As Issue, it signs
// eddsa-rdfc-2022 proofs: with a signer that is not an Ed25519 key every
// credential gets ErrNeedsEd25519.
func (is *Issuer) IssueBatch(ctx context.Context, creds []*AchievementCredential) ([][]byte, []error) {
	out := make([][]byte, len(creds))
	errs := make([]error, len(creds))
	workers := min(is.workers, len(creds))
	var next = make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				if err := ctx.Err(); err != nil {
					errs[i] = err
					continue
				}
				out[i], errs[i] = is.Issue(ctx, creds[i])
			}
		})
	}
	for i := range creds {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errs
}

// sameList reports whether a and b are the same []any (the same backing
// array and length), or equal strings.
func sameList(a, b any) bool {
	la, ok1 := a.([]any)
	lb, ok2 := b.([]any)
	if ok1 && ok2 {
		return len(la) == len(lb) && (len(la) == 0 || &la[0] == &lb[0])
	}
	sa, ok1 := a.(string)
	sb, ok2 := b.(string)
	return ok1 && ok2 && sa == sb
}

// copyProfile returns a deep copy of p (through its JSON form).
func copyProfile(p Profile) (Profile, error) {
	ref := p.ref
	raw, err := json.Marshal(p)
	if err != nil {
		return Profile{}, err
	}
	var q Profile
	if err := q.UnmarshalJSON(raw); err != nil {
		return Profile{}, err
	}
	q.ref = ref
	return q, nil
}

// euProfileProblems checks the EU micro-credential elements of a credential
// that claims the profile (see MicroCredential.Validate); their problems
// have SourceProfile and the element name as Rule.
func euProfileProblems(c *AchievementCredential) []IssueProblem {
	if !c.ClaimsEUProfile() {
		return nil
	}
	m, _, err := FromOB3(c)
	if err == nil {
		err = m.Validate()
	}
	if err == nil {
		return nil
	}
	var me *MicroCredentialError
	if !errors.As(err, &me) {
		return []IssueProblem{{Source: SourceProfile, Message: err.Error(), Err: err}}
	}
	out := make([]IssueProblem, 0, len(me.Problems))
	for _, p := range me.Problems {
		out = append(out, IssueProblem{Source: SourceProfile, Pointer: p.Path, Rule: p.Element, Message: p.Message, Err: p})
	}
	return out
}
