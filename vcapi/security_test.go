package vcapi_test

// Security review of package vcapi: TestFixedFinding<N>_… reproduce the
// weaknesses the review found (each failed before its fix); the others
// check defences that held from the start.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vcapi"
)

// issuedStatus issues a credential with a revocation entry and returns
// its credentialStatus (Data Integrity format: the JSON is readable).
func issuedStatus(t *testing.T, e *env, cred map[string]any, opts map[string]any) map[string]any {
	t.Helper()
	vcRaw := e.issue(cred, opts)
	var m map[string]any
	require.NoError(t, json.Unmarshal(vcRaw, &m))
	cs, ok := m["credentialStatus"].(map[string]any)
	require.True(t, ok, "no single credentialStatus in %s", vcRaw)
	return cs
}

// Review finding 1, fixed (this test keeps it fixed): unauthenticated requests to the open verification endpoints
// share the in-flight slots with issuing and revocation. MaxInFlight
// connections that send headers and then trickle (or stall) their body
// hold every slot until the read timeout (15 s in serve), and can do so
// again and again: an anonymous client can keep the issuer from revoking a
// credential. (With HTTP/2 one TCP connection carries up to 250 streams.)
func TestFixedFinding1_UnauthenticatedSlowBodyStarvesRevocation(t *testing.T) {
	e := newEnv(t, envOptions{config: func(c *vcapi.Config) {
		c.MaxInFlight = 2
		c.QueueWait = 300 * time.Millisecond
	}})
	addr := e.srv.Listener.Addr().String()
	for i := 0; i < 2; i++ {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		// Headers, then one byte of a 1000-byte body: the handler takes a
		// slot and blocks reading the body.
		_, err = fmt.Fprintf(c, "POST /credentials/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
		require.NoError(t, err)
	}
	time.Sleep(200 * time.Millisecond)
	// The issuer tries to revoke a credential (unknown here: the answer
	// should be 404, not 503).
	r := e.post("/credentials/status", map[string]any{"credentialId": "urn:uuid:00000000-0000-4000-8000-000000000001",
		"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}, "status": true})
	require.NotEqual(t, http.StatusServiceUnavailable, r.status,
		"two anonymous stalled uploads to /credentials/verify blocked an authenticated revocation: %s", r.body)
}

// Review finding 2, fixed (this test keeps it fixed): the credential's own credentialStatus is signed as it is. An
// API client can point a new credential at an index of our list that
// belongs to another credential (revoking one revokes both, reinstating
// one reinstates both), at an index never allocated (which the store will
// later hand out to somebody else; POST /credentials/status cannot find
// it), or at a foreign list the issuer does not control.
func TestFixedFinding2_ClientSuppliedCredentialStatusSigned(t *testing.T) {
	e := newEnv(t, envOptions{})
	victim := issuedStatus(t, e, nil, map[string]any{"credentialStatus": map[string]any{"statusPurpose": "revocation"}})

	cred := euCredential(t)
	cred["credentialStatus"] = victim // the victim's entry, copied
	r := e.post("/credentials/issue", map[string]any{"credential": cred})
	require.NotEqual(t, http.StatusCreated, r.status,
		"a credential carrying another credential's status entry (%v) was signed", victim["id"])

	cred = euCredential(t)
	cred["credentialStatus"] = map[string]any{"id": "https://attacker.example/status/1#7", "type": "BitstringStatusListEntry",
		"statusPurpose": "revocation", "statusListIndex": "7", "statusListCredential": "https://attacker.example/status/1"}
	r = e.post("/credentials/issue", map[string]any{"credential": cred})
	require.NotEqual(t, http.StatusCreated, r.status, "a credential whose revocation is controlled by a foreign list was signed")
}

// Review finding 3, fixed (this test keeps it fixed): options.credentialId (or the credential's id) is the only key
// of a status allocation, and Allocate hands an existing key its existing
// entry ("a retried issuance is harmless"). A different credential issued
// under an id already used silently shares the first one's status index:
// revoking either revokes both and neither can be revoked alone.
func TestFixedFinding3_CredentialIDReuseSharesStatusEntry(t *testing.T) {
	e := newEnv(t, envOptions{})
	opts := map[string]any{"credentialId": "course-42", "credentialStatus": map[string]any{"statusPurpose": "revocation"}}
	alice := euCredential(t)
	alice["credentialSubject"].(map[string]any)["id"] = "did:example:alice"
	bob := euCredential(t)
	bob["credentialSubject"].(map[string]any)["id"] = "did:example:bob"
	a := issuedStatus(t, e, alice, opts)

	r := e.post("/credentials/issue", map[string]any{"credential": bob, "options": opts})
	if r.status != http.StatusCreated {
		return // refused: fixed
	}
	var out struct {
		VerifiableCredential map[string]any `json:"verifiableCredential"`
	}
	require.NoError(t, json.Unmarshal(r.body, &out))
	b := out.VerifiableCredential["credentialStatus"].(map[string]any)
	require.NotEqual(t, a["id"], b["id"], "two different credentials (subjects alice and bob) were given the same status entry %v", a["id"])
}

// Review finding 4, fixed (this test keeps it fixed): the status index is allocated (and fsynced) before the
// credential is checked. A refused credential (422, "nothing was signed")
// still consumes an index, and its id is afterwards known to
// POST /credentials/status: repeated refused requests exhaust lists and
// grow the allocation log without any credential being issued.
func TestFixedFinding4_RefusedIssueStillAllocatesStatus(t *testing.T) {
	e := newEnv(t, envOptions{})
	cred := euCredential(t)
	cred["id"] = "urn:uuid:7d0e0b36-6d5a-4b0f-9d3e-3d2f1b1c0a11"
	cred["ECTS"] = 5 // undefined term: refused
	r := e.post("/credentials/issue", map[string]any{"credential": cred,
		"options": map[string]any{"credentialStatus": map[string]any{"statusPurpose": "revocation"}}})
	require.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)
	require.Empty(t, e.store.Lookup(cred["id"].(string)), "a refused credential (nothing signed) holds a status allocation")
}

// Review finding 5, fixed (this test keeps it fixed): the threat model says request wrappers are parsed with
// duplicate members refused. Only the top level is: inside "options" (and
// inside credentialStatus of POST /credentials/status) encoding/json keeps
// the last duplicate and matches member names case-insensitively, so a
// proxy or audit log reading the first "format"/"statusPurpose" sees a
// different request than the service executes.
func TestFixedFinding5_DuplicateOptionMembersAccepted(t *testing.T) {
	e := newEnv(t, envOptions{})
	body := `{"credential": ` + string(mustJSON(t, euCredential(t))) + `, "options": {"format": "di", "format": "jwt"}}`
	r := e.post("/credentials/issue", body)
	require.Equal(t, http.StatusBadRequest, r.status, "duplicate options.format accepted (answered %d)", r.status)

	body = `{"credential": ` + string(mustJSON(t, euCredential(t))) + `, "options": {"FORMAT": "jwt"}}`
	r = e.post("/credentials/issue", body)
	require.Equal(t, http.StatusBadRequest, r.status, "options.FORMAT accepted as options.format (answered %d)", r.status)

	cs := issuedStatus(t, e, nil, map[string]any{"credentialId": "urn:uuid:11111111-2222-4333-8444-555555555555",
		"credentialStatus": map[string]any{"statusPurpose": "revocation"}})
	_ = cs
	r = e.post("/credentials/status", `{"credentialId": "urn:uuid:11111111-2222-4333-8444-555555555555",
		"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "suspension", "statusPurpose": "revocation"}, "status": true}`)
	require.Equal(t, http.StatusBadRequest, r.status, "duplicate credentialStatus.statusPurpose accepted: %s", r.body)
}

// Review finding 8, fixed (this test keeps it fixed): with Config.ClientCertificates (serve's tls.clientCA) a
// browser that holds the client certificate presents it on every request
// to the service, cross-site ones included. The authenticated endpoints
// accept any Content-Type, so a page on any site can revoke or issue with
//
//	fetch("https://credentials.uni.example/credentials/status", {method: "POST",
//	  mode: "no-cors", credentials: "include", body: '{"credentialId": …, "status": true}'})
//
// (text/plain: a CORS "simple" request, no preflight). Classic CSRF.
func TestFixedFinding8_ClientCertCSRFWithTextPlain(t *testing.T) {
	e := newEnv(t, envOptions{config: func(c *vcapi.Config) { c.ClientCertificates = true }})
	cs := issuedStatus(t, e, nil, map[string]any{"credentialId": "urn:uuid:0c5f6a43-57a1-4d2e-9d2b-4a3b8d1e2f10",
		"credentialStatus": map[string]any{"statusPurpose": "revocation"}})
	_ = cs
	body := `{"credentialId": "urn:uuid:0c5f6a43-57a1-4d2e-9d2b-4a3b8d1e2f10", "credentialStatus": {"statusPurpose": "revocation"}, "status": true}`
	req := httptest.NewRequest(http.MethodPost, "https://credentials.test.example/credentials/status", strings.NewReader(body))
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Sec-Fetch-Mode", "no-cors")
	// What net/http sets after verifying the browser's client certificate.
	req.TLS = &tls.ConnectionState{HandshakeComplete: true, VerifiedChains: [][]*x509.Certificate{{{}}}}
	rec := httptest.NewRecorder()
	e.api.ServeHTTP(rec, req)
	require.NotEqual(t, http.StatusOK, rec.Code, "a cross-site text/plain request authorized by the browser's client certificate revoked a credential: %s", rec.Body)
}

// Review finding 9, fixed (this test keeps it fixed): Config.MaxInFlight is documented to bound body memory at
// MaxInFlight × MaxRawBytes. A multipart/form-data upload to the open
// POST /verify costs about four times its size: io.ReadAll of the body
// (growing by doubling) and a second io.ReadAll of the file part. At the
// defaults 64 anonymous 16 MiB uploads take about 4 GiB, not 1 GiB.
func TestFixedFinding9_RawVerifyMemoryAmplification(t *testing.T) {
	e := newEnv(t, envOptions{})
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, err := mw.CreateFormFile("file", "badge.png")
	require.NoError(t, err)
	w.Write(bytes.Repeat([]byte{0x89}, 15<<20))
	require.NoError(t, mw.Close())
	body := buf.Bytes()
	req := httptest.NewRequest(http.MethodPost, "/verify", bytes.NewReader(body))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	e.api.ServeHTTP(rec, req)
	runtime.ReadMemStats(&m1)
	alloc := m1.TotalAlloc - m0.TotalAlloc
	t.Logf("POST /verify of a %d MiB multipart upload: %d answered, %d MiB allocated", len(body)>>20, rec.Code, alloc>>20)
	require.Less(t, alloc, uint64(2*len(body)), "one %d MiB upload allocated %d MiB", len(body)>>20, alloc>>20)
}

// Review finding 10, fixed (this test keeps it fixed): only issuer.id is checked against the configured issuer.
// The rest of the issuer profile in the request (name, url, address, …) is
// signed as sent, and the configured profile (serve's issuer.profile) is
// used only when the credential names no issuer. Any API client can have
// the university's key sign a badge whose displayed issuer is "Harvard
// University", https://harvard.edu/.
func TestFixedFinding10_IssuerProfileSpoofing(t *testing.T) {
	e := newEnv(t, envOptions{})
	cred := euCredential(t)
	cred["issuer"] = map[string]any{"id": keys.DemoIssuerDID, "type": []any{"Profile"}, "name": "Harvard University", "url": "https://harvard.edu/",
		"address": map[string]any{"type": []any{"Address"}, "addressCountryCode": "US", "addressRegion": "MA"}}
	r := e.post("/credentials/issue", map[string]any{"credential": cred})
	if r.status != http.StatusCreated {
		return // refused: fixed
	}
	var out struct {
		VerifiableCredential struct {
			Issuer map[string]any `json:"issuer"`
		} `json:"verifiableCredential"`
	}
	require.NoError(t, json.Unmarshal(r.body, &out))
	require.Equal(t, "Demo University", out.VerifiableCredential.Issuer["name"],
		"the signed credential names its issuer %q (url %v), not the configured profile", out.VerifiableCredential.Issuer["name"], out.VerifiableCredential.Issuer["url"])
}

// --- defences that hold ---

// Path and method tricks never reach the issuing handler without a key.
func TestSecurityIssuePathAndMethodTricks(t *testing.T) {
	e := newEnv(t, envOptions{})
	body := mustJSON(t, map[string]any{"credential": euCredential(t)})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct{ method, path string }{
		{"POST", "/credentials/issue"},
		{"POST", "//credentials/issue"},
		{"POST", "/credentials/issue/"},
		{"POST", "/credentials/./issue"},
		{"POST", "/x/../credentials/issue"},
		{"POST", "/credentials%2Fissue"},
		{"POST", "/credentials/%69ssue"},
		{"POST", "/CREDENTIALS/ISSUE"},
		{"POST", "/credentials/issue?apiKey=" + testAPIKey},
		{"HEAD", "/credentials/issue"},
		{"GET", "/credentials/issue"},
		{"PUT", "/credentials/issue"},
		{"OPTIONS", "/credentials/issue"},
		{"POST", "/status/revocation-1/0"},
		{"POST", "/status/revocation-1%2F0"},
		{"POST", "/credentials/status"},
	} {
		req, err := http.NewRequest(tc.method, e.srv.URL+tc.path, bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-HTTP-Method-Override", "POST")
		req.Header.Set("X-Forwarded-For", "127.0.0.1")
		res, err := client.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		require.NotContains(t, []int{200, 201, 500}, res.StatusCode, "%s %s: %d %s", tc.method, tc.path, res.StatusCode, b)
		if res.StatusCode == http.StatusMovedPermanently || res.StatusCode == http.StatusTemporaryRedirect || res.StatusCode == http.StatusPermanentRedirect {
			// ServeMux's cleaned-path redirect: following it still needs the key.
			loc, err := res.Location()
			require.NoError(t, err)
			r2 := e.do(http.MethodPost, loc.RequestURI(), "application/json", body)
			require.Equal(t, http.StatusUnauthorized, r2.status, "%s %s → %s: %s", tc.method, tc.path, loc, r2.body)
		}
	}
}

// Authorization header tricks are refused.
func TestSecurityAuthHeaderTricks(t *testing.T) {
	e := newEnv(t, envOptions{})
	body := mustJSON(t, map[string]any{"credential": euCredential(t)})
	for i, h := range [][]string{
		{},
		{"Authorization", "Bearer"},
		{"Authorization", "Bearer "},
		{"Authorization", "Bearer " + testAPIKey[:16]},
		{"Authorization", "Bearer " + testAPIKey + "x"},
		{"Authorization", "Basic " + testAPIKey},
		{"Authorization", testAPIKey},
		{"Authorization", "Bearer" + testAPIKey},
		{"X-API-Key", strings.ToUpper(testAPIKey)},
		{"X-API-Key", "wrong-key-wrong-key-wrong", "Authorization", "Bearer " + testAPIKey},
		{"Cookie", "apiKey=" + testAPIKey},
		{"X-Api-Key-", testAPIKey},
	} {
		r := e.do(http.MethodPost, "/credentials/issue", "application/json", body, h...)
		require.Equal(t, http.StatusUnauthorized, r.status, "case %d %v: %s", i, h, r.body)
		require.NotContains(t, string(r.body), testAPIKey[:16], "case %d: the problem echoes the key", i)
	}
	// A server with an empty key list accepts no key at all.
	e2 := newEnv(t, envOptions{config: func(c *vcapi.Config) { c.APIKeys = nil }})
	for _, h := range [][]string{{"Authorization", "Bearer "}, {"X-API-Key", ""}, {"Authorization", "Bearer " + testAPIKey}} {
		r := e2.do(http.MethodPost, "/credentials/issue", "application/json", body, h...)
		require.Equal(t, http.StatusUnauthorized, r.status, "%v", h)
	}
	// Short and empty keys are refused at construction.
	for _, k := range []string{"", " ", "short"} {
		_, err := vcapi.New(vcapi.Config{Verifier: testVerifier(t), APIKeys: []string{k}})
		require.Error(t, err, "key %q", k)
	}
	// The accepted variants do work (the test above is not vacuous).
	for _, h := range [][]string{{"Authorization", "bearer  " + testAPIKey + " "}, {"X-API-Key", testAPIKey}} {
		r := e.do(http.MethodPost, "/credentials/issue", "application/json", body, h...)
		require.Equal(t, http.StatusCreated, r.status, "%v: %s", h, r.body)
	}
}

// An unauthenticated request to an authenticated endpoint is answered
// before its body is read and takes no in-flight slot.
func TestSecurityUnauthenticatedIssueTakesNoSlot(t *testing.T) {
	e := newEnv(t, envOptions{config: func(c *vcapi.Config) {
		c.MaxInFlight = 1
		c.QueueWait = 200 * time.Millisecond
	}})
	addr := e.srv.Listener.Addr().String()
	// A large declared body: answered at once (and the connection closed).
	for i := 0; i < 4; i++ {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer c.Close()
		_, err = fmt.Fprintf(c, "POST /credentials/issue HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{")
		require.NoError(t, err)
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		require.NoError(t, err, "the unauthenticated issue request was not answered before its body arrived")
		require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	}
	// A small declared body that never arrives: net/http waits to discard
	// it after the 401, but no in-flight slot is held meanwhile.
	for i := 0; i < 4; i++ {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer c.Close()
		_, err = fmt.Fprintf(c, "POST /credentials/issue HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
		require.NoError(t, err)
	}
	time.Sleep(100 * time.Millisecond)
	r := e.post("/credentials/status", map[string]any{"credentialId": "urn:x:1",
		"credentialStatus": map[string]any{"statusPurpose": "revocation"}, "status": true})
	require.Equal(t, http.StatusNotFound, r.status, "%s", r.body)
}

// Issuing refuses another issuer, undefined terms, and undefined terms
// smuggled through the options.
func TestSecurityIssueRefusals(t *testing.T) {
	e := newEnv(t, envOptions{})
	cred := euCredential(t)
	cred["issuer"].(map[string]any)["id"] = "did:web:harvard.example"
	r := e.post("/credentials/issue", map[string]any{"credential": cred})
	require.Contains(t, []int{400, 422}, r.status, "%s", r.body)

	cred = euCredential(t)
	cred["issuer"] = "did:web:harvard.example"
	r = e.post("/credentials/issue", map[string]any{"credential": cred})
	require.Contains(t, []int{400, 422}, r.status, "%s", r.body)

	cred = euCredential(t)
	cred["credentialSubject"].(map[string]any)["grade"] = "A+"
	r = e.post("/credentials/issue", map[string]any{"credential": cred})
	require.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)

	for _, opts := range []string{
		`{"ECTS": 5}`, `{"credentialStatus": {"statusPurpose": "revocation", "x": 1}}`,
		`{"credentialStatus": {"statusPurpose": "refresh"}}`,
		`{"credentialStatus": [{"statusPurpose": "revocation"}, {"statusPurpose": "suspension"}]}`,
		`{"mandatoryPointers": ["/issuer"]}`, `{"format": "none"}`, `{"format": ["di"]}`,
		`[]`, `"di"`, strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000),
		`{"credentialStatus": ` + strings.Repeat(`[`, 5000) + strings.Repeat(`]`, 5000) + `}`,
	} {
		body := `{"credential": ` + string(mustJSON(t, euCredential(t))) + `, "options": ` + opts + `}`
		r := e.post("/credentials/issue", body)
		require.Equal(t, http.StatusBadRequest, r.status, "options %.60s: %s", opts, r.body)
	}
	// Plain credentials (when allowed) cannot name another issuer either.
	ep := newEnv(t, envOptions{config: func(c *vcapi.Config) { c.AllowPlainCredentials = true }})
	for _, iss := range []any{"did:web:harvard.example", map[string]any{"id": "did:web:harvard.example"},
		[]any{keys.DemoIssuerDID, "did:web:harvard.example"}, []any{"did:web:harvard.example"}, 42, true} {
		plain := map[string]any{"@context": []any{"https://www.w3.org/ns/credentials/v2"}, "type": []any{"VerifiableCredential"},
			"issuer": iss, "credentialSubject": map[string]any{"id": "did:example:x"}}
		r := ep.post("/credentials/issue", map[string]any{"credential": plain})
		require.NotEqual(t, http.StatusCreated, r.status, "issuer %v: %s", iss, r.body)
	}
}

// Status list names from the path cannot reach files.
func TestSecurityStatusListPathTraversal(t *testing.T) {
	e := newEnv(t, envOptions{})
	issuedStatus(t, e, nil, map[string]any{"credentialStatus": map[string]any{"statusPurpose": "revocation"}})
	for _, p := range []string{"/status/..%2Fallocations.jsonl", "/status/..%2F..%2Fapi-key", "/status/revocation-1.json",
		"/status/%2e%2e", "/status/revocation-1%00", "/status/lists%2Frevocation-1.json"} {
		r := e.do(http.MethodGet, p, "", nil)
		require.Equal(t, http.StatusNotFound, r.status, "%s: %s", p, r.body)
		r = e.do(http.MethodPost, p+"/0", "application/json", []byte(`{"status": true}`), "Authorization", "Bearer "+testAPIKey)
		require.Contains(t, []int{400, 404}, r.status, "%s/0: %s", p, r.body)
	}
	for _, idx := range []string{"-1", "+1", "01", "1e3", "0x1", "99999999999", "131072", " 1"} {
		r := e.do(http.MethodPost, "/status/revocation-1/"+strings.ReplaceAll(idx, " ", "%20"), "application/json", []byte(`{"status": true}`), "Authorization", "Bearer "+testAPIKey)
		require.Contains(t, []int{400, 404}, r.status, "index %q: %s", idx, r.body)
	}
	r := e.do(http.MethodGet, "/status/revocation-1", "", nil)
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, "application/vc+ld+json", r.header.Get("Content-Type"))
	require.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))
}

