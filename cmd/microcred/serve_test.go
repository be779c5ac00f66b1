package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/keys"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is a serve command started in-process.
type running struct {
	addr   string
	stop   context.CancelFunc
	done   chan int
	stderr *syncBuffer
}

// startServe runs "microcred serve args..." on 127.0.0.1:0 until stop.
func startServe(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	origSignals, origListening := serveSignals, serveListening
	serveSignals = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	serveListening = func(a string) { addrc <- a }
	t.Cleanup(func() { serveSignals, serveListening = origSignals, origListening })
	r := &running{stop: cancel, done: make(chan int, 1), stderr: &syncBuffer{}}
	go func() {
		r.done <- run(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), nil, io.Discard, r.stderr)
	}()
	select {
	case r.addr = <-addrc:
	case code := <-r.done:
		t.Fatalf("serve exited %d:\n%s", code, r.stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start:\n%s", r.stderr.String())
	}
	t.Cleanup(func() { r.shutdown(t) })
	return r
}

// shutdown stops the server and checks that it exits 0.
func (r *running) shutdown(t *testing.T) {
	if r.stop == nil {
		return
	}
	r.stop()
	r.stop = nil
	select {
	case code := <-r.done:
		assert.Equal(t, exitOK, code, "%s", r.stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// call sends a request and decodes the JSON answer.
func call(t *testing.T, client *http.Client, method, url, apiKey string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+apiKey)
	}
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// demoCredentialJSON is the demo's complete EU micro-credential, unsigned,
// for the demo issuer.
func demoCredentialJSON(t *testing.T) map[string]any {
	cred, err := demoMicroCredential(keys.DemoIssuerDID).Credential()
	require.NoError(t, err)
	b, err := json.Marshal(cred)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	delete(m, "id")
	delete(m, "validFrom")
	return m
}

// TestServeDefaults: with no configuration the service issues with the
// demo key (generated API key in the data directory), verifies against
// the demo registry, keeps status lists on disk across a restart, and
// stops cleanly.
func TestServeDefaults(t *testing.T) {
	dir := t.TempDir()
	r := startServe(t, "--data-dir", dir)
	base := "http://" + r.addr
	c := http.DefaultClient

	code, health := call(t, c, "GET", base+"/healthz", "", nil)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, keys.DemoIssuerDID, health["issuer"])

	keyBytes, err := os.ReadFile(filepath.Join(dir, "api-key"))
	require.NoError(t, err)
	fi, err := os.Stat(filepath.Join(dir, "api-key"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	apiKey := strings.TrimSpace(string(keyBytes))

	cred := demoCredentialJSON(t)
	cred["id"] = "urn:uuid:3f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	code, _ = call(t, c, "POST", base+"/credentials/issue", "", map[string]any{"credential": cred})
	assert.Equal(t, http.StatusUnauthorized, code)
	code, issued := call(t, c, "POST", base+"/credentials/issue", apiKey, map[string]any{"credential": cred,
		"options": map[string]any{"credentialStatus": map[string]any{"statusPurpose": "revocation"}}})
	require.Equal(t, http.StatusCreated, code, "%v", issued)
	vc := issued["verifiableCredential"]
	code, rep := call(t, c, "POST", base+"/credentials/verify", "", map[string]any{"verifiableCredential": vc})
	require.Equal(t, http.StatusOK, code, "%v", rep)

	entry := vc.(map[string]any)["credentialStatus"].(map[string]any)
	assert.True(t, strings.HasPrefix(entry["statusListCredential"].(string), base+"/status/"), entry)
	code, _ = call(t, c, "GET", entry["statusListCredential"].(string), "", nil)
	assert.Equal(t, http.StatusOK, code)

	code, _ = call(t, c, "POST", base+"/credentials/status", apiKey, map[string]any{"credentialId": cred["id"],
		"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}, "status": true})
	require.Equal(t, http.StatusOK, code)
	code, _ = call(t, c, "POST", base+"/credentials/verify", "", map[string]any{"verifiableCredential": vc})
	require.Equal(t, http.StatusUnprocessableEntity, code)
	r.shutdown(t)
	assert.Contains(t, r.stderr.String(), "stopped")
	assert.Contains(t, r.stderr.String(), "PUBLIC demo key")

	// Restarted on the same directory: same key, the revocation kept.
	r2 := startServe(t, "--data-dir", dir, "--public-url", base, "--log-format", "json")
	base2 := "http://" + r2.addr
	code, rep = call(t, c, "POST", base2+"/credentials/verify", "", map[string]any{"verifiableCredential": vc})
	assert.Equal(t, http.StatusUnprocessableEntity, code, "%v", rep)
	code, _ = call(t, c, "POST", base2+"/credentials/status", apiKey, map[string]any{"credentialId": cred["id"],
		"credentialStatus": map[string]any{"statusPurpose": "revocation"}, "status": false})
	assert.Equal(t, http.StatusOK, code)
	code, _ = call(t, c, "POST", base2+"/credentials/verify", "", map[string]any{"verifiableCredential": vc})
	assert.Equal(t, http.StatusOK, code)
	r2.shutdown(t)
	// JSON logs, one object per line.
	sc := bufio.NewScanner(strings.NewReader(r2.stderr.String()))
	lines := 0
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), sc.Text())
		lines++
	}
	assert.Greater(t, lines, 3)
}

// selfSigned writes a self-signed certificate for 127.0.0.1 (usable as a
// CA) and its key to dir, returning the paths and the parsed certificate.
func selfSigned(t *testing.T, dir, name string, client bool) (certFile, keyFile string, cert *x509.Certificate, pair tls.Certificate) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	if client {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err = x509.ParseCertificate(der)
	require.NoError(t, err)
	kb, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
	require.NoError(t, os.WriteFile(certFile, certPEM, 0o600))
	require.NoError(t, os.WriteFile(keyFile, keyPEM, 0o600))
	pair, err = tls.X509KeyPair(certPEM, keyPEM)
	require.NoError(t, err)
	return certFile, keyFile, cert, pair
}

// TestServeTLSAndConfig: a config file (relative paths, API keys file,
// client CA) with a self-signed certificate: HTTPS only, an API key or a
// client certificate authorizes issuing.
func TestServeTLSAndConfig(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, serverCert, _ := selfSigned(t, dir, "server", false)
	caFile, _, _, clientPair := selfSigned(t, dir, "client", true)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "keys.txt"), []byte("# issuing keys\nfile-key-0123456789abcdef\n"), 0o600))
	cfg := map[string]any{
		"dataDir":        "data",
		"apiKeys":        []string{"config-key-0123456789abcdef"},
		"apiKeysFile":    "keys.txt",
		"statusPurposes": []string{"revocation"},
		"tls":            map[string]any{"cert": filepath.Base(certFile), "key": filepath.Base(keyFile), "clientCA": filepath.Base(caFile)},
		"readTimeout":    "5s",
		"log":            map[string]any{"level": "warn"},
	}
	b, _ := json.Marshal(cfg)
	cfgFile := filepath.Join(dir, "microcred.json")
	require.NoError(t, os.WriteFile(cfgFile, b, 0o600))

	r := startServe(t, "--config", cfgFile)
	base := "https://" + r.addr
	pool := x509.NewCertPool()
	pool.AddCert(serverCert)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	withCert := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{clientPair}}}}

	code, _ := call(t, c, "GET", base+"/healthz", "", nil)
	require.Equal(t, http.StatusOK, code)
	if res, err := http.Get("http://" + r.addr + "/healthz"); err == nil {
		res.Body.Close()
		assert.Equal(t, http.StatusBadRequest, res.StatusCode, "plain HTTP to the TLS port")
	}

	body := map[string]any{"credential": demoCredentialJSON(t)}
	for _, tc := range []struct {
		name   string
		client *http.Client
		key    string
		want   int
	}{
		{"no key", c, "", http.StatusUnauthorized},
		{"config key", c, "config-key-0123456789abcdef", http.StatusCreated},
		{"file key", c, "file-key-0123456789abcdef", http.StatusCreated},
		{"client certificate", withCert, "", http.StatusCreated},
	} {
		code, out := call(t, tc.client, "POST", base+"/credentials/issue", tc.key, body)
		assert.Equal(t, tc.want, code, "%s: %v", tc.name, out)
		if code == http.StatusCreated {
			entry := out["verifiableCredential"].(map[string]any)["credentialStatus"].(map[string]any)
			assert.True(t, strings.HasPrefix(entry["statusListCredential"].(string), base+"/status/"), "%s: %v", tc.name, entry)
		}
	}
	_, err := os.Stat(filepath.Join(dir, "data", "api-key"))
	assert.ErrorIs(t, err, os.ErrNotExist, "no key generated when keys are configured")
}

