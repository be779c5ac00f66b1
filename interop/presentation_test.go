package interop

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
)

// Presentations both ways: a presentation signed here (purpose
// authentication, challenge, domain) verifies with @digitalbazaar/vc
// verify(), and one signed with signPresentation() verifies with
// badge.Verifier.VerifyPresentation; each side rejects a wrong challenge,
// a wrong domain and tampering.

const (
	vpChallenge = "c-8f2e41"
	vpDomain    = "verifier.example.org"
)

var (
	vpIssued  = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	vpCreated = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	vpNow     = time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	// demoSeed is the seed of the public demo issuer key (keys.DemoIssuerDID).
	demoSeed   = []byte("microcred demo key: NOT SECRET!!")
	holderSeed = []byte("microcred interop holder key 32B")
)

type vpKey struct {
	signer keys.Signer
	did    string
	seed   []byte
}

func newVPKey(t *testing.T, seed []byte) vpKey {
	t.Helper()
	require.Len(t, seed, ed25519.SeedSize)
	priv := ed25519.NewKeyFromSeed(seed)
	did, err := keys.DIDKey(priv.Public())
	require.NoError(t, err)
	vm, err := keys.DIDKeyURL(priv.Public())
	require.NoError(t, err)
	s, err := keys.NewSigner(priv, vm)
	require.NoError(t, err)
	return vpKey{s, did, seed}
}

// vpCredential is an OB 3.0 micro-credential without issuer, id and
// validFrom, which badge.Issuer fills in.
func vpCredential() *badge.AchievementCredential {
	return &badge.AchievementCredential{
		ID:   "urn:uuid:9a7c2d10-4e3b-4f6a-8c1d-2b5e7f9a0c34",
		Type: badge.Many[string]{badge.TypeVerifiableCredential, badge.TypeOpenBadgeCredential},
		Name: badge.NewText("Datenkompetenz für Forschende"),
		CredentialSubject: badge.OneOrMany[badge.AchievementSubject]{{
			Type: badge.Many[string]{badge.TypeAchievementSubject},
			Identifier: badge.Many[badge.IdentityObject]{
				badge.NewHashedIdentity(badge.IdentifierTypeEmailAddress, "learner@example.org", "2d1f0c9a"),
			},
			Achievement: &badge.Achievement{
				ID:               "https://example.edu/achievements/data-literacy",
				Type:             badge.Many[string]{badge.TypeAchievement},
				AchievementType:  badge.AchievementTypeMicroCredential,
				Name:             badge.NewText("Datenkompetenz für Forschende"),
				Description:      badge.NewText("Forschungsdaten finden, bewerten und zitieren — „FAIR“."),
				Criteria:         &badge.Criteria{Narrative: badge.NewText("Pass the final assessment (60% or more).")},
				CreditsAvailable: "5",
			},
		}},
	}
}

// goIssued is vpCredential issued by badge.Issuer with the demo key.
func goIssued(t *testing.T) map[string]any {
	t.Helper()
	demo := newVPKey(t, demoSeed)
	require.Equal(t, keys.DemoIssuerDID, demo.did)
	is, err := badge.NewIssuer(demo.signer, badge.Profile{Name: badge.NewText("Example University")}, badge.IssuerOptions{Now: func() time.Time { return vpIssued }})
	require.NoError(t, err)
	signed, err := is.Issue(context.Background(), vpCredential())
	require.NoError(t, err)
	return decode(t, signed)
}

func vpVerifier(t *testing.T) *badge.Verifier {
	t.Helper()
	v, err := badge.NewVerifier(badge.VerifierOptions{Registry: keys.DemoRegistry(), Now: func() time.Time { return vpNow }})
	require.NoError(t, err)
	return v
}

