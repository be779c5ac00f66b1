package keys

import (
	"github.com/microcred/microcred/internal/testserver"

	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/multibase"
)

func fetcherFor(s *testserver.Server, opts fetch.Options, allowed ...string) *fetch.HTTP {
	opts.AllowedHosts = allowed
	return fetch.NewHTTP(s.Client(), opts)
}

type obj = map[string]any

func testKeys(t *testing.T) (ed25519.PrivateKey, string, *ecdsa.PrivateKey, *JWK) {
	ed := ed25519.NewKeyFromSeed(make([]byte, 32))
	mk, _ := EncodeMultikey(ed.Public())
	p := mustP256(t)
	j, _ := PublicJWK(&p.PublicKey)
	return ed, mk, p, j
}

func TestRemoteResolvers(t *testing.T) {
	ctx := context.Background()
	s := testserver.New(t)
	ed, mk, p256, p256JWK := testKeys(t)
	ob3 := s.Base + "/issuers/565049"
	edRaw := multibase.EncodeBase58(ed.Public().(ed25519.PublicKey))

	// did:web at the root: Multikey declared once, referenced relatively.
	s.ServeJSON("/.well-known/did.json", obj{
		"@context": []any{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"},
		"id":       s.DIDWeb,
		"verificationMethod": []any{
			obj{"id": "#key-1", "type": "Multikey", "controller": s.DIDWeb, "publicKeyMultibase": mk},
			obj{"id": s.DIDWeb + "#key-2", "type": "Multikey", "controller": s.DIDWeb, "publicKeyMultibase": mk},
			obj{"id": s.DIDWeb + "#legacy", "type": "Ed25519VerificationKey2018", "controller": s.DIDWeb, "publicKeyBase58": edRaw},
		},
		"assertionMethod": []any{"#key-1", s.DIDWeb + "#legacy"},
		"authentication":  []any{s.DIDWeb + "#key-1", s.DIDWeb + "#key-2"},
	})
	// did:web with a path: a P-256 JsonWebKey embedded in assertionMethod.
	s.ServeJSON("/issuers/alice/did.json", obj{
		"id": s.DIDWeb + ":issuers:alice",
		"assertionMethod": []any{
			obj{"id": s.DIDWeb + ":issuers:alice#jwk", "type": "JsonWebKey", "controller": s.DIDWeb + ":issuers:alice", "publicKeyJwk": p256JWK},
		},
	})
	// An HTTPS controller document (OB 3.0 style: fragment = Multikey value).
	s.ServeJSON("/issuers/565049", obj{
		"id": ob3,
		"verificationMethod": []any{obj{
			"id": ob3 + "#" + mk, "type": "Ed25519VerificationKey2020", "controller": ob3, "publicKeyMultibase": mk,
		}},
		"assertionMethod": []any{ob3 + "#" + mk},
	})
	// A verification method URL without a fragment: the document's id is the URL.
	s.ServeJSON("/keys/1", obj{
		"id":                 s.Base + "/keys/1",
		"verificationMethod": []any{obj{"id": s.Base + "/keys/1", "type": "JsonWebKey2020", "controller": s.Base + "/keys/1", "publicKeyJwk": p256JWK}},
		"assertionMethod":    []any{"/keys/1"},
	})

	f := fetcherFor(s, fetch.Options{}, s.Host)
	r := NewResolver(f, nil)
	tests := []struct {
		vm         string
		controller string
		typ        string
		rels       []Relationship
		key        any
	}{
		{s.DIDWeb + "#key-1", s.DIDWeb, TypeMultikey, []Relationship{Authentication, AssertionMethod}, ed.Public()},
		{s.DIDWeb + "#key-2", s.DIDWeb, TypeMultikey, []Relationship{Authentication}, ed.Public()},
		{s.DIDWeb + "#legacy", s.DIDWeb, TypeEd25519VerificationKey2018, []Relationship{AssertionMethod}, ed.Public()},
		{s.DIDWeb + ":issuers:alice#jwk", s.DIDWeb + ":issuers:alice", TypeJSONWebKey, []Relationship{AssertionMethod}, &p256.PublicKey},
		{ob3 + "#" + mk, ob3, TypeEd25519VerificationKey2020, []Relationship{AssertionMethod}, ed.Public()},
		{s.Base + "/keys/1", s.Base + "/keys/1", TypeJSONWebKey2020, []Relationship{AssertionMethod}, &p256.PublicKey},
	}
	for _, tt := range tests {
		t.Run(tt.vm, func(t *testing.T) {
			vm, err := r.Resolve(ctx, tt.vm)
			if err != nil {
				t.Fatal(err)
			}
			if vm.ID != tt.vm || vm.Controller != tt.controller || vm.Type != tt.typ || fmt.Sprint(vm.Relationships) != fmt.Sprint(tt.rels) {
				t.Fatalf("got %+v", vm)
			}
			if !PublicKeysEqual(vm.PublicKey, tt.key) {
				t.Fatal("wrong key")
			}
			if (vm.Type == TypeJSONWebKey || vm.Type == TypeJSONWebKey2020) != (vm.JWK != nil) {
				t.Fatal("JWK set for a non-JWK method or missing")
			}
		})
	}
	// Documents are cached: resolving everything again costs no request.
	before := s.Hits.Load()
	for _, tt := range tests {
		if _, err := r.Resolve(ctx, tt.vm); err != nil {
			t.Fatal(err)
		}
	}
	if s.Hits.Load() != before {
		t.Fatalf("cache miss: %d more requests", s.Hits.Load()-before)
	}
}

func TestRemoteResolverHostile(t *testing.T) {
	ctx := context.Background()
	s := testserver.New(t)
	other := testserver.New(t)
	_, mk, _, p256JWK := testKeys(t)
	d := s.DIDWeb
	vm := func(id string, extra obj) obj {
		o := obj{"id": id, "type": "Multikey", "controller": d, "publicKeyMultibase": mk}
		for k, v := range extra {
			if v == nil {
				delete(o, k)
			} else {
				o[k] = v
			}
		}
		return o
	}
	doc := func(vms ...any) obj { return obj{"id": d, "verificationMethod": vms, "assertionMethod": []any{"#k"}} }
	serve := func(name string, v any) string {
		s.ServeJSON("/"+name+"/did.json", v)
		return d + ":" + name + "#k"
	}
	// The document id must be the DID of the path; rewrite id per route.
	withID := func(name string, v obj) obj {
		v["id"] = d + ":" + name
		for _, e := range v["verificationMethod"].([]any) {
			if m, ok := e.(obj); ok && m["controller"] == d {
				m["controller"] = d + ":" + name
			}
		}
		return v
	}
	deep := strings.Repeat("[", 200) + strings.Repeat("]", 200)

	s.Handle("/big/did.json", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"id":"` + d + `:big","pad":"`))
		w.Write([]byte(strings.Repeat("x", 2<<20)))
		w.Write([]byte(`"}`))
	})
	s.Handle("/redirect/did.json", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.Base+"/redirect/did.json", http.StatusFound)
	})
	s.Handle("/redirect-http/did.json", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+s.Host+"/x/did.json", http.StatusFound)
	})
	s.Handle("/status/did.json", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	other.ServeJSON("/redirect/did.json", obj{"id": d + ":redirect"})

	tests := []struct {
		name    string
		vm      string
		want    error
		wantMsg string
	}{
		{"oversized document", d + ":big#k", ErrTooLarge, ""},
		{"deep nesting", serve("deep", `{"id":"`+d+`:deep","x":`+deep+`}`), ErrInvalidJSON, "nesting deeper than 32"},
		{"duplicate keys", serve("dup", `{"id":"`+d+`:dup","id":"`+d+`:dup"}`), ErrInvalidJSON, "duplicate key"},
		{"not json", serve("notjson", `<html>`), ErrInvalidJSON, "controller document"},
		{"wrong document id", serve("wrongid", obj{"id": "did:web:evil.example", "verificationMethod": []any{vm("#k", nil)}}), ErrDocumentID, "did:web:evil.example"},
		{"document id missing", serve("noid", obj{"verificationMethod": []any{vm("#k", nil)}}), ErrDocumentID, ""},
		{"method not found", serve("notfound", withID("notfound", doc(vm("#other", nil)))), ErrNotFound, ""},
		{"controller mismatch", serve("ctrl", withID("ctrl", doc(vm("#k", obj{"controller": "did:web:evil.example"})))), ErrControllerMismatch, "/verificationMethod/0/controller"},
		{"controller missing", serve("noctrl", withID("noctrl", doc(vm("#k", obj{"controller": nil})))), ErrInvalidDocument, "no controller"},
		{"invalid key bytes", serve("badkey", withID("badkey", doc(vm("#k", obj{"publicKeyMultibase": "z6Mk0OIl"})))), ErrInvalidKey, "/verificationMethod/0/publicKeyMultibase"},
		{"wrong key length", serve("shortkey", withID("shortkey", doc(vm("#k", obj{"publicKeyMultibase": multibase.EncodeMultikey(multibase.Ed25519Pub, make([]byte, 31))})))), ErrInvalidKey, "31 bytes"},
		{"unsupported key type", serve("unsup", withID("unsup", doc(vm("#k", obj{"type": "EcdsaSecp256k1VerificationKey2019"})))), ErrUnsupportedKey, "EcdsaSecp256k1VerificationKey2019"},
		{"unsupported codec", serve("x25519", withID("x25519", doc(vm("#k", obj{"publicKeyMultibase": multibase.EncodeMultikey(multibase.X25519Pub, make([]byte, 32))})))), ErrUnsupportedKey, ""},
		{"Ed25519VerificationKey2020 with P-256", serve("edp256", withID("edp256", doc(vm("#k", obj{"type": "Ed25519VerificationKey2020", "publicKeyMultibase": "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"})))), ErrInvalidKey, ""},
		{"private JWK published", serve("privjwk", withID("privjwk", doc(obj{"id": "#k", "type": "JsonWebKey", "controller": d, "publicKeyJwk": obj{"kty": "EC", "crv": "P-256", "x": p256JWK.X, "y": p256JWK.Y, "d": p256JWK.X}}))), ErrInvalidDocument, "private key members"},
		{"secret multibase published", serve("privmb", withID("privmb", doc(vm("#k", obj{"secretKeyMultibase": "z3u2"})))), ErrInvalidDocument, "secretKeyMultibase"},
		{"JWK not an object", serve("jwkstr", withID("jwkstr", doc(obj{"id": "#k", "type": "JsonWebKey", "controller": d, "publicKeyJwk": "x"}))), ErrInvalidDocument, "publicKeyJwk is a string"},
		{"defined twice differently", serve("twice", withID("twice", obj{"verificationMethod": []any{vm("#k", nil)}, "assertionMethod": []any{obj{"id": "#k", "type": "Multikey", "controller": d + ":twice", "publicKeyMultibase": "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"}}})), ErrInvalidDocument, "differently at /assertionMethod/0"},
		{"relationship not an array", serve("relobj", withID("relobj", obj{"verificationMethod": []any{vm("#k", nil)}, "assertionMethod": "#k"})), ErrInvalidDocument, "/assertionMethod is a string"},
		{"relationship entry a number", serve("relnum", withID("relnum", obj{"verificationMethod": []any{vm("#k", nil)}, "assertionMethod": []any{1}})), ErrInvalidDocument, "/assertionMethod/0 is a number"},
		{"verificationMethod entry a string", serve("vmstr", withID("vmstr", obj{"verificationMethod": []any{"#k"}})), ErrInvalidDocument, "/verificationMethod/0"},
		{"type missing", serve("notype", withID("notype", doc(vm("#k", obj{"type": nil})))), ErrInvalidDocument, "no type"},
		{"HTTP error status", d + ":status#k", ErrHTTPStatus, "410"},
		{"no such document", d + ":missing#k", ErrHTTPStatus, "404"},
		{"redirect to another host", d + ":redirect#k", ErrHostNotAllowed, "redirect"},
		{"redirect to http", d + ":redirect-http#k", ErrNotHTTPS, ""},
		{"host not allowed", "did:web:example.com#k", ErrHostNotAllowed, "example.com"},
		{"http URL", "http://" + s.Host + "/issuer#k", ErrUnsupportedMethod, ""},
		{"did:web with query", d + "?versionId=1#k", ErrInvalidURL, ""},
		{"did:web path traversal", d + ":..#k", ErrInvalidURL, ""},
		{"did:web encoded slash", d + ":a%2Fb#k", ErrInvalidURL, ""},
		{"https with userinfo", "https://user@" + s.Host + "/issuer#k", ErrInvalidURL, ""},
	}
	f := fetcherFor(s, fetch.Options{}, s.Host)
	r := NewResolver(f, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Resolve(ctx, tt.vm)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.wantMsg)
			}
			var re *ResolutionError
			if !errors.As(err, &re) || re.VM != tt.vm {
				t.Fatalf("not a ResolutionError for %q: %v", tt.vm, err)
			}
		})
	}
	if other.Hits.Load() != 0 {
		t.Fatalf("the non-allowed host was contacted %d times", other.Hits.Load())
	}

	// An empty allow-list allows nothing, not even the server itself.
	none := NewResolver(fetcherFor(s, fetch.Options{}), nil)
	if _, err := none.Resolve(ctx, d+"#k"); !errors.Is(err, ErrHostNotAllowed) {
		t.Fatalf("empty allow-list: err = %v", err)
	}
}