// TestServeBadConfig: configuration mistakes are usage errors that say
// what is wrong, before anything listens.
func TestServeBadConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(s), 0o600))
		return p
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--config", write("unknown.json", `{"adress": "x"}`)}, "unknown field"},
		{[]string{"--config", write("dur.json", `{"readTimeout": "soon"}`)}, "duration"},
		{[]string{"--config", write("log.json", `{"log": {"format": "xml"}}`)}, "log.format"},
		{[]string{"--config", write("purposes.json", `{"dataDir": "d1", "statusPurposes": ["refresh"]}`)}, "status purpose"},
		{[]string{"--config", write("short.json", `{"dataDir": "d2", "apiKeys": ["short"]}`)}, "shorter"},
		{[]string{"--config", filepath.Join(dir, "missing.json")}, "no such file"},
		{[]string{"--tls-cert", "x.pem"}, "go together"},
		{[]string{"--data-dir", filepath.Join(dir, "d3"), "extra"}, "no arguments"},
		{[]string{"--config", write("key.json", `{"dataDir": "d4", "issuer": {"key": "nokey.jwk"}}`)}, "nokey.jwk"},
	} {
		var stderr bytes.Buffer
		code := run(append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...), nil, io.Discard, &stderr)
		assert.Equal(t, exitUsage, code, "%q", tc.args)
		assert.Contains(t, stderr.String(), tc.want, "%q", tc.args)
	}
}

