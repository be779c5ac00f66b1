package keys

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/microcred/microcred/internal/jsonx"
)

// DCCRegistryName is the Source of registries built by ParseDCCRegistry.
const DCCRegistryName = "DCC community registry"

// ParseDCCRegistry imports a registry in the Digital Credentials Consortium
// "community registry" format (github.com/digitalcredentials/community-registry,
// registry.json):
//
//	{"meta": {"created": "…", "updated": "…"},
//	 "registry": {"did:key:z6Mk…": {"name": "…", "location": "…", "url": "…"}}}
//
// Every entry becomes an active entry trusted for any credential type, with
// no pinned keys and no validity bounds; "location" and "url" are kept as
// RegistryEntry.Location and URL. Keys must be DIDs or https URLs; duplicate
// keys are rejected by the JSON parser. Errors wrap ErrInvalidRegistry.
func ParseDCCRegistry(data []byte) (*FileRegistry, error) {
	m, err := parseRegistryJSON(data, "DCC registry")
	if err != nil {
		return nil, err
	}
	if err := onlyMembers(m, "", "meta", "registry"); err != nil {
		return nil, err
	}
	if v, ok := m["meta"]; ok {
		if _, ok := v.(map[string]any); !ok {
			return nil, regError("/meta", "is %s, want an object", jsonx.Kind(v))
		}
	}
	reg, ok := m["registry"].(map[string]any)
	if !ok {
		return nil, regError("/registry", "missing or not an object")
	}
	ids := make([]string, 0, len(reg))
	for id := range reg {
		ids = append(ids, id)
	}
	slices.Sort(ids) // map order is random; make Entries deterministic
	r := &FileRegistry{name: DCCRegistryName, byID: map[string]int{}, byAlias: map[string]int{}}
	for _, id := range ids {
		ptr := jsonx.AppendKey("/registry", id)
		if err := checkIssuerID(id); err != nil {
			return nil, regError(ptr, "%v", err)
		}
		em, ok := reg[id].(map[string]any)
		if !ok {
			return nil, regError(ptr, "is %s, want an object", jsonx.Kind(reg[id]))
		}
		e := &RegistryEntry{ID: id, Status: StatusActive}
		for _, f := range []struct {
			k   string
			dst *string
		}{{"name", &e.Name}, {"location", &e.Location}, {"url", &e.URL}} {
			if *f.dst, err = optString(em, f.k, ptr); err != nil {
				return nil, fmt.Errorf("%w: %v", ErrInvalidRegistry, err)
			}
		}
		if err := r.add(e, ptr); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// EBSIRegistryName is the Source of EBSIRegistry decisions.
const EBSIRegistryName = "EBSI Trusted Issuers Registry"

// Defaults for EBSIRegistry.
const (
	DefaultEBSICacheTTL    = 5 * time.Minute
	DefaultEBSICacheLength = 1024
)

// EBSIRegistry reads the EBSI Trusted Issuers Registry (API v4) through a
// Fetcher: Check asks GET {base}/v4/issuers/{did} and decides from the
// issuer's attributes (accreditations):
//
//   - HTTP 404: the issuer is unknown (ReasonUnknownIssuer);
//   - at least one attribute with issuerType "TI", "TAO" or "RootTAO":
//     trusted;
//   - otherwise, at least one "Revoked": ReasonRevoked;
//   - otherwise ("Undefined", or no attributes): ReasonNotAccredited.
//
// Any other failure (network, host not allowed, HTTP status other than 200
// and 404, a malformed response or one for another DID) is an error.
//
// What it does not check: the attribute bodies (accreditation credentials)
// are decoded as base64 but not parsed or verified, so credential types,
// achievement types, EQF levels and keys in a Query are not checked against
// EBSI; issuer ids that are not DIDs are unknown. Compose it after a
// FileRegistry (Composite) to add such restrictions.
//
// Decisions are cached per DID (trusted, revoked and unknown alike) for TTL;
// errors are not cached. It is safe for concurrent use.
type EBSIRegistry struct {
	base    string
	fetcher Fetcher

	// TTL is how long a decision is reused; 0 means DefaultEBSICacheTTL,
	// negative disables the cache. Set before the first Check.
	TTL time.Duration
	// Now is the cache's clock; nil means time.Now. Set before the first Check.
	Now func() time.Time

	mu    sync.Mutex
	cache map[string]ebsiCached
}

type ebsiCached struct {
	d       Decision
	expires time.Time
}

var _ Registry = (*EBSIRegistry)(nil)

// NewEBSIRegistry returns a reader of the registry at baseURL (for example
// "https://api-pilot.ebsi.eu/trusted-issuers-registry"), fetched with
// fetcher, whose host allow-list must include baseURL's host. baseURL must be
// an https URL without query or fragment; a trailing "/" is removed.
func NewEBSIRegistry(baseURL string, fetcher Fetcher) (*EBSIRegistry, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%w: EBSI registry base URL %q must be an https URL without query, fragment or user info", ErrInvalidURL, truncate(baseURL))
	}
	if fetcher == nil {
		return nil, fmt.Errorf("EBSI registry: %w", ErrNetworkDisabled)
	}
	return &EBSIRegistry{base: strings.TrimRight(baseURL, "/"), fetcher: fetcher, cache: map[string]ebsiCached{}}, nil
}

func (r *EBSIRegistry) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Check implements Registry.
func (r *EBSIRegistry) Check(ctx context.Context, q Query) (Decision, error) {
	did := q.Issuer
	if !strings.HasPrefix(did, "did:") || checkIssuerID(did) != nil {
		return Decision{Code: ReasonUnknownIssuer, Source: EBSIRegistryName,
			Reason: fmt.Sprintf("The issuer %q is not a DID, so the %s cannot list it.", truncate(did), EBSIRegistryName)}, nil
	}
	ttl := r.TTL
	if ttl == 0 {
		ttl = DefaultEBSICacheTTL
	}
	if ttl > 0 {
		r.mu.Lock()
		c, ok := r.cache[did]
		r.mu.Unlock()
		if ok && r.now().Before(c.expires) {
			return cloneDecision(c.d), nil
		}
	}
	d, err := r.fetch(ctx, did)
	if err != nil {
		return Decision{}, err
	}
	if ttl > 0 {
		now := r.now()
		r.mu.Lock()
		if len(r.cache) >= DefaultEBSICacheLength {
			for k, c := range r.cache {
				if !now.Before(c.expires) {
					delete(r.cache, k)
				}
			}
			if len(r.cache) >= DefaultEBSICacheLength {
				clear(r.cache)
			}
		}
		r.cache[did] = ebsiCached{d: cloneDecision(d), expires: now.Add(ttl)}
		r.mu.Unlock()
	}
	return d, nil
}

func cloneDecision(d Decision) Decision {
	if d.Entry != nil {
		d.Entry = d.Entry.clone()
	}
	return d
}

// EBSI issuer types (IssuerAttribute.issuerType).
const (
	ebsiRootTAO   = "RootTAO"
	ebsiTAO       = "TAO"
	ebsiTI        = "TI"
	ebsiRevoked   = "Revoked"
	ebsiUndefined = "Undefined"
)

func (r *EBSIRegistry) fetch(ctx context.Context, did string) (Decision, error) {
	u := r.base + "/v4/issuers/" + url.PathEscape(did)
	body, err := r.fetcher.Fetch(ctx, u)
	if err != nil {
		var fe *FetchError
		if errors.As(err, &fe) && fe.StatusCode == 404 {
			return Decision{Code: ReasonUnknownIssuer, Source: EBSIRegistryName,
				Reason: fmt.Sprintf("The issuer %q is not in the %s.", truncate(did), EBSIRegistryName)}, nil
		}
		return Decision{}, fmt.Errorf("%s: %w", EBSIRegistryName, err)
	}
	what := "EBSI issuer " + u
	m, err := parseRegistryJSON(body, what)
	if err != nil {
		return Decision{}, err
	}
	bad := func(ptr, format string, args ...any) (Decision, error) {
		return Decision{}, fmt.Errorf("%s: %w", what, regError(ptr, format, args...))
	}
	got, ok := m["did"].(string)
	if !ok || got != did {
		return bad("/did", "the response is not for %q", truncate(did))
	}
	var attrs []any
	if v, ok := m["attributes"]; ok {
		if attrs, ok = v.([]any); !ok {
			return bad("/attributes", "is %s, want an array", jsonx.Kind(v))
		}
	}
	var trusted, revoked []string // issuer types and accrediting TAOs, for the reason
	for i, av := range attrs {
		ptr := jsonx.AppendIndex("/attributes", i)
		am, ok := av.(map[string]any)
		if !ok {
			return bad(ptr, "is %s, want an object", jsonx.Kind(av))
		}
		var hash, b64body, typ, tao string
		for _, f := range []struct {
			k   string
			dst *string
		}{{"hash", &hash}, {"body", &b64body}, {"issuerType", &typ}, {"tao", &tao}} {
			s, err := optString(am, f.k, ptr)
			if err != nil {
				return bad(ptr, "%v", err)
			}
			*f.dst = s
		}
		if _, err := optString(am, "rootTao", ptr); err != nil {
			return bad(ptr, "%v", err)
		}
		if hash == "" || b64body == "" {
			return bad(ptr, "attribute needs \"hash\" and \"body\"")
		}
		if _, err := base64.StdEncoding.DecodeString(b64body); err != nil {
			if _, err2 := base64.RawURLEncoding.DecodeString(b64body); err2 != nil {
				return bad(ptr+"/body", "not base64: %v", err)
			}
		}
		desc := typ
		if tao != "" {
			desc += " accredited by " + tao
		}
		switch typ {
		case ebsiRootTAO, ebsiTAO, ebsiTI:
			trusted = append(trusted, desc)
		case ebsiRevoked:
			revoked = append(revoked, desc)
		case ebsiUndefined:
		case "":
			return bad(ptr+"/issuerType", "missing")
		default:
			return bad(ptr+"/issuerType", "unknown issuer type %q", truncate(typ))
		}
	}
	e := &RegistryEntry{ID: did, Status: StatusActive}
	d := Decision{Source: EBSIRegistryName, Entry: e}
	switch {
	case len(trusted) > 0:
		d.Trusted, d.Code = true, ReasonTrusted
		d.Reason = fmt.Sprintf("The issuer %q is trusted by the %s (%s).", truncate(did), EBSIRegistryName, strings.Join(trusted, "; "))
	case len(revoked) > 0:
		e.Status = StatusRevoked
		d.Code = ReasonRevoked
		d.Reason = fmt.Sprintf("The issuer %q is revoked in the %s (%s).", truncate(did), EBSIRegistryName, strings.Join(revoked, "; "))
	default:
		d.Code = ReasonNotAccredited
		d.Reason = fmt.Sprintf("The issuer %q is in the %s with no accreditation as a trusted issuer.", truncate(did), EBSIRegistryName)
	}
	return d, nil
}
