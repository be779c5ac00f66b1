package badge_test

import (
	"context"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc/dataintegrity"
)

var issueTime = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

// testIssuer returns an Issuer with a did:key profile, a fixed clock and
// the given options.
func testIssuer(t testing.TB, opts badge.IssuerOptions) (*badge.Issuer, string) {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	signer, err := keys.NewSigner(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	did, _ := keys.DIDKey(priv.Public())
	if opts.Now == nil {
		opts.Now = func() time.Time { return issueTime }
	}
	is, err := badge.NewIssuer(signer, badge.Profile{Name: badge.NewText("Example University")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return is, did
}

// unissued returns newCredential without id, issuer and validFrom.
func unissued() *badge.AchievementCredential {
	c := newCredential()
	c.ID, c.Issuer, c.ValidFrom = "", nil, badge.DateTime{}
	return c
}

func verify(t *testing.T, signed []byte) dataintegrity.ProofResult {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(signed, &doc); err != nil {
		t.Fatal(err)
	}
	res, err := dataintegrity.Verify(context.Background(), doc, dataintegrity.VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 {
		t.Fatalf("%d proofs", len(res))
	}
	return res[0]
}

func issueErr(t *testing.T, err error) *badge.IssueError {
	t.Helper()
	var ie *badge.IssueError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T) is not an *IssueError", err, err)
	}
	return ie
}

func TestIssueVerifies(t *testing.T) {
	is, did := testIssuer(t, badge.IssuerOptions{})
	in := unissued()
	before, _ := json.Marshal(in)
	signed, err := is.Issue(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(signed), `{"@context":["https://www.w3.org/ns/credentials/v2",`) || !regexp.MustCompile(`,"proof":\{[^{}]*\}\}$`).Match(signed) {
		t.Errorf("not in canonical member order with the proof last:\n%s", signed)
	}
	r := verify(t, signed)
	if !r.Verified || r.Cryptosuite != dataintegrity.EdDSARDFC2022 || r.Method.Controller != did {
		t.Fatalf("verified=%v suite=%s controller=%s err=%v", r.Verified, r.Cryptosuite, r.Method.Controller, r.Err)
	}
	if !r.Created.Equal(issueTime) {
		t.Errorf("proof created %v, want %v", r.Created, issueTime)
	}
	after, _ := json.Marshal(in)
	if string(before) != string(after) || in.ID != "" || in.Issuer != nil || !in.ValidFrom.IsZero() {
		t.Errorf("Issue modified its input:\n%s\n%s", before, after)
	}

	// The output reads back as a valid credential with the defaults.
	c, err := badge.ParseCredential(signed)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(c.ID) {
		t.Errorf("id %q is not a v4 urn:uuid", c.ID)
	}
	if got := c.ValidFrom.String(); got != "2026-03-01T09:30:00Z" {
		t.Errorf("validFrom %q", got)
	}
	if c.Issuer == nil || c.Issuer.ID != did || c.Issuer.Name.String() != "Example University" || !slices.Contains(c.Issuer.Type, badge.TypeProfile) {
		t.Errorf("issuer %+v", c.Issuer)
	}
	if p := c.Check(); len(p) > 0 {
		t.Errorf("issued credential fails Check: %v", p)
	}
}

func TestIssueMap(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{NewID: func() string { return "urn:uuid:8d0f1a5e-3b7c-4e2a-9f61-0c4d2b7e5a13" }})
	m, err := is.IssueMap(context.Background(), unissued())
	if err != nil {
		t.Fatal(err)
	}
	res, err := dataintegrity.Verify(context.Background(), m, dataintegrity.VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	if err != nil || !res[0].Verified {
		t.Fatalf("%v %v", err, res[0].Err)
	}
	// Issue writes the same document.
	b, err := is.Issue(context.Background(), unissued())
	if err != nil {
		t.Fatal(err)
	}
	var fromIssue map[string]any
	json.Unmarshal(b, &fromIssue)
	mb, _ := json.Marshal(m)
	ib, _ := json.Marshal(fromIssue)
	if string(mb) != string(ib) {
		t.Errorf("IssueMap and Issue differ:\n%s\n%s", mb, ib)
	}
}

func TestIssueKeepsGivenValuesAndFillsType(t *testing.T) {
	is, did := testIssuer(t, badge.IssuerOptions{NewID: func() string { return "urn:uuid:unused" }})
	in := unissued()
	in.ID = "https://example.edu/credentials/42"
	in.ValidFrom = badge.NewDateTime(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
	in.Issuer = badge.NewProfileRef(did)
	in.Type = nil
	signed, err := is.Issue(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if r := verify(t, signed); !r.Verified {
		t.Fatal(r.Err)
	}
	var m map[string]any
	json.Unmarshal(signed, &m)
	if m["id"] != "https://example.edu/credentials/42" || m["validFrom"] != "2025-01-02T03:04:05Z" || m["issuer"] != did {
		t.Errorf("id=%v validFrom=%v issuer=%v", m["id"], m["validFrom"], m["issuer"])
	}
	if got := fmt.Sprint(m["type"]); got != "[VerifiableCredential OpenBadgeCredential]" {
		t.Errorf("type %s", got)
	}

	// AchievementCredential alone is enough: OpenBadgeCredential is not added.
	in.Type = badge.Many[string]{badge.TypeAchievementCredential}
	signed, err = is.Issue(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(signed, &m)
	if got := fmt.Sprint(m["type"]); got != "[VerifiableCredential AchievementCredential]" {
		t.Errorf("type %s", got)
	}
}

func TestIssuerMismatch(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{})
	in := unissued()
	in.Issuer = &badge.Profile{ID: "did:web:other.example", Type: badge.Many[string]{badge.TypeProfile}}
	_, err := is.Issue(context.Background(), in)
	ie := issueErr(t, err)
	ps := ie.BySource(badge.SourceIssuer)
	if len(ps) != 1 || ps[0].Pointer != "/issuer/id" || !strings.Contains(ps[0].Message, "did:web:other.example") {
		t.Fatalf("problems %+v", ie.Problems)
	}
}

func TestIssuerMismatchRef(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{})
	in := unissued()
	in.Issuer = badge.NewProfileRef("did:web:other.example")
	_, err := is.Issue(context.Background(), in)
	if ps := issueErr(t, err).BySource(badge.SourceIssuer); len(ps) != 1 || ps[0].Pointer != "/issuer" {
		t.Fatalf("%v", err)
	}
}

func TestIssueUnknownContext(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{})
	in := unissued()
	in.Context = badge.Many[any]{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://unknown.example/context.jsonld"}
	_, err := is.Issue(context.Background(), in)
	ps := issueErr(t, err).BySource(badge.SourceJSONLD)
	var le *ld.Error
	if len(ps) != 1 || !errors.As(err, &le) || !strings.HasPrefix(ps[0].Message, "ld: ") || !strings.Contains(ps[0].Message, "unknown.example") {
		t.Fatalf("%v", err)
	}
}

func TestIssueRefusesSigned(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{})
	in := unissued()
	in.Proof = badge.Many[badge.Proof]{{"type": "DataIntegrityProof"}}
	_, err := is.Issue(context.Background(), in)
	if ps := issueErr(t, err).BySource(badge.SourceIssuer); len(ps) != 1 || ps[0].Pointer != "/proof" {
		t.Fatalf("%v", err)
	}
}

func TestIssueUndefinedTerm(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{})
	in := unissued()
	in.Extra = map[string]any{"ECTS": "5"}
	_, err := is.Issue(context.Background(), in)
	ie := issueErr(t, err)
	ps := ie.BySource(badge.SourceJSONLD)
	if len(ps) != 1 || len(ie.Problems) != 1 {
		t.Fatalf("problems %+v", ie.Problems)
	}
	if ps[0].Pointer != "/ECTS" {
		t.Errorf("pointer %q, want /ECTS (%v)", ps[0].Pointer, ps[0].Err)
	}
	var sm *ld.SafeModeError
	if !errors.As(err, &sm) || sm.Path != "/ECTS" {
		t.Errorf("errors.As SafeModeError: %v", sm)
	}

	// Nested in the achievement.
	in = unissued()
	in.Subject().Achievement.Extra = map[string]any{"ects": 5}
	_, err = is.Issue(context.Background(), in)
	ps = issueErr(t, err).BySource(badge.SourceJSONLD)
	if len(ps) != 1 || ps[0].Pointer != "/credentialSubject/achievement/ects" {
		t.Fatalf("%v", err)
	}
}

func TestIssueSchemaViolation(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{})
	in := unissued()
	in.Subject().Achievement.Description = badge.Text{} // the OB3 schema requires it; Check does not
	_, err := is.Issue(context.Background(), in)
	ie := issueErr(t, err)
	ps := ie.BySource(badge.SourceSchema)
	if len(ps) == 0 {
		t.Fatalf("no schema problem: %+v", ie.Problems)
	}
	found := false
	for _, p := range ps {
		if p.Pointer == "/credentialSubject/achievement/description" && p.Rule == "required" {
			found = true
		}
	}
	if !found {
		t.Errorf("no required description problem: %+v", ps)
	}
	if len(ie.BySource(badge.SourceOB3)) != 0 {
		t.Errorf("unexpected ob3 problems: %+v", ie.Problems)
	}
}

