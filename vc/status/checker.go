package status

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/jsonx"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
)

// Outcome is the verdict on one credentialStatus entry.
type Outcome string

// Outcomes. Revoked, Suspended and Invalid are failures; Unavailable and
// Unsupported are warnings (the status could not be determined); Valid
// passes.
const (
	// Valid: the entry's status is 0 (or, for purposes other than
	// revocation and suspension, whatever value Result carries).
	Valid Outcome = "valid"
	// Revoked: a revocation entry whose status is not 0, or a credential
	// listed by a 1EdTechRevocationList.
	Revoked Outcome = "revoked"
	// Suspended: a suspension entry whose status is not 0.
	Suspended Outcome = "suspended"
	// Unavailable: the list could not be fetched, or is outside its
	// validity period; the verifier reports a warning.
	Unavailable Outcome = "unavailable"
	// Invalid: the entry or the list is malformed, the list's proof does
	// not verify, its purpose does not match the entry's, or its issuer is
	// not the credential's.
	Invalid Outcome = "invalid"
	// Unsupported: a credentialStatus type this package does not check.
	Unsupported Outcome = "unsupported"
)

// Failed reports whether o fails verification.
func (o Outcome) Failed() bool { return o == Revoked || o == Suspended || o == Invalid }

// Warning reports whether o is a warning (status not determined).
func (o Outcome) Warning() bool { return o == Unavailable || o == Unsupported }

// Reasons for Invalid and Unavailable outcomes, in Result.Err (wrapped).
var (
	// ErrMalformedEntry: the credentialStatus entry lacks a required
	// property or has a bad value.
	ErrMalformedEntry = errors.New("status: malformed credentialStatus entry")
	// ErrNotAList: the fetched document is not a BitstringStatusListCredential.
	ErrNotAList = errors.New("status: not a status list credential")
	// ErrProof: the status list credential's proof does not verify, or its
	// key is not controlled by the list's issuer.
	ErrProof = errors.New("status: status list credential proof not verified")
	// ErrPurposeMismatch: the list's statusPurpose does not include the
	// entry's (the spec's STATUS_VERIFICATION_ERROR).
	ErrPurposeMismatch = errors.New("status: statusPurpose of the list does not match the entry")
	// ErrIssuerMismatch: the list's issuer is not the credential's issuer.
	ErrIssuerMismatch = errors.New("status: status list issuer is not the credential's issuer")
	// ErrListExpired and ErrListNotYetValid: the list is outside its
	// validity period (Unavailable).
	ErrListExpired     = errors.New("status: status list credential has expired")
	ErrListNotYetValid = errors.New("status: status list credential is not yet valid")
	// ErrUnsupportedType: a credentialStatus type this package does not
	// check (Unsupported).
	ErrUnsupportedType = errors.New("status: credentialStatus type not supported")
	// ErrNoFetcher: the Checker was built without a Fetcher (Unavailable).
	ErrNoFetcher = fetch.ErrNetworkDisabled
)

// Result is the outcome of checking one credentialStatus entry.
type Result struct {
	Outcome Outcome `json:"outcome"`
	// Type is the entry's type (BitstringStatusListEntry, 1EdTechRevocationList, …).
	Type string `json:"type,omitempty"`
	// Pointer is the JSON Pointer of the entry in the credential, when known.
	Pointer string `json:"pointer,omitempty"`
	// Purpose is the entry's statusPurpose.
	Purpose string `json:"statusPurpose,omitempty"`
	// ListURL is the list fetched (statusListCredential, or the id of a
	// 1EdTechRevocationList entry).
	ListURL string `json:"statusListCredential,omitempty"`
	// Index and Size are the entry's statusListIndex and statusSize.
	Index int `json:"statusListIndex"`
	Size  int `json:"statusSize,omitempty"`
	// Value is the entry's status value read from the list.
	Value uint64 `json:"value"`
	// Message is the statusMessage for Value, if the entry has one.
	Message string `json:"message,omitempty"`
	// ListIssuer is the status list credential's issuer id.
	ListIssuer string `json:"listIssuer,omitempty"`
	// CredentialIssuer is the checked credential's issuer id (set by
	// CheckCredential).
	CredentialIssuer string `json:"credentialIssuer,omitempty"`
	// ListID is the status list credential's id (which may differ from
	// ListURL).
	ListID string `json:"listId,omitempty"`
	// ListValidUntil is the list's validUntil, if any.
	ListValidUntil time.Time `json:"listValidUntil,omitzero"`
	// Cached is true when the list came from the Checker's cache.
	Cached bool `json:"cached,omitempty"`
	// Err says why the outcome is Invalid or Unavailable.
	Err error `json:"-"`
}

