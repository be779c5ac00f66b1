package badge

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"testing"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc/dataintegrity"
)

// TestIssueChecksEUProfile: a credential that claims the EU
// micro-credential profile is checked with MicroCredential.Validate when
// issued; a complete one is signed and verifies, a broken one is refused
// with the element names.
func TestIssueChecksEUProfile(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	vm := "https://alpha-university.example/keys#1"
	signer, err := keys.NewSigner(priv, vm)
	if err != nil {
		t.Fatal(err)
	}
	m := scenarioMC(t)
	cred, err := m.Credential()
	if err != nil {
		t.Fatal(err)
	}
	is, err := NewIssuer(signer, *cred.Issuer, IssuerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := is.Issue(context.Background(), cred)
	if err != nil {
		t.Fatalf("complete EU micro-credential refused: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(signed, &doc); err != nil {
		t.Fatal(err)
	}
	pinned, err := keys.NewStaticResolver(&keys.VerificationMethod{ID: vm, Type: keys.TypeMultikey, Controller: cred.Issuer.ID,
		PublicKey: priv.Public(), Relationships: []keys.Relationship{keys.AssertionMethod}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := dataintegrity.Verify(context.Background(), doc, dataintegrity.VerifyOptions{Resolver: pinned})
	if err != nil || !res[0].Verified {
		t.Fatalf("issued EU micro-credential does not verify: %v %v", err, res)
	}

	// Break two elements in the OB3 form: the EU extension stays claimed.
	broken, err := m.Credential()
	if err != nil {
		t.Fatal(err)
	}
	a := broken.Achievement()
	delete(a.Extra, "assessmentType")
	delete(a.Extra, "mode")
	_, err = is.Issue(context.Background(), broken)
	var ie *IssueError
	if !errors.As(err, &ie) {
		t.Fatalf("want *IssueError, got %v", err)
	}
	got := map[string]bool{}
	for _, p := range ie.Problems {
		if p.Source == SourceProfile {
			got[p.Rule] = true
		}
	}
	for _, want := range []string{ElementAssessmentType, ElementParticipationForm} {
		if !got[want] {
			t.Errorf("no profile problem for %s: %v", want, ie.Problems)
		}
	}

	// Without the extension type the credential does not claim the
	// profile and is not held to it.
	a.Type = Many[string]{TypeAchievement}
	if broken.ClaimsEUProfile() {
		t.Fatal("a plain Achievement claims the EU profile")
	}
}
