package vc

import "time"

// Proof is one embedded proof of a credential, with the members of a Data
// Integrity proof (W3C VC Data Integrity 1.0 §2.1) read leniently: a member
// that is absent or not of the expected JSON type leaves its field empty,
// and the suite that verifies the proof decides whether that matters. Raw
// holds everything, including members this type does not name.
type Proof struct {
	// Pointer is the JSON Pointer of this proof in the credential ("/proof"
	// or "/proof/1").
	Pointer string
	// Raw is the proof object, shared with the credential; do not modify.
	Raw map[string]any

	// Type is the proof type, e.g. "DataIntegrityProof" or
	// "Ed25519Signature2020".
	Type string
	// Cryptosuite is the cryptosuite of a DataIntegrityProof, e.g.
	// "eddsa-rdfc-2022".
	Cryptosuite string
	// VerificationMethod is the verification method URL; when the member
	// is an object (allowed by some suites), its id.
	VerificationMethod string
	// ProofPurpose is the proof purpose, e.g. "assertionMethod".
	ProofPurpose string
	// Created is the creation date-time as written (see CreatedTime).
	Created string
	// Expires is the expiry date-time as written (see ExpiresTime).
	Expires string
	// ProofValue is the encoded signature, e.g. a multibase string.
	ProofValue string
	// ID is the proof's id, used by previousProof chains.
	ID string
	// Challenge is the challenge the proof was made for.
	Challenge string
	// Domain is the domain or domains the proof is restricted to.
	Domain []string
	// Nonce is the proof's nonce.
	Nonce string
	// PreviousProof lists the ids of the proofs this one chains to.
	PreviousProof []string
}

// NewProof reads the members of a proof object found at pointer ptr.
func NewProof(raw map[string]any, ptr string) Proof {
	str := func(k string) string { s, _ := raw[k].(string); return s }
	p := Proof{
		Pointer:            ptr,
		Raw:                raw,
		Type:               str("type"),
		Cryptosuite:        str("cryptosuite"),
		VerificationMethod: str("verificationMethod"),
		ProofPurpose:       str("proofPurpose"),
		Created:            str("created"),
		Expires:            str("expires"),
		ProofValue:         str("proofValue"),
		ID:                 str("id"),
		Challenge:          str("challenge"),
		Domain:             stringList(raw["domain"]),
		Nonce:              str("nonce"),
		PreviousProof:      stringList(raw["previousProof"]),
	}
	if m, ok := raw["verificationMethod"].(map[string]any); ok {
		p.VerificationMethod, _ = m["id"].(string)
	}
	return p
}

// CreatedTime parses Created. ok is false when there is no created member.
// The zone may be omitted (read as UTC) because proofs made by older suites
// use xsd:dateTime; a bad value gives a *Problem wrapping
// ErrInvalidDateTime.
func (p Proof) CreatedTime() (t time.Time, ok bool, err error) { return p.dateMember("created") }

// ExpiresTime parses Expires, with the rules of CreatedTime.
func (p Proof) ExpiresTime() (t time.Time, ok bool, err error) { return p.dateMember("expires") }

func (p Proof) dateMember(name string) (time.Time, bool, error) {
	v, ok := p.Raw[name]
	if !ok {
		return time.Time{}, false, nil
	}
	t, err := parseDateValue(v, p.Pointer+"/"+name, false)
	return t, err == nil, err
}