// GET /verify?url= goes through the fetcher's rules only.
func TestSecurityVerifyURLSSRF(t *testing.T) {
	var mu sync.Mutex
	var dialed []string
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		dialed = append(dialed, addr)
		mu.Unlock()
		return nil, errors.New("test: no network")
	}}
	f := fetch.NewHTTP(&http.Client{Transport: tr}, fetch.Options{AllowedHosts: []string{"partner.example"}})
	e := newEnv(t, envOptions{urlFetcher: f})
	for _, u := range []string{
		"http://partner.example/b.json", "https://partner.example@127.0.0.1/", "https://user:pw@partner.example/",
		"https://127.0.0.1/", "https://[::1]/", "https://169.254.169.254/latest/meta-data/", "https://partner.example.evil.example/",
		"https://partner.example:22/", "https://partner.example:8443/", "https://evil.example/?x=https://partner.example/",
		"https://evil.example#@partner.example/", "https://partner.example%2F@evil.example/", "https://PARTNER.example.:443@evil/",
		"https://0x7f000001/", "https://localhost/", "file:///etc/passwd", "gopher://partner.example/", "//partner.example/x",
	} {
		r := e.do(http.MethodGet, "/verify?url="+urlQueryEscape(u), "", nil)
		// 502 only for the fetcher's ErrInvalidURL (userinfo), refused before dialing.
		require.Contains(t, []int{400, 403, 502}, r.status, "%s: %s", u, r.body)
	}
	r := e.do(http.MethodGet, "/verify?url="+urlQueryEscape("https://partner.example/b.json")+"&url="+urlQueryEscape("https://127.0.0.1/"), "", nil)
	require.Equal(t, http.StatusBadRequest, r.status)
	mu.Lock()
	require.Empty(t, dialed, "refused URLs were dialed")
	mu.Unlock()
	r = e.do(http.MethodGet, "/verify?url="+urlQueryEscape("https://partner.example/b.json"), "", nil)
	require.Equal(t, http.StatusBadGateway, r.status)
	mu.Lock()
	require.Equal(t, []string{"partner.example:443"}, dialed)
	mu.Unlock()
	// Without a fetcher the endpoint is closed.
	e2 := newEnv(t, envOptions{})
	r = e2.do(http.MethodGet, "/verify?url="+urlQueryEscape("https://partner.example/b.json"), "", nil)
	require.Equal(t, http.StatusForbidden, r.status)
}

func urlQueryEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// StatusFetcher answers only the exact URLs of the store's lists (and the
// same with an empty fragment): other spellings go to next, so a foreign
// URL is never answered from our store.
func TestSecurityStatusFetcherExactMatch(t *testing.T) {
	e := newEnv(t, envOptions{})
	issuedStatus(t, e, nil, map[string]any{"credentialStatus": map[string]any{"statusPurpose": "revocation"}})
	lists := e.store.Lists()
	require.NotEmpty(t, lists)
	u := lists[0].URL
	var asked []string
	next := fetcherFunc(func(_ context.Context, url string) ([]byte, error) {
		asked = append(asked, url)
		return nil, errors.New("next")
	})
	sf := vcapi.StatusFetcher(e.store, next)
	for _, ok := range []string{u, u + "#"} {
		b, err := sf.Fetch(context.Background(), ok)
		require.NoError(t, err, ok)
		require.NotEmpty(t, b)
	}
	variants := []string{u + "/", u + "?x=1", u + "#frag", strings.ToUpper(u), strings.Replace(u, "https://", "http://", 1),
		strings.Replace(u, "https://", "https://user@", 1), u + "%2F", u + "/..", strings.TrimSuffix(u, "1") + "01", u + "\x00"}
	for _, v := range variants {
		_, err := sf.Fetch(context.Background(), v)
		require.Error(t, err, v)
	}
	require.Equal(t, variants, asked)
	_, err := vcapi.StatusFetcher(e.store, nil).Fetch(context.Background(), "https://other.example/status/revocation-1")
	require.ErrorIs(t, err, fetch.ErrNetworkDisabled)
}