func TestDIDWebURL(t *testing.T) {
	tests := []struct{ did, url string }{
		{"did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"},
		{"did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"},
		{"did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"},
		{"did:web:example.com%3a3000:user:alice", "https://example.com:3000/user/alice/did.json"},
		{"did:web:127.0.0.1%3A8443", "https://127.0.0.1:8443/.well-known/did.json"},
		{"did:web:dc.1edtech.org:wellspring-portal", "https://dc.1edtech.org/wellspring-portal/did.json"},
		{"did:web:example.com:a_b.c-d:%41", "https://example.com/a_b.c-d/%41/did.json"},
	}
	for _, tt := range tests {
		got, err := DIDWebURL(tt.did)
		if err != nil || got != tt.url {
			t.Errorf("DIDWebURL(%q) = %q, %v; want %q", tt.did, got, err, tt.url)
		}
	}
	for _, bad := range []string{
		"did:web:", "did:key:z6Mk", "did:web:example.com#k", "did:web:example.com?x", "did:web:example.com/x",
		"did:web:example.com::x", "did:web:example.com:", "did:web:example.com:..", "did:web:example.com:%2e%2e",
		"did:web:example.com:%2F", "did:web:example.com:%5c", "did:web:example.com:a%", "did:web:example.com:a%zz",
		"did:web:example.com%3A", "did:web:example.com%3A0", "did:web:example.com%3A99999", "did:web:example.com%3A08",
		"did:web:exa_mple.com", "did:web:-example.com", "did:web:example..com", "did:web:user@example.com",
		"did:web:example.com:a b", "did:web:%65xample.com", "did:web:[::1]", "did:web:" + strings.Repeat("a", 64) + ".com",
	} {
		if got, err := DIDWebURL(bad); !errors.Is(err, ErrInvalidURL) {
			t.Errorf("DIDWebURL(%q) = %q, %v; want ErrInvalidURL", bad, got, err)
		}
	}
}