func goPresentation(holder any, creds ...any) map[string]any {
	vp := map[string]any{
		"@context":             []any{"https://www.w3.org/ns/credentials/v2"},
		"id":                   "urn:uuid:3c6f0b7e-52a1-4d8e-9f20-7a1b2c3d4e5f",
		"type":                 []any{"VerifiablePresentation"},
		"verifiableCredential": creds,
	}
	if holder != nil {
		vp["holder"] = holder
	}
	return vp
}

func signGoVP(t *testing.T, vp map[string]any, k vpKey, challenge string, domain ...string) map[string]any {
	t.Helper()
	signed, err := dataintegrity.AddProof(context.Background(), vp, k.signer, dataintegrity.SignOptions{
		Purpose:   dataintegrity.PurposeAuthentication,
		Challenge: challenge,
		Domain:    domain,
		Created:   vpCreated,
	})
	require.NoError(t, err)
	return signed
}

// clone deep-copies a decoded JSON document.
func clone(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return decode(t, b)
}

type jsVPResult struct {
	Verified             bool    `json:"verified"`
	Error                *string `json:"error"`
	PresentationVerified bool    `json:"presentationVerified"`
	Proofs               []struct {
		VerificationMethod string `json:"verificationMethod"`
		Verified           bool   `json:"verified"`
		Error              string `json:"error"`
	} `json:"proofs"`
	Credentials []struct {
		ID       string `json:"id"`
		Verified bool   `json:"verified"`
		Error    string `json:"error"`
	} `json:"credentials"`
	Canonical      string `json:"canonical"`
	CanonicalError string `json:"canonicalError"`
}

type jsVPRequest struct {
	Presentation map[string]any `json:"presentation"`
	Challenge    string         `json:"challenge,omitempty"`
	Domain       string         `json:"domain,omitempty"`
	Now          string         `json:"now,omitempty"`
	HolderCheck  bool           `json:"holderCheck,omitempty"`
	ProofOnly    bool           `json:"proofOnly,omitempty"`
	Canonicalize bool           `json:"canonicalize,omitempty"`
}

// jsVerifyVP runs vp-verify.mjs; the exit code must agree with "verified".
func jsVerifyVP(t *testing.T, node string, req jsVPRequest) jsVPResult {
	t.Helper()
	if req.Now == "" {
		req.Now = vpNow.Format(time.RFC3339)
	}
	in, err := json.Marshal(req)
	require.NoError(t, err)
	out, code := runJS(t, node, "vp-verify.mjs", in)
	var res jsVPResult
	require.NoError(t, json.Unmarshal(out, &res), "%s", out)
	require.Equal(t, res.Verified, code == 0, "exit code %d for %s", code, out)
	return res
}

func jsErr(r jsVPResult) string {
	if r.Error == nil {
		return ""
	}
	return *r.Error
}

// goCanonical is the RDFC-1.0 canonical N-Quads of vp without its proof.
func goCanonical(t *testing.T, vp map[string]any) string {
	t.Helper()
	unsecured := clone(t, vp)
	delete(unsecured, "proof")
	nq, err := ld.Canonicalize(context.Background(), unsecured, nil)
	require.NoError(t, err)
	return string(nq)
}

// assertSameCanonical compares the canonical N-Quads of both sides and, if
// they differ, shows the lines only one side has.
func assertSameCanonical(t *testing.T, goNQ string, js jsVPResult) {
	t.Helper()
	require.Empty(t, js.CanonicalError, "JS canonicalization")
	if goNQ == js.Canonical {
		return
	}
	only := func(a, b string) []string {
		in := map[string]bool{}
		for _, l := range strings.Split(b, "\n") {
			in[l] = true
		}
		var out []string
		for _, l := range strings.Split(a, "\n") {
			if !in[l] {
				out = append(out, l)
			}
		}
		return out
	}
	t.Errorf("canonical N-Quads differ\nonly in Go:\n%s\nonly in JS:\n%s",
		strings.Join(only(goNQ, js.Canonical), "\n"), strings.Join(only(js.Canonical, goNQ), "\n"))
}

