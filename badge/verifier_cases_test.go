package badge_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/testserver"
	"github.com/microcred/microcred/keys"
)

// fixtureNow is inside the validity of the 1EdTech fixtures (most are valid
// from 2010-01-01, simple-context-alias from 2024-03-21, some of complete's
// until 2020 or 2030).
var fixtureNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const casesDir = "../testdata/ob3/validator-cases/ob30"

// verdict sums a report up the way cases.json does: INVALID when a check
// failed, WARNING when one warned, else VALID.
func verdict(r *badge.Report) string {
	if !r.Verified() {
		return "INVALID"
	}
	if len(r.Warnings()) > 0 {
		return "WARNING"
	}
	return "VALID"
}

// expectedVerdict reads the 1EdTech validator's verdict from cases.json.
func expectedVerdict(s string) string {
	switch {
	case strings.Contains(s, "INVALID"):
		return "INVALID"
	case strings.HasPrefix(s, "WARNING"):
		return "WARNING"
	case strings.HasPrefix(s, "VALID"):
		return "VALID"
	}
	return "INVALID" // "(defined in Samples, no direct test)": simple.jwt is unverifiable (no kid, no jwk)
}

// pinnedRegistry builds the registry a relying party would configure to
// accept the 1EdTech fixtures: for every HTTPS verification method whose
// fragment is a Multikey, that key pinned (with that kid) for the issuer
// the URL names; for every VC-JWT with a header jwk, that key pinned for the
// token's issuer. The registry, not the fragment, is what makes the key
// the issuer's.
func pinnedRegistry(t testing.TB) *keys.FileRegistry {
	t.Helper()
	byIssuer := map[string][]any{}
	add := func(issuer string, j *keys.JWK) {
		b, _ := json.Marshal(j)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		for _, k := range byIssuer[issuer] {
			if k.(map[string]any)["x"] == m["x"] && k.(map[string]any)["n"] == m["n"] && k.(map[string]any)["kid"] == m["kid"] {
				return
			}
		}
		byIssuer[issuer] = append(byIssuer[issuer], m)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if vm, ok := v["verificationMethod"].(string); ok && strings.HasPrefix(vm, "https://") {
				if u, frag, ok := strings.Cut(vm, "#"); ok {
					if pub, err := keys.ParseMultikey(frag); err == nil {
						j, _ := keys.PublicJWK(pub)
						j.Kid = vm
						add(u, j)
					}
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	files, _ := filepath.Glob(casesDir + "/*")
	more, _ := filepath.Glob(casesDir + "/bit-string-list/*")
	files = append(files, more...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		switch {
		case badge.IsPNG(data):
			data, _ = badge.ExtractPNG(data)
		case strings.HasSuffix(f, ".svg"):
			data, _ = badge.ExtractSVG(data)
		}
		data = bytes.TrimSpace(data)
		if len(data) > 0 && data[0] == '{' {
			var doc any
			if json.Unmarshal(data, &doc) == nil {
				walk(doc)
			}
			continue
		}
		parts := strings.Split(string(data), ".")
		if len(parts) != 3 {
			continue
		}
		hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
		pb, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var h struct{ JWK json.RawMessage }
		var p struct {
			Iss string
			VC  struct{ Issuer any }
		}
		_ = json.Unmarshal(hb, &h)
		_ = json.Unmarshal(pb, &p)
		if len(h.JWK) == 0 || p.Iss == "" {
			continue
		}
		j, err := keys.ParseJWK(h.JWK)
		if err != nil {
			continue
		}
		add(p.Iss, j.PublicOnly())
	}
	var ids []string
	for id := range byIssuer {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var entries []any
	for _, id := range ids {
		entries = append(entries, map[string]any{"id": id, "name": "1EdTech fixture issuer " + id, "keys": byIssuer[id], "status": "active"})
	}
	b, _ := json.Marshal(map[string]any{"version": 1, "name": "1EdTech fixture keys (test)", "entries": entries})
	reg, err := keys.ParseRegistry(b)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// rewriteFetcher serves the fixtures' raw.githubusercontent.com status
// list from the loopback test server.
type rewriteFetcher struct {
	base string
	next fetch.Fetcher
}

func (f rewriteFetcher) Fetch(ctx context.Context, u string) ([]byte, error) {
	const gh = "https://raw.githubusercontent.com"
	if strings.HasPrefix(u, gh) {
		u = f.base + strings.TrimPrefix(u, gh)
	}
	return f.next.Fetch(ctx, u)
}

// TestVerifyValidatorCases gives every fixture of cases.json a verdict and
// compares it with the 1EdTech validator's. Two verifiers run:
//
//   - strict: no registry, no network. Every fixture whose key is only
//     named in the fragment of an HTTPS verification method
//     (https://example.com/issuers/876543#z6Mk…) fails at the proof step,
//     on purpose: the 1EdTech validator decodes the key from the fragment,
//     which lets anyone sign as any HTTPS issuer.
//   - pinned: a registry pinning those keys for their issuers (and the
//     header jwk of the VC-JWT fixtures), used through
//     keys.NewPinnedResolver, and the raw.githubusercontent.com status list
//     served on loopback. This is the verdict compared with cases.json.
//
// The fixtures where the pinned verdict still differs are listed in
// differs, each with the reason.
func TestVerifyValidatorCases(t *testing.T) {
	raw, err := os.ReadFile("../testdata/ob3/validator-cases/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cs struct {
		Cases map[string]struct{ ValidatorExpectation string }
	}
	if err := json.Unmarshal(raw, &cs); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return fixtureNow }
	strict, err := badge.NewVerifier(badge.VerifierOptions{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	s := testserver.New(t)
	list, err := os.ReadFile(casesDir + "/bit-string-list/testlist")
	if err != nil {
		t.Fatal(err)
	}
	s.ServeJSON("/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist", string(list))
	reg := pinnedRegistry(t)
	pinned, err := badge.NewVerifier(badge.VerifierOptions{
		Now:      clock,
		Registry: reg,
		Fetcher:  rewriteFetcher{base: s.Base, next: fetch.NewHTTP(s.Client(), fetch.Options{AllowedHosts: []string{s.Host}, CacheTTL: -1})},
	})
	if err != nil {
		t.Fatal(err)
	}

	// differs: our pinned verdict where it is not the validator's, and why.
	differs := map[string]struct{ verdict, why string }{
		"simple-did-key-method.json":  {"INVALID", "key_provenance: the proof's did:key controller is not the issuer id (urn:uuid:…); OB 3.0 and our design require controller == issuer.id"},
		"simple-multiple-proofs.json": {"VALID", "any one valid proof suffices (design); the validator fails the whole credential on the unknown SomeProofType's JSON-LD error, we report it in the proof details and accept the valid DataIntegrityProof"},
		"bit-string-list/testlist":    {"INVALID", "a BitstringStatusListCredential, not an Open Badge: badge.Verifier requires an OB credential type; vc/status verifies lists"},
		"sd/derivedcredential.json":   {"INVALID", "ecdsa-sd-2023 (selective disclosure) is not an accepted proof suite yet"},
		"simple-jwt_v1.png":           {"INVALID", "credentialSchema names ob_v3p0_anyachievementcredential_schema.json, which is neither embedded nor fetchable offline; the schema step fails closed"},
		"simple-jwt_v1.svg":           {"INVALID", "same as simple-jwt_v1.png: unknown credentialSchema, fail closed"},
	}
	// failsAt names the check that must fail for the fixtures made to fail
	// one rule.
	failsAt := map[string]string{
		"simple-err-expired.json":                                    badge.CheckValidity,
		"simple-err-issued.json":                                     badge.CheckValidity,
		"simple-err-proof-value.json":                                badge.CheckProof,
		"simple-err-proof-method.json":                               badge.CheckProof,
		"simple-err-proof-method-no-scheme.json":                     badge.CheckProof,
		"simple-err-proof-method-unknown-scheme.json":                badge.CheckProof,
		"simple-err-proof-method-unknown-did-method.json":            badge.CheckProof,
		"simple-err-type.json":                                       badge.CheckContextAndType,
		"simple-err-context.json":                                    badge.CheckContextAndType,
		"simple-err-issuer.json":                                     badge.CheckSchema,
		"simple-err-credential-subject-type.json":                    badge.CheckSubject,
		"simple-err-evidence-type.json":                              badge.CheckSubject,
		"simple-err-issuer-type.json":                                badge.CheckSubject,
		"simple-noproof.json":                                        badge.CheckProof,
		"bit-string-list/credential-status-revoked.json":             badge.CheckStatus,
		"bit-string-list/credential-status-revoked-blank-nodes.json": badge.CheckStatus,
	}
	var names []string
	for n := range cs.Cases {
		names = append(names, n)
	}
	sort.Strings(names)
	match, differ, fragment := 0, 0, 0
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(casesDir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want := expectedVerdict(cs.Cases[name].ValidatorExpectation)
		t.Run(name, func(t *testing.T) {
			rs, err := strict.Verify(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			rp, err := pinned.Verify(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			// The strict verifier never accepts a key decoded from an
			// HTTPS fragment.
			if pc := rs.Check(badge.CheckProof); pc.Outcome == badge.Failed && strings.Contains(pc.Message, "cannot resolve verification method https://") {
				fragment++
				if rs.Verified() {
					t.Errorf("strict verifier verified a key-in-fragment credential")
				}
			}
			if id, ok := failsAt[name]; ok {
				if c := rp.Check(id); c.Outcome != badge.Failed {
					t.Errorf("check %s = %s, want failed\n%s", id, c.Outcome, summary(rp))
				}
			}
			got := verdict(rp)
			if d, ok := differs[name]; ok {
				differ++
				if got != d.verdict {
					t.Errorf("pinned verdict %s, want %s (differs from the validator's %s on purpose: %s)\n%s", got, d.verdict, want, d.why, summary(rp))
				}
				return
			}
			if got != want {
				t.Errorf("pinned verdict %s, validator's %s\n%s", got, want, summary(rp))
				return
			}
			match++
		})
	}
	t.Logf("cases.json: %d match the validator's verdict (with pinned keys), %d differ on purpose; %d fail under the strict verifier because their key is only in an HTTPS fragment", match, differ, fragment)
}

func summary(r *badge.Report) string {
	var b strings.Builder
	for _, c := range r.Checks {
		if c.Outcome == badge.Failed || c.Outcome == badge.Warning {
			m := c.Message
			if len(m) > 300 {
				m = m[:300]
			}
			b.WriteString("  " + c.ID + "=" + string(c.Outcome) + ": " + m + "\n")
		}
	}
	return b.String()
}
