package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/subtle"
	"fmt"

	"github.com/microcred/microcred/internal/multibase"
)

// maxMultikeyLen bounds Multikey text before decoding; the largest key
// handled (a compressed P-521 point with its prefix) is ~95 characters.
const maxMultikeyLen = 256

// EncodeMultikey returns the Multikey publicKeyMultibase of pub: 'z' +
// base58btc(multicodec || key). Ed25519 keys give "z6Mk…", P-256 keys "zDn…"
// and P-384 keys "z82…" (EC points are compressed).
func EncodeMultikey(pub crypto.PublicKey) (string, error) {
	pub, err := checkPublicKey(pub)
	if err != nil {
		return "", err
	}
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return multibase.EncodeMultikey(multibase.Ed25519Pub, k), nil
	case *ecdsa.PublicKey:
		ci, _ := curveInfoFor(k.Curve)
		codec, ok := ecPubCodec[ci.crv]
		if !ok {
			return "", fmt.Errorf("%w: Multikey for %s", ErrUnsupportedKey, ci.crv)
		}
		c, err := ecCompressed(ci, k)
		if err != nil {
			return "", err
		}
		return multibase.EncodeMultikey(codec, c), nil
	}
	return "", fmt.Errorf("%w: Multikey for %T", ErrUnsupportedKey, pub)
}

var ecPubCodec = map[string]multibase.Codec{
	"P-256": multibase.P256Pub,
	"P-384": multibase.P384Pub,
	"P-521": multibase.P521Pub,
}

var ecPrivCodec = map[string]multibase.Codec{
	"P-256": multibase.P256Priv,
	"P-384": multibase.P384Priv,
}

// ParseMultikey decodes a Multikey publicKeyMultibase value (Ed25519,
// P-256, P-384 or P-521 public key) and validates the key.
func ParseMultikey(s string) (crypto.PublicKey, error) {
	if len(s) > maxMultikeyLen {
		return nil, fmt.Errorf("%w: Multikey is %d characters, limit %d", ErrInvalidKey, len(s), maxMultikeyLen)
	}
	codec, key, err := multibase.DecodeMultikey(s)
	if err != nil {
		return nil, fmt.Errorf("%w: Multikey: %w", ErrInvalidKey, err)
	}
	switch codec {
	case multibase.Ed25519Pub:
		if len(key) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Multikey ed25519-pub is %d bytes, want %d", ErrInvalidKey, len(key), ed25519.PublicKeySize)
		}
		return ed25519.PublicKey(key), nil
	case multibase.P256Pub, multibase.P384Pub, multibase.P521Pub:
		for crv, c := range ecPubCodec {
			if c == codec {
				ci, _ := curveInfoByName(crv)
				return ecPublicFromCompressed(ci, key)
			}
		}
	}
	return nil, fmt.Errorf("%w: Multikey codec %v", ErrUnsupportedKey, codec)
}

// EncodePrivateMultikey returns the Multikey secretKeyMultibase of priv: for
// Ed25519 the 32-byte seed under ed25519-priv ("z3u2…"), for P-256 and P-384
// the scalar under p256-priv / p384-priv ("z42…", "z2fa…").
func EncodePrivateMultikey(priv crypto.PrivateKey) (string, error) {
	switch k := priv.(type) {
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return "", fmt.Errorf("%w: ed25519 private key is %d bytes", ErrInvalidKey, len(k))
		}
		return multibase.EncodeMultikey(multibase.Ed25519Priv, k.Seed()), nil
	case *ecdsa.PrivateKey:
		ci, err := curveInfoFor(k.Curve)
		if err != nil {
			return "", err
		}
		codec, ok := ecPrivCodec[ci.crv]
		if !ok {
			return "", fmt.Errorf("%w: Multikey for %s private keys", ErrUnsupportedKey, ci.crv)
		}
		d, err := k.Bytes()
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrInvalidKey, err)
		}
		return multibase.EncodeMultikey(codec, d), nil
	}
	return "", fmt.Errorf("%w: Multikey for %T", ErrUnsupportedKey, priv)
}

// ParsePrivateMultikey decodes a Multikey secretKeyMultibase. For Ed25519 it
// accepts the 32-byte seed (the W3C form) and the 64-byte seed||public key
// that some implementations (and the OB 3.0 implementation guide) emit; in the
// latter case the public half must match the seed.
func ParsePrivateMultikey(s string) (crypto.Signer, error) {
	if len(s) > maxMultikeyLen {
		return nil, fmt.Errorf("%w: Multikey is %d characters, limit %d", ErrInvalidKey, len(s), maxMultikeyLen)
	}
	codec, key, err := multibase.DecodeMultikey(s)
	if err != nil {
		return nil, fmt.Errorf("%w: Multikey: %w", ErrInvalidKey, err)
	}
	switch codec {
	case multibase.Ed25519Priv:
		switch len(key) {
		case ed25519.SeedSize:
			return ed25519.NewKeyFromSeed(key), nil
		case ed25519.PrivateKeySize:
			priv := ed25519.NewKeyFromSeed(key[:ed25519.SeedSize])
			if subtle.ConstantTimeCompare(priv[ed25519.SeedSize:], key[ed25519.SeedSize:]) != 1 {
				return nil, fmt.Errorf("%w: ed25519-priv public half does not match the seed", ErrInvalidKey)
			}
			return priv, nil
		}
		return nil, fmt.Errorf("%w: Multikey ed25519-priv is %d bytes, want 32 or 64", ErrInvalidKey, len(key))
	case multibase.P256Priv, multibase.P384Priv:
		for crv, c := range ecPrivCodec {
			if c == codec {
				ci, _ := curveInfoByName(crv)
				return ecPrivateFromScalar(ci, key)
			}
		}
	}
	return nil, fmt.Errorf("%w: Multikey codec %v", ErrUnsupportedKey, codec)
}
