package badge

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/jsonx"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/schema"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
	"github.com/microcred/microcred/vc/jwt"
	"github.com/microcred/microcred/vc/status"
)

// DefaultMaxEndorsementDepth is how deep endorsements of endorsements are
// verified when VerifierOptions.MaxEndorsementDepth is zero.
const DefaultMaxEndorsementDepth = 2

// DefaultSkew is the clock skew allowed for the validity period when
// VerifierOptions.Skew is zero.
const DefaultSkew = time.Minute

// VerifierOptions are the trusted material and the policy of a Verifier.
// Security decisions are explicit fields; none is taken from the credential.
type VerifierOptions struct {
	// Registry says which issuers are trusted. Nil means the registry step
	// is skipped with a warning: the signature then only proves that the
	// issuer's key signed, not that the issuer is one you trust. The keys a
	// *keys.FileRegistry (also inside a keys.Composite) pins are used to
	// resolve verification methods that cannot be dereferenced, and to
	// accept a VC-JWT header jwk.
	Registry keys.Registry
	// Resolver resolves Data Integrity verification methods and VC-JWT
	// kids. Nil means a keys.Chain: the registry's pinned keys first
	// (keys.NewPinnedResolver), then did:key and did:jwk locally, then
	// did:web and HTTPS controller documents through Fetcher when it is
	// set. A key is never decoded from the fragment of an HTTPS URL.
	Resolver keys.Resolver
	// Fetcher is the way to the network (did:web, HTTPS controller
	// documents, issuer JWKS, status lists). Nil means no network: such
	// lookups fail (status lists become warnings).
	Fetcher fetch.Fetcher
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Skew is the clock skew allowed for validity periods and JWT exp/nbf:
	// zero means DefaultSkew, negative none.
	Skew time.Duration
	// ProofSuites are the embedded-proof suites accepted. Nil means the
	// Data Integrity eddsa-rdfc-2022 family (dataintegrity.NewSuite with
	// Resolver): eddsa-rdfc-2022, eddsa-2022 and Ed25519Signature2020.
	ProofSuites []vc.Suite
	// JWTAlgorithms is the VC-JWT algorithm allow-list. Nil means
	// jwt.DefaultAlgorithms (RS256, ES256, EdDSA); "none" and HMAC are
	// never allowed.
	JWTAlgorithms []keys.Algorithm
	// RequireEUProfile makes the eu_profile step run on every credential
	// (a credential that is not a complete EU micro-credential fails).
	// Otherwise it runs on credentials that claim the profile.
	RequireEUProfile bool
	// MaxEndorsementDepth bounds how deep embedded endorsements are
	// verified: 0 means DefaultMaxEndorsementDepth, negative means
	// endorsements are not verified (the step is a warning when there are
	// some).
	MaxEndorsementDepth int
	// Schema validates credentials against the OB3 JSON Schemas and their
	// credentialSchema entries. Nil means schema.New with no network.
	Schema *schema.Validator
	// LD controls JSON-LD processing for the default proof suite and
	// status lists; nil means safe mode with the embedded contexts.
	LD *ld.Options
	// StatusCacheTTL is how long a verified status list is reused
	// (status.Options.CacheTTL): 0 means that package's default (5
	// minutes), a negative value no cache, so that a revocation is seen on
	// the next verification. Keep the Fetcher's own cache no longer.
	StatusCacheTTL time.Duration
	// Refresh makes the refresh step follow the credential's
	// refreshService (1EdTechCredentialRefresh) through Fetcher, at most
	// once per Verify and only after the proof check passed. False means
	// the step is skipped.
	Refresh bool
}

// Verifier verifies Open Badges 3.0 credentials (OB 3.0 §9 "Verification
// and Validation") against trusted material fixed when it is built.
// It is safe for concurrent use.
type Verifier struct {
	registry   keys.Registry
	pinned     []*keys.FileRegistry
	resolver   keys.Resolver
	fetcher    fetch.Fetcher
	now        func() time.Time
	skew       time.Duration
	suites     []vc.Suite
	jwt        *jwt.Suite
	kid        *keys.KIDResolver
	status     *status.Checker
	schema     *schema.Validator
	requireEU  bool
	maxEndorse int
	refresh    bool
	ld         *ld.Options
}

// NewVerifier builds a Verifier from opts (see VerifierOptions for the
// defaults).
func NewVerifier(opts VerifierOptions) (*Verifier, error) {
	v := &Verifier{
		registry:   opts.Registry,
		fetcher:    opts.Fetcher,
		now:        opts.Now,
		skew:       opts.Skew,
		schema:     opts.Schema,
		requireEU:  opts.RequireEUProfile,
		maxEndorse: opts.MaxEndorsementDepth,
		refresh:    opts.Refresh,
		ld:         opts.LD,
	}
	if v.now == nil {
		v.now = time.Now
	}
	switch {
	case v.skew == 0:
		v.skew = DefaultSkew
	case v.skew < 0:
		v.skew = 0
	}
	if v.maxEndorse == 0 {
		v.maxEndorse = DefaultMaxEndorsementDepth
	}
	v.pinned = fileRegistries(opts.Registry, 0)
	v.resolver = opts.Resolver
	if v.resolver == nil {
		var chain keys.Chain
		for _, r := range v.pinned {
			chain = append(chain, keys.NewPinnedResolver(r))
		}
		chain = append(chain, keys.NewResolver(opts.Fetcher, nil))
		v.resolver = chain
	}
	v.suites = opts.ProofSuites
	if v.suites == nil {
		v.suites = []vc.Suite{dataintegrity.NewSuite(v.resolver, opts.LD)}
	}
	v.kid = &keys.KIDResolver{Resolver: v.resolver}
	if opts.Fetcher != nil {
		v.kid.JWKS = &keys.JWKSResolver{Fetcher: opts.Fetcher}
	}
	v.jwt = jwt.New(jwt.Options{
		Resolver:   v.kid,
		Algorithms: opts.JWTAlgorithms,
		JWKCheck:   v.jwkCheck,
		Skew:       v.jwtSkew(),
	})
	v.status = status.NewChecker(opts.Fetcher, status.Options{Resolver: v.resolver, LD: opts.LD, Now: v.now, Skew: v.skew, CacheTTL: opts.StatusCacheTTL})
	if v.schema == nil {
		s, err := schema.New(schema.Options{})
		if err != nil {
			return nil, fmt.Errorf("badge: schema validator: %w", err)
		}
		v.schema = s
	}
	return v, nil
}

