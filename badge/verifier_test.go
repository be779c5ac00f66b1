package badge_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
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

// verifyNow is after issueTime (2026-03-01), when the test credentials
// are valid.
var verifyNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

type testKey struct {
	signer keys.Signer
	did    string
}

func newTestKey(t testing.TB, seed byte) testKey {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	priv[0] ^= 0 // same seed as testIssuer when seed is 0
	if seed != 0 {
		s := make([]byte, 32)
		s[0] = seed
		priv = ed25519.NewKeyFromSeed(s)
	}
	did, _ := keys.DIDKey(priv.Public())
	vm, _ := keys.DIDKeyURL(priv.Public())
	signer, err := keys.NewSigner(priv, vm)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{signer, did}
}

// issue signs newCredential (changed by edit) with k as a did:key issuer.
func issue(t testing.TB, k testKey, edit func(*badge.AchievementCredential)) []byte {
	t.Helper()
	is, err := badge.NewIssuer(k.signer, badge.Profile{Name: badge.NewText("Example University")}, badge.IssuerOptions{Now: func() time.Time { return issueTime }})
	if err != nil {
		t.Fatal(err)
	}
	c := unissued()
	if edit != nil {
		edit(c)
	}
	signed, err := is.Issue(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func newVerifier(t testing.TB, opts badge.VerifierOptions) *badge.Verifier {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return verifyNow }
	}
	v, err := badge.NewVerifier(opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustVerify(t testing.TB, v *badge.Verifier, in []byte) *badge.Report {
	t.Helper()
	rep, err := v.Verify(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func wantOutcome(t *testing.T, rep *badge.Report, id string, want badge.Outcome) {
	t.Helper()
	c := rep.Check(id)
	if c == nil {
		t.Fatalf("no check %s", id)
	}
	if c.Outcome != want {
		t.Errorf("check %s = %s (%s), want %s\n%s", id, c.Outcome, c.Message, want, summary(rep))
	}
}

// TestVerifyIssued: a did:key credential issued by badge.Issuer verifies
// without a registry (the registry check warns), and the report has one
// check per step, in order.
func TestVerifyIssued(t *testing.T) {
	signed := issue(t, newTestKey(t, 0), nil)
	rep := mustVerify(t, newVerifier(t, badge.VerifierOptions{}), signed)
	if !rep.Verified() {
		t.Fatalf("not verified:\n%s", summary(rep))
	}
	var ids []string
	for _, c := range rep.Checks {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, badge.CheckOrder) {
		t.Errorf("checks %v, want %v", ids, badge.CheckOrder)
	}
	wantOutcome(t, rep, badge.CheckProof, badge.Passed)
	wantOutcome(t, rep, badge.CheckKeyProvenance, badge.Passed)
	wantOutcome(t, rep, badge.CheckRegistry, badge.Warning)
	wantOutcome(t, rep, badge.CheckStatus, badge.Skipped)
	if rep.Credential.Format != "json" || !strings.HasPrefix(rep.Credential.Issuer, "did:key:") {
		t.Errorf("credential info %+v", rep.Credential)
	}
}

// TestVerifyTampered: a changed value fails the proof, and the proof
// check's details carry the canonical N-Quads and hashes.
func TestVerifyTampered(t *testing.T) {
	signed := issue(t, newTestKey(t, 0), nil)
	tampered := []byte(strings.Replace(string(signed), "Data Literacy for Researchers", "Data Literacy for Professors", 1))
	rep := mustVerify(t, newVerifier(t, badge.VerifierOptions{}), tampered)
	if rep.Verified() {
		t.Fatal("tampered credential verified")
	}
	wantOutcome(t, rep, badge.CheckProof, badge.Failed)
	wantOutcome(t, rep, badge.CheckKeyProvenance, badge.Skipped)
	proofs := rep.Check(badge.CheckProof).Details["proofs"].([]map[string]any)
	for _, k := range []string{"canonicalDocument", "documentHash", "proofConfigHash"} {
		if s, _ := proofs[0][k].(string); s == "" {
			t.Errorf("proof details lack %s: %v", k, proofs[0])
		}
	}
	if !strings.Contains(proofs[0]["canonicalDocument"].(string), "Data Literacy for Professors") {
		t.Errorf("canonical document does not show the tampered value")
	}

	// The issuer swapped for another did:key: the proof no longer
	// verifies (the issuer is signed).
	other := newTestKey(t, 7)
	swapped := []byte(strings.ReplaceAll(string(signed), `"id":"`+newTestKey(t, 0).did+`"`, `"id":"`+other.did+`"`))
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{}), swapped)
	wantOutcome(t, rep, badge.CheckProof, badge.Failed)
}

// TestVerifyValidityPeriod: expired and not yet valid credentials fail the
// validity check; the skew is honoured.
func TestVerifyValidityPeriod(t *testing.T) {
	k := newTestKey(t, 0)
	expired := issue(t, k, func(c *badge.AchievementCredential) {
		c.ValidUntil = badge.NewDateTime(issueTime.Add(24 * time.Hour))
	})
	rep := mustVerify(t, newVerifier(t, badge.VerifierOptions{}), expired)
	wantOutcome(t, rep, badge.CheckValidity, badge.Failed)
	wantOutcome(t, rep, badge.CheckProof, badge.Passed)
	if rep.Verified() {
		t.Error("expired credential verified")
	}
	// Before validFrom (beyond the skew): not yet valid.
	early := newVerifier(t, badge.VerifierOptions{Now: func() time.Time { return issueTime.Add(-time.Hour) }})
	rep = mustVerify(t, early, issue(t, k, nil))
	wantOutcome(t, rep, badge.CheckValidity, badge.Failed)
	// Within the skew: valid.
	skewed := newVerifier(t, badge.VerifierOptions{Now: func() time.Time { return issueTime.Add(-30 * time.Second) }})
	rep = mustVerify(t, skewed, issue(t, k, nil))
	wantOutcome(t, rep, badge.CheckValidity, badge.Passed)
}

// TestVerifyRegistry: with a registry, an unknown issuer fails; without
// one the check warns; a registered issuer with the pinned key passes.
func TestVerifyRegistry(t *testing.T) {
	k := newTestKey(t, 0)
	signed := issue(t, k, nil)
	rep := mustVerify(t, newVerifier(t, badge.VerifierOptions{Registry: keys.DemoRegistry()}), signed)
	wantOutcome(t, rep, badge.CheckRegistry, badge.Failed)
	if rep.Verified() {
		t.Error("unknown issuer verified with a registry configured")
	}
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{}), signed)
	wantOutcome(t, rep, badge.CheckRegistry, badge.Warning)

	j, _ := keys.PublicJWK(k.signer.Public())
	reg, err := keys.ParseRegistry(mustJSON(t, map[string]any{"version": 1, "name": "test", "entries": []any{
		map[string]any{"id": k.did, "keys": []any{j}, "status": "active"},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{Registry: reg}), signed)
	wantOutcome(t, rep, badge.CheckRegistry, badge.Passed)
	// Accredited only up to EQF level 6: the credential's ext:EQF 7
	// alignment is refused.
	reg6, err := keys.ParseRegistry(mustJSON(t, map[string]any{"version": 1, "name": "test", "entries": []any{
		map[string]any{"id": k.did, "keys": []any{j}, "status": "active", "accreditedFor": []any{map[string]any{"maxEQF": 6}}},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{Registry: reg6}), signed)
	wantOutcome(t, rep, badge.CheckRegistry, badge.Failed)
	// Pinned to another key: the registry refuses.
	j2, _ := keys.PublicJWK(newTestKey(t, 9).signer.Public())
	reg2, _ := keys.ParseRegistry(mustJSON(t, map[string]any{"version": 1, "name": "test", "entries": []any{
		map[string]any{"id": k.did, "keys": []any{j2}, "status": "active"},
	}}))
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{Registry: reg2}), signed)
	wantOutcome(t, rep, badge.CheckRegistry, badge.Failed)
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestVerifyStatus: a credential whose entry is set in a status list
// served on loopback fails the status check; a list that cannot be
// fetched is a warning (the credential still verifies).
func TestVerifyStatus(t *testing.T) {
	k := newTestKey(t, 0)
	s := testserver.New(t)
	publish := func(path string, idx ...int) string {
		l, err := status.NewList(status.MinEntries, "revocation")
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range idx {
			if err := l.Set(i); err != nil {
				t.Fatal(err)
			}
		}
		doc, err := l.SignedCredential(context.Background(), k.signer, status.CredentialOptions{ID: s.Base + path, Issuer: k.did}, dataintegrity.SignOptions{Created: issueTime})
		if err != nil {
			t.Fatal(err)
		}
		s.ServeJSON(path, doc)
		return s.Base + path
	}
	withStatus := func(list string, idx int) []byte {
		return issue(t, k, func(c *badge.AchievementCredential) {
			c.CredentialStatus = badge.OneOrMany[badge.CredentialStatus]{{
				ID:   list + "#" + string(rune('0'+idx)),
				Type: badge.OneOrMany[string]{"BitstringStatusListEntry"},
				Extra: map[string]any{
					"statusPurpose": "revocation", "statusListIndex": string(rune('0' + idx)), "statusListCredential": list,
				},
			}}
		})
	}
	list := publish("/status/1", 3)
	v := newVerifier(t, badge.VerifierOptions{Fetcher: fetch.NewHTTP(s.Client(), fetch.Options{AllowedHosts: []string{s.Host}, CacheTTL: -1})})

	rep := mustVerify(t, v, withStatus(list, 3))
	wantOutcome(t, rep, badge.CheckStatus, badge.Failed)
	if rep.Verified() || !strings.Contains(rep.Check(badge.CheckStatus).Message, "revoked") {
		t.Errorf("revoked credential: %s", summary(rep))
	}
	rep = mustVerify(t, v, withStatus(list, 4))
	wantOutcome(t, rep, badge.CheckStatus, badge.Passed)

	// Unreachable list (404, and no Fetcher at all): warning.
	rep = mustVerify(t, v, withStatus(s.Base+"/status/missing", 3))
	wantOutcome(t, rep, badge.CheckStatus, badge.Warning)
	if !rep.Verified() {
		t.Errorf("unreachable list should only warn:\n%s", summary(rep))
	}
	rep = mustVerify(t, newVerifier(t, badge.VerifierOptions{}), withStatus(list, 3))
	wantOutcome(t, rep, badge.CheckStatus, badge.Warning)
}

// TestVerifyJWT: a VC-JWT sealed with vc/jwt and a keys.Signer verifies;
// its signature tampered, or a token with alg "none", fails at the proof.
func TestVerifyJWT(t *testing.T) {
	k := newTestKey(t, 0)
	signed := issue(t, k, nil)
	c, err := vc.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.New(jwt.Options{}).Seal(context.Background(), c.WithoutProof(), vc.ProofOptions{Signer: k.signer})
	if err != nil {
		t.Fatal(err)
	}
	v := newVerifier(t, badge.VerifierOptions{})
	rep := mustVerify(t, v, tok)
	if !rep.Verified() {
		t.Fatalf("VC-JWT not verified:\n%s", summary(rep))
	}
	if rep.Credential.Format != "jwt" {
		t.Errorf("format %q", rep.Credential.Format)
	}
	wantOutcome(t, rep, badge.CheckKeyProvenance, badge.Passed)

	bad := []byte(string(tok[:len(tok)-4]) + "AAAA")
	rep = mustVerify(t, v, bad)
	wantOutcome(t, rep, badge.CheckProof, badge.Failed)

	parts := strings.Split(string(tok), ".")
	none := []byte("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + ".")
	rep = mustVerify(t, v, none)
	wantOutcome(t, rep, badge.CheckProof, badge.Failed)

	// A header jwk (no kid) of a key that is not the issuer's: the
	// signature verifies but key provenance fails.
	other := newTestKey(t, 5)
	emb := jwt.New(jwt.Options{EmbedJWK: true})
	doc := c.WithoutProof()
	tok2, err := emb.Seal(context.Background(), doc, vc.ProofOptions{Signer: other.signer, VerificationMethod: ""})
	if err == nil {
		rep = mustVerify(t, v, tok2)
		if rep.Verified() {
			t.Errorf("token signed by another key verified:\n%s", summary(rep))
		}
	}
}

// TestVerifyConcurrent runs Verify from several goroutines (run with -race).
func TestVerifyConcurrent(t *testing.T) {
	signed := issue(t, newTestKey(t, 0), nil)
	v := newVerifier(t, badge.VerifierOptions{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				rep, err := v.Verify(context.Background(), signed)
				if err != nil || !rep.Verified() {
					t.Error("not verified")
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestVerifyCancelled: a cancelled context is the only error.
func TestVerifyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := newVerifier(t, badge.VerifierOptions{}).Verify(ctx, issue(t, newTestKey(t, 0), nil))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

// TestVerifyGarbage: input that is no credential at all gives a report
// with parse failed and every other step skipped, not an error.
func TestVerifyGarbage(t *testing.T) {
	v := newVerifier(t, badge.VerifierOptions{})
	for _, in := range []string{"", "hello", "{", `{"a":1,"a":2}`, "a.b.c", "[1]", "<svg/>", "\x89PNG\r\n\x1a\n"} {
		rep := mustVerify(t, v, []byte(in))
		if rep.Verified() {
			t.Errorf("%q verified", in)
		}
		if len(rep.Checks) != len(badge.CheckOrder) {
			t.Errorf("%q: %d checks", in, len(rep.Checks))
		}
	}
}

// TestReportJSON: the documented JSON form.
func TestReportJSON(t *testing.T) {
	rep := mustVerify(t, newVerifier(t, badge.VerifierOptions{}), issue(t, newTestKey(t, 0), nil))
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["verified"] != true {
		t.Errorf("verified = %v", m["verified"])
	}
	cred := m["credential"].(map[string]any)
	for _, k := range []string{"id", "issuer", "types"} {
		if _, ok := cred[k]; !ok {
			t.Errorf("credential lacks %s", k)
		}
	}
	checks := m["checks"].([]any)
	if len(checks) != len(badge.CheckOrder) {
		t.Fatalf("%d checks", len(checks))
	}
	first := checks[0].(map[string]any)
	if first["id"] != "parse" || first["outcome"] != "passed" || first["message"] == "" {
		t.Errorf("first check %v", first)
	}
	if _, ok := m["euElements"]; ok {
		t.Error("euElements present for a non-EU credential")
	}
	var back badge.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Verified() || len(back.Checks) != len(rep.Checks) {
		t.Error("round trip lost checks")
	}
	empty, _ := json.Marshal(&badge.Report{})
	if string(empty) != `{"verified":false,"credential":{"id":"","issuer":"","types":[]},"checks":[]}` {
		t.Errorf("empty report: %s", empty)
	}
}

// FuzzVerify: whatever the input, Verify returns a report with every
// check and no error (the context is never cancelled here), and never
// panics.
func FuzzVerify(f *testing.F) {
	k := newTestKey(f, 0)
	signed := issue(f, k, nil)
	f.Add(signed)
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","proof":{"type":"DataIntegrityProof"}}`))
	f.Add([]byte("eyJhbGciOiJFZERTQSJ9.e30.AAAA"))
	f.Add([]byte(`<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[{}]]></openbadges:credential></svg>`))
	// Enveloped credentials and JSON strings holding a JWS.
	jose := sealJWT(f, k, jwt.VCJOSE)
	f.Add(mustJSON(f, envelope("data:application/vc+jwt,"+jose)))
	f.Add(mustJSON(f, jose))
	f.Add([]byte(`{"type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt;base64,e30="}`))
	f.Add([]byte(`{"type":["EnvelopedVerifiableCredential"],"id":"data:application/jwt,%2e.%zz"}`))
	f.Add([]byte(`"a.b.c"`))
	v := newVerifier(f, badge.VerifierOptions{})
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := v.Verify(context.Background(), data)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Checks) != len(badge.CheckOrder) {
			t.Fatalf("%d checks", len(rep.Checks))
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatal(err)
		}
	})
}