// TestServeBinarySIGTERM: the built binary serves and stops gracefully on
// SIGTERM, with exit status 0.
func TestServeBinarySIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := filepath.Join(t.TempDir(), "microcred")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--log-format", "json")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	sc := bufio.NewScanner(stderr)
	addr := ""
	var log strings.Builder
	for addr == "" && sc.Scan() {
		log.WriteString(sc.Text() + "\n")
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == "microcred serve listening" {
			addr, _ = m["addr"].(string)
		}
	}
	require.NotEmpty(t, addr, "no listening line:\n%s", log.String())
	code, _ := call(t, http.DefaultClient, "GET", "http://"+addr+"/healthz", "", nil)
	require.Equal(t, http.StatusOK, code)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	for sc.Scan() {
		log.WriteString(sc.Text() + "\n")
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("exit %d after SIGTERM:\n%s", ee.ExitCode(), log.String())
	}
	require.NoError(t, err)
	assert.Contains(t, log.String(), `"msg":"stopped"`)
}

// TestServeP256Key: an issuer key that is not Ed25519 issues VC-JWTs;
// Data Integrity and status lists, which need Ed25519, are refused with a
// clear answer.
func TestServeP256Key(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "issuer.jwk")
	require.Equal(t, exitOK, runCmd(t, nil, "keygen", "--alg", "P-256", "--out", keyFile).code)
	cfgFile := filepath.Join(dir, "microcred.json")
	require.NoError(t, os.WriteFile(cfgFile, []byte(`{"dataDir": "data", "apiKeys": ["p256-key-0123456789abcdef"], "issuer": {"key": "issuer.jwk",
		"profile": {"type": ["Profile"], "name": "Demo University (microcred demo issuer)", "url": "https://demo-university.example/",
		            "address": {"type": ["Address"], "addressCountryCode": "BE", "addressRegion": "Brussels-Capital"}}}}`), 0o600))
	r := startServe(t, "--config", cfgFile)
	base := "http://" + r.addr
	code, health := call(t, http.DefaultClient, "GET", base+"/healthz", "", nil)
	require.Equal(t, http.StatusOK, code)
	issuerID := health["issuer"].(string)
	assert.True(t, strings.HasPrefix(issuerID, "did:key:zDn"), issuerID)
	assert.Equal(t, false, health["statusLists"])

	cred := demoCredentialJSON(t)
	b, _ := json.Marshal(cred)
	b = bytes.ReplaceAll(b, []byte(keys.DemoIssuerDID), []byte(issuerID))
	require.NoError(t, json.Unmarshal(b, &cred))
	cred["issuer"] = issuerID // the rest is the configured profile
	code, out := call(t, http.DefaultClient, "POST", base+"/credentials/issue", "p256-key-0123456789abcdef",
		map[string]any{"credential": cred, "options": map[string]any{"format": "vc+jwt"}})
	require.Equal(t, http.StatusCreated, code, "%v", out)
	code, out = call(t, http.DefaultClient, "POST", base+"/credentials/issue", "p256-key-0123456789abcdef", map[string]any{"credential": cred})
	assert.Equal(t, http.StatusBadRequest, code, "%v", out)
	assert.Contains(t, out["detail"], "Ed25519")
	assert.Contains(t, r.stderr.String(), "no status lists")

	// Asking for default status entries with such a key is a configuration error.
	require.NoError(t, os.WriteFile(cfgFile, []byte(`{"dataDir": "data2", "statusPurposes": ["revocation"], "issuer": {"key": "issuer.jwk"}}`), 0o600))
	var stderr bytes.Buffer
	assert.Equal(t, exitUsage, run([]string{"serve", "--addr", "127.0.0.1:0", "--config", cfgFile}, nil, io.Discard, &stderr))
	assert.Contains(t, stderr.String(), "Ed25519")
}
