package vcapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vcapi"
)

// TestIssueAndVerifyDI: a complete EU micro-credential issued through the
// API (the configured issuer fills id and validFrom) verifies through
// /credentials/verify and /verify, with the EU elements in the report.
func TestIssueAndVerifyDI(t *testing.T) {
	e := newEnv(t, envOptions{})
	vc := e.issue(nil, nil)
	var cred map[string]any
	require.NoError(t, json.Unmarshal(vc, &cred))
	assert.Contains(t, cred, "proof")
	assert.True(t, strings.HasPrefix(cred["id"].(string), "urn:uuid:"))
	assert.Equal(t, keys.DemoIssuerDID, cred["issuer"].(map[string]any)["id"])

	r := e.post("/credentials/verify", map[string]any{"verifiableCredential": json.RawMessage(vc)})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, true, r.json["verified"])
	assert.Contains(t, r.json["checks"], "proof")
	assert.Empty(t, r.json["errors"])

	raw := e.do(http.MethodPost, "/verify", "application/json", vc)
	require.Equal(t, http.StatusOK, raw.status, "%s", raw.body)
	assert.Equal(t, true, raw.json["verified"])
	eu, ok := raw.json["euElements"].(map[string]any)
	require.True(t, ok, "euElements in %s", raw.body)
	assert.NotEmpty(t, eu)

	// Same bytes, sniffed without a Content-Type, and as an upload.
	assert.Equal(t, http.StatusOK, e.do(http.MethodPost, "/verify", "", vc).status)
	body, ct := multipartBody(t, "file", "badge.json", vc)
	assert.Equal(t, http.StatusOK, e.do(http.MethodPost, "/verify", ct, body).status)
}

// TestIssueNoIssuerInCredential: a credential without issuer gets the
// configured one.
func TestIssueNoIssuerInCredential(t *testing.T) {
	e := newEnv(t, envOptions{})
	cred := euCredential(t)
	delete(cred, "issuer")
	vc := e.issue(cred, nil)
	var out map[string]any
	require.NoError(t, json.Unmarshal(vc, &out))
	assert.Equal(t, keys.DemoIssuerDID, out["issuer"].(map[string]any)["id"])
	r := e.post("/credentials/verify", map[string]any{"verifiableCredential": json.RawMessage(vc)})
	assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
}

// TestIssueJWTFormats: both JWT formats come back as enveloped credentials
// that verify, through both verify endpoints.
func TestIssueJWTFormats(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, tc := range []struct{ format, mediaType string }{
		{"vc+jwt", "application/vc+jwt"}, {"jwt", "application/jwt"}, {"vc-jose", "application/vc+jwt"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			e.t = t
			vc := e.issue(nil, map[string]any{"format": tc.format})
			var env map[string]any
			require.NoError(t, json.Unmarshal(vc, &env))
			assert.Equal(t, "EnvelopedVerifiableCredential", env["type"])
			id := env["id"].(string)
			require.True(t, strings.HasPrefix(id, "data:"+tc.mediaType+","), id)
			token := strings.TrimPrefix(id, "data:"+tc.mediaType+",")
			assert.Equal(t, 2, strings.Count(token, "."))

			r := e.post("/credentials/verify", map[string]any{"verifiableCredential": env})
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			assert.Equal(t, "enveloped+jwt", r.json["report"].(map[string]any)["credential"].(map[string]any)["format"])
			// The bare token, as a JSON string and as a raw body.
			r = e.post("/credentials/verify", map[string]any{"verifiableCredential": token})
			assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
			r = e.do(http.MethodPost, "/verify", "application/vc+jwt", []byte(token))
			assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
			assert.Equal(t, "jwt", r.json["credential"].(map[string]any)["format"])

			// A changed payload byte fails the proof: 422 with the report.
			parts := strings.Split(token, ".")
			parts[1] = flipChar(parts[1], len(parts[1])/2)
			r = e.do(http.MethodPost, "/verify", "text/plain", []byte(strings.Join(parts, ".")))
			assert.Contains(t, []int{http.StatusUnprocessableEntity, http.StatusBadRequest}, r.status, "%s", r.body)
			assert.Equal(t, false, r.json["verified"])
		})
	}
}

