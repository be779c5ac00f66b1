package jwt

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
)

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, profile := range []Profile{VCJWT, VCJOSE} {
		for _, k := range testKeys(t) {
			t.Run(profile.String()+"/"+k.name, func(t *testing.T) {
				s := testSuite(t, Options{Profile: profile})
				tok, err := s.Seal(ctx, testCredential(), vc.ProofOptions{Signer: k.signer})
				if err != nil {
					t.Fatal(err)
				}
				h, c := parts(t, tok)
				wantTyp := TypJWT
				if profile == VCJOSE {
					wantTyp = TypVCJWT
					if h["cty"] != CtyVC {
						t.Errorf("cty = %v", h["cty"])
					}
				}
				if h["alg"] != string(k.alg) || h["typ"] != wantTyp || h["kid"] != k.signer.VerificationMethod() {
					t.Errorf("header = %v", h)
				}
				if _, ok := h["jwk"]; ok {
					t.Errorf("jwk in header without EmbedJWK: %v", h)
				}
				if c["iss"] != testIssuer || c["sub"] != testSubject || c["jti"] != testCredential()["id"] ||
					c["nbf"] != float64(1767225600) || c["exp"] != float64(1893456000) {
					t.Errorf("claims = iss %v sub %v jti %v nbf %v exp %v", c["iss"], c["sub"], c["jti"], c["nbf"], c["exp"])
				}
				if c["@context"] == nil || c["credentialSubject"] == nil {
					t.Errorf("payload is not the credential: %v", c)
				}
				cred, res, err := s.Open(ctx, tok, vc.VerifyProofOptions{Now: testNow})
				if err != nil {
					t.Fatalf("Open: %v (result %+v)", err, res)
				}
				if res.VerificationMethod != k.signer.VerificationMethod() || res.Controller != testIssuer ||
					res.Details["alg"] != string(k.alg) || res.Details["signature"] != "valid" || res.Suite != profile.String() {
					t.Errorf("result = %+v", res)
				}
				if cred.ID() != testCredential()["id"] {
					t.Errorf("credential id = %q", cred.ID())
				}
				for _, claim := range registered {
					if _, ok := cred.Map()[claim]; ok {
						t.Errorf("returned credential keeps JWT claim %q", claim)
					}
				}
				if err := cred.Validate(); err != nil {
					t.Errorf("returned credential: %v", err)
				}
			})
		}
	}
}

// TestDIDKeyIssuer: an issuer that is a did:key needs no pinned key; with
// no kid at all the issuer's one key is used.
func TestDIDKeyIssuer(t *testing.T) {
	ctx := context.Background()
	ed := testKeys(t)[0].signer
	did, err := keys.DIDKey(ed.Public())
	if err != nil {
		t.Fatal(err)
	}
	vm, _ := keys.DIDKeyURL(ed.Public())
	doc := testCredential()
	doc["issuer"] = map[string]any{"id": did, "type": []any{"Profile"}, "name": "DID issuer"}
	s := New(Options{}) // default resolver: did:key, did:jwk
	for _, kid := range []string{vm, ""} {
		tok := signRaw(t, map[string]any{"alg": "EdDSA", "typ": "JWT", "kid": kid}, mustPayload(t, doc), ed)
		if kid == "" {
			tok = signRaw(t, map[string]any{"alg": "EdDSA", "typ": "JWT"}, mustPayload(t, doc), ed)
		}
		_, res, err := s.Open(ctx, tok, vc.VerifyProofOptions{Now: testNow})
		if err != nil {
			t.Fatalf("kid %q: %v", kid, err)
		}
		if res.Controller != did || res.VerificationMethod != vm {
			t.Errorf("kid %q: result %+v", kid, res)
		}
	}
}

// mustPayload is the OB 3.0 VC-JWT payload of doc as Seal makes it.
func mustPayload(t testing.TB, doc map[string]any) map[string]any {
	t.Helper()
	cred, err := vc.FromDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	iss, _ := cred.Issuer()
	p := vc.CopyDocument(doc)
	p["iss"] = iss.ID
	p["jti"] = cred.ID()
	p["sub"] = testSubject
	if f, ok, _ := cred.ValidFrom(); ok {
		p["nbf"] = f.Unix()
	}
	if u, ok, _ := cred.ValidUntil(); ok {
		p["exp"] = u.Unix()
	}
	return p
}

