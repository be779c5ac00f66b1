package badge_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
	"github.com/microcred/microcred/vc/jwt"
)

var updatePresentations = flag.Bool("update-presentations", false, "rewrite ../testdata/presentations/ from the test helpers")

const (
	vpChallenge = "c-123"
	vpDomain    = "example.org"
	// vpCreated is when the test presentations are signed.
	vpCreated = "2026-05-31T08:00:00Z"
	// examplePresentation is the stored signed presentation.
	examplePresentation = "../testdata/presentations/vp-di-ob3-and-enveloped-jwt.json"
)

// demoKey is the public demo issuer key (keys.DemoIssuerDID).
func demoKey(t testing.TB) testKey {
	t.Helper()
	priv := ed25519.NewKeyFromSeed([]byte("microcred demo key: NOT SECRET!!"))
	did, _ := keys.DIDKey(priv.Public())
	require.Equal(t, keys.DemoIssuerDID, did)
	signer, err := keys.NewSigner(priv, "")
	require.NoError(t, err)
	return testKey{signer, did}
}

// decodeDoc decodes JSON keeping numbers as json.Number.
func decodeDoc(t testing.TB, b []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m))
	return m
}

// vpCredentials are the credentials of the test presentation: an OB 3.0
// micro-credential with an embedded eddsa-rdfc-2022 proof by the demo
// issuer, and the same credential as an enveloped VC-JOSE token.
func vpCredentials(t testing.TB) []any {
	t.Helper()
	demo := demoKey(t)
	signed := issue(t, demo, func(c *badge.AchievementCredential) {
		c.ID = "urn:uuid:0b6a1f0e-6d2c-4c1e-9a3f-5e7d8c9b0a11"
	})
	c, err := vc.Parse(signed)
	require.NoError(t, err)
	tok, err := jwt.New(jwt.Options{Profile: jwt.VCJOSE}).Seal(context.Background(), c.WithoutProof(), vc.ProofOptions{Signer: demo.signer})
	require.NoError(t, err)
	return []any{decodeDoc(t, signed), envelope("data:application/vc+jwt," + string(tok))}
}

// presentation builds an unsigned presentation of holder with creds.
func presentation(holder any, creds ...any) map[string]any {
	vp := map[string]any{
		"@context":             []any{"https://www.w3.org/ns/credentials/v2"},
		"id":                   "urn:uuid:5d1e2c3b-4a59-4687-9a0b-1c2d3e4f5a6b",
		"type":                 []any{"VerifiablePresentation"},
		"verifiableCredential": creds,
	}
	if holder != nil {
		vp["holder"] = holder
	}
	return vp
}

// signVP signs vp with k (purpose authentication unless opts says).
func signVP(t testing.TB, vp map[string]any, k testKey, opts dataintegrity.SignOptions) []byte {
	t.Helper()
	if opts.Purpose == "" {
		opts.Purpose = dataintegrity.PurposeAuthentication
	}
	created, _ := time.Parse(time.RFC3339, vpCreated)
	opts.Created = created
	signed, err := dataintegrity.AddProof(context.Background(), vp, k.signer, opts)
	require.NoError(t, err)
	b, err := vc.Marshal(signed)
	require.NoError(t, err)
	return b
}

// examplePresentationBytes is the stored example: the holder (did:key,
// seed 42) presents vpCredentials with challenge c-123 for example.org.
func examplePresentationBytes(t testing.TB) []byte {
	t.Helper()
	holder := newTestKey(t, 42)
	return signVP(t, presentation(holder.did, vpCredentials(t)...), holder,
		dataintegrity.SignOptions{Challenge: vpChallenge, Domain: []string{vpDomain}})
}

func vpVerifier(t testing.TB) *badge.Verifier {
	t.Helper()
	return newVerifier(t, badge.VerifierOptions{Registry: keys.DemoRegistry()})
}

