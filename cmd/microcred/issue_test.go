package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
	"github.com/microcred/microcred/vc/jwt"
)

// unsignedCredential returns simple.json without proof, issuer, id and
// validFrom, written to dir: what a user hands to issue.
func unsignedCredential(t *testing.T, dir string, edit func(map[string]any)) string {
	t.Helper()
	data, err := os.ReadFile(simpleOB3)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"proof", "issuer", "id", "validFrom"} {
		delete(m, k)
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "cred.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func didOf(t *testing.T, keyFile string) string {
	t.Helper()
	k, err := loadKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return k.did
}

// verifyDI checks the Data Integrity proof of signed with the did:key
// resolver and returns the document.
func verifyDI(t *testing.T, signed []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(signed, &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, signed)
	}
	res, err := dataintegrity.Verify(context.Background(), doc, dataintegrity.VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || !res[0].Verified {
		t.Fatalf("proof does not verify: %+v", res)
	}
	return doc
}

func issuerID(doc map[string]any) string {
	switch v := doc["issuer"].(type) {
	case string:
		return v
	case map[string]any:
		s, _ := v["id"].(string)
		return s
	}
	return ""
}

func TestIssueDI(t *testing.T) {
	dir := t.TempDir()
	key, _ := newKey(t, dir, "Ed25519")
	cred := unsignedCredential(t, dir, nil)
	r := runCmd(t, nil, "issue", "--key", key, cred)
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	doc := verifyDI(t, []byte(r.stdout))
	did := didOf(t, key)
	if issuerID(doc) != did {
		t.Errorf("issuer %v, want the key's did:key %s", doc["issuer"], did)
	}
	if id, _ := doc["id"].(string); !strings.HasPrefix(id, "urn:uuid:") {
		t.Errorf("id %v", doc["id"])
	}
	if doc["validFrom"] == nil {
		t.Error("no validFrom")
	}

	// Standard input, an issuer the key controls (its did:key, named by
	// the input) kept with its name.
	data, _ := os.ReadFile(cred)
	var m map[string]any
	json.Unmarshal(data, &m)
	m["issuer"] = map[string]any{"id": did, "type": []any{"Profile"}, "name": "Example Corp"}
	in, _ := json.Marshal(m)
	r = runCmd(t, strings.NewReader(string(in)), "issue", "--key", key, "--alg", "EdDSA", "-")
	if r.code != exitOK {
		t.Fatalf("stdin: exit %d\n%s", r.code, r.stderr)
	}
	doc = verifyDI(t, []byte(r.stdout))
	if iss, _ := doc["issuer"].(map[string]any); iss["name"] != "Example Corp" || iss["id"] != did {
		t.Errorf("issuer %v", doc["issuer"])
	}
}

