package vcapi_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/testserver"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc/dataintegrity"
	"github.com/microcred/microcred/vcapi"
)

// multipartBody is a form upload of one file.
func multipartBody(t testing.TB, field, name string, data []byte) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	require.NoError(t, mw.WriteField("note", "uploaded by an LMS"))
	fw, err := mw.CreateFormFile(field, name)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	return b.Bytes(), mw.FormDataContentType()
}

// signGeneric signs a plain VCDM 2.0 credential (no Open Badges types)
// with signer, whose did:key is the issuer.
func signGeneric(t testing.TB, signer *keys.KeySigner) map[string]any {
	did, err := keys.DIDKey(signer.Public())
	require.NoError(t, err)
	vm, err := keys.DIDKeyURL(signer.Public())
	require.NoError(t, err)
	doc := map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"id":                "urn:uuid:7a0f5a36-6d0c-4a8e-bb7e-1a2b3c4d5e6f",
		"type":              []any{"VerifiableCredential"},
		"issuer":            did,
		"validFrom":         "2026-01-02T00:00:00Z",
		"credentialSubject": map[string]any{"id": "did:example:learner"},
	}
	out, err := dataintegrity.AddProof(context.Background(), doc, signer, dataintegrity.SignOptions{VerificationMethod: vm})
	require.NoError(t, err)
	return out
}

// holder is a holder's key and did:key.
type holder struct {
	signer *keys.KeySigner
	did    string
	vm     string
}

func newHolder(t testing.TB) holder {
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	priv := ed25519.NewKeyFromSeed(seed)
	s, err := keys.NewSigner(priv, "")
	require.NoError(t, err)
	did, err := keys.DIDKey(priv.Public())
	require.NoError(t, err)
	vm, err := keys.DIDKeyURL(priv.Public())
	require.NoError(t, err)
	return holder{signer: s, did: did, vm: vm}
}

// presentation signs a VP holding creds, for challenge and domain.
func (h holder) presentation(t testing.TB, challenge, domain string, creds ...any) map[string]any {
	vp := map[string]any{
		"@context":             []any{"https://www.w3.org/ns/credentials/v2"},
		"type":                 []any{"VerifiablePresentation"},
		"holder":               h.did,
		"verifiableCredential": creds,
	}
	opts := dataintegrity.SignOptions{VerificationMethod: h.vm, Purpose: "authentication", Challenge: challenge}
	if domain != "" {
		opts.Domain = []string{domain}
	}
	out, err := dataintegrity.AddProof(context.Background(), vp, h.signer, opts)
	require.NoError(t, err)
	return out
}