// TestVerifyPresentation: a holder-signed presentation of a Data
// Integrity credential and an enveloped VC-JWT verifies; each way of
// getting it wrong fails the check that should.
func TestVerifyPresentation(t *testing.T) {
	holder := newTestKey(t, 42)
	stranger := newTestKey(t, 43)
	creds := vpCredentials(t)
	good := signVP(t, presentation(holder.did, creds...), holder, dataintegrity.SignOptions{Challenge: vpChallenge, Domain: []string{vpDomain}})

	// The inner credential tampered before the holder signs: only the
	// credentials check can notice.
	tamperedCred := decodeDoc(t, mustJSON(t, creds[0]))
	tamperedCred["name"] = "Another name"
	tamperedInner := signVP(t, presentation(holder.did, tamperedCred, creds[1]), holder, dataintegrity.SignOptions{Challenge: vpChallenge, Domain: []string{vpDomain}})
	// Tampered after signing: the presentation's proof fails too.
	tamperedAfter := []byte(strings.Replace(string(good), "Data Literacy for Researchers", "Data Literacy for Professors", 1))
	require.NotEqual(t, good, tamperedAfter)

	many := make([]any, badge.MaxPresentationCredentials+1)
	for i := range many {
		many[i] = creds[1]
	}
	jwtString := strings.TrimPrefix(creds[1].(map[string]any)["id"].(string), "data:application/vc+jwt,")

	type want map[string]badge.Outcome
	for _, tc := range []struct {
		name     string
		in       []byte
		opts     badge.PresentationOptions
		verified bool
		want     want
		message  map[string]string // check → part of its message
	}{
		{name: "verifies", in: good, opts: badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain}, verified: true,
			want: want{"parse": badge.Passed, "proof": badge.Passed, "holder": badge.Passed, "credentials": badge.Passed}},
		{name: "no challenge or domain asked", in: good, verified: true,
			want: want{"proof": badge.Passed}},
		{name: "wrong challenge", in: good, opts: badge.PresentationOptions{Challenge: "c-999", Domain: vpDomain},
			want: want{"proof": badge.Failed, "holder": badge.Skipped, "credentials": badge.Passed}, message: map[string]string{"proof": "challenge"}},
		{name: "missing challenge when asked",
			in:   signVP(t, presentation(holder.did, creds...), holder, dataintegrity.SignOptions{Domain: []string{vpDomain}}),
			opts: badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain},
			want: want{"proof": badge.Failed}, message: map[string]string{"proof": "challenge"}},
		{name: "wrong domain", in: good, opts: badge.PresentationOptions{Challenge: vpChallenge, Domain: "evil.example"},
			want: want{"proof": badge.Failed}, message: map[string]string{"proof": "domain"}},
		{name: "holder is not the signer",
			in:   signVP(t, presentation(stranger.did, creds...), holder, dataintegrity.SignOptions{Challenge: vpChallenge}),
			opts: badge.PresentationOptions{Challenge: vpChallenge},
			want: want{"proof": badge.Passed, "holder": badge.Failed, "credentials": badge.Passed}, message: map[string]string{"holder": stranger.did}},
		{name: "holder as an object",
			in:   signVP(t, presentation(map[string]any{"id": holder.did}, creds...), holder, dataintegrity.SignOptions{Challenge: vpChallenge}),
			opts: badge.PresentationOptions{Challenge: vpChallenge}, verified: true,
			want: want{"holder": badge.Passed}},
		{name: "no holder",
			in:       signVP(t, presentation(nil, creds...), holder, dataintegrity.SignOptions{}),
			verified: true,
			want:     want{"holder": badge.Passed}, message: map[string]string{"holder": "not bound"}},
		{name: "inner credential tampered before signing", in: tamperedInner, opts: badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain},
			want: want{"proof": badge.Passed, "holder": badge.Passed, "credentials": badge.Failed}, message: map[string]string{"credentials": "index 0"}},
		{name: "tampered after signing", in: tamperedAfter, opts: badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain},
			want: want{"proof": badge.Failed, "credentials": badge.Failed}},
		{name: "unsigned", in: mustJSON(t, presentation(holder.did, creds...)),
			want: want{"proof": badge.Failed, "credentials": badge.Passed}, message: map[string]string{"proof": "no proof"}},
		{name: "unsigned allowed", in: mustJSON(t, presentation(holder.did, creds...)), opts: badge.PresentationOptions{AllowUnsigned: true}, verified: true,
			want: want{"proof": badge.Warning, "holder": badge.Warning, "credentials": badge.Passed}},
		{name: "unsigned allowed, bad credential", in: mustJSON(t, presentation(nil, tamperedCred)), opts: badge.PresentationOptions{AllowUnsigned: true},
			want: want{"proof": badge.Warning, "credentials": badge.Failed}},
		{name: "AllowUnsigned does not excuse a bad proof", in: tamperedAfter, opts: badge.PresentationOptions{AllowUnsigned: true},
			want: want{"proof": badge.Failed}},
		{name: "assertionMethod purpose",
			in:   signVP(t, presentation(holder.did, creds...), holder, dataintegrity.SignOptions{Purpose: dataintegrity.PurposeAssertion, Challenge: vpChallenge, Domain: []string{vpDomain}}),
			opts: badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain},
			want: want{"proof": badge.Failed}, message: map[string]string{"proof": "authentication"}},
		{name: "65 credentials", in: mustJSON(t, presentation(holder.did, many...)), opts: badge.PresentationOptions{AllowUnsigned: true},
			want: want{"parse": badge.Failed, "proof": badge.Skipped, "credentials": badge.Skipped}, message: map[string]string{"parse": "1 problem"}},
		{name: "64 credentials", in: mustJSON(t, presentation(nil, many[:64]...)), opts: badge.PresentationOptions{AllowUnsigned: true}, verified: true,
			want: want{"parse": badge.Passed, "credentials": badge.Passed}},
		{name: "no credentials", in: signVP(t, presentation(holder.did), holder, dataintegrity.SignOptions{}), verified: true,
			want: want{"credentials": badge.Passed}, message: map[string]string{"credentials": "no credentials"}},
		{name: "a JWS string credential", in: signVP(t, presentation(holder.did, jwtString), holder, dataintegrity.SignOptions{}), verified: true,
			want: want{"credentials": badge.Passed}},
		{name: "malformed JSON", in: []byte(`{"type":"VerifiablePresentation",`), want: want{"parse": badge.Failed, "proof": badge.Skipped}},
		{name: "duplicate member", in: []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation","type":"X"}`),
			want: want{"parse": badge.Failed}, message: map[string]string{"parse": "duplicate"}},
		{name: "not an object", in: []byte(`[]`), want: want{"parse": badge.Failed}},
		{name: "not a presentation", in: mustJSON(t, creds[0]), want: want{"parse": badge.Failed}, message: map[string]string{"parse": "problem"}},
		{name: "wrong first context", in: []byte(`{"@context":["https://example.org/ctx"],"type":"VerifiablePresentation"}`), opts: badge.PresentationOptions{AllowUnsigned: true},
			want: want{"parse": badge.Failed}},
		{name: "VCDM 1.1", in: []byte(`{"@context":["https://www.w3.org/2018/credentials/v1"],"type":"VerifiablePresentation"}`), opts: badge.PresentationOptions{AllowUnsigned: true}, verified: true,
			want: want{"parse": badge.Warning}},
		{name: "credential of the wrong kind", in: []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation","verifiableCredential":[1]}`), opts: badge.PresentationOptions{AllowUnsigned: true},
			want: want{"parse": badge.Failed}, message: map[string]string{"parse": "1 problem"}},
		{name: "holder without id", in: []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation","holder":{"name":"x"}}`), opts: badge.PresentationOptions{AllowUnsigned: true},
			want: want{"parse": badge.Failed}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := vpVerifier(t).VerifyPresentation(context.Background(), tc.in, tc.opts)
			require.NoError(t, err)
			require.Len(t, rep.Checks, len(badge.PresentationCheckOrder))
			for i, c := range rep.Checks {
				assert.Equal(t, badge.PresentationCheckOrder[i], c.ID)
			}
			for id, w := range tc.want {
				c := rep.Check(id)
				assert.Equal(t, w, c.Outcome, "check %s: %s\n%s", id, c.Message, vpSummary(rep))
			}
			for id, m := range tc.message {
				assert.Contains(t, rep.Check(id).Message, m)
			}
			assert.Equal(t, tc.verified, rep.Verified(), vpSummary(rep))
		})
	}
}

