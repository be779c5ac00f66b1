package badge_test

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/testserver"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
	"github.com/microcred/microcred/vc/jwt"
	"github.com/microcred/microcred/vc/status"
)

// TestVerifyTamperedNamesCheck: each way of tampering with a credential
// fails, and the check that fails is the one that should.
func TestVerifyTamperedNamesCheck(t *testing.T) {
	k := newTestKey(t, 0)
	signed := issue(t, k, nil)
	other := issue(t, k, func(c *badge.AchievementCredential) { c.ID = "urn:uuid:11111111-2222-4333-8444-555555555555" })
	v := newVerifier(t, badge.VerifierOptions{})

	edit := func(in []byte, f func(map[string]any)) []byte {
		var doc map[string]any
		if err := json.Unmarshal(in, &doc); err != nil {
			t.Fatal(err)
		}
		f(doc)
		b, _ := json.Marshal(doc)
		return b
	}
	var otherDoc map[string]any
	_ = json.Unmarshal(other, &otherDoc)

	c, _ := vc.Parse(signed)
	tok, err := jwt.New(jwt.Options{}).Seal(context.Background(), c.WithoutProof(), vc.ProofOptions{Signer: k.signer})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(string(tok), ".")
	// HS256 keyed with the issuer's public key (the classic alg confusion).
	hsHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT","kid":"` + k.signer.VerificationMethod() + `"}`))
	mac := hmac.New(sha256.New, []byte(k.signer.Public().(ed25519.PublicKey)))
	mac.Write([]byte(hsHeader + "." + parts[1]))
	hs := hsHeader + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	// A kid of another issuer: signed by that issuer's key, naming it.
	stranger := newTestKey(t, 3)
	otherKid, err := jwt.New(jwt.Options{}).Seal(context.Background(), c.WithoutProof(), vc.ProofOptions{Signer: stranger.signer})
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name  string
		in    []byte
		check string
	}{
		{"value changed", edit(signed, func(d map[string]any) { d["name"] = "Another name" }), badge.CheckProof},
		{"term added", edit(signed, func(d map[string]any) { d["undefinedTerm"] = "x" }), badge.CheckProof},
		{"issuer swapped", edit(signed, func(d map[string]any) { d["issuer"].(map[string]any)["id"] = stranger.did }), badge.CheckProof},
		{"proof moved", edit(signed, func(d map[string]any) { d["proof"] = otherDoc["proof"] }), badge.CheckProof},
		{"proof removed", edit(signed, func(d map[string]any) { delete(d, "proof") }), badge.CheckProof},
		{"alg none", []byte(base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."), badge.CheckProof},
		{"HS256 with the public key", []byte(hs), badge.CheckProof},
		{"kid of another issuer", otherKid, badge.CheckKeyProvenance},
		{"expired", issue(t, k, func(c *badge.AchievementCredential) { c.ValidUntil = badge.NewDateTime(issueTime.Add(time.Hour)) }), badge.CheckValidity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := mustVerify(t, v, tc.in)
			if rep.Verified() {
				t.Fatalf("verified:\n%s", summary(rep))
			}
			if c := rep.Check(tc.check); c.Outcome != badge.Failed {
				t.Errorf("%s = %s, want failed\n%s", tc.check, c.Outcome, summary(rep))
			}
		})
	}

	// Not yet valid.
	early := newVerifier(t, badge.VerifierOptions{Now: func() time.Time { return issueTime.Add(-24 * time.Hour) }})
	wantOutcome(t, mustVerify(t, early, signed), badge.CheckValidity, badge.Failed)
}