func (v *Verifier) jwtSkew() time.Duration {
	if v.skew == 0 {
		return -1
	}
	return v.skew
}

// fileRegistries finds the *keys.FileRegistry values in r (directly or in
// a Composite), whose pinned keys the verifier may use.
func fileRegistries(r keys.Registry, depth int) []*keys.FileRegistry {
	if depth > 8 {
		return nil
	}
	switch r := r.(type) {
	case *keys.FileRegistry:
		if r != nil {
			return []*keys.FileRegistry{r}
		}
	case keys.Composite:
		var out []*keys.FileRegistry
		for _, x := range r {
			out = append(out, fileRegistries(x, depth+1)...)
		}
		return out
	}
	return nil
}

// jwkCheck is the vc/jwt JWKCheck of the verifier: a header jwk belongs
// to the issuer when the registry pins it for that issuer, when the issuer
// is the did:key or did:jwk of that very key, or when it is
// in the issuer's JWK Set (https://{issuer host}/.well-known/jwks.json,
// fetched through the Fetcher).
func (v *Verifier) jwkCheck(ctx context.Context, issuer string, j *keys.JWK) error {
	pub, err := j.PublicKey()
	if err != nil {
		return err
	}
	if v.pinnedFor(issuer, pub) {
		return nil
	}
	// A did:key or did:jwk issuer id is its key.
	switch {
	case strings.HasPrefix(issuer, "did:key:"):
		if ip, _, err := keys.ParseDIDKey(issuer); err == nil && keys.PublicKeysEqual(ip, pub) {
			return nil
		}
	case strings.HasPrefix(issuer, "did:jwk:"):
		if _, ip, _, err := keys.ParseDIDJWK(issuer); err == nil && keys.PublicKeysEqual(ip, pub) {
			return nil
		}
	}
	if v.fetcher == nil {
		return errors.New("key is not pinned for the issuer in the registry, and no Fetcher is configured to read the issuer's JWKS")
	}
	u, err := keys.JWKSURL(issuer)
	if err != nil {
		return fmt.Errorf("key is not pinned for the issuer, and the issuer has no JWKS: %w", err)
	}
	data, err := v.fetcher.Fetch(ctx, u)
	if err != nil {
		return fmt.Errorf("key is not pinned for the issuer, and its JWKS could not be read: %w", err)
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return fmt.Errorf("issuer JWKS %s: %w", u, err)
	}
	for _, raw := range set.Keys {
		k, err := keys.ParseJWK(raw)
		if err != nil {
			continue
		}
		if kp, err := k.PublicKey(); err == nil && keys.PublicKeysEqual(kp, pub) {
			return nil
		}
	}
	return fmt.Errorf("key is neither pinned for the issuer nor in the issuer's JWKS %s", u)
}

// pinnedFor reports whether a registry entry for issuer pins pub.
func (v *Verifier) pinnedFor(issuer string, pub crypto.PublicKey) bool {
	for _, r := range v.pinned {
		e := r.Lookup(issuer, false)
		if e == nil {
			continue
		}
		for _, k := range e.Keys {
			if kp, err := k.PublicKey(); err == nil && keys.PublicKeysEqual(kp, pub) {
				return true
			}
		}
	}
	return false
}

// run is the state of one verification.
type run struct {
	v       *Verifier
	depth   int
	report  *Report
	cred    *vc.Credential
	format  string
	issuer  string
	jws     []byte // the compact JWS, for a JWT credential
	input   []byte // what Verify was given
	rawLen  int    // length of the JSON cred was parsed from, 0 if unknown
	now     time.Time
	aborted string // set when a step stops the pipeline
	// proof step results
	proofVM         string
	proofCtrl       string
	proofPub        crypto.PublicKey
	jwtErr          error
	jwtRes          *vc.ProofResult
	jwtTimingFailed error
	ac              *AchievementCredential
	acRead          bool // ac was read (by subject or achievement)
	// FromOB3(ac), read once for registry and eu_profile
	mc        *MicroCredential
	mcMissing []string
	mcErr     error
	mcRead    bool
	// cred.CheckDataModel(), for context_and_type and schema
	dm     []vc.Problem
	dmRead bool
}

