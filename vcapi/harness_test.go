package vcapi_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/jsonx"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc/status"
	"github.com/microcred/microcred/vcapi"
)

// testAPIKey is the API key of the test servers.
const testAPIKey = "test-api-key-0123456789abcdef"

// statusBase is where the test store says its lists are; the verifier
// reads them through vcapi.StatusFetcher, without the network.
const statusBase = "https://credentials.test.example/status"

// demoSeed is the public demo key's seed (keys.DemoIssuerDID).
var demoSeed = []byte("microcred demo key: NOT SECRET!!")

// env is one service under test.
type env struct {
	t      *testing.T
	srv    *httptest.Server
	api    *vcapi.Server
	store  *status.Store
	issuer *badge.Issuer
}

// envOptions adjust the service under test.
type envOptions struct {
	config     func(*vcapi.Config)
	urlFetcher fetch.Fetcher
	noIssuer   bool
}

// demoSigner is the demo key as a signer.
func demoSigner(t testing.TB) *keys.KeySigner {
	priv, err := keys.Ed25519FromSeed(demoSeed)
	require.NoError(t, err)
	vm, err := keys.DIDKeyURL(priv.Public())
	require.NoError(t, err)
	s, err := keys.NewSigner(priv, vm)
	require.NoError(t, err)
	did, err := keys.DIDKey(priv.Public().(ed25519.PublicKey))
	require.NoError(t, err)
	require.Equal(t, keys.DemoIssuerDID, did)
	return s
}

// demoProfile is the demo issuer with the address the EU profile needs.
func demoProfile() badge.Profile {
	var p badge.Profile
	if err := json.Unmarshal([]byte(`{"id": "`+keys.DemoIssuerDID+`", "type": ["Profile"], "name": "Demo University",
		"address": {"type": ["Address"], "addressCountryCode": "FR", "addressRegion": "Occitanie"}}`), &p); err != nil {
		panic(err)
	}
	return p
}

// newEnv starts a service: demo key and registry, a status store in a
// temporary directory, one API key, quiet logs.
func newEnv(t testing.TB, o envOptions) *env {
	tt, _ := t.(*testing.T)
	e := &env{t: tt}
	signer := demoSigner(t)
	var err error
	cfg := vcapi.Config{
		APIKeys:    []string{testAPIKey},
		URLFetcher: o.urlFetcher,
		Logger:     testLogger(t),
	}
	if !o.noIssuer {
		e.issuer, err = badge.NewIssuer(signer, demoProfile(), badge.IssuerOptions{})
		require.NoError(t, err)
		e.store, err = status.OpenStore(context.Background(), status.StoreOptions{
			Dir: t.TempDir(), Signer: signer, Issuer: keys.DemoIssuerDID, BaseURL: statusBase,
		})
		require.NoError(t, err)
		t.Cleanup(func() { e.store.Close() })
		cfg.Issuer, cfg.Status = e.issuer, e.store
	}
	var sf fetch.Fetcher
	if e.store != nil {
		sf = vcapi.StatusFetcher(e.store, o.urlFetcher)
	}
	cfg.Verifier, err = badge.NewVerifier(badge.VerifierOptions{Registry: keys.DemoRegistry(), Fetcher: sf})
	require.NoError(t, err)
	if o.config != nil {
		o.config(&cfg)
	}
	e.api, err = vcapi.New(cfg)
	require.NoError(t, err)
	e.srv = httptest.NewServer(e.api)
	t.Cleanup(e.srv.Close)
	return e
}

// response is an answer of the service, checked against openapi.json.
type response struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

// do sends a request and checks the answer: never 500, and the body and
// status are what openapi.json documents for the operation.
func (e *env) do(method, path, contentType string, body []byte, header ...string) *response {
	t := e.t
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	r := &response{status: res.StatusCode, header: res.Header, body: b}
	require.NotEqual(t, http.StatusInternalServerError, res.StatusCode, "500 for %s %s: %s", method, path, b)
	if method != http.MethodHead && len(b) > 0 && strings.Contains(res.Header.Get("Content-Type"), "json") {
		_ = json.Unmarshal(b, &r.json)
	}
	checkOpenAPI(t, method, req.URL.Path, res.StatusCode, res.Header.Get("Content-Type"), b)
	return r
}

// post sends JSON with the API key.
func (e *env) post(path string, body any) *response {
	e.t.Helper()
	return e.do(http.MethodPost, path, "application/json", mustJSON(e.t, body), "Authorization", "Bearer "+testAPIKey)
}