// TestVerifySuspended: a suspension entry set in its list fails the status
// check with "suspended".
func TestVerifySuspended(t *testing.T) {
	k := newTestKey(t, 0)
	s := testserver.New(t)
	l, _ := status.NewList(status.MinEntries, "suspension")
	_ = l.Set(2)
	doc, err := l.SignedCredential(context.Background(), k.signer, status.CredentialOptions{ID: s.Base + "/susp", Issuer: k.did}, dataintegrity.SignOptions{Created: issueTime})
	if err != nil {
		t.Fatal(err)
	}
	s.ServeJSON("/susp", doc)
	signed := issue(t, k, func(c *badge.AchievementCredential) {
		c.CredentialStatus = badge.OneOrMany[badge.CredentialStatus]{{
			ID: s.Base + "/susp#2", Type: badge.OneOrMany[string]{"BitstringStatusListEntry"},
			Extra: map[string]any{"statusPurpose": "suspension", "statusListIndex": "2", "statusListCredential": s.Base + "/susp"},
		}}
	})
	v := newVerifier(t, badge.VerifierOptions{Fetcher: fetch.NewHTTP(s.Client(), fetch.Options{AllowedHosts: []string{s.Host}, CacheTTL: -1})})
	rep := mustVerify(t, v, signed)
	wantOutcome(t, rep, badge.CheckStatus, badge.Failed)
	if !strings.Contains(rep.Check(badge.CheckStatus).Message, "suspended") {
		t.Errorf("status message %q", rep.Check(badge.CheckStatus).Message)
	}
}

// signedEndorsement re-issues the 1EdTech endorsement fixture as k.
func signedEndorsement(t testing.TB, k testKey) map[string]any {
	t.Helper()
	b, err := os.ReadFile(casesDir + "/endorsement-valid.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	_ = json.Unmarshal(b, &doc)
	delete(doc, "proof")
	doc["issuer"].(map[string]any)["id"] = k.did
	out, err := dataintegrity.AddProof(context.Background(), doc, k.signer, dataintegrity.SignOptions{Created: issueTime})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestVerifyEndorsements: embedded endorsements are verified with the same
// pipeline (their reports nested in the details); a forged one fails the
// step; with endorsement verification turned off the step warns.
func TestVerifyEndorsements(t *testing.T) {
	k := newTestKey(t, 0)
	endorser := newTestKey(t, 4)
	e := signedEndorsement(t, endorser)
	eb, _ := json.Marshal(e)
	ec, err := badge.ParseEndorsementCredential(eb)
	if err != nil {
		t.Fatal(err)
	}
	signed := issue(t, k, func(c *badge.AchievementCredential) {
		c.Endorsement = badge.Many[badge.EndorsementCredential]{*ec}
	})
	rep := mustVerify(t, newVerifier(t, badge.VerifierOptions{}), signed)
	if !rep.Verified() {
		t.Fatalf("not verified:\n%s", summary(rep))
	}
	wantOutcome(t, rep, badge.CheckEndorsements, badge.Passed)
	subs := rep.Check(badge.CheckEndorsements).Details["endorsements"].([]map[string]any)
	if sub := subs[0]["report"].(*badge.Report); !sub.Verified() || sub.Credential.Issuer != endorser.did {
		t.Errorf("endorsement report %+v", sub.Credential)
	}

	// With a registry that trusts the credential's issuer but not the
	// endorser: the endorsement is authentic, the step warns.
	j, _ := keys.PublicJWK(k.signer.Public())
	reg, err := keys.ParseRegistry(mustJSON(t, map[string]any{"version": 1, "name": "test", "entries": []any{
		map[string]any{"id": k.did, "keys": []any{j}, "status": "active"},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{Registry: reg}), signed)
	wantOutcome(t, rep, badge.CheckRegistry, badge.Passed)
	wantOutcome(t, rep, badge.CheckEndorsements, badge.Warning)
	if !rep.Verified() {
		t.Errorf("untrusted endorser failed the credential:\n%s", summary(rep))
	}

	off := newVerifier(t, badge.VerifierOptions{MaxEndorsementDepth: -1})
	wantOutcome(t, mustVerify(t, off, signed), badge.CheckEndorsements, badge.Warning)

	// A forged endorsement (comment changed after signing), embedded by
	// the credential's issuer: the credential's own proof holds, the
	// endorsement fails.
	e["credentialSubject"].(map[string]any)["endorsementComment"] = "forged"
	eb, _ = json.Marshal(e)
	ec, _ = badge.ParseEndorsementCredential(eb)
	forged := issue(t, k, func(c *badge.AchievementCredential) {
		c.Endorsement = badge.Many[badge.EndorsementCredential]{*ec}
	})
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{}), forged)
	wantOutcome(t, rep, badge.CheckProof, badge.Passed)
	wantOutcome(t, rep, badge.CheckEndorsements, badge.Failed)
}