type fetcherFunc func(context.Context, string) ([]byte, error)

func (f fetcherFunc) Fetch(ctx context.Context, url string) ([]byte, error) { return f(ctx, url) }

// Logs carry neither API keys nor request bodies; problems echo no key.
func TestSecurityLogsAndProblemsLeakNothing(t *testing.T) {
	var buf syncBuf
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, envOptions{config: func(c *vcapi.Config) { c.Logger = logger }})
	secretSubject := "did:example:secret-subject-9f8e7d"
	cred := euCredential(t)
	cred["credentialSubject"].(map[string]any)["id"] = secretSubject
	e.issue(cred, map[string]any{"credentialStatus": map[string]any{"statusPurpose": "revocation"}})
	e.do(http.MethodPost, "/credentials/issue", "application/json", []byte(`{}`), "Authorization", "Bearer wrong-but-long-key-0000000000")
	e.do(http.MethodPost, "/credentials/issue?token="+testAPIKey, "application/json", []byte(`{}`))
	e.do(http.MethodPost, "/credentials/verify", "application/json", mustJSON(t, map[string]any{"verifiableCredential": cred}))
	logs := buf.String()
	require.NotContains(t, logs, testAPIKey)
	require.NotContains(t, logs, "wrong-but-long-key")
	require.NotContains(t, logs, secretSubject)
	require.NotContains(t, logs, "Bearer")
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// Odd requests get problems, never panics or 500s.
func TestSecurityNoPanics(t *testing.T) {
	e := newEnv(t, envOptions{})
	v := newEnv(t, envOptions{noIssuer: true})
	for _, env := range []*env{e, v} {
		for _, rq := range []struct{ method, path, ct, body string }{
			{"HEAD", "/credentials/issue", "", ""},
			{"HEAD", "/credentials/verify", "", ""},
			{"HEAD", "/status/revocation-1", "", ""},
			{"HEAD", "/verify?url=https://x.example/", "", ""},
			{"POST", "/credentials/issue", "application/json", `{"credential": {}, "options": {"credentialStatus": []}}`},
			{"POST", "/credentials/issue", "application/json", `{"credential": " {"}`},
			{"POST", "/credentials/issue", "application/json", `{"credential": {"@context": 1}}`},
			{"POST", "/credentials/issue", "application/json", `{"credential": {}, "options": {"credentialStatus": {}}}`},
			{"POST", "/credentials/issue", "application/json", `{"credential": {}, "options": {"credentialStatus": " "}}`},
			{"POST", "/credentials/status", "application/json", `{"credentialId": "x", "credentialStatus": null, "status": true}`},
			{"POST", "/credentials/status", "application/json", `{"credentialId": "x\u0000", "credentialStatus": {"statusPurpose": "revocation"}, "status": true}`},
			{"POST", "/status/x/0", "application/json", `{"status": null}`},
			{"POST", "/verify", "multipart/form-data", "--x\r\n"},
			{"POST", "/verify", "multipart/form-data; boundary=", ""},
			{"POST", "/presentations/verify", "application/json", `{"presentation": {}, "verifiablePresentation": null}`},
			{"POST", "/presentations/verify", "application/json", `{"verifiablePresentation": {"verifiableCredential": [` + strings.Repeat(`{},`, 200) + `{}]}}`},
		} {
			r := env.do(rq.method, rq.path, rq.ct, []byte(rq.body), "Authorization", "Bearer "+testAPIKey)
			require.NotEqual(t, http.StatusInternalServerError, r.status)
		}
	}
}

