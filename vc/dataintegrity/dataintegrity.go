// Package dataintegrity implements W3C Data Integrity proofs for
// credentials: the DataIntegrityProof type with the eddsa-rdfc-2022
// cryptosuite (create and verify), the earlier name eddsa-2022 (verify), and
// the Ed25519Signature2020 suite (verify).
//
// All three sign the same thing: SHA-256 of the RDFC-1.0 canonical form of
// the proof configuration, followed by SHA-256 of the canonical form of the
// document without its proof. Canonicalization runs in safe mode (package
// ld): a document with a term no context defines is never signed and never
// verifies, because the signature would not cover that term.
//
// Verification reports, per proof, what was checked and, on failure, the
// canonical N-Quads and hashes, so a caller can show why. It checks the
// signature, the proof purpose and the proof's own fields; whether the key
// belongs to the credential's issuer is the caller's decision (see
// ProofResult.Method), made by package badge.
package dataintegrity

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/microcred/microcred/internal/multibase"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/ld/rdf"
)

// Names used in proofs.
const (
	// TypeDataIntegrityProof is the proof type of Data Integrity cryptosuites.
	TypeDataIntegrityProof = "DataIntegrityProof"
	// TypeEd25519Signature2020 is the older Ed25519 suite, verified only.
	TypeEd25519Signature2020 = "Ed25519Signature2020"
	// EdDSARDFC2022 is the cryptosuite this package creates.
	EdDSARDFC2022 = "eddsa-rdfc-2022"
	// EdDSA2022 is the cryptosuite name used by earlier drafts for the same
	// algorithm; it is verified, never created.
	EdDSA2022 = "eddsa-2022"
	// PurposeAssertion is the proof purpose of credentials.
	PurposeAssertion = "assertionMethod"
	// PurposeAuthentication is the proof purpose of presentations.
	PurposeAuthentication = "authentication"
)

// Resolver finds the public key behind a verification method URL. The
// resolvers of package keys implement it.
type Resolver interface {
	Resolve(ctx context.Context, verificationMethod string) (*keys.VerificationMethod, error)
}

// SignOptions configure a new proof.
type SignOptions struct {
	// VerificationMethod identifies the key in the proof; empty means the
	// signer's VerificationMethod().
	VerificationMethod string
	// Purpose is the proofPurpose; empty means assertionMethod.
	Purpose string
	// Created is the proof's creation time; zero means now. It is written
	// in UTC with second precision unless it has sub-second parts.
	Created time.Time
	// OmitCreated leaves "created" out of the proof.
	OmitCreated bool
	// Expires, when set, is written as the proof's "expires".
	Expires time.Time
	// Challenge is written when set (presentations).
	Challenge string
	// Domain is written when set: one domain as a string, several as a list.
	Domain []string
	// Nonce is written when set.
	Nonce string
	// ID is the proof's id, when set. Proofs that later proofs chain to
	// need one.
	ID string
	// PreviousProof makes a proof chain: the ids of proofs already on the
	// document that the new proof also signs (VC Data Integrity §2.1.2).
	PreviousProof []string
	// LD controls JSON-LD processing; nil means safe mode with the embedded
	// contexts.
	LD *ld.Options
}

// VerifyOptions configure verification.
type VerifyOptions struct {
	// Resolver resolves verification methods to keys. Required.
	Resolver Resolver
	// Purpose is the proof purpose to require; empty means assertionMethod.
	Purpose string
	// Challenge and Domain, when set, must equal the proof's.
	Challenge, Domain string
	// Now is the time to check "expires" against; zero means time.Now().
	Now time.Time
	// LD controls JSON-LD processing.
	LD *ld.Options
}