func TestIssueJWT(t *testing.T) {
	for _, alg := range []string{"Ed25519", "P-256", "RSA"} {
		t.Run(alg, func(t *testing.T) {
			dir := t.TempDir()
			key, _ := newKey(t, dir, alg)
			cred := unsignedCredential(t, dir, nil)
			r := runCmd(t, nil, "issue", "--key", key, "--format", "jwt", cred)
			if r.code != exitOK {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			token := strings.TrimSpace(r.stdout)
			c, res, err := jwt.New(jwt.Options{}).Open(context.Background(), []byte(token), vcVerifyOpts())
			if err != nil {
				t.Fatalf("token does not open: %v\n%s", err, token)
			}
			k, _ := loadKey(key)
			iss, err := c.Issuer()
			if err != nil || iss.ID != k.did {
				t.Errorf("issuer %q (%v), want %s", iss.ID, err, k.did)
			}
			if res.VerificationMethod != k.vm {
				t.Errorf("kid resolved to %q, want %q", res.VerificationMethod, k.vm)
			}
		})
	}
}

func TestIssueInvalid(t *testing.T) {
	dir := t.TempDir()
	key, _ := newKey(t, dir, "Ed25519")

	// An issuer the key does not control.
	r := runCmd(t, nil, "issue", "--key", key, simpleOB3)
	if r.code != exitInvalid || r.stdout != "" || !strings.Contains(r.stderr, "not controlled by the key") {
		t.Errorf("foreign issuer: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	// A credential that breaks the OB 3.0 rules: no achievement.
	bad := unsignedCredential(t, dir, func(m map[string]any) {
		delete(m["credentialSubject"].(map[string]any), "achievement")
	})
	for _, format := range []string{"di", "jwt"} {
		r = runCmd(t, nil, "issue", "--key", key, "--format", format, bad)
		if r.code != exitInvalid || r.stdout != "" || !strings.Contains(r.stderr, "invalid") || !strings.Contains(r.stderr, "achievement") {
			t.Errorf("%s, no achievement: exit %d stdout %q stderr %q", format, r.code, r.stdout, r.stderr)
		}
	}
	// Not JSON.
	r = runCmd(t, strings.NewReader("{not json"), "issue", "--key", key, "-")
	if r.code != exitInvalid || r.stdout != "" {
		t.Errorf("not JSON: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestIssueUsage(t *testing.T) {
	dir := t.TempDir()
	ed, _ := newKey(t, dir, "Ed25519")
	p256, _ := newKey(t, dir, "P-256")
	cred := unsignedCredential(t, dir, nil)
	for _, args := range [][]string{
		{"issue", cred},                    // no --key
		{"issue", "--key", ed},             // no FILE
		{"issue", "--key", ed, cred, cred}, // two FILEs
		{"issue", "--key", ed, "--format", "ldp", cred},
		{"issue", "--key", ed, "--alg", "ES256", cred}, // not the key's algorithm
		{"issue", "--key", p256, cred},                 // DI needs Ed25519
		{"issue", "--key", filepath.Join(dir, "missing.jwk"), cred},
		{"issue", "--key", ed, filepath.Join(dir, "missing.json")},
		{"issue", "--key", ed, "--status-index", "3", cred},                        // without --status-list
		{"issue", "--key", ed, "--status-list", cred, cred},                        // without --status-index
		{"issue", "--key", ed, "--status-list", cred, "--status-index", "1", cred}, // not a list
		{"issue", "--key", cred, cred},                                             // not a key
	} {
		r := runCmd(t, nil, args...)
		if r.code != exitUsage || r.stdout != "" {
			t.Errorf("%q: exit %d stdout %q stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
}

func vcVerifyOpts() vc.VerifyProofOptions { return vc.VerifyProofOptions{} }

// jwtOpen opens a VC-JWT with the default options (did:key and did:jwk
// kids, no network).
func jwtOpen(t *testing.T, token string) (*vc.Credential, *vc.ProofResult, error) {
	t.Helper()
	return jwt.New(jwt.Options{}).Open(context.Background(), []byte(token), vc.VerifyProofOptions{})
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// TestIssueKidController issues for a did:web issuer with a key whose kid
// is a did:web verification method: the key controls that issuer, and
// proofs and JWT headers name the kid.
func TestIssueKidController(t *testing.T) {
	dir := t.TempDir()
	priv, err := keys.GenerateEd25519(nil)
	if err != nil {
		t.Fatal(err)
	}
	const issuer, kid = "did:web:issuer.example", "did:web:issuer.example#key-1"
	key := filepath.Join(dir, "web.jwk")
	if err := keys.WritePrivateKeyFile(key, priv, kid, false); err != nil {
		t.Fatal(err)
	}
	cred := unsignedCredential(t, dir, func(m map[string]any) {
		m["issuer"] = map[string]any{"id": issuer, "type": []any{"Profile"}, "name": "Issuer"}
	})
	r := runCmd(t, nil, "issue", "--key", key, cred)
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var doc map[string]any
	json.Unmarshal([]byte(r.stdout), &doc)
	if p, _ := doc["proof"].(map[string]any); p["verificationMethod"] != kid || issuerID(doc) != issuer {
		t.Errorf("issuer %v proof %v", doc["issuer"], doc["proof"])
	}

	r = runCmd(t, nil, "issue", "--key", key, "--format", "jwt", cred)
	if r.code != exitOK {
		t.Fatalf("jwt: exit %d\n%s", r.code, r.stderr)
	}
	header, _, _ := strings.Cut(r.stdout, ".")
	hb, _ := base64.RawURLEncoding.DecodeString(header)
	var h map[string]any
	if json.Unmarshal(hb, &h); h["kid"] != kid || h["alg"] != "EdDSA" {
		t.Errorf("JWT header %s", hb)
	}

	// The list must have the credential's issuer: --issuer.
	list := filepath.Join(dir, "list.json")
	r = runCmd(t, nil, "status", "create", "--key", key, "--url", listURL, "--issuer", issuer, "--out", list)
	if r.code != exitOK || !strings.Contains(r.stdout, issuer) {
		t.Fatalf("status create --issuer: exit %d %s", r.code, r.stderr)
	}
	r = runCmd(t, nil, "issue", "--key", key, "--status-list", list, "--status-index", "3", cred)
	if r.code != exitOK || !strings.Contains(r.stdout, "BitstringStatusListEntry") {
		t.Errorf("issue with the did:web list: exit %d %s", r.code, r.stderr)
	}
	if r := runCmd(t, nil, "status", "set", "--key", key, list, "3"); r.code != exitOK {
		t.Errorf("status set on the did:web list: exit %d %s", r.code, r.stderr)
	}
	r = runCmd(t, nil, "status", "create", "--key", key, "--url", listURL, "--issuer", "did:web:other.example")
	if r.code != exitUsage || r.stdout != "" {
		t.Errorf("--issuer not controlled: exit %d", r.code)
	}
}

// TestIssueBadIssuerProfile: the input's issuer Profile breaks a rule,
// which is the credential's problem (exit 1), not a usage error.
func TestIssueBadIssuerProfile(t *testing.T) {
	dir := t.TempDir()
	key, _ := newKey(t, dir, "Ed25519")
	did := didOf(t, key)
	cred := unsignedCredential(t, dir, func(m map[string]any) {
		m["issuer"] = map[string]any{"id": did, "type": []any{"Organization"}}
	})
	for _, format := range []string{"di", "jwt"} {
		r := runCmd(t, nil, "issue", "--key", key, "--format", format, cred)
		if r.code != exitInvalid || r.stdout != "" || !strings.Contains(r.stderr, "/issuer") {
			t.Errorf("%s: exit %d stderr %q", format, r.code, r.stderr)
		}
	}
}

// TestIssueJWTIssuer: --format jwt goes through badge.Issuer.IssueJWT: the
// Issuer's defaults in an OB 3.0 VC-JWT (typ JWT, kid the key's method),
// and its refusals (JSON-LD safe mode, a proof already there) as invalid
// credentials, for every key type.
func TestIssueJWTIssuer(t *testing.T) {
	for _, alg := range []string{"Ed25519", "P-256", "RSA"} {
		t.Run(alg, func(t *testing.T) {
			dir := t.TempDir()
			key, _ := newKey(t, dir, alg)
			k, err := loadKey(key)
			require.NoError(t, err)

			r := runCmd(t, nil, "issue", "--key", key, "--format", "jwt", unsignedCredential(t, dir, nil))
			require.Equal(t, exitOK, r.code, r.stderr)
			parts := strings.Split(strings.TrimSpace(r.stdout), ".")
			require.Len(t, parts, 3)
			var h, pl map[string]any
			hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
			pb, _ := base64.RawURLEncoding.DecodeString(parts[1])
			require.NoError(t, json.Unmarshal(hb, &h))
			require.NoError(t, json.Unmarshal(pb, &pl))
			assert.Equal(t, "JWT", h["typ"])
			assert.Equal(t, k.vm, h["kid"])
			assert.Equal(t, k.did, pl["iss"])
			assert.Regexp(t, `^urn:uuid:`, pl["id"])
			assert.Equal(t, pl["id"], pl["jti"])
			assert.NotEmpty(t, pl["validFrom"])
			assert.Equal(t, []any{"VerifiableCredential", "OpenBadgeCredential"}, pl["type"])

			for _, tc := range []struct {
				name string
				edit func(map[string]any)
				want []string
			}{
				{"undefined term", func(m map[string]any) { m["ECTS"] = 5 }, []string{"jsonld", "/ECTS"}},
				{"already signed", func(m map[string]any) { m["proof"] = map[string]any{"type": "DataIntegrityProof"} }, []string{"issuer", "/proof"}},
				{"no achievement", func(m map[string]any) { delete(m["credentialSubject"].(map[string]any), "achievement") }, []string{"ob3", "achievement"}},
			} {
				r := runCmd(t, nil, "issue", "--key", key, "--format", "jwt", unsignedCredential(t, dir, tc.edit))
				assert.Equal(t, exitInvalid, r.code, "%s: %s", tc.name, r.stderr)
				assert.Empty(t, r.stdout, tc.name)
				assert.Contains(t, r.stderr, "invalid", tc.name)
				for _, w := range tc.want {
					assert.Contains(t, r.stderr, w, tc.name)
				}
			}
		})
	}
}
