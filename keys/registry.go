package keys

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/microcred/microcred/internal/jsonx"
)

// Registry answers one question for a verifier: is this issuer trusted, for
// this kind of credential, at this time, with this key.
//
// An issuer the registry does not know is not an error: Check returns a
// Decision with Trusted false and Code ReasonUnknownIssuer. Errors are kept
// for I/O failures and malformed registry data, so a caller can tell "not
// trusted" from "could not tell" and fail closed on both.
//
// Implementations in this package: FileRegistry (the local JSON file, also
// built from the DCC community registry format), EBSIRegistry (EBSI Trusted
// Issuers Registry v4 over a Fetcher) and Composite.
type Registry interface {
	Check(ctx context.Context, q Query) (Decision, error)
}

// Query is what a verifier knows about a credential when it asks a Registry.
// Empty fields are not checked: a query with no CredentialTypes passes any
// credential-type restriction, EQFLevel 0 passes any EQF restriction.
type Query struct {
	// Issuer is the credential's issuer id: a DID or an HTTPS URL (no
	// fragment).
	Issuer string
	// NoAliases restricts the lookup to entry ids: the entries' "aliases"
	// are not consulted. By default an issuer id that is an alias of an
	// entry (for example the HTTPS profile URL of an issuer registered by
	// its DID) matches that entry.
	NoAliases bool
	// CredentialTypes are the credential's "type" values. Every one of them
	// except "VerifiableCredential" must be listed by one accreditation of
	// the entry.
	CredentialTypes []string
	// AchievementType is the achievement's "achievementType" (OB 3.0), or "".
	AchievementType string
	// EQFLevel is the European Qualifications Framework level claimed by the
	// credential, 1 to 8, or 0 for none.
	EQFLevel int
	// Time is the instant the decision is for (normally the credential's
	// issuance or the verification time). Zero means time.Now().
	Time time.Time
	// PublicKey is the key that verified the credential's proof. When the
	// entry lists keys it must be one of them.
	PublicKey crypto.PublicKey
	// VerificationMethod is the id of the verification method (or JWT kid)
	// of the proof, if known. It is only used in reasons: keys are matched
	// by value, never by id.
	VerificationMethod string
}

// ReasonCode classifies a Decision. The values are stable strings, fit for
// JSON reports.
type ReasonCode string

// Decision codes.
const (
	// ReasonTrusted: the issuer is trusted for the query.
	ReasonTrusted ReasonCode = "trusted"
	// ReasonUnknownIssuer: no entry has the issuer's id (or alias).
	ReasonUnknownIssuer ReasonCode = "unknown-issuer"
	// ReasonSuspended: the entry is suspended.
	ReasonSuspended ReasonCode = "suspended"
	// ReasonRevoked: the entry (or every accreditation of the issuer) is revoked.
	ReasonRevoked ReasonCode = "revoked"
	// ReasonNotValidAtTime: the query's time is before validFrom or after validUntil.
	ReasonNotValidAtTime ReasonCode = "not-valid-at-time"
	// ReasonNotAccredited: the registry lists the issuer with no
	// accreditation it recognises as trusted (EBSI "Undefined" issuer type,
	// or no attributes).
	ReasonNotAccredited ReasonCode = "not-accredited"
	// ReasonCredentialType: no accreditation covers the credential's types.
	ReasonCredentialType ReasonCode = "credential-type-not-accredited"
	// ReasonAchievementType: no accreditation covers the achievement type.
	ReasonAchievementType ReasonCode = "achievement-type-not-accredited"
	// ReasonEQFLevel: no accreditation covers the EQF level.
	ReasonEQFLevel ReasonCode = "eqf-level-not-accredited"
	// ReasonKeyNotListed: the entry pins keys and the credential's key is
	// not one of them (or no key was given).
	ReasonKeyNotListed ReasonCode = "key-not-listed"
)

// Decision is a Registry's answer.
type Decision struct {
	// Trusted is true only when every check passed.
	Trusted bool
	// Code classifies the decision (ReasonTrusted when Trusted).
	Code ReasonCode
	// Reason is a plain sentence saying why (or why not).
	Reason string
	// Entry is a copy of the matched entry, or nil when the issuer is unknown.
	Entry *RegistryEntry
	// Source names the registry that decided.
	Source string
}

