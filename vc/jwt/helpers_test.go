package jwt

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc"
)

const (
	testIssuer  = "https://issuer.example/issuers/1"
	testSubject = "did:example:learner"
)

var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// testCredential is an OB 3.0 AchievementCredential (VCDM 2.0).
func testCredential() map[string]any {
	return map[string]any{
		"@context": []any{
			vc.ContextV2,
			"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
		},
		"id":         "urn:uuid:2f1c6a1e-9d43-4c59-9b1e-0d3f8f2b1a77",
		"type":       []any{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":     map[string]any{"id": testIssuer, "type": []any{"Profile"}, "name": "Example University"},
		"validFrom":  "2026-01-01T00:00:00Z",
		"validUntil": "2030-01-01T00:00:00Z",
		"name":       "Example badge",
		"credentialSubject": map[string]any{
			"id":   testSubject,
			"type": []any{"AchievementSubject"},
			"achievement": map[string]any{
				"id":          "https://issuer.example/achievements/1",
				"type":        []any{"Achievement"},
				"name":        "Example achievement",
				"description": "Awarded for an example.",
				"criteria":    map[string]any{"narrative": "Do the example."},
			},
		},
	}
}

type testKey struct {
	name   string
	alg    keys.Algorithm
	signer *keys.KeySigner
}

var (
	keysOnce sync.Once
	allKeys  []testKey
	keyErr   error
)

// testKeys returns one key per default algorithm (generated once per run;
// RSA generation is slow).
func testKeys(t testing.TB) []testKey {
	t.Helper()
	keysOnce.Do(func() {
		ed, err := keys.Ed25519FromSeed(make([]byte, 32))
		if err != nil {
			keyErr = err
			return
		}
		p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			keyErr = err
			return
		}
		rk, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			keyErr = err
			return
		}
		for i, k := range []struct {
			name string
			alg  keys.Algorithm
			key  crypto.Signer
		}{{"EdDSA", keys.EdDSA, ed}, {"ES256", keys.ES256, p256}, {"RS256", keys.RS256, rk}} {
			s, err := keys.NewSigner(k.key, testIssuer+"#key-"+string(rune('1'+i)))
			if err != nil {
				keyErr = err
				return
			}
			allKeys = append(allKeys, testKey{k.name, k.alg, s})
		}
	})
	if keyErr != nil {
		t.Fatal(keyErr)
	}
	return allKeys
}

// pinned returns a resolver that knows the test keys as keys of testIssuer
// (listed under assertionMethod), plus extra methods.
func pinned(t testing.TB, extra ...*keys.VerificationMethod) *keys.KIDResolver {
	t.Helper()
	var vms []*keys.VerificationMethod
	for _, k := range testKeys(t) {
		vms = append(vms, &keys.VerificationMethod{
			ID:            k.signer.VerificationMethod(),
			Type:          keys.TypeJSONWebKey,
			Controller:    testIssuer,
			PublicKey:     k.signer.Public(),
			Relationships: []keys.Relationship{keys.AssertionMethod},
		})
	}
	vms = append(vms, extra...)
	st, err := keys.NewStaticResolver(vms...)
	if err != nil {
		t.Fatal(err)
	}
	return &keys.KIDResolver{Resolver: keys.Chain{st, keys.NewResolver(nil, nil)}}
}

func testSuite(t testing.TB, o Options) *Suite {
	if o.Resolver == nil {
		o.Resolver = pinned(t)
	}
	return New(o)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := vc.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// signRaw builds a compact JWS from any header and payload, signed by s
// (nil: the signature part is empty).
func signRaw(t testing.TB, hdr, payload any, s keys.Signer) []byte {
	t.Helper()
	var hb, pb []byte
	switch h := hdr.(type) {
	case string:
		hb = []byte(h)
	default:
		hb = mustJSON(t, h)
	}
	switch p := payload.(type) {
	case string:
		pb = []byte(p)
	default:
		pb = mustJSON(t, p)
	}
	in := b64(hb) + "." + b64(pb)
	sig := []byte{}
	if s != nil {
		var err error
		if sig, err = s.SignMessage(context.Background(), []byte(in)); err != nil {
			t.Fatal(err)
		}
	}
	return []byte(in + "." + b64(sig))
}

// parts decodes a token's header and payload.
func parts(t testing.TB, tok []byte) (map[string]any, map[string]any) {
	t.Helper()
	p := strings.Split(string(tok), ".")
	var h, c map[string]any
	for i, dst := range []*map[string]any{&h, &c} {
		b, err := base64.RawURLEncoding.DecodeString(p[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatal(err)
		}
	}
	return h, c
}

// wantKind checks that err is an *Error of kind want.
func wantKind(t *testing.T, err error, want error) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", want)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *jwt.Error", err, err)
	}
	if !errors.Is(err, want) {
		t.Fatalf("error %q, want kind %q", err, want)
	}
}