// TestVerifyPresentation: a holder-signed presentation with a DI and an
// enveloped JWT credential verifies; a wrong challenge or domain is 422;
// a proofless request checks the credentials only.
func TestVerifyPresentation(t *testing.T) {
	e := newEnv(t, envOptions{})
	var di, env map[string]any
	require.NoError(t, json.Unmarshal(e.issue(nil, nil), &di))
	require.NoError(t, json.Unmarshal(e.issue(nil, map[string]any{"format": "vc+jwt"}), &env))
	h := newHolder(t)
	vp := h.presentation(t, "c-123", "verifier.example", di, env)

	opts := map[string]any{"challenge": "c-123", "domain": "verifier.example"}
	r := e.post("/presentations/verify", map[string]any{"verifiablePresentation": vp, "options": opts})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, true, r.json["verified"])
	assert.Len(t, r.json["report"].(map[string]any)["credentials"], 2)
	assert.Contains(t, r.json["checks"], "verifiableCredential/1/proof")

	for name, o := range map[string]map[string]any{
		"wrong challenge": {"challenge": "c-999", "domain": "verifier.example"},
		"wrong domain":    {"challenge": "c-123", "domain": "evil.example"},
	} {
		r := e.post("/presentations/verify", map[string]any{"verifiablePresentation": vp, "options": o})
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, name)
		assert.Equal(t, false, r.json["verified"], name)
	}

	// Proofless: only the credentials.
	unsigned := map[string]any{"@context": vp["@context"], "type": vp["type"], "verifiableCredential": []any{di}}
	r = e.post("/presentations/verify", map[string]any{"presentation": unsigned})
	assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
	r = e.post("/presentations/verify", map[string]any{"verifiablePresentation": unsigned})
	assert.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)

	// A tampered credential inside a freshly signed presentation.
	di["credentialSubject"].(map[string]any)["creditsEarned"] = 15
	vp = h.presentation(t, "c-123", "", di)
	r = e.post("/presentations/verify", map[string]any{"verifiablePresentation": vp, "options": map[string]any{"challenge": "c-123"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.status)
	assert.Contains(t, string(r.body), "verifiableCredential/0/proof")
}

// TestVerifyURL: GET /verify?url= fetches from allowed hosts only.
func TestVerifyURL(t *testing.T) {
	ts := testserver.New(t)
	f := fetch.NewHTTP(ts.Client(), fetch.Options{AllowedHosts: []string{ts.Host}})
	e := newEnv(t, envOptions{urlFetcher: f})
	vc := e.issue(nil, nil)
	ts.Handle("/badges/1.json", func(w http.ResponseWriter, r *http.Request) { w.Write(vc) })

	r := e.do(http.MethodGet, "/verify?url="+ts.Base+"/badges/1.json", "", nil)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, true, r.json["verified"])

	for _, tc := range []struct {
		query string
		want  int
	}{
		{"", http.StatusBadRequest},
		{"?url=", http.StatusBadRequest},
		{"?url=a&url=b", http.StatusBadRequest},
		{"?url=http://" + ts.Host + "/badges/1.json", http.StatusBadRequest},
		{"?url=https://elsewhere.example/b.json", http.StatusForbidden},
		{"?url=" + ts.Base + "/missing.json", http.StatusBadGateway},
	} {
		r := e.do(http.MethodGet, "/verify"+tc.query, "", nil)
		assert.Equal(t, tc.want, r.status, "%s: %s", tc.query, r.body)
	}
	// Without a fetcher the endpoint is closed.
	e2 := newEnv(t, envOptions{})
	assert.Equal(t, http.StatusForbidden, e2.do(http.MethodGet, "/verify?url="+ts.Base+"/badges/1.json", "", nil).status)
}

// TestVerifyBakedPNG: a baked PNG posted raw is read and verified.
func TestVerifyBakedPNG(t *testing.T) {
	e := newEnv(t, envOptions{})
	png := bakePNG(e.issue(nil, nil))
	r := e.do(http.MethodPost, "/verify", "image/png", png)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, "png+json", r.json["credential"].(map[string]any)["format"])
	body, ct := multipartBody(t, "badge", "badge.png", png)
	assert.Equal(t, http.StatusOK, e.do(http.MethodPost, "/verify", ct, body).status)
}

