package vcapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/vc/status"
)

// Default limits.
const (
	// DefaultMaxBodyBytes bounds JSON request bodies: a credential may be
	// 1 MiB (vc.Parse's limit), plus the request's own members.
	DefaultMaxBodyBytes = 2 << 20
	// DefaultMaxRawBytes bounds POST /verify bodies, which may be baked
	// images.
	DefaultMaxRawBytes = badge.MaxBakedBytes
)

// Config is the trusted material and policy of a Server.
type Config struct {
	// Verifier verifies credentials and presentations. Required.
	Verifier *badge.Verifier
	// Issuer signs credentials for POST /credentials/issue. Nil means the
	// service does not issue: that endpoint answers 501.
	Issuer *badge.Issuer
	// Status holds the issuer's status lists. Nil means credentials are
	// issued without status entries, GET /status/{list} answers 404 and
	// status updates 501. Its lists must be the Issuer's (same issuer id).
	Status *status.Store
	// AllowPlainCredentials lets POST /credentials/issue sign credentials
	// that are not Open Badges 3.0 (no OpenBadgeCredential or
	// AchievementCredential type, no achievement): they are checked against
	// the VCDM data model and JSON-LD safe mode only, not the Open Badges
	// rules, schemas or the EU profile, and signed with the Issuer's key as
	// they are (no id or validFrom is added). False refuses them with 422:
	// a micro-credential service should not sign arbitrary claims.
	AllowPlainCredentials bool
	// DefaultStatusPurposes is the status entry ("revocation" or
	// "suspension") every issued credential gets when the request's
	// options name none: at most one, since the Open Badges 3.0 JSON
	// Schema allows one credentialStatus. Needs Status.
	DefaultStatusPurposes []string
	// APIKeys authorize issuing and status updates. A request presents one
	// as "Authorization: Bearer KEY" or "X-API-Key: KEY". Keys shorter than
	// MinAPIKeyLength are refused by New.
	APIKeys []string
	// ClientCertificates authorizes requests that came with a TLS client
	// certificate the server verified (tls.Config.ClientCAs with
	// VerifyClientCertIfGiven or RequireAndVerifyClientCert).
	ClientCertificates bool
	// URLFetcher fetches the credential of GET /verify?url=...; its host
	// allow-list is the list of hosts that endpoint may fetch from. Nil
	// means the endpoint answers 403.
	URLFetcher fetch.Fetcher
	// MaxBodyBytes bounds JSON request bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxRawBytes bounds POST /verify bodies; 0 means DefaultMaxRawBytes.
	MaxRawBytes int64
	// MaxInFlight bounds how many requests that read a body or verify
	// (every endpoint but GET /healthz, /openapi.json and /status/{list})
	// are served at once, which bounds the memory their bodies take
	// (MaxInFlight × MaxRawBytes at worst). A request that finds no slot
	// within QueueWait is answered 503 with Retry-After. 0 means
	// DefaultMaxInFlight.
	MaxInFlight int
	// QueueWait is how long a request waits for a slot; 0 means
	// DefaultQueueWait.
	QueueWait time.Duration
	// BodyTimeout bounds how long a request may take to send its body once
	// it holds a slot, so that a client trickling its body cannot keep a
	// slot for the server's whole read timeout; 0 means DefaultBodyTimeout.
	BodyTimeout time.Duration
	// ChallengeTTL is how long a challenge from POST /challenges is valid;
	// 0 means DefaultChallengeTTL.
	ChallengeTTL time.Duration
	// Logger receives one line per request and every recovered panic; nil
	// means slog.Default().
	Logger *slog.Logger
}

// Defaults of Config.MaxInFlight and Config.QueueWait.
const (
	DefaultMaxInFlight = 64
	DefaultQueueWait   = 2 * time.Second
	DefaultBodyTimeout = 10 * time.Second
)

// MinAPIKeyLength is the shortest API key New accepts.
const MinAPIKeyLength = 16

// Server is the HTTP handler of the service. Build it with New; it is safe
// for concurrent use.
type Server struct {
	cfg     Config
	keys    [][32]byte
	mux     *http.ServeMux
	log     *slog.Logger
	maxBody int64
	maxRaw  int64
	slots   chan struct{}
	// authSlots are the authenticated endpoints' own slots, so that
	// anonymous verification traffic cannot keep the issuer from issuing
	// or revoking.
	authSlots  chan struct{}
	wait       time.Duration
	bodyWait   time.Duration
	csrf       *http.CrossOriginProtection
	challenges *challenger
}

