package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc/status"
	"github.com/microcred/microcred/vcapi"
)

var serveCommand = &command{
	name:    "serve",
	summary: "run the HTTP service: W3C VC API issue/verify, status lists, LMS verification",
	run:     runServe,
}

const serveDescription = `Run the HTTP service (package vcapi): POST /credentials/issue,
/credentials/verify, /presentations/verify, /credentials/status, GET /status/{list},
POST /status/{list}/{index}, POST /verify (raw body: JSON, JWS, PNG, SVG),
GET /verify?url=, GET /healthz and GET /openapi.json.

With no configuration it serves on 127.0.0.1:8080 with the embedded PUBLIC demo key
as issuer and the demo registry, keeping status lists in ./microcred-data. Issuing
and status updates need an API key: when none is configured one is generated
into DATADIR/api-key (mode 0600) and its path logged. Verification is open.

The --config file is JSON (every member optional):

  {
    "addr": "127.0.0.1:8080",
    "publicURL": "https://credentials.uni.example",   base of status list URLs
    "dataDir": "/var/lib/microcred",                  status lists, generated API key
    "issuer": {"key": "issuer.jwk",                   private key file (keygen)
               "profile": {"id": "did:web:uni.example", "name": "…"}},
    "registry": "registry.json",                      trusted issuers (keys.FileRegistry)
    "requireEUProfile": false,
    "allowPlainCredentials": false,                   also sign VCs that are not Open Badges
    "allowedHosts": ["uni.example"],                  did:web, status lists, GET /verify?url=
    "apiKeys": ["…"], "apiKeysFile": "keys.txt",      one key per line
    "statusPurposes": ["revocation"],                 entries every credential gets
    "tls": {"cert": "c.pem", "key": "k.pem", "clientCA": "ca.pem"},
    "maxBodyBytes": 2097152, "maxInFlight": 64,       requests served at once (others wait, then 503)
    "readTimeout": "15s", "writeTimeout": "30s", "idleTimeout": "120s",
    "shutdownTimeout": "20s",
    "log": {"format": "text"|"json", "level": "info"|"debug"|"warn"|"error"}
  }

Paths in the file are relative to the file. Flags override the file. With
tls.clientCA, a client certificate signed by that CA authorizes issuing like an
API key. SIGTERM or SIGINT stops the server gracefully (requests in flight finish,
up to shutdownTimeout).`

// serveConfig is the --config file.
type serveConfig struct {
	Addr      string `json:"addr"`
	PublicURL string `json:"publicURL"`
	DataDir   string `json:"dataDir"`
	Issuer    struct {
		Key     string          `json:"key"`
		Profile json.RawMessage `json:"profile"`
	} `json:"issuer"`
	Registry         string   `json:"registry"`
	RequireEUProfile bool     `json:"requireEUProfile"`
	AllowPlainVCs    bool     `json:"allowPlainCredentials"`
	AllowedHosts     []string `json:"allowedHosts"`
	APIKeys          []string `json:"apiKeys"`
	APIKeysFile      string   `json:"apiKeysFile"`
	StatusPurposes   []string `json:"statusPurposes"`
	TLS              struct {
		Cert     string `json:"cert"`
		Key      string `json:"key"`
		ClientCA string `json:"clientCA"`
	} `json:"tls"`
	MaxBodyBytes    int64    `json:"maxBodyBytes"`
	MaxInFlight     int      `json:"maxInFlight"`
	ReadTimeout     duration `json:"readTimeout"`
	WriteTimeout    duration `json:"writeTimeout"`
	IdleTimeout     duration `json:"idleTimeout"`
	ShutdownTimeout duration `json:"shutdownTimeout"`
	Log             struct {
		Format string `json:"format"`
		Level  string `json:"level"`
	} `json:"log"`
}

// duration is a time.Duration written as "15s" in JSON.
type duration time.Duration

func (d *duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is a string like \"15s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	if v < 0 {
		return fmt.Errorf("negative duration %q", s)
	}
	*d = duration(v)
	return nil
}

// readServeConfig reads and strictly decodes the config file, resolving
// relative paths against its directory.
func readServeConfig(path string) (*serveConfig, error) {
	cfg := &serveConfig{}
	if path == "" {
		return cfg, nil
	}
	data, err := readInput(path, nil)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: data after the JSON object", path)
	}
	dir := filepath.Dir(path)
	for _, p := range []*string{&cfg.DataDir, &cfg.Issuer.Key, &cfg.Registry, &cfg.APIKeysFile, &cfg.TLS.Cert, &cfg.TLS.Key, &cfg.TLS.ClientCA} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	return cfg, nil
}

