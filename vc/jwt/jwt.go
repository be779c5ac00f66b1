// Package jwt secures Verifiable Credentials as JSON Web Tokens: VC-JWT as
// Open Badges 3.0 §8.2 uses it (header typ "JWT", the payload is the
// credential plus the registered claims iss, jti, nbf, exp and sub; tokens of
// the VCDM 1.1 era, which carry the credential in a "vc" claim, are read
// too), and VC-JOSE enveloped credentials (media type application/vc+jwt,
// header typ "vc+jwt", the payload is the credential itself).
//
// A Suite implements vc.EnvelopeSuite. It is built once from the verifier's
// trusted material and policy (Options) and is safe for concurrent use.
//
// # Security decisions
//
// Algorithms come from the verifier's allow-list (Options.Algorithms, by
// default RS256, ES256 and EdDSA), never from the token: "none" and the HMAC
// algorithms are always rejected, and an alg that does not fit the key's
// type (RS256 with an Ed25519 key, ES256 with a P-384 key, …) fails. Compact
// JWS parsing uses github.com/go-jose/go-jose/v4's ParseSignedCompact, which
// takes the allowed algorithms as an argument; before that this package reads
// the header itself with a strict JSON decoder (duplicate members rejected),
// so the header go-jose sees is the one checked here. Signatures are checked
// with keys.VerifyMessage. Tokens are at most MaxTokenBytes.
//
// Which key: a "kid" is resolved with Options.Resolver (a keys.KIDResolver
// by default: did:key and did:jwk locally; did:web, HTTPS and JWKS only when
// the caller gives it a Fetcher), and the method must be controlled by the
// issuer and listed under assertionMethod. A header "jwk" is never trusted on
// its own: a jwk with private members is rejected, and a public one only
// proves that the token was signed by whoever holds that key. Unless
// Options.JWKCheck accepts the key for the issuer (wire it to the issuer's
// /.well-known/jwks.json or to the issuer registry), Open checks the
// signature, reports the result, and fails with ErrUntrustedKey. A token with
// neither kid nor jwk verifies only when its issuer is a did:key or did:jwk.
//
// Claims: iss, jti, nbf, exp and sub must agree with the credential's issuer
// id, id, validFrom (issuanceDate), validUntil (expirationDate) and subject
// id: a claim that is present must have its counterpart, with the same value
// (NumericDates compared to the second). A claim may be absent; a VCDM
// 1.1-era vc claim takes omitted properties from the claims, as VCDM 1.1
// §6.3.1 says. exp and nbf are judged against the clock with Options.Skew;
// iat is not checked (the W3C test vectors write it as a date string). The
// credential returned by Open has the registered JWT claims removed (they are
// not credential properties and no JSON-LD context defines them).
//
// A "crit" header is rejected: this package implements no JWS extension.
// "jku", "x5u" and "x5c" are ignored; keys are never fetched from where the
// token says.
package jwt

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/microcred/microcred/internal/jsonx"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
)

const (
	// MaxTokenBytes is the largest token Open reads (1 MiB).
	MaxTokenBytes = 1 << 20
	// DefaultSkew is the clock skew allowed for exp and nbf when
	// Options.Skew is zero.
	DefaultSkew = time.Minute

	// TypJWT is the typ of OB 3.0 VC-JWT tokens.
	TypJWT = "JWT"
	// TypVCJWT is the typ of VC-JOSE enveloped credentials.
	TypVCJWT = "vc+jwt"
	// MediaTypeVCJWT is the media type of VC-JOSE enveloped credentials.
	MediaTypeVCJWT = "application/vc+jwt"
	// CtyVC is the cty of VC-JOSE enveloped credentials.
	CtyVC = "vc"
)

// Profile is the form of token Seal produces.
type Profile int

const (
	// VCJWT is Open Badges 3.0 §8.2: typ "JWT", the payload the
	// credential with iss, jti, nbf, exp and sub added.
	VCJWT Profile = iota
	// VCJOSE is W3C VC-JOSE-COSE: typ "vc+jwt", cty "vc", the payload the
	// credential (the same registered claims are added; vc and vp never).
	VCJOSE
)

