package main

// Security review of microcred serve: TestFixedFinding<N>_… reproduce the
// weaknesses the review found (each failed before its fix); the others
// check defences that held from the start.

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError}))
}

// Review finding 6, fixed (this test keeps it fixed): serve builds one fetch.HTTP (MaxBytes 16 MiB = badge.
// MaxBakedBytes, the default cache of 256 entries for 5 minutes) and uses
// it both for GET /verify?url= and inside the Verifier. Every 200 answer is
// cached whole before it is verified, keyed by the full URL (query
// included). An anonymous client asking for
// https://ALLOWED-HOST/any-large-file?n=1, ?n=2, … makes the service keep
// up to 256 × 16 MiB = 4 GiB for five minutes, outside the in-flight bound
// (MaxInFlight × MaxRawBytes) the threat model promises.
func TestFixedFinding6_VerifyURLCacheRetainsLargeBodies(t *testing.T) {
	const size = 8 << 20
	big := bytes.Repeat([]byte("A"), size)
	var hits atomic.Int64
	origin := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(big)
	}))
	defer origin.Close()
	orig := verifyHTTPClient
	verifyHTTPClient = origin.Client()
	defer func() { verifyHTTPClient = orig }()
	host := origin.Listener.Addr().String()

	cfg := &serveConfig{DataDir: t.TempDir(), PublicURL: "https://credentials.test.example", AllowedHosts: []string{host},
		APIKeys: []string{"serve-security-test-key-0123456789"}}
	srv, cleanup, err := buildServer(context.Background(), cfg, quietLogger())
	require.NoError(t, err)
	defer cleanup()

	get := func(u string) int {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/verify?url="+url.QueryEscape(u), nil))
		return rec.Code
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	const n = 12
	for i := 0; i < n; i++ {
		code := get("https://" + host + "/transcript.pdf?n=" + strconv.Itoa(i))
		require.NotEqual(t, http.StatusInternalServerError, code)
	}
	require.EqualValues(t, n, hits.Load())
	big = nil
	runtime.GC()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(srv) // the service is still running
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("heap grew by %d MiB after %d anonymous GET /verify?url= of %d MiB non-credentials", grown>>20, n, size>>20)
	require.Less(t, grown, int64(3*size),
		"%d MiB of fetched non-credentials stay in memory after the requests ended (the fetch cache keeps every 200 body, up to 256 × 16 MiB)", grown>>20)
}

// Review finding 7, fixed (this test keeps it fixed): an existing DATADIR/api-key (or apiKeysFile) that other users
// can read is used as it is: the key that authorizes issuing and
// revocation is then readable by every local account, and serve neither
// refuses it nor warns. (A newly generated file is 0600: that holds.)
func TestFixedFinding7_WorldReadableAPIKeyFileAccepted(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "api-key")
	require.NoError(t, os.WriteFile(path, []byte("0123456789abcdef0123456789abcdef\n"), 0o644))
	require.NoError(t, os.Chmod(path, 0o644))
	_, _, err := generatedAPIKey(path)
	if err == nil {
		fi, statErr := os.Stat(path)
		require.NoError(t, statErr)
		require.Zero(t, fi.Mode().Perm()&0o077, "api-key file of mode %v accepted and left readable by group/others", fi.Mode().Perm())
	}
}

// --- defences that hold ---