// TestBadRequests: malformed, misshapen, oversized and unknown requests
// are 4xx problem documents naming what and where, never a 500.
func TestBadRequests(t *testing.T) {
	e := newEnv(t, envOptions{config: func(c *vcapi.Config) { c.MaxBodyBytes = 64 << 10; c.MaxRawBytes = 128 << 10 }})
	cred := mustJSON(t, euCredential(t))
	big := `{"credential": {"name": "` + strings.Repeat("a", 70<<10) + `"}}`
	auth := []string{"Authorization", "Bearer " + testAPIKey}
	for _, tc := range []struct {
		name, method, path, ct, body string
		want                         int
		pointer                      string // expected in problems[0].pointer, when set
	}{
		{"issue: malformed JSON", "POST", "/credentials/issue", "application/json", `{"credential": {`, 400, ""},
		{"issue: empty body", "POST", "/credentials/issue", "application/json", ``, 400, ""},
		{"issue: array body", "POST", "/credentials/issue", "application/json", `[1]`, 400, ""},
		{"issue: trailing data", "POST", "/credentials/issue", "application/json", `{"credential": {}} {}`, 400, ""},
		{"issue: duplicate member", "POST", "/credentials/issue", "application/json", `{"credential": {}, "credential": {}}`, 400, "/credential"},
		{"issue: unknown member", "POST", "/credentials/issue", "application/json", `{"credentials": {}}`, 400, "/credentials"},
		{"issue: no credential", "POST", "/credentials/issue", "application/json", `{"options": {}}`, 400, "/credential"},
		{"issue: credential not object", "POST", "/credentials/issue", "application/json", `{"credential": "x"}`, 400, "/credential"},
		{"issue: unknown format", "POST", "/credentials/issue", "application/json", `{"credential": ` + string(cred) + `, "options": {"format": "ldp_zkp"}}`, 400, "/options/format"},
		{"issue: unknown option", "POST", "/credentials/issue", "application/json", `{"credential": {}, "options": {"proofType": "x"}}`, 400, "/options/proofType"},
		{"issue: option type", "POST", "/credentials/issue", "application/json", `{"credential": {}, "options": {"format": 3}}`, 400, "/options/format"},
		{"issue: options not object", "POST", "/credentials/issue", "application/json", `{"credential": {}, "options": []}`, 400, "/options"},
		{"issue: status purpose", "POST", "/credentials/issue", "application/json", `{"credential": {}, "options": {"credentialStatus": {"statusPurpose": "refresh"}}}`, 400, "/options/credentialStatus/statusPurpose"},
		{"issue: two status entries", "POST", "/credentials/issue", "application/json", `{"credential": {}, "options": {"credentialStatus": [{"statusPurpose": "revocation"}, {"statusPurpose": "suspension"}]}}`, 400, "/options/credentialStatus/1"},
		{"issue: mandatoryPointers", "POST", "/credentials/issue", "application/json", `{"credential": {}, "options": {"mandatoryPointers": ["/issuer"]}}`, 400, "/options/mandatoryPointers"},
		{"issue: wrong value type in credential", "POST", "/credentials/issue", "application/json", `{"credential": {"type": ["VerifiableCredential", "OpenBadgeCredential"], "validFrom": 3}}`, 400, "/credential/validFrom"},
		{"issue: duplicate key in credential", "POST", "/credentials/issue", "application/json", `{"credential": {"id": "a", "id": "b"}}`, 400, "/credential/id"},
		{"issue: not an Open Badge", "POST", "/credentials/issue", "application/json", `{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:x"}}}`, 422, "/credential/type"},
		{"issue: invalid Open Badge", "POST", "/credentials/issue", "application/json", `{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "OpenBadgeCredential"], "credentialSubject": {"id": "did:example:x"}}}`, 422, ""},
		{"issue: oversized", "POST", "/credentials/issue", "application/json", big, 413, ""},
		{"issue: GET", "GET", "/credentials/issue", "", ``, 405, ""},
		{"verify: malformed", "POST", "/credentials/verify", "application/json", `{"verifiableCredential": `, 400, ""},
		{"verify: missing", "POST", "/credentials/verify", "application/json", `{}`, 400, "/verifiableCredential"},
		{"verify: number", "POST", "/credentials/verify", "application/json", `{"verifiableCredential": 3}`, 400, "/verifiableCredential"},
		{"verify: not a credential", "POST", "/credentials/verify", "application/json", `{"verifiableCredential": {"a": 1}}`, 422, ""},
		{"verify: unreadable token", "POST", "/credentials/verify", "application/json", `{"verifiableCredential": "not.a.jws"}`, 400, ""},
		{"verify: enveloped bad media type", "POST", "/credentials/verify", "application/json", `{"verifiableCredential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "EnvelopedVerifiableCredential", "id": "data:text/html,<b>"}}`, 400, ""},
		{"verify: checks not a list", "POST", "/credentials/verify", "application/json", `{"verifiableCredential": {}, "options": {"checks": "proof"}}`, 400, "/options/checks"},
		{"verify: unknown option", "POST", "/credentials/verify", "application/json", `{"verifiableCredential": {}, "options": {"challenge": "x"}}`, 400, "/options/challenge"},
		{"verify: oversized", "POST", "/credentials/verify", "application/json", `{"verifiableCredential": "` + strings.Repeat("a", 70<<10) + `"}`, 413, ""},
		{"presentation: missing", "POST", "/presentations/verify", "application/json", `{"options": {}}`, 400, "/verifiablePresentation"},
		{"presentation: both", "POST", "/presentations/verify", "application/json", `{"presentation": {}, "verifiablePresentation": {}}`, 400, "/presentation"},
		{"presentation: string", "POST", "/presentations/verify", "application/json", `{"verifiablePresentation": "x"}`, 400, "/verifiablePresentation"},
		{"presentation: not a VP", "POST", "/presentations/verify", "application/json", `{"verifiablePresentation": {"type": "Nope"}}`, 400, ""},
		{"presentation: too many credentials", "POST", "/presentations/verify", "application/json", `{"verifiablePresentation": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation", "verifiableCredential": [` + strings.TrimSuffix(strings.Repeat(`{},`, 65), ",") + `]}}`, 400, ""},
		{"raw: empty", "POST", "/verify", "application/json", ``, 400, ""},
		{"raw: garbage", "POST", "/verify", "application/octet-stream", "\x00\x01garbage", 400, ""},
		{"raw: bad media type", "POST", "/verify", "application/x-msdownload", `{}`, 415, ""},
		{"raw: bad multipart", "POST", "/verify", "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--xyz--\r\n", 400, ""},
		{"raw: oversized", "POST", "/verify", "image/png", strings.Repeat("a", 129<<10), 413, ""},
		{"raw: PUT", "PUT", "/verify", "application/json", `{}`, 405, ""},
		{"status: unknown list", "GET", "/status/revocation-99", "", ``, 404, ""},
		{"status set: unknown list", "POST", "/status/revocation-99/1", "application/json", `{"status": true}`, 404, ""},
		{"status set: bad index", "POST", "/status/revocation-1/-1", "application/json", `{"status": true}`, 400, ""},
		{"status set: leading zero", "POST", "/status/revocation-1/01", "application/json", `{"status": true}`, 400, ""},
		{"status set: huge index", "POST", "/status/revocation-1/99999999999", "application/json", `{"status": true}`, 400, ""},
		{"status set: no status", "POST", "/status/revocation-1/1", "application/json", `{}`, 400, "/status"},
		{"status set: status type", "POST", "/status/revocation-1/1", "application/json", `{"status": "yes"}`, 400, "/status"},
		{"status update: missing id", "POST", "/credentials/status", "application/json", `{"credentialStatus": {"statusPurpose": "revocation"}, "status": true}`, 400, "/credentialId"},
		{"status update: missing status", "POST", "/credentials/status", "application/json", `{"credentialId": "x", "credentialStatus": {"statusPurpose": "revocation"}}`, 400, "/status"},
		{"status update: bad purpose", "POST", "/credentials/status", "application/json", `{"credentialId": "x", "credentialStatus": {"statusPurpose": "fun"}, "status": true}`, 400, "/credentialStatus/statusPurpose"},
		{"status update: unknown member", "POST", "/credentials/status", "application/json", `{"credentialId": "x", "indexAllocator": "y"}`, 400, "/indexAllocator"},
		{"unknown path", "GET", "/credentials", "", ``, 404, ""},
		{"healthz: POST", "POST", "/healthz", "application/json", `{}`, 405, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			r := e.do(tc.method, tc.path, tc.ct, []byte(tc.body), auth...)
			require.Equal(t, tc.want, r.status, "%s", r.body)
			if r.header.Get("Content-Type") == "application/problem+json" {
				assert.Equal(t, float64(tc.want), r.json["status"])
				assert.NotEmpty(t, r.json["title"])
			} else {
				// Verification answers carry the report instead.
				assert.Equal(t, false, r.json["verified"], "%s", r.body)
			}
			if tc.pointer != "" {
				problems, _ := r.json["problems"].([]any)
				require.NotEmpty(t, problems, "%s", r.body)
				assert.Equal(t, tc.pointer, problems[0].(map[string]any)["pointer"], "%s", r.body)
			}
			if tc.want == http.StatusMethodNotAllowed {
				assert.NotEmpty(t, r.header.Get("Allow"))
			}
		})
	}
}