// Verify verifies a credential given as credential JSON with an embedded
// proof, a compact JWS (VC-JWT or VC-JOSE; also as a JSON string), an
// EnvelopedVerifiableCredential holding one (see VerifyWith), or a baked
// PNG or SVG, and
// returns a Report with one Check per step in CheckOrder. The error is
// non-nil only when ctx is done; everything about the credential — even
// input that is not a credential at all — is in the Report.
//
// The steps follow the verification procedure of Open Badges 3.0 (§9,
// "Verification and Validation"; paraphrased here, the spec text is not
// in this repository) and the order of the project's design:
//
//  1. parse: the input is one JSON object within the limits (or a JWS,
//     an enveloped credential or a baked image carrying one).
//  2. context_and_type: the first @context is the VCDM 2.0 one (1.1 is
//     read with a warning) and an OB 3.0 context is present; type has
//     VerifiableCredential and AchievementCredential, OpenBadgeCredential
//     or EndorsementCredential.
//  3. schema: the OB 3.0 JSON Schema for the type and every
//     credentialSchema.
//  4. subject: the credential subject has an id or an identifier, and the
//     other Open Badges rules (Check).
//  5. proof: a VC-JWT's signature, or else the embedded proof (any one
//     valid proof of an accepted suite).
//  6. key_provenance: the key belongs to the issuer.
//     refresh: the refreshService, followed once (VerifierOptions.Refresh).
//  7. registry: the issuer is trusted for this credential.
//  8. status: each credentialStatus entry is checked (revoked or
//     suspended fails, an unreachable list warns).
//  9. validity: validUntil/expirationDate in the past is expired,
//     validFrom/issuanceDate in the future is not yet valid.
//  10. eu_profile: the EU micro-credential elements.
//  11. endorsements: each embedded endorsement verified the same way.
//
// Verify is VerifyWith with zero VerifyOptions: every check runs.
func (v *Verifier) Verify(ctx context.Context, input []byte) (*Report, error) {
	return v.verify(ctx, input, 0)
}

// VerifyWith is Verify running only the checks opts selects (see
// VerifyOptions): the others are in the Report, Skipped with the message
// "not requested". The error is non-nil when ctx is done, or when
// opts.Checks names an unknown check (errors.Is(err, ErrUnknownCheck));
// the latter is returned before any work.
//
// The input may be, besides what Verify reads, an
// EnvelopedVerifiableCredential (VCDM 2.0 §4.13): a JSON object whose type
// is EnvelopedVerifiableCredential and whose id is a data: URL of media
// type application/vc+jwt, application/jwt or application/vc-ld+jwt
// holding a compact JWS (not base64-encoded; at most jwt.MaxTokenBytes),
// which is then verified as the JWS itself; or a JSON string holding a
// compact JWS.
func (v *Verifier) VerifyWith(ctx context.Context, input []byte, opts VerifyOptions) (*Report, error) {
	sel, err := opts.selection()
	if err != nil {
		return nil, err
	}
	return v.verifySel(ctx, input, 0, sel)
}

// verify runs every check of the pipeline.
func (v *Verifier) verify(ctx context.Context, input []byte, depth int) (*Report, error) {
	return v.verifySel(ctx, input, depth, nil)
}

// verifySel runs the pipeline; sel is the set of checks to run, nil for
// all.
func (v *Verifier) verifySel(ctx context.Context, input []byte, depth int, sel map[string]bool) (*Report, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &run{v: v, depth: depth, input: input, report: &Report{}, now: v.now()}
	steps := []func(context.Context) Check{
		r.parse, r.contextAndType, r.schemaStep, r.subject, r.proof,
		r.keyProvenance, r.refresh, r.registry, r.statusStep, r.validity, r.euProfile,
		r.endorsements,
	}
	for i, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if sel != nil && !sel[CheckOrder[i]] {
			r.report.Checks = append(r.report.Checks, Check{ID: CheckOrder[i], Outcome: Skipped, Message: "not requested"})
			continue
		}
		if r.aborted != "" {
			r.report.Checks = append(r.report.Checks, Check{ID: CheckOrder[i], Outcome: Skipped, Message: "not run: " + r.aborted})
			continue
		}
		c := step(ctx)
		c.ID = CheckOrder[i]
		r.report.Checks = append(r.report.Checks, c)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r.report, nil
}

func failed(msg string, details map[string]any) Check {
	return Check{Outcome: Failed, Message: msg, Details: details}
}

func passed(msg string, details map[string]any) Check {
	return Check{Outcome: Passed, Message: msg, Details: details}
}

func warning(msg string, details map[string]any) Check {
	return Check{Outcome: Warning, Message: msg, Details: details}
}

func skipped(msg string) Check { return Check{Outcome: Skipped, Message: msg} }

