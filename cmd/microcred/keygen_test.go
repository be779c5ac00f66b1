package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/microcred/microcred/keys"
)

// newKey runs keygen for alg into dir and returns the key file's path and
// the command's standard output.
func newKey(t *testing.T, dir, alg string) (path, out string) {
	t.Helper()
	path = filepath.Join(dir, strings.ToLower(alg)+".jwk")
	r := runCmd(t, nil, "keygen", "--alg", alg, "--out", path)
	if r.code != exitOK {
		t.Fatalf("keygen --alg %s: exit %d\n%s", alg, r.code, r.stderr)
	}
	return path, r.stdout
}

func TestKeygen(t *testing.T) {
	for _, alg := range []string{"Ed25519", "P-256", "RSA"} {
		t.Run(alg, func(t *testing.T) {
			dir := t.TempDir()
			path, out := newKey(t, dir, alg)
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			priv, kid, err := keys.ParsePrivateKey(data)
			if err != nil {
				t.Fatalf("key file does not parse: %v\n%s", err, data)
			}
			out = strings.TrimSpace(out)
			if alg == "RSA" {
				jwk, err := keys.ParseJWK([]byte(out))
				if err != nil {
					t.Fatalf("RSA output is not a JWK: %v\n%s", err, out)
				}
				if jwk.IsPrivate() {
					t.Fatal("printed JWK has private members")
				}
				pub, err := jwk.PublicKey()
				if err != nil || !keys.PublicKeysEqual(pub, priv.Public()) {
					t.Errorf("printed JWK is not the key's public half (%v)", err)
				}
				if tp, _ := keys.Thumbprint(pub); kid != tp || jwk.Kid != tp {
					t.Errorf("kid %q / %q, want the thumbprint %q", kid, jwk.Kid, tp)
				}
				return
			}
			pub, _, err := keys.ParseDIDKey(out)
			if err != nil {
				t.Fatalf("output %q is not a did:key: %v", out, err)
			}
			if !keys.PublicKeysEqual(pub, priv.Public()) {
				t.Error("printed did:key is not the file's key")
			}
			if vm, _ := keys.DIDKeyURL(pub); kid != vm {
				t.Errorf("kid %q, want %q", kid, vm)
			}
		})
	}
}

func TestKeygenRefusesOverwrite(t *testing.T) {
	dir := t.TempDir()
	path, _ := newKey(t, dir, "Ed25519")
	before, _ := os.ReadFile(path)
	r := runCmd(t, nil, "keygen", "--out", path)
	if r.code != exitUsage || !strings.Contains(r.stderr, "--force") {
		t.Errorf("overwrite: exit %d stderr %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("refused overwrite changed the key file")
	}
	r = runCmd(t, nil, "keygen", "--out", path, "--force")
	if r.code != exitOK {
		t.Fatalf("--force: exit %d %s", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(path); string(after) == string(before) {
		t.Error("--force kept the old key")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after --force %v", fi.Mode().Perm())
	}
}

func TestKeygenStdoutAndJSON(t *testing.T) {
	r := runCmd(t, nil, "keygen", "--out", "-")
	if r.code != exitOK {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	priv, _, err := keys.ParsePrivateKey([]byte(r.stdout))
	if err != nil {
		t.Fatalf("--out - did not print a private key: %v", err)
	}
	if did, _ := keys.DIDKey(priv.Public()); strings.TrimSpace(r.stderr) != did {
		t.Errorf("stderr %q, want the did:key %s", r.stderr, did)
	}

	path := filepath.Join(t.TempDir(), "k.jwk")
	r = runCmd(t, nil, "keygen", "--format", "json", "--alg", "P-256", "--out", path)
	var out struct {
		Alg, File, Kid, DID string
		PublicJWK           *keys.JWK `json:"publicJwk"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != exitOK {
		t.Fatalf("exit %d, %v\n%s", r.code, err, r.stdout)
	}
	if out.Alg != "P-256" || out.File != path || !strings.HasPrefix(out.DID, "did:key:zDn") || out.Kid != out.DID+"#"+strings.TrimPrefix(out.DID, "did:key:") || out.PublicJWK == nil || out.PublicJWK.IsPrivate() {
		t.Errorf("JSON output %+v", out)
	}
}

func TestKeygenUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"keygen"}, // no --out: the private key is never printed unasked
		{"keygen", "--alg", "RSA"},
		{"keygen", "--alg", "P-384", "--out", filepath.Join(dir, "a")},
		{"keygen", "--out", filepath.Join(dir, "b"), "extra"},
		{"keygen", "--out", filepath.Join(dir, "no-such-dir", "k.jwk")},
		{"keygen", "--bogus"},
	} {
		r := runCmd(t, nil, args...)
		if r.code != exitUsage || r.stdout != "" {
			t.Errorf("%q: exit %d stdout %q", args, r.code, r.stdout)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("usage errors left files: %v", entries)
	}
}
