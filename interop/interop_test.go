package interop

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc/dataintegrity"
)

// needNode skips (or, with MICROCRED_INTEROP=require, fails) when the JS
// side is not installed.
func needNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		if _, err = os.Stat("js/node_modules/@digitalbazaar/vc"); err == nil {
			return node
		}
	}
	if os.Getenv("MICROCRED_INTEROP") == "require" {
		t.Fatalf("interop: Node.js and interop/js/node_modules are required (run npm ci --prefix interop/js): %v", err)
	}
	t.Skipf("interop: skipped, Node.js or interop/js/node_modules missing (npm ci --prefix interop/js): %v", err)
	return ""
}

// runJS runs a script with input on stdin and returns stdout and the exit code.
func runJS(t *testing.T, node, script string, input []byte, args ...string) ([]byte, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{filepath.Join("js", script)}, args...)...)
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.String())
	}
	if code == 2 {
		t.Fatalf("%s: usage error: %s", script, stderr.String())
	}
	return out, code
}

func decode(t *testing.T, b []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m))
	return m
}

var seed = bytes.Repeat([]byte{0x42}, 32)

func testKey(t *testing.T) (keys.Signer, string) {
	priv := ed25519.NewKeyFromSeed(seed)
	did, err := keys.DIDKey(priv.Public())
	require.NoError(t, err)
	vm, err := keys.DIDKeyURL(priv.Public())
	require.NoError(t, err)
	s, err := keys.NewSigner(priv, vm)
	require.NoError(t, err)
	return s, did
}

// credentials returns the unsigned credentials used in both directions,
// with the issuer set to did.
func credentials(t *testing.T, did string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for name, path := range map[string]string{
		"realistic": "../ld/testdata/canon-edges/ob-realistic-safe.json",
		"full":      "../ld/testdata/canon-edges/ob-full-safe.json",
		"numbers":   "../ld/testdata/canon-edges/edge-numbers-ob-float.json",
		"escapes":   "../ld/testdata/canon-edges/edge-string-escapes.json",
		"direction": "../ld/testdata/canon-edges/edge-language-direction.json",
		"blank":     "../ld/testdata/canon-edges/edge-blank-node-heavy.json",
		"eu-joint":  "../docs/eu-profile/examples/joint-mobility-preparation.json",
		"eu-bip":    "../docs/eu-profile/examples/blended-intensive-programme.json",
	} {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		m := decode(t, b)
		delete(m, "proof")
		switch iss := m["issuer"].(type) {
		case map[string]any:
			iss["id"] = did
		default:
			m["issuer"] = did
		}
		out[name] = m
	}
	return out
}

var created = time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)

// TestGoSignsJSVerifies: what microcred issues verifies with the Digital
// Bazaar stack, and a tampered copy does not.
func TestGoSignsJSVerifies(t *testing.T) {
	node := needNode(t)
	signer, did := testKey(t)
	for name, cred := range credentials(t, did) {
		t.Run(name, func(t *testing.T) {
			signed, err := dataintegrity.AddProof(context.Background(), cred, signer, dataintegrity.SignOptions{Created: created})
			require.NoError(t, err)
			body, err := json.Marshal(signed)
			require.NoError(t, err)
			out, code := runJS(t, node, "verify.mjs", body, "--now", "2026-02-01T00:00:00Z")
			assert.Equal(t, 0, code, "JS verify: %s", out)

			signed["name"] = "tampered"
			body, _ = json.Marshal(signed)
			out, code = runJS(t, node, "verify.mjs", body, "--now", "2026-02-01T00:00:00Z")
			assert.Equal(t, 1, code, "JS must reject a tampered credential: %s", out)
		})
	}
}

// TestJSOrderIsAccepted: jsonld.js sorts N-Quads by UTF-16 code units, so
// for data mixing characters above U+FFFF with U+E000–U+FFFF its canonical
// form differs from RDFC-1.0's. A credential it signs must still verify
// here (the verifier retries in its order; both describe the same graph).
func TestJSOrderIsAccepted(t *testing.T) {
	node := needNode(t)
	_, did := testKey(t)
	b, err := os.ReadFile("../ld/testdata/canon-edges/edge-codepoint-sort.json")
	require.NoError(t, err)
	cred := decode(t, b)
	cred["issuer"] = did
	in, err := json.Marshal(map[string]any{"credential": cred, "seed": hex.EncodeToString(seed), "created": created.Format(time.RFC3339)})
	require.NoError(t, err)
	out, code := runJS(t, node, "sign.mjs", in)
	require.Equal(t, 0, code, "JS sign: %s", out)
	res, err := dataintegrity.Verify(context.Background(), decode(t, out), dataintegrity.VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	require.NoError(t, err)
	assert.True(t, res[0].Verified, "%v", res[0].Err)

	// Tampering is still caught on the retry path.
	tampered := decode(t, out)
	tampered["credentialSubject"].(map[string]any)["p"] = []any{"！", "😀", "", "y"}
	res, err = dataintegrity.Verify(context.Background(), tampered, dataintegrity.VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	require.NoError(t, err)
	assert.False(t, res[0].Verified)
}

// TestJSSignsGoVerifies: what the Digital Bazaar stack issues verifies here,
// and, Ed25519 being deterministic, carries exactly the proofValue microcred
// computes for the same credential and proof options.
func TestJSSignsGoVerifies(t *testing.T) {
	node := needNode(t)
	signer, did := testKey(t)
	for name, cred := range credentials(t, did) {
		t.Run(name, func(t *testing.T) {
			in, err := json.Marshal(map[string]any{"credential": cred, "seed": hex.EncodeToString(seed), "created": created.Format(time.RFC3339)})
			require.NoError(t, err)
			out, code := runJS(t, node, "sign.mjs", in)
			require.Equal(t, 0, code, "JS sign: %s", out)
			jsSigned := decode(t, out)

			res, err := dataintegrity.Verify(context.Background(), jsSigned, dataintegrity.VerifyOptions{Resolver: keys.DIDKeyResolver{}})
			require.NoError(t, err)
			require.Len(t, res, 1)
			assert.True(t, res[0].Verified, "Go verify of a JS-signed credential: %v", res[0].Err)

			goSigned, err := dataintegrity.AddProof(context.Background(), cred, signer, dataintegrity.SignOptions{Created: created})
			require.NoError(t, err)
			assert.Equal(t, jsSigned["proof"].(map[string]any)["proofValue"], goSigned["proof"].(map[string]any)["proofValue"],
				"same canonical form, same key: same signature")
		})
	}
}
