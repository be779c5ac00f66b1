package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/status"
)

const listURL = "https://issuer.example/status/1"

// newList runs status create with key into dir and returns the list file.
func newList(t *testing.T, dir, key string, extra ...string) string {
	t.Helper()
	path := filepath.Join(dir, "list.json")
	args := append([]string{"status", "create", "--key", key, "--url", listURL, "--out", path}, extra...)
	r := runCmd(t, nil, args...)
	if r.code != exitOK {
		t.Fatalf("%q: exit %d\n%s", args, r.code, r.stderr)
	}
	return path
}

// fileFetcher serves files by URL, for status.Checker.
type fileFetcher map[string]string

func (f fileFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	if p, ok := f[url]; ok {
		return os.ReadFile(p)
	}
	return nil, fmt.Errorf("not found: %s", url)
}

func TestStatusRoundTrip(t *testing.T) {
	dir := t.TempDir()
	key, _ := newKey(t, dir, "Ed25519")
	list := newList(t, dir, key)

	data, _ := os.ReadFile(list)
	doc := verifyDI(t, data)
	if doc["id"] != listURL || issuerID(doc) != didOf(t, key) {
		t.Errorf("list id %v issuer %v", doc["id"], doc["issuer"])
	}
	subj, _ := doc["credentialSubject"].(map[string]any)
	if subj["statusPurpose"] != status.PurposeRevocation {
		t.Errorf("purpose %v", subj["statusPurpose"])
	}

	check := func(index string, want int) {
		t.Helper()
		r := runCmd(t, nil, "status", "check", list, index)
		if r.code != want || strings.TrimSpace(r.stdout) != fmt.Sprint(want) {
			t.Errorf("check %s: exit %d stdout %q stderr %q, want %d", index, r.code, r.stdout, r.stderr, want)
		}
	}
	check("7", 0)
	r := runCmd(t, nil, "status", "set", "--key", key, list, "7")
	if r.code != exitOK {
		t.Fatalf("set: exit %d %s", r.code, r.stderr)
	}
	check("7", 1)
	check("6", 0)
	check("8", 0)
	data, _ = os.ReadFile(list)
	verifyDI(t, data) // re-signed
	if fi, _ := os.Stat(list); fi.Mode().Perm() != 0o644 {
		t.Errorf("list mode %v", fi.Mode().Perm())
	}
	r = runCmd(t, nil, "status", "check", "--format", "json", list, "7")
	var out statusEntryOutput
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != exitInvalid || out.Value != 1 || out.Index != 7 {
		t.Errorf("check --format json: exit %d %+v %v", r.code, out, err)
	}
	r = runCmd(t, nil, "status", "clear", "--key", key, list, "7")
	if r.code != exitOK {
		t.Fatalf("clear: exit %d %s", r.code, r.stderr)
	}
	check("7", 0)
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("temporary files left: %v", entries)
	}

	// A held lock refuses a concurrent change.
	if err := os.WriteFile(list+".lock", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCmd(t, nil, "status", "set", "--key", key, list, "7")
	if r.code != exitUsage || !strings.Contains(r.stderr, "another status command") {
		t.Errorf("locked: exit %d %s", r.code, r.stderr)
	}
	check("7", 0)
	os.Remove(list + ".lock")

	// Another key cannot re-sign the list.
	other, _ := newKey(t, t.TempDir(), "Ed25519")
	before, _ := os.ReadFile(list)
	r = runCmd(t, nil, "status", "set", "--key", other, list, "7")
	if r.code != exitUsage || !strings.Contains(r.stderr, "not controlled") {
		t.Errorf("foreign key: exit %d %s", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(list); string(after) != string(before) {
		t.Error("refused set changed the list")
	}
}

func TestStatusCreateOptions(t *testing.T) {
	dir := t.TempDir()
	key, _ := newKey(t, dir, "Ed25519")
	r := runCmd(t, nil, "status", "create", "--key", key, "--url", listURL, "--purpose", "suspension", "--size", "200000", "--valid-until", "2030-01-01T00:00:00Z")
	if r.code != exitOK {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	doc := verifyDI(t, []byte(r.stdout)) // without --out: the list on stdout
	subj, _ := doc["credentialSubject"].(map[string]any)
	if subj["statusPurpose"] != status.PurposeSuspension || doc["validUntil"] != "2030-01-01T00:00:00Z" {
		t.Errorf("list %v", doc)
	}
	l, err := status.DecodeList(subj["encodedList"].(string), status.DecodeOptions{})
	if err != nil || l.Len() != 200000 {
		t.Errorf("list of %v entries (%v)", l.Len(), err)
	}

	// Too small a size is raised to the minimum; --out refuses to
	// overwrite.
	path := newList(t, dir, key, "--size", "10", "--format", "json")
	lf, err := readListFile(path)
	if err != nil || lf.list.Len() != status.MinEntries {
		t.Errorf("small list: %v", err)
	}
	r = runCmd(t, nil, "status", "create", "--key", key, "--url", listURL, "--out", path)
	if r.code != exitUsage || !strings.Contains(r.stderr, "--force") {
		t.Errorf("overwrite: exit %d %s", r.code, r.stderr)
	}
	// --force replaces an existing file; set keeps validUntil.
	vpath := filepath.Join(dir, "v.json")
	os.WriteFile(vpath, []byte("old"), 0o644)
	r = runCmd(t, nil, "status", "create", "--key", key, "--url", listURL, "--valid-until", "2030-01-01T00:00:00Z", "--out", vpath, "--force")
	if r.code != exitOK {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	runCmd(t, nil, "status", "set", "--key", key, vpath, "1")
	lf, err = readListFile(vpath)
	if err != nil || !lf.validUntil.Equal(mustTime(t, "2030-01-01T00:00:00Z")) {
		t.Errorf("validUntil after set: %v %v", lf.validUntil, err)
	}
}

// TestIssueWithStatusList issues a credential pointing at a list, revokes
// it, and checks it the way a verifier does (status.Checker).
func TestIssueWithStatusList(t *testing.T) {
	dir := t.TempDir()
	key, _ := newKey(t, dir, "Ed25519")
	list := newList(t, dir, key)
	cred := unsignedCredential(t, dir, nil)
	for _, format := range []string{"di", "jwt"} {
		r := runCmd(t, nil, "issue", "--key", key, "--format", format, "--status-list", list, "--status-index", "42", cred)
		if r.code != exitOK {
			t.Fatalf("%s: exit %d\n%s", format, r.code, r.stderr)
		}
		var c *vc.Credential
		if format == "di" {
			verifyDI(t, []byte(r.stdout))
			var err error
			if c, err = vc.Parse([]byte(r.stdout)); err != nil {
				t.Fatal(err)
			}
		} else {
			var err error
			if c, _, err = jwtOpen(t, strings.TrimSpace(r.stdout)); err != nil {
				t.Fatal(err)
			}
		}
		entries, err := c.Status()
		if err != nil || len(entries) != 1 {
			t.Fatalf("%s: credentialStatus %v (%v)", format, entries, err)
		}
		e := entries[0].Raw
		if e["type"] != status.TypeEntry || e["statusListCredential"] != listURL || e["statusListIndex"] != "42" || e["statusPurpose"] != "revocation" {
			t.Errorf("%s: entry %v", format, e)
		}

		checker := status.NewChecker(fileFetcher{listURL: list}, status.Options{Resolver: keys.DIDKeyResolver{}, CacheTTL: -1})
		res, err := checker.CheckCredential(context.Background(), c)
		if err != nil || len(res) != 1 || res[0].Outcome != status.Valid {
			t.Fatalf("%s: before revocation %+v %v", format, res, err)
		}
		runCmd(t, nil, "status", "set", "--key", key, list, "42")
		res, err = checker.CheckCredential(context.Background(), c)
		if err != nil || len(res) != 1 || res[0].Outcome != status.Revoked {
			t.Errorf("%s: after set %+v %v", format, res, err)
		}
		runCmd(t, nil, "status", "clear", "--key", key, list, "42")
	}

	// A list of another issuer, an index past the end.
	other, _ := newKey(t, t.TempDir(), "Ed25519")
	for _, args := range [][]string{
		{"issue", "--key", other, "--status-list", list, "--status-index", "1", cred},
		{"issue", "--key", key, "--status-list", list, "--status-index", fmt.Sprint(status.MinEntries), cred},
	} {
		if r := runCmd(t, nil, args...); r.code != exitUsage || r.stdout != "" {
			t.Errorf("%q: exit %d %s", args, r.code, r.stderr)
		}
	}
}

func TestStatusUsage(t *testing.T) {
	dir := t.TempDir()
	key, _ := newKey(t, dir, "Ed25519")
	p256, _ := newKey(t, dir, "P-256")
	list := newList(t, dir, key)
	for _, args := range [][]string{
		{"status"},
		{"status", "revoke"},
		{"status", "create", "--url", listURL},
		{"status", "create", "--key", key},
		{"status", "create", "--key", key, "--url", listURL, "--purpose", "refresh"},
		{"status", "create", "--key", key, "--url", listURL, "--size", "0"},
		{"status", "create", "--key", p256, "--url", listURL},
		{"status", "create", "--key", key, "--url", listURL, "--valid-until", "tomorrow"},
		{"status", "set", list, "1"},
		{"status", "set", "--key", key, list},
		{"status", "set", "--key", key, list, "-1"},
		{"status", "clear", "--key", key, list, "x"},
		{"status", "set", "--key", key, list, fmt.Sprint(status.MinEntries)},
		{"status", "set", "--key", key, filepath.Join(dir, "missing.json"), "1"},
		{"status", "check", list},
		{"status", "check", list, "1", "2"},
		{"status", "check", key, "1"}, // not a list
		{"status", "check", list, fmt.Sprint(status.MinEntries)},
	} {
		r := runCmd(t, nil, args...)
		if r.code != exitUsage || r.stdout != "" {
			t.Errorf("%q: exit %d stdout %q stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	for _, args := range [][]string{{"status", "--help"}, {"status", "create", "-h"}, {"status", "check", "--help"}} {
		if r := runCmd(t, nil, args...); r.code != exitOK || !strings.HasPrefix(r.stdout, "Usage: microcred status") {
			t.Errorf("%q: exit %d %s", args, r.code, r.stdout)
		}
	}
}
