package vc

import (
	"context"
	"crypto"
	"errors"
	"time"
)

// ErrUnsupported is wrapped by suite methods asked to do what the suite
// cannot, such as creating an Ed25519Signature2020 proof with a
// verify-only suite.
var ErrUnsupported = errors.New("vc: not supported by this suite")

// Suite is a securing mechanism that embeds its proofs in the document: a
// VC Data Integrity cryptosuite (DataIntegrityProof with eddsa-rdfc-2022,
// …) or a legacy Linked Data proof type (Ed25519Signature2020). Package
// vc/dataintegrity implements it.
//
// A suite gets whatever it needs beyond the document — a key resolver, a
// JSON-LD document loader — when it is constructed, so that a verifier is
// built once from trusted material and the methods below take only
// per-call input. Implementations must be safe for concurrent use and must
// not modify the documents they are given.
type Suite interface {
	// Name identifies the suite in reports, e.g.
	// "DataIntegrityProof/eddsa-rdfc-2022".
	Name() string

	// Accepts reports whether the suite handles proof p, judging by its
	// type (and cryptosuite). A verifier hands each proof to the first
	// suite its policy allows that accepts it.
	Accepts(p Proof) bool

	// AddProof returns a copy of doc secured with a new proof. A proof
	// already on doc is kept (the result has a proof set), or chained to
	// when opts.PreviousProof names it. The suite may change more than the
	// proof member where its specification says so (for instance add its
	// context to a VCDM 1.1 @context). doc is not modified. A verify-only
	// suite returns an error wrapping ErrUnsupported.
	AddProof(ctx context.Context, doc map[string]any, opts ProofOptions) (map[string]any, error)

	// VerifyProof verifies p, one of the proofs of the secured document doc
	// (as Credential.Proofs returns them). doc includes its proof member;
	// the suite derives the unsecured document itself (see WithoutProof)
	// and follows previousProof where its specification says to. A nil
	// error means the proof is valid. The result is non-nil whenever the
	// suite got far enough to have something to report — the verification
	// method, its controller, details such as the canonical form and hashes
	// — including when it returns an error.
	VerifyProof(ctx context.Context, doc map[string]any, p Proof, opts VerifyProofOptions) (*ProofResult, error)
}

// EnvelopeSuite is a securing mechanism that wraps the whole credential
// instead of embedding a proof: VC-JWT as Open Badges 3.0 §8.2 uses it, and
// VC-JOSE (application/vc+jwt). Package vc/jwt implements it.
type EnvelopeSuite interface {
	// Name identifies the suite in reports, e.g. "VC-JWT".
	Name() string

	// Seal secures doc and returns the enveloped form, e.g. a compact JWS.
	Seal(ctx context.Context, doc map[string]any, opts ProofOptions) ([]byte, error)

	// Open verifies an enveloped credential and returns the credential it
	// carries, parsed with the package's limits, and the result. As with
	// Suite.VerifyProof, a nil error means valid and the result may be
	// non-nil with an error.
	Open(ctx context.Context, data []byte, opts VerifyProofOptions) (*Credential, *ProofResult, error)
}

// Signer is what a suite needs of a private key: its public half and a
// signature over a message (the suite hashes as its algorithm says). The
// signers of package keys (keys.Signer) satisfy it, as can a KMS client.
type Signer interface {
	// Public returns the public key, e.g. an ed25519.PublicKey.
	Public() crypto.PublicKey
	// SignMessage signs message with the private key.
	SignMessage(ctx context.Context, message []byte) ([]byte, error)
}

// ProofOptions say how to create a proof. Fields a suite does not use are
// ignored; a suite returns an error for a field it needs and cannot honour.
type ProofOptions struct {
	// Signer signs with the private key of VerificationMethod.
	Signer Signer
	// VerificationMethod is the URL of the public key, e.g.
	// "did:key:z6Mk…#z6Mk…"; for JWTs it becomes the kid. When empty, a
	// suite may take it from a signer that has a VerificationMethod()
	// string method, as keys.Signer does.
	VerificationMethod string
	// ProofPurpose is the proof's purpose; "" means "assertionMethod".
	ProofPurpose string
	// Created is the proof's creation time; zero means now.
	Created time.Time
	// Expires, when not zero, is the time after which the proof is
	// invalid.
	Expires time.Time
	// ID, when not empty, is the proof's id (needed for chains).
	ID string
	// PreviousProof lists the ids of proofs this one chains to.
	PreviousProof []string
	// Challenge is the verifier's challenge the proof answers (mostly for
	// presentations).
	Challenge string
	// Domain lists the domains the proof is restricted to.
	Domain []string
	// Nonce is an optional value that makes the proof unique.
	Nonce string
}

// VerifyProofOptions say what a verifier expects of a proof.
type VerifyProofOptions struct {
	// ExpectedPurpose is the proof purpose the proof must have; "" means
	// "assertionMethod".
	ExpectedPurpose string
	// Challenge, when not empty, must equal the proof's challenge.
	Challenge string
	// Domain, when not empty, must be one of the proof's domains.
	Domain string
	// Now is the time against which expires (and a created time in the
	// future) are judged; zero means time.Now().
	Now time.Time
}

// ProofResult reports on the verification of one proof or envelope.
type ProofResult struct {
	// Suite is the Name of the suite that verified it.
	Suite string
	// Proof is the proof verified; zero for an envelope.
	Proof Proof
	// VerificationMethod is the URL of the key that was used.
	VerificationMethod string
	// Controller is the controller of that verification method as the
	// suite resolved it; the verifier compares it with the issuer's id.
	Controller string
	// Details are diagnostics worth showing when verification fails, by
	// name: for Data Integrity, e.g., the canonical N-Quads and the hashes.
	Details map[string]string
}