func TestJWKSAndKID(t *testing.T) {
	ctx := context.Background()
	s := testserver.New(t)
	ed, mk, p256, p256JWK := testKeys(t)
	edJWK, _ := PublicJWK(ed.Public())
	edJWK.Kid = "ed-1"
	p := *p256JWK
	p.Kid = "p-1"
	p.Use = "sig"
	enc := *p256JWK
	enc.Kid = "enc-1"
	enc.Use = "enc"
	s.ServeJSON("/.well-known/jwks.json", obj{"keys": []any{edJWK, &p, &enc}})
	issuer := s.Base + "/issuers/1"
	s.ServeJSON("/issuers/1", obj{
		"id":              issuer,
		"assertionMethod": []any{obj{"id": "#key-1", "type": "Multikey", "controller": issuer, "publicKeyMultibase": mk}},
	})
	s.ServeJSON("/.well-known/did.json", obj{
		"id":              s.DIDWeb,
		"assertionMethod": []any{obj{"id": "#key-1", "type": "Multikey", "controller": s.DIDWeb, "publicKeyMultibase": mk}},
	})
	f := fetcherFor(s, fetch.Options{}, s.Host)
	kr := &KIDResolver{Resolver: NewResolver(f, nil), JWKS: &JWKSResolver{Fetcher: f}}
	did, _ := DIDKey(ed.Public())
	tests := []struct {
		issuer, kid string
		wantID      string
		wantKey     any
	}{
		{issuer, "ed-1", "ed-1", ed.Public()},
		{issuer, "p-1", "p-1", &p256.PublicKey},
		{issuer, "#key-1", issuer + "#key-1", ed.Public()},
		{issuer, issuer + "#key-1", issuer + "#key-1", ed.Public()},
		{s.DIDWeb, "#key-1", s.DIDWeb + "#key-1", ed.Public()},
		{s.DIDWeb, "key-1", s.DIDWeb + "#key-1", ed.Public()},
		{s.DIDWeb, s.DIDWeb + "#key-1", s.DIDWeb + "#key-1", ed.Public()},
		{did, "", did + "#" + mk, ed.Public()},
		{did, did + "#" + mk, did + "#" + mk, ed.Public()},
	}
	for _, tt := range tests {
		vm, err := kr.ResolveKID(ctx, tt.issuer, tt.kid)
		if err != nil {
			t.Errorf("ResolveKID(%q, %q): %v", tt.issuer, tt.kid, err)
			continue
		}
		if vm.ID != tt.wantID || !PublicKeysEqual(vm.PublicKey, tt.wantKey) || !vm.Has(AssertionMethod) {
			t.Errorf("ResolveKID(%q, %q) = %+v", tt.issuer, tt.kid, vm)
		}
		if vm.Controller != tt.issuer && !strings.HasPrefix(tt.issuer, "did:key:") {
			t.Errorf("controller %q, issuer %q", vm.Controller, tt.issuer)
		}
	}
	for _, tt := range []struct {
		issuer, kid string
		want        error
	}{
		{issuer, "enc-1", ErrNotFound},
		{issuer, "nope", ErrNotFound},
		{issuer, "", ErrNotFound},
		{s.DIDWeb, "", ErrNotFound},
		{"http://x.example", "k", ErrInvalidURL},
	} {
		if _, err := kr.ResolveKID(ctx, tt.issuer, tt.kid); !errors.Is(err, tt.want) {
			t.Errorf("ResolveKID(%q, %q) err = %v, want %v", tt.issuer, tt.kid, err, tt.want)
		}
	}
	if _, err := (&KIDResolver{Resolver: NewResolver(nil, nil)}).ResolveKID(ctx, issuer, "k"); !errors.Is(err, ErrUnsupportedMethod) {
		t.Errorf("no JWKS resolver: err = %v", err)
	}
	if _, err := (&KIDResolver{}).ResolveKID(ctx, issuer, "k"); !errors.Is(err, ErrUnsupportedMethod) {
		t.Errorf("no resolver: err = %v", err)
	}
	if _, err := (&JWKSResolver{}).ResolveKID(ctx, issuer, "k"); !errors.Is(err, ErrNetworkDisabled) {
		t.Errorf("no fetcher: err = %v", err)
	}

	// FindJWK on hostile sets.
	priv, _ := PrivateJWK(ed)
	privJSON, _ := json.Marshal(priv)
	for _, tt := range []struct {
		set  string
		want error
	}{
		{`{"keys":{}}`, ErrInvalidDocument},
		{`{}`, ErrInvalidDocument},
		{`{"keys":[1]}`, ErrInvalidDocument},
		{`{"keys":[` + string(privJSON) + `]}`, ErrInvalidDocument},
		{`{"keys":[{"kty":"OKP","kid":"a"},{"kty":"OKP","kid":"a"}]}`, ErrInvalidDocument},
		{`{"keys":[{"kid":"a"}]}`, ErrInvalidKey},
		{`{"keys":[],"keys":[]}`, ErrInvalidJSON},
	} {
		if _, err := FindJWK([]byte(tt.set), "a"); !errors.Is(err, tt.want) {
			t.Errorf("FindJWK(%s) err = %v, want %v", tt.set, err, tt.want)
		}
	}
}

// mapFetcher is a Fetcher over a map, for tests and fuzzing without TLS.
type mapFetcher map[string]string

func (m mapFetcher) Fetch(ctx context.Context, u string) ([]byte, error) {
	if b, ok := m[u]; ok {
		return []byte(b), nil
	}
	return nil, &FetchError{URL: u, StatusCode: 404, Err: ErrHTTPStatus}
}

func TestCustomFetcher(t *testing.T) {
	_, mk, _, _ := testKeys(t)
	f := mapFetcher{"https://example.com/.well-known/did.json": `{"id":"did:web:example.com","assertionMethod":[{"id":"#a","type":"Multikey","controller":"did:web:example.com","publicKeyMultibase":"` + mk + `"}]}`}
	vm, err := NewResolver(f, nil).Resolve(context.Background(), "did:web:example.com#a")
	if err != nil || !vm.Has(AssertionMethod) {
		t.Fatalf("%+v, %v", vm, err)
	}
}