// TestVerifyPresentationCredentialReports: the credentials' reports are by
// index, use the per-credential check selection, and a failing one makes
// the presentation unverified even though the presentation checks pass.
func TestVerifyPresentationCredentialReports(t *testing.T) {
	holder := newTestKey(t, 42)
	creds := vpCredentials(t)
	in := examplePresentationBytes(t)
	v := vpVerifier(t)
	opts := badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain}
	rep, err := v.VerifyPresentation(context.Background(), in, opts)
	require.NoError(t, err)
	require.True(t, rep.Verified(), vpSummary(rep))
	require.Len(t, rep.Credentials, 2)
	assert.Equal(t, "json", rep.Credentials[0].Credential.Format)
	assert.Equal(t, "enveloped+jwt", rep.Credentials[1].Credential.Format)
	for _, c := range rep.Credentials {
		assert.Equal(t, keys.DemoIssuerDID, c.Credential.Issuer)
		assert.Equal(t, badge.Passed, c.Check(badge.CheckRegistry).Outcome)
	}
	assert.Equal(t, badge.PresentationInfo{ID: "urn:uuid:5d1e2c3b-4a59-4687-9a0b-1c2d3e4f5a6b", Holder: holder.did, Types: []string{"VerifiablePresentation"}}, rep.Presentation)

	// Only the proof of each credential.
	opts.Checks = []string{"proof"}
	rep, err = v.VerifyPresentation(context.Background(), in, opts)
	require.NoError(t, err)
	assert.True(t, rep.Verified())
	for _, c := range rep.Credentials {
		assert.Equal(t, "not requested", c.Check(badge.CheckRegistry).Message)
	}

	// An unknown check: an error before any work.
	opts.Checks = []string{"nope"}
	_, err = v.VerifyPresentation(context.Background(), in, opts)
	assert.True(t, errors.Is(err, badge.ErrUnknownCheck))

	// An embedded credential is verified on its own: the presentation's
	// @context does not reach it. A credential that relies on it (no
	// @context of its own) fails at its context_and_type check.
	noCtx := decodeDoc(t, mustJSON(t, creds[0]))
	delete(noCtx, "@context")
	rep, err = v.VerifyPresentation(context.Background(), mustJSON(t, presentation(nil, noCtx)), badge.PresentationOptions{AllowUnsigned: true})
	require.NoError(t, err)
	assert.False(t, rep.Verified())
	assert.Equal(t, badge.Failed, rep.Credentials[0].Check(badge.CheckContextAndType).Outcome)
	entries := rep.Check(badge.PresentationCheckCredentials).Details["credentials"].([]map[string]any)
	assert.Equal(t, false, entries[0]["verified"])
	assert.Contains(t, entries[0]["failed"], badge.CheckContextAndType)

	// A cancelled context is the only error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = v.VerifyPresentation(ctx, in, badge.PresentationOptions{})
	assert.ErrorIs(t, err, context.Canceled)
}