// parse: find the credential in the input (baked image, JWS, JSON string
// holding a JWS, EnvelopedVerifiableCredential or credential JSON) and
// parse it with vc's limits (size, depth, duplicate members rejected).
func (r *run) parse(ctx context.Context) Check {
	r.aborted = "the credential could not be read"
	data := bytes.TrimSpace(r.input)
	container := ""
	var err error
	switch {
	case IsPNG(data):
		container = "png"
		data, err = ExtractPNG(data)
	case len(data) > 0 && (data[0] == '{' || data[0] == '"'):
	case IsSVG(data):
		container = "svg"
		data, err = ExtractSVG(data)
	}
	if err != nil {
		r.report.Credential.Format = container
		return failed(err.Error(), map[string]any{"container": container})
	}
	data = bytes.TrimSpace(data)
	kind := "json"
	if len(data) == 0 || data[0] != '{' {
		kind = "jwt"
	}
	setFormat := func() {
		r.format = kind
		if container != "" {
			r.format = container + "+" + kind
		}
		r.report.Credential.Format = r.format
	}
	setFormat()
	details := map[string]any{"format": r.format}
	if len(data) > 0 && data[0] == '"' {
		// A JSON string holding a compact JWS (as a VC API client or a
		// presentation may send it).
		tok, err := jsonStringToken(data)
		if err != nil {
			return failed("not a credential: "+err.Error(), details)
		}
		data = tok
	}
	if kind == "json" {
		c, err := vc.Parse(data)
		if err != nil {
			return failed("not a credential: "+err.Error(), details)
		}
		if c.HasType(TypeEnvelopedVerifiableCredential) {
			kind = "enveloped+jwt"
			setFormat()
			details["format"] = r.format
			tok, mediaType, err := envelopedToken(c)
			if mediaType != "" {
				details["mediaType"] = mediaType
			}
			if err != nil {
				return failed("enveloped credential: "+err.Error(), details)
			}
			data = tok
		} else {
			r.cred, r.rawLen = c, len(data)
		}
	}
	if r.cred == nil {
		if bytes.Count(data, []byte(".")) != 2 {
			return failed("input is neither credential JSON, a compact JWS, nor a baked PNG or SVG", details)
		}
		r.jws = data
		c, res, err := r.v.jwt.Open(ctx, data, vc.VerifyProofOptions{Now: r.now})
		r.jwtRes, r.jwtErr = res, err
		if res != nil && res.Details["signature"] == "valid" && (errors.Is(err, jwt.ErrExpired) || errors.Is(err, jwt.ErrNotYetValid)) {
			// Judged by the validity step, whether or not proof runs.
			r.jwtTimingFailed = err
		}
		if c == nil {
			// The token did not verify far enough to hand back its
			// credential; read the payload (untrusted) so that the other
			// steps can still say what is wrong with it.
			c, err = unverifiedJWTPayload(data)
			if err != nil {
				if r.jwtErr != nil {
					return failed("not a credential: "+r.jwtErr.Error(), details)
				}
				return failed("not a credential: "+err.Error(), details)
			}
		}
		r.cred = c
	}
	if iss, err := r.cred.Issuer(); err == nil {
		r.issuer = iss.ID
	}
	r.report.Credential.ID = r.cred.ID()
	r.report.Credential.Issuer = r.issuer
	r.report.Credential.Types = r.cred.Types()
	r.aborted = ""
	return passed("read "+r.format+" credential", details)
}

// achievement returns the credential read as an AchievementCredential,
// or nil (an endorsement, or a credential that cannot be read as one). It
// is read once: by the subject step, or here when that step was not
// selected and registry or eu_profile need it.
func (r *run) achievement() *AchievementCredential {
	if r.acRead {
		return r.ac
	}
	r.acRead = true
	if r.cred == nil || isEndorsementOnly(r.cred) {
		return nil
	}
	if ac, err := r.parseAchievement(); err == nil {
		r.ac = ac
	}
	return r.ac
}

// docCopy returns a deep copy of the credential's decoded document, which
// is what ParseCredential(vc.Marshal(r.cred.Map())) reads: the same tree
// (vc.Parse made it, with the default limits, so re-encoding and parsing
// it again gives it back). ok is false when that round trip could fail
// on vc.Parse's size limit: the encoding can be up to twice as long as the
// JSON the document was read from (a raw U+2028 becomes \u2028; every
// other character keeps or shortens its length), so the copy stands in
// for it only when twice that length is within the limit.
func (r *run) docCopy() (map[string]any, bool) {
	n := r.rawLen
	if n <= 0 {
		n = len(r.cred.Raw())
	}
	if 2*n > jsonx.DefaultMaxBytes {
		return nil, false
	}
	return vc.CopyDocument(r.cred.Map()), true
}

// parseAchievement is ParseCredential(vc.Marshal(r.cred.Map())), without
// the round trip when docCopy allows.
func (r *run) parseAchievement() (*AchievementCredential, error) {
	if doc, ok := r.docCopy(); ok {
		ac := new(AchievementCredential)
		if err := ac.decodeTree(doc); err != nil {
			return nil, err
		}
		return ac, nil
	}
	raw, err := vc.Marshal(r.cred.Map())
	if err != nil {
		return nil, err
	}
	return ParseCredential(raw)
}

// microCredential returns FromOB3(r.ac), computed once per run (r.ac must
// be non-nil). The registry step only reads the EQF level; eu_profile puts
// the view in the report.
func (r *run) microCredential() (*MicroCredential, []string, error) {
	if !r.mcRead {
		r.mcRead = true
		// r.ac was read from the parsed credential (parseAchievement).
		r.mc, r.mcMissing, r.mcErr = fromOB3(r.ac, true)
	}
	return r.mc, r.mcMissing, r.mcErr
}

// dataModel returns r.cred.CheckDataModel(), computed once per run.
func (r *run) dataModel() []vc.Problem {
	if !r.dmRead {
		r.dmRead = true
		r.dm = r.cred.CheckDataModel()
	}
	return r.dm
}

// isEndorsementOnly: an EndorsementCredential that is not also an
// achievement credential.
func isEndorsementOnly(c *vc.Credential) bool {
	return c.HasType("EndorsementCredential") && !c.HasType("AchievementCredential") && !c.HasType("OpenBadgeCredential")
}

// unverifiedJWTPayload decodes a compact JWS payload without verifying it:
// the credential itself, or a VCDM 1.1-era "vc" claim.
func unverifiedJWTPayload(tok []byte) (*vc.Credential, error) {
	parts := bytes.Split(tok, []byte("."))
	if len(parts) != 3 || len(parts[1]) > jwt.MaxTokenBytes {
		return nil, errors.New("not a compact JWS")
	}
	payload, err := base64.RawURLEncoding.DecodeString(string(parts[1]))
	if err != nil {
		return nil, fmt.Errorf("JWS payload: %w", err)
	}
	c, err := vc.Parse(payload)
	if err != nil {
		return nil, err
	}
	if inner, ok := c.Map()["vc"].(map[string]any); ok {
		b, err := vc.Marshal(inner)
		if err != nil {
			return nil, err
		}
		return vc.Parse(b)
	}
	return c, nil
}

