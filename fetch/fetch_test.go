package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tlsServer is an httptest TLS server on 127.0.0.1 serving fixed routes.
type tlsServer struct {
	*httptest.Server
	host   string // "127.0.0.1:port"
	base   string // "https://127.0.0.1:port"
	hits   atomic.Int64
	routes map[string]http.HandlerFunc
}

func newTLSServer(t *testing.T) *tlsServer {
	t.Helper()
	s := &tlsServer{routes: map[string]http.HandlerFunc{}}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h, ok := s.routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	u, _ := url.Parse(s.URL)
	s.host = u.Host
	s.base = s.URL
	return s
}

func (s *tlsServer) serveJSON(path string, v any) {
	var body []byte
	if str, ok := v.(string); ok {
		body = []byte(str)
	} else {
		body, _ = json.Marshal(v)
	}
	s.routes[path] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}
}

func (s *tlsServer) fetcher(opts Options, allowed ...string) *HTTP {
	opts.AllowedHosts = allowed
	return NewHTTP(s.Client(), opts)
}

func TestHTTP(t *testing.T) {
	ctx := context.Background()
	s := newTLSServer(t)
	s.serveJSON("/doc", `{"a":1}`)
	s.routes["/slow"] = func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	s.routes["/hop"] = func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/doc", http.StatusFound) }
	s.routes["/loop"] = func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) }
	s.routes["/exact"] = func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, 100)) }
	s.routes["/lying"] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		w.Write(make([]byte, 10))
	}
	s.routes["/chunked"] = func(w http.ResponseWriter, r *http.Request) {
		for range 20 {
			w.Write(make([]byte, 10))
			w.(http.Flusher).Flush()
		}
	}

	now := time.Unix(1_000_000, 0)
	f := s.fetcher(Options{MaxBytes: 100, Timeout: 300 * time.Millisecond, CacheTTL: time.Minute, Now: func() time.Time { return now }}, "LOCALHOST", s.host)

	b, err := f.Fetch(ctx, s.base+"/doc#fragment")
	if err != nil || string(b) != `{"a":1}` {
		t.Fatalf("Fetch = %q, %v", b, err)
	}
	b[0] = 'X' // the caller owns the slice
	hits := s.hits.Load()
	if b, _ := f.Fetch(ctx, s.base+"/doc"); string(b) != `{"a":1}` || s.hits.Load() != hits {
		t.Fatalf("cached fetch = %q, hits %d→%d", b, hits, s.hits.Load())
	}
	now = now.Add(2 * time.Minute)
	if _, err := f.Fetch(ctx, s.base+"/doc"); err != nil || s.hits.Load() != hits+1 {
		t.Fatalf("expired entry not refetched: %v", err)
	}
	f.ClearCache()
	if _, err := f.Fetch(ctx, s.base+"/hop"); err != nil {
		t.Fatalf("redirect within the allowed host: %v", err)
	}
	if b, err := f.Fetch(ctx, s.base+"/exact"); err != nil || len(b) != 100 {
		t.Fatalf("body at the limit: %d, %v", len(b), err)
	}

	for _, tt := range []struct {
		url  string
		want error
	}{
		{s.base + "/slow", context.DeadlineExceeded},
		{s.base + "/loop", nil},
		{s.base + "/chunked", ErrTooLarge},
		{"http://" + s.host + "/doc", ErrNotHTTPS},
		{"ftp://" + s.host + "/doc", ErrNotHTTPS},
		{"https://" + strings.Replace(s.host, "127.0.0.1", "localhost", 1) + "/doc", nil}, // allowed host, but the cert is for 127.0.0.1… or refused: an error either way
		{"https://127.0.0.2/doc", ErrHostNotAllowed},
		{"https://u:p@" + s.host + "/doc", ErrInvalidURL},
		{"https:///doc", ErrInvalidURL},
		{"https://[::1", ErrInvalidURL},
		{s.base + "/missing", ErrHTTPStatus},
	} {
		_, err := f.Fetch(ctx, tt.url)
		var fe *Error
		if err == nil || !errors.As(err, &fe) || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("Fetch(%s) err = %v, want %v", tt.url, err, tt.want)
		}
	}

	// Default port matching: "host" allows :443 only.
	g := NewHTTP(nil, Options{AllowedHosts: []string{"example.com", "other.example:8443"}})
	for _, tt := range []struct {
		u  string
		ok bool
	}{
		{"https://example.com/x", true},
		{"https://EXAMPLE.com:443/x", true},
		{"https://example.com:8443/x", false},
		{"https://other.example:8443/x", true},
		{"https://other.example/x", false},
		{"https://sub.example.com/x", false},
	} {
		u, _ := url.Parse(tt.u)
		if err := g.check(u); (err == nil) != tt.ok {
			t.Errorf("check(%s) = %v, want ok=%v", tt.u, err, tt.ok)
		}
	}

	// Redirects disabled.
	h := s.fetcher(Options{MaxRedirects: -1}, s.host)
	if _, err := h.Fetch(ctx, s.base+"/hop"); err == nil {
		t.Fatal("redirect followed with MaxRedirects < 0")
	}
	// Cache disabled, and cache eviction.
	nc := s.fetcher(Options{CacheTTL: -1}, s.host)
	hits = s.hits.Load()
	nc.Fetch(ctx, s.base+"/doc")
	nc.Fetch(ctx, s.base+"/doc")
	if s.hits.Load() != hits+2 {
		t.Fatal("CacheTTL < 0 still cached")
	}
	small := s.fetcher(Options{MaxCacheEntries: 1}, s.host)
	small.Fetch(ctx, s.base+"/doc")
	small.Fetch(ctx, s.base+"/exact")
	if len(small.cache) != 1 {
		t.Fatalf("cache holds %d entries, limit 1", len(small.cache))
	}
}

// FuzzCheck: no URL makes the allow-list check panic, and an empty
// allow-list refuses every URL.
func FuzzCheck(f *testing.F) {
	f.Add("https://example.com/x")
	f.Add("http://[::1]:80/")
	f.Add("https://u:p@h/")
	f.Fuzz(func(t *testing.T, raw string) {
		_, err := NewHTTP(nil, Options{}).Fetch(context.Background(), raw)
		if err == nil {
			t.Fatalf("%q fetched with an empty allow-list", raw)
		}
		var fe *Error
		if !errors.As(err, &fe) {
			t.Fatalf("%q: error %T is not *Error", raw, err)
		}
	})
}

