package keys

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func unmarshalTestdata(t testing.TB, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(readTestdata(t, name), v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func hexBytes(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGenerateEd25519(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, 32)
	k1, err := GenerateEd25519(bytes.NewReader(seed))
	if err != nil {
		t.Fatal(err)
	}
	k2, err := Ed25519FromSeed(seed)
	if err != nil {
		t.Fatal(err)
	}
	if !k1.Equal(k2) {
		t.Fatal("GenerateEd25519 from a reader and Ed25519FromSeed disagree")
	}
	if _, err := GenerateEd25519(bytes.NewReader(seed[:31])); err == nil {
		t.Fatal("short reader: want error")
	}
	k3, err := GenerateEd25519(nil)
	if err != nil || len(k3) != ed25519.PrivateKeySize || k3.Equal(k1) {
		t.Fatalf("GenerateEd25519(nil) = %x, %v", k3, err)
	}
	if _, err := Ed25519FromSeed(make([]byte, 33)); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("33-byte seed: err = %v", err)
	}
}

func TestRFC8037(t *testing.T) {
	var v struct {
		JWK        json.RawMessage `json:"jwk"`
		Thumbprint string          `json:"thumbprint_sha256"`
		Protected  string          `json:"protected"`
		Payload    string          `json:"payload"`
		Compact    string          `json:"compact"`
	}
	unmarshalTestdata(t, "rfc8037-appendix-a.json", &v)
	j, err := ParseJWK(v.JWK)
	if err != nil {
		t.Fatal(err)
	}
	// A.2: thumbprint.
	tp, err := j.Thumbprint()
	if err != nil || tp != v.Thumbprint {
		t.Fatalf("thumbprint = %q, %v; want %q", tp, err, v.Thumbprint)
	}
	// A.1: the private key's public half is x.
	priv, err := j.PrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := j.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	if !PublicKeysEqual(priv.Public(), pub) {
		t.Fatal("d does not give x")
	}
	// A.4: EdDSA over the JWS signing input reproduces the compact JWS.
	s, err := NewSigner(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(v.Protected)) + "." + enc.EncodeToString([]byte(v.Payload))
	sig, err := s.SignMessage(context.Background(), []byte(input))
	if err != nil {
		t.Fatal(err)
	}
	if got := input + "." + enc.EncodeToString(sig); got != v.Compact {
		t.Fatalf("compact JWS = %s\nwant %s", got, v.Compact)
	}
	// A.5: verification.
	if err := VerifyMessage(pub, EdDSA, []byte(input), sig); err != nil {
		t.Fatal(err)
	}
	// Round trip back to the same JWK.
	back, err := PrivateJWK(priv)
	if err != nil {
		t.Fatal(err)
	}
	if back.D != j.D || back.X != j.X || back.Crv != "Ed25519" || back.Kty != "OKP" {
		t.Fatalf("PrivateJWK = %+v", back)
	}
}

func TestRFC7515(t *testing.T) {
	var v struct {
		Examples map[string]struct {
			Alg     string          `json:"alg"`
			JWK     json.RawMessage `json:"jwk"`
			Compact string          `json:"compact"`
		} `json:"examples"`
	}
	unmarshalTestdata(t, "rfc7515-appendix-a.json", &v)
	for _, name := range []string{"A.2", "A.3", "A.4"} {
		ex := v.Examples[name]
		t.Run(name+" "+ex.Alg, func(t *testing.T) {
			j, err := ParseJWK(ex.JWK)
			if err != nil {
				t.Fatal(err)
			}
			pub, err := j.PublicKey()
			if err != nil {
				t.Fatal(err)
			}
			i := strings.LastIndexByte(ex.Compact, '.')
			input, sigText := ex.Compact[:i], ex.Compact[i+1:]
			sig, err := base64.RawURLEncoding.DecodeString(sigText)
			if err != nil {
				t.Fatal(err)
			}
			alg := Algorithm(ex.Alg)
			if err := VerifyMessage(pub, alg, []byte(input), sig); err != nil {
				t.Fatalf("verify: %v", err)
			}
			tampered := []byte(input)
			tampered[len(tampered)-1] ^= 1
			if err := VerifyMessage(pub, alg, tampered, sig); !errors.Is(err, ErrSignature) {
				t.Fatalf("tampered input: err = %v", err)
			}
			priv, err := j.PrivateKey()
			if err != nil {
				t.Fatal(err)
			}
			s, err := NewSigner(priv, "")
			if err != nil {
				t.Fatal(err)
			}
			if s.Algorithm() != alg {
				t.Fatalf("Algorithm = %s, want %s", s.Algorithm(), alg)
			}
			mine, err := s.SignMessage(context.Background(), []byte(input))
			if err != nil {
				t.Fatal(err)
			}
			if alg == RS256 && !bytes.Equal(mine, sig) {
				t.Fatal("RS256 (deterministic) signature differs from the RFC")
			}
			if err := VerifyMessage(pub, alg, []byte(input), mine); err != nil {
				t.Fatalf("verify own signature: %v", err)
			}
			// The private JWK round-trips.
			pj, err := PrivateJWK(priv)
			if err != nil {
				t.Fatal(err)
			}
			if pj.D != j.D || pj.X != j.X || pj.Y != j.Y || pj.N != j.N || pj.E != j.E {
				t.Fatalf("PrivateJWK differs from the RFC JWK")
			}
		})
	}
}

func TestJoseCoseVerificationMethods(t *testing.T) {
	for _, name := range []string{"jose-cose-vm-did-ed25519.json", "jose-cose-vm-ed25519.json", "jose-cose-vm-p256.json", "jose-cose-vm-p384.json", "jose-cose-vm-p521.json"} {
		t.Run(name, func(t *testing.T) {
			var v struct {
				ID     string          `json:"id"`
				Public json.RawMessage `json:"publicKeyJwk"`
				Secret json.RawMessage `json:"secretKeyJwk"`
			}
			unmarshalTestdata(t, name, &v)
			pj, err := ParseJWK(v.Public)
			if err != nil {
				t.Fatal(err)
			}
			pub, err := pj.PublicKey()
			if err != nil {
				t.Fatal(err)
			}
			// The suite's kids are RFC 7638 thumbprints.
			tp, err := Thumbprint(pub)
			if err != nil || tp != pj.Kid {
				t.Fatalf("thumbprint %q, %v; kid %q", tp, err, pj.Kid)
			}
			sj, err := ParseJWK(v.Secret)
			if err != nil {
				t.Fatal(err)
			}
			priv, err := sj.PrivateKey()
			if err != nil {
				t.Fatal(err)
			}
			s, err := NewSigner(priv, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			if string(s.Algorithm()) != pj.Alg {
				t.Fatalf("Algorithm = %s, JWK alg %s", s.Algorithm(), pj.Alg)
			}
			msg := []byte("message")
			sig, err := s.SignMessage(context.Background(), msg)
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyMessage(pub, s.Algorithm(), msg, sig); err != nil {
				t.Fatal(err)
			}
			if s.VerificationMethod() != v.ID {
				t.Fatalf("VerificationMethod = %q", s.VerificationMethod())
			}
		})
	}
}

func TestJWKRoundTrip(t *testing.T) {
	ed, _ := GenerateEd25519(nil)
	p256, _ := GenerateECDSA(elliptic.P256())
	p384, _ := GenerateECDSA(elliptic.P384())
	p521, _ := GenerateECDSA(elliptic.P521())
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, priv := range []crypto.Signer{ed, p256, p384, p521, rsaKey} {
		j, err := PrivateJWK(priv)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(j)
		if err != nil {
			t.Fatal(err)
		}
		j2, err := ParseJWK(b)
		if err != nil {
			t.Fatal(err)
		}
		priv2, err := j2.PrivateKey()
		if err != nil {
			t.Fatalf("%T: %v", priv, err)
		}
		if !PublicKeysEqual(priv.Public(), priv2.Public()) {
			t.Fatalf("%T: round trip changed the key", priv)
		}
		if !j2.IsPrivate() || j2.PublicOnly().IsPrivate() {
			t.Fatalf("%T: IsPrivate/PublicOnly wrong", priv)
		}
		pub, err := j2.PublicOnly().PublicKey()
		if err != nil || !PublicKeysEqual(pub, priv.Public()) {
			t.Fatalf("%T: public round trip: %v", priv, err)
		}
		if _, err := j2.PublicOnly().PrivateKey(); !errors.Is(err, ErrInvalidKey) {
			t.Fatalf("%T: PrivateKey of a public JWK: err = %v", priv, err)
		}
	}
	if _, err := GenerateECDSA(elliptic.P224()); !errors.Is(err, ErrUnsupportedKey) {
		t.Fatalf("P-224: err = %v", err)
	}
}

func TestJWKErrors(t *testing.T) {
	ed := ed25519.NewKeyFromSeed(make([]byte, 32))
	edX := base64.RawURLEncoding.EncodeToString(ed.Public().(ed25519.PublicKey))
	p256, _ := GenerateECDSA(elliptic.P256())
	pj, _ := PublicJWK(&p256.PublicKey)
	other, _ := GenerateECDSA(elliptic.P256())
	oj, _ := PrivateJWK(other)
	oddN := base64.RawURLEncoding.EncodeToString(append(append([]byte{0xc0}, make([]byte, 255)...), 1))
	tests := []struct {
		name    string
		jwk     string
		private bool
		want    error
		msg     string
	}{
		{"not json", `{`, false, ErrInvalidJSON, ""},
		{"array", `[]`, false, ErrInvalidJSON, ""},
		{"duplicate member", `{"kty":"OKP","crv":"Ed25519","x":"` + edX + `","x":"` + edX + `"}`, false, ErrInvalidJSON, ""},
		{"kty missing", `{"crv":"Ed25519","x":"` + edX + `"}`, false, ErrInvalidKey, ""},
		{"kty not a string", `{"kty":1}`, false, ErrInvalidKey, ""},
		{"unsupported kty", `{"kty":"oct","k":"AAAA"}`, false, ErrUnsupportedKey, ""},
		{"X25519", `{"kty":"OKP","crv":"X25519","x":"` + edX + `"}`, false, ErrUnsupportedKey, ""},
		{"short x", `{"kty":"OKP","crv":"Ed25519","x":"AAAA"}`, false, ErrInvalidKey, ""},
		{"padded x", `{"kty":"OKP","crv":"Ed25519","x":"` + edX + `="}`, false, ErrInvalidKey, ""},
		{"std base64 x", `{"kty":"OKP","crv":"Ed25519","x":"+/+/"}`, false, ErrInvalidKey, ""},
		{"missing x", `{"kty":"OKP","crv":"Ed25519"}`, false, ErrInvalidKey, ""},
		{"P-224", `{"kty":"EC","crv":"P-224","x":"AA","y":"AA"}`, false, ErrUnsupportedKey, ""},
		{"secp256k1", `{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}`, false, ErrUnsupportedKey, ""},
		{"EC off curve", `{"kty":"EC","crv":"P-256","x":"` + pj.X + `","y":"` + pj.X + `"}`, false, ErrInvalidKey, "point"},
		{"EC short y", `{"kty":"EC","crv":"P-256","x":"` + pj.X + `","y":"AAAA"}`, false, ErrInvalidKey, ""},
		{"EC d mismatch", `{"kty":"EC","crv":"P-256","x":"` + pj.X + `","y":"` + pj.Y + `","d":"` + oj.D + `"}`, true, ErrInvalidKey, "does not match"},
		{"Ed25519 d mismatch", `{"kty":"OKP","crv":"Ed25519","x":"` + edX + `","d":"` + oj.D + `"}`, true, ErrInvalidKey, "does not match"},
		{"RSA small", `{"kty":"RSA","n":"w` + strings.Repeat("A", 170) + `","e":"AQAB"}`, false, ErrInvalidKey, "1024 bits"},
		{"RSA even e", `{"kty":"RSA","n":"` + oddN + `","e":"AQAA"}`, false, ErrInvalidKey, "exponent 65536"},
		{"RSA leading zero n", `{"kty":"RSA","n":"AA` + strings.Repeat("A", 340) + `","e":"AQAB"}`, false, ErrInvalidKey, "leading zero"},
		{"RSA huge n", `{"kty":"RSA","n":"` + strings.Repeat("w", 2000) + `","e":"AQAB"}`, false, ErrInvalidKey, "1500 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := ParseJWK([]byte(tt.jwk))
			if err == nil {
				if tt.private {
					_, err = j.PrivateKey()
				} else {
					_, err = j.PublicKey()
				}
			}
			if !errors.Is(err, tt.want) || !strings.Contains(fmt.Sprint(err), tt.msg) {
				t.Fatalf("err = %v, want %v (%q)", err, tt.want, tt.msg)
			}
		})
	}
}

func TestJSONLimits(t *testing.T) {
	deep := strings.Repeat(`{"a":`, MaxDepth+1) + `1` + strings.Repeat(`}`, MaxDepth+1)
	if _, err := parseJSON([]byte(deep), "doc"); err == nil || !strings.Contains(err.Error(), "nesting deeper") {
		t.Fatalf("deep: err = %v", err)
	}
	ok := strings.Repeat(`[`, MaxDepth) + strings.Repeat(`]`, MaxDepth)
	if _, err := parseJSON([]byte(ok), "doc"); err != nil {
		t.Fatalf("depth at the limit: %v", err)
	}
	big := make([]byte, MaxDocumentBytes+1)
	if _, err := parseJSON(big, "doc"); !errors.Is(err, ErrInvalidJSON) {
		t.Fatalf("big: err = %v", err)
	}
	_, err := parseJSON([]byte(`{"a":{"b/c":[1,{"x":1,"x":2}]}}`), "my doc")
	if err == nil || !strings.Contains(err.Error(), "my doc at /a/b~1c/1/x") {
		t.Fatalf("dup: err = %v", err)
	}
	if _, err := parseJSON([]byte(`{} {}`), "doc"); err == nil {
		t.Fatal("trailing data accepted")
	}
	if _, err := parseJSON([]byte(``), "doc"); err == nil {
		t.Fatal("empty accepted")
	}
}

func TestVerifyMessagePolicy(t *testing.T) {
	ed, _ := GenerateEd25519(nil)
	p256, _ := GenerateECDSA(elliptic.P256())
	msg := []byte("m")
	edSig := ed25519.Sign(ed, msg)
	tests := []struct {
		name string
		pub  crypto.PublicKey
		alg  Algorithm
		sig  []byte
		want error
	}{
		{"ed25519 as ES256", ed.Public(), ES256, edSig, ErrAlgorithm},
		{"p256 as EdDSA", &p256.PublicKey, EdDSA, edSig, ErrAlgorithm},
		{"p256 as ES384", &p256.PublicKey, ES384, edSig, ErrAlgorithm},
		{"none", ed.Public(), "none", edSig, ErrAlgorithm},
		{"ES256 wrong length", &p256.PublicKey, ES256, make([]byte, 63), ErrSignature},
		{"ES256 zero sig", &p256.PublicKey, ES256, make([]byte, 64), ErrSignature},
		{"EdDSA short", ed.Public(), EdDSA, edSig[:63], ErrSignature},
		{"unsupported key", "not a key", EdDSA, edSig, ErrUnsupportedKey},
		{"short ed25519 key", ed25519.PublicKey(make([]byte, 31)), EdDSA, edSig, ErrInvalidKey},
	}
	for _, tt := range tests {
		if err := VerifyMessage(tt.pub, tt.alg, msg, tt.sig); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	if err := VerifyMessage(ed.Public(), EdDSA, msg, edSig); err != nil {
		t.Fatal(err)
	}
	// A value (non-pointer) ECDSA key is accepted too.
	s, _ := NewSigner(p256, "")
	sig, _ := s.SignMessage(context.Background(), msg)
	if err := VerifyMessage(p256.PublicKey, ES256, msg, sig); err != nil {
		t.Fatal(err)
	}
	if _, err := NewSigner(nil, ""); err == nil {
		t.Fatal("NewSigner(nil) succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.SignMessage(ctx, msg); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: err = %v", err)
	}
	s2 := s.WithVerificationMethod("did:example:1#k")
	if s2.VerificationMethod() != "did:example:1#k" || s.VerificationMethod() != "" || s2.Key() != crypto.Signer(p256) {
		t.Fatal("WithVerificationMethod")
	}
}

// ecdsaP256FromJWK is used by other tests.
func mustP256(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := GenerateECDSA(elliptic.P256())
	if err != nil {
		t.Fatal(err)
	}
	return k
}