// flipChar changes the base64url character at i.
func flipChar(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

// TestVerifyTampered: a changed credential is 422 with the proof check
// failed and a VCDM 2.0 error type; options.checks ["proof"] limits the
// report to the proof.
func TestVerifyTampered(t *testing.T) {
	e := newEnv(t, envOptions{})
	var cred map[string]any
	require.NoError(t, json.Unmarshal(e.issue(nil, nil), &cred))
	cred["credentialSubject"].(map[string]any)["creditsEarned"] = 15
	r := e.post("/credentials/verify", map[string]any{"verifiableCredential": cred})
	require.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)
	assert.Equal(t, false, r.json["verified"])
	errs := r.json["errors"].([]any)
	require.NotEmpty(t, errs)
	assert.Equal(t, vcapi.ErrorTypeCryptographic, errs[0].(map[string]any)["type"])
	assert.Equal(t, "proof", errs[0].(map[string]any)["title"])

	r = e.post("/credentials/verify", map[string]any{"verifiableCredential": cred, "options": map[string]any{"checks": []string{"proof"}}})
	require.Equal(t, http.StatusUnprocessableEntity, r.status)
	for _, c := range r.json["report"].(map[string]any)["checks"].([]any) {
		c := c.(map[string]any)
		if c["id"] != "parse" && c["id"] != "proof" {
			assert.Equal(t, "skipped", c["outcome"], "%v", c)
		}
	}
}

// TestVerifyChecksOption: a generic VCDM credential (not Open Badges)
// signed by the demo issuer verifies with checks ["proof"] and fails with
// all checks.
func TestVerifyChecksOption(t *testing.T) {
	e := newEnv(t, envOptions{})
	vc := signGeneric(t, demoSigner(t))
	r := e.post("/credentials/verify", map[string]any{"verifiableCredential": vc, "options": map[string]any{"checks": []string{"proof"}}})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, []any{"parse", "proof"}, r.json["checks"])
	r = e.post("/credentials/verify", map[string]any{"verifiableCredential": vc})
	assert.Equal(t, http.StatusUnprocessableEntity, r.status)
	r = e.post("/credentials/verify", map[string]any{"verifiableCredential": vc, "options": map[string]any{"checks": []string{"proof", "telepathy"}}})
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, string(r.body), "telepathy")
}

// TestStatusLifecycle: credentials issued with a suspension or a
// revocation entry verify; the lists are served; suspending, reinstating
// and revoking change the verdict at once, by credential id and by index.
func TestStatusLifecycle(t *testing.T) {
	e := newEnv(t, envOptions{})
	issueWith := func(id, purpose string) (json.RawMessage, map[string]any) {
		cred := euCredential(t)
		cred["id"] = id
		vc := e.issue(cred, map[string]any{"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": purpose}})
		var signed map[string]any
		require.NoError(t, json.Unmarshal(vc, &signed))
		entry := signed["credentialStatus"].(map[string]any)
		assert.Equal(t, purpose, entry["statusPurpose"])
		return vc, entry
	}
	verify := func(vc json.RawMessage) *response {
		return e.post("/credentials/verify", map[string]any{"verifiableCredential": vc})
	}
	suspendable, sEntry := issueWith("urn:uuid:0b6f3d0e-2a44-4c8e-8f0c-5a1d2c3b4e5f", "suspension")
	revocable, rEntry := issueWith("urn:uuid:1c7a4e1f-3b55-4d9f-9a1d-6b2e3d4c5f60", "revocation")
	require.Equal(t, http.StatusOK, verify(suspendable).status)
	require.Equal(t, http.StatusOK, verify(revocable).status)

	for _, en := range []map[string]any{sEntry, rEntry} {
		u := en["statusListCredential"].(string)
		require.True(t, strings.HasPrefix(u, statusBase+"/"), u)
		r := e.do(http.MethodGet, strings.TrimPrefix(u, strings.TrimSuffix(statusBase, "/status")), "", nil)
		require.Equal(t, http.StatusOK, r.status)
		assert.Equal(t, u, r.json["id"])
		assert.Contains(t, r.json, "proof")
	}

	update := func(id, purpose string, set bool) *response {
		return e.post("/credentials/status", map[string]any{"credentialId": id,
			"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": purpose}, "status": set})
	}
	r := update("urn:uuid:0b6f3d0e-2a44-4c8e-8f0c-5a1d2c3b4e5f", "suspension", true)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, true, r.json["status"])
	assert.Equal(t, sEntry["statusListIndex"], r.json["statusListIndex"])
	r = verify(suspendable)
	require.Equal(t, http.StatusUnprocessableEntity, r.status)
	assert.Equal(t, "status", r.json["errors"].([]any)[0].(map[string]any)["title"])
	require.Equal(t, http.StatusOK, verify(revocable).status, "the other list is untouched")

	require.Equal(t, http.StatusOK, update("urn:uuid:0b6f3d0e-2a44-4c8e-8f0c-5a1d2c3b4e5f", "suspension", false).status)
	require.Equal(t, http.StatusOK, verify(suspendable).status)

	// Revoke by list and index.
	list := strings.TrimPrefix(rEntry["statusListCredential"].(string), statusBase+"/")
	r = e.post("/status/"+list+"/"+rEntry["statusListIndex"].(string), map[string]any{"status": true})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, "revocation", r.json["statusPurpose"])
	assert.Equal(t, http.StatusUnprocessableEntity, verify(revocable).status)

	// Unknown credential, or a purpose it has no entry for: 404.
	assert.Equal(t, http.StatusNotFound, update("urn:uuid:nobody", "revocation", true).status)
	assert.Equal(t, http.StatusNotFound, update("urn:uuid:0b6f3d0e-2a44-4c8e-8f0c-5a1d2c3b4e5f", "revocation", true).status)
}

