package badge_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
)

// genericCredential is a plain VCDM 2.0 credential (no Open Badges
// context or type) signed with eddsa-rdfc-2022 by k as a did:key issuer.
func genericCredential(t testing.TB, k testKey) []byte {
	t.Helper()
	doc := map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"id":                "urn:uuid:9c3e1b4e-7f0a-4d7c-8a55-1f2e3d4c5b6a",
		"type":              []any{"VerifiableCredential"},
		"issuer":            k.did,
		"validFrom":         "2026-03-01T09:30:00Z",
		"credentialSubject": map[string]any{"id": "did:example:learner"},
	}
	signed, err := dataintegrity.AddProof(context.Background(), doc, k.signer, dataintegrity.SignOptions{Created: issueTime})
	require.NoError(t, err)
	b, err := vc.Marshal(signed)
	require.NoError(t, err)
	return b
}

// pinnedTo is a registry trusting issuer with the one key pub.
func pinnedTo(t testing.TB, issuer string, pub keys.Signer, extra map[string]any) keys.Registry {
	t.Helper()
	j, err := keys.PublicJWK(pub.Public())
	require.NoError(t, err)
	e := map[string]any{"id": issuer, "keys": []any{j}, "status": "active"}
	for k, v := range extra {
		e[k] = v
	}
	reg, err := keys.ParseRegistry(mustJSON(t, map[string]any{"version": 1, "name": "test", "entries": []any{e}}))
	require.NoError(t, err)
	return reg
}

// TestVerifyWithChecks: the checks run are exactly those selected plus
// parse and their dependencies; the others are skipped as not requested.
func TestVerifyWithChecks(t *testing.T) {
	k := newTestKey(t, 0)
	signed := issue(t, k, nil)
	tampered := []byte(strings.Replace(string(signed), "Data Literacy for Researchers", "Data Literacy for Professors", 1))
	expired := issue(t, k, func(c *badge.AchievementCredential) {
		c.ValidUntil = badge.NewDateTime(issueTime.Add(24 * time.Hour))
	})
	generic := genericCredential(t, k)
	plain := newVerifier(t, badge.VerifierOptions{})
	// The registry pins another key for the issuer: the pinned key is what
	// the proof is checked with, and the registry refuses.
	otherKey := pinnedTo(t, k.did, newTestKey(t, 9).signer, nil)
	// The registry accredits the issuer up to EQF 6; the credential
	// claims EQF 7 (read from the achievement, subject not selected).
	eqf6 := pinnedTo(t, k.did, k.signer, map[string]any{"accreditedFor": []any{map[string]any{"maxEQF": 6}}})
	trusted := pinnedTo(t, k.did, k.signer, nil)

	for _, tc := range []struct {
		name     string
		v        *badge.Verifier
		in       []byte
		checks   []string
		ran      []string // checks that must not be "not requested"
		verified bool
		want     map[string]badge.Outcome
	}{
		{name: "proof only, valid", v: plain, in: signed, checks: []string{"proof"},
			ran: []string{"parse", "proof"}, verified: true,
			want: map[string]badge.Outcome{"proof": badge.Passed}},
		{name: "proof only, tampered", v: plain, in: tampered, checks: []string{"proof"},
			ran: []string{"parse", "proof"}, verified: false,
			want: map[string]badge.Outcome{"proof": badge.Failed}},
		{name: "proof only, expired", v: plain, in: expired, checks: []string{"proof"},
			ran: []string{"parse", "proof"}, verified: true},
		{name: "all, expired", v: plain, in: expired, checks: nil,
			ran: badge.CheckOrder, verified: false,
			want: map[string]badge.Outcome{"validity": badge.Failed}},
		{name: "parse listed", v: plain, in: signed, checks: []string{"parse"},
			ran: []string{"parse"}, verified: true},
		{name: "key_provenance pulls in proof", v: plain, in: signed, checks: []string{"key_provenance"},
			ran: []string{"parse", "proof", "key_provenance"}, verified: true,
			want: map[string]badge.Outcome{"proof": badge.Passed, "key_provenance": badge.Passed}},
		{name: "key_provenance on tampered", v: plain, in: tampered, checks: []string{"key_provenance"},
			ran: []string{"parse", "proof", "key_provenance"}, verified: false,
			want: map[string]badge.Outcome{"proof": badge.Failed, "key_provenance": badge.Skipped}},
		{name: "refresh pulls in proof", v: plain, in: signed, checks: []string{"refresh"},
			ran: []string{"parse", "proof", "refresh"}, verified: true},
		{name: "registry pulls in proof, key pinned", v: newVerifier(t, badge.VerifierOptions{Registry: trusted}), in: signed,
			checks: []string{"registry"}, ran: []string{"parse", "proof", "registry"}, verified: true,
			want: map[string]badge.Outcome{"registry": badge.Passed}},
		{name: "registry alone refuses another key", v: newVerifier(t, badge.VerifierOptions{Registry: otherKey}), in: signed,
			checks: []string{"registry"}, ran: []string{"parse", "proof", "registry"}, verified: false,
			want: map[string]badge.Outcome{"proof": badge.Failed, "registry": badge.Failed}},
		{name: "registry alone reads the EQF level", v: newVerifier(t, badge.VerifierOptions{Registry: eqf6}), in: signed,
			checks: []string{"registry"}, ran: []string{"parse", "proof", "registry"}, verified: false,
			want: map[string]badge.Outcome{"registry": badge.Failed}},
		{name: "alias issuer", v: newVerifier(t, badge.VerifierOptions{Registry: trusted}), in: signed,
			checks: []string{"issuer"}, ran: []string{"parse", "proof", "key_provenance", "registry"}, verified: true},
		{name: "aliases credentialStatus and expiration", v: plain, in: expired,
			checks: []string{"credentialStatus", "expiration"}, ran: []string{"parse", "status", "validity"}, verified: false,
			want: map[string]badge.Outcome{"validity": badge.Failed, "status": badge.Skipped}},
		{name: "aliases validFrom validUntil credentialSchema", v: plain, in: signed,
			checks: []string{"validFrom", "validUntil", "credentialSchema"}, ran: []string{"parse", "schema", "validity"}, verified: true},
		{name: "duplicates", v: plain, in: signed, checks: []string{"proof", "proof", "validity"},
			ran: []string{"parse", "proof", "validity"}, verified: true},
		{name: "generic VCDM 2.0, proof only", v: plain, in: generic, checks: []string{"proof"},
			ran: []string{"parse", "proof"}, verified: true},
		{name: "generic VCDM 2.0, proof and key provenance", v: plain, in: generic, checks: []string{"proof", "key_provenance", "validity"},
			ran: []string{"parse", "proof", "key_provenance", "validity"}, verified: true},
		{name: "generic VCDM 2.0, all checks", v: plain, in: generic, checks: nil,
			ran: badge.CheckOrder, verified: false,
			want: map[string]badge.Outcome{"context_and_type": badge.Failed, "proof": badge.Passed}},
		{name: "garbage, proof only", v: plain, in: []byte("{"), checks: []string{"proof"},
			ran: []string{"parse", "proof"}, verified: false,
			want: map[string]badge.Outcome{"parse": badge.Failed, "proof": badge.Skipped}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := tc.v.VerifyWith(context.Background(), tc.in, badge.VerifyOptions{Checks: tc.checks})
			require.NoError(t, err)
			require.Len(t, rep.Checks, len(badge.CheckOrder))
			for i, c := range rep.Checks {
				assert.Equal(t, badge.CheckOrder[i], c.ID)
				notRequested := c.Outcome == badge.Skipped && c.Message == "not requested"
				if slices.Contains(tc.ran, c.ID) {
					assert.False(t, notRequested, "check %s should have run", c.ID)
				} else {
					assert.True(t, notRequested, "check %s should not have run: %s %s", c.ID, c.Outcome, c.Message)
				}
			}
			for id, want := range tc.want {
				assert.Equal(t, want, rep.Check(id).Outcome, "check %s: %s", id, rep.Check(id).Message)
			}
			assert.Equal(t, tc.verified, rep.Verified(), summary(rep))
		})
	}
}