func mustJSON(t testing.TB, v any) []byte {
	if b, ok := v.([]byte); ok {
		return b
	}
	if s, ok := v.(string); ok {
		return []byte(s)
	}
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// euCredential is a complete, unsigned EU micro-credential of the demo
// issuer without id and validFrom (the service fills them in).
func euCredential(t testing.TB) map[string]any {
	data, err := os.ReadFile("../docs/eu-profile/examples/blended-intensive-programme.json")
	require.NoError(t, err)
	data = bytes.ReplaceAll(data, []byte(`"https://beta-universite.example/"`), []byte(`"`+keys.DemoIssuerDID+`"`))
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	delete(m, "id")
	delete(m, "validFrom")
	m["issuer"] = map[string]any{"id": keys.DemoIssuerDID, "type": []any{"Profile"}, "name": "Demo University",
		"address": map[string]any{"type": []any{"Address"}, "addressCountryCode": "FR", "addressRegion": "Occitanie"}}
	return m
}

// issue issues cred (a fresh EU credential when nil) with options and
// returns the verifiableCredential member.
func (e *env) issue(cred map[string]any, options map[string]any) json.RawMessage {
	e.t.Helper()
	if cred == nil {
		cred = euCredential(e.t)
	}
	body := map[string]any{"credential": cred}
	if options != nil {
		body["options"] = options
	}
	r := e.post("/credentials/issue", body)
	require.Equal(e.t, http.StatusCreated, r.status, "%s", r.body)
	var out vcapi.IssueResponse
	require.NoError(e.t, json.Unmarshal(r.body, &out))
	return out.VerifiableCredential
}

// The OpenAPI document, compiled once, and its operations.
var (
	openAPIOnce sync.Once
	openAPIDoc  map[string]any
	openAPIComp *jsonschema.Compiler
	schemaCache sync.Map
)

const openAPIURL = "mem://vcapi/openapi.json"

func loadOpenAPI(t testing.TB) {
	openAPIOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(vcapi.OpenAPI()))
		if err != nil {
			panic(err)
		}
		openAPIDoc = doc.(map[string]any)
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		if err := c.AddResource(openAPIURL, doc); err != nil {
			panic(err)
		}
		openAPIComp = c
	})
}

// templatePath maps a request path to the openapi.json path template.
func templatePath(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) >= 2 && parts[0] == "status" {
		if len(parts) == 2 {
			return "/status/{list}"
		}
		if len(parts) == 3 {
			return "/status/{list}/{index}"
		}
	}
	return path
}

// checkOpenAPI fails t unless status is documented for the operation (a
// path openapi.json does not have must be a 404 or 405 problem) and body
// validates against the documented schema for its content type.
func checkOpenAPI(t testing.TB, method, path string, status int, contentType string, body []byte) {
	t.Helper()
	loadOpenAPI(t)
	paths := openAPIDoc["paths"].(map[string]any)
	tp := templatePath(path)
	var respPtr string
	item, ok := paths[tp].(map[string]any)
	op, opOK := map[string]any(nil), false
	if ok {
		m := strings.ToLower(method)
		if m == "head" {
			m = "get"
		}
		op, opOK = item[m].(map[string]any)
	}
	if !opOK {
		// Unknown endpoint or method: a problem document.
		require.Contains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, status, "%s %s undocumented but answered %d", method, path, status)
		respPtr = "/components/responses/Problem"
	} else {
		resps := op["responses"].(map[string]any)
		code := jsonNumberKey(status)
		resp, ok := resps[code].(map[string]any)
		require.True(t, ok, "%s %s answered %d, which openapi.json does not document", method, tp, status)
		respPtr = "/paths/" + jsonx.EscapeToken(tp) + "/" + strings.ToLower(method) + "/responses/" + code
		if ref, ok := resp["$ref"].(string); ok {
			respPtr = strings.TrimPrefix(ref, "#")
		}
	}
	if method == http.MethodHead || len(body) == 0 {
		return
	}
	resp := lookupPointer(openAPIDoc, respPtr).(map[string]any)
	content, _ := resp["content"].(map[string]any)
	mt := strings.TrimSpace(strings.Split(contentType, ";")[0])
	_, ok = content[mt]
	require.True(t, ok, "%s %s %d: Content-Type %q is not documented (have %v)", method, path, status, mt, keysOf(content))
	schemaURL := openAPIURL + "#" + respPtr + "/content/" + jsonx.EscapeToken(mt) + "/schema"
	var sch *jsonschema.Schema
	if v, ok := schemaCache.Load(schemaURL); ok {
		sch = v.(*jsonschema.Schema)
	} else {
		var err error
		sch, err = openAPIComp.Compile(schemaURL)
		require.NoError(t, err)
		schemaCache.Store(schemaURL, sch)
	}
	if !strings.Contains(mt, "json") {
		return
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	require.NoError(t, err, "%s %s: body is not JSON: %s", method, path, body)
	require.NoError(t, sch.Validate(inst), "%s %s %d: body does not match openapi.json: %s", method, path, status, body)
}

func jsonNumberKey(n int) string { return strconv.Itoa(n) }

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// lookupPointer resolves an RFC 6901 pointer in doc.
func lookupPointer(doc any, ptr string) any {
	cur := doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		cur = cur.(map[string]any)[tok]
	}
	return cur
}

// testLogger logs to t (set MICROCRED_TEST_LOG=1 to see request lines).
func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("MICROCRED_TEST_LOG") == "" {
		return slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return slog.New(slog.NewTextHandler(testWriter{t}, nil))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