// The generated API key and the data directory are private.
func TestSecurityGeneratedFilesPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	cfg := &serveConfig{DataDir: dir, PublicURL: "https://credentials.test.example"}
	srv, cleanup, err := buildServer(context.Background(), cfg, quietLogger())
	require.NoError(t, err)
	defer cleanup()
	require.NotNil(t, srv)
	fi, err := os.Stat(dir)
	require.NoError(t, err)
	require.Zero(t, fi.Mode().Perm()&0o077, "data dir %v", fi.Mode().Perm())
	fi, err = os.Stat(filepath.Join(dir, "api-key"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	k, err := os.ReadFile(filepath.Join(dir, "api-key"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(bytes.TrimSpace(k)), 64)

	// The key authorizes; nothing else does.
	body := []byte(`{"credentialId": "urn:x", "credentialStatus": {"statusPurpose": "revocation"}, "status": true}`)
	for _, tc := range []struct {
		key  string
		want int
	}{{"", 401}, {"x", 401}, {string(bytes.TrimSpace(k)), 404}} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/credentials/status", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if tc.key != "" {
			req.Header.Set("Authorization", "Bearer "+tc.key)
		}
		srv.ServeHTTP(rec, req)
		require.Equal(t, tc.want, rec.Code, "%s", rec.Body)
	}

	// A short key in the file is refused.
	short := filepath.Join(t.TempDir(), "api-key")
	require.NoError(t, os.WriteFile(short, []byte("short\n"), 0o600))
	_, _, err = generatedAPIKey(short)
	require.Error(t, err)
	// A short key in apiKeysFile is refused.
	keysFile := filepath.Join(t.TempDir(), "keys.txt")
	require.NoError(t, os.WriteFile(keysFile, []byte("# comment\n\nshort\n"), 0o600))
	_, _, err = buildServer(context.Background(), &serveConfig{DataDir: t.TempDir(), APIKeysFile: keysFile, PublicURL: "https://x.example"}, quietLogger())
	require.Error(t, err)
}

// Relative paths in the config file are relative to the file; absolute
// ones stay; unknown members are refused.
func TestSecurityConfigPaths(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "microcred.json")
	require.NoError(t, os.WriteFile(p, []byte(`{"dataDir": "data", "registry": "../reg.json", "apiKeysFile": "/etc/keys",
		"tls": {"cert": "c.pem", "key": "k.pem", "clientCA": "ca.pem"}}`), 0o600))
	cfg, err := readServeConfig(p)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(dir, "data"), cfg.DataDir)
	require.Equal(t, filepath.Join(filepath.Dir(dir), "reg.json"), cfg.Registry)
	require.Equal(t, "/etc/keys", cfg.APIKeysFile)
	require.Equal(t, filepath.Join(dir, "ca.pem"), cfg.TLS.ClientCA)

	require.NoError(t, os.WriteFile(p, []byte(`{"apikeys": ["0123456789abcdef0123"], "allowAll": true}`), 0o600))
	_, err = readServeConfig(p)
	require.Error(t, err)
	require.NoError(t, os.WriteFile(p, []byte(`{"readTimeout": "-1s"}`), 0o600))
	_, err = readServeConfig(p)
	require.Error(t, err)
}

// TLS: at least 1.2; a client CA makes client certificates optional
// (verification stays open) but verified.
func TestSecurityTLSConfig(t *testing.T) {
	dir := t.TempDir()
	cert, key, _, _ := selfSigned(t, dir, "server", false)
	ca, _, _, _ := selfSigned(t, dir, "ca", true)
	cfg := &serveConfig{}
	cfg.TLS.Cert, cfg.TLS.Key, cfg.TLS.ClientCA = cert, key, ca
	tc, err := serveTLSConfig(cfg)
	require.NoError(t, err)
	require.GreaterOrEqual(t, tc.MinVersion, uint16(tls.VersionTLS12))
	require.Equal(t, tls.VerifyClientCertIfGiven, tc.ClientAuth)
	require.NotNil(t, tc.ClientCAs)
	require.False(t, tc.InsecureSkipVerify)
	require.Nil(t, tc.VerifyPeerCertificate)
	require.Empty(t, tc.CipherSuites, "Go's default suites (no CBC/RSA-kex preference) are used")

	// A CA file without certificates is an error, not an empty pool that
	// would verify nothing (or everything).
	bad := filepath.Join(dir, "empty.pem")
	require.NoError(t, os.WriteFile(bad, []byte("not a pem"), 0o600))
	cfg.TLS.ClientCA = bad
	_, err = serveTLSConfig(cfg)
	require.Error(t, err)
}
