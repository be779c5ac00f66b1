package keys

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

// Algorithm is a JOSE signature algorithm name (RFC 7518, RFC 8037). The
// same names describe the raw signatures Data Integrity suites use: EdDSA for
// eddsa-rdfc-2022, ES256/ES384 for ecdsa-rdfc-2019.
type Algorithm string

// The algorithms this package signs and verifies.
const (
	EdDSA Algorithm = "EdDSA" // pure Ed25519 (RFC 8032), no prehash
	ES256 Algorithm = "ES256" // ECDSA P-256 + SHA-256, signature r||s (64 bytes)
	ES384 Algorithm = "ES384" // ECDSA P-384 + SHA-384, signature r||s (96 bytes)
	ES512 Algorithm = "ES512" // ECDSA P-521 + SHA-512, signature r||s (132 bytes)
	RS256 Algorithm = "RS256" // RSASSA-PKCS1-v1_5 + SHA-256
)

// ErrSignature is wrapped by VerifyMessage when a signature does not verify.
var ErrSignature = errors.New("signature verification failed")

// ErrAlgorithm reports an algorithm that is unknown or does not fit the key.
var ErrAlgorithm = errors.New("algorithm not allowed for key")

// Signer signs messages for Data Integrity proofs and JWTs. It is the only
// thing issuing code needs from a key: the message goes in whole (the signer
// hashes as Algorithm requires) and the signature comes out in the JOSE form
// (raw Ed25519, r||s for ECDSA, PKCS#1 v1.5 for RSA), which is also the form
// Data Integrity proofs encode.
//
// Implementations backed by a KMS or HSM may do I/O, hence the context.
type Signer interface {
	// Public returns the public key.
	Public() crypto.PublicKey
	// Algorithm returns the signature algorithm SignMessage uses.
	Algorithm() Algorithm
	// VerificationMethod returns the URL (DID URL or HTTPS URL) that
	// identifies the public key in proofs and as a JWT "kid"; it may be
	// empty when the caller has not said.
	VerificationMethod() string
	// SignMessage signs message.
	SignMessage(ctx context.Context, message []byte) ([]byte, error)
}

// KeySigner is the Signer for an in-process crypto.Signer such as
// ed25519.PrivateKey, *ecdsa.PrivateKey or *rsa.PrivateKey.
type KeySigner struct {
	key crypto.Signer
	alg Algorithm
	vm  string
}

var _ Signer = (*KeySigner)(nil)

// NewSigner returns a Signer for key, identified by verification method vm
// (may be empty). The algorithm follows from the key: EdDSA for Ed25519,
// ES256/ES384/ES512 for P-256/P-384/P-521 and RS256 for RSA.
func NewSigner(key crypto.Signer, vm string) (*KeySigner, error) {
	if key == nil {
		return nil, fmt.Errorf("%w: nil signer", ErrInvalidKey)
	}
	alg, err := AlgorithmFor(key.Public())
	if err != nil {
		return nil, err
	}
	return &KeySigner{key: key, alg: alg, vm: vm}, nil
}

// Public implements Signer.
func (s *KeySigner) Public() crypto.PublicKey { return s.key.Public() }

// Algorithm implements Signer.
func (s *KeySigner) Algorithm() Algorithm { return s.alg }

// VerificationMethod implements Signer.
func (s *KeySigner) VerificationMethod() string { return s.vm }

// Key returns the underlying crypto.Signer.
func (s *KeySigner) Key() crypto.Signer { return s.key }

// WithVerificationMethod returns a copy of s identified by vm.
func (s *KeySigner) WithVerificationMethod(vm string) *KeySigner {
	c := *s
	c.vm = vm
	return &c
}

// SignMessage implements Signer. Ed25519 signs message itself (pure EdDSA);
// the other algorithms sign its hash.
func (s *KeySigner) SignMessage(ctx context.Context, message []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch s.alg {
	case EdDSA:
		return s.key.Sign(rand.Reader, message, crypto.Hash(0))
	case ES256, ES384, ES512:
		pub, ok := s.key.Public().(*ecdsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("%w: %s signer has a %T key", ErrAlgorithm, s.alg, s.key.Public())
		}
		ci, err := curveInfoFor(pub.Curve)
		if err != nil {
			return nil, err
		}
		h := ci.hash.New()
		h.Write(message)
		der, err := s.key.Sign(rand.Reader, h.Sum(nil), ci.hash)
		if err != nil {
			return nil, err
		}
		var sig struct{ R, S *big.Int }
		if rest, err := asn1.Unmarshal(der, &sig); err != nil || len(rest) != 0 {
			return nil, fmt.Errorf("ecdsa signer returned a malformed ASN.1 signature")
		}
		out := make([]byte, 2*ci.size)
		sig.R.FillBytes(out[:ci.size])
		sig.S.FillBytes(out[ci.size:])
		return out, nil
	case RS256:
		h := crypto.SHA256.New()
		h.Write(message)
		return s.key.Sign(rand.Reader, h.Sum(nil), crypto.SHA256)
	}
	return nil, fmt.Errorf("%w: %q", ErrAlgorithm, s.alg)
}

// AlgorithmFor returns the default signature algorithm for a public key.
func AlgorithmFor(pub crypto.PublicKey) (Algorithm, error) {
	pub, err := checkPublicKey(pub)
	if err != nil {
		return "", err
	}
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return EdDSA, nil
	case *ecdsa.PublicKey:
		ci, err := curveInfoFor(k.Curve)
		if err != nil {
			return "", err
		}
		return ci.alg, nil
	case *rsa.PublicKey:
		return RS256, nil
	}
	return "", fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
}

// VerifyMessage checks sig over message with pub under alg, the counterpart
// of Signer.SignMessage. alg must be the verifier's choice and must fit the
// key (EdDSA needs Ed25519, ES256 needs P-256, …); a mismatch is ErrAlgorithm.
// A bad signature is ErrSignature.
func VerifyMessage(pub crypto.PublicKey, alg Algorithm, message, sig []byte) error {
	want, err := AlgorithmFor(pub)
	if err != nil {
		return err
	}
	if alg != want {
		return fmt.Errorf("%w: %q with a key for %q", ErrAlgorithm, alg, want)
	}
	pub, _ = checkPublicKey(pub)
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if !ed25519.Verify(k, message, sig) {
			return fmt.Errorf("%w: %s", ErrSignature, alg)
		}
		return nil
	case *ecdsa.PublicKey:
		ci, _ := curveInfoFor(k.Curve)
		if len(sig) != 2*ci.size {
			return fmt.Errorf("%w: %s signature is %d bytes, want %d", ErrSignature, alg, len(sig), 2*ci.size)
		}
		h := ci.hash.New()
		h.Write(message)
		r := new(big.Int).SetBytes(sig[:ci.size])
		s := new(big.Int).SetBytes(sig[ci.size:])
		if !ecdsa.Verify(k, h.Sum(nil), r, s) {
			return fmt.Errorf("%w: %s", ErrSignature, alg)
		}
		return nil
	case *rsa.PublicKey:
		h := crypto.SHA256.New()
		h.Write(message)
		if err := rsa.VerifyPKCS1v15(k, crypto.SHA256, h.Sum(nil), sig); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrSignature, alg, err)
		}
		return nil
	}
	return fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
}
