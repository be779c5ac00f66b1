package jwt

import (
	"errors"
	"strings"
)

// Kinds of failure. Every error Open and Seal return is an *Error whose Kind
// is one of these; test with errors.Is (an *Error matches its Kind and its
// cause).
var (
	// ErrTooLarge: the token is longer than MaxTokenBytes.
	ErrTooLarge = errors.New("token too large")
	// ErrMalformed: not a compact JWS (three base64url parts, a JSON
	// object header with a string alg), or a registered claim of the wrong
	// JSON type.
	ErrMalformed = errors.New("malformed token")
	// ErrAlgorithm: the header's alg is not on the verifier's allow-list
	// ("none" and HMAC never are), or does not fit the key.
	ErrAlgorithm = errors.New("algorithm not allowed")
	// ErrCritical: the header has a "crit" member. This package implements
	// no JWS extension, so every critical extension is unknown to it.
	ErrCritical = errors.New("unsupported critical header")
	// ErrMediaType: typ (or, for VC-JOSE, cty) is not one this package
	// reads.
	ErrMediaType = errors.New("unsupported media type")
	// ErrPrivateKey: the header jwk carries private key material.
	ErrPrivateKey = errors.New("header jwk contains private key material")
	// ErrNoKey: the token names no key (no kid, no jwk) and its issuer is
	// not a DID that has a single key.
	ErrNoKey = errors.New("no verification key")
	// ErrKeyResolution: the kid could not be resolved (the cause is a
	// keys.ResolutionError).
	ErrKeyResolution = errors.New("key resolution failed")
	// ErrKeyNotIssuer: the resolved key is not controlled by the issuer,
	// is not listed under assertionMethod, or disagrees with the header
	// jwk or with the alg its JWK declares.
	ErrKeyNotIssuer = errors.New("key does not belong to the issuer")
	// ErrUntrustedKey: the signature was checked with the header jwk, but
	// nothing says that key belongs to the issuer (no JWKCheck was
	// configured, or it refused the key). The ProofResult tells whether the
	// signature itself verified.
	ErrUntrustedKey = errors.New("key provenance unknown")
	// ErrSignature: the signature does not verify.
	ErrSignature = errors.New("signature verification failed")
	// ErrCredential: the payload is not a credential this package can
	// read (not a JSON object, no vc claim or credential, vc/vp claims in
	// a VC-JOSE token, …).
	ErrCredential = errors.New("invalid credential payload")
	// ErrClaimMismatch: a registered claim (iss, jti, nbf, exp, sub)
	// disagrees with the credential; Error.Claim names it.
	ErrClaimMismatch = errors.New("claim does not match the credential")
	// ErrExpired: exp is in the past (beyond the allowed skew).
	ErrExpired = errors.New("token expired")
	// ErrNotYetValid: nbf is in the future (beyond the allowed skew).
	ErrNotYetValid = errors.New("token not yet valid")
	// ErrSigner: Seal was given no signer, or one whose algorithm is not
	// allowed, or the signer failed.
	ErrSigner = errors.New("cannot sign")
)

// Error is the error type of this package. It says which kind of check
// failed (Kind), which claim when one is concerned, and the underlying
// cause, if any.
type Error struct {
	// Kind is one of the Err… values of this package.
	Kind error
	// Claim is the JWT claim or header member concerned ("iss", "alg",
	// …), or "".
	Claim string
	// Detail says what was found, in plain words.
	Detail string
	// Err is the underlying cause (a keys or vc error), or nil.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("vc/jwt: ")
	b.WriteString(e.Kind.Error())
	if e.Claim != "" {
		b.WriteString(" (")
		b.WriteString(e.Claim)
		b.WriteString(")")
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the Kind and the cause, so errors.Is works with both.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func newErr(kind error, claim, detail string, cause error) *Error {
	return &Error{Kind: kind, Claim: claim, Detail: detail, Err: cause}
}
