package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
)

// jsonReport is the JSON form of a Report, as scripts read it.
type jsonReport struct {
	Verified *bool `json:"verified"`
	Checks   []struct {
		ID      string `json:"id"`
		Outcome string `json:"outcome"`
		Message string `json:"message"`
	} `json:"checks"`
}

func verifyJSON(t *testing.T, args ...string) (result, jsonReport) {
	t.Helper()
	r := runCmd(t, nil, append([]string{"verify", "--format", "json"}, args...)...)
	var rep jsonReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s\n%s", err, r.stdout, r.stderr)
	}
	if rep.Verified == nil || len(rep.Checks) != len(badge.CheckOrder) {
		t.Fatalf("verified missing or checks incomplete:\n%s", r.stdout)
	}
	return r, rep
}

func outcome(rep jsonReport, id string) string {
	for _, c := range rep.Checks {
		if c.ID == id {
			return c.Outcome
		}
	}
	return ""
}

func TestVerifyDemoCredential(t *testing.T) {
	path := demoFile(t)
	// Text form, no registry: the registry step warns, the exit is 0.
	r := runCmd(t, nil, "verify", path)
	if r.code != exitOK || !strings.HasSuffix(r.stdout, "VERIFIED\n") || strings.Contains(r.stdout, "NOT VERIFIED") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "warning  registry") {
		t.Errorf("no registry warning without --registry:\n%s", r.stdout)
	}
	// JSON form.
	r, rep := verifyJSON(t, "--profile", "eu", path)
	if r.code != exitOK || !*rep.Verified {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	if outcome(rep, badge.CheckProof) != "passed" || outcome(rep, badge.CheckEUProfile) != "passed" || outcome(rep, badge.CheckRegistry) != "warning" {
		t.Errorf("unexpected outcomes:\n%s", r.stdout)
	}
	// With the demo registry file the registry step passes.
	r, rep = verifyJSON(t, "--registry", repoRoot+"/keys/testdata/registry/demo.json", path)
	if r.code != exitOK || outcome(rep, badge.CheckRegistry) != "passed" {
		t.Errorf("with registry: exit %d\n%s", r.code, r.stdout)
	}
	// Standard input.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, bytes.NewReader(data), "verify", "-"); r.code != exitOK {
		t.Errorf("stdin: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestVerifyTampered(t *testing.T) {
	data, err := os.ReadFile(demoFile(t))
	if err != nil {
		t.Fatal(err)
	}
	tampered := bytes.Replace(data, []byte(`"Maria Jansen"`), []byte(`"Mallory Jansen"`), 1)
	if bytes.Equal(tampered, data) {
		t.Fatal("nothing to tamper with")
	}
	path := filepath.Join(t.TempDir(), "tampered.json")
	if err := os.WriteFile(path, tampered, 0o644); err != nil {
		t.Fatal(err)
	}
	r, rep := verifyJSON(t, path)
	if r.code != exitInvalid || *rep.Verified || outcome(rep, badge.CheckProof) != "failed" {
		t.Errorf("tampered: exit %d\n%s", r.code, r.stdout)
	}
	if r := runCmd(t, nil, "verify", path); r.code != exitInvalid || !strings.HasSuffix(r.stdout, "NOT VERIFIED\n") {
		t.Errorf("text: exit %d\n%s", r.code, r.stdout)
	}
}

// issueExpiring issues the demo micro-credential with validUntil set.
func issueExpiring(t *testing.T, validUntil time.Time) string {
	t.Helper()
	priv, err := keys.Ed25519FromSeed(demoSeed)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := keys.NewSigner(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	did, _ := keys.DIDKey(priv.Public().(ed25519.PublicKey))
	is, err := badge.NewIssuer(signer, badge.Profile{ID: did, Name: badge.NewText("Demo University")},
		badge.IssuerOptions{Now: func() time.Time { return demoIssued }})
	if err != nil {
		t.Fatal(err)
	}
	cred, err := demoMicroCredential(is.ID()).Credential()
	if err != nil {
		t.Fatal(err)
	}
	cred.ValidUntil = badge.NewDateTime(validUntil)
	signed, err := is.Issue(context.Background(), cred)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "expiring.json")
	if err := os.WriteFile(path, signed, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVerifyNow(t *testing.T) {
	path := issueExpiring(t, time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC))
	if r, rep := verifyJSON(t, "--now", "2026-12-01T00:00:00Z", path); r.code != exitOK || outcome(rep, badge.CheckValidity) != "passed" {
		t.Errorf("within validity: exit %d\n%s", r.code, r.stdout)
	}
	if r, rep := verifyJSON(t, "--now", "2028-01-01T00:00:00Z", path); r.code != exitInvalid || outcome(rep, badge.CheckValidity) != "failed" {
		t.Errorf("past validUntil: exit %d\n%s", r.code, r.stdout)
	}
	if r, rep := verifyJSON(t, "--now", "2025-01-01T00:00:00Z", path); r.code != exitInvalid || outcome(rep, badge.CheckValidity) != "failed" {
		t.Errorf("before validFrom: exit %d\n%s", r.code, r.stdout)
	}
	if r := runCmd(t, nil, "verify", "--now", "tomorrow", path); r.code != exitUsage {
		t.Errorf("bad --now: exit %d", r.code)
	}
}

func TestVerifyUsageAndIO(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no argument", []string{"verify"}},
		{"two arguments", []string{"verify", "a.json", "b.json"}},
		{"missing file", []string{"verify", filepath.Join(t.TempDir(), "missing.json")}},
		{"unknown profile", []string{"verify", "--profile", "us", "x.json"}},
		{"missing registry", []string{"verify", "--registry", filepath.Join(t.TempDir(), "none.json"), "x.json"}},
		{"URL, no host allowed", []string{"verify", "https://issuer.example/cred.json"}},
		{"URL, other host allowed", []string{"verify", "--allow-host", "trusted.example", "https://issuer.example/cred.json"}},
		{"http URL", []string{"verify", "--allow-host", "issuer.example", "http://issuer.example/cred.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCmd(t, nil, tc.args...)
			if r.code != exitUsage || r.stderr == "" {
				t.Errorf("exit %d (want %d), stderr %q", r.code, exitUsage, r.stderr)
			}
		})
	}
	if r := runCmd(t, nil, "verify", "--help"); r.code != exitOK || !strings.Contains(r.stdout, "--allow-host") {
		t.Errorf("--help: exit %d\n%s", r.code, r.stdout)
	}
}

func TestVerifyNotACredential(t *testing.T) {
	r := runCmd(t, strings.NewReader(`{"hello": "world"}`), "verify", "--format", "json", "-")
	var rep jsonReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Verified == nil {
		t.Fatalf("not a report: %v\n%s", err, r.stdout)
	}
	if r.code != exitInvalid || *rep.Verified {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}

// TestVerifyURL fetches a credential from an allowed host (an httptest TLS
// server) and refuses the same URL when its host is not allowed.
func TestVerifyURL(t *testing.T) {
	data, err := os.ReadFile(demoFile(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(data)
	}))
	defer srv.Close()
	verifyHTTPClient = srv.Client()
	defer func() { verifyHTTPClient = nil }()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	credURL := srv.URL + "/cred.json"
	if r, rep := verifyJSON(t, "--allow-host", u.Host, credURL); r.code != exitOK || !*rep.Verified {
		t.Errorf("allowed host: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := runCmd(t, nil, "verify", "--allow-host", "other.example", credURL); r.code != exitUsage {
		t.Errorf("host not allowed: exit %d, want %d\n%s", r.code, exitUsage, r.stdout)
	}
}