// route is one endpoint: its path pattern (net/http ServeMux syntax,
// without method), its methods, and whether it needs authorization.
type route struct {
	pattern string
	methods map[string]http.HandlerFunc
	auth    bool
	// light routes do not take an in-flight slot.
	light bool
}

// routes returns the endpoints; OpenAPI's test checks that openapi.json
// describes exactly these.
func (s *Server) routes() []route {
	return []route{
		{pattern: "/credentials/issue", methods: map[string]http.HandlerFunc{http.MethodPost: s.issue}, auth: true},
		{pattern: "/credentials/status", methods: map[string]http.HandlerFunc{http.MethodPost: s.updateStatus}, auth: true},
		{pattern: "/credentials/verify", methods: map[string]http.HandlerFunc{http.MethodPost: s.verifyCredential}},
		{pattern: "/presentations/verify", methods: map[string]http.HandlerFunc{http.MethodPost: s.verifyPresentation}},
		{pattern: "/challenges", methods: map[string]http.HandlerFunc{http.MethodPost: s.challenge}, light: true},
		{pattern: "/status/{list}", methods: map[string]http.HandlerFunc{http.MethodGet: s.getStatusList}, light: true},
		{pattern: "/status/{list}/{index}", methods: map[string]http.HandlerFunc{http.MethodPost: s.setStatusIndex}, auth: true},
		{pattern: "/verify", methods: map[string]http.HandlerFunc{http.MethodPost: s.verifyRaw, http.MethodGet: s.verifyURL}},
		{pattern: "/healthz", methods: map[string]http.HandlerFunc{http.MethodGet: s.healthz}, light: true},
		{pattern: "/openapi.json", methods: map[string]http.HandlerFunc{http.MethodGet: s.openAPI}, light: true},
	}
}

// New returns the Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Verifier == nil {
		return nil, errors.New("vcapi: New: Config.Verifier is required")
	}
	if cfg.Status != nil && cfg.Issuer == nil {
		return nil, errors.New("vcapi: New: Config.Status needs Config.Issuer (the lists are the issuer's)")
	}
	if len(cfg.DefaultStatusPurposes) > 0 && cfg.Status == nil {
		return nil, errors.New("vcapi: New: Config.DefaultStatusPurposes needs Config.Status")
	}
	if len(cfg.DefaultStatusPurposes) > 1 {
		return nil, errors.New("vcapi: New: at most one default status purpose (an Open Badges 3.0 credential has at most one credentialStatus)")
	}
	for _, p := range cfg.DefaultStatusPurposes {
		if p != status.PurposeRevocation && p != status.PurposeSuspension {
			return nil, fmt.Errorf("vcapi: New: default status purpose %q (want %q or %q)", p, status.PurposeRevocation, status.PurposeSuspension)
		}
	}
	if cfg.MaxBodyBytes < 0 || cfg.MaxRawBytes < 0 || cfg.MaxInFlight < 0 || cfg.QueueWait < 0 || cfg.BodyTimeout < 0 || cfg.ChallengeTTL < 0 {
		return nil, errors.New("vcapi: New: negative limit")
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), log: cfg.Logger, maxBody: cfg.MaxBodyBytes, maxRaw: cfg.MaxRawBytes}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.maxBody == 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if s.maxRaw == 0 {
		s.maxRaw = DefaultMaxRawBytes
	}
	n := cfg.MaxInFlight
	if n == 0 {
		n = DefaultMaxInFlight
	}
	s.slots = make(chan struct{}, n)
	s.authSlots = make(chan struct{}, n)
	s.wait = cfg.QueueWait
	if s.wait == 0 {
		s.wait = DefaultQueueWait
	}
	s.bodyWait = cfg.BodyTimeout
	if s.bodyWait == 0 {
		s.bodyWait = DefaultBodyTimeout
	}
	s.csrf = http.NewCrossOriginProtection()
	ttl := cfg.ChallengeTTL
	if ttl == 0 {
		ttl = DefaultChallengeTTL
	}
	var err error
	if s.challenges, err = newChallenger(ttl); err != nil {
		return nil, fmt.Errorf("vcapi: New: %w", err)
	}
	for i, k := range cfg.APIKeys {
		if len(k) < MinAPIKeyLength {
			return nil, fmt.Errorf("vcapi: New: API key %d is shorter than %d characters", i, MinAPIKeyLength)
		}
		s.keys = append(s.keys, sha256.Sum256([]byte(k)))
	}
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.dispatch(rt))
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, problem{Status: http.StatusNotFound, Type: "not-found", Title: "no such endpoint",
			Detail: fmt.Sprintf("%s %s is not an endpoint of this service (see GET /openapi.json)", r.Method, r.URL.Path)})
	})
	return s, nil
}