func goVerifyVP(t *testing.T, vp map[string]any, opts badge.PresentationOptions) *badge.PresentationReport {
	t.Helper()
	b, err := vc.Marshal(vp)
	require.NoError(t, err)
	rep, err := vpVerifier(t).VerifyPresentation(context.Background(), b, opts)
	require.NoError(t, err)
	return rep
}

func vpSummary(r *badge.PresentationReport) string {
	var b strings.Builder
	for _, c := range r.Checks {
		b.WriteString(c.ID + " " + string(c.Outcome) + ": " + c.Message + "\n")
		if c.ID == badge.PresentationCheckProof && c.Outcome != badge.Passed {
			if d, err := json.MarshalIndent(c.Details, "  ", "  "); err == nil {
				b.WriteString("  " + string(d) + "\n")
			}
		}
	}
	for i, c := range r.Credentials {
		for _, f := range c.Failures() {
			b.WriteString("  credential " + string(rune('0'+i)) + " " + f.ID + ": " + f.Message + "\n")
		}
	}
	return b.String()
}

// TestGoPresentationJSVerifies: a presentation signed here, holding a
// credential issued by badge.Issuer, verifies with @digitalbazaar/vc
// verify() — the presentation's authentication proof for the challenge and
// domain, and the credential — and both sides canonicalize it the same way;
// JS rejects what VerifyPresentation rejects.
func TestGoPresentationJSVerifies(t *testing.T) {
	node := needNode(t)
	holder := newVPKey(t, holderSeed)
	stranger := newVPKey(t, seed)
	cred := goIssued(t)
	good := signGoVP(t, goPresentation(holder.did, cred), holder, vpChallenge, vpDomain)

	t.Run("verifies", func(t *testing.T) {
		rep := goVerifyVP(t, good, badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain})
		require.True(t, rep.Verified(), "Go: %s", vpSummary(rep))

		res := jsVerifyVP(t, node, jsVPRequest{Presentation: good, Challenge: vpChallenge, Domain: vpDomain, HolderCheck: true, Canonicalize: true})
		assert.True(t, res.Verified, "JS: %s", jsErr(res))
		assert.True(t, res.PresentationVerified)
		require.Len(t, res.Credentials, 1)
		assert.True(t, res.Credentials[0].Verified, res.Credentials[0].Error)
		assert.Equal(t, cred["id"], res.Credentials[0].ID)
		assertSameCanonical(t, goCanonical(t, good), res)
	})

	// Each case: what JS says, and that VerifyPresentation agrees.
	tamperedID := clone(t, good)
	tamperedID["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
	tamperedCred := clone(t, good)
	tamperedCred["verifiableCredential"].([]any)[0].(map[string]any)["name"] = "Datenkompetenz für Professoren"
	tamperedProof := clone(t, good)
	tamperedProof["proof"].(map[string]any)["challenge"] = "c-other"
	for _, tc := range []struct {
		name      string
		vp        map[string]any
		challenge string
		domain    string
		// presentation: the presentation's proof verifies; credential: the
		// credential verifies.
		presentation, credential bool
		jsError                  string
	}{
		{name: "wrong challenge", vp: good, challenge: "c-999", domain: vpDomain, credential: true, jsError: "challenge"},
		{name: "wrong domain", vp: good, challenge: vpChallenge, domain: "evil.example", credential: true, jsError: "domain"},
		{name: "presentation id tampered", vp: tamperedID, challenge: vpChallenge, domain: vpDomain, credential: true, jsError: "Invalid signature"},
		{name: "credential tampered after signing", vp: tamperedCred, challenge: vpChallenge, domain: vpDomain, jsError: "Invalid signature"},
		{name: "proof challenge rewritten", vp: tamperedProof, challenge: "c-other", domain: vpDomain, credential: true, jsError: "Invalid signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := jsVerifyVP(t, node, jsVPRequest{Presentation: tc.vp, Challenge: tc.challenge, Domain: tc.domain})
			assert.False(t, res.Verified, "JS must reject")
			assert.Equal(t, tc.presentation, res.PresentationVerified, "JS presentation proof: %s", jsErr(res))
			require.Len(t, res.Credentials, 1)
			assert.Equal(t, tc.credential, res.Credentials[0].Verified, "JS credential: %s", res.Credentials[0].Error)
			assert.Contains(t, jsErr(res), tc.jsError)

			rep := goVerifyVP(t, tc.vp, badge.PresentationOptions{Challenge: tc.challenge, Domain: tc.domain})
			assert.False(t, rep.Verified(), "Go must reject too")
			assert.Equal(t, tc.presentation, rep.Check(badge.PresentationCheckProof).Outcome == badge.Passed, "Go proof: %s", vpSummary(rep))
			require.Len(t, rep.Credentials, 1)
			assert.Equal(t, tc.credential, rep.Credentials[0].Verified(), "Go credential: %s", vpSummary(rep))
		})
	}

	t.Run("several domains", func(t *testing.T) {
		vp := signGoVP(t, goPresentation(holder.did, cred), holder, vpChallenge, "a.example", vpDomain)
		require.IsType(t, []any{}, vp["proof"].(map[string]any)["domain"])
		res := jsVerifyVP(t, node, jsVPRequest{Presentation: vp, Challenge: vpChallenge, Domain: vpDomain})
		assert.True(t, res.Verified, "JS: %s", jsErr(res))
		assert.True(t, goVerifyVP(t, vp, badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain}).Verified())
		res = jsVerifyVP(t, node, jsVPRequest{Presentation: vp, Challenge: vpChallenge, Domain: "b.example"})
		assert.False(t, res.Verified)
		assert.False(t, goVerifyVP(t, vp, badge.PresentationOptions{Challenge: vpChallenge, Domain: "b.example"}).Verified())
	})

	t.Run("holder is not the signer", func(t *testing.T) {
		vp := signGoVP(t, goPresentation(stranger.did, cred), holder, vpChallenge, vpDomain)
		// vc.verify() alone does not bind the holder; with the holder's DID
		// document as the purpose's controller it does, as Go's holder
		// check does.
		res := jsVerifyVP(t, node, jsVPRequest{Presentation: vp, Challenge: vpChallenge, Domain: vpDomain})
		assert.True(t, res.Verified, "JS: %s", jsErr(res))
		res = jsVerifyVP(t, node, jsVPRequest{Presentation: vp, Challenge: vpChallenge, Domain: vpDomain, HolderCheck: true})
		assert.False(t, res.Verified)
		assert.Contains(t, jsErr(res), "not authorized by controller")
		rep := goVerifyVP(t, vp, badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain})
		assert.Equal(t, badge.Passed, rep.Check(badge.PresentationCheckProof).Outcome)
		assert.Equal(t, badge.Failed, rep.Check(badge.PresentationCheckHolder).Outcome)
	})

	t.Run("holder as an object, no domain", func(t *testing.T) {
		vp := signGoVP(t, goPresentation(map[string]any{"id": holder.did}, cred), holder, vpChallenge)
		res := jsVerifyVP(t, node, jsVPRequest{Presentation: vp, Challenge: vpChallenge, HolderCheck: true, Canonicalize: true})
		assert.True(t, res.Verified, "JS: %s", jsErr(res))
		assertSameCanonical(t, goCanonical(t, vp), res)
		// A domain asked for, none in the proof.
		res = jsVerifyVP(t, node, jsVPRequest{Presentation: vp, Challenge: vpChallenge, Domain: vpDomain})
		assert.False(t, res.Verified)
		assert.False(t, goVerifyVP(t, vp, badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain}).Verified())
	})
}