// Options configure a Checker. Security decisions are explicit; the
// dangerous ones end in Unsafe.
type Options struct {
	// Resolver resolves the verification method of the status list
	// credential's Data Integrity proof. Required unless
	// SkipProofUnsafe is set.
	Resolver dataintegrity.Resolver
	// LD controls JSON-LD processing of the proof; nil means safe mode with
	// the embedded contexts.
	LD *ld.Options
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Skew is the tolerance applied to the list's validFrom and validUntil.
	Skew time.Duration
	// CacheTTL bounds how long a verified list is reused (never past its
	// validUntil or its ttl). 0 means 5 minutes; negative disables the cache.
	// The Fetcher may cache the bytes too (fetch.HTTP does, for its own
	// CacheTTL): keep that no longer than this, or a republished list is
	// seen late.
	CacheTTL time.Duration
	// MaxCacheEntries bounds the cache; 0 means 64.
	MaxCacheEntries int
	// MaxListBytes bounds the decompressed bitstring; 0 means
	// DefaultMaxListBytes.
	MaxListBytes int
	// SkipProofUnsafe accepts status list credentials without verifying
	// their proof. Anyone able to serve the list URL can then un-revoke.
	SkipProofUnsafe bool
	// AllowShortListsUnsafe accepts lists with fewer than MinEntries
	// entries (which the spec requires verifiers to reject).
	AllowShortListsUnsafe bool
	// AllowOtherListIssuer lets CheckCredential accept a list whose issuer
	// differs from the credential's (Result still reports both).
	AllowOtherListIssuer bool
}

// Checker checks credentialStatus entries. Build it once with NewChecker;
// it is safe for concurrent use and caches verified lists.
type Checker struct {
	fetcher fetch.Fetcher
	opts    Options

	mu    sync.Mutex
	cache map[string]*cachedList
}

type cachedList struct {
	id         string
	ttl        time.Duration
	bits       []byte
	purposes   []string
	issuer     string
	validFrom  time.Time
	validUntil time.Time
	expires    time.Time
}

// NewChecker returns a Checker that fetches lists with f (nil: every
// remote list is Unavailable).
func NewChecker(f fetch.Fetcher, opts Options) *Checker {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.CacheTTL == 0 {
		opts.CacheTTL = 5 * time.Minute
	}
	if opts.MaxCacheEntries <= 0 {
		opts.MaxCacheEntries = 64
	}
	if opts.MaxListBytes <= 0 {
		opts.MaxListBytes = DefaultMaxListBytes
	}
	return &Checker{fetcher: f, opts: opts, cache: map[string]*cachedList{}}
}

// ClearCache empties the cache of verified lists.
func (c *Checker) ClearCache() {
	c.mu.Lock()
	clear(c.cache)
	c.mu.Unlock()
}

// CheckCredential checks every credentialStatus entry of cred, in order,
// and sets CredentialIssuer on each result. A Bitstring Status List whose
// issuer is not cred's issuer makes the result Invalid (ErrIssuerMismatch)
// unless Options.AllowOtherListIssuer is set. The error is non-nil only when
// ctx is done or credentialStatus is not a list of objects.
func (c *Checker) CheckCredential(ctx context.Context, cred *vc.Credential) ([]Result, error) {
	entries, err := cred.Status()
	if err != nil {
		return nil, err
	}
	iss, _ := cred.Issuer() // an invalid issuer is CheckDataModel's to report
	var out []Result
	for _, e := range entries {
		var r Result
		if hasType(e.Types, TypeRevocationList) {
			r, err = c.CheckRevocationList(ctx, e, cred.ID())
		} else {
			r, err = c.Check(ctx, e)
		}
		if err != nil {
			return out, err
		}
		r.CredentialIssuer = iss.ID
		if r.ListIssuer != "" && r.ListIssuer != iss.ID && !c.opts.AllowOtherListIssuer &&
			r.Outcome != Unavailable && r.Outcome != Invalid { // keep the first reason
			r.Outcome = Invalid
			r.Err = fmt.Errorf("%w: list issued by %q, credential by %q", ErrIssuerMismatch, r.ListIssuer, iss.ID)
		}
		out = append(out, r)
	}
	return out, nil
}