// String returns "VC-JWT" or "VC-JOSE".
func (p Profile) String() string {
	if p == VCJOSE {
		return "VC-JOSE"
	}
	return "VC-JWT"
}

// DefaultAlgorithms is the allow-list used when Options.Algorithms is nil:
// RS256 (which OB 3.0 requires), ES256 and EdDSA.
var DefaultAlgorithms = []keys.Algorithm{keys.RS256, keys.ES256, keys.EdDSA}

// KIDResolver resolves a JWT kid for a token of issuer. *keys.KIDResolver
// implements it.
type KIDResolver interface {
	ResolveKID(ctx context.Context, issuer, kid string) (*keys.VerificationMethod, error)
}

// JWKCheck decides whether a public key given in a token's "jwk" header
// belongs to issuer. It returns nil to accept. A verifier typically looks
// the key up in the issuer's JWK Set (keys.JWKSURL) or in its issuer
// registry's pinned keys. jwk never has private members.
type JWKCheck func(ctx context.Context, issuer string, jwk *keys.JWK) error

// Options configure a Suite.
type Options struct {
	// Resolver resolves kid headers. Nil means a keys.KIDResolver over
	// keys.NewResolver(nil, nil): did:key and did:jwk only, no network.
	Resolver KIDResolver
	// Algorithms is the allow-list of signature algorithms, for Open and
	// Seal. Nil means DefaultAlgorithms; an empty non-nil list allows
	// nothing. Entries other than EdDSA, ES256,
	// ES384, ES512 and RS256 are ignored (so "none" and HS256 can never be
	// allowed).
	Algorithms []keys.Algorithm
	// JWKCheck, when set, is asked whether a header jwk (with no kid)
	// belongs to the issuer. When nil such tokens fail with
	// ErrUntrustedKey after their signature has been checked.
	JWKCheck JWKCheck
	// Skew is the clock skew allowed for exp and nbf: zero means
	// DefaultSkew, a negative value none.
	Skew time.Duration
	// Profile is the form Seal produces.
	Profile Profile
	// EmbedJWK makes Seal put the signer's public JWK in the header, in
	// addition to the kid when there is one. Seal always embeds it when
	// there is no kid.
	EmbedJWK bool
}

// Suite signs and verifies credentials as JWTs. It implements
// vc.EnvelopeSuite.
type Suite struct {
	opts     Options
	resolver KIDResolver
	algs     []keys.Algorithm
	joseAlgs []jose.SignatureAlgorithm
}

var _ vc.EnvelopeSuite = (*Suite)(nil)

// supported are the algorithms this package can ever allow.
var supported = map[keys.Algorithm]jose.SignatureAlgorithm{
	keys.EdDSA: jose.EdDSA,
	keys.ES256: jose.ES256,
	keys.ES384: jose.ES384,
	keys.ES512: jose.ES512,
	keys.RS256: jose.RS256,
}

// New returns a Suite with the given options.
func New(opts Options) *Suite {
	s := &Suite{opts: opts, resolver: opts.Resolver}
	if s.resolver == nil {
		s.resolver = &keys.KIDResolver{Resolver: keys.NewResolver(nil, nil)}
	}
	algs := opts.Algorithms
	if algs == nil {
		algs = DefaultAlgorithms
	}
	for _, a := range algs {
		if ja, ok := supported[a]; ok && !slices.Contains(s.algs, a) {
			s.algs = append(s.algs, a)
			s.joseAlgs = append(s.joseAlgs, ja)
		}
	}
	return s
}

// Name implements vc.EnvelopeSuite: "VC-JWT" or "VC-JOSE" after the
// profile Seal produces (Open reads both).
func (s *Suite) Name() string { return s.opts.Profile.String() }

func (s *Suite) allowed(alg string) bool {
	return slices.Contains(s.algs, keys.Algorithm(alg))
}

// registered are the JWT claims Seal adds and Open removes from the
// credential it returns.
var registered = []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "nonce"}