// TestPresentationReportJSON: the documented JSON form, and back.
func TestPresentationReportJSON(t *testing.T) {
	rep, err := vpVerifier(t).VerifyPresentation(context.Background(), examplePresentationBytes(t), badge.PresentationOptions{Challenge: vpChallenge})
	require.NoError(t, err)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, true, m["verified"])
	for _, k := range []string{"verified", "presentation", "checks", "credentials"} {
		assert.Contains(t, m, k)
	}
	assert.Len(t, m, 4)
	assert.Len(t, m["credentials"], 2)
	assert.Equal(t, "parse", m["checks"].([]any)[0].(map[string]any)["id"])

	var back badge.PresentationReport
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.Verified())
	assert.Equal(t, rep.Presentation, back.Presentation)
	require.Len(t, back.Credentials, 2)
	assert.True(t, back.Credentials[1].Verified())

	// "verified" is recomputed, not read.
	require.NoError(t, json.Unmarshal([]byte(`{"verified":true,"checks":[{"id":"proof","outcome":"failed","message":"x"}]}`), &back))
	assert.False(t, back.Verified())

	empty, err := json.Marshal(&badge.PresentationReport{})
	require.NoError(t, err)
	assert.JSONEq(t, `{"verified":false,"presentation":{"id":"","holder":"","types":[]},"checks":[],"credentials":[]}`, string(empty))
}