// TestInvalidCredentialProblems: a credential the issuer refuses is 422
// with every problem pointing into the request body.
func TestInvalidCredentialProblems(t *testing.T) {
	e := newEnv(t, envOptions{})
	cred := euCredential(t)
	ach := cred["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
	delete(ach, "name")
	cred["undefinedTerm"] = "not in any context"
	r := e.post("/credentials/issue", map[string]any{"credential": cred})
	require.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)
	var p vcapi.Problem
	require.NoError(t, json.Unmarshal(r.body, &p))
	require.NotEmpty(t, p.Problems)
	var pointers, sources []string
	for _, it := range p.Problems {
		assert.True(t, strings.HasPrefix(it.Pointer, "/credential"), it.Pointer)
		pointers = append(pointers, it.Pointer)
		sources = append(sources, it.Source)
	}
	assert.Contains(t, pointers, "/credential/credentialSubject/achievement/name")
	assert.Contains(t, pointers, "/credential/undefinedTerm")
	assert.Contains(t, sources, "jsonld")
}

// TestOpenAPIMatchesRoutes: every endpoint the handler serves is in
// openapi.json with the same methods, and nothing else is; every
// operation's documented statuses are ones the handlers can answer.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	loadOpenAPI(t)
	e := newEnv(t, envOptions{})
	paths := openAPIDoc["paths"].(map[string]any)
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH"}
	for p, item := range paths {
		concrete := strings.NewReplacer("{list}", "revocation-1", "{index}", "0").Replace(p)
		for _, m := range methods {
			_, documented := item.(map[string]any)[strings.ToLower(m)]
			req, err := http.NewRequest(m, e.srv.URL+concrete, strings.NewReader("{}"))
			require.NoError(t, err)
			res, err := e.srv.Client().Do(req)
			require.NoError(t, err)
			var body struct {
				Type string `json:"type"`
			}
			_ = json.NewDecoder(res.Body).Decode(&body)
			res.Body.Close()
			if documented {
				assert.NotEqual(t, http.StatusMethodNotAllowed, res.StatusCode, "%s %s documented but not served", m, p)
				assert.NotEqual(t, vcapi.ProblemTypeBase+"not-found", body.Type, "%s %s documented but not routed", m, p)
			} else {
				assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode, "%s %s served but not documented", m, p)
			}
		}
	}
	// Every served pattern is documented.
	for _, p := range vcapi.Routes() {
		assert.Contains(t, paths, p, "route %s is not in openapi.json", p)
	}
	assert.Len(t, paths, len(vcapi.Routes()))
}