// TestPresentationTestdataJSVerifies: the stored example presentation
// (testdata/presentations, a Data Integrity credential and an enveloped
// VC-JOSE one) has a proof the JS stack verifies. vc 7.3.0 cannot verify
// an EnvelopedVerifiableCredential, so only the presentation's proof is
// checked there (and the Data Integrity credential by vc.verify()).
func TestPresentationTestdataJSVerifies(t *testing.T) {
	node := needNode(t)
	b, err := os.ReadFile("../testdata/presentations/vp-di-ob3-and-enveloped-jwt.json")
	require.NoError(t, err)
	vp := decode(t, b)
	const challenge, domain = "c-123", "example.org"

	res := jsVerifyVP(t, node, jsVPRequest{Presentation: vp, Challenge: challenge, Domain: domain, ProofOnly: true, HolderCheck: true, Canonicalize: true})
	assert.True(t, res.Verified, "JS: %s", jsErr(res))
	assertSameCanonical(t, goCanonical(t, vp), res)

	res = jsVerifyVP(t, node, jsVPRequest{Presentation: vp, Challenge: "other", Domain: domain, ProofOnly: true})
	assert.False(t, res.Verified)

	res = jsVerifyVP(t, node, jsVPRequest{Presentation: vp, Challenge: challenge, Domain: domain, Now: "2026-06-01T00:00:00Z"})
	assert.True(t, res.PresentationVerified, "JS: %s", jsErr(res))
	require.Len(t, res.Credentials, 2)
	assert.True(t, res.Credentials[0].Verified, "the Data Integrity credential: %s", res.Credentials[0].Error)
	assert.False(t, res.Credentials[1].Verified, "vc 7.3.0 does not verify enveloped credentials")
}