// TestDefaultStatusPurposes: Config.DefaultStatusPurposes gives every
// credential an entry.
func TestDefaultStatusPurposes(t *testing.T) {
	e := newEnv(t, envOptions{config: func(c *vcapi.Config) { c.DefaultStatusPurposes = []string{"revocation"} }})
	var signed map[string]any
	require.NoError(t, json.Unmarshal(e.issue(nil, nil), &signed))
	assert.Equal(t, "revocation", signed["credentialStatus"].(map[string]any)["statusPurpose"])
}

// TestAuthorization: issuing and status updates need the API key (as a
// bearer token or X-API-Key); verification does not.
func TestAuthorization(t *testing.T) {
	e := newEnv(t, envOptions{})
	body := mustJSON(t, map[string]any{"credential": euCredential(t)})
	for _, tc := range []struct {
		name   string
		header []string
		want   int
	}{
		{"none", nil, http.StatusUnauthorized},
		{"wrong bearer", []string{"Authorization", "Bearer wrong-key-wrong-key-wrong"}, http.StatusUnauthorized},
		{"basic scheme", []string{"Authorization", "Basic " + testAPIKey}, http.StatusUnauthorized},
		{"prefix of the key", []string{"X-API-Key", testAPIKey[:20]}, http.StatusUnauthorized},
		{"bearer", []string{"Authorization", "Bearer " + testAPIKey}, http.StatusCreated},
		{"lowercase bearer", []string{"Authorization", "bearer " + testAPIKey}, http.StatusCreated},
		{"x-api-key", []string{"X-API-Key", testAPIKey}, http.StatusCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			r := e.do(http.MethodPost, "/credentials/issue", "application/json", body, tc.header...)
			assert.Equal(t, tc.want, r.status, "%s", r.body)
			if tc.want == http.StatusUnauthorized {
				assert.Equal(t, `Bearer realm="microcred"`, r.header.Get("WWW-Authenticate"))
			}
		})
	}
	e.t = t
	for _, path := range []string{"/credentials/status", "/status/revocation-1/0"} {
		r := e.do(http.MethodPost, path, "application/json", []byte(`{"status": true}`))
		assert.Equal(t, http.StatusUnauthorized, r.status, path)
	}
	_, err := vcapi.New(vcapi.Config{Verifier: mustVerifier(t), APIKeys: []string{"short"}})
	assert.ErrorContains(t, err, "shorter")
}

func mustVerifier(t testing.TB) *badge.Verifier {
	v, err := badge.NewVerifier(badge.VerifierOptions{Registry: keys.DemoRegistry()})
	require.NoError(t, err)
	return v
}