// bakePNG builds a minimal PNG with an uncompressed openbadgecredential
// iTXt chunk.
func bakePNG(text []byte) []byte {
	chunk := func(typ string, data []byte) []byte {
		var b bytes.Buffer
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
		return b.Bytes()
	}
	var it bytes.Buffer
	it.WriteString(badge.PNGKeyword)
	it.Write([]byte{0, 0, 0, 0, 0})
	it.Write(text)
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	b.Write(chunk("IHDR", make([]byte, 13)))
	b.Write(chunk("iTXt", it.Bytes()))
	b.Write(chunk("IEND", nil))
	return b.Bytes()
}

// TestVerifyVCDM11: a VCDM 1.1 credential (issuanceDate, the 2018
// context) with a Data Integrity proof verifies with checks ["proof"], and
// a changed one does not.
func TestVerifyVCDM11(t *testing.T) {
	e := newEnv(t, envOptions{})
	signer := demoSigner(t)
	doc := map[string]any{
		"@context":          []any{"https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/data-integrity/v2"},
		"id":                "urn:uuid:5c3a2b1d-0e9f-4a8b-9c7d-1e2f3a4b5c6d",
		"type":              []any{"VerifiableCredential"},
		"issuer":            keys.DemoIssuerDID,
		"issuanceDate":      "2026-01-02T00:00:00Z",
		"credentialSubject": map[string]any{"id": "did:example:learner"},
	}
	signed, err := dataintegrity.AddProof(context.Background(), doc, signer, dataintegrity.SignOptions{})
	require.NoError(t, err)
	opts := map[string]any{"checks": []string{"proof"}}
	r := e.post("/credentials/verify", map[string]any{"verifiableCredential": signed, "options": opts})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	signed["issuanceDate"] = "2026-01-03T00:00:00Z"
	r = e.post("/credentials/verify", map[string]any{"verifiableCredential": signed, "options": opts})
	assert.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)
}