// jsSignCredential runs sign.mjs (a credential, proof purpose assertionMethod).
func jsSignCredential(t *testing.T, node string, cred map[string]any, seed []byte, created time.Time) map[string]any {
	t.Helper()
	in, err := json.Marshal(map[string]any{"credential": cred, "seed": hex.EncodeToString(seed), "created": created.Format(time.RFC3339)})
	require.NoError(t, err)
	out, code := runJS(t, node, "sign.mjs", in)
	require.Equal(t, 0, code, "JS sign: %s", out)
	return decode(t, out)
}

// jsSignVP runs vp-sign.mjs: vc.createPresentation() of creds for holder,
// then vc.signPresentation().
func jsSignVP(t *testing.T, node string, holder vpKey, challenge, domain string, creds ...any) map[string]any {
	t.Helper()
	req := map[string]any{
		"verifiableCredential": creds,
		"holder":               holder.did,
		"id":                   "urn:uuid:7d3b9e2a-1c4f-4b6d-8e0a-5f2c1d3e4b6a",
		"now":                  vpNow.Format(time.RFC3339),
		"seed":                 hex.EncodeToString(holder.seed),
		"challenge":            challenge,
		"created":              vpCreated.Format(time.RFC3339),
	}
	if domain != "" {
		req["domain"] = domain
	}
	in, err := json.Marshal(req)
	require.NoError(t, err)
	out, code := runJS(t, node, "vp-sign.mjs", in)
	require.Equal(t, 0, code, "JS vp-sign: %s", out)
	return decode(t, out)
}

