package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// JWK is a JSON Web Key (RFC 7517) for the key types this package supports:
// "OKP" with crv "Ed25519" (RFC 8037), "EC" with crv "P-256", "P-384" or
// "P-521", and "RSA". Binary members hold base64url text without padding, as
// on the wire. Unknown members are ignored when parsing.
type JWK struct {
	Kty string `json:"kty"`
	Use string `json:"use,omitempty"`
	Alg string `json:"alg,omitempty"`
	Kid string `json:"kid,omitempty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	// Private members.
	D  string `json:"d,omitempty"`
	P  string `json:"p,omitempty"`
	Q  string `json:"q,omitempty"`
	DP string `json:"dp,omitempty"`
	DQ string `json:"dq,omitempty"`
	QI string `json:"qi,omitempty"`
}

// b64 is strict base64url without padding (RFC 7515 §2). Decode with
// decodeB64, which also rejects the line breaks encoding/base64 skips.
var b64 = base64.RawURLEncoding.Strict()

// decodeB64 decodes canonical base64url text: no padding, no stray bits, no
// line breaks, so that one byte string has exactly one accepted text.
func decodeB64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("line break in base64url text")
	}
	return b64.DecodeString(s)
}

// IsPrivate reports whether j carries private key material.
func (j *JWK) IsPrivate() bool {
	return j.D != "" || j.P != "" || j.Q != "" || j.DP != "" || j.DQ != "" || j.QI != ""
}

// PublicOnly returns a copy of j without private members.
func (j *JWK) PublicOnly() *JWK {
	c := *j
	c.D, c.P, c.Q, c.DP, c.DQ, c.QI = "", "", "", "", "", ""
	return &c
}

// PublicJWK returns the JWK of a public key (ed25519.PublicKey,
// *ecdsa.PublicKey or *rsa.PublicKey).
func PublicJWK(pub crypto.PublicKey) (*JWK, error) {
	pub, err := checkPublicKey(pub)
	if err != nil {
		return nil, err
	}
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return &JWK{Kty: "OKP", Crv: "Ed25519", X: b64.EncodeToString(k)}, nil
	case *ecdsa.PublicKey:
		ci, _ := curveInfoFor(k.Curve)
		x, y, err := ecXY(ci, k)
		if err != nil {
			return nil, err
		}
		return &JWK{Kty: "EC", Crv: ci.crv, X: b64.EncodeToString(x), Y: b64.EncodeToString(y)}, nil
	case *rsa.PublicKey:
		return &JWK{Kty: "RSA", N: b64.EncodeToString(k.N.Bytes()), E: b64.EncodeToString(big.NewInt(int64(k.E)).Bytes())}, nil
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
}

// PrivateJWK returns the JWK, private members included, of a private key
// (ed25519.PrivateKey, *ecdsa.PrivateKey or *rsa.PrivateKey).
func PrivateJWK(priv crypto.PrivateKey) (*JWK, error) {
	switch k := priv.(type) {
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("%w: ed25519 private key is %d bytes, want %d", ErrInvalidKey, len(k), ed25519.PrivateKeySize)
		}
		j, err := PublicJWK(k.Public())
		if err != nil {
			return nil, err
		}
		j.D = b64.EncodeToString(k.Seed())
		return j, nil
	case *ecdsa.PrivateKey:
		j, err := PublicJWK(&k.PublicKey)
		if err != nil {
			return nil, err
		}
		d, err := k.Bytes()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidKey, err)
		}
		j.D = b64.EncodeToString(d)
		return j, nil
	case *rsa.PrivateKey:
		if len(k.Primes) != 2 {
			return nil, fmt.Errorf("%w: multi-prime RSA keys", ErrUnsupportedKey)
		}
		j, err := PublicJWK(&k.PublicKey)
		if err != nil {
			return nil, err
		}
		k.Precompute()
		j.D = b64.EncodeToString(k.D.Bytes())
		j.P = b64.EncodeToString(k.Primes[0].Bytes())
		j.Q = b64.EncodeToString(k.Primes[1].Bytes())
		j.DP = b64.EncodeToString(k.Precomputed.Dp.Bytes())
		j.DQ = b64.EncodeToString(k.Precomputed.Dq.Bytes())
		j.QI = b64.EncodeToString(k.Precomputed.Qinv.Bytes())
		return j, nil
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, priv)
}

// ParseJWK parses one JWK. The JSON is bounded (MaxDocumentBytes, MaxDepth)
// and duplicate members are rejected; the key itself is checked by PublicKey
// or PrivateKey, not here, except that members must be strings.
func ParseJWK(data []byte) (*JWK, error) {
	m, err := jsonObject(data, "JWK")
	if err != nil {
		return nil, err
	}
	return jwkFromMap(m, "")
}

// jwkFromMap reads the members of a parsed JWK object found at JSON pointer ptr.
func jwkFromMap(m map[string]any, ptr string) (*JWK, error) {
	var j JWK
	fields := []struct {
		name string
		dst  *string
	}{
		{"kty", &j.Kty}, {"use", &j.Use}, {"alg", &j.Alg}, {"kid", &j.Kid}, {"crv", &j.Crv},
		{"x", &j.X}, {"y", &j.Y}, {"n", &j.N}, {"e", &j.E},
		{"d", &j.D}, {"p", &j.P}, {"q", &j.Q}, {"dp", &j.DP}, {"dq", &j.DQ}, {"qi", &j.QI},
	}
	for _, f := range fields {
		s, err := optString(m, f.name, ptr)
		if err != nil {
			return nil, fmt.Errorf("%w: JWK: %v", ErrInvalidKey, err)
		}
		*f.dst = s
	}
	if j.Kty == "" {
		return nil, fmt.Errorf("%w: JWK at %s has no \"kty\"", ErrInvalidKey, pointerOrRoot(ptr))
	}
	return &j, nil
}

func pointerOrRoot(ptr string) string {
	if ptr == "" {
		return "/"
	}
	return ptr
}

// MarshalJSON encodes j with its members in a fixed order.
func (j *JWK) MarshalJSON() ([]byte, error) {
	type plain JWK // no MarshalJSON method: avoids recursion
	return json.Marshal((*plain)(j))
}

// member decodes a base64url member, naming it in errors.
func member(name, v string) ([]byte, error) {
	if v == "" {
		return nil, fmt.Errorf("%w: JWK member %q is missing", ErrInvalidKey, name)
	}
	b, err := decodeB64(v)
	if err != nil {
		return nil, fmt.Errorf("%w: JWK member %q is not base64url without padding: %v", ErrInvalidKey, name, err)
	}
	return b, nil
}

// PublicKey returns the public key that j describes, fully validated: the
// Ed25519 key is 32 bytes, the EC point is on its curve with full-length
// coordinates, the RSA modulus is between MinRSABits and MaxRSABits. Private
// members, if any, are ignored (see PrivateKey).
func (j *JWK) PublicKey() (crypto.PublicKey, error) {
	switch j.Kty {
	case "OKP":
		if j.Crv != "Ed25519" {
			return nil, fmt.Errorf("%w: OKP curve %q", ErrUnsupportedKey, j.Crv)
		}
		x, err := member("x", j.X)
		if err != nil {
			return nil, err
		}
		if len(x) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 \"x\" is %d bytes, want %d", ErrInvalidKey, len(x), ed25519.PublicKeySize)
		}
		return ed25519.PublicKey(x), nil
	case "EC":
		ci, err := curveInfoByName(j.Crv)
		if err != nil {
			return nil, err
		}
		x, err := member("x", j.X)
		if err != nil {
			return nil, err
		}
		y, err := member("y", j.Y)
		if err != nil {
			return nil, err
		}
		return ecPublicFromXY(ci, x, y)
	case "RSA":
		n, err := member("n", j.N)
		if err != nil {
			return nil, err
		}
		e, err := member("e", j.E)
		if err != nil {
			return nil, err
		}
		if len(n) > MaxRSABits/8+1 || n[0] == 0 {
			return nil, fmt.Errorf("%w: RSA \"n\" has %d bytes or a leading zero", ErrInvalidKey, len(n))
		}
		if len(e) > 4 || e[0] == 0 {
			return nil, fmt.Errorf("%w: RSA \"e\" has %d bytes or a leading zero", ErrInvalidKey, len(e))
		}
		var ev int
		for _, b := range e {
			ev = ev<<8 | int(b)
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: ev}
		if err := checkRSA(pub); err != nil {
			return nil, err
		}
		return pub, nil
	case "":
		return nil, fmt.Errorf("%w: JWK has no \"kty\"", ErrInvalidKey)
	}
	return nil, fmt.Errorf("%w: JWK kty %q", ErrUnsupportedKey, j.Kty)
}

// PrivateKey returns the private key in j as a crypto.Signer
// (ed25519.PrivateKey, *ecdsa.PrivateKey or *rsa.PrivateKey). The public
// members must match the private ones.
func (j *JWK) PrivateKey() (crypto.Signer, error) {
	pub, err := j.PublicKey()
	if err != nil {
		return nil, err
	}
	if j.D == "" {
		return nil, fmt.Errorf("%w: JWK has no private member \"d\"", ErrInvalidKey)
	}
	d, err := member("d", j.D)
	if err != nil {
		return nil, err
	}
	switch k := pub.(type) {
	case ed25519.PublicKey:
		priv, err := Ed25519FromSeed(d)
		if err != nil {
			return nil, err
		}
		if subtle.ConstantTimeCompare(priv.Public().(ed25519.PublicKey), k) != 1 {
			return nil, fmt.Errorf("%w: Ed25519 \"d\" does not match \"x\"", ErrInvalidKey)
		}
		return priv, nil
	case *ecdsa.PublicKey:
		ci, _ := curveInfoFor(k.Curve)
		priv, err := ecPrivateFromScalar(ci, d)
		if err != nil {
			return nil, err
		}
		if !priv.PublicKey.Equal(k) {
			return nil, fmt.Errorf("%w: %s \"d\" does not match \"x\"/\"y\"", ErrInvalidKey, ci.crv)
		}
		return priv, nil
	case *rsa.PublicKey:
		p, err := member("p", j.P)
		if err != nil {
			return nil, err
		}
		q, err := member("q", j.Q)
		if err != nil {
			return nil, err
		}
		priv := &rsa.PrivateKey{
			PublicKey: *k,
			D:         new(big.Int).SetBytes(d),
			Primes:    []*big.Int{new(big.Int).SetBytes(p), new(big.Int).SetBytes(q)},
		}
		if err := priv.Validate(); err != nil {
			return nil, fmt.Errorf("%w: RSA private key: %v", ErrInvalidKey, err)
		}
		priv.Precompute()
		return priv, nil
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
}

// Thumbprint returns the RFC 7638 JWK thumbprint of j: base64url (no
// padding) of the SHA-256 of the required public members, in lexicographic
// order, without whitespace. The key is validated first.
func (j *JWK) Thumbprint() (string, error) {
	pub, err := j.PublicKey()
	if err != nil {
		return "", err
	}
	return Thumbprint(pub)
}

// Thumbprint returns the RFC 7638 SHA-256 JWK thumbprint of a public key.
func Thumbprint(pub crypto.PublicKey) (string, error) {
	b, err := canonicalPublicJSON(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return b64.EncodeToString(sum[:]), nil
}

// canonicalPublicJSON returns the required public members of the JWK for pub
// in lexicographic order without whitespace: the RFC 7638 thumbprint input.
// DIDJWK uses it too, so that one key gives one DID.
func canonicalPublicJSON(pub crypto.PublicKey) ([]byte, error) {
	j, err := PublicJWK(pub)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	switch j.Kty {
	case "OKP":
		fmt.Fprintf(&buf, `{"crv":%q,"kty":"OKP","x":%q}`, j.Crv, j.X)
	case "EC":
		fmt.Fprintf(&buf, `{"crv":%q,"kty":"EC","x":%q,"y":%q}`, j.Crv, j.X, j.Y)
	case "RSA":
		fmt.Fprintf(&buf, `{"e":%q,"kty":"RSA","n":%q}`, j.E, j.N)
	}
	return buf.Bytes(), nil
}
