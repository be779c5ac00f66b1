package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
)

// Errors that classify key problems. They are wrapped with details; test them
// with errors.Is.
var (
	// ErrUnsupportedKey reports a key type, curve or encoding this package
	// does not handle.
	ErrUnsupportedKey = errors.New("unsupported key type")
	// ErrInvalidKey reports malformed key material: wrong length, a point not
	// on the curve, a private key that does not match its public half, …
	ErrInvalidKey = errors.New("invalid key")
)

// RSA modulus sizes accepted, in bits. Below 2048 is too weak (RFC 7518 §3.3);
// the upper bound keeps verification cost bounded on hostile keys.
const (
	MinRSABits = 2048
	MaxRSABits = 8192
)

// GenerateEd25519 creates an Ed25519 key pair from 32 bytes read from r (the
// seed). A nil r means crypto/rand. The result is deterministic in r, so a
// fixed reader gives a fixed key (useful in tests and examples only).
func GenerateEd25519(r io.Reader) (ed25519.PrivateKey, error) {
	if r == nil {
		r = rand.Reader
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := io.ReadFull(r, seed); err != nil {
		return nil, fmt.Errorf("generate ed25519 key: %w", err)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// Ed25519FromSeed returns the Ed25519 private key for a 32-byte RFC 8032 seed.
func Ed25519FromSeed(seed []byte) (ed25519.PrivateKey, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%w: ed25519 seed is %d bytes, want %d", ErrInvalidKey, len(seed), ed25519.SeedSize)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// GenerateECDSA creates an ECDSA key on curve (P-256, P-384 or P-521) with
// randomness from crypto/rand.
func GenerateECDSA(curve elliptic.Curve) (*ecdsa.PrivateKey, error) {
	if _, err := curveInfoFor(curve); err != nil {
		return nil, err
	}
	return ecdsa.GenerateKey(curve, rand.Reader)
}

// curveInfo describes an ECDSA curve supported here.
type curveInfo struct {
	curve elliptic.Curve
	crv   string    // JWK "crv"
	alg   Algorithm // JOSE algorithm
	size  int       // field / scalar size in bytes
	hash  crypto.Hash
}

var curves = []curveInfo{
	{elliptic.P256(), "P-256", ES256, 32, crypto.SHA256},
	{elliptic.P384(), "P-384", ES384, 48, crypto.SHA384},
	{elliptic.P521(), "P-521", ES512, 66, crypto.SHA512},
}

func curveInfoFor(c elliptic.Curve) (curveInfo, error) {
	if c != nil {
		for _, ci := range curves {
			if ci.curve == c {
				return ci, nil
			}
		}
		return curveInfo{}, fmt.Errorf("%w: elliptic curve %s", ErrUnsupportedKey, c.Params().Name)
	}
	return curveInfo{}, fmt.Errorf("%w: ECDSA key without a curve", ErrInvalidKey)
}

func curveInfoByName(crv string) (curveInfo, error) {
	for _, ci := range curves {
		if ci.crv == crv {
			return ci, nil
		}
	}
	return curveInfo{}, fmt.Errorf("%w: EC curve %q", ErrUnsupportedKey, crv)
}

// ecPublicFromXY builds a validated ECDSA public key from fixed-size
// big-endian coordinates.
func ecPublicFromXY(ci curveInfo, x, y []byte) (*ecdsa.PublicKey, error) {
	if len(x) != ci.size || len(y) != ci.size {
		return nil, fmt.Errorf("%w: %s coordinates are %d and %d bytes, want %d", ErrInvalidKey, ci.crv, len(x), len(y), ci.size)
	}
	buf := make([]byte, 1+2*ci.size)
	buf[0] = 4
	copy(buf[1:], x)
	copy(buf[1+ci.size:], y)
	pub, err := ecdsa.ParseUncompressedPublicKey(ci.curve, buf)
	if err != nil {
		return nil, fmt.Errorf("%w: %s point: %v", ErrInvalidKey, ci.crv, err)
	}
	return pub, nil
}

// ecPublicFromCompressed decodes a SEC1 compressed point.
func ecPublicFromCompressed(ci curveInfo, b []byte) (*ecdsa.PublicKey, error) {
	if len(b) != 1+ci.size {
		return nil, fmt.Errorf("%w: compressed %s point is %d bytes, want %d", ErrInvalidKey, ci.crv, len(b), 1+ci.size)
	}
	x, y := elliptic.UnmarshalCompressed(ci.curve, b)
	if x == nil {
		return nil, fmt.Errorf("%w: compressed %s point is not on the curve", ErrInvalidKey, ci.crv)
	}
	return ecPublicFromXY(ci, x.FillBytes(make([]byte, ci.size)), y.FillBytes(make([]byte, ci.size)))
}

// ecUncompressed returns the fixed-size x and y of pub.
func ecXY(ci curveInfo, pub *ecdsa.PublicKey) (x, y []byte, err error) {
	b, err := pub.Bytes()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrInvalidKey, err)
	}
	return b[1 : 1+ci.size], b[1+ci.size:], nil
}

// ecCompressed returns the SEC1 compressed form of pub.
func ecCompressed(ci curveInfo, pub *ecdsa.PublicKey) ([]byte, error) {
	x, y, err := ecXY(ci, pub)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+ci.size)
	out[0] = 2 | y[len(y)-1]&1
	copy(out[1:], x)
	return out, nil
}

// ecPrivateFromScalar builds an ECDSA private key from a fixed-size scalar.
func ecPrivateFromScalar(ci curveInfo, d []byte) (*ecdsa.PrivateKey, error) {
	if len(d) != ci.size {
		return nil, fmt.Errorf("%w: %s private scalar is %d bytes, want %d", ErrInvalidKey, ci.crv, len(d), ci.size)
	}
	priv, err := ecdsa.ParseRawPrivateKey(ci.curve, d)
	if err != nil {
		return nil, fmt.Errorf("%w: %s private scalar: %v", ErrInvalidKey, ci.crv, err)
	}
	return priv, nil
}

// checkRSA validates an RSA public key's size and exponent.
func checkRSA(pub *rsa.PublicKey) error {
	if pub == nil || pub.N == nil {
		return fmt.Errorf("%w: RSA key without a modulus", ErrInvalidKey)
	}
	if bits := pub.N.BitLen(); bits < MinRSABits || bits > MaxRSABits {
		return fmt.Errorf("%w: RSA modulus is %d bits, want %d to %d", ErrInvalidKey, bits, MinRSABits, MaxRSABits)
	}
	if pub.E < 3 || pub.E&1 == 0 || pub.E > 1<<31-1 {
		return fmt.Errorf("%w: RSA public exponent %d", ErrInvalidKey, pub.E)
	}
	if pub.N.Bit(0) == 0 {
		return fmt.Errorf("%w: RSA modulus is even", ErrInvalidKey)
	}
	return nil
}

// checkPublicKey validates a public key of a supported type and returns it in
// canonical form (pointer types for ECDSA and RSA).
func checkPublicKey(pub crypto.PublicKey) (crypto.PublicKey, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: ed25519 public key is %d bytes, want %d", ErrInvalidKey, len(k), ed25519.PublicKeySize)
		}
		return k, nil
	case *ecdsa.PublicKey:
		if k == nil {
			return nil, fmt.Errorf("%w: nil ECDSA key", ErrInvalidKey)
		}
		if _, err := curveInfoFor(k.Curve); err != nil {
			return nil, err
		}
		return k, nil
	case *rsa.PublicKey:
		if err := checkRSA(k); err != nil {
			return nil, err
		}
		return k, nil
	case ecdsa.PublicKey:
		return checkPublicKey(&k)
	case rsa.PublicKey:
		return checkPublicKey(&k)
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
}

// PublicKeysEqual reports whether a and b are the same supported public key.
func PublicKeysEqual(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	ea, ok := a.(equaler)
	return ok && ea.Equal(b)
}
