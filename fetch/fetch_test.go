package fetch

import (
	"github.com/microcred/microcred/internal/testserver"

	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func fetcherFor(s *testserver.Server, opts Options, allowed ...string) *HTTP {
	opts.AllowedHosts = allowed
	return NewHTTP(s.Client(), opts)
}

func TestHTTP(t *testing.T) {
	ctx := context.Background()
	s := testserver.New(t)
	s.ServeJSON("/doc", `{"a":1}`)
	s.Handle("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	s.Handle("/hop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/doc", http.StatusFound) })
	s.Handle("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	s.Handle("/exact", func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, 100)) })
	s.Handle("/lying", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		w.Write(make([]byte, 10))
	})
	s.Handle("/chunked", func(w http.ResponseWriter, r *http.Request) {
		for range 20 {
			w.Write(make([]byte, 10))
			w.(http.Flusher).Flush()
		}
	})

	now := time.Unix(1_000_000, 0)
	f := fetcherFor(s, Options{MaxBytes: 100, Timeout: 300 * time.Millisecond, CacheTTL: time.Minute, Now: func() time.Time { return now }}, "LOCALHOST", s.Host)

	b, err := f.Fetch(ctx, s.Base+"/doc#fragment")
	if err != nil || string(b) != `{"a":1}` {
		t.Fatalf("Fetch = %q, %v", b, err)
	}
	b[0] = 'X' // the caller owns the slice
	hits := s.Hits.Load()
	if b, _ := f.Fetch(ctx, s.Base+"/doc"); string(b) != `{"a":1}` || s.Hits.Load() != hits {
		t.Fatalf("cached fetch = %q, hits %d→%d", b, hits, s.Hits.Load())
	}
	now = now.Add(2 * time.Minute)
	if _, err := f.Fetch(ctx, s.Base+"/doc"); err != nil || s.Hits.Load() != hits+1 {
		t.Fatalf("expired entry not refetched: %v", err)
	}
	f.ClearCache()
	if _, err := f.Fetch(ctx, s.Base+"/hop"); err != nil {
		t.Fatalf("redirect within the allowed host: %v", err)
	}
	if b, err := f.Fetch(ctx, s.Base+"/exact"); err != nil || len(b) != 100 {
		t.Fatalf("body at the limit: %d, %v", len(b), err)
	}

	for _, tt := range []struct {
		url  string
		want error
	}{
		{s.Base + "/slow", context.DeadlineExceeded},
		{s.Base + "/loop", nil},
		{s.Base + "/chunked", ErrTooLarge},
		{"http://" + s.Host + "/doc", ErrNotHTTPS},
		{"ftp://" + s.Host + "/doc", ErrNotHTTPS},
		{"https://" + strings.Replace(s.Host, "127.0.0.1", "localhost", 1) + "/doc", nil}, // allowed host, but the cert is for 127.0.0.1… or refused: an error either way
		{"https://127.0.0.2/doc", ErrHostNotAllowed},
		{"https://u:p@" + s.Host + "/doc", ErrInvalidURL},
		{"https:///doc", ErrInvalidURL},
		{"https://[::1", ErrInvalidURL},
		{s.Base + "/missing", ErrHTTPStatus},
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
	h := fetcherFor(s, Options{MaxRedirects: -1}, s.Host)
	if _, err := h.Fetch(ctx, s.Base+"/hop"); err == nil {
		t.Fatal("redirect followed with MaxRedirects < 0")
	}
	// Cache disabled, and cache eviction.
	nc := fetcherFor(s, Options{CacheTTL: -1}, s.Host)
	hits = s.Hits.Load()
	nc.Fetch(ctx, s.Base+"/doc")
	nc.Fetch(ctx, s.Base+"/doc")
	if s.Hits.Load() != hits+2 {
		t.Fatal("CacheTTL < 0 still cached")
	}
	small := fetcherFor(s, Options{MaxCacheEntries: 1}, s.Host)
	small.Fetch(ctx, s.Base+"/doc")
	small.Fetch(ctx, s.Base+"/exact")
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