// Seal implements vc.EnvelopeSuite: it returns doc as a compact JWS of the
// suite's Profile, signed by opts.Signer. The header has alg (from the
// signer: keys.Signer's Algorithm, else the default for its key), typ, and
// kid (opts.VerificationMethod, else the signer's VerificationMethod()) or,
// when there is no kid or Options.EmbedJWK is set, the public jwk. The
// payload is doc with iss (the issuer id), jti (id), nbf (validFrom or
// issuanceDate), exp (validUntil or expirationDate) and sub (the id of the
// one credentialSubject) added where doc has them, aud from opts.Domain and
// nonce from opts.Challenge. The other fields of opts (ProofPurpose,
// Created, Expires, ID, PreviousProof, Nonce) have no JWT counterpart and
// are ignored. doc must be a credential the vc package reads (it is checked
// with vc.FromDocument and Issuer) and must not have members named vc or vp;
// it is not modified.
func (s *Suite) Seal(ctx context.Context, doc map[string]any, opts vc.ProofOptions) ([]byte, error) {
	if opts.Signer == nil {
		return nil, newErr(ErrSigner, "", "no signer", nil)
	}
	pub := opts.Signer.Public()
	var alg keys.Algorithm
	if a, ok := opts.Signer.(interface{ Algorithm() keys.Algorithm }); ok {
		alg = a.Algorithm()
	} else {
		var err error
		if alg, err = keys.AlgorithmFor(pub); err != nil {
			return nil, newErr(ErrSigner, "alg", "", err)
		}
	}
	if !s.allowed(string(alg)) {
		return nil, newErr(ErrAlgorithm, "alg", string(alg)+" is not on the allow-list", nil)
	}
	kid := opts.VerificationMethod
	if kid == "" {
		if v, ok := opts.Signer.(interface{ VerificationMethod() string }); ok {
			kid = v.VerificationMethod()
		}
	}
	for _, k := range []string{"vc", "vp"} {
		if _, ok := doc[k]; ok {
			return nil, newErr(ErrCredential, k, "the credential has a member named like the JWT claim", nil)
		}
	}
	cred, err := vc.FromDocument(doc)
	if err != nil {
		return nil, newErr(ErrCredential, "", "", err)
	}
	iss, err := cred.Issuer()
	if err != nil {
		return nil, newErr(ErrCredential, "iss", "", err)
	}
	payload := vc.CopyDocument(doc)
	for _, k := range registered {
		delete(payload, k)
	}
	payload["iss"] = iss.ID
	if id := cred.ID(); id != "" {
		payload["jti"] = id
	}
	if t, ok, err := cred.ValidFrom(); err != nil {
		return nil, newErr(ErrCredential, "nbf", "", err)
	} else if ok {
		payload["nbf"] = t.Unix()
	}
	if t, ok, err := cred.ValidUntil(); err != nil {
		return nil, newErr(ErrCredential, "exp", "", err)
	} else if ok {
		payload["exp"] = t.Unix()
	}
	if subs, err := cred.Subjects(); err == nil && len(subs) == 1 && subs[0].ID != "" {
		payload["sub"] = subs[0].ID
	}
	switch len(opts.Domain) {
	case 0:
	case 1:
		payload["aud"] = opts.Domain[0]
	default:
		aud := make([]any, len(opts.Domain))
		for i, d := range opts.Domain {
			aud[i] = d
		}
		payload["aud"] = aud
	}
	if opts.Challenge != "" {
		payload["nonce"] = opts.Challenge
	}

	header := map[string]any{"alg": string(alg)}
	if s.opts.Profile == VCJOSE {
		header["typ"] = TypVCJWT
		header["cty"] = CtyVC
	} else {
		header["typ"] = TypJWT
	}
	if kid != "" {
		header["kid"] = kid
	}
	if kid == "" || s.opts.EmbedJWK {
		j, err := keys.PublicJWK(pub)
		if err != nil {
			return nil, newErr(ErrSigner, "jwk", "", err)
		}
		j = j.PublicOnly()
		b, err := j.MarshalJSON()
		if err != nil {
			return nil, newErr(ErrSigner, "jwk", "", err)
		}
		header["jwk"] = json.RawMessage(b)
	}
	hb, err := vc.Marshal(header)
	if err != nil {
		return nil, newErr(ErrSigner, "", "", err)
	}
	pb, err := vc.Marshal(payload)
	if err != nil {
		return nil, newErr(ErrCredential, "", "", err)
	}
	enc := base64.RawURLEncoding
	out := make([]byte, 0, enc.EncodedLen(len(hb))+enc.EncodedLen(len(pb))+200)
	out = enc.AppendEncode(out, hb)
	out = append(out, '.')
	out = enc.AppendEncode(out, pb)
	sig, err := opts.Signer.SignMessage(ctx, out)
	if err != nil {
		return nil, newErr(ErrSigner, "", "", err)
	}
	out = append(out, '.')
	out = enc.AppendEncode(out, sig)
	if len(out) > MaxTokenBytes {
		return nil, newErr(ErrTooLarge, "", "the token would be larger than MaxTokenBytes", nil)
	}
	return out, nil
}