// TestVerifyWithUnknownCheck: an unknown check ID is an error naming it
// and the valid IDs, returned before any work (even with a done context).
func TestVerifyWithUnknownCheck(t *testing.T) {
	v := newVerifier(t, badge.VerifierOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, checks := range [][]string{{"bogus"}, {"proof", "bogus"}, {"Proof"}, {""}} {
		rep, err := v.VerifyWith(ctx, []byte("{}"), badge.VerifyOptions{Checks: checks})
		require.Error(t, err)
		assert.Nil(t, rep)
		assert.True(t, errors.Is(err, badge.ErrUnknownCheck), "%v", err)
		assert.False(t, errors.Is(err, context.Canceled))
		bad := checks[len(checks)-1]
		assert.Contains(t, err.Error(), `"`+bad+`"`)
		for _, id := range badge.CheckOrder {
			assert.Contains(t, err.Error(), id)
		}
		assert.Contains(t, err.Error(), "credentialStatus")
	}
	// A cancelled context with valid options is the context's error.
	_, err := v.VerifyWith(ctx, []byte("{}"), badge.VerifyOptions{Checks: []string{"proof"}})
	assert.ErrorIs(t, err, context.Canceled)
}

// TestVerifyIsVerifyWithAll: Verify and VerifyWith with no checks give the
// same outcomes.
func TestVerifyIsVerifyWithAll(t *testing.T) {
	v := newVerifier(t, badge.VerifierOptions{})
	signed := issue(t, newTestKey(t, 0), nil)
	a := mustVerify(t, v, signed)
	for _, opts := range []badge.VerifyOptions{{}, {Checks: []string{}}} {
		b, err := v.VerifyWith(context.Background(), signed, opts)
		require.NoError(t, err)
		require.Len(t, b.Checks, len(a.Checks))
		for i := range a.Checks {
			assert.Equal(t, a.Checks[i].Outcome, b.Checks[i].Outcome, a.Checks[i].ID)
			assert.NotEqual(t, "not requested", b.Checks[i].Message)
		}
	}
}