// Check checks one BitstringStatusListEntry, following the validate
// algorithm of Bitstring Status List v1.0 ("Validate Algorithm"): fetch the list credential
// named by statusListCredential (through the Fetcher, so the allow-list
// applies), verify its proof with Options.Resolver, check its validity
// period and that its statusPurpose includes the entry's, expand the
// bitstring and read statusSize bits at statusListIndex.
//
// The returned error is non-nil only when ctx is done; every other problem
// is in the Result (Outcome and Err). Check does not know the credential's
// issuer: compare Result.ListIssuer with it, or use CheckCredential.
// A 1EdTechRevocationList entry needs the credential's id: see
// CheckRevocationList.
func (c *Checker) Check(ctx context.Context, entry vc.Status) (Result, error) {
	r := Result{Pointer: entry.Pointer}
	if len(entry.Types) > 0 {
		r.Type = entry.Types[0]
	}
	invalid := func(err error) (Result, error) {
		r.Outcome, r.Err = Invalid, err
		return r, nil
	}
	if !hasType(entry.Types, TypeEntry) {
		if hasType(entry.Types, TypeRevocationList) {
			return invalid(fmt.Errorf("%w: a 1EdTechRevocationList entry needs the credential's id (use CheckRevocationList or CheckCredential)", ErrMalformedEntry))
		}
		r.Outcome, r.Err = Unsupported, fmt.Errorf("%w: %q", ErrUnsupportedType, strings.Join(entry.Types, ", "))
		return r, nil
	}
	e := entry.Raw
	purpose, ok := e["statusPurpose"].(string)
	if !ok || purpose == "" {
		return invalid(fmt.Errorf("%w: statusPurpose must be a non-empty string", ErrMalformedEntry))
	}
	r.Purpose = purpose
	index, err := nonNegativeInt(e["statusListIndex"])
	if err != nil {
		return invalid(fmt.Errorf("%w: statusListIndex: %v", ErrMalformedEntry, err))
	}
	r.Index = index
	listURL, ok := e["statusListCredential"].(string)
	if !ok || !vc.IsURL(listURL) {
		return invalid(fmt.Errorf("%w: statusListCredential must be a URL", ErrMalformedEntry))
	}
	r.ListURL = listURL
	r.Size = 1
	if v, present := e["statusSize"]; present {
		n, err := nonNegativeInt(v)
		if err != nil || n < 1 || n > MaxStatusSize {
			return invalid(fmt.Errorf("%w: statusSize must be an integer from 1 to %d", ErrMalformedEntry, MaxStatusSize))
		}
		r.Size = n
	}
	messages, err := statusMessages(e["statusMessage"])
	if err != nil {
		return invalid(err)
	}
	if r.Size > 1 && messages == nil {
		return invalid(fmt.Errorf("%w: statusMessage is required when statusSize is greater than 1", ErrMalformedEntry))
	}

	// Retrieve the status list credential and verify it.
	l, cached, fetchErr, err := c.list(ctx, listURL)
	if ctx.Err() != nil {
		return r, ctx.Err()
	}
	r.Cached = cached
	if l != nil {
		r.ListIssuer, r.ListID, r.ListValidUntil = l.issuer, l.id, l.validUntil
	}
	if fetchErr != nil {
		// Whatever the Fetcher says (not allowed, not found, timeout, too
		// large) means the status cannot be determined: a warning.
		r.Outcome, r.Err = Unavailable, fetchErr
		return r, nil
	}
	if err != nil {
		return invalid(err)
	}
	now := c.opts.Now()
	if !l.validFrom.IsZero() && now.Add(c.opts.Skew).Before(l.validFrom) {
		r.Outcome, r.Err = Unavailable, fmt.Errorf("%w: validFrom %s", ErrListNotYetValid, l.validFrom.Format(time.RFC3339))
		return r, nil
	}
	if !l.validUntil.IsZero() && now.Add(-c.opts.Skew).After(l.validUntil) {
		r.Outcome, r.Err = Unavailable, fmt.Errorf("%w: validUntil %s", ErrListExpired, l.validUntil.Format(time.RFC3339))
		return r, nil
	}
	// The list's statusPurpose must include the entry's.
	if !hasType(l.purposes, purpose) {
		return invalid(fmt.Errorf("%w: entry %q, list %q", ErrPurposeMismatch, purpose, strings.Join(l.purposes, ", ")))
	}
	// Expand the bitstring and read statusSize bits at the index.
	list := &List{Purpose: purpose, StatusSize: r.Size, bits: l.bits}
	if list.Len() < MinEntries && !c.opts.AllowShortListsUnsafe {
		return invalid(fmt.Errorf("%w: %d entries of %d bits", ErrListTooShort, list.Len(), r.Size))
	}
	v, err := list.Status(index)
	if err != nil {
		return invalid(err)
	}
	r.Value = v
	for _, m := range messages {
		if m.Status == v {
			r.Message = m.Message
		}
	}
	switch {
	case v != 0 && purpose == PurposeRevocation:
		r.Outcome = Revoked
	case v != 0 && purpose == PurposeSuspension:
		r.Outcome = Suspended
	default:
		r.Outcome = Valid
	}
	return r, nil
}