// TestVC11Token reads a VCDM 1.1-era token whose credential is in the vc
// claim, with registered claims standing in for omitted properties.
func TestVC11Token(t *testing.T) {
	k := testKeys(t)[2] // RS256, as OB 3.0 requires
	cred11 := map[string]any{
		"@context":          []any{vc.ContextV1, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"type":              []any{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":            map[string]any{"id": testIssuer, "type": []any{"Profile"}},
		"credentialSubject": map[string]any{"type": []any{"AchievementSubject"}},
	}
	payload := map[string]any{
		"vc": cred11, "iss": testIssuer, "jti": "urn:uuid:1", "sub": testSubject,
		"nbf": 1767225600, "exp": 1893456000,
	}
	tok := signRaw(t, map[string]any{"alg": "RS256", "typ": "JWT", "kid": k.signer.VerificationMethod()}, payload, k.signer)
	cred, _, err := testSuite(t, Options{}).Open(context.Background(), tok, vc.VerifyProofOptions{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	m := cred.Map()
	if cred.ID() != "urn:uuid:1" || m["issuanceDate"] != "2026-01-01T00:00:00Z" || m["expirationDate"] != "2030-01-01T00:00:00Z" {
		t.Errorf("credential = %v", m)
	}
	if subs, _ := cred.Subjects(); len(subs) != 1 || subs[0].ID != testSubject {
		t.Errorf("subjects = %v", subs)
	}
	// A vc claim in a vc+jwt token is an error (VC-JOSE-COSE §3.1.1).
	tok = signRaw(t, map[string]any{"alg": "RS256", "typ": "vc+jwt", "kid": k.signer.VerificationMethod()}, payload, k.signer)
	_, _, err = testSuite(t, Options{}).Open(context.Background(), tok, vc.VerifyProofOptions{Now: testNow})
	wantKind(t, err, ErrCredential)
}

func TestTampering(t *testing.T) {
	ctx := context.Background()
	ks := testKeys(t)
	ed, p256, rsaKey := ks[0].signer, ks[1].signer, ks[2].signer
	kidEd := ed.VerificationMethod()
	hdr := func(alg, kid string) map[string]any { return map[string]any{"alg": alg, "typ": "JWT", "kid": kid} }
	good := mustPayload(t, testCredential())
	with := func(k string, v any) map[string]any {
		p := maps.Clone(good)
		if v == nil {
			delete(p, k)
		} else {
			p[k] = v
		}
		return p
	}
	// A key of another issuer, resolvable.
	other, _ := keys.Ed25519FromSeed([]byte(strings.Repeat("o", 32)))
	otherVM := &keys.VerificationMethod{
		ID: "https://other.example/issuer#key-1", Type: keys.TypeMultikey, Controller: "https://other.example/issuer",
		PublicKey: other.Public(), Relationships: []keys.Relationship{keys.AssertionMethod},
	}
	otherSigner, _ := keys.NewSigner(other, otherVM.ID)
	// A key of the issuer that is not for assertions.
	authVM := &keys.VerificationMethod{
		ID: testIssuer + "#auth", Type: keys.TypeMultikey, Controller: testIssuer,
		PublicKey: other.Public(), Relationships: []keys.Relationship{keys.Authentication},
	}
	authSigner, _ := keys.NewSigner(other, authVM.ID)
	res := pinned(t, otherVM, authVM)

	goodTok := signRaw(t, hdr("EdDSA", kidEd), good, ed)
	p := strings.Split(string(goodTok), ".")

	// HMAC keyed with the issuer's public key, the classic confusion.
	der, _ := x509.MarshalPKIXPublicKey(rsaKey.Public())
	hsIn := b64(mustJSON(t, hdr("HS256", rsaKey.VerificationMethod()))) + "." + p[1]
	mac := hmac.New(sha256.New, der)
	mac.Write([]byte(hsIn))
	hsTok := hsIn + "." + b64(mac.Sum(nil))

	changed := maps.Clone(good)
	changed["name"] = "Forged badge"
	privJWK, _ := keys.PrivateJWK(ed.Key())
	pubJWK, _ := keys.PublicJWK(ed.Public())

	tests := []struct {
		name  string
		tok   []byte
		opts  Options
		now   string
		want  error
		claim string
	}{
		{"payload changed", []byte(p[0] + "." + b64(mustJSON(t, changed)) + "." + p[2]), Options{}, "", ErrSignature, ""},
		{"signature changed", []byte(p[0] + "." + p[1] + "." + b64(make([]byte, 64))), Options{}, "", ErrSignature, ""},
		{"alg swapped to HS256 with the public key as secret", []byte(hsTok), Options{}, "", ErrAlgorithm, "alg"},
		{"HS256 even when listed", []byte(hsTok), Options{Algorithms: []keys.Algorithm{"HS256", keys.RS256}}, "", ErrAlgorithm, "alg"},
		{"alg none", signRaw(t, map[string]any{"alg": "none", "typ": "JWT"}, good, nil), Options{}, "", ErrAlgorithm, "alg"},
		{"alg none with kid", signRaw(t, hdr("none", kidEd), good, nil), Options{}, "", ErrAlgorithm, "alg"},
		{"alg not on the allow-list", goodTok, Options{Algorithms: []keys.Algorithm{keys.RS256}}, "", ErrAlgorithm, "alg"},
		{"alg that does not fit the key", signRaw(t, hdr("ES256", kidEd), good, p256), Options{}, "", ErrAlgorithm, "alg"},
		{"RS256 header on an Ed25519 key", signRaw(t, hdr("RS256", kidEd), good, rsaKey), Options{}, "", ErrAlgorithm, "alg"},
		{"iss mismatch", signRaw(t, hdr("EdDSA", kidEd), with("iss", "https://evil.example/"), ed), Options{}, "", ErrClaimMismatch, "iss"},
		{"jti mismatch", signRaw(t, hdr("EdDSA", kidEd), with("jti", "urn:uuid:other"), ed), Options{}, "", ErrClaimMismatch, "jti"},
		{"sub mismatch", signRaw(t, hdr("EdDSA", kidEd), with("sub", "did:example:someone-else"), ed), Options{}, "", ErrClaimMismatch, "sub"},
		{"nbf mismatch", signRaw(t, hdr("EdDSA", kidEd), with("nbf", 1), ed), Options{}, "", ErrClaimMismatch, "nbf"},
		{"exp mismatch", signRaw(t, hdr("EdDSA", kidEd), with("exp", 4102444800), ed), Options{}, "", ErrClaimMismatch, "exp"},
		{"nbf not a number", signRaw(t, hdr("EdDSA", kidEd), with("nbf", "2026-01-01T00:00:00Z"), ed), Options{}, "", ErrMalformed, "nbf"},
		{"expired", goodTok, Options{}, "2030-01-01T00:01:01Z", ErrExpired, "exp"},
		{"expired, skew disabled", goodTok, Options{Skew: -1}, "2030-01-01T00:00:00Z", ErrExpired, "exp"},
		{"not yet valid", goodTok, Options{}, "2025-12-31T23:00:00Z", ErrNotYetValid, "nbf"},
		{"jwk with d", signRaw(t, map[string]any{"alg": "EdDSA", "typ": "JWT", "jwk": privJWK}, good, ed), Options{}, "", ErrPrivateKey, "jwk"},
		{"jwk alone, no JWKCheck", signRaw(t, map[string]any{"alg": "EdDSA", "typ": "JWT", "jwk": pubJWK}, good, ed), Options{}, "", ErrUntrustedKey, "jwk"},
		{"jwk refused by JWKCheck", signRaw(t, map[string]any{"alg": "EdDSA", "typ": "JWT", "jwk": pubJWK}, good, ed),
			Options{JWKCheck: func(context.Context, string, *keys.JWK) error { return errors.New("not in JWKS") }}, "", ErrUntrustedKey, "jwk"},
		{"jwk is not the key kid names", signRaw(t, map[string]any{"alg": "EdDSA", "typ": "JWT", "kid": p256.VerificationMethod(), "jwk": pubJWK}, good, ed), Options{}, "", ErrKeyNotIssuer, "jwk"},
		{"kid of another key of the issuer", signRaw(t, hdr("EdDSA", kidEd), good, otherSigner), Options{}, "", ErrSignature, ""},
		{"kid of another issuer", signRaw(t, hdr("EdDSA", otherVM.ID), good, otherSigner), Options{}, "", ErrKeyNotIssuer, "kid"},
		{"kid not under assertionMethod", signRaw(t, hdr("EdDSA", authVM.ID), good, authSigner), Options{}, "", ErrKeyNotIssuer, "kid"},
		{"kid unknown", signRaw(t, hdr("EdDSA", testIssuer+"#nope"), good, ed), Options{}, "", ErrKeyResolution, "kid"},
		{"no kid, no jwk, HTTPS issuer", signRaw(t, map[string]any{"alg": "EdDSA", "typ": "JWT"}, good, ed), Options{}, "", ErrNoKey, "kid"},
		{"crit", signRaw(t, map[string]any{"alg": "EdDSA", "typ": "JWT", "kid": kidEd, "crit": []any{"exp"}, "exp": 1}, good, ed), Options{}, "", ErrCritical, "crit"},
		{"crit b64", signRaw(t, map[string]any{"alg": "EdDSA", "kid": kidEd, "crit": []any{"b64"}, "b64": false}, good, ed), Options{}, "", ErrCritical, "crit"},
		{"unknown typ", signRaw(t, map[string]any{"alg": "EdDSA", "typ": "at+jwt", "kid": kidEd}, good, ed), Options{}, "", ErrMediaType, "typ"},
		{"vc+jwt with bad cty", signRaw(t, map[string]any{"alg": "EdDSA", "typ": "vc+jwt", "cty": "json", "kid": kidEd}, good, ed), Options{}, "", ErrMediaType, "cty"},
		{"duplicate alg in header", signRaw(t, `{"alg":"EdDSA","alg":"none","kid":"`+kidEd+`"}`, good, ed), Options{}, "", ErrMalformed, ""},
		{"header not JSON", signRaw(t, `{"alg":`, good, ed), Options{}, "", ErrMalformed, ""},
		{"alg not a string", signRaw(t, `{"alg":1}`, good, ed), Options{}, "", ErrMalformed, "alg"},
		{"payload not a credential", signRaw(t, hdr("EdDSA", kidEd), map[string]any{"iss": testIssuer}, ed), Options{}, "", ErrCredential, ""},
		{"payload is a presentation", signRaw(t, hdr("EdDSA", kidEd), map[string]any{"vp": map[string]any{}}, ed), Options{}, "", ErrCredential, "vp"},
		{"two parts", []byte(p[0] + "." + p[1]), Options{}, "", ErrMalformed, ""},
		{"JSON serialization", []byte(`{"payload":"` + p[1] + `","protected":"` + p[0] + `","signature":"` + p[2] + `"}`), Options{}, "", ErrMalformed, ""},
		{"padded base64", []byte(p[0] + "=." + p[1] + "." + p[2]), Options{}, "", ErrMalformed, ""},
		{"too large", append(append([]byte(p[0]+"."), make([]byte, MaxTokenBytes)...), '.'), Options{}, "", ErrTooLarge, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts
			o.Resolver = res
			now := testNow
			if tc.now != "" {
				var err error
				if now, err = vc.ParseDateTime(tc.now, true); err != nil {
					t.Fatal(err)
				}
			}
			_, r, err := New(o).Open(ctx, tc.tok, vc.VerifyProofOptions{Now: now})
			wantKind(t, err, tc.want)
			var e *Error
			errors.As(err, &e)
			if e.Claim != tc.claim {
				t.Errorf("claim = %q, want %q (%v)", e.Claim, tc.claim, err)
			}
			if r == nil {
				t.Error("nil result")
			}
		})
	}
	// The control: the untampered token verifies.
	if _, _, err := New(Options{Resolver: res}).Open(ctx, goodTok, vc.VerifyProofOptions{Now: testNow}); err != nil {
		t.Fatal(err)
	}
}

// TestHeaderJWK: a header jwk alone gives a checked signature but unknown
// provenance; JWKCheck accepting the key makes it a key of the issuer.
func TestHeaderJWK(t *testing.T) {
	ctx := context.Background()
	for _, k := range testKeys(t) {
		t.Run(k.name, func(t *testing.T) {
			noKid := k.signer.WithVerificationMethod("")
			tok, err := New(Options{}).Seal(ctx, testCredential(), vc.ProofOptions{Signer: noKid})
			if err != nil {
				t.Fatal(err)
			}
			h, _ := parts(t, tok)
			jm, _ := h["jwk"].(map[string]any)
			if jm == nil || jm["d"] != nil || h["kid"] != nil {
				t.Fatalf("header = %v", h)
			}
			cred, res, err := New(Options{}).Open(ctx, tok, vc.VerifyProofOptions{Now: testNow})
			wantKind(t, err, ErrUntrustedKey)
			if cred == nil || res.Details["signature"] != "valid" || res.Details["keyProvenance"] != "unknown" || res.Controller != "" {
				t.Errorf("untrusted: cred %v, result %+v", cred != nil, res)
			}
			want, _ := keys.Thumbprint(k.signer.Public())
			var gotIssuer string
			check := func(_ context.Context, issuer string, j *keys.JWK) error {
				gotIssuer = issuer
				if tp, _ := j.Thumbprint(); tp != want {
					return errors.New("unknown key")
				}
				return nil
			}
			_, res, err = New(Options{JWKCheck: check}).Open(ctx, tok, vc.VerifyProofOptions{Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			if gotIssuer != testIssuer || res.Controller != testIssuer ||
				res.VerificationMethod != "urn:ietf:params:oauth:jwk-thumbprint:sha-256:"+want {
				t.Errorf("result %+v, check saw issuer %q", res, gotIssuer)
			}
		})
	}
}

func TestSealErrors(t *testing.T) {
	ctx := context.Background()
	k := testKeys(t)[0].signer
	if _, err := New(Options{}).Seal(ctx, testCredential(), vc.ProofOptions{}); !errors.Is(err, ErrSigner) {
		t.Errorf("no signer: %v", err)
	}
	if _, err := New(Options{Algorithms: []keys.Algorithm{keys.RS256}}).Seal(ctx, testCredential(), vc.ProofOptions{Signer: k}); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("alg not allowed: %v", err)
	}
	doc := testCredential()
	delete(doc, "issuer")
	if _, err := New(Options{}).Seal(ctx, doc, vc.ProofOptions{Signer: k}); !errors.Is(err, ErrCredential) {
		t.Errorf("no issuer: %v", err)
	}
	doc = testCredential()
	doc["vc"] = "x"
	if _, err := New(Options{}).Seal(ctx, doc, vc.ProofOptions{Signer: k}); !errors.Is(err, ErrCredential) {
		t.Errorf("vc member: %v", err)
	}
	// Seal does not modify its input.
	doc = testCredential()
	if _, err := New(Options{}).Seal(ctx, doc, vc.ProofOptions{Signer: k}); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc["iss"]; ok {
		t.Error("Seal modified doc")
	}
}

func TestBindingAndPurpose(t *testing.T) {
	ctx := context.Background()
	k := testKeys(t)[1].signer
	s := testSuite(t, Options{})
	tok, err := s.Seal(ctx, testCredential(), vc.ProofOptions{Signer: k, Challenge: "c-1", Domain: []string{"https://verifier.example"}})
	if err != nil {
		t.Fatal(err)
	}
	_, c := parts(t, tok)
	if c["nonce"] != "c-1" || c["aud"] != "https://verifier.example" {
		t.Fatalf("claims nonce %v aud %v", c["nonce"], c["aud"])
	}
	ok := vc.VerifyProofOptions{Now: testNow, Challenge: "c-1", Domain: "https://verifier.example"}
	cred, _, err := s.Open(ctx, tok, ok)
	if err != nil {
		t.Fatal(err)
	}
	if _, has := cred.Map()["nonce"]; has {
		t.Error("nonce left in the credential")
	}
	bad := ok
	bad.Challenge = "c-2"
	_, _, err = s.Open(ctx, tok, bad)
	wantKind(t, err, ErrClaimMismatch)
	bad = ok
	bad.Domain = "https://other.example"
	_, _, err = s.Open(ctx, tok, bad)
	wantKind(t, err, ErrClaimMismatch)
	// The pinned keys are listed under assertionMethod only.
	_, _, err = s.Open(ctx, tok, vc.VerifyProofOptions{Now: testNow, ExpectedPurpose: "authentication"})
	wantKind(t, err, ErrKeyNotIssuer)
	// A jti without a credential id is a mismatch too.
	doc := testCredential()
	delete(doc, "id")
	p := mustPayload(t, doc)
	p["jti"] = "urn:uuid:x"
	tok = signRaw(t, map[string]any{"alg": "ES256", "typ": "JWT", "kid": k.VerificationMethod()}, p, k)
	_, _, err = s.Open(ctx, tok, vc.VerifyProofOptions{Now: testNow})
	wantKind(t, err, ErrClaimMismatch)
}
