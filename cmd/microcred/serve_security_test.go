package main

// Security review of microcred serve: defences that hold.

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError}))
}

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