const (
	obContextPrefix = "https://purl.imsglobal.org/spec/ob/v3p0/context"
	obContextLatest = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
)

// contextAndType: the first @context must be
// https://www.w3.org/ns/credentials/v2 (https://www.w3.org/2018/credentials/v1
// is read with a warning) and an OB 3.0 context must follow (an older one
// than 3.0.3 warns); type must include VerifiableCredential and
// AchievementCredential or OpenBadgeCredential (or EndorsementCredential
// for an endorsement).
func (r *run) contextAndType(ctx context.Context) Check {
	var problems []string
	for _, p := range r.dataModel() {
		if p.Rule == "context" || p.Rule == "type" {
			problems = append(problems, p.Error())
		}
	}
	types := r.cred.Types()
	if !slices.ContainsFunc(types, func(t string) bool {
		return t == "AchievementCredential" || t == "OpenBadgeCredential" || t == "EndorsementCredential"
	}) {
		problems = append(problems, "/type: has neither AchievementCredential, OpenBadgeCredential nor EndorsementCredential")
	}
	obCtx := ""
	for _, c := range r.cred.Contexts() {
		if s, ok := c.(string); ok && strings.HasPrefix(s, obContextPrefix) {
			obCtx = s
			break
		}
	}
	if obCtx == "" {
		problems = append(problems, "/@context: no Open Badges 3.0 context ("+obContextPrefix+"…)")
	}
	details := map[string]any{"types": types}
	if len(problems) > 0 {
		details["problems"] = problems
		return failed(fmt.Sprintf("%d problem(s) with @context or type", len(problems)), details)
	}
	var warns []string
	if ver, err := r.cred.Version(); err == nil && ver == vc.V1 {
		warns = append(warns, "the credential uses the outdated VCDM 1.1 context")
	}
	if obCtx != obContextLatest {
		warns = append(warns, "Open Badges context "+obCtx+" is older than "+obContextLatest)
	}
	if len(warns) > 0 {
		details["warnings"] = warns
		return warning(strings.Join(warns, "; "), details)
	}
	return passed("VCDM 2.0 and Open Badges 3.0 contexts and types", details)
}

// schemaStep: the data model's structural rules, then the OB3 JSON Schema
// for the credential's type and every credentialSchema entry.
func (r *run) schemaStep(ctx context.Context) Check {
	var problems []map[string]any
	for _, p := range r.dataModel() {
		if p.Rule == "context" || p.Rule == "type" {
			continue
		}
		problems = append(problems, map[string]any{"pointer": p.Pointer, "rule": p.Rule, "message": p.Message, "source": "data model"})
	}
	res, err := r.v.schema.ValidateCredential(ctx, r.cred)
	// The OB 3.0 schemas describe VCDM 2.0 credentials. A VCDM 1.1
	// credential (accepted with a warning by context_and_type) is not held
	// to the two 2.0-only requirements: the v2 base context and validFrom
	// (issuanceDate stands in for it, CheckDataModel requires that).
	v1 := false
	if ver, err := r.cred.Version(); err == nil && ver == vc.V1 {
		v1 = true
	}
	var tolerated []string
	if res != nil {
		for _, p := range res.Problems {
			if v1 && (p.InstancePath == "/@context/0" || (p.InstancePath == "/validFrom" && p.Keyword == "required")) {
				tolerated = append(tolerated, p.InstancePath+": "+p.Message)
				continue
			}
			problems = append(problems, map[string]any{"pointer": p.InstancePath, "rule": p.Keyword, "message": p.Message, "schema": p.SchemaLocation, "source": "JSON Schema"})
		}
	}
	details := map[string]any{}
	if res != nil {
		var ids []string
		for _, s := range res.Schemas {
			ids = append(ids, fmt.Sprint(s.ID))
		}
		details["schemas"] = ids
	}
	if err != nil {
		details["error"] = err.Error()
	}
	if len(problems) > 0 {
		details["problems"] = problems
	}
	if len(tolerated) > 0 {
		details["toleratedForVCDM11"] = tolerated
	}
	if err != nil || len(problems) > 0 {
		msg := fmt.Sprintf("%d schema problem(s)", len(problems))
		if err != nil {
			msg += "; " + err.Error()
		}
		return failed(msg, details)
	}
	return passed("valid against the Open Badges 3.0 schema and every credentialSchema", details)
}

// subject: the Open Badges rules (Check), among them that the credential
// subject has an id or an identifier.
func (r *run) subject(ctx context.Context) Check {
	doc, copied := r.docCopy()
	var raw []byte
	if !copied {
		var err error
		raw, err = vc.Marshal(r.cred.Map())
		if err != nil {
			return failed(err.Error(), nil)
		}
	}
	var problems []Problem
	if isEndorsementOnly(r.cred) {
		r.acRead = true
		var ec *EndorsementCredential
		var err error
		if copied {
			ec = new(EndorsementCredential)
			if err = ec.decodeTree(doc); err != nil {
				ec = nil
			}
		} else {
			ec, err = ParseEndorsementCredential(raw)
		}
		if err != nil {
			return failed("cannot read the endorsement: "+err.Error(), nil)
		}
		problems = ec.Check()
	} else {
		var ac *AchievementCredential
		var err error
		if copied {
			ac = new(AchievementCredential)
			if err = ac.decodeTree(doc); err != nil {
				ac = nil
			}
		} else {
			ac, err = ParseCredential(raw)
		}
		if err != nil {
			return failed("cannot read the achievement credential: "+err.Error(), nil)
		}
		r.ac, r.acRead = ac, true
		problems = ac.Check()
	}
	if len(problems) > 0 {
		var ps []map[string]any
		for _, p := range problems {
			ps = append(ps, map[string]any{"pointer": p.Pointer, "rule": p.Rule, "message": p.Message})
		}
		return failed(fmt.Sprintf("%d Open Badges rule violation(s)", len(problems)), map[string]any{"problems": ps})
	}
	return passed("credential subject and Open Badges rules", nil)
}