func TestIssueCheckFailures(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{})
	in := unissued()
	in.Subject().Achievement.Criteria = &badge.Criteria{}
	in.Subject().Identifier = nil
	_, err := is.Issue(context.Background(), in)
	ie := issueErr(t, err)
	rules := map[string]string{}
	for _, p := range ie.BySource(badge.SourceOB3) {
		rules[p.Rule] = p.Pointer
	}
	if rules[badge.RuleCriteria] != "/credentialSubject/achievement/criteria" || rules[badge.RuleSubjectID] != "/credentialSubject" {
		t.Errorf("ob3 problems %+v", ie.BySource(badge.SourceOB3))
	}
	var p badge.Problem
	if !errors.As(err, &p) {
		t.Errorf("errors.As Problem failed")
	}
	if !strings.HasPrefix(err.Error(), "badge: issue: ob3: ") || !strings.Contains(err.Error(), "more problems") {
		t.Errorf("message %q", err)
	}
}

func TestIssueAllProblemsListed(t *testing.T) {
	hookErr := errors.New("not an EU micro-credential")
	is, _ := testIssuer(t, badge.IssuerOptions{Validate: func(*badge.AchievementCredential) error { return hookErr }})
	in := unissued()
	in.Subject().Achievement.Criteria = &badge.Criteria{}
	in.Subject().Achievement.Description = badge.Text{}
	in.Extra = map[string]any{"ECTS": "5"}
	_, err := is.Issue(context.Background(), in)
	ie := issueErr(t, err)
	for _, src := range []string{badge.SourceOB3, badge.SourceSchema, badge.SourceProfile, badge.SourceJSONLD} {
		if len(ie.BySource(src)) == 0 {
			t.Errorf("no %s problem in %+v", src, ie.Problems)
		}
	}
	if !errors.Is(err, hookErr) {
		t.Errorf("errors.Is hook error failed")
	}
}