// TestChallenges: a challenge from POST /challenges is used up by the
// presentation that answers it; the same presentation again, a changed
// challenge and an expired one fail the challenge check; a relying
// party's own challenge is checked against the proof only.
func TestChallenges(t *testing.T) {
	e := newEnv(t, envOptions{})
	var di map[string]any
	require.NoError(t, json.Unmarshal(e.issue(nil, nil), &di))
	h := newHolder(t)
	newChallenge := func() string {
		r := e.do(http.MethodPost, "/challenges", "", nil)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
		return r.json["challenge"].(string)
	}
	verify := func(vp map[string]any, challenge string) *response {
		return e.post("/presentations/verify", map[string]any{"verifiablePresentation": vp, "options": map[string]any{"challenge": challenge}})
	}
	challengeCheck := func(r *response) map[string]any {
		for _, c := range r.json["report"].(map[string]any)["checks"].([]any) {
			if c := c.(map[string]any); c["id"] == "challenge" {
				return c
			}
		}
		return nil
	}

	ch := newChallenge()
	assert.NotEqual(t, ch, newChallenge(), "challenges are random")
	vp := h.presentation(t, ch, "", di)
	r := verify(vp, ch)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, "passed", challengeCheck(r)["outcome"])

	r = verify(vp, ch)
	require.Equal(t, http.StatusUnprocessableEntity, r.status, "replay: %s", r.body)
	assert.Contains(t, challengeCheck(r)["message"], "already used")

	// A forged challenge of our form, signed by the holder: the proof
	// verifies, the challenge does not.
	forged := ch[:len(ch)-2] + "AA"
	if forged == ch {
		forged = ch[:len(ch)-2] + "BB"
	}
	r = verify(h.presentation(t, forged, "", di), forged)
	require.Equal(t, http.StatusUnprocessableEntity, r.status)
	assert.Contains(t, challengeCheck(r)["message"], "not issued by this service")

	// A proof that does not verify does not use the challenge up.
	ch2 := newChallenge()
	bad := h.presentation(t, ch2, "", di)
	bad["holder"] = "did:example:someone-else"
	r = verify(bad, ch2)
	require.Equal(t, http.StatusUnprocessableEntity, r.status)
	assert.Equal(t, "skipped", challengeCheck(r)["outcome"])
	assert.Equal(t, http.StatusOK, verify(h.presentation(t, ch2, "", di), ch2).status)

	// A relying party's own challenge: no challenge check, and reusable.
	own := h.presentation(t, "rp-nonce-42", "", di)
	r = verify(own, "rp-nonce-42")
	require.Equal(t, http.StatusOK, r.status)
	assert.Nil(t, challengeCheck(r))

	// Expired.
	e2 := newEnv(t, envOptions{config: func(c *vcapi.Config) { c.ChallengeTTL = time.Second }})
	r = e2.do(http.MethodPost, "/challenges", "", nil)
	ch3 := r.json["challenge"].(string)
	time.Sleep(1100 * time.Millisecond)
	r = e2.post("/presentations/verify", map[string]any{"verifiablePresentation": h.presentation(t, ch3, "", di), "options": map[string]any{"challenge": ch3}})
	require.Equal(t, http.StatusUnprocessableEntity, r.status)
	assert.Contains(t, string(r.body), "expired")
}