// TestJSPresentationGoVerifies: a presentation built with
// vc.createPresentation() and signed with vc.signPresentation(), holding an
// OB 3.0 credential signed by the JS stack with the demo key, verifies with
// VerifyPresentation and every credential check; Ed25519 being
// deterministic, microcred signing the same presentation with the same
// options gives the same proofValue. A wrong challenge or domain, or
// tampering, fails.
func TestJSPresentationGoVerifies(t *testing.T) {
	node := needNode(t)
	holder := newVPKey(t, holderSeed)

	// The Go-issued credential, re-signed by JS with the demo key.
	goCred := goIssued(t)
	unsigned := clone(t, goCred)
	delete(unsigned, "proof")
	created, err := time.Parse(time.RFC3339, goCred["proof"].(map[string]any)["created"].(string))
	require.NoError(t, err)
	jsCred := jsSignCredential(t, node, unsigned, demoSeed, created)
	assert.Equal(t, goCred["proof"], jsCred["proof"], "same credential, key and options: the same proof")

	vp := jsSignVP(t, node, holder, vpChallenge, vpDomain, jsCred)
	proof := vp["proof"].(map[string]any)
	assert.Equal(t, "DataIntegrityProof", proof["type"])
	assert.Equal(t, "eddsa-rdfc-2022", proof["cryptosuite"])
	assert.Equal(t, "authentication", proof["proofPurpose"])
	assert.Equal(t, vpChallenge, proof["challenge"])
	assert.Equal(t, vpDomain, proof["domain"])

	opts := badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain}
	rep := goVerifyVP(t, vp, opts)
	require.True(t, rep.Verified(), "Go: %s", vpSummary(rep))
	assert.Equal(t, holder.did, rep.Presentation.Holder)
	require.Len(t, rep.Credentials, 1)
	assert.Equal(t, badge.Passed, rep.Credentials[0].Check(badge.CheckRegistry).Outcome)

	// Same canonical form, same signature.
	unsignedVP := clone(t, vp)
	delete(unsignedVP, "proof")
	goVP := signGoVP(t, unsignedVP, holder, vpChallenge, vpDomain)
	assert.Equal(t, proof, goVP["proof"], "same presentation, key and options: the same proof")
	res := jsVerifyVP(t, node, jsVPRequest{Presentation: vp, Challenge: vpChallenge, Domain: vpDomain, HolderCheck: true, Canonicalize: true})
	assert.True(t, res.Verified, "JS verifies its own: %s", jsErr(res))
	assertSameCanonical(t, goCanonical(t, vp), res)

	for _, tc := range []struct {
		name      string
		challenge string
		domain    string
		message   string
	}{
		{"wrong challenge", "c-999", vpDomain, "challenge"},
		{"wrong domain", vpChallenge, "evil.example", "domain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := goVerifyVP(t, vp, badge.PresentationOptions{Challenge: tc.challenge, Domain: tc.domain})
			assert.False(t, rep.Verified())
			assert.Equal(t, badge.Failed, rep.Check(badge.PresentationCheckProof).Outcome)
			assert.Contains(t, rep.Check(badge.PresentationCheckProof).Message, tc.message)
		})
	}
	t.Run("tampered", func(t *testing.T) {
		tampered := clone(t, vp)
		tampered["holder"] = newVPKey(t, seed).did
		rep := goVerifyVP(t, tampered, opts)
		assert.False(t, rep.Verified())
		assert.Equal(t, badge.Failed, rep.Check(badge.PresentationCheckProof).Outcome)

		tampered = clone(t, vp)
		tampered["verifiableCredential"].([]any)[0].(map[string]any)["name"] = "Other"
		rep = goVerifyVP(t, tampered, opts)
		assert.False(t, rep.Verified())
		assert.Equal(t, badge.Failed, rep.Check(badge.PresentationCheckProof).Outcome)
		assert.False(t, rep.Credentials[0].Verified())
	})
	t.Run("no domain", func(t *testing.T) {
		vp := jsSignVP(t, node, holder, vpChallenge, "", jsCred)
		assert.NotContains(t, vp["proof"], "domain")
		assert.True(t, goVerifyVP(t, vp, badge.PresentationOptions{Challenge: vpChallenge}).Verified())
		assert.False(t, goVerifyVP(t, vp, badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain}).Verified())
	})
}