// list returns the verified list at u, from the cache or fetched. fetchErr
// is set when the list could not be retrieved, err when it was retrieved
// but is not a valid, verified list (l then carries what was read of it).
func (c *Checker) list(ctx context.Context, u string) (l *cachedList, cached bool, fetchErr, err error) {
	key := u
	if p, err := url.Parse(u); err == nil {
		p.Fragment, p.RawFragment = "", ""
		key = p.String()
	}
	now := c.opts.Now()
	if c.opts.CacheTTL > 0 {
		c.mu.Lock()
		hit, ok := c.cache[key]
		if ok && now.Before(hit.expires) {
			c.mu.Unlock()
			return hit, true, nil, nil
		}
		delete(c.cache, key)
		c.mu.Unlock()
	}
	if c.fetcher == nil {
		return nil, false, fmt.Errorf("status list %s: %w", key, ErrNoFetcher), nil
	}
	body, fetchErr := c.fetcher.Fetch(ctx, key)
	if fetchErr != nil {
		return nil, false, fetchErr, nil
	}
	l, err = c.verifyList(ctx, key, body)
	if err != nil {
		return l, false, nil, err
	}
	if c.opts.CacheTTL > 0 {
		ttl := c.opts.CacheTTL
		if l.ttl > 0 && l.ttl < ttl {
			ttl = l.ttl // the list's own, shorter, ttl
		}
		l.expires = now.Add(ttl)
		if !l.validUntil.IsZero() && l.validUntil.Before(l.expires) {
			l.expires = l.validUntil
		}
		c.store(key, l, now)
	}
	return l, false, nil, nil
}

func (c *Checker) store(key string, l *cachedList, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.cache) >= c.opts.MaxCacheEntries {
		var oldest string
		for k, e := range c.cache {
			if !now.Before(e.expires) {
				delete(c.cache, k)
			} else if oldest == "" || e.expires.Before(c.cache[oldest].expires) {
				oldest = k
			}
		}
		if len(c.cache) >= c.opts.MaxCacheEntries {
			delete(c.cache, oldest)
		}
	}
	c.cache[key] = l
}