// proof: a VC-JWT's signature, or else the embedded proofs — any one
// valid proof of an accepted suite.
func (r *run) proof(ctx context.Context) Check {
	if r.jws != nil {
		return r.jwtProof(ctx)
	}
	proofs, err := r.cred.Proofs()
	if err != nil {
		return failed(err.Error(), nil)
	}
	if len(proofs) == 0 {
		return failed("the credential has no proof", nil)
	}
	doc := r.cred.Map()
	var results []map[string]any
	for _, p := range proofs {
		d := map[string]any{"pointer": p.Pointer, "type": p.Type, "verificationMethod": p.VerificationMethod}
		if p.Cryptosuite != "" {
			d["cryptosuite"] = p.Cryptosuite
		}
		var suite vc.Suite
		for _, s := range r.v.suites {
			if s.Accepts(p) {
				suite = s
				break
			}
		}
		if suite == nil {
			d["error"] = "no accepted proof suite for this proof type"
			results = append(results, d)
			continue
		}
		res, err := suite.VerifyProof(ctx, doc, p, vc.VerifyProofOptions{Now: r.now})
		if res != nil {
			d["suite"] = res.Suite
			if res.Controller != "" {
				d["controller"] = res.Controller
			}
		}
		if err == nil {
			d["verified"] = true
			results = append(results, d)
			r.proofVM, r.proofCtrl = p.VerificationMethod, ""
			if res != nil {
				r.proofVM, r.proofCtrl = res.VerificationMethod, res.Controller
			}
			if vm, err := r.v.resolver.Resolve(ctx, r.proofVM); err == nil {
				r.proofPub = vm.PublicKey
			}
			return passed("proof "+p.Pointer+" verified ("+suite.Name()+")", map[string]any{"proofs": results})
		}
		if ctx.Err() != nil {
			return failed(ctx.Err().Error(), nil)
		}
		d["verified"] = false
		d["error"] = err.Error()
		if res != nil {
			for k, val := range res.Details {
				d[k] = val
			}
		}
		results = append(results, d)
	}
	msg := "no proof verified"
	if len(results) == 1 {
		msg += ": " + fmt.Sprint(results[0]["error"])
	}
	return failed(msg, map[string]any{"proofs": results})
}

func (r *run) jwtProof(ctx context.Context) Check {
	d := map[string]any{}
	if r.jwtRes != nil {
		for k, val := range r.jwtRes.Details {
			d[k] = val
		}
		if r.jwtRes.VerificationMethod != "" {
			d["verificationMethod"] = r.jwtRes.VerificationMethod
		}
		if r.jwtRes.Controller != "" {
			d["controller"] = r.jwtRes.Controller
		}
	}
	sigOK := r.jwtRes != nil && r.jwtRes.Details["signature"] == "valid"
	err := r.jwtErr
	switch {
	case err == nil:
		r.setJWTKey(ctx)
		return passed("JWS signature verified", d)
	case sigOK && (errors.Is(err, jwt.ErrUntrustedKey) || errors.Is(err, jwt.ErrKeyNotIssuer)):
		// The signature checks out; whose key it is, key_provenance says.
		d["provenanceError"] = err.Error()
		return passed("JWS signature verified (key provenance checked next)", d)
	case errors.Is(err, jwt.ErrKeyNotIssuer):
		// The kid names a key that is not the issuer's; vc/jwt stops
		// before the signature. key_provenance reports the failure.
		d["provenanceError"] = err.Error()
		return skipped("signature not checked: the key named is not the issuer's (see key_provenance)")
	case sigOK && (errors.Is(err, jwt.ErrExpired) || errors.Is(err, jwt.ErrNotYetValid)):
		r.jwtTimingFailed = err
		r.setJWTKey(ctx)
		d["timingError"] = err.Error()
		return passed("JWS signature verified (exp/nbf judged in validity)", d)
	}
	d["error"] = err.Error()
	return failed("JWS did not verify: "+err.Error(), d)
}

// setJWTKey records the key of a verified JWT for the registry query.
func (r *run) setJWTKey(ctx context.Context) {
	if r.jwtRes != nil {
		r.proofVM, r.proofCtrl = r.jwtRes.VerificationMethod, r.jwtRes.Controller
	}
	parts := bytes.Split(r.jws, []byte("."))
	hb, err := base64.RawURLEncoding.DecodeString(string(parts[0]))
	if err != nil {
		return
	}
	var h struct {
		Kid string          `json:"kid"`
		JWK json.RawMessage `json:"jwk"`
	}
	if json.Unmarshal(hb, &h) != nil {
		return
	}
	if len(h.JWK) > 0 {
		if j, err := keys.ParseJWK(h.JWK); err == nil {
			if pub, err := j.PublicKey(); err == nil {
				r.proofPub = pub
				return
			}
		}
	}
	if vm, err := r.v.kid.ResolveKID(ctx, r.issuer, h.Kid); err == nil {
		r.proofPub = vm.PublicKey
	}
}