func TestIssueHook(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{Validate: func(c *badge.AchievementCredential) error {
		if c.ID == "" || c.Issuer == nil || c.ValidFrom.IsZero() {
			return errors.New("hook ran before the defaults were filled")
		}
		if c.Achievement().CreditsAvailable == "" {
			return &badge.ValidationError{Problems: []badge.Problem{{Pointer: "/credentialSubject/achievement/creditsAvailable", Rule: "eu.credits", Message: "credits are required"}}}
		}
		return nil
	}})
	if _, err := is.Issue(context.Background(), unissued()); err != nil {
		t.Fatal(err)
	}
	in := unissued()
	in.Subject().Achievement.CreditsAvailable = ""
	_, err := is.Issue(context.Background(), in)
	// The hook's changes are neither signed nor seen by the caller.
	is2, _ := testIssuer(t, badge.IssuerOptions{Validate: func(c *badge.AchievementCredential) error {
		c.Name = badge.NewText("changed by the hook")
		c.Issuer.Name = badge.NewText("changed by the hook")
		c.Subject().Achievement.Name = badge.NewText("changed by the hook")
		return nil
	}})
	for range 2 {
		in2 := unissued()
		signed, err2 := is2.Issue(context.Background(), in2)
		if err2 != nil {
			t.Fatal(err2)
		}
		if strings.Contains(string(signed), "changed by the hook") || in2.Subject().Achievement.Name.String() == "changed by the hook" || is2.Profile().Name.String() == "changed by the hook" {
			t.Fatal("the hook's changes leaked")
		}
	}
	ps := issueErr(t, err).BySource(badge.SourceProfile)
	if len(ps) != 1 || ps[0].Rule != "eu.credits" || ps[0].Pointer != "/credentialSubject/achievement/creditsAvailable" {
		t.Fatalf("%+v", ps)
	}
}