// TestPresentationTestdata: the stored example presentation verifies.
// Regenerate it with
//
//	go test ./badge -run TestPresentationTestdata -update-presentations
func TestPresentationTestdata(t *testing.T) {
	if *updatePresentations {
		var out bytes.Buffer
		require.NoError(t, json.Indent(&out, examplePresentationBytes(t), "", "  "))
		out.WriteByte('\n')
		require.NoError(t, os.WriteFile(examplePresentation, out.Bytes(), 0o644))
	}
	in, err := os.ReadFile(examplePresentation)
	require.NoError(t, err)
	v := vpVerifier(t)
	rep, err := v.VerifyPresentation(context.Background(), in, badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain})
	require.NoError(t, err)
	assert.True(t, rep.Verified(), vpSummary(rep))
	rep, err = v.VerifyPresentation(context.Background(), in, badge.PresentationOptions{Challenge: "other", Domain: vpDomain})
	require.NoError(t, err)
	assert.False(t, rep.Verified())
}

func vpSummary(r *badge.PresentationReport) string {
	var b strings.Builder
	for _, c := range r.Checks {
		b.WriteString(c.ID + " " + string(c.Outcome) + ": " + c.Message + "\n")
	}
	for i, c := range r.Credentials {
		for _, f := range c.Failures() {
			b.WriteString("  credential " + string(rune('0'+i)) + " " + f.ID + ": " + f.Message + "\n")
		}
	}
	return b.String()
}

// FuzzVerifyPresentation: whatever the input, VerifyPresentation returns
// a report with every presentation check, at most
// MaxPresentationCredentials credential reports, a JSON form, and no
// error; it never panics.
func FuzzVerifyPresentation(f *testing.F) {
	f.Add(examplePresentationBytes(f))
	f.Add(mustJSON(f, presentation("did:example:h", "a.b.c", map[string]any{"type": "EnvelopedVerifiableCredential", "id": "data:application/vc+jwt,x"})))
	f.Add([]byte(`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiablePresentation","holder":{"id":5},"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"authentication","verificationMethod":"did:key:z6Mk"}}`))
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"verifiableCredential":{"@context":[],"proof":[]},"proof":[{},null]}`))
	f.Add([]byte(`[]`))
	v := vpVerifier(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range []badge.PresentationOptions{{}, {AllowUnsigned: true, Challenge: vpChallenge, Checks: []string{"proof"}}} {
			rep, err := v.VerifyPresentation(context.Background(), data, opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Checks) != len(badge.PresentationCheckOrder) || len(rep.Credentials) > badge.MaxPresentationCredentials {
				t.Fatalf("%d checks, %d credentials", len(rep.Checks), len(rep.Credentials))
			}
			if _, err := json.Marshal(rep); err != nil {
				t.Fatal(err)
			}
		}
	})
}
