package dataintegrity

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"maps"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc"
)

// Suite is the vc.Suite of this package: it creates DataIntegrityProof
// eddsa-rdfc-2022 proofs and verifies those, eddsa-2022 and
// Ed25519Signature2020 proofs. Build it once with the verifier's trusted
// material; it is safe for concurrent use.
type Suite struct {
	resolver Resolver
	ld       *ld.Options
}

var _ vc.Suite = (*Suite)(nil)

// NewSuite returns a Suite that resolves verification methods with
// resolver and processes JSON-LD with ldOpts (nil: safe mode, embedded
// contexts).
func NewSuite(resolver Resolver, ldOpts *ld.Options) *Suite {
	return &Suite{resolver: resolver, ld: ldOpts}
}

// Name implements vc.Suite.
func (s *Suite) Name() string { return TypeDataIntegrityProof + "/" + EdDSARDFC2022 }

// Accepts implements vc.Suite.
func (s *Suite) Accepts(p vc.Proof) bool {
	switch p.Type {
	case TypeDataIntegrityProof:
		return p.Cryptosuite == EdDSARDFC2022 || p.Cryptosuite == EdDSA2022
	case TypeEd25519Signature2020:
		return true
	}
	return false
}

// AddProof implements vc.Suite.
func (s *Suite) AddProof(ctx context.Context, doc map[string]any, opts vc.ProofOptions) (map[string]any, error) {
	signer, err := adaptSigner(opts.Signer, opts.VerificationMethod)
	if err != nil {
		return nil, err
	}
	return AddProof(ctx, doc, signer, SignOptions{
		VerificationMethod: opts.VerificationMethod,
		Purpose:            opts.ProofPurpose,
		Created:            opts.Created,
		Expires:            opts.Expires,
		Challenge:          opts.Challenge,
		Domain:             opts.Domain,
		Nonce:              opts.Nonce,
		ID:                 opts.ID,
		PreviousProof:      opts.PreviousProof,
		LD:                 s.ld,
	})
}

// VerifyProof implements vc.Suite.
func (s *Suite) VerifyProof(ctx context.Context, doc map[string]any, p vc.Proof, opts vc.VerifyProofOptions) (*vc.ProofResult, error) {
	if s.resolver == nil {
		return nil, errors.New("dataintegrity: the suite has no resolver")
	}
	if p.Raw == nil {
		return nil, errors.New("dataintegrity: empty proof")
	}
	unsecured := maps.Clone(doc)
	delete(unsecured, "proof")
	target := unsecured
	if prev, ok := p.Raw["previousProof"]; ok {
		matching, err := previousProofs(proofList(doc["proof"]), prev)
		if err != nil {
			return &vc.ProofResult{Suite: s.Name(), Proof: p}, err
		}
		target = maps.Clone(unsecured)
		target["proof"] = matching
	}
	vo := VerifyOptions{Resolver: s.resolver, Purpose: opts.ExpectedPurpose, Challenge: opts.Challenge, Domain: opts.Domain, Now: opts.Now, LD: s.ld}
	var r ProofResult
	verifyOne(ctx, target, p.Raw, vo, &r, func() ([]byte, error) { return ld.Canonicalize(ctx, target, s.ld) })
	out := &vc.ProofResult{Suite: s.Name(), Proof: p, VerificationMethod: r.VerificationMethod, Details: map[string]string{}}
	if r.Method != nil {
		out.Controller = r.Method.Controller
	}
	for k, v := range map[string]string{
		"canonicalDocument":    r.CanonicalDocument,
		"canonicalProofConfig": r.CanonicalProof,
		"documentHash":         r.DocumentHash,
		"proofConfigHash":      r.ProofHash,
	} {
		if v != "" {
			out.Details[k] = v
		}
	}
	if !r.Verified {
		return out, r.Err
	}
	return out, nil
}

// vcSigner adapts a vc.Signer that is not a keys.Signer (a KMS client, say)
// holding an Ed25519 key.
type vcSigner struct {
	vc.Signer
	vm string
}

func (v vcSigner) Algorithm() keys.Algorithm  { return keys.EdDSA }
func (v vcSigner) VerificationMethod() string { return v.vm }

func adaptSigner(s vc.Signer, vm string) (keys.Signer, error) {
	if s == nil {
		return nil, errors.New("dataintegrity: ProofOptions.Signer is required")
	}
	if ks, ok := s.(keys.Signer); ok {
		return ks, nil
	}
	if _, ok := s.Public().(ed25519.PublicKey); !ok {
		return nil, fmt.Errorf("dataintegrity: %s needs an Ed25519 key, got %T", EdDSARDFC2022, s.Public())
	}
	return vcSigner{Signer: s, vm: vm}, nil
}
