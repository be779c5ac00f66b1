// Package fetch is microcred's one way to the network. Everything that may
// be fetched — did:web and HTTPS controller documents, JWKS, JSON-LD
// contexts, status lists, registries — goes through a Fetcher, and the
// library makes no request unless the caller gave it one.
//
// HTTP is the standard Fetcher: HTTPS only, an explicit host allow-list
// (empty allows nothing), redirects checked against the same rules, a
// timeout, a byte limit and a bounded TTL cache.
package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Fetcher retrieves a document by URL. Code given no Fetcher does no I/O.
//
// Implementations decide which URLs may be fetched; HTTP is the standard
// one. Test code can implement Fetcher over a map.
type Fetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// Errors returned by HTTP (wrapped in an *Error) and by code that was given
// no Fetcher.
var (
	// ErrNetworkDisabled: a remote identifier was given to a resolver with no Fetcher.
	ErrNetworkDisabled = errors.New("network access is not configured")
	// ErrNotHTTPS: the URL (or a redirect target) is not https.
	ErrNotHTTPS = errors.New("only https URLs may be fetched")
	// ErrHostNotAllowed: the URL's host (or a redirect target's) is not on the allow-list.
	ErrHostNotAllowed = errors.New("host is not on the allow-list")
	// ErrTooLarge: the response is larger than the byte limit.
	ErrTooLarge = errors.New("response exceeds the byte limit")
	// ErrHTTPStatus: the server answered with a status other than 200.
	ErrHTTPStatus = errors.New("unexpected HTTP status")
	// ErrInvalidURL: the URL cannot be parsed, has no host, or carries user
	// information.
	ErrInvalidURL = errors.New("invalid URL")
)

// Error reports a failed fetch.
type Error struct {
	URL        string // the URL requested
	StatusCode int    // the HTTP status, or 0 if no response was read
	Err        error
}