// verifyList parses a fetched status list credential, verifies its proof
// and decodes its bitstring. On an error after the issuer is known, the
// returned list carries the issuer for the Result.
func (c *Checker) verifyList(ctx context.Context, u string, body []byte) (*cachedList, error) {
	cred, err := vc.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotAList, u, err)
	}
	if err := cred.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotAList, u, err)
	}
	if !cred.HasType(TypeListCredential) {
		return nil, fmt.Errorf("%w: %s has type %q", ErrNotAList, u, strings.Join(cred.Types(), ", "))
	}
	iss, err := cred.Issuer()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotAList, u, err)
	}
	l := &cachedList{issuer: iss.ID}
	if t, ok, _ := cred.ValidFrom(); ok {
		l.validFrom = t
	}
	if t, ok, _ := cred.ValidUntil(); ok {
		l.validUntil = t
	}
	// The list credential's id need not be the URL it was fetched from:
	// the spec does not require it, and the 1EdTech fixtures serve a list
	// whose id is elsewhere. ListID reports it.
	l.id = cred.ID()
	if !c.opts.SkipProofUnsafe {
		if err := c.verifyProof(ctx, cred, iss.ID); err != nil {
			return l, err
		}
	}
	subjects, err := cred.Subjects()
	if err != nil {
		return l, fmt.Errorf("%w: %s: %v", ErrNotAList, u, err)
	}
	var subject map[string]any
	for _, s := range subjects {
		if hasType(typesOf(s.Raw["type"]), TypeList) {
			subject = s.Raw
			break
		}
	}
	if subject == nil {
		return l, fmt.Errorf("%w: %s has no credentialSubject of type %s", ErrNotAList, u, TypeList)
	}
	switch p := subject["statusPurpose"].(type) {
	case string:
		l.purposes = []string{p}
	case []any:
		for _, v := range p {
			if s, ok := v.(string); ok {
				l.purposes = append(l.purposes, s)
			}
		}
	}
	if len(l.purposes) == 0 {
		return l, fmt.Errorf("%w: %s: statusPurpose missing", ErrNotAList, u)
	}
	if ttl, ok := subject["ttl"].(json.Number); ok {
		if ms, err := ttl.Int64(); err == nil && ms > 0 && ms < math.MaxInt64/int64(time.Millisecond) {
			l.ttl = time.Duration(ms) * time.Millisecond
		}
	}
	enc, ok := subject["encodedList"].(string)
	if !ok {
		return l, fmt.Errorf("%w: %s: encodedList must be a string", ErrMalformedList, u)
	}
	list, err := DecodeList(enc, DecodeOptions{MaxBytes: c.opts.MaxListBytes, AllowShortUnsafe: true})
	if err != nil {
		return l, fmt.Errorf("%s: %w", u, err)
	}
	l.bits = list.bits
	return l, nil
}

func (c *Checker) verifyProof(ctx context.Context, cred *vc.Credential, issuer string) error {
	if c.opts.Resolver == nil {
		return fmt.Errorf("%w: no Resolver configured (Options.Resolver)", ErrProof)
	}
	results, err := dataintegrity.Verify(ctx, cred.Document(), dataintegrity.VerifyOptions{
		Resolver: c.opts.Resolver, LD: c.opts.LD, Now: c.opts.Now(),
	})
	if err != nil {
		return fmt.Errorf("%w: %v", ErrProof, err)
	}
	var reasons []string
	for _, pr := range results {
		switch {
		case !pr.Verified:
			reasons = append(reasons, pr.Err.Error())
		case pr.Method == nil || pr.Method.Controller != issuer:
			ctl := ""
			if pr.Method != nil {
				ctl = pr.Method.Controller
			}
			reasons = append(reasons, fmt.Sprintf("proof %d: key controlled by %q, not the list's issuer %q", pr.Index, ctl, issuer))
		default:
			return nil
		}
	}
	return fmt.Errorf("%w: %s", ErrProof, strings.Join(reasons, "; "))
}