// A multipart upload with many parts and big part headers stays bounded.
func TestSecurityMultipartBounds(t *testing.T) {
	e := newEnv(t, envOptions{})
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i < 5000; i++ {
		w, err := mw.CreateFormField(fmt.Sprintf("f%d", i))
		require.NoError(t, err)
		w.Write([]byte("x"))
	}
	w, err := mw.CreateFormFile("file", "badge.json")
	require.NoError(t, err)
	w.Write(mustJSON(t, euCredential(t)))
	require.NoError(t, mw.Close())
	start := time.Now()
	r := e.do(http.MethodPost, "/verify", mw.FormDataContentType(), buf.Bytes())
	require.Equal(t, http.StatusBadRequest, r.status, "%s", r.body)
	require.Less(t, time.Since(start), 2*time.Second)

	buf.Reset()
	fmt.Fprintf(&buf, "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n")
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&buf, "X-H%d: %s\r\n", i, strings.Repeat("a", 40))
	}
	buf.WriteString("\r\n{}\r\n--b--\r\n")
	r = e.do(http.MethodPost, "/verify", "multipart/form-data; boundary=b", buf.Bytes())
	require.Contains(t, []int{400, 422}, r.status, "%s", r.body)

	r = e.do(http.MethodPost, "/verify", "text/html", []byte(`<script>alert(1)</script>`))
	require.Equal(t, http.StatusUnsupportedMediaType, r.status)
	require.Equal(t, "application/problem+json", r.header.Get("Content-Type"))
}

// Oversized bodies are refused before they are read in full.
func TestSecurityBodyLimits(t *testing.T) {
	e := newEnv(t, envOptions{config: func(c *vcapi.Config) { c.MaxBodyBytes = 64 << 10 }})
	big := append([]byte(`{"verifiableCredential": "`), bytes.Repeat([]byte("a"), 128<<10)...)
	big = append(big, `"}`...)
	r := e.do(http.MethodPost, "/credentials/verify", "application/json", big)
	require.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	// Chunked (no Content-Length): MaxBytesReader.
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/credentials/verify", io.MultiReader(bytes.NewReader(big)))
	require.NoError(t, err)
	req.ContentLength = -1
	res, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
}

func testVerifier(t *testing.T) *badge.Verifier {
	t.Helper()
	v, err := badge.NewVerifier(badge.VerifierOptions{Registry: keys.DemoRegistry()})
	require.NoError(t, err)
	return v
}