// EntryStatus is the status of a registry entry.
type EntryStatus string

// Entry statuses.
const (
	StatusActive    EntryStatus = "active"
	StatusSuspended EntryStatus = "suspended"
	StatusRevoked   EntryStatus = "revoked"
)

// RegistryEntry is one issuer of a registry.
type RegistryEntry struct {
	// ID is the issuer id: a DID or an HTTPS URL.
	ID string `json:"id"`
	// Aliases are other ids of the same issuer.
	Aliases []string `json:"aliases,omitempty"`
	// Name is the issuer's name.
	Name string `json:"name,omitempty"`
	// Country is an ISO 3166-1 alpha-2 code ("FI"), or "".
	Country string `json:"country,omitempty"`
	// Location is free text (DCC registries), or "".
	Location string `json:"location,omitempty"`
	// URL is the issuer's home page (DCC registries), or "".
	URL string `json:"url,omitempty"`
	// Keys are the pinned public keys. When not empty, a credential's key
	// must be one of them.
	Keys []*JWK `json:"keys,omitempty"`
	// AccreditedFor restricts what the issuer is trusted for; empty means no
	// restriction.
	AccreditedFor []Accreditation `json:"accreditedFor,omitempty"`
	// ValidFrom and ValidUntil bound when the entry applies; zero means
	// unbounded.
	ValidFrom  time.Time `json:"validFrom,omitzero"`
	ValidUntil time.Time `json:"validUntil,omitzero"`
	// Status is active, suspended or revoked.
	Status EntryStatus `json:"status"`

	pubs []crypto.PublicKey // parsed Keys, same order
}

// Accreditation is one thing an issuer is trusted for. Empty lists and a zero
// MaxEQF mean no restriction on that dimension.
type Accreditation struct {
	CredentialTypes  []string `json:"credentialTypes,omitempty"`
	AchievementTypes []string `json:"achievementTypes,omitempty"`
	// MaxEQF is the highest EQF level (1–8) the issuer may award, 0 for any.
	MaxEQF int `json:"maxEQF,omitempty"`
	// Jurisdiction is informational (e.g. "EU", "FI").
	Jurisdiction string `json:"jurisdiction,omitempty"`
}

// clone returns a deep copy of e.
func (e *RegistryEntry) clone() *RegistryEntry {
	c := *e
	c.Aliases = slices.Clone(e.Aliases)
	c.Keys = make([]*JWK, len(e.Keys))
	for i, k := range e.Keys {
		kc := *k
		c.Keys[i] = &kc
	}
	if len(e.Keys) == 0 {
		c.Keys = nil
	}
	c.AccreditedFor = make([]Accreditation, len(e.AccreditedFor))
	for i, a := range e.AccreditedFor {
		c.AccreditedFor[i] = Accreditation{slices.Clone(a.CredentialTypes), slices.Clone(a.AchievementTypes), a.MaxEQF, a.Jurisdiction}
	}
	if len(e.AccreditedFor) == 0 {
		c.AccreditedFor = nil
	}
	c.pubs = slices.Clone(e.pubs)
	return &c
}

// ErrInvalidRegistry is wrapped by every error about malformed registry data
// (file, DCC import, EBSI response).
var ErrInvalidRegistry = errors.New("invalid issuer registry")

// MaxRegistryBytes bounds a registry file (8 MiB).
const MaxRegistryBytes = 8 << 20

// RegistryFormatVersion is the only "version" ParseRegistry accepts.
const RegistryFormatVersion = 1