// CheckRevocationList checks a 1EdTechRevocationList entry (Open Badges 3.0
// and CLR 2.0, "1EdTech Revocation List Status Method"): the entry's id is
// the URL of a JSON document whose revokedCredentials array lists revoked
// credentials as objects with an id and an optional boolean revoked
// (default true). The credential is Revoked when credentialID is listed and
// revoked is not false. The list is not a signed credential, so there is no
// proof to verify; it is fetched through the Fetcher like any list. The
// singular member name revokedCredential, which the 1EdTech validator reads,
// is accepted too. The error is non-nil only when ctx is done.
func (c *Checker) CheckRevocationList(ctx context.Context, entry vc.Status, credentialID string) (Result, error) {
	r := Result{Type: TypeRevocationList, Pointer: entry.Pointer, Purpose: PurposeRevocation, ListURL: entry.ID}
	if !vc.IsURL(entry.ID) {
		r.Outcome, r.Err = Invalid, fmt.Errorf("%w: a 1EdTechRevocationList entry's id must be the list URL", ErrMalformedEntry)
		return r, nil
	}
	if credentialID == "" {
		r.Outcome, r.Err = Invalid, fmt.Errorf("%w: the credential has no id to look up in the revocation list", ErrMalformedEntry)
		return r, nil
	}
	if c.fetcher == nil {
		r.Outcome, r.Err = Unavailable, fmt.Errorf("revocation list %s: %w", entry.ID, ErrNoFetcher)
		return r, nil
	}
	body, err := c.fetcher.Fetch(ctx, entry.ID)
	if ctx.Err() != nil {
		return r, ctx.Err()
	}
	if err != nil {
		r.Outcome, r.Err = Unavailable, err
		return r, nil
	}
	v, err := jsonx.Decode(body, jsonx.Limits{MaxBytes: len(body) + 1})
	doc, ok := v.(map[string]any)
	if err != nil || !ok {
		r.Outcome, r.Err = Invalid, fmt.Errorf("%w: revocation list %s is not a JSON object: %v", ErrNotAList, entry.ID, err)
		return r, nil
	}
	if s, ok := doc["issuer"].(string); ok {
		r.ListIssuer = s
	} else if m, ok := doc["issuer"].(map[string]any); ok {
		r.ListIssuer, _ = m["id"].(string)
	}
	items, present := doc["revokedCredentials"]
	if !present {
		items, present = doc["revokedCredential"]
	}
	var list []any
	switch it := items.(type) {
	case []any:
		list = it
	case map[string]any:
		list = []any{it}
	case nil:
		if present {
			r.Outcome, r.Err = Invalid, fmt.Errorf("%w: revokedCredentials is null", ErrNotAList)
			return r, nil
		}
	default:
		r.Outcome, r.Err = Invalid, fmt.Errorf("%w: revokedCredentials must be an array", ErrNotAList)
		return r, nil
	}
	r.Outcome = Valid
	for _, it := range list {
		m, ok := it.(map[string]any)
		if !ok || m["id"] != credentialID {
			continue
		}
		if b, ok := m["revoked"].(bool); ok && !b {
			continue
		}
		r.Outcome, r.Value = Revoked, 1
		for _, k := range []string{"revocationReason", "reason"} {
			if s, ok := m[k].(string); ok {
				r.Message = s
			}
		}
	}
	return r, nil
}

// nonNegativeInt reads statusListIndex or statusSize: a string of base-10
// digits, as the spec requires, or a JSON number, as some issuers write.
func nonNegativeInt(v any) (int, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case json.Number:
		s = x.String()
	case nil:
		return 0, errors.New("missing")
	default:
		return 0, fmt.Errorf("must be a string of digits, got %T", v)
	}
	if s == "" || strings.TrimLeft(s, "0123456789") != "" || len(s) > 10 {
		return 0, fmt.Errorf("%q is not a non-negative integer", s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > math.MaxInt32 {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	return int(n), nil
}

// statusMessages reads an entry's statusMessage: [{"status": "0x1", "message": "…"}].
func statusMessages(v any) ([]StatusMessage, error) {
	if v == nil {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		arr = []any{v}
	}
	out := make([]StatusMessage, 0, len(arr))
	for _, it := range arr {
		m, ok := it.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: statusMessage entries must be objects", ErrMalformedEntry)
		}
		st, _ := m["status"].(string)
		msg, _ := m["message"].(string)
		hex, found := strings.CutPrefix(strings.ToLower(st), "0x")
		n, err := strconv.ParseUint(hex, 16, 64)
		if !found || err != nil {
			return nil, fmt.Errorf("%w: statusMessage status %q is not a hexadecimal string", ErrMalformedEntry, st)
		}
		out = append(out, StatusMessage{Status: n, Message: msg})
	}
	return out, nil
}

func typesOf(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func hasType(types []string, t string) bool {
	for _, s := range types {
		if s == t {
			return true
		}
	}
	return false
}