// ProofResult is the outcome of verifying one proof.
type ProofResult struct {
	// Index is the position of the proof in the document's proof set.
	Index int `json:"index"`
	// Type, Cryptosuite, VerificationMethod, Purpose and Created are read
	// from the proof.
	Type               string    `json:"type"`
	Cryptosuite        string    `json:"cryptosuite,omitempty"`
	VerificationMethod string    `json:"verificationMethod,omitempty"`
	Purpose            string    `json:"proofPurpose,omitempty"`
	Created            time.Time `json:"created,omitzero"`
	// Method is the resolved verification method (nil if resolution failed).
	Method *keys.VerificationMethod `json:"-"`
	// Verified is true when the signature and the proof's fields check out.
	Verified bool `json:"verified"`
	// Err says why not, when Verified is false.
	Err error `json:"-"`
	// Canonical forms and hashes of what was verified (empty if the proof
	// failed before canonicalization).
	CanonicalDocument string `json:"canonicalDocument,omitempty"`
	CanonicalProof    string `json:"canonicalProofConfig,omitempty"`
	DocumentHash      string `json:"documentHash,omitempty"`
	ProofHash         string `json:"proofConfigHash,omitempty"`
}

// ProofError explains why a proof did not verify.
type ProofError struct {
	// Index is the position of the proof in the proof set.
	Index int
	// Reason is a plain sentence.
	Reason string
	// Err is the underlying error, if any.
	Err error
}

// Error implements the error interface.
func (e *ProofError) Error() string {
	s := fmt.Sprintf("dataintegrity: proof %d: %s", e.Index, e.Reason)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *ProofError) Unwrap() error { return e.Err }

// ErrNoProof is returned when a document carries no proof.
var ErrNoProof = errors.New("dataintegrity: document has no proof")

// ErrSignature is wrapped by proof errors whose signature does not verify.
var ErrSignature = errors.New("signature does not verify")

// AddProof returns a copy of doc secured with a new eddsa-rdfc-2022 proof
// made by signer, which must hold an Ed25519 key. A proof already on doc is
// kept: the result has a proof set. doc is not modified.
//
// A document whose @context does not define DataIntegrityProof (a VCDM 1.1
// credential) gets https://w3id.org/security/data-integrity/v2 appended to
// its @context.
func AddProof(ctx context.Context, doc map[string]any, signer keys.Signer, opts SignOptions) (map[string]any, error) {
	if signer == nil {
		return nil, errors.New("dataintegrity: nil signer")
	}
	if signer.Algorithm() != keys.EdDSA {
		return nil, fmt.Errorf("dataintegrity: %s needs an Ed25519 key, the signer uses %s", EdDSARDFC2022, signer.Algorithm())
	}
	vm := opts.VerificationMethod
	if vm == "" {
		vm = signer.VerificationMethod()
	}
	if vm == "" {
		return nil, errors.New("dataintegrity: no verification method: set SignOptions.VerificationMethod or the signer's")
	}
	purpose := opts.Purpose
	if purpose == "" {
		purpose = PurposeAssertion
	}
	out := maps.Clone(doc)
	existing, hadProof := out["proof"]
	delete(out, "proof")
	ctxs, err := contextList(out["@context"])
	if err != nil {
		return nil, err
	}
	if !definesDataIntegrity(ctxs) {
		ctxs = append(slices.Clone(ctxs), ld.DataIntegrityV2URL)
		out["@context"] = ctxs
	}

	proof := map[string]any{
		"type":               TypeDataIntegrityProof,
		"cryptosuite":        EdDSARDFC2022,
		"verificationMethod": vm,
		"proofPurpose":       purpose,
	}
	if !opts.OmitCreated {
		created := opts.Created
		if created.IsZero() {
			created = time.Now().Truncate(time.Second)
		}
		proof["created"] = formatTime(created)
	}
	if !opts.Expires.IsZero() {
		proof["expires"] = formatTime(opts.Expires)
	}
	if opts.Challenge != "" {
		proof["challenge"] = opts.Challenge
	}
	switch len(opts.Domain) {
	case 0:
	case 1:
		proof["domain"] = opts.Domain[0]
	default:
		ds := make([]any, len(opts.Domain))
		for i, d := range opts.Domain {
			ds[i] = d
		}
		proof["domain"] = ds
	}
	if opts.Nonce != "" {
		proof["nonce"] = opts.Nonce
	}
	if opts.ID != "" {
		proof["id"] = opts.ID
	}
	toSign := out
	if len(opts.PreviousProof) > 0 {
		prev := make([]any, len(opts.PreviousProof))
		for i, id := range opts.PreviousProof {
			prev[i] = id
		}
		proof["previousProof"] = prev
		matching, err := previousProofs(proofList(existing), proof["previousProof"])
		if err != nil {
			return nil, err
		}
		toSign = maps.Clone(out)
		toSign["proof"] = matching
	}

	cfg := maps.Clone(proof)
	cfg["@context"] = out["@context"]
	canonProof, err := ld.Canonicalize(ctx, cfg, opts.LD)
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: proof configuration: %w", err)
	}
	canonDoc, err := ld.Canonicalize(ctx, toSign, opts.LD)
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: document: %w", err)
	}
	sig, err := signer.SignMessage(ctx, hashData(canonProof, canonDoc))
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: sign: %w", err)
	}
	proof["proofValue"] = multibase.Encode(multibase.Base58BTC, sig)

	switch {
	case !hadProof:
		out["proof"] = proof
	default:
		set := proofList(existing)
		out["proof"] = append(set, proof)
	}
	return out, nil
}

func formatTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05Z")
	}
	return t.Format(time.RFC3339Nano)
}

// hashData is SHA-256(canonical proof configuration) || SHA-256(canonical document).
func hashData(canonProof, canonDoc []byte) []byte {
	p := sha256.Sum256(canonProof)
	d := sha256.Sum256(canonDoc)
	return append(p[:], d[:]...)
}

func contextList(v any) ([]any, error) {
	switch c := v.(type) {
	case nil:
		return nil, errors.New("dataintegrity: document has no @context")
	case []any:
		return c, nil
	case string, map[string]any:
		return []any{c}, nil
	}
	return nil, fmt.Errorf("dataintegrity: @context has unexpected type %T", v)
}

// definesDataIntegrity reports whether a context list brings the
// DataIntegrityProof terms: the VCDM 2.0 context does, and so do the Data
// Integrity contexts.
func definesDataIntegrity(ctxs []any) bool {
	for _, c := range ctxs {
		switch c {
		case ld.CredentialsV2URL, ld.DataIntegrityV2URL, ld.DataIntegrityV1URL:
			return true
		}
	}
	return false
}

func proofList(v any) []any {
	switch p := v.(type) {
	case []any:
		return slices.Clone(p)
	case nil:
		return nil
	}
	return []any{v}
}