// FileRegistry is an immutable registry held in memory, read from the
// project's JSON format (ParseRegistry, LoadRegistryFile) or imported
// (ParseDCCRegistry). It is safe for concurrent use.
//
// The file format:
//
//	{
//	  "version": 1,
//	  "name": "EC2U trusted issuers",
//	  "entries": [{
//	    "id": "did:web:utu.fi",                    // DID or https URL, unique
//	    "aliases": ["https://www.utu.fi/issuer"],  // optional, unique across ids and aliases
//	    "name": "University of Turku",
//	    "country": "FI",                           // ISO 3166-1 alpha-2, optional
//	    "keys": [{"kty": "OKP", "crv": "Ed25519", "x": "…", "kid": "did:web:utu.fi#key-1"}],
//	    "accreditedFor": [{
//	      "credentialTypes": ["OpenBadgeCredential", "AchievementCredential"],
//	      "achievementTypes": ["MicroCredential", "Course"],
//	      "maxEQF": 8,
//	      "jurisdiction": "FI"
//	    }],
//	    "validFrom": "2024-01-01T00:00:00Z",       // RFC 3339, optional
//	    "validUntil": "2030-01-01T00:00:00Z",      // RFC 3339, optional
//	    "status": "active"                         // active | suspended | revoked
//	  }]
//	}
//
// Unknown members are rejected (a misspelt "validUntil" must not silently
// remove an expiry), except inside JWKs; JWKs must be valid public keys with
// no private members.
type FileRegistry struct {
	name    string
	entries []*RegistryEntry
	byID    map[string]int
	byAlias map[string]int
}

var _ Registry = (*FileRegistry)(nil)

// Name returns the registry's name: the file's "name", the path given to
// LoadRegistryFile when the file has none, what the importer set, or "local
// registry". Decisions carry it as Source.
func (r *FileRegistry) Name() string {
	if r.name == "" {
		return "local registry"
	}
	return r.name
}

// Entries returns copies of the registry's entries in file order.
func (r *FileRegistry) Entries() []*RegistryEntry {
	out := make([]*RegistryEntry, len(r.entries))
	for i, e := range r.entries {
		out[i] = e.clone()
	}
	return out
}

// Lookup returns a copy of the entry whose id (or, unless idOnly, alias) is
// id, or nil.
func (r *FileRegistry) Lookup(id string, idOnly bool) *RegistryEntry {
	e, _ := r.lookup(id, idOnly)
	if e == nil {
		return nil
	}
	return e.clone()
}

func (r *FileRegistry) lookup(id string, idOnly bool) (*RegistryEntry, bool) {
	if i, ok := r.byID[id]; ok {
		return r.entries[i], false
	}
	if idOnly {
		return nil, false
	}
	if i, ok := r.byAlias[id]; ok {
		return r.entries[i], true
	}
	return nil, false
}

// LoadRegistryFile reads and parses a registry file (see FileRegistry). Files
// larger than MaxRegistryBytes are rejected. The registry's Source is its
// "name", or the path when the file has none.
func LoadRegistryFile(path string) (*FileRegistry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("issuer registry: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxRegistryBytes+1))
	if err != nil {
		return nil, fmt.Errorf("issuer registry %s: %w", path, err)
	}
	if len(data) > MaxRegistryBytes {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrInvalidRegistry, path, MaxRegistryBytes)
	}
	r, err := ParseRegistry(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if r.name == "" {
		r.name = path
	}
	return r, nil
}

// regError is a registry validation error at JSON pointer ptr.
func regError(ptr, format string, args ...any) error {
	return fmt.Errorf("%w at %s: %s", ErrInvalidRegistry, pointerOrRoot(ptr), fmt.Sprintf(format, args...))
}

// parseRegistryJSON decodes registry data with the registry's limits.
func parseRegistryJSON(data []byte, what string) (map[string]any, error) {
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: MaxRegistryBytes, MaxDepth: MaxDepth, MaxValues: MaxRegistryBytes / 2})
	if err != nil {
		var je *jsonx.Error
		if errors.As(err, &je) {
			return nil, fmt.Errorf("%w: %w: %s at %s: %s", ErrInvalidRegistry, ErrInvalidJSON, what, pointerOrRoot(je.Pointer), strings.TrimPrefix(je.Error(), "jsonx: "+je.Pointer+": "))
		}
		return nil, fmt.Errorf("%w: %w: %s: %v", ErrInvalidRegistry, ErrInvalidJSON, what, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: %s: top-level value is %s, want an object", ErrInvalidRegistry, what, jsonx.Kind(v))
	}
	return m, nil
}