// TestJSPresentationPlainVCGoVerifies: the inner credential is a plain
// VCDM 2.0 credential (the W3C vc-di-eddsa example, issuer set to the
// signing did:key), not an OB 3.0 one, so the Go side checks only its
// proof (PresentationOptions.Checks).
func TestJSPresentationPlainVCGoVerifies(t *testing.T) {
	node := needNode(t)
	holder := newVPKey(t, holderSeed)
	_, issuerDID := testKey(t)
	b, err := os.ReadFile("js/testdata/w3c-vc-di-eddsa/unsigned.json")
	require.NoError(t, err)
	cred := decode(t, b)
	cred["issuer"] = issuerDID
	jsCred := jsSignCredential(t, node, cred, seed, created)

	vp := jsSignVP(t, node, holder, vpChallenge, vpDomain, jsCred)
	opts := badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain, Checks: []string{"proof"}}
	rep := goVerifyVP(t, vp, opts)
	assert.True(t, rep.Verified(), "Go: %s", vpSummary(rep))

	opts.Challenge = "c-999"
	assert.False(t, goVerifyVP(t, vp, opts).Verified())
	opts.Challenge, opts.Domain = vpChallenge, "evil.example"
	assert.False(t, goVerifyVP(t, vp, opts).Verified())

	// Two credentials (two named graphs with blank nodes), signed in JS
	// and in Go: the same canonical form and proof, and each side
	// verifies the other's.
	goCred := goIssued(t)
	vp = jsSignVP(t, node, holder, vpChallenge, vpDomain, jsCred, goCred)
	rep = goVerifyVP(t, vp, badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain, Checks: []string{"proof"}})
	assert.True(t, rep.Verified(), "Go: %s", vpSummary(rep))
	assert.Len(t, rep.Credentials, 2)
	unsignedVP := clone(t, vp)
	delete(unsignedVP, "proof")
	goVP := signGoVP(t, unsignedVP, holder, vpChallenge, vpDomain)
	assert.Equal(t, vp["proof"], goVP["proof"])
	res := jsVerifyVP(t, node, jsVPRequest{Presentation: goVP, Challenge: vpChallenge, Domain: vpDomain, HolderCheck: true, Canonicalize: true})
	assert.True(t, res.Verified, "JS: %s", jsErr(res))
	assert.Len(t, res.Credentials, 2)
	assertSameCanonical(t, goCanonical(t, goVP), res)
}

// TestJSPresentationVCDM11: a VCDM 1.1 presentation, whose context does
// not define DataIntegrityProof: both sides append the Data Integrity v2
// context before signing and produce the same proof; Go verifies it with
// a warning for the outdated context.
func TestJSPresentationVCDM11(t *testing.T) {
	node := needNode(t)
	holder := newVPKey(t, holderSeed)
	unsigned := map[string]any{
		"@context": []any{"https://www.w3.org/2018/credentials/v1"},
		"type":     []any{"VerifiablePresentation"},
		"holder":   holder.did,
	}
	in, err := json.Marshal(map[string]any{
		"presentation": unsigned, "seed": hex.EncodeToString(holder.seed),
		"challenge": vpChallenge, "domain": vpDomain, "created": vpCreated.Format(time.RFC3339),
	})
	require.NoError(t, err)
	out, code := runJS(t, node, "vp-sign.mjs", in)
	require.Equal(t, 0, code, "JS vp-sign: %s", out)
	vp := decode(t, out)
	goVP := signGoVP(t, unsigned, holder, vpChallenge, vpDomain)
	assert.Equal(t, vp["@context"], goVP["@context"])
	assert.Equal(t, vp["proof"], goVP["proof"])

	rep := goVerifyVP(t, vp, badge.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain})
	assert.True(t, rep.Verified(), "Go: %s", vpSummary(rep))
	assert.Equal(t, badge.Warning, rep.Check(badge.PresentationCheckParse).Outcome)
	assert.False(t, goVerifyVP(t, vp, badge.PresentationOptions{Challenge: "c-999"}).Verified())
	res := jsVerifyVP(t, node, jsVPRequest{Presentation: goVP, Challenge: vpChallenge, Domain: vpDomain, HolderCheck: true})
	assert.True(t, res.Verified, "JS: %s", jsErr(res))
}