// serveSignals is the context serve runs under: cancelled on SIGTERM or
// SIGINT. Tests replace it.
var serveSignals = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
}

// serveListening, when set, is told the address the server listens on
// (tests use it with --addr 127.0.0.1:0).
var serveListening func(addr string)

func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", "[--config FILE] [--addr HOST:PORT] [--tls-cert FILE --tls-key FILE] [--data-dir DIR] [--public-url URL] [--log-format text|json]", serveDescription)
	configFile := fs.String("config", "", "configuration `FILE` (JSON)")
	addr := fs.String("addr", "", "listen `address` (default 127.0.0.1:8080)")
	tlsCert := fs.String("tls-cert", "", "TLS certificate `FILE` (PEM); HTTPS instead of HTTP")
	tlsKey := fs.String("tls-key", "", "TLS private key `FILE` (PEM)")
	dataDir := fs.String("data-dir", "", "`DIR` for status lists and the generated API key (default ./microcred-data)")
	publicURL := fs.String("public-url", "", "public base `URL` of the service (status list URLs); default from --addr")
	logFormat := fs.String("log-format", "", "log `format`: text (default) or json")
	pos, done, st := parseArgs(fs, args, stdout, stderr)
	if done {
		return st
	}
	if len(pos) != 0 {
		return usageError(fs, stderr, "serve takes no arguments, got %d", len(pos))
	}
	cfg, err := readServeConfig(*configFile)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	for flagVal, cfgVal := range map[*string]*string{addr: &cfg.Addr, tlsCert: &cfg.TLS.Cert, tlsKey: &cfg.TLS.Key, dataDir: &cfg.DataDir, publicURL: &cfg.PublicURL, logFormat: &cfg.Log.Format} {
		if *flagVal != "" {
			*cfgVal = *flagVal
		}
	}
	if (cfg.TLS.Cert == "") != (cfg.TLS.Key == "") {
		return usageError(fs, stderr, "--tls-cert and --tls-key go together")
	}
	if cfg.TLS.ClientCA != "" && cfg.TLS.Cert == "" {
		return usageError(fs, stderr, "tls.clientCA needs tls.cert and tls.key")
	}
	logger, err := serveLogger(cfg, stderr)
	if err != nil {
		return usageError(fs, stderr, "%v", err)
	}

	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	defer ln.Close()
	cfg.Addr = ln.Addr().String()

	ctx, stop := serveSignals()
	defer stop()
	srv, cleanup, err := buildServer(ctx, cfg, logger)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	defer cleanup()

	httpSrv := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       orDefault(cfg.ReadTimeout, 15*time.Second),
		WriteTimeout:      orDefault(cfg.WriteTimeout, 30*time.Second),
		IdleTimeout:       orDefault(cfg.IdleTimeout, 120*time.Second),
		MaxHeaderBytes:    64 << 10,
		// One HTTP/2 connection may not hold more streams than a handful of
		// HTTP/1 connections would (the default is 250).
		HTTP2:    &http.HTTP2Config{MaxConcurrentStreams: 16},
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	if cfg.TLS.Cert != "" {
		tc, err := serveTLSConfig(cfg)
		if err != nil {
			return ioError(fs, stderr, err)
		}
		httpSrv.TLSConfig = tc
	}
	scheme := "http"
	if httpSrv.TLSConfig != nil {
		scheme = "https"
		ln = tls.NewListener(ln, httpSrv.TLSConfig)
	}
	logger.Info("microcred serve listening", "addr", ln.Addr().String(), "scheme", scheme)
	if serveListening != nil {
		serveListening(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	select {
	case err := <-errc:
		return ioError(fs, stderr, err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", orDefault(cfg.ShutdownTimeout, 20*time.Second).String())
	sctx, cancel := context.WithTimeout(context.Background(), orDefault(cfg.ShutdownTimeout, 20*time.Second))
	defer cancel()
	if err := httpSrv.Shutdown(sctx); err != nil {
		logger.Error("shutdown", "error", err)
		return exitUsage
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Error("serve", "error", err)
	}
	logger.Info("stopped")
	return exitOK
}

func orDefault(d duration, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return time.Duration(d)
}

// serveLogger builds the slog logger of cfg.Log on w.
func serveLogger(cfg *serveConfig, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if cfg.Log.Level != "" {
		if err := level.UnmarshalText([]byte(cfg.Log.Level)); err != nil {
			return nil, fmt.Errorf("log.level: %w", err)
		}
	}
	opts := &slog.HandlerOptions{Level: level}
	switch cfg.Log.Format {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log.format %q (want text or json)", cfg.Log.Format)
}

// serveTLSConfig loads the certificate and, with a client CA, asks for
// client certificates (optional: verification stays open).
func serveTLSConfig(cfg *serveConfig) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(cfg.TLS.Cert, cfg.TLS.Key)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate: %w", err)
	}
	tc := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}}
	if cfg.TLS.ClientCA != "" {
		pem, err := os.ReadFile(cfg.TLS.ClientCA)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s: no PEM certificates", cfg.TLS.ClientCA)
		}
		tc.ClientCAs = pool
		tc.ClientAuth = tls.VerifyClientCertIfGiven
	}
	return tc, nil
}

