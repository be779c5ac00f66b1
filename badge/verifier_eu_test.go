package badge

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"testing"
	"time"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/jwt"
)

var euVerifyNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// issueDemoEU issues the EU scenario micro-credential with the public demo
// key, as the README's demo does.
func issueDemoEU(t testing.TB) []byte {
	t.Helper()
	priv := ed25519.NewKeyFromSeed([]byte("microcred demo key: NOT SECRET!!"))
	signer, err := keys.NewSigner(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	m := scenarioMC(t)
	// The demo issuer (the first awarding body) is the demo key's did:key.
	m.AwardingBody[0].ID = keys.DemoIssuerDID
	cred, err := m.Credential()
	if err != nil {
		t.Fatal(err)
	}
	p := *cred.Issuer
	is, err := NewIssuer(signer, p, IssuerOptions{Now: func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	cred.Issuer = &p
	signed, err := is.Issue(context.Background(), cred)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func demoVerifier(t testing.TB, opts VerifierOptions) *Verifier {
	t.Helper()
	opts.Registry = keys.DemoRegistry()
	if opts.Now == nil {
		opts.Now = func() time.Time { return euVerifyNow }
	}
	v, err := NewVerifier(opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestVerifyEUScenarioDemoRegistry: a complete EU micro-credential issued
// by badge.Issuer with the demo key verifies against the demo registry,
// with every check passed or (status, endorsements: none) skipped, and the
// EU elements in the report.
func TestVerifyEUScenarioDemoRegistry(t *testing.T) {
	signed := issueDemoEU(t)
	v := demoVerifier(t, VerifierOptions{RequireEUProfile: true})
	rep, err := v.Verify(context.Background(), signed)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Verified() {
		b, _ := json.MarshalIndent(rep, "", " ")
		t.Fatalf("EU scenario not verified:\n%.4000s", b)
	}
	for _, c := range rep.Checks {
		if c.Outcome == Failed || c.Outcome == Warning {
			t.Errorf("%s: %s %s", c.ID, c.Outcome, c.Message)
		}
	}
	if rep.Check(CheckRegistry).Outcome != Passed || rep.Check(CheckEUProfile).Outcome != Passed {
		t.Errorf("registry %s, eu_profile %s", rep.Check(CheckRegistry).Outcome, rep.Check(CheckEUProfile).Outcome)
	}
	if rep.EUElements == nil {
		t.Fatal("no EU elements in the report")
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"euElements":`)) {
		t.Errorf("JSON report lacks euElements")
	}

	// The same credential with the EU profile broken after signing fails
	// the proof (tampered) and the EU profile.
	var doc map[string]any
	_ = json.Unmarshal(signed, &doc)
	a := doc["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
	delete(a, "mode")
	tampered, _ := json.Marshal(doc)
	rep, err = v.Verify(context.Background(), tampered)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verified() || rep.Check(CheckProof).Outcome != Failed || rep.Check(CheckEUProfile).Outcome != Failed {
		t.Errorf("tampered EU credential: proof %s, eu_profile %s", rep.Check(CheckProof).Outcome, rep.Check(CheckEUProfile).Outcome)
	}
}

// BenchmarkVerify verifies the realistic credential (the complete EU
// scenario micro-credential, eddsa-rdfc-2022, demo registry, EU profile
// required) end to end.
func BenchmarkVerify(b *testing.B) {
	signed := issueDemoEU(b)
	v := demoVerifier(b, VerifierOptions{RequireEUProfile: true})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		rep, err := v.Verify(ctx, signed)
		if err != nil || !rep.Verified() {
			b.Fatal("not verified")
		}
	}
}

// BenchmarkVerifyJWT verifies the same realistic credential sealed as an
// EdDSA VC-JWT (kid: the demo key's did:key URL).
func BenchmarkVerifyJWT(b *testing.B) {
	signed := issueDemoEU(b)
	c, err := vc.Parse(signed)
	if err != nil {
		b.Fatal(err)
	}
	priv := ed25519.NewKeyFromSeed([]byte("microcred demo key: NOT SECRET!!"))
	vm, _ := keys.DIDKeyURL(priv.Public())
	signer, _ := keys.NewSigner(priv, vm)
	tok, err := jwt.New(jwt.Options{}).Seal(context.Background(), c.WithoutProof(), vc.ProofOptions{Signer: signer})
	if err != nil {
		b.Fatal(err)
	}
	v := demoVerifier(b, VerifierOptions{RequireEUProfile: true})
	ctx := context.Background()
	if rep, _ := v.Verify(ctx, tok); !rep.Verified() {
		j, _ := json.Marshal(rep)
		b.Fatalf("not verified: %.3000s", j)
	}
	b.ReportAllocs()
	for b.Loop() {
		rep, err := v.Verify(ctx, tok)
		if err != nil || !rep.Verified() {
			b.Fatal("not verified")
		}
	}
}
