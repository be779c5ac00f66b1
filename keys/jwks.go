package keys

import (
	"github.com/microcred/microcred/internal/jsonx"

	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// JWKSURL returns the JWK Set URL conventionally published for an HTTPS
// issuer: its origin + "/.well-known/jwks.json".
func JWKSURL(issuer string) (string, error) {
	u, err := url.Parse(issuer)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("%w: issuer %q is not an https URL", ErrInvalidURL, truncate(issuer))
	}
	return "https://" + u.Host + "/.well-known/jwks.json", nil
}

// JWKSResolver finds a key by "kid" in an HTTPS issuer's JWK Set
// (JWKSURL). The key's controller is taken to be the issuer, because the set
// is served from the issuer's own origin. A nil Fetcher fails with
// ErrNetworkDisabled.
type JWKSResolver struct {
	Fetcher Fetcher
}

// ResolveKID fetches the issuer's JWK Set and returns the key whose "kid"
// equals kid. The key must be the only one with that kid, and its "use", if
// set, must be "sig". The result has type JsonWebKey, ID kid, Controller
// issuer, and the assertionMethod and authentication relationships.
func (r *JWKSResolver) ResolveKID(ctx context.Context, issuer, kid string) (*VerificationMethod, error) {
	jwksURL, err := JWKSURL(issuer)
	if err != nil {
		return nil, resolutionError(kid, "", err)
	}
	if kid == "" {
		return nil, resolutionError(kid, jwksURL, fmt.Errorf("%w: empty kid", ErrNotFound))
	}
	if r == nil || r.Fetcher == nil {
		return nil, resolutionError(kid, jwksURL, ErrNetworkDisabled)
	}
	body, err := r.Fetcher.Fetch(ctx, jwksURL)
	if err != nil {
		return nil, resolutionError(kid, jwksURL, err)
	}
	j, err := FindJWK(body, kid)
	if err != nil {
		return nil, resolutionError(kid, jwksURL, err)
	}
	pub, err := j.PublicKey()
	if err != nil {
		return nil, resolutionError(kid, jwksURL, err)
	}
	return &VerificationMethod{
		ID:            kid,
		Type:          TypeJSONWebKey,
		Controller:    issuer,
		PublicKey:     pub,
		JWK:           j,
		Relationships: []Relationship{Authentication, AssertionMethod},
	}, nil
}

// FindJWK parses a JWK Set (RFC 7517 §5) and returns the one key whose
// "kid" is kid. Keys with private members make the whole set invalid; a
// key whose "use" is not "sig" is not returned; two keys with the kid are
// an error.
func FindJWK(set []byte, kid string) (*JWK, error) {
	m, err := jsonObject(set, "JWK set")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	v, ok := m["keys"]
	arr, isArr := v.([]any)
	if !ok || !isArr {
		return nil, fmt.Errorf("%w: JWK set has no \"keys\" array", ErrInvalidDocument)
	}
	var found *JWK
	for i, e := range arr {
		ptr := "/keys/" + strconv.Itoa(i)
		obj, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: %s is %s, want an object", ErrInvalidDocument, ptr, jsonx.Kind(e))
		}
		j, err := jwkFromMap(obj, ptr)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidDocument, err)
		}
		if j.IsPrivate() {
			return nil, fmt.Errorf("%w: %s contains private key members", ErrInvalidDocument, ptr)
		}
		if j.Kid != kid {
			continue
		}
		if found != nil {
			return nil, fmt.Errorf("%w: more than one key has kid %q", ErrInvalidDocument, truncate(kid))
		}
		if j.Use != "" && j.Use != "sig" {
			return nil, fmt.Errorf("%w: key %q has use %q, not \"sig\"", ErrNotFound, truncate(kid), truncate(j.Use))
		}
		found = j
	}
	if found == nil {
		return nil, fmt.Errorf("%w: no key with kid %q in the JWK set", ErrNotFound, truncate(kid))
	}
	return found, nil
}

// KIDResolver resolves the "kid" header of a JWT (VC-JWT, OB 3.0 §8.2) to a
// verification method, given the token's issuer:
//
//   - a kid that is a DID URL or an absolute URL is resolved by Resolver;
//   - a kid starting with "#" is appended to the issuer and resolved;
//   - an empty kid resolves a did:key or did:jwk issuer (one key only);
//   - any other kid is looked up in the issuer's JWK Set via JWKS (for an
//     HTTPS issuer), or appended as a fragment to a DID issuer.
//
// The caller still checks that the method's controller is the issuer.
type KIDResolver struct {
	Resolver Resolver
	JWKS     *JWKSResolver // nil: bare kids of HTTPS issuers are not resolved
}

// ResolveKID resolves kid for a token issued by issuer.
func (k *KIDResolver) ResolveKID(ctx context.Context, issuer, kid string) (*VerificationMethod, error) {
	if k.Resolver == nil {
		return nil, resolutionError(kid, "", fmt.Errorf("%w: no resolver configured", ErrUnsupportedMethod))
	}
	isDID := strings.HasPrefix(issuer, "did:")
	switch {
	case kid == "":
		if strings.HasPrefix(issuer, "did:key:") || strings.HasPrefix(issuer, "did:jwk:") {
			return k.Resolver.Resolve(ctx, issuer)
		}
		return nil, resolutionError(kid, "", fmt.Errorf("%w: token has no kid and issuer %q has more than one possible key", ErrNotFound, truncate(issuer)))
	case strings.HasPrefix(kid, "did:"), strings.Contains(kid, "://"):
		return k.Resolver.Resolve(ctx, kid)
	case strings.HasPrefix(kid, "#"):
		return k.Resolver.Resolve(ctx, issuer+kid)
	case isDID:
		return k.Resolver.Resolve(ctx, issuer+"#"+kid)
	case k.JWKS != nil:
		return k.JWKS.ResolveKID(ctx, issuer, kid)
	}
	return nil, resolutionError(kid, "", fmt.Errorf("%w: bare kid for a non-DID issuer and no JWK set resolver", ErrUnsupportedMethod))
}
