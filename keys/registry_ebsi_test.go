package keys

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/testserver"
)

// DIDs of the snapshots in testdata/registry/ebsi.
const (
	tirTI        = "did:ebsi:zjHZjJ4Sy7r92BxXzFGs7qD"
	tirTAO       = "did:ebsi:zrZZyoQVrgwpV1QZmRUHNPz"
	tirRevoked   = "did:ebsi:zvHWX359A3CvfJnCYaAiAde"
	tirUndefined = "did:ebsi:zuathxHtXTV8psijTjtuZD7"
)

// ebsiServer serves the snapshots under /tir/v4/issuers/{did}, plus a DID
// that fails with HTTP 500 and malformed answers.
func ebsiServer(t *testing.T) *testserver.Server {
	t.Helper()
	s := testserver.New(t)
	for did, file := range map[string]string{tirTI: "ti.json", tirTAO: "tao.json", tirRevoked: "revoked.json", tirUndefined: "undefined.json"} {
		b, err := os.ReadFile("testdata/registry/ebsi/" + file)
		if err != nil {
			t.Fatal(err)
		}
		s.ServeJSON("/tir/v4/issuers/"+did, string(b))
	}
	s.Handle("/tir/v4/issuers/did:ebsi:broken", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"title":"Internal Server Error","status":500,"detail":"Connection timeout"}`))
	})
	s.ServeJSON("/tir/v4/issuers/did:ebsi:other", `{"did":"did:ebsi:someone-else","attributes":[]}`)
	s.ServeJSON("/tir/v4/issuers/did:ebsi:badtype", `{"did":"did:ebsi:badtype","attributes":[{"hash":"00","body":"e30=","issuerType":"Trusted"}]}`)
	s.ServeJSON("/tir/v4/issuers/did:ebsi:nobody", `{"did":"did:ebsi:nobody","attributes":[{"hash":"00","body":"**","issuerType":"TI"}]}`)
	s.ServeJSON("/tir/v4/issuers/did:ebsi:nohash", `{"did":"did:ebsi:nohash","attributes":[{"body":"e30=","issuerType":"TI"}]}`)
	s.ServeJSON("/tir/v4/issuers/did:ebsi:notjson", `{"did":"did:ebsi:notjson",`)
	s.ServeJSON("/tir/v4/issuers/did:ebsi:empty", `{"did":"did:ebsi:empty"}`)
	return s
}

func TestEBSIRegistry(t *testing.T) {
	ctx := context.Background()
	s := ebsiServer(t)
	f := fetcherFor(s, fetch.Options{CacheTTL: -1}, s.Host)
	reg, err := NewEBSIRegistry(s.Base+"/tir/", f)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, did string
		code      ReasonCode
		reason    string
	}{
		{"trusted issuer", tirTI, ReasonTrusted, "TI accredited by " + tirTAO},
		{"TAO with one revoked and one live attribute", tirTAO, ReasonTrusted, "(TAO accredited by did:ebsi:zZeKyEJfUTGwajhNyNX928z)"},
		{"revoked", tirRevoked, ReasonRevoked, "is revoked in the EBSI Trusted Issuers Registry"},
		{"undefined", tirUndefined, ReasonNotAccredited, "no accreditation"},
		{"no attributes", "did:ebsi:empty", ReasonNotAccredited, "no accreditation"},
		{"unknown (404)", "did:ebsi:zUnknown", ReasonUnknownIssuer, "is not in the EBSI Trusted Issuers Registry"},
		{"not a DID", "https://issuer.example/profile", ReasonUnknownIssuer, "is not a DID"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := reg.Check(ctx, Query{Issuer: tt.did, CredentialTypes: []string{"OpenBadgeCredential"}})
			if err != nil {
				t.Fatal(err)
			}
			if d.Code != tt.code || d.Trusted != (tt.code == ReasonTrusted) || d.Source != EBSIRegistryName || !strings.Contains(d.Reason, tt.reason) {
				t.Errorf("got %v %q %q, want %q containing %q", d.Trusted, d.Code, d.Reason, tt.code, tt.reason)
			}
			if (d.Entry == nil) != (tt.code == ReasonUnknownIssuer) || (d.Entry != nil && d.Entry.ID != tt.did) {
				t.Errorf("entry %+v", d.Entry)
			}
		})
	}
	for _, tt := range []struct {
		name, did string
		is        error
		want      string
	}{
		{"server error", "did:ebsi:broken", fetch.ErrHTTPStatus, "HTTP 500"},
		{"answer for another DID", "did:ebsi:other", ErrInvalidRegistry, "/did: the response is not for"},
		{"unknown issuer type", "did:ebsi:badtype", ErrInvalidRegistry, `/attributes/0/issuerType: unknown issuer type "Trusted"`},
		{"body not base64", "did:ebsi:nobody", ErrInvalidRegistry, "/attributes/0/body: not base64"},
		{"no hash", "did:ebsi:nohash", ErrInvalidRegistry, "/attributes/0: attribute needs"},
		{"not JSON", "did:ebsi:notjson", ErrInvalidJSON, "EBSI issuer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := reg.Check(ctx, Query{Issuer: tt.did})
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v (%+v), want %v containing %q", err, d, tt.is, tt.want)
			}
			if d.Trusted {
				t.Error("trusted on error")
			}
		})
	}

	// A fetcher whose allow-list does not include the registry's host.
	other, err := NewEBSIRegistry(s.Base+"/tir", fetcherFor(s, fetch.Options{}, "registry.example"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Check(ctx, Query{Issuer: tirTI}); !errors.Is(err, fetch.ErrHostNotAllowed) {
		t.Errorf("host not allowed: %v", err)
	}
	// A cancelled context is an error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := other.Check(cctx, Query{Issuer: "did:ebsi:cancelled"}); err == nil {
		t.Error("cancelled context: no error")
	}
}

func TestEBSIRegistryCache(t *testing.T) {
	ctx := context.Background()
	s := ebsiServer(t)
	now := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	reg, err := NewEBSIRegistry(s.Base+"/tir", fetcherFor(s, fetch.Options{CacheTTL: -1}, s.Host))
	if err != nil {
		t.Fatal(err)
	}
	reg.TTL = time.Minute
	reg.Now = clock
	check := func(did string) Decision {
		t.Helper()
		d, err := reg.Check(ctx, Query{Issuer: did})
		if err != nil && did != "did:ebsi:broken" {
			t.Fatal(err)
		}
		return d
	}
	check(tirTI)
	check("did:ebsi:zUnknown")
	if n := s.Hits.Load(); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
	// Cached: trusted and unknown alike, and the copy handed out is the
	// caller's own.
	d := check(tirTI)
	d.Entry.ID = "changed"
	if d := check(tirTI); !d.Trusted || d.Entry.ID != tirTI {
		t.Errorf("cached decision: %+v", d)
	}
	check("did:ebsi:zUnknown")
	if n := s.Hits.Load(); n != 2 {
		t.Errorf("%d requests after cached checks, want 2", n)
	}
	// Errors are not cached.
	check("did:ebsi:broken")
	check("did:ebsi:broken")
	if n := s.Hits.Load(); n != 4 {
		t.Errorf("%d requests after errors, want 4", n)
	}
	// After the TTL the registry is asked again.
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	check(tirTI)
	if n := s.Hits.Load(); n != 5 {
		t.Errorf("%d requests after the TTL, want 5", n)
	}
	// A negative TTL disables the cache.
	reg2, _ := NewEBSIRegistry(s.Base+"/tir", fetcherFor(s, fetch.Options{CacheTTL: -1}, s.Host))
	reg2.TTL = -1
	reg2.Check(ctx, Query{Issuer: tirTI})
	reg2.Check(ctx, Query{Issuer: tirTI})
	if n := s.Hits.Load(); n != 7 {
		t.Errorf("%d requests without cache, want 7", n)
	}

	// Concurrent checks (run with -race).
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				did := tirTI
				if (i+j)%3 == 0 {
					did = tirRevoked
				}
				d, err := reg.Check(ctx, Query{Issuer: did})
				if err != nil || d.Trusted != (did == tirTI) {
					t.Errorf("concurrent: %v %+v", err, d)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestNewEBSIRegistry(t *testing.T) {
	f := fetch.NewHTTP(nil, fetch.Options{AllowedHosts: []string{"api-pilot.ebsi.eu"}})
	for _, base := range []string{"http://api-pilot.ebsi.eu/tir", "https://", "https://api-pilot.ebsi.eu/tir?x=1", "https://api-pilot.ebsi.eu/tir#f", "https://u:p@api-pilot.ebsi.eu/", "::"} {
		if _, err := NewEBSIRegistry(base, f); !errors.Is(err, ErrInvalidURL) {
			t.Errorf("%q: %v", base, err)
		}
	}
	if _, err := NewEBSIRegistry("https://api-pilot.ebsi.eu/trusted-issuers-registry", nil); !errors.Is(err, ErrNetworkDisabled) {
		t.Errorf("nil fetcher: %v", err)
	}
	if r, err := NewEBSIRegistry("https://api-pilot.ebsi.eu/trusted-issuers-registry/", f); err != nil || r.base != "https://api-pilot.ebsi.eu/trusted-issuers-registry" {
		t.Errorf("%v %+v", err, r)
	}
}

// A local file with restrictions first, EBSI for everyone else.
func TestCompositeWithEBSI(t *testing.T) {
	ctx := context.Background()
	s := ebsiServer(t)
	ebsi, err := NewEBSIRegistry(s.Base+"/tir", fetcherFor(s, fetch.Options{}, s.Host))
	if err != nil {
		t.Fatal(err)
	}
	local := mustRegistry(t, map[string]any{"version": 1, "name": "local", "entries": []any{
		map[string]any{"id": tirTI, "status": "suspended"},
	}})
	c := Composite{local, ebsi}
	if d, err := c.Check(ctx, Query{Issuer: tirTI}); err != nil || d.Code != ReasonSuspended || d.Source != "local" {
		t.Errorf("local first: %v %+v", err, d)
	}
	if d, err := c.Check(ctx, Query{Issuer: tirTAO}); err != nil || !d.Trusted || d.Source != EBSIRegistryName {
		t.Errorf("EBSI second: %v %+v", err, d)
	}
	if _, err := c.Check(ctx, Query{Issuer: "did:ebsi:broken"}); err == nil {
		t.Error("EBSI error masked")
	}
}

// countingFetcher answers every URL with 404, or with err when set.
type countingFetcher struct {
	mu  sync.Mutex
	n   int
	err error
}

func (f *countingFetcher) Fetch(ctx context.Context, u string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	if f.err != nil {
		return nil, f.err
	}
	return nil, &fetch.Error{URL: u, StatusCode: http.StatusNotFound, Err: fetch.ErrHTTPStatus}
}

func TestEBSIRegistryCacheBound(t *testing.T) {
	ctx := context.Background()
	f := &countingFetcher{}
	reg, _ := NewEBSIRegistry("https://registry.example/tir", f)
	for i := range DefaultEBSICacheLength + 1 {
		if d, err := reg.Check(ctx, Query{Issuer: "did:example:" + strconv.Itoa(i)}); err != nil || d.Code != ReasonUnknownIssuer {
			t.Fatalf("%d: %v %+v", i, err, d)
		}
	}
	reg.mu.Lock()
	n := len(reg.cache)
	reg.mu.Unlock()
	if n > DefaultEBSICacheLength {
		t.Errorf("cache holds %d decisions, bound is %d", n, DefaultEBSICacheLength)
	}
	// A fetcher error that is not an HTTP status is an error too.
	boom := errors.New("connection refused")
	f.err = boom
	if _, err := reg.Check(ctx, Query{Issuer: "did:example:new"}); !errors.Is(err, boom) {
		t.Errorf("fetcher error: %v", err)
	}
}