func TestNewIssuer(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	noVM, _ := keys.NewSigner(priv, "")
	withVM, _ := keys.NewSigner(priv, "did:web:example.edu#key-1")
	if _, err := badge.NewIssuer(nil, badge.Profile{}, badge.IssuerOptions{}); err == nil {
		t.Error("nil signer accepted")
	}
	// A did:web profile needs a verification method on the signer.
	if _, err := badge.NewIssuer(noVM, badge.Profile{ID: "did:web:example.edu"}, badge.IssuerOptions{}); err == nil {
		t.Error("profile id without verification method accepted")
	}
	is, err := badge.NewIssuer(withVM, badge.Profile{ID: "did:web:example.edu", Name: badge.NewText("X")}, badge.IssuerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if is.ID() != "did:web:example.edu" {
		t.Error(is.ID())
	}
	// A did:key verification method must be the signer's key and the
	// profile's DID.
	vmOK, _ := keys.DIDKeyURL(priv.Public())
	did, _ := keys.DIDKey(priv.Public())
	s, _ := keys.NewSigner(priv, vmOK)
	if _, err := badge.NewIssuer(s, badge.Profile{ID: did}, badge.IssuerOptions{}); err != nil {
		t.Errorf("matching did:key: %v", err)
	}
	if _, err := badge.NewIssuer(s, badge.Profile{ID: "did:web:example.edu"}, badge.IssuerOptions{}); err == nil || !strings.Contains(err.Error(), "would not verify") {
		t.Errorf("did:key VM under a did:web issuer: %v", err)
	}
	otherVM, _ := keys.DIDKeyURL(ed25519.NewKeyFromSeed(append(make([]byte, 31), 1)).Public())
	s, _ = keys.NewSigner(priv, otherVM)
	if _, err := badge.NewIssuer(s, badge.Profile{}, badge.IssuerOptions{}); err == nil || !strings.Contains(err.Error(), "not the signer's key") {
		t.Errorf("did:key VM of another key: %v", err)
	}
	// A profile failing Check.
	if _, err := badge.NewIssuer(noVM, badge.Profile{Type: badge.Many[string]{"Organization"}}, badge.IssuerOptions{}); err == nil {
		t.Error("profile without Profile type accepted")
	}
	// The profile is copied.
	p := badge.Profile{Name: badge.NewText("A"), Type: badge.Many[string]{badge.TypeProfile}}
	is, err = badge.NewIssuer(noVM, p, badge.IssuerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p.Type[0] = "Changed"
	if got := is.Profile(); got.Type[0] != badge.TypeProfile {
		t.Errorf("profile not copied: %v", got.Type)
	}
	// An ECDSA key cannot make eddsa-rdfc-2022 proofs: the Issuer is
	// built (for IssueJWT), and Issue says so.
	ec, _ := keys.GenerateECDSA(elliptic.P256())
	if ec != nil {
		s, _ := keys.NewSigner(ec, "")
		is, err := badge.NewIssuer(s, badge.Profile{}, badge.IssuerOptions{})
		if err != nil {
			t.Fatalf("ECDSA signer refused: %v", err)
		}
		if _, err := is.Issue(context.Background(), unissued()); !errors.Is(err, badge.ErrNeedsEd25519) {
			t.Errorf("Issue with an ECDSA signer: %v", err)
		}
	}
}

func TestIssueConcurrent(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{})
	var wg sync.WaitGroup
	ids := make([]string, 32)
	for i := range ids {
		wg.Go(func() {
			in := unissued()
			in.Subject().Achievement.Name = badge.NewText(fmt.Sprint("Course ", i))
			signed, err := is.Issue(context.Background(), in)
			if err != nil {
				t.Error(err)
				return
			}
			c, err := badge.ParseCredential(signed)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = c.ID
			if got := c.Achievement().Name.String(); got != fmt.Sprint("Course ", i) {
				t.Errorf("credential %d has name %q", i, got)
			}
		})
	}
	// One credential value shared by all goroutines: read only.
	shared := unissued()
	shared.Type = badge.Many[string]{badge.TypeOpenBadgeCredential}
	for range 16 {
		wg.Go(func() {
			if _, err := is.Issue(context.Background(), shared); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(shared.Type) != 1 || shared.ID != "" || shared.Issuer != nil {
		t.Errorf("shared credential modified: %v %q %v", shared.Type, shared.ID, shared.Issuer)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("duplicate id %s", id)
		}
		seen[id] = true
	}
}

func TestIssueBatch(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{})
	creds := make([]*badge.AchievementCredential, 100)
	for i := range creds {
		creds[i] = unissued()
		creds[i].ID = fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%012d", i)
	}
	creds[50].Subject().Achievement.Criteria = &badge.Criteria{}
	out, errs := is.IssueBatch(context.Background(), creds)
	if len(out) != 100 || len(errs) != 100 {
		t.Fatalf("%d results, %d errors", len(out), len(errs))
	}
	for i := range creds {
		if i == 50 {
			if out[i] != nil || len(issueErr(t, errs[i]).BySource(badge.SourceOB3)) == 0 {
				t.Errorf("credential 50: out=%v err=%v", out[i] != nil, errs[i])
			}
			continue
		}
		if errs[i] != nil {
			t.Fatalf("credential %d: %v", i, errs[i])
		}
		c, err := badge.ParseCredential(out[i])
		if err != nil {
			t.Fatal(err)
		}
		if c.ID != creds[i].ID {
			t.Errorf("result %d has id %s", i, c.ID)
		}
	}
	if r := verify(t, out[99]); !r.Verified {
		t.Error(r.Err)
	}
}

func TestIssueBatchEmpty(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{})
	out, errs := is.IssueBatch(context.Background(), nil)
	if len(out) != 0 || len(errs) != 0 {
		t.Fatalf("%v %v", out, errs)
	}
	out, errs = is.IssueBatch(context.Background(), []*badge.AchievementCredential{nil, unissued()})
	if out[0] != nil || errs[0] == nil || out[1] == nil || errs[1] != nil {
		t.Fatalf("nil credential in a batch: %v", errs)
	}
}

func TestIssueCancelled(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := is.Issue(ctx, unissued()); !errors.Is(err, context.Canceled) {
		t.Errorf("Issue: %v", err)
	}
	creds := make([]*badge.AchievementCredential, 20)
	for i := range creds {
		creds[i] = unissued()
	}
	out, errs := is.IssueBatch(ctx, creds)
	for i := range creds {
		if out[i] != nil || !errors.Is(errs[i], context.Canceled) {
			t.Errorf("credential %d: %v", i, errs[i])
		}
	}

	// Cancelled half way: some are issued, the rest report the cancellation.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var n sync.Mutex
	count := 0
	is, _ = testIssuer(t, badge.IssuerOptions{Workers: 2, Validate: func(*badge.AchievementCredential) error {
		n.Lock()
		defer n.Unlock()
		if count++; count == 5 {
			cancel()
		}
		return nil
	}})
	creds = make([]*badge.AchievementCredential, 200)
	for i := range creds {
		creds[i] = unissued()
	}
	out, errs = is.IssueBatch(ctx, creds)
	issued, cancelled := 0, 0
	for i := range creds {
		switch {
		case errs[i] == nil && out[i] != nil:
			issued++
		case errors.Is(errs[i], context.Canceled):
			cancelled++
		default:
			t.Errorf("credential %d: %v", i, errs[i])
		}
	}
	if issued == 0 || cancelled < 150 {
		t.Errorf("issued %d, cancelled %d", issued, cancelled)
	}
}

func BenchmarkIssue(b *testing.B) {
	is, _ := testIssuer(b, badge.IssuerOptions{})
	in := unissued()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := is.Issue(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "credentials/s")
}

// BenchmarkIssueSpecExample issues the OB 3.0 specification's complete
// example (endorsements, evidence, results, alignments), 12 KB.
func BenchmarkIssueSpecExample(b *testing.B) {
	data, err := os.ReadFile("testdata/spec/fullOpenBadge--complete-openbadgecredential.json")
	if err != nil {
		b.Fatal(err)
	}
	in, err := badge.ParseCredential(data)
	if err != nil {
		b.Fatal(err)
	}
	in.Proof = nil
	// The example's second result names a level of another description
	// (Check's result.achievedLevel rule): drop the level.
	for i := range in.Subject().Result {
		in.Subject().Result[i].AchievedLevel = ""
	}
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	signer, _ := keys.NewSigner(priv, "")
	did, _ := keys.DIDKey(priv.Public())
	in.Issuer.ID = did
	is, err := badge.NewIssuer(signer, *in.Issuer, badge.IssuerOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := is.Issue(ctx, in); err != nil {
		b.Skipf("the spec example does not issue: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := is.Issue(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "credentials/s")
}

func BenchmarkIssueBatch(b *testing.B) {
	is, _ := testIssuer(b, badge.IssuerOptions{})
	creds := make([]*badge.AchievementCredential, 256)
	for i := range creds {
		creds[i] = unissued()
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, errs := is.IssueBatch(ctx, creds)
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(creds))/b.Elapsed().Seconds(), "credentials/s")
}

// Validate finds what Issue would refuse, JSON-LD safe mode included,
// without signing and without changing the credential.
func TestIssuerValidate(t *testing.T) {
	is, _ := testIssuer(t, badge.IssuerOptions{})
	ctx := context.Background()
	in := unissued()
	if err := is.Validate(ctx, in); err != nil {
		t.Fatalf("valid credential: %v", err)
	}
	if in.ID != "" || !in.ValidFrom.IsZero() {
		t.Errorf("Validate changed the credential: id %q validFrom %v", in.ID, in.ValidFrom)
	}
	for name, mutate := range map[string]func(*badge.AchievementCredential){
		"undefined term": func(c *badge.AchievementCredential) { c.Extra = map[string]any{"ECTS": "5"} },
		"no name":        func(c *badge.AchievementCredential) { c.Subject().Achievement.Name = badge.Text{} },
		"other issuer":   func(c *badge.AchievementCredential) { c.Issuer = badge.NewProfileRef("did:example:other") },
	} {
		c := unissued()
		mutate(c)
		verr := is.Validate(ctx, c)
		_, ierr := is.Issue(ctx, c)
		var ve, ie *badge.IssueError
		if !errors.As(verr, &ve) || !errors.As(ierr, &ie) {
			t.Fatalf("%s: Validate %v, Issue %v", name, verr, ierr)
		}
		if len(ve.Problems) != len(ie.Problems) || ve.Problems[0].Pointer != ie.Problems[0].Pointer {
			t.Errorf("%s: Validate %v, Issue %v", name, ve.Problems, ie.Problems)
		}
	}
}