// keyProvenance: the verification method's controller must be the
// credential's issuer.id (for DIDs the Data Integrity suite has already
// required the method under assertionMethod); for VC-JWT the kid resolves
// to a key of the issuer, or the header jwk is in the issuer's JWKS or
// pinned in the registry. A key is never taken from an HTTPS URL fragment.
func (r *run) keyProvenance(ctx context.Context) Check {
	d := map[string]any{"verificationMethod": r.proofVM, "controller": r.proofCtrl, "issuer": r.issuer}
	if r.jws != nil && r.jwtErr != nil && (errors.Is(r.jwtErr, jwt.ErrUntrustedKey) || errors.Is(r.jwtErr, jwt.ErrKeyNotIssuer)) {
		if r.jwtRes != nil {
			d["verificationMethod"], d["controller"] = r.jwtRes.VerificationMethod, r.jwtRes.Controller
		}
		d["error"] = r.jwtErr.Error()
		return failed("the signing key is not shown to be the issuer's: "+r.jwtErr.Error(), d)
	}
	proof := r.report.Check(CheckProof)
	if proof == nil || proof.Outcome != Passed {
		return skipped("no verified proof")
	}
	if r.issuer == "" {
		return failed("the credential has no issuer id", d)
	}
	if r.proofCtrl != r.issuer {
		return failed(fmt.Sprintf("the verification method's controller %q is not the issuer %q", r.proofCtrl, r.issuer), d)
	}
	return passed("the signing key is controlled by the issuer", d)
}

// registry: is the issuer trusted, for this credential and achievement
// type, at this time, with this key.
func (r *run) registry(ctx context.Context) Check {
	if r.v.registry == nil {
		return warning("no issuer registry configured: the issuer's trustworthiness was not checked", nil)
	}
	if r.issuer == "" {
		return failed("the credential has no issuer id", nil)
	}
	if p := r.report.Check(CheckProof); p != nil && p.Outcome == Passed && r.proofPub == nil {
		// Never ask the registry without the key: an entry that pins keys
		// would then not be able to refuse.
		return failed("the key that verified the proof could not be determined for the registry check", nil)
	}
	q := keys.Query{Issuer: r.issuer, CredentialTypes: r.cred.Types(), Time: r.now, PublicKey: r.proofPub, VerificationMethod: r.proofVM}
	if r.achievement() != nil {
		if a := r.ac.Achievement(); a != nil {
			q.AchievementType = string(a.AchievementType)
		}
		// The EQF level claimed (EU profile term or an ext:EQF alignment),
		// so that a registry can bound it (accreditedFor maxEQF).
		if mc, _, err := r.microCredential(); err == nil {
			q.EQFLevel = mc.Level.EQF
		}
	}
	dec, err := r.v.registry.Check(ctx, q)
	d := map[string]any{"code": string(dec.Code), "source": dec.Source}
	if dec.Entry != nil {
		d["entry"] = dec.Entry.ID
		if dec.Entry.Name != "" {
			d["name"] = dec.Entry.Name
		}
	}
	if err != nil {
		d["error"] = err.Error()
		return failed("the issuer registry could not decide: "+err.Error(), d)
	}
	if !dec.Trusted {
		return failed(dec.Reason, d)
	}
	return passed(dec.Reason, d)
}

// statusStep: every credentialStatus entry is checked: a revoked or suspended entry fails, a list that cannot be
// fetched is a warning.
func (r *run) statusStep(ctx context.Context) Check {
	entries, err := r.cred.Status()
	if err != nil {
		return failed(err.Error(), nil)
	}
	if len(entries) == 0 {
		return skipped("the credential has no credentialStatus")
	}
	results, err := r.v.status.CheckCredential(ctx, r.cred)
	if err != nil {
		return failed(err.Error(), nil)
	}
	var out []map[string]any
	worst := Passed
	var msgs []string
	for _, res := range results {
		m := map[string]any{"type": res.Type, "outcome": string(res.Outcome), "statusListCredential": res.ListURL}
		if res.Purpose != "" {
			m["statusPurpose"] = res.Purpose
		}
		if res.Err != nil {
			m["error"] = res.Err.Error()
		}
		out = append(out, m)
		msg := fmt.Sprintf("%s %s", res.Type, res.Outcome)
		if res.Err != nil {
			msg += ": " + res.Err.Error()
		}
		msgs = append(msgs, msg)
		switch {
		case res.Outcome.Failed():
			worst = Failed
		case res.Outcome.Warning() && worst != Failed:
			worst = Warning
		}
	}
	return Check{Outcome: worst, Message: strings.Join(msgs, "; "), Details: map[string]any{"entries": out}}
}

// validity: a validUntil (expirationDate) in the past means expired, a
// validFrom (issuanceDate) in the future not yet valid — judged against
// the verifier's clock with its skew.
func (r *run) validity(ctx context.Context) Check {
	d := map[string]any{"now": r.now.UTC().Format(time.RFC3339)}
	from, okFrom, err := r.cred.ValidFrom()
	if err != nil {
		return failed("validFrom/issuanceDate: "+err.Error(), d)
	}
	until, okUntil, err := r.cred.ValidUntil()
	if err != nil {
		return failed("validUntil/expirationDate: "+err.Error(), d)
	}
	if okFrom {
		d["validFrom"] = from.UTC().Format(time.RFC3339)
		if from.After(r.now.Add(r.v.skew)) {
			return failed("not yet valid: valid from "+from.UTC().Format(time.RFC3339), d)
		}
	}
	if okUntil {
		d["validUntil"] = until.UTC().Format(time.RFC3339)
		if until.Before(r.now.Add(-r.v.skew)) {
			return failed("expired: valid until "+until.UTC().Format(time.RFC3339), d)
		}
	}
	if r.jwtTimingFailed != nil {
		return failed(r.jwtTimingFailed.Error(), d)
	}
	return passed("within the validity period", d)
}

