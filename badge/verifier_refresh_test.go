package badge_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/testserver"
)

// refreshed issues a credential with k whose refreshService points at url.
func withRefresh(url string) func(*badge.AchievementCredential) {
	return func(c *badge.AchievementCredential) {
		c.RefreshService = badge.OneOrMany[badge.RefreshService]{{ID: url, Type: badge.OneOrMany[string]{badge.RefreshType1EdTech}}}
	}
}

func refreshVerifier(t *testing.T, s *testserver.Server, hosts ...string) *badge.Verifier {
	t.Helper()
	if hosts == nil {
		hosts = []string{s.Host}
	}
	return newVerifier(t, badge.VerifierOptions{
		Refresh: true,
		Fetcher: fetch.NewHTTP(s.Client(), fetch.Options{AllowedHosts: hosts, CacheTTL: -1}),
	})
}

func TestVerifyRefresh(t *testing.T) {
	k := newTestKey(t, 0)
	s := testserver.New(t)
	url := s.Base + "/refresh/1"
	fresh := issue(t, k, func(c *badge.AchievementCredential) {
		c.ID = "urn:uuid:11111111-2222-4333-8444-000000000001"
		// Its own refreshService points back at the same URL: it must be ignored.
		withRefresh(url)(c)
	})
	s.ServeJSON("/refresh/1", string(fresh))
	orig := issue(t, k, withRefresh(url))

	t.Run("passed", func(t *testing.T) {
		before := s.Hits.Load()
		rep := mustVerify(t, refreshVerifier(t, s), orig)
		wantOutcome(t, rep, badge.CheckRefresh, badge.Passed)
		if got := s.Hits.Load() - before; got != 1 {
			t.Errorf("%d fetches, want exactly 1", got)
		}
		c := rep.Check(badge.CheckRefresh)
		if c.Details["refreshedId"] != "urn:uuid:11111111-2222-4333-8444-000000000001" || c.Details["verified"] != true {
			t.Errorf("details %v", c.Details)
		}
		inner := c.Details["report"].(*badge.Report)
		wantOutcome(t, inner, badge.CheckRefresh, badge.Skipped)
		if !rep.Verified() {
			t.Errorf("not verified\n%s", summary(rep))
		}
		// The check is in CheckOrder right after key_provenance, and the JSON form carries it.
		for i, id := range badge.CheckOrder {
			if id == badge.CheckKeyProvenance && badge.CheckOrder[i+1] != badge.CheckRefresh {
				t.Errorf("CheckOrder %v", badge.CheckOrder)
			}
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("off by default", func(t *testing.T) {
		before := s.Hits.Load()
		rep := mustVerify(t, newVerifier(t, badge.VerifierOptions{Fetcher: fetch.NewHTTP(s.Client(), fetch.Options{AllowedHosts: []string{s.Host}})}), orig)
		wantOutcome(t, rep, badge.CheckRefresh, badge.Skipped)
		if s.Hits.Load() != before {
			t.Error("fetched with Refresh off")
		}
	})

	t.Run("no refreshService", func(t *testing.T) {
		wantOutcome(t, mustVerify(t, refreshVerifier(t, s), issue(t, k, nil)), badge.CheckRefresh, badge.Skipped)
	})

	t.Run("404", func(t *testing.T) {
		rep := mustVerify(t, refreshVerifier(t, s), issue(t, k, withRefresh(s.Base+"/refresh/missing")))
		wantOutcome(t, rep, badge.CheckRefresh, badge.Warning)
		if !rep.Verified() {
			t.Error("a refresh warning must not fail the credential")
		}
	})

	t.Run("host not allowed", func(t *testing.T) {
		before := s.Hits.Load()
		rep := mustVerify(t, refreshVerifier(t, s, "example.org"), orig)
		wantOutcome(t, rep, badge.CheckRefresh, badge.Warning)
		if s.Hits.Load() != before {
			t.Error("fetched from a host that is not allowed")
		}
	})

	t.Run("unsupported type", func(t *testing.T) {
		in := issue(t, k, func(c *badge.AchievementCredential) {
			c.RefreshService = badge.OneOrMany[badge.RefreshService]{{ID: url, Type: badge.OneOrMany[string]{"https://example.org/vocab#ManualRefresh"}}}
		})
		wantOutcome(t, mustVerify(t, refreshVerifier(t, s), in), badge.CheckRefresh, badge.Warning)
	})

	t.Run("other subject", func(t *testing.T) {
		other := issue(t, k, func(c *badge.AchievementCredential) { c.Subject().ID = "did:example:someone-else" })
		s.ServeJSON("/refresh/other", string(other))
		rep := mustVerify(t, refreshVerifier(t, s), issue(t, k, withRefresh(s.Base+"/refresh/other")))
		wantOutcome(t, rep, badge.CheckRefresh, badge.Failed)
		if c := rep.Check(badge.CheckRefresh); !strings.Contains(c.Message, "subject") {
			t.Errorf("message %q does not name the subject", c.Message)
		}
	})

	t.Run("other issuer", func(t *testing.T) {
		s.ServeJSON("/refresh/issuer", string(issue(t, newTestKey(t, 7), nil)))
		rep := mustVerify(t, refreshVerifier(t, s), issue(t, k, withRefresh(s.Base+"/refresh/issuer")))
		wantOutcome(t, rep, badge.CheckRefresh, badge.Failed)
		if c := rep.Check(badge.CheckRefresh); !strings.Contains(c.Message, "issuer") {
			t.Errorf("message %q does not name the issuer", c.Message)
		}
	})

	t.Run("refreshed does not verify", func(t *testing.T) {
		var doc map[string]any
		json.Unmarshal(fresh, &doc)
		doc["name"] = "tampered"
		s.ServeJSON("/refresh/tampered", doc)
		rep := mustVerify(t, refreshVerifier(t, s), issue(t, k, withRefresh(s.Base+"/refresh/tampered")))
		wantOutcome(t, rep, badge.CheckRefresh, badge.Failed)
	})

	t.Run("proof failed", func(t *testing.T) {
		var doc map[string]any
		json.Unmarshal(orig, &doc)
		doc["name"] = "tampered"
		before := s.Hits.Load()
		rep := mustVerify(t, refreshVerifier(t, s), mustJSON(t, doc))
		wantOutcome(t, rep, badge.CheckProof, badge.Failed)
		wantOutcome(t, rep, badge.CheckRefresh, badge.Skipped)
		if s.Hits.Load() != before {
			t.Error("fetched although the proof failed")
		}
	})
}
