// Package testserver is an httptest TLS server on 127.0.0.1 with fixed
// routes, shared by the tests of the packages that fetch documents (fetch,
// keys, ld, and later status lists and registries). It is for tests only.
package testserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// Server serves Routes over TLS on 127.0.0.1 and counts requests.
type Server struct {
	*httptest.Server
	// Host is "127.0.0.1:port".
	Host string
	// Base is "https://127.0.0.1:port".
	Base string
	// DIDWeb is the did:web DID of the server's root ("did:web:127.0.0.1%3Aport").
	DIDWeb string
	// Hits counts the requests served.
	Hits atomic.Int64

	mu     sync.RWMutex
	routes map[string]http.HandlerFunc
}

// New starts a server that t closes when it ends. Unknown paths get 404.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{routes: map[string]http.HandlerFunc{}}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Hits.Add(1)
		s.mu.RLock()
		h, ok := s.routes[r.URL.Path]
		s.mu.RUnlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	u, _ := url.Parse(s.URL)
	s.Host = u.Host
	s.Base = s.URL
	s.DIDWeb = "did:web:" + strings.ReplaceAll(u.Host, ":", "%3A")
	return s
}

// Handle serves path with h.
func (s *Server) Handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	s.routes[path] = h
	s.mu.Unlock()
}

// ServeJSON serves path with v as application/json (v is marshalled unless
// it is a string, which is sent as it is).
func (s *Server) ServeJSON(path string, v any) {
	var body []byte
	if str, ok := v.(string); ok {
		body = []byte(str)
	} else {
		body, _ = json.Marshal(v)
	}
	s.Handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}