// Error implements error.
func (e *Error) Error() string {
	if e.StatusCode != 0 {
		return fmt.Sprintf("fetch %s: HTTP %d: %v", e.URL, e.StatusCode, e.Err)
	}
	return fmt.Sprintf("fetch %s: %v", e.URL, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Defaults for Options.
const (
	DefaultFetchTimeout    = 10 * time.Second
	DefaultFetchMaxBytes   = 1 << 20
	DefaultCacheTTL        = 5 * time.Minute
	DefaultMaxCacheEntries = 256
	DefaultMaxRedirects    = 3
)

// Options configures NewHTTP. The zero value allows no host at all.
type Options struct {
	// AllowedHosts lists the hosts that may be fetched, as "host" or
	// "host:port", compared case-insensitively. "host" alone allows the
	// default port 443 only. Empty means nothing is allowed. There are no
	// wildcards. Redirects are followed only to allowed hosts.
	AllowedHosts []string
	// Timeout bounds one Fetch, redirects and body included. 0 means
	// DefaultFetchTimeout.
	Timeout time.Duration
	// MaxBytes bounds the response body. 0 means DefaultFetchMaxBytes (1 MiB).
	MaxBytes int64
	// CacheTTL is how long a fetched body is reused. 0 means
	// DefaultCacheTTL; a negative value disables the cache.
	CacheTTL time.Duration
	// MaxCacheEntries bounds the cache. 0 means DefaultMaxCacheEntries.
	MaxCacheEntries int
	// MaxRedirects bounds redirects followed. 0 means DefaultMaxRedirects;
	// a negative value refuses every redirect.
	MaxRedirects int
	// Accept is the Accept header sent. "" means DID and JSON media types.
	Accept string
	// Now is the clock used for the cache; nil means time.Now.
	Now func() time.Time
}

// HTTP is a Fetcher over HTTPS with a host allow-list, a timeout, a
// byte limit, redirect checks and a TTL cache. It is safe for concurrent use.
type HTTP struct {
	client  *http.Client
	opts    Options
	allowed []hostPort

	mu    sync.Mutex
	cache map[string]cacheEntry
}

type hostPort struct{ host, port string }

type cacheEntry struct {
	body    []byte
	expires time.Time
}

var _ Fetcher = (*HTTP)(nil)

// NewHTTP returns an HTTP fetcher that sends requests with a copy of
// client (nil means a client with http.DefaultTransport). The copy's
// CheckRedirect is replaced so that every redirect target is checked against
// the same rules as the first URL.
func NewHTTP(client *http.Client, opts Options) *HTTP {
	if client == nil {
		client = &http.Client{}
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultFetchTimeout
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultFetchMaxBytes
	}
	if opts.CacheTTL == 0 {
		opts.CacheTTL = DefaultCacheTTL
	}
	if opts.MaxCacheEntries <= 0 {
		opts.MaxCacheEntries = DefaultMaxCacheEntries
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.Accept == "" {
		opts.Accept = "application/did+json, application/did+ld+json, application/ld+json;q=0.9, application/json;q=0.8, */*;q=0.1"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	f := &HTTP{opts: opts, cache: make(map[string]cacheEntry)}
	for _, h := range opts.AllowedHosts {
		u := &url.URL{Host: strings.ToLower(strings.TrimSpace(h))}
		if u.Hostname() != "" {
			f.allowed = append(f.allowed, hostPort{u.Hostname(), u.Port()})
		}
	}
	c := *client
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if f.opts.MaxRedirects < 0 {
			return fmt.Errorf("redirect to %s refused: redirects are disabled", req.URL.Redacted())
		}
		if len(via) > f.opts.MaxRedirects {
			return fmt.Errorf("stopped after %d redirects", f.opts.MaxRedirects)
		}
		if err := f.check(req.URL); err != nil {
			return fmt.Errorf("redirect to %s: %w", req.URL.Redacted(), err)
		}
		return nil
	}
	f.client = &c
	return f
}

// check applies the scheme and host rules to u.
func (f *HTTP) check(u *url.URL) error {
	if u.Scheme != "https" {
		return fmt.Errorf("%w: scheme %q", ErrNotHTTPS, u.Scheme)
	}
	if u.User != nil {
		return fmt.Errorf("%w: URL with user information", ErrInvalidURL)
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if host == "" {
		return fmt.Errorf("%w: URL without a host", ErrInvalidURL)
	}
	for _, a := range f.allowed {
		if a.host != host {
			continue
		}
		if a.port == port || (a.port == "" && port == "443") || (a.port == "443" && port == "") {
			return nil
		}
	}
	return fmt.Errorf("%w: %q", ErrHostNotAllowed, u.Host)
}

// Fetch implements Fetcher. The URL's fragment is dropped. It returns the
// body of a 200 response, at most MaxBytes long; the returned slice is the
// caller's to keep.
func (f *HTTP) Fetch(ctx context.Context, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, &Error{URL: truncate(rawURL), Err: fmt.Errorf("%w: %v", ErrInvalidURL, err)}
	}
	u.Fragment, u.RawFragment = "", ""
	key := u.String()
	if err := f.check(u); err != nil {
		return nil, &Error{URL: key, Err: err}
	}
	if body, ok := f.cached(key); ok {
		return body, nil
	}

	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, key, nil)
	if err != nil {
		return nil, &Error{URL: key, Err: err}
	}
	req.Header.Set("Accept", f.opts.Accept)
	resp, err := f.client.Do(req)
	if err != nil {
		// Keep the policy error (not the *url.Error around it) as the cause.
		for _, sentinel := range []error{ErrNotHTTPS, ErrHostNotAllowed, ErrInvalidURL} {
			if errors.Is(err, sentinel) {
				return nil, &Error{URL: key, Err: fmt.Errorf("%w (%v)", sentinel, err)}
			}
		}
		return nil, &Error{URL: key, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &Error{URL: key, StatusCode: resp.StatusCode, Err: ErrHTTPStatus}
	}
	if resp.ContentLength > f.opts.MaxBytes {
		return nil, &Error{URL: key, StatusCode: resp.StatusCode,
			Err: fmt.Errorf("%w: Content-Length %d, limit %d", ErrTooLarge, resp.ContentLength, f.opts.MaxBytes)}
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, &Error{URL: key, StatusCode: resp.StatusCode, Err: err}
	}
	if n > f.opts.MaxBytes {
		return nil, &Error{URL: key, StatusCode: resp.StatusCode,
			Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, f.opts.MaxBytes)}
	}
	body := buf.Bytes()
	f.store(key, body)
	return bytes.Clone(body), nil
}

func (f *HTTP) cached(key string) ([]byte, bool) {
	if f.opts.CacheTTL < 0 {
		return nil, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.cache[key]
	if !ok {
		return nil, false
	}
	if !f.opts.Now().Before(e.expires) {
		delete(f.cache, key)
		return nil, false
	}
	return bytes.Clone(e.body), true
}

func (f *HTTP) store(key string, body []byte) {
	if f.opts.CacheTTL < 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.opts.Now()
	if len(f.cache) >= f.opts.MaxCacheEntries {
		// Drop expired entries; if still full, drop the one expiring first.
		var oldest string
		var oldestAt time.Time
		for k, e := range f.cache {
			if !now.Before(e.expires) {
				delete(f.cache, k)
				continue
			}
			if oldest == "" || e.expires.Before(oldestAt) {
				oldest, oldestAt = k, e.expires
			}
		}
		if len(f.cache) >= f.opts.MaxCacheEntries {
			delete(f.cache, oldest)
		}
	}
	f.cache[key] = cacheEntry{body: body, expires: now.Add(f.opts.CacheTTL)}
}

// ClearCache empties the cache.
func (f *HTTP) ClearCache() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.cache)
}

func truncate(s string) string {
	const n = 80
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
