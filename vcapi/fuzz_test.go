package vcapi_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzHandler sends arbitrary bodies to every endpoint: the handler must
// never panic nor answer 500, and every answer must be JSON.
func FuzzHandler(f *testing.F) {
	e := newEnv(f, envOptions{})
	vc := e.issueFuzz(f)
	routes := []struct{ method, path, ct string }{
		{"POST", "/credentials/issue", "application/json"},
		{"POST", "/credentials/verify", "application/json"},
		{"POST", "/presentations/verify", "application/json"},
		{"POST", "/credentials/status", "application/json"},
		{"POST", "/status/revocation-1/5", "application/json"},
		{"POST", "/verify", ""},
		{"POST", "/verify", "multipart/form-data; boundary=b"},
		{"GET", "/verify?url=https://x.example/", ""},
		{"GET", "/status/revocation-1", ""},
	}
	for i := range routes {
		f.Add(uint8(i), []byte(`{"credential": {}}`))
		f.Add(uint8(i), []byte(`{"verifiableCredential": `+string(vc)+`}`))
		f.Add(uint8(i), vc)
	}
	f.Add(uint8(2), []byte(`{"verifiablePresentation": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation", "verifiableCredential": [`+string(vc)+`]}}`))
	f.Add(uint8(6), []byte("--b\r\nContent-Disposition: form-data; name=\"credential\"\r\n\r\n"+string(vc)+"\r\n--b--\r\n"))
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		rt := routes[int(which)%len(routes)]
		req := httptest.NewRequest(rt.method, rt.path, bytes.NewReader(body))
		if rt.ct != "" {
			req.Header.Set("Content-Type", rt.ct)
		}
		req.Header.Set("Authorization", "Bearer "+testAPIKey)
		rec := httptest.NewRecorder()
		e.api.ServeHTTP(rec, req)
		if rec.Code == http.StatusInternalServerError {
			t.Fatalf("500 for %s %s: %s", rt.method, rt.path, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); rec.Body.Len() > 0 && ct != "application/json" && ct != "application/problem+json" && ct != "application/vc+ld+json" {
			t.Fatalf("%s %s: Content-Type %q", rt.method, rt.path, ct)
		}
	})
}

// issueFuzz issues one credential for the seeds.
func (e *env) issueFuzz(f *testing.F) []byte {
	body := mustJSON(f, map[string]any{"credential": euCredential(f)})
	req := httptest.NewRequest(http.MethodPost, "/credentials/issue", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+testAPIKey)
	rec := httptest.NewRecorder()
	e.api.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		f.Fatalf("issue: %d %s", rec.Code, rec.Body)
	}
	b := rec.Body.Bytes()
	i := bytes.Index(b, []byte(`{"verifiableCredential":`))
	return bytes.TrimSuffix(bytes.TrimSpace(b[i+len(`{"verifiableCredential":`):]), []byte("}"))
}