// Proofs returns the proofs of doc as a list (a single proof object, or
// the members of a proof set).
func Proofs(doc map[string]any) []map[string]any {
	var out []map[string]any
	for _, p := range proofList(doc["proof"]) {
		if m, ok := p.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// Verify verifies every proof on doc and returns one result per proof, in
// order. The error is non-nil only when there is nothing to verify (no
// proof, malformed proof member) or the context was cancelled; a proof that
// does not verify is reported in its result. Callers that accept "any one
// valid proof" look for a result with Verified set.
func Verify(ctx context.Context, doc map[string]any, opts VerifyOptions) ([]ProofResult, error) {
	raw := proofList(doc["proof"])
	if len(raw) == 0 {
		return nil, ErrNoProof
	}
	if opts.Resolver == nil {
		return nil, errors.New("dataintegrity: VerifyOptions.Resolver is required")
	}
	unsecured := maps.Clone(doc)
	delete(unsecured, "proof")
	var (
		canonDoc []byte
		docErr   error
		docDone  bool
	)
	results := make([]ProofResult, len(raw))
	for i, p := range raw {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := &results[i]
		r.Index = i
		proof, ok := p.(map[string]any)
		if !ok {
			r.Err = &ProofError{Index: i, Reason: "proof is not a JSON object"}
			continue
		}
		if prev, ok := proof["previousProof"]; ok {
			// A chained proof signs the document with the proofs it names.
			matching, err := previousProofs(raw, prev)
			if err != nil {
				r.Err = &ProofError{Index: i, Reason: "previousProof", Err: err}
				continue
			}
			chained := maps.Clone(unsecured)
			chained["proof"] = matching
			verifyOne(ctx, chained, proof, opts, r, func() ([]byte, error) {
				return ld.Canonicalize(ctx, chained, opts.LD)
			})
			continue
		}
		verifyOne(ctx, unsecured, proof, opts, r, func() ([]byte, error) {
			if !docDone {
				canonDoc, docErr = ld.Canonicalize(ctx, unsecured, opts.LD)
				docDone = true
			}
			return canonDoc, docErr
		})
	}
	return results, nil
}

// previousProofs returns the proofs of all whose id is named by prev (a
// string or a list of strings); every named proof must be present.
func previousProofs(all []any, prev any) ([]any, error) {
	var ids []string
	switch p := prev.(type) {
	case string:
		ids = []string{p}
	case []any:
		for _, x := range p {
			s, ok := x.(string)
			if !ok {
				return nil, errors.New("previousProof must be a string or a list of strings")
			}
			ids = append(ids, s)
		}
	default:
		return nil, errors.New("previousProof must be a string or a list of strings")
	}
	var out []any
	for _, id := range ids {
		found := false
		for _, q := range all {
			if m, ok := q.(map[string]any); ok && m["id"] == id {
				out = append(out, m)
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("previous proof %q is not on the document", id)
		}
	}
	return out, nil
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func verifyOne(ctx context.Context, unsecured, proof map[string]any, opts VerifyOptions, r *ProofResult, canonDocFn func() ([]byte, error)) {
	fail := func(reason string, err error) {
		r.Verified = false
		r.Err = &ProofError{Index: r.Index, Reason: reason, Err: err}
	}
	r.Type = str(proof, "type")
	r.Cryptosuite = str(proof, "cryptosuite")
	r.VerificationMethod = str(proof, "verificationMethod")
	r.Purpose = str(proof, "proofPurpose")

	switch {
	case r.Type == TypeDataIntegrityProof && (r.Cryptosuite == EdDSARDFC2022 || r.Cryptosuite == EdDSA2022):
	case r.Type == TypeEd25519Signature2020:
	case r.Type == TypeDataIntegrityProof:
		fail(fmt.Sprintf("cryptosuite %q is not supported", r.Cryptosuite), nil)
		return
	default:
		fail(fmt.Sprintf("proof type %q is not supported", r.Type), nil)
		return
	}
	want := opts.Purpose
	if want == "" {
		want = PurposeAssertion
	}
	if r.Purpose != want {
		fail(fmt.Sprintf("proofPurpose is %q, want %q", r.Purpose, want), nil)
		return
	}
	if r.VerificationMethod == "" {
		fail("proof has no verificationMethod", nil)
		return
	}
	if c, ok := proof["created"]; ok {
		s, _ := c.(string)
		t, err := parseDateTime(s)
		if err != nil {
			fail("created is not a valid date-time", err)
			return
		}
		r.Created = t
	}
	if e, ok := proof["expires"]; ok {
		s, _ := e.(string)
		t, err := parseDateTime(s)
		if err != nil {
			fail("expires is not a valid date-time", err)
			return
		}
		now := opts.Now
		if now.IsZero() {
			now = time.Now()
		}
		if now.After(t) {
			fail("proof expired at "+s, nil)
			return
		}
	}
	if opts.Challenge != "" && str(proof, "challenge") != opts.Challenge {
		fail("challenge does not match", nil)
		return
	}
	if opts.Domain != "" && !domainMatches(proof["domain"], opts.Domain) {
		fail("domain does not match", nil)
		return
	}
	pv := str(proof, "proofValue")
	enc, sig, err := multibase.Decode(pv)
	if err != nil || enc != multibase.Base58BTC {
		fail("proofValue is not a base58btc multibase string", err)
		return
	}
	if len(sig) != ed25519.SignatureSize {
		fail(fmt.Sprintf("proofValue holds %d bytes, an Ed25519 signature has 64", len(sig)), nil)
		return
	}

	// The proof configuration: the proof without proofValue, in the
	// document's @context. If the proof brings its own @context, the
	// document's must start with it (vc-di-eddsa §3.3.2).
	cfg := maps.Clone(proof)
	delete(cfg, "proofValue")
	docCtx, err := contextList(unsecured["@context"])
	if err != nil {
		fail("document @context", err)
		return
	}
	if pc, ok := proof["@context"]; ok {
		pctx, err := contextList(pc)
		if err != nil || !contextPrefix(docCtx, pctx) {
			fail("the proof's @context is not a prefix of the document's @context", err)
			return
		}
	}
	cfg["@context"] = unsecured["@context"]

	canonProof, err := ld.Canonicalize(ctx, cfg, opts.LD)
	if err != nil {
		fail("cannot canonicalize the proof configuration", err)
		return
	}
	r.CanonicalProof = string(canonProof)
	canonDoc, err := canonDocFn()
	if err != nil {
		fail("cannot canonicalize the document", err)
		return
	}
	r.CanonicalDocument = string(canonDoc)
	ph, dh := sha256.Sum256(canonProof), sha256.Sum256(canonDoc)
	r.ProofHash, r.DocumentHash = hex.EncodeToString(ph[:]), hex.EncodeToString(dh[:])

	vm, err := opts.Resolver.Resolve(ctx, r.VerificationMethod)
	if err != nil {
		fail("cannot resolve verification method "+r.VerificationMethod, err)
		return
	}
	r.Method = vm
	if !vm.Has(keys.Relationship(want)) {
		fail(fmt.Sprintf("verification method %s is not authorized for %s by its controller %s", r.VerificationMethod, want, vm.Controller), nil)
		return
	}
	pub, ok := vm.PublicKey.(ed25519.PublicKey)
	if !ok {
		fail(fmt.Sprintf("verification method %s holds a %T key, not Ed25519", r.VerificationMethod, vm.PublicKey), nil)
		return
	}
	if !ed25519.Verify(pub, append(ph[:], dh[:]...), sig) && !verifyUTF16Order(ctx, cfg, unsecured, opts.LD, pub, sig, canonProof, canonDoc) {
		fail("the signature does not verify", ErrSignature)
		return
	}
	r.Verified = true
	r.Err = nil
}

// verifyUTF16Order retries a failed signature with the N-Quads order of
// jsonld.js (rdf-canonize), which sorts by UTF-16 code units where RDFC-1.0
// sorts by code points. The orders differ only when the data holds both
// characters above U+FFFF and characters in U+E000–U+FFFF; only then is the
// retry made. Both orders describe the same graph, so accepting either does
// not let anything unsigned through. microcred itself always signs in
// RDFC-1.0 order.
func verifyUTF16Order(ctx context.Context, cfg, unsecured map[string]any, lo *ld.Options, pub ed25519.PublicKey, sig, canonProof, canonDoc []byte) bool {
	if !ordersMayDiffer(canonProof) && !ordersMayDiffer(canonDoc) {
		return false
	}
	o := ld.Options{}
	if lo != nil {
		o = *lo
	}
	co := rdf.Options{}
	if o.Canon != nil {
		co = *o.Canon
	}
	co.UTF16Order = true
	o.Canon = &co
	p16, err := ld.Canonicalize(ctx, cfg, &o)
	if err != nil {
		return false
	}
	d16, err := ld.Canonicalize(ctx, unsecured, &o)
	if err != nil {
		return false
	}
	return ed25519.Verify(pub, hashData(p16, d16), sig)
}

// ordersMayDiffer reports whether UTF-8 text holds both a 4-byte sequence
// (a character above U+FFFF) and a 3-byte sequence for U+E000–U+FFFF (lead
// byte 0xEE or 0xEF).
func ordersMayDiffer(b []byte) bool {
	astral, high := false, false
	for _, c := range b {
		switch {
		case c >= 0xF0 && c <= 0xF4:
			astral = true
		case c == 0xEE || c == 0xEF:
			high = true
		}
	}
	return astral && high
}

func domainMatches(v any, want string) bool {
	switch d := v.(type) {
	case string:
		return d == want
	case []any:
		for _, x := range d {
			if x == want {
				return true
			}
		}
	}
	return false
}

func contextPrefix(doc, prefix []any) bool {
	if len(prefix) > len(doc) {
		return false
	}
	for i, p := range prefix {
		ps, ok1 := p.(string)
		ds, ok2 := doc[i].(string)
		if !ok1 || !ok2 || ps != ds {
			return false
		}
	}
	return true
}

// parseDateTime reads an XML Schema dateTime with a time zone.
func parseDateTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return t, nil
}