// euProfile: the EU micro-credential elements (Council Recommendation
// 2022/C 243/02, Annex I), when the verifier requires the profile or the
// credential claims it.
func (r *run) euProfile(ctx context.Context) Check {
	claims := r.achievement() != nil && r.ac.ClaimsEUProfile()
	if !r.v.requireEU && !claims {
		return skipped("the credential does not claim the EU micro-credential profile")
	}
	if r.ac == nil {
		return failed("the EU micro-credential profile is required but the credential is not an achievement credential", nil)
	}
	mc, missing, err := r.microCredential()
	if err != nil {
		return failed("cannot read the EU elements: "+err.Error(), nil)
	}
	r.report.EUElements = mc
	d := map[string]any{"claimed": claims}
	if len(missing) > 0 {
		d["missing"] = missing
	}
	if err := mc.Validate(); err != nil {
		var mce *MicroCredentialError
		if errors.As(err, &mce) {
			var ps []map[string]any
			for _, p := range mce.Problems {
				b, _ := json.Marshal(p)
				var m map[string]any
				_ = json.Unmarshal(b, &m)
				if m == nil {
					m = map[string]any{"message": fmt.Sprint(p)}
				}
				ps = append(ps, m)
			}
			d["problems"] = ps
		}
		return failed(err.Error(), d)
	}
	return passed("every mandatory EU micro-credential element is present and valid", d)
}

// MaxEndorsements bounds how many embedded endorsements of one credential
// are verified; the others are reported with a warning.
const MaxEndorsements = 32

// endorsements: each embedded endorsement (endorsement, endorsementJwt of
// the credential, its achievement and its issuer) is verified with the
// same pipeline, up to the verifier's depth and MaxEndorsements. An
// endorsement that fails any check but the registry fails the step; one
// whose only failure is that the registry does not know its issuer (the
// endorser) is a warning: the endorsement is authentic, the endorser is
// simply not one the relying party has registered.
func (r *run) endorsements(ctx context.Context) Check {
	inputs, ptrs := collectEndorsements(r.cred.Map())
	if len(inputs) == 0 {
		return skipped("no endorsements")
	}
	if r.depth >= r.v.maxEndorse || r.v.maxEndorse < 0 {
		return warning(fmt.Sprintf("%d endorsement(s) not verified: depth limit %d reached", len(inputs), max(r.v.maxEndorse, 0)), map[string]any{"pointers": ptrs})
	}
	var subs []map[string]any
	nFailed, nUntrusted := 0, 0
	extra := 0
	if len(inputs) > MaxEndorsements {
		extra = len(inputs) - MaxEndorsements
		inputs, ptrs = inputs[:MaxEndorsements], ptrs[:MaxEndorsements]
	}
	for i, in := range inputs {
		rep, err := r.v.verify(ctx, in, r.depth+1)
		if err != nil {
			return failed(err.Error(), nil)
		}
		fails := rep.Failures()
		switch {
		case len(fails) == 0:
		case len(fails) == 1 && fails[0].ID == CheckRegistry:
			nUntrusted++
		default:
			nFailed++
		}
		subs = append(subs, map[string]any{"pointer": ptrs[i], "report": rep})
	}
	d := map[string]any{"endorsements": subs}
	if nFailed > 0 {
		return failed(fmt.Sprintf("%d of %d endorsement(s) did not verify", nFailed, len(inputs)), d)
	}
	if nUntrusted > 0 || extra > 0 {
		msg := fmt.Sprintf("%d endorsement(s) verified", len(inputs)-nUntrusted)
		if nUntrusted > 0 {
			msg += fmt.Sprintf("; %d authentic but from endorsers the registry does not trust", nUntrusted)
		}
		if extra > 0 {
			msg += fmt.Sprintf("; %d more not verified (limit %d)", extra, MaxEndorsements)
		}
		return warning(msg, d)
	}
	return passed(fmt.Sprintf("%d endorsement(s) verified", len(inputs)), d)
}

// collectEndorsements returns the embedded endorsements (as JSON or JWS
// bytes) and their JSON Pointers.
func collectEndorsements(doc map[string]any) ([][]byte, []string) {
	var ins [][]byte
	var ptrs []string
	add := func(obj map[string]any, base string) {
		for i, e := range asList(obj["endorsement"]) {
			if m, ok := e.(map[string]any); ok {
				if b, err := vc.Marshal(m); err == nil {
					ins = append(ins, b)
					ptrs = append(ptrs, fmt.Sprintf("%s/endorsement/%d", base, i))
				}
			}
		}
		for i, e := range asList(obj["endorsementJwt"]) {
			if s, ok := e.(string); ok {
				ins = append(ins, []byte(s))
				ptrs = append(ptrs, fmt.Sprintf("%s/endorsementJwt/%d", base, i))
			}
		}
	}
	add(doc, "")
	if iss, ok := doc["issuer"].(map[string]any); ok {
		add(iss, "/issuer")
	}
	for i, s := range asList(doc["credentialSubject"]) {
		if sm, ok := s.(map[string]any); ok {
			if a, ok := sm["achievement"].(map[string]any); ok {
				add(a, fmt.Sprintf("/credentialSubject/%d/achievement", i))
			}
		}
	}
	return ins, ptrs
}

func asList(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}

// ClearStatusCache forgets the status lists the Verifier has cached
// (VerifierOptions.StatusCacheTTL), so that the next verification fetches
// them again. An issuing service calls it after it changed one of its own
// lists, so that its verifier sees the change at once.
func (v *Verifier) ClearStatusCache() { v.status.ClearCache() }