// TestVerifyOnlyService: without an Issuer, issuing is 501, status lists
// 404 and updates 501; verifying works.
func TestVerifyOnlyService(t *testing.T) {
	e := newEnv(t, envOptions{noIssuer: true})
	assert.Equal(t, http.StatusNotImplemented, e.post("/credentials/issue", map[string]any{"credential": euCredential(t)}).status)
	assert.Equal(t, http.StatusNotFound, e.do(http.MethodGet, "/status/revocation-1", "", nil).status)
	assert.Equal(t, http.StatusNotImplemented, e.post("/status/revocation-1/3", map[string]any{"status": true}).status)
	assert.Equal(t, http.StatusNotImplemented, e.post("/credentials/status", map[string]any{"credentialId": "x"}).status)
	r := e.do(http.MethodGet, "/healthz", "", nil)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, false, r.json["issuing"])
}

// TestHealthAndOpenAPI: /healthz and /openapi.json answer; HEAD works.
func TestHealthAndOpenAPI(t *testing.T) {
	e := newEnv(t, envOptions{})
	r := e.do(http.MethodGet, "/healthz", "", nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "ok", r.json["status"])
	assert.Equal(t, keys.DemoIssuerDID, r.json["issuer"])
	r = e.do(http.MethodGet, "/openapi.json", "", nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "3.1.0", r.json["openapi"])
	assert.Equal(t, http.StatusOK, e.do(http.MethodHead, "/healthz", "", nil).status)
}

// TestContextCancelled: a request whose client went away is answered
// 503 (nobody reads it), never 500.
func TestContextCancelled(t *testing.T) {
	e := newEnv(t, envOptions{})
	vc := e.issue(nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, path := range []string{"/verify", "/credentials/verify"} {
		body := []byte(vc)
		if path == "/credentials/verify" {
			body = mustJSON(t, map[string]any{"verifiableCredential": vc})
		}
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.api.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusServiceUnavailable, rec.Code, "%s: %s", path, rec.Body)
	}
}

// TestInFlightLimit: with every slot taken, a request waits QueueWait and
// is answered 503 with Retry-After; light endpoints still answer.
func TestInFlightLimit(t *testing.T) {
	e := newEnv(t, envOptions{config: func(c *vcapi.Config) { c.MaxInFlight = 1; c.QueueWait = 20 * time.Millisecond }})
	// A request whose body never ends holds the only slot.
	pr, pw := io.Pipe()
	defer pw.Close()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/verify", pr)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	go func() {
		if res, err := e.srv.Client().Do(req); err == nil {
			res.Body.Close()
		}
	}()
	_, err = pw.Write([]byte(`{"@context": `))
	require.NoError(t, err)

	var r *response
	require.Eventually(t, func() bool {
		r = e.do(http.MethodPost, "/credentials/verify", "application/json", []byte(`{"verifiableCredential": {}}`))
		return r.status == http.StatusServiceUnavailable
	}, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, "1", r.header.Get("Retry-After"))
	assert.Equal(t, http.StatusOK, e.do(http.MethodGet, "/healthz", "", nil).status)

	pw.CloseWithError(io.ErrUnexpectedEOF)
	require.Eventually(t, func() bool {
		return e.do(http.MethodPost, "/verify", "application/json", []byte(`{}`)).status != http.StatusServiceUnavailable
	}, 5*time.Second, 10*time.Millisecond)
}

