package badge

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/microcred/microcred/internal/jsonx"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/jwt"
)

// TypeEnvelopedVerifiableCredential is the type of a VCDM 2.0 enveloped
// credential (§4.13): a JSON object whose id is a data: URL holding the
// secured credential. The Verifier reads the ones holding a compact JWS
// (see EnvelopedMediaTypes).
const TypeEnvelopedVerifiableCredential = "EnvelopedVerifiableCredential"

// EnvelopedMediaTypes are the media types of the data: URL of an
// EnvelopedVerifiableCredential that the Verifier reads: each holds a
// compact JWS, written as it is (JWS compact serialization is already
// URL-safe, so ";base64" is refused).
var EnvelopedMediaTypes = []string{jwt.MediaTypeVCJWT, "application/jwt", "application/vc-ld+jwt"}

// envelopedToken returns the compact JWS in the data: URL id of an
// EnvelopedVerifiableCredential, and the URL's media type (when it could
// be read, also on error).
func envelopedToken(c *vc.Credential) ([]byte, string, error) {
	id, ok := c.Map()["id"].(string)
	if !ok {
		return nil, "", errors.New("/id: an EnvelopedVerifiableCredential needs a data: URL id")
	}
	if len(id) > jwt.MaxTokenBytes {
		return nil, "", fmt.Errorf("/id: the data URL is longer than %d bytes", jwt.MaxTokenBytes)
	}
	if len(id) < 5 || !strings.EqualFold(id[:5], "data:") {
		return nil, "", errors.New("/id: not a data: URL")
	}
	head, body, ok := strings.Cut(id[5:], ",")
	if !ok {
		return nil, "", errors.New("/id: malformed data: URL (no comma before the data)")
	}
	params := strings.Split(head, ";")
	mediaType := strings.ToLower(strings.TrimSpace(params[0]))
	known := false
	for _, mt := range EnvelopedMediaTypes {
		if mediaType == mt {
			known = true
		}
	}
	if !known {
		shown := mediaType
		if shown == "" {
			shown = "(none: text/plain)"
		}
		return nil, mediaType, fmt.Errorf("/id: media type %s is not supported (supported: %s)", shown, strings.Join(EnvelopedMediaTypes, ", "))
	}
	for _, p := range params[1:] {
		if strings.EqualFold(strings.TrimSpace(p), "base64") {
			return nil, mediaType, errors.New("/id: a base64 data: URL is not read: a compact JWS is written as it is")
		}
	}
	tok := body
	if strings.Contains(body, "%") {
		var err error
		if tok, err = url.PathUnescape(body); err != nil {
			return nil, mediaType, fmt.Errorf("/id: malformed data: URL: %w", err)
		}
	}
	tok = strings.TrimSpace(tok)
	if !isCompactJWS(tok) {
		return nil, mediaType, errors.New("/id: the data: URL does not hold a compact JWS (three base64url parts)")
	}
	return []byte(tok), mediaType, nil
}

// isCompactJWS reports whether s has the shape of a compact JWS: three
// parts of base64url characters, the first two not empty.
func isCompactJWS(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return false
	}
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			c := p[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// jsonStringToken decodes a JSON string (input that starts with a quote)
// holding a compact JWS.
func jsonStringToken(data []byte) ([]byte, error) {
	// The quotes are the only bytes a token needs around it (its
	// characters never need escaping).
	if len(data) > jwt.MaxTokenBytes+2 {
		return nil, fmt.Errorf("the JSON string is longer than %d bytes", jwt.MaxTokenBytes+2)
	}
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: jwt.MaxTokenBytes + 2})
	if err != nil {
		return nil, err
	}
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("found %s, want a JSON string holding a compact JWS", jsonx.Kind(v))
	}
	s = strings.TrimSpace(s)
	if !isCompactJWS(s) {
		return nil, errors.New("the JSON string does not hold a compact JWS")
	}
	return []byte(s), nil
}