// buildServer makes the vcapi.Server of cfg: issuer key and profile,
// registry, fetcher, status store and API keys.
func buildServer(ctx context.Context, cfg *serveConfig, logger *slog.Logger) (*vcapi.Server, func(), error) {
	if cfg.DataDir == "" {
		cfg.DataDir = "microcred-data"
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, nil, err
	}
	if cfg.PublicURL == "" {
		scheme := "http"
		if cfg.TLS.Cert != "" {
			scheme = "https"
		}
		cfg.PublicURL = scheme + "://" + cfg.Addr
	}
	cfg.PublicURL = strings.TrimSuffix(cfg.PublicURL, "/")

	// The issuer: the configured key, or the public demo key.
	var signer *keys.KeySigner
	var did, vm string
	profile := badge.Profile{}
	if len(cfg.Issuer.Profile) > 0 {
		if err := json.Unmarshal(cfg.Issuer.Profile, &profile); err != nil {
			return nil, nil, fmt.Errorf("issuer.profile: %w", err)
		}
	}
	if cfg.Issuer.Key == "" {
		priv, err := keys.Ed25519FromSeed(demoSeed)
		if err != nil {
			return nil, nil, err
		}
		if vm, err = keys.DIDKeyURL(priv.Public()); err != nil {
			return nil, nil, err
		}
		if signer, err = keys.NewSigner(priv, vm); err != nil {
			return nil, nil, err
		}
		if did, err = keys.DIDKey(priv.Public().(ed25519.PublicKey)); err != nil {
			return nil, nil, err
		}
		if profile.ID != "" && profile.ID != did {
			return nil, nil, errors.New("issuer.profile.id is set but issuer.key is not: the demo key only controls " + did)
		}
		if len(cfg.Issuer.Profile) == 0 {
			// The issuer of the demo micro-credential, address included
			// (the EU profile needs the issuer's country).
			demo, err := demoMicroCredential(did).Credential()
			if err != nil {
				return nil, nil, err
			}
			profile = *demo.Issuer
		}
		profile.ID = did
		logger.Warn("issuing with the PUBLIC demo key; configure issuer.key for real credentials", "issuer", did)
	} else {
		k, err := loadKey(cfg.Issuer.Key)
		if err != nil {
			return nil, nil, err
		}
		if profile.ID == "" {
			profile.ID = k.did
		}
		if vm = k.methodFor(profile.ID); vm == "" {
			return nil, nil, fmt.Errorf("issuer.profile.id %q is not controlled by the key %s (its DID is %s)", profile.ID, cfg.Issuer.Key, k.did)
		}
		signer = k.signer.WithVerificationMethod(vm)
		did = k.did
	}
	issuer, err := badge.NewIssuer(signer, profile, badge.IssuerOptions{})
	if err != nil {
		return nil, nil, fmt.Errorf("issuer: %w", err)
	}

	// Trusted material for verification.
	var registry keys.Registry = keys.DemoRegistry()
	if cfg.Registry != "" {
		r, err := keys.LoadRegistryFile(cfg.Registry)
		if err != nil {
			return nil, nil, err
		}
		registry = r
	} else {
		logger.Warn("verifying against the DEMO registry, which trusts the public demo key; configure registry for real use")
	}
	// Two fetchers over the same allow-list: the verifier's (DID
	// documents, JWKS, status lists: small, cached) and GET /verify?url='s
	// (credentials, perhaps baked images: larger, never cached, so that
	// anonymous requests cannot fill memory with cached bodies).
	var fetcher, urlFetcher fetch.Fetcher
	if len(cfg.AllowedHosts) > 0 {
		fetcher = fetch.NewHTTP(verifyHTTPClient, fetch.Options{AllowedHosts: cfg.AllowedHosts})
		urlFetcher = fetch.NewHTTP(verifyHTTPClient, fetch.Options{AllowedHosts: cfg.AllowedHosts, MaxBytes: badge.MaxBakedBytes, CacheTTL: -1})
	}

	// Status lists are signed eddsa-rdfc-2022: only with an Ed25519 key.
	var store *status.Store
	if signer.Algorithm() == keys.EdDSA {
		store, err = status.OpenStore(ctx, status.StoreOptions{
			Dir: filepath.Join(cfg.DataDir, "status"), Signer: signer, Issuer: issuer.ID(), BaseURL: cfg.PublicURL + "/status",
		})
		if err != nil {
			return nil, nil, fmt.Errorf("status lists: %w", err)
		}
	} else {
		if len(cfg.StatusPurposes) > 0 {
			return nil, nil, fmt.Errorf("statusPurposes: status lists are signed with eddsa-rdfc-2022, which needs an Ed25519 issuer key (this key signs %s)", signer.Algorithm())
		}
		logger.Warn("no status lists: they are signed with eddsa-rdfc-2022, which needs an Ed25519 issuer key", "alg", signer.Algorithm())
	}
	closeStore := func() {
		if store != nil {
			store.Close()
		}
	}
	var vfetch fetch.Fetcher = fetcher
	if store != nil {
		vfetch = vcapi.StatusFetcher(store, fetcher)
	}
	verifier, err := badge.NewVerifier(badge.VerifierOptions{
		Registry:         registry,
		Fetcher:          vfetch,
		RequireEUProfile: cfg.RequireEUProfile,
	})
	if err != nil {
		closeStore()
		return nil, nil, err
	}

	apiKeys := append([]string(nil), cfg.APIKeys...)
	if cfg.APIKeysFile != "" {
		ks, err := readAPIKeys(cfg.APIKeysFile)
		if err != nil {
			closeStore()
			return nil, nil, err
		}
		apiKeys = append(apiKeys, ks...)
	}
	if len(apiKeys) == 0 && cfg.TLS.ClientCA == "" {
		path := filepath.Join(cfg.DataDir, "api-key")
		k, created, err := generatedAPIKey(path)
		if err != nil {
			closeStore()
			return nil, nil, err
		}
		apiKeys = append(apiKeys, k)
		logger.Info("no API key configured: issuing and status updates accept the generated key in the file", "file", path, "created", created)
	}
	cfgAPI := vcapi.Config{
		Verifier:              verifier,
		Issuer:                issuer,
		DefaultStatusPurposes: cfg.StatusPurposes,
		AllowPlainCredentials: cfg.AllowPlainVCs,
		APIKeys:               apiKeys,
		ClientCertificates:    cfg.TLS.ClientCA != "",
		URLFetcher:            urlFetcher,
		MaxBodyBytes:          cfg.MaxBodyBytes,
		MaxInFlight:           cfg.MaxInFlight,
		Logger:                logger,
	}
	if store != nil {
		cfgAPI.Status = store
	}
	srv, err := vcapi.New(cfgAPI)
	if err != nil {
		closeStore()
		return nil, nil, err
	}
	logger.Info("issuer", "id", issuer.ID(), "key", did, "statusLists", cfg.PublicURL+"/status/", "allowedHosts", cfg.AllowedHosts)
	return srv, closeStore, nil
}

// readAPIKeys reads one API key per line (blank lines and # comments
// skipped).
func readAPIKeys(path string) ([]string, error) {
	if err := privateFile(path); err != nil {
		return nil, err
	}
	data, err := readInput(path, nil)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out, nil
}

// generatedAPIKey returns the key in path, creating it (32 random bytes,
// hex, mode 0600) when the file does not exist.
func generatedAPIKey(path string) (key string, created bool, err error) {
	if err := privateFile(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", false, err
	}
	if b, err := os.ReadFile(path); err == nil {
		k := strings.TrimSpace(string(b))
		if len(k) < vcapi.MinAPIKeyLength {
			return "", false, fmt.Errorf("%s: API key shorter than %d characters", path, vcapi.MinAPIKeyLength)
		}
		return k, false, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", false, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", false, err
	}
	k := hex.EncodeToString(b)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", false, err
	}
	if _, err := f.WriteString(k + "\n"); err != nil {
		f.Close()
		return "", false, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", false, err
	}
	return k, true, f.Close()
}

// privateFile refuses a secret file that others than its owner may read
// or write (on systems with Unix permissions).
func privateFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("%s holds API keys but its mode is %v: make it private (chmod 600 %s)", path, fi.Mode().Perm(), path)
	}
	return nil
}
