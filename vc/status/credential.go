package status

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc/dataintegrity"
)

// CredentialOptions describe a BitstringStatusListCredential.
type CredentialOptions struct {
	// ID is the credential's id: the URL it is published at, which the
	// entries' statusListCredential names. Required.
	ID string
	// Issuer is the issuer's id (a DID or URL). It should be the issuer of
	// the credentials that point at the list; verifiers compare them.
	// Required.
	Issuer string
	// ValidFrom is written when set (UTC, second precision).
	ValidFrom time.Time
	// ValidUntil is written when set; verifiers stop using (and caching)
	// the list after it, so set it to when the list will be republished.
	ValidUntil time.Time
	// TTL, when positive, is written as the list's ttl (milliseconds): how
	// long a verifier may cache it.
	TTL time.Duration
}

// Credential returns the unsigned BitstringStatusListCredential that
// publishes l (VCDM 2.0, whose context defines the status list terms).
// Its credentialSubject id is ID + "#list".
func (l *List) Credential(opts CredentialOptions) (map[string]any, error) {
	if opts.ID == "" || opts.Issuer == "" {
		return nil, errors.New("status: a status list credential needs an id and an issuer")
	}
	if l.Purpose == "" {
		return nil, errors.New("status: the list has no statusPurpose")
	}
	enc, err := l.Encode()
	if err != nil {
		return nil, err
	}
	subject := map[string]any{
		"id":            opts.ID + "#list",
		"type":          TypeList,
		"statusPurpose": l.Purpose,
		"encodedList":   enc,
	}
	if opts.TTL > 0 {
		subject["ttl"] = opts.TTL.Milliseconds()
	}
	doc := map[string]any{
		"@context":          []any{ld.CredentialsV2URL},
		"id":                opts.ID,
		"type":              []any{"VerifiableCredential", TypeListCredential},
		"issuer":            opts.Issuer,
		"credentialSubject": subject,
	}
	if !opts.ValidFrom.IsZero() {
		doc["validFrom"] = opts.ValidFrom.UTC().Format(time.RFC3339)
	}
	if !opts.ValidUntil.IsZero() {
		doc["validUntil"] = opts.ValidUntil.UTC().Format(time.RFC3339)
	}
	return doc, nil
}

// SignedCredential returns Credential(opts) secured with an
// eddsa-rdfc-2022 Data Integrity proof made by signer (an Ed25519 key whose
// controller should be opts.Issuer).
func (l *List) SignedCredential(ctx context.Context, signer keys.Signer, opts CredentialOptions, sign dataintegrity.SignOptions) (map[string]any, error) {
	doc, err := l.Credential(opts)
	if err != nil {
		return nil, err
	}
	signed, err := dataintegrity.AddProof(ctx, doc, signer, sign)
	if err != nil {
		return nil, fmt.Errorf("status: signing the status list credential: %w", err)
	}
	return signed, nil
}

// Entry returns a BitstringStatusListEntry for index in the list published
// at listURL, to put in a credential's credentialStatus. statusSize and
// statusMessage are written for lists with more than one bit an entry.
func (l *List) Entry(listURL string, index int, messages ...StatusMessage) (map[string]any, error) {
	if err := l.checkIndex(index); err != nil {
		return nil, err
	}
	e := map[string]any{
		"id":                   fmt.Sprintf("%s#%d", listURL, index),
		"type":                 TypeEntry,
		"statusPurpose":        l.Purpose,
		"statusListIndex":      fmt.Sprint(index),
		"statusListCredential": listURL,
	}
	if l.statusSize() > 1 {
		e["statusSize"] = l.statusSize()
		ms := make([]any, len(messages))
		for i, m := range messages {
			ms[i] = map[string]any{"status": fmt.Sprintf("%#x", m.Status), "message": m.Message}
		}
		e["statusMessage"] = ms
	}
	return e, nil
}

// StatusMessage is one statusMessage of an entry: the meaning of a status
// value (written as a hexadecimal string, "0x0", "0x1", …).
type StatusMessage struct {
	Status  uint64
	Message string
}