// dispatch picks the route's handler by method (405 with Allow otherwise)
// and checks authorization.
func (s *Server) dispatch(rt route) http.Handler {
	allow := make([]string, 0, len(rt.methods))
	for m := range rt.methods {
		allow = append(allow, m)
	}
	if _, ok := rt.methods[http.MethodGet]; ok {
		allow = append(allow, http.MethodHead)
	}
	slices.Sort(allow)
	allowHeader := strings.Join(allow, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := r.Method
		if method == http.MethodHead {
			method = http.MethodGet
		}
		h, ok := rt.methods[method]
		if !ok {
			w.Header().Set("Allow", allowHeader)
			writeProblem(w, r, problem{Status: http.StatusMethodNotAllowed, Type: "method-not-allowed", Title: "method not allowed",
				Detail: fmt.Sprintf("%s does not accept %s (allowed: %s)", r.URL.Path, r.Method, allowHeader)})
			return
		}
		if rt.auth {
			// A browser that holds a client certificate sends it cross-site
			// too: refuse cross-origin browser requests, and bodies a page
			// can send without a CORS preflight.
			if err := s.csrf.Check(r); err != nil {
				writeProblem(w, r, problem{Status: http.StatusForbidden, Type: "cross-origin", Title: "cross-origin request refused",
					Detail: "this endpoint does not accept cross-origin browser requests"})
				return
			}
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
				writeProblem(w, r, problem{Status: http.StatusUnsupportedMediaType, Type: "unsupported-media-type", Title: "unsupported media type",
					Detail: "this endpoint takes Content-Type: application/json"})
				return
			}
			if !s.authorized(r) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="microcred"`)
				writeProblem(w, r, problem{Status: http.StatusUnauthorized, Type: "unauthorized", Title: "authorization required",
					Detail: "this endpoint needs an API key (Authorization: Bearer KEY or X-API-Key: KEY) or a verified TLS client certificate"})
				return
			}
		}
		if !rt.light {
			slots := s.slots
			if rt.auth {
				slots = s.authSlots
			}
			if !acquire(r, slots, s.wait) {
				w.Header().Set("Retry-After", "1")
				writeProblem(w, r, problem{Status: http.StatusServiceUnavailable, Type: "busy", Title: "server busy",
					Detail: fmt.Sprintf("%d requests are being served; retry shortly", cap(slots))})
				return
			}
			defer func() { <-slots }()
			// The body must arrive soon: a slot is not for trickling.
			// (Not every ResponseWriter supports deadlines; then the
			// server's read timeout is the bound.)
			_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.bodyWait))
		}
		h(w, r)
	})
}

// authorized reports whether r carries one of the API keys or a verified
// client certificate (when allowed).
func (s *Server) authorized(r *http.Request) bool {
	if s.cfg.ClientCertificates && r.TLS != nil && len(r.TLS.VerifiedChains) > 0 {
		return true
	}
	key := r.Header.Get("X-API-Key")
	if auth := r.Header.Get("Authorization"); key == "" && auth != "" {
		scheme, token, ok := strings.Cut(auth, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			key = strings.TrimSpace(token)
		}
	}
	if key == "" {
		return false
	}
	h := sha256.Sum256([]byte(key))
	ok := 0
	for _, k := range s.keys {
		ok |= subtle.ConstantTimeCompare(h[:], k[:])
	}
	return ok == 1
}

// acquire takes a slot of slots, waiting at most wait.
func acquire(r *http.Request, slots chan struct{}, wait time.Duration) bool {
	select {
	case slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-r.Context().Done():
		return false
	}
}

// ServeHTTP serves the API: it recovers panics (500, logged), and logs one
// line per request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			if !rec.wrote {
				writeProblem(rec, r, problem{Status: http.StatusInternalServerError, Type: "internal", Title: "internal error",
					Detail: "the server failed on this request; it has been logged"})
			}
		}
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "duration_ms", float64(time.Since(start).Microseconds())/1000, "remote", r.RemoteAddr)
	}()
	s.mux.ServeHTTP(rec, r)
}

// recorder remembers the status and size of a response for the log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool
}

func (w *recorder) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	w.wrote = true
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeJSON writes v as JSON with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code = http.StatusInternalServerError
		b = []byte(`{"title":"internal error","status":500}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}