// ParseRegistry parses a registry in the project's JSON format (see
// FileRegistry) with strict validation: the JSON is bounded and free of
// duplicate members; "version" must be RegistryFormatVersion; ids and aliases
// must be DIDs or https URLs without fragments, unique across the registry;
// JWKs must be valid public keys without private members; "status" must be
// active, suspended or revoked; dates must be RFC 3339 and in order; maxEQF
// must be 0 to 8. Errors wrap ErrInvalidRegistry and name the JSON pointer.
func ParseRegistry(data []byte) (*FileRegistry, error) {
	m, err := parseRegistryJSON(data, "registry")
	if err != nil {
		return nil, err
	}
	if err := onlyMembers(m, "", "version", "name", "entries"); err != nil {
		return nil, err
	}
	ver, ok := m["version"].(json.Number)
	if !ok {
		return nil, regError("/version", "missing or not a number, want %d", RegistryFormatVersion)
	}
	if ver.String() != fmt.Sprint(RegistryFormatVersion) {
		return nil, regError("/version", "unsupported version %s, want %d", truncate(ver.String()), RegistryFormatVersion)
	}
	r := &FileRegistry{byID: map[string]int{}, byAlias: map[string]int{}}
	if r.name, err = optString(m, "name", ""); err != nil {
		return nil, regError("/name", "%v", err)
	}
	list, ok := m["entries"].([]any)
	if !ok {
		return nil, regError("/entries", "missing or not an array")
	}
	for i, v := range list {
		ptr := jsonx.AppendIndex("/entries", i)
		em, ok := v.(map[string]any)
		if !ok {
			return nil, regError(ptr, "entry is %s, want an object", jsonx.Kind(v))
		}
		e, err := parseEntry(em, ptr)
		if err != nil {
			return nil, err
		}
		if err := r.add(e, ptr); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// add indexes e, rejecting ids and aliases already taken.
func (r *FileRegistry) add(e *RegistryEntry, ptr string) error {
	idx := len(r.entries)
	taken := func(id string) bool {
		_, a := r.byID[id]
		_, b := r.byAlias[id]
		return a || b
	}
	if taken(e.ID) {
		return regError(ptr+"/id", "duplicate issuer id %q", truncate(e.ID))
	}
	r.byID[e.ID] = idx
	for j, a := range e.Aliases {
		if taken(a) {
			return regError(jsonx.AppendIndex(ptr+"/aliases", j), "duplicate issuer id or alias %q", truncate(a))
		}
		r.byAlias[a] = idx
	}
	r.entries = append(r.entries, e)
	return nil
}

// onlyMembers rejects members of m not in allowed.
func onlyMembers(m map[string]any, ptr string, allowed ...string) error {
	var bad []string
	for k := range m {
		if !slices.Contains(allowed, k) {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		return regError(jsonx.AppendKey(ptr, bad[0]), "unknown member %q", truncate(bad[0]))
	}
	return nil
}

// checkIssuerID accepts a DID or an https URL without a fragment.
func checkIssuerID(id string) error {
	if id == "" {
		return errors.New("empty issuer id")
	}
	if len(id) > 2048 {
		return errors.New("issuer id longer than 2048 bytes")
	}
	if strings.ContainsAny(id, "# \t\r\n") {
		return fmt.Errorf("issuer id %q has a fragment or white space", truncate(id))
	}
	route, err := routeOf(id)
	if err != nil {
		return err
	}
	if route != "https" && !strings.HasPrefix(route, "did:") {
		return fmt.Errorf("issuer id %q is neither a DID nor an https URL", truncate(id))
	}
	if route == "https" && !strings.HasPrefix(id, "https://") {
		return fmt.Errorf("issuer id %q: write https URLs in lower case with \"https://\"", truncate(id))
	}
	return nil
}

func stringList(m map[string]any, k, ptr string) ([]string, error) {
	v, ok := m[k]
	if !ok {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, regError(jsonx.AppendKey(ptr, k), "is %s, want an array of strings", jsonx.Kind(v))
	}
	out := make([]string, 0, len(arr))
	for i, x := range arr {
		s, ok := x.(string)
		if !ok || s == "" {
			return nil, regError(jsonx.AppendIndex(jsonx.AppendKey(ptr, k), i), "want a non-empty string")
		}
		if slices.Contains(out, s) {
			return nil, regError(jsonx.AppendIndex(jsonx.AppendKey(ptr, k), i), "duplicate value %q", truncate(s))
		}
		out = append(out, s)
	}
	return out, nil
}

func parseEntry(m map[string]any, ptr string) (*RegistryEntry, error) {
	if err := onlyMembers(m, ptr, "id", "aliases", "name", "country", "keys", "accreditedFor", "validFrom", "validUntil", "status"); err != nil {
		return nil, err
	}
	e := &RegistryEntry{}
	var err error
	str := func(k string) string {
		if err != nil {
			return ""
		}
		var s string
		s, err = optString(m, k, ptr)
		if err != nil {
			err = fmt.Errorf("%w: %v", ErrInvalidRegistry, err)
		}
		return s
	}
	e.ID = str("id")
	e.Name = str("name")
	e.Country = str("country")
	status := str("status")
	from, until := str("validFrom"), str("validUntil")
	if err != nil {
		return nil, err
	}
	if err := checkIssuerID(e.ID); err != nil {
		return nil, regError(ptr+"/id", "%v", err)
	}
	if e.Aliases, err = stringList(m, "aliases", ptr); err != nil {
		return nil, err
	}
	for i, a := range e.Aliases {
		if err := checkIssuerID(a); err != nil {
			return nil, regError(jsonx.AppendIndex(ptr+"/aliases", i), "%v", err)
		}
	}
	if e.Country != "" && !isCountryCode(e.Country) {
		return nil, regError(ptr+"/country", "%q is not an ISO 3166-1 alpha-2 code (two capital letters)", truncate(e.Country))
	}
	switch EntryStatus(status) {
	case StatusActive, StatusSuspended, StatusRevoked:
		e.Status = EntryStatus(status)
	case "":
		return nil, regError(ptr+"/status", "missing; want \"active\", \"suspended\" or \"revoked\"")
	default:
		return nil, regError(ptr+"/status", "unknown status %q; want \"active\", \"suspended\" or \"revoked\"", truncate(status))
	}
	for _, d := range []struct {
		k   string
		s   string
		dst *time.Time
	}{{"validFrom", from, &e.ValidFrom}, {"validUntil", until, &e.ValidUntil}} {
		if d.s == "" {
			if _, present := m[d.k]; present {
				return nil, regError(ptr+"/"+d.k, "empty date")
			}
			continue
		}
		t, err := time.Parse(time.RFC3339, d.s)
		if err != nil {
			return nil, regError(ptr+"/"+d.k, "%q is not an RFC 3339 date-time", truncate(d.s))
		}
		*d.dst = t
	}
	if !e.ValidFrom.IsZero() && !e.ValidUntil.IsZero() && !e.ValidUntil.After(e.ValidFrom) {
		return nil, regError(ptr+"/validUntil", "not after validFrom")
	}
	if v, ok := m["keys"]; ok {
		arr, ok := v.([]any)
		if !ok {
			return nil, regError(ptr+"/keys", "is %s, want an array of JWKs", jsonx.Kind(v))
		}
		for i, kv := range arr {
			kp := jsonx.AppendIndex(ptr+"/keys", i)
			km, ok := kv.(map[string]any)
			if !ok {
				return nil, regError(kp, "is %s, want a JWK object", jsonx.Kind(kv))
			}
			j, err := jwkFromMap(km, kp)
			if err != nil {
				return nil, regError(kp, "%v", err)
			}
			if j.IsPrivate() {
				return nil, regError(kp, "JWK has private key members; a registry lists public keys only")
			}
			for _, priv := range []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"} {
				if _, bad := km[priv]; bad {
					return nil, regError(kp+"/"+priv, "JWK has private key members; a registry lists public keys only")
				}
			}
			pub, err := j.PublicKey()
			if err != nil {
				return nil, regError(kp, "%v", err)
			}
			for k, other := range e.pubs {
				if PublicKeysEqual(pub, other) {
					return nil, regError(kp, "same key as %s", jsonx.AppendIndex(ptr+"/keys", k))
				}
			}
			e.Keys = append(e.Keys, j)
			e.pubs = append(e.pubs, pub)
		}
	}
	if v, ok := m["accreditedFor"]; ok {
		arr, ok := v.([]any)
		if !ok {
			return nil, regError(ptr+"/accreditedFor", "is %s, want an array", jsonx.Kind(v))
		}
		for i, av := range arr {
			ap := jsonx.AppendIndex(ptr+"/accreditedFor", i)
			am, ok := av.(map[string]any)
			if !ok {
				return nil, regError(ap, "is %s, want an object", jsonx.Kind(av))
			}
			a, err := parseAccreditation(am, ap)
			if err != nil {
				return nil, err
			}
			e.AccreditedFor = append(e.AccreditedFor, a)
		}
	}
	return e, nil
}

func parseAccreditation(m map[string]any, ptr string) (Accreditation, error) {
	var a Accreditation
	if err := onlyMembers(m, ptr, "credentialTypes", "achievementTypes", "maxEQF", "jurisdiction"); err != nil {
		return a, err
	}
	var err error
	if a.CredentialTypes, err = stringList(m, "credentialTypes", ptr); err != nil {
		return a, err
	}
	if a.AchievementTypes, err = stringList(m, "achievementTypes", ptr); err != nil {
		return a, err
	}
	if a.Jurisdiction, err = optString(m, "jurisdiction", ptr); err != nil {
		return a, fmt.Errorf("%w: %v", ErrInvalidRegistry, err)
	}
	if v, ok := m["maxEQF"]; ok {
		n, ok := v.(json.Number)
		lvl, perr := 0, error(nil)
		if ok {
			_, perr = fmt.Sscanf(n.String(), "%d", &lvl)
		}
		if !ok || perr != nil || n.String() != fmt.Sprint(lvl) || lvl < 1 || lvl > 8 {
			return a, regError(ptr+"/maxEQF", "want an integer from 1 to 8")
		}
		a.MaxEQF = lvl
	}
	return a, nil
}

func isCountryCode(s string) bool {
	return len(s) == 2 && 'A' <= s[0] && s[0] <= 'Z' && 'A' <= s[1] && s[1] <= 'Z'
}

// Check implements Registry. The checks run in this order and the first
// failure decides: the issuer is known (by id, then alias); the entry is not
// revoked or suspended; q.Time is within validFrom/validUntil; one
// accreditation covers the credential types, the achievement type and the
// EQF level; the key is pinned (when the entry lists keys).
func (r *FileRegistry) Check(ctx context.Context, q Query) (Decision, error) {
	if err := ctx.Err(); err != nil {
		return Decision{}, err
	}
	e, viaAlias := r.lookup(q.Issuer, q.NoAliases)
	if e == nil {
		return Decision{Code: ReasonUnknownIssuer, Source: r.Name(),
			Reason: fmt.Sprintf("The issuer %q is not in the registry %q.", truncate(q.Issuer), r.Name())}, nil
	}
	return checkEntry(e, viaAlias, q, r.Name()), nil
}

// checkEntry applies the entry-level checks of FileRegistry.Check.
func checkEntry(e *RegistryEntry, viaAlias bool, q Query, source string) Decision {
	d := Decision{Entry: e.clone(), Source: source}
	who := fmt.Sprintf("The issuer %q", truncate(e.ID))
	if e.Name != "" {
		who = fmt.Sprintf("The issuer %q (%s)", truncate(e.ID), e.Name)
	}
	fail := func(code ReasonCode, format string, args ...any) Decision {
		d.Code = code
		d.Reason = who + " " + fmt.Sprintf(format, args...)
		return d
	}
	switch e.Status {
	case StatusRevoked:
		return fail(ReasonRevoked, "is revoked in the registry %q.", source)
	case StatusSuspended:
		return fail(ReasonSuspended, "is suspended in the registry %q.", source)
	case StatusActive:
	default:
		return fail(ReasonRevoked, "has an unknown status %q.", e.Status)
	}
	now := q.Time
	if now.IsZero() {
		now = time.Now()
	}
	if !e.ValidFrom.IsZero() && now.Before(e.ValidFrom) {
		return fail(ReasonNotValidAtTime, "is registered only from %s, not at %s.", e.ValidFrom.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if !e.ValidUntil.IsZero() && !now.Before(e.ValidUntil) {
		return fail(ReasonNotValidAtTime, "was registered only until %s, not at %s.", e.ValidUntil.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if q.EQFLevel < 0 || q.EQFLevel > 8 {
		return fail(ReasonEQFLevel, "cannot award EQF level %d: EQF levels are 1 to 8.", q.EQFLevel)
	}
	if len(e.AccreditedFor) > 0 {
		acc := e.AccreditedFor
		var types []string
		for _, t := range q.CredentialTypes {
			if t != "VerifiableCredential" {
				types = append(types, t)
			}
		}
		acc = filter(acc, func(a Accreditation) bool {
			if len(a.CredentialTypes) == 0 {
				return true
			}
			for _, t := range types {
				if !slices.Contains(a.CredentialTypes, t) {
					return false
				}
			}
			return true
		})
		if len(acc) == 0 {
			return fail(ReasonCredentialType, "is not accredited for credentials of type %s.", strings.Join(types, ", "))
		}
		acc = filter(acc, func(a Accreditation) bool {
			return q.AchievementType == "" || len(a.AchievementTypes) == 0 || slices.Contains(a.AchievementTypes, q.AchievementType)
		})
		if len(acc) == 0 {
			return fail(ReasonAchievementType, "is not accredited for achievements of type %q.", truncate(q.AchievementType))
		}
		acc = filter(acc, func(a Accreditation) bool {
			return q.EQFLevel == 0 || a.MaxEQF == 0 || (q.EQFLevel >= 1 && q.EQFLevel <= a.MaxEQF)
		})
		if len(acc) == 0 {
			return fail(ReasonEQFLevel, "is not accredited to award EQF level %d.", q.EQFLevel)
		}
	}
	if len(e.pubs) > 0 {
		if q.PublicKey == nil {
			return fail(ReasonKeyNotListed, "has pinned keys, and no key was given to check against them.")
		}
		if !slices.ContainsFunc(e.pubs, func(p crypto.PublicKey) bool { return PublicKeysEqual(p, q.PublicKey) }) {
			vm := ""
			if q.VerificationMethod != "" {
				vm = fmt.Sprintf(" (verification method %q)", truncate(q.VerificationMethod))
			}
			return fail(ReasonKeyNotListed, "does not list the key that signed the credential%s among its %d pinned keys.", vm, len(e.pubs))
		}
	}
	d.Trusted = true
	d.Code = ReasonTrusted
	d.Reason = fmt.Sprintf("%s is trusted by the registry %q", who, source)
	if viaAlias {
		d.Reason += fmt.Sprintf(" (matched by alias %q)", truncate(q.Issuer))
	}
	d.Reason += "."
	return d
}

func filter[T any](s []T, keep func(T) bool) []T {
	var out []T
	for _, x := range s {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// Composite asks several registries in order; the first one that knows the
// issuer (any decision other than ReasonUnknownIssuer) decides. An error from
// any registry consulted is returned at once, so a registry that cannot be
// read never lets a later one decide. It is safe for concurrent use when its
// members are.
type Composite []Registry

// Check implements Registry.
func (c Composite) Check(ctx context.Context, q Query) (Decision, error) {
	var names []string
	for _, r := range c {
		d, err := r.Check(ctx, q)
		if err != nil {
			return Decision{}, err
		}
		if d.Code != ReasonUnknownIssuer {
			return d, nil
		}
		names = append(names, fmt.Sprintf("%q", d.Source))
	}
	return Decision{Code: ReasonUnknownIssuer, Source: strings.Join(names, ", "),
		Reason: fmt.Sprintf("The issuer %q is in none of the %d registries consulted (%s).", truncate(q.Issuer), len(c), strings.Join(names, ", "))}, nil
}

// PinnedResolver resolves verification methods to the keys a FileRegistry
// pins, so that a verifier can accept a verification method it cannot
// dereference (an OB 3.0 HTTPS issuer's "https://issuer.example/p#key") only
// when the registry pins the key for that issuer. Put it first in a Chain:
//
//	res := keys.Chain{keys.NewPinnedResolver(reg), keys.NewResolver(fetcher, nil)}
//
// A method "U#F" resolves when U (the part before "#") is the id or an alias
// of an active entry with keys, and either one key has kid "U#F" (or "#F"),
// or no key has a kid matching and the entry has exactly one key without a
// kid. The key always comes from the registry: the fragment is never decoded
// as a key (a fragment that looks like a Multikey is just a name). Anything
// else is ErrNotFound, so a Chain moves on. The method's controller is U,
// its type JsonWebKey, its relationship assertionMethod.
type PinnedResolver struct {
	reg *FileRegistry
}

var _ Resolver = (*PinnedResolver)(nil)

// NewPinnedResolver returns a resolver over reg's pinned keys.
func NewPinnedResolver(reg *FileRegistry) *PinnedResolver {
	return &PinnedResolver{reg: reg}
}

// Resolve implements Resolver.
func (p *PinnedResolver) Resolve(ctx context.Context, vm string) (*VerificationMethod, error) {
	base, frag, _ := strings.Cut(vm, "#")
	if err := checkIssuerID(base); err != nil {
		return nil, resolutionError(vm, "", fmt.Errorf("%w: not a pinned issuer: %v", ErrNotFound, err))
	}
	var e *RegistryEntry
	if p.reg != nil {
		e, _ = p.reg.lookup(base, false)
	}
	if e == nil || len(e.Keys) == 0 {
		return nil, resolutionError(vm, "", fmt.Errorf("%w: the registry pins no key for %q", ErrNotFound, truncate(base)))
	}
	if e.Status != StatusActive {
		return nil, resolutionError(vm, "", fmt.Errorf("%w: the registry entry for %q is %s", ErrNotFound, truncate(base), e.Status))
	}
	pick := -1
	for i, k := range e.Keys {
		if k.Kid != "" && (k.Kid == vm || (frag != "" && k.Kid == "#"+frag)) {
			pick = i
			break
		}
	}
	if pick < 0 {
		var unnamed []int
		for i, k := range e.Keys {
			if k.Kid == "" {
				unnamed = append(unnamed, i)
			}
		}
		switch len(unnamed) {
		case 1:
			pick = unnamed[0]
		case 0:
			return nil, resolutionError(vm, "", fmt.Errorf("%w: no key pinned for %q has this kid", ErrNotFound, truncate(base)))
		default:
			return nil, resolutionError(vm, "", fmt.Errorf("%w: %d keys pinned for %q have no kid; give each the id of its verification method", ErrNotFound, len(unnamed), truncate(base)))
		}
	}
	j := *e.Keys[pick]
	return &VerificationMethod{
		ID:            vm,
		Type:          TypeJSONWebKey,
		Controller:    base,
		PublicKey:     e.pubs[pick],
		JWK:           &j,
		Relationships: []Relationship{AssertionMethod},
	}, nil
}

// PinnedStaticResolver returns a StaticResolver holding the pinned
// verification methods vms, each resolved by NewPinnedResolver(reg) with
// the same rules (the key comes from the registry, never from the
// fragment). It suits NewResolver(fetcher, pinned) when the verifier knows
// the methods in advance. A method the registry does not pin is an error
// wrapping ErrNotFound.
func PinnedStaticResolver(reg *FileRegistry, vms ...string) (*StaticResolver, error) {
	p := NewPinnedResolver(reg)
	s, _ := NewStaticResolver()
	for _, id := range vms {
		vm, err := p.Resolve(context.Background(), id)
		if err != nil {
			return nil, err
		}
		if err := s.Add(vm); err != nil {
			return nil, err
		}
	}
	return s, nil
}
