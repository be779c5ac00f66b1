package keys

import (
	"crypto"
	"encoding/json"
	"fmt"
	"strings"
)

// maxDIDJWKLen bounds a did:jwk before decoding (an 8192-bit RSA JWK is ~2 KB
// of base64url).
const maxDIDJWKLen = 16 << 10

// DIDKey returns the did:key DID of pub ("did:key:z6Mk…" for Ed25519,
// "did:key:zDn…" for P-256). Its one verification method is DIDKeyURL(pub).
func DIDKey(pub crypto.PublicKey) (string, error) {
	mk, err := EncodeMultikey(pub)
	if err != nil {
		return "", err
	}
	return "did:key:" + mk, nil
}

// DIDKeyURL returns the verification method URL of pub under did:key:
// "did:key:z6Mk…#z6Mk…".
func DIDKeyURL(pub crypto.PublicKey) (string, error) {
	mk, err := EncodeMultikey(pub)
	if err != nil {
		return "", err
	}
	return "did:key:" + mk + "#" + mk, nil
}

// ParseDIDKey decodes a did:key DID, or its verification method URL
// ("did:key:X#X"), and returns the public key and the DID. A fragment other
// than the multibase value itself is an error.
func ParseDIDKey(s string) (crypto.PublicKey, string, error) {
	rest, ok := strings.CutPrefix(s, "did:key:")
	if !ok {
		return nil, "", fmt.Errorf("%w: %q is not a did:key", ErrInvalidKey, truncate(s))
	}
	mk, frag, hasFrag := strings.Cut(rest, "#")
	if hasFrag && frag != mk {
		return nil, "", fmt.Errorf("%w: did:key fragment %q does not match the key", ErrNotFound, truncate(frag))
	}
	if strings.ContainsAny(mk, "?/:") {
		return nil, "", fmt.Errorf("%w: did:key with a path, query or version is not supported", ErrInvalidKey)
	}
	if !strings.HasPrefix(mk, "z") {
		return nil, "", fmt.Errorf("%w: did:key method-specific id must start with 'z'", ErrInvalidKey)
	}
	pub, err := ParseMultikey(mk)
	if err != nil {
		return nil, "", fmt.Errorf("did:key: %w", err)
	}
	return pub, "did:key:" + mk, nil
}

// DIDJWK returns the did:jwk DID of pub: "did:jwk:" + base64url of the JWK's
// required public members in lexicographic order (the RFC 7638 form), so one
// key always gives the same DID. Its verification method is DID + "#0".
func DIDJWK(pub crypto.PublicKey) (string, error) {
	b, err := canonicalPublicJSON(pub)
	if err != nil {
		return "", err
	}
	return "did:jwk:" + b64.EncodeToString(b), nil
}

// ParseDIDJWK decodes a did:jwk DID, or its verification method URL
// ("did:jwk:…#0"), and returns the JWK, its validated public key and the DID.
// A JWK with private members is rejected, as the did:jwk spec requires.
func ParseDIDJWK(s string) (*JWK, crypto.PublicKey, string, error) {
	if len(s) > maxDIDJWKLen {
		return nil, nil, "", fmt.Errorf("%w: did:jwk is %d characters, limit %d", ErrInvalidKey, len(s), maxDIDJWKLen)
	}
	rest, ok := strings.CutPrefix(s, "did:jwk:")
	if !ok {
		return nil, nil, "", fmt.Errorf("%w: %q is not a did:jwk", ErrInvalidKey, truncate(s))
	}
	enc, frag, hasFrag := strings.Cut(rest, "#")
	if hasFrag && frag != "0" {
		return nil, nil, "", fmt.Errorf("%w: did:jwk fragment %q, want \"0\"", ErrNotFound, truncate(frag))
	}
	raw, err := decodeB64(enc)
	if err != nil {
		return nil, nil, "", fmt.Errorf("%w: did:jwk is not base64url without padding: %v", ErrInvalidKey, err)
	}
	m, err := jsonObject(raw, "did:jwk JWK")
	if err != nil {
		return nil, nil, "", fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	j, err := jwkFromMap(m, "")
	if err != nil {
		return nil, nil, "", fmt.Errorf("did:jwk: %w", err)
	}
	if j.IsPrivate() {
		return nil, nil, "", fmt.Errorf("%w: did:jwk JWK contains private key members", ErrInvalidKey)
	}
	pub, err := j.PublicKey()
	if err != nil {
		return nil, nil, "", fmt.Errorf("did:jwk: %w", err)
	}
	return j, pub, "did:jwk:" + enc, nil
}

// truncate shortens untrusted text quoted in error messages.
func truncate(s string) string {
	const n = 80
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// marshalIndent renders v as indented JSON with a trailing newline.
func marshalIndent(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