// TestIssuePlainCredentials: with AllowPlainCredentials, a VCDM 2.0
// credential that is not an Open Badge is signed as it is (DI and
// vc+jwt, with a status entry) and verifies with checks ["proof",
// "status"]; its data-model and safe-mode problems are 422 with pointers;
// another issuer is 400.
func TestIssuePlainCredentials(t *testing.T) {
	e := newEnv(t, envOptions{config: func(c *vcapi.Config) { c.AllowPlainCredentials = true }})
	plain := func() map[string]any {
		return map[string]any{
			"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
			"id":                "urn:uuid:9b1f0c1e-5d3a-4e2b-8c7d-6a5b4c3d2e1f",
			"type":              []any{"VerifiableCredential"},
			"credentialSubject": map[string]any{"id": "did:example:learner"},
		}
	}
	for i, format := range []string{"di", "vc+jwt"} {
		cred := plain()
		cred["id"] = fmt.Sprintf("urn:uuid:9b1f0c1e-5d3a-4e2b-8c7d-6a5b4c3d2e%02d", i)
		vc := e.issue(cred, map[string]any{"format": format, "credentialStatus": map[string]any{"statusPurpose": "revocation"}})
		var got map[string]any
		require.NoError(t, json.Unmarshal(vc, &got))
		if format == "di" {
			assert.Equal(t, keys.DemoIssuerDID, got["issuer"])
			assert.Nil(t, got["validFrom"], "nothing added but issuer and status")
			assert.Equal(t, "revocation", got["credentialStatus"].(map[string]any)["statusPurpose"])
		}
		r := e.post("/credentials/verify", map[string]any{"verifiableCredential": got, "options": map[string]any{"checks": []string{"proof", "status"}}})
		assert.Equal(t, http.StatusOK, r.status, "%s: %s", format, r.body)
	}

	bad := plain()
	bad["ECTS"] = 5
	r := e.post("/credentials/issue", map[string]any{"credential": bad})
	require.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)
	assert.Equal(t, "/credential/ECTS", r.json["problems"].([]any)[0].(map[string]any)["pointer"])

	bad = plain()
	delete(bad, "credentialSubject")
	r = e.post("/credentials/issue", map[string]any{"credential": bad, "options": map[string]any{"format": "vc+jwt"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)
	assert.Equal(t, "/credential/credentialSubject", r.json["problems"].([]any)[0].(map[string]any)["pointer"])

	other := plain()
	other["issuer"] = "did:example:someone-else"
	r = e.post("/credentials/issue", map[string]any{"credential": other})
	assert.Equal(t, http.StatusBadRequest, r.status, "%s", r.body)

	noID := plain()
	delete(noID, "id")
	r = e.post("/credentials/issue", map[string]any{"credential": noID, "options": map[string]any{"credentialStatus": map[string]any{"statusPurpose": "revocation"}}})
	assert.Equal(t, http.StatusBadRequest, r.status, "%s", r.body)
	r = e.post("/credentials/issue", map[string]any{"credential": noID, "options": map[string]any{"credentialId": "job-42", "credentialStatus": map[string]any{"statusPurpose": "revocation"}}})
	assert.Equal(t, http.StatusCreated, r.status, "%s", r.body)
}

// TestStatusListETag: the list carries an ETag; a matching If-None-Match
// is 304 until an entry changes.
func TestStatusListETag(t *testing.T) {
	e := newEnv(t, envOptions{})
	cred := euCredential(t)
	cred["id"] = "urn:uuid:6e5d4c3b-2a19-4807-9f6e-5d4c3b2a1908"
	var signed map[string]any
	require.NoError(t, json.Unmarshal(e.issue(cred, map[string]any{"credentialStatus": map[string]any{"statusPurpose": "revocation"}}), &signed))
	path := strings.TrimPrefix(signed["credentialStatus"].(map[string]any)["statusListCredential"].(string), strings.TrimSuffix(statusBase, "/status"))
	r := e.do(http.MethodGet, path, "", nil)
	require.Equal(t, http.StatusOK, r.status)
	etag := r.header.Get("ETag")
	require.NotEmpty(t, etag)
	assert.Equal(t, http.StatusNotModified, e.do(http.MethodGet, path, "", nil, "If-None-Match", etag).status)
	assert.Equal(t, http.StatusNotModified, e.do(http.MethodGet, path, "", nil, "If-None-Match", `"x", W/`+etag).status)
	assert.Equal(t, http.StatusOK, e.do(http.MethodGet, path, "", nil, "If-None-Match", `"other"`).status)

	require.Equal(t, http.StatusOK, e.post("/credentials/status", map[string]any{"credentialId": cred["id"],
		"credentialStatus": map[string]any{"statusPurpose": "revocation"}, "status": true}).status)
	r = e.do(http.MethodGet, path, "", nil, "If-None-Match", etag)
	assert.Equal(t, http.StatusOK, r.status, "the list changed")
	assert.NotEqual(t, etag, r.header.Get("ETag"))
}