// header is what Open reads of the JOSE header.
type header struct {
	raw map[string]any
	alg string
	typ string
	cty string
	kid string
	jwk *keys.JWK
}

func str(m map[string]any, k string) (string, bool, error) {
	v, ok := m[k]
	if !ok {
		return "", false, nil
	}
	s, isStr := v.(string)
	if !isStr {
		return "", true, newErr(ErrMalformed, k, "not a string", nil)
	}
	return s, true, nil
}

var headerLimits = jsonx.Limits{MaxBytes: 64 << 10, MaxDepth: 8, MaxValues: 1000}

func decodeSegment(seg []byte, what string) ([]byte, error) {
	out := make([]byte, base64.RawURLEncoding.DecodedLen(len(seg)))
	n, err := base64.RawURLEncoding.Strict().Decode(out, seg)
	if err != nil {
		return nil, newErr(ErrMalformed, "", what+" is not base64url without padding", err)
	}
	return out[:n], nil
}

func parseHeader(b []byte) (*header, error) {
	v, err := jsonx.Decode(b, headerLimits)
	if err != nil {
		return nil, newErr(ErrMalformed, "", "header", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, newErr(ErrMalformed, "", "header is not a JSON object", nil)
	}
	h := &header{raw: m}
	var present bool
	if h.alg, present, err = str(m, "alg"); err != nil {
		return nil, err
	} else if !present || h.alg == "" {
		return nil, newErr(ErrMalformed, "alg", "missing", nil)
	}
	if h.typ, _, err = str(m, "typ"); err != nil {
		return nil, err
	}
	if h.cty, _, err = str(m, "cty"); err != nil {
		return nil, err
	}
	if h.kid, _, err = str(m, "kid"); err != nil {
		return nil, err
	}
	if jv, ok := m["jwk"]; ok {
		jm, ok := jv.(map[string]any)
		if !ok {
			return nil, newErr(ErrMalformed, "jwk", "not an object", nil)
		}
		jb, err := vc.Marshal(jm)
		if err != nil {
			return nil, newErr(ErrMalformed, "jwk", "", err)
		}
		j, err := keys.ParseJWK(jb)
		if err != nil {
			return nil, newErr(ErrMalformed, "jwk", "", err)
		}
		if j.IsPrivate() || jm["k"] != nil {
			return nil, newErr(ErrPrivateKey, "jwk", "", nil)
		}
		h.jwk = j
	}
	return h, nil
}

// mediaType strips the optional "application/" prefix (RFC 7515 §4.1.9) and
// lowers the case.
func mediaType(s string) string {
	s = strings.ToLower(s)
	return strings.TrimPrefix(s, "application/")
}

// Open implements vc.EnvelopeSuite. It verifies a compact JWS (VC-JWT or
// VC-JOSE, told apart by typ) and returns the credential it carries and the
// result: VerificationMethod (the kid's method, or an RFC 9278 JWK
// thumbprint URI for a header jwk), Controller (the method's controller, or
// the issuer when Options.JWKCheck accepted the jwk) and Details (alg, kid,
// typ, profile, keyProvenance, signature). See the package documentation for
// the checks; every failure is an *Error, and the result is never nil.
//
// The order: size; header (strict JSON, alg on the allow-list, no crit,
// typ/cty, jwk without private members); compact JWS structure (go-jose);
// payload (the credential, via vc.Parse limits); key (kid resolved, its
// controller the issuer, listed under opts.ExpectedPurpose, default
// assertionMethod; or the header jwk); signature; claims cross-checked with
// the credential; exp/nbf against opts.Now (zero: time.Now) with the skew;
// opts.Challenge against the nonce claim and opts.Domain against aud, when
// set. When the only failure is that a header jwk is not known to be the
// issuer's (ErrUntrustedKey), the credential is returned with the error, so
// that a caller can show what the token says; it must not be trusted.
func (s *Suite) Open(ctx context.Context, data []byte, opts vc.VerifyProofOptions) (*vc.Credential, *vc.ProofResult, error) {
	res := &vc.ProofResult{Suite: s.Name(), Details: map[string]string{}}
	j, err := s.parseJWS(data, res)
	if err != nil {
		return nil, res, err
	}
	h, profile, signingInput, sig := j.h, j.profile, j.signingInput, j.sig

	pb, err := decodeSegment(j.payload, "payload")
	if err != nil {
		return nil, res, err
	}
	claims, err := vc.Parse(pb)
	if err != nil {
		return nil, res, newErr(ErrCredential, "", "payload", err)
	}
	cred, c, err := credentialOf(claims.Map(), profile)
	if err != nil {
		return nil, res, err
	}
	issuer, err := cred.Issuer()
	if err != nil {
		return nil, res, newErr(ErrCredential, "iss", "", err)
	}

	// The key.
	var pub crypto.PublicKey
	var trusted bool
	var checkErr error // why JWKCheck refused the header jwk
	switch {
	case h.kid != "" || h.jwk == nil:
		vm, err := s.resolver.ResolveKID(ctx, issuer.ID, h.kid)
		if err != nil {
			if h.kid == "" {
				return nil, res, newErr(ErrNoKey, "kid", "the token has no kid and no jwk, and its issuer "+issuer.ID+" is not a single-key DID", err)
			}
			return nil, res, newErr(ErrKeyResolution, "kid", h.kid, err)
		}
		res.VerificationMethod = vm.ID
		res.Controller = vm.Controller
		if vm.Controller != issuer.ID {
			return nil, res, newErr(ErrKeyNotIssuer, "kid", "controller "+vm.Controller+" is not the issuer "+issuer.ID, nil)
		}
		purpose := keys.AssertionMethod
		if opts.ExpectedPurpose != "" {
			purpose = keys.Relationship(opts.ExpectedPurpose)
		}
		if !vm.Has(purpose) {
			return nil, res, newErr(ErrKeyNotIssuer, "kid", vm.ID+" is not listed under "+string(purpose), nil)
		}
		if vm.JWK != nil && vm.JWK.Alg != "" && vm.JWK.Alg != h.alg {
			return nil, res, newErr(ErrAlgorithm, "alg", "the key is declared for "+vm.JWK.Alg+", the token uses "+h.alg, nil)
		}
		if h.jwk != nil {
			hp, err := h.jwk.PublicKey()
			if err != nil || !keys.PublicKeysEqual(hp, vm.PublicKey) {
				return nil, res, newErr(ErrKeyNotIssuer, "jwk", "the header jwk is not the key kid names", err)
			}
		}
		pub = vm.PublicKey
		trusted = true
		res.Details["keyProvenance"] = "resolved"
	default:
		p, err := h.jwk.PublicKey()
		if err != nil {
			return nil, res, newErr(ErrMalformed, "jwk", "", err)
		}
		pub = p
		if tp, err := h.jwk.Thumbprint(); err == nil {
			res.VerificationMethod = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + tp
		}
		res.Details["keyProvenance"] = "unknown"
		if s.opts.JWKCheck != nil {
			if err := s.opts.JWKCheck(ctx, issuer.ID, h.jwk.PublicOnly()); err == nil {
				trusted = true
				res.Controller = issuer.ID
				res.Details["keyProvenance"] = "header jwk accepted by JWKCheck"
			} else {
				checkErr = err
				res.Details["keyProvenance"] = "header jwk refused by JWKCheck: " + err.Error()
			}
		}
	}

	if err := keys.VerifyMessage(pub, keys.Algorithm(h.alg), signingInput, sig); err != nil {
		res.Details["signature"] = "invalid"
		if errors.Is(err, keys.ErrAlgorithm) {
			return nil, res, newErr(ErrAlgorithm, "alg", h.alg+" does not fit the key", err)
		}
		return nil, res, newErr(ErrSignature, "", "", err)
	}
	res.Details["signature"] = "valid"
	if err := checkClaims(cred, issuer.ID, c, opts.Now, s.skew()); err != nil {
		return nil, res, err
	}
	if err := checkBinding(claims.Map(), opts); err != nil {
		return nil, res, err
	}
	if !trusted {
		return cred, res, newErr(ErrUntrustedKey, "jwk", "the signature verifies with the header jwk, but nothing ties that key to "+issuer.ID, checkErr)
	}
	return cred, res, nil
}

// parsedJWS is a compact JWS whose header passed the policy checks.
type parsedJWS struct {
	h            *header
	profile      Profile
	signingInput []byte
	payload      []byte // base64url
	sig          []byte
}

// parseJWS splits and decodes a compact JWS and applies the header policy:
// size, alg allow-list, crit, typ/cty, jwk without private members. It
// fills res.Details as it goes.
func (s *Suite) parseJWS(data []byte, res *vc.ProofResult) (*parsedJWS, error) {
	// RFC 7515 §7.1: BASE64URL(header) '.' BASE64URL(payload) '.'
	// BASE64URL(signature). Surrounding whitespace (a file's newline) is
	// tolerated.
	if len(data) > MaxTokenBytes {
		return nil, newErr(ErrTooLarge, "", "", nil)
	}
	data = bytes.TrimSpace(data)
	parts := bytes.Split(data, []byte{'.'})
	if len(parts) != 3 {
		return nil, newErr(ErrMalformed, "", "a compact JWS has three parts", nil)
	}
	hb, err := decodeSegment(parts[0], "header")
	if err != nil {
		return nil, err
	}
	h, err := parseHeader(hb)
	if err != nil {
		return nil, err
	}
	res.Details["alg"] = h.alg
	if h.kid != "" {
		res.Details["kid"] = h.kid
	}
	if h.typ != "" {
		res.Details["typ"] = h.typ
	}

	// The verifier's allow-list decides, not the token.
	if !s.allowed(h.alg) {
		detail := h.alg + " is not on the allow-list"
		switch {
		case strings.EqualFold(h.alg, "none"):
			detail = "unsecured tokens (alg none) are never accepted"
		case strings.HasPrefix(strings.ToUpper(h.alg), "HS"):
			detail = h.alg + ": HMAC algorithms are never accepted"
		}
		return nil, newErr(ErrAlgorithm, "alg", detail, nil)
	}
	// RFC 7515 §4.1.11: a recipient that does not understand a listed
	// extension must reject the JWS. We understand none.
	if _, ok := h.raw["crit"]; ok {
		return nil, newErr(ErrCritical, "crit", "", nil)
	}
	profile := VCJWT
	switch mediaType(h.typ) {
	case "", "jwt":
	case TypVCJWT, "vc+ld+jwt":
		profile = VCJOSE
		if h.cty != "" && mediaType(h.cty) != CtyVC && mediaType(h.cty) != "vc+ld+json" {
			return nil, newErr(ErrMediaType, "cty", h.cty, nil)
		}
	default:
		return nil, newErr(ErrMediaType, "typ", h.typ, nil)
	}
	res.Suite = profile.String()
	res.Details["profile"] = profile.String()

	// go-jose parses the compact form again, with the same allow-list.
	jws, err := jose.ParseSignedCompact(string(data), s.joseAlgs)
	if err != nil || len(jws.Signatures) != 1 {
		return nil, newErr(ErrMalformed, "", "", err)
	}
	sig, err := decodeSegment(parts[2], "signature")
	if err != nil {
		return nil, err
	}
	return &parsedJWS{
		h:            h,
		profile:      profile,
		signingInput: data[:len(parts[0])+1+len(parts[1])],
		payload:      parts[1],
		sig:          sig,
	}, nil
}

func (s *Suite) skew() time.Duration {
	switch {
	case s.opts.Skew == 0:
		return DefaultSkew
	case s.opts.Skew < 0:
		return 0
	}
	return s.opts.Skew
}

// jwtClaims are the registered claims Open cross-checks.
type jwtClaims struct {
	iss, jti, sub string
	hasIss        bool
	hasJti        bool
	hasSub        bool
	nbf, exp      int64
	hasNbf        bool
	hasExp        bool
}

func numericDate(m map[string]any, k string) (int64, bool, error) {
	v, ok := m[k]
	if !ok {
		return 0, false, nil
	}
	n, isNum := v.(json.Number)
	if !isNum {
		return 0, true, newErr(ErrMalformed, k, "not a NumericDate", nil)
	}
	if i, err := n.Int64(); err == nil {
		return i, true, nil
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || math.Abs(f) > 1e15 {
		return 0, true, newErr(ErrMalformed, k, "not a NumericDate", err)
	}
	return int64(math.Floor(f)), true, nil
}

// credentialOf extracts the credential and the registered claims from the
// payload.
func credentialOf(payload map[string]any, profile Profile) (*vc.Credential, jwtClaims, error) {
	var c jwtClaims
	var err error
	if c.iss, c.hasIss, err = str(payload, "iss"); err != nil {
		return nil, c, err
	}
	if c.jti, c.hasJti, err = str(payload, "jti"); err != nil {
		return nil, c, err
	}
	if c.sub, c.hasSub, err = str(payload, "sub"); err != nil {
		return nil, c, err
	}
	if c.nbf, c.hasNbf, err = numericDate(payload, "nbf"); err != nil {
		return nil, c, err
	}
	if c.exp, c.hasExp, err = numericDate(payload, "exp"); err != nil {
		return nil, c, err
	}
	var doc map[string]any
	if v, ok := payload["vc"]; ok {
		// VC-JOSE forbids the vc and vp claims; in VC-JWT a vc claim is
		// the VCDM 1.1 JWT encoding (VC Data Model 1.1 §6.3.1).
		if profile == VCJOSE {
			return nil, c, newErr(ErrCredential, "vc", "a vc+jwt payload must not have a vc claim", nil)
		}
		m, isObj := v.(map[string]any)
		if !isObj {
			return nil, c, newErr(ErrCredential, "vc", "not an object", nil)
		}
		doc = vc.CopyDocument(m)
		fillFromClaims(doc, c)
	} else {
		if _, ok := payload["vp"]; ok {
			return nil, c, newErr(ErrCredential, "vp", "a presentation is not a credential", nil)
		}
		doc = vc.CopyDocument(payload)
		for _, k := range registered {
			delete(doc, k)
		}
	}
	for _, k := range []string{"@context", "type"} {
		if _, ok := doc[k]; !ok {
			return nil, c, newErr(ErrCredential, "", "the payload has no "+k+": not a credential", nil)
		}
	}
	cred, err := vc.FromDocument(doc)
	if err != nil {
		return nil, c, newErr(ErrCredential, "", "", err)
	}
	return cred, c, nil
}

// fillFromClaims applies the VCDM 1.1 JWT decoding rule: a property the vc
// claim omits is taken from its registered claim.
func fillFromClaims(doc map[string]any, c jwtClaims) {
	if _, ok := doc["issuer"]; !ok && c.hasIss {
		doc["issuer"] = c.iss
	}
	if _, ok := doc["id"]; !ok && c.hasJti {
		doc["id"] = c.jti
	}
	v1 := false
	if ctx, ok := doc["@context"].([]any); ok && len(ctx) > 0 && ctx[0] == vc.ContextV1 {
		v1 = true
	}
	if c.hasNbf {
		_, a := doc["validFrom"]
		_, b := doc["issuanceDate"]
		if !a && !b {
			k := "validFrom"
			if v1 {
				k = "issuanceDate"
			}
			doc[k] = time.Unix(c.nbf, 0).UTC().Format(time.RFC3339)
		}
	}
	if c.hasExp {
		_, a := doc["validUntil"]
		_, b := doc["expirationDate"]
		if !a && !b {
			k := "validUntil"
			if v1 {
				k = "expirationDate"
			}
			doc[k] = time.Unix(c.exp, 0).UTC().Format(time.RFC3339)
		}
	}
	if c.hasSub {
		if s, ok := doc["credentialSubject"].(map[string]any); ok {
			if _, has := s["id"]; !has {
				s["id"] = c.sub
			}
		}
	}
}

// checkClaims cross-checks the registered claims with the credential
// (OB 3.0 §8.2.4.1) and judges exp and nbf against the clock.
func checkClaims(cred *vc.Credential, issuer string, c jwtClaims, now time.Time, skew time.Duration) error {
	if c.hasIss && c.iss != issuer {
		return newErr(ErrClaimMismatch, "iss", "iss "+c.iss+" is not the issuer "+issuer, nil)
	}
	if c.hasJti && c.jti != cred.ID() {
		return newErr(ErrClaimMismatch, "jti", "jti "+c.jti+" is not the credential id "+cred.ID(), nil)
	}
	if c.hasSub {
		subs, err := cred.Subjects()
		if err != nil {
			return newErr(ErrCredential, "sub", "", err)
		}
		found := false
		for _, s := range subs {
			found = found || s.ID == c.sub
		}
		if !found {
			return newErr(ErrClaimMismatch, "sub", "sub "+c.sub+" is not the id of a credentialSubject", nil)
		}
	}
	if c.hasNbf {
		t, ok, err := cred.ValidFrom()
		if err != nil {
			return newErr(ErrCredential, "nbf", "", err)
		}
		if !ok || t.Unix() != c.nbf {
			return newErr(ErrClaimMismatch, "nbf", "nbf is not validFrom ("+dateOrNone(t, ok)+")", nil)
		}
	}
	if c.hasExp {
		t, ok, err := cred.ValidUntil()
		if err != nil {
			return newErr(ErrCredential, "exp", "", err)
		}
		if !ok || t.Unix() != c.exp {
			return newErr(ErrClaimMismatch, "exp", "exp is not validUntil ("+dateOrNone(t, ok)+")", nil)
		}
	}
	if now.IsZero() {
		now = time.Now()
	}
	if c.hasExp && !now.Add(-skew).Before(time.Unix(c.exp, 0)) {
		return newErr(ErrExpired, "exp", "expired at "+time.Unix(c.exp, 0).UTC().Format(time.RFC3339), nil)
	}
	if c.hasNbf && now.Add(skew).Before(time.Unix(c.nbf, 0)) {
		return newErr(ErrNotYetValid, "nbf", "valid from "+time.Unix(c.nbf, 0).UTC().Format(time.RFC3339), nil)
	}
	return nil
}

func dateOrNone(t time.Time, ok bool) string {
	if !ok {
		return "none"
	}
	return t.UTC().Format(time.RFC3339)
}

// checkBinding applies the per-call expectations of the verifier: a
// challenge must be the token's nonce claim, a domain one of its aud values.
func checkBinding(payload map[string]any, opts vc.VerifyProofOptions) error {
	if opts.Challenge != "" {
		if n, _ := payload["nonce"].(string); n != opts.Challenge {
			return newErr(ErrClaimMismatch, "nonce", "the token does not answer the challenge", nil)
		}
	}
	if opts.Domain != "" {
		found := false
		switch a := payload["aud"].(type) {
		case string:
			found = a == opts.Domain
		case []any:
			for _, v := range a {
				found = found || v == opts.Domain
			}
		}
		if !found {
			return newErr(ErrClaimMismatch, "aud", "the token is not for "+opts.Domain, nil)
		}
	}
	return nil
}
