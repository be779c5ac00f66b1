package keys

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/microcred/microcred/internal/multibase"
)

func TestMultikeyVectors(t *testing.T) {
	var w3c struct{ PublicKeyMultibase, PrivateKeyMultibase string }
	unmarshalTestdata(t, "w3c-eddsa-keyPair.json", &w3c)
	var ob3 struct {
		PublicKeyHex, PrivateKeySeedHex, PublicKeyMultibase, SecretKeyMultibase string
	}
	unmarshalTestdata(t, "ob3-test-keypair.json", &ob3)
	var p256, p384 struct{ PublicKeyMultibase, SecretKeyMultibase string }
	unmarshalTestdata(t, "w3c-ecdsa-p256KeyPair.json", &p256)
	unmarshalTestdata(t, "w3c-ecdsa-p384KeyPair.json", &p384)

	tests := []struct {
		name          string
		public        string
		secret        string
		reencodeExact bool // secret re-encodes to the same text
	}{
		{"w3c eddsa", w3c.PublicKeyMultibase, w3c.PrivateKeyMultibase, true},
		{"ob3 (64-byte secret)", ob3.PublicKeyMultibase, ob3.SecretKeyMultibase, false},
		{"w3c p256", p256.PublicKeyMultibase, p256.SecretKeyMultibase, true},
		{"w3c p384", p384.PublicKeyMultibase, p384.SecretKeyMultibase, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := ParseMultikey(tt.public)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := EncodeMultikey(pub); err != nil || got != tt.public {
				t.Fatalf("EncodeMultikey = %q, %v", got, err)
			}
			priv, err := ParsePrivateMultikey(tt.secret)
			if err != nil {
				t.Fatal(err)
			}
			if !PublicKeysEqual(priv.Public(), pub) {
				t.Fatal("secret key does not match public key")
			}
			got, err := EncodePrivateMultikey(priv)
			if err != nil {
				t.Fatal(err)
			}
			if tt.reencodeExact && got != tt.secret {
				t.Fatalf("EncodePrivateMultikey = %q, want %q", got, tt.secret)
			}
			if !tt.reencodeExact && !strings.HasPrefix(got, "z3u2") {
				t.Fatalf("EncodePrivateMultikey = %q, want the 32-byte seed form z3u2…", got)
			}
			// Sign and verify with the vector key.
			s, err := NewSigner(priv, "")
			if err != nil {
				t.Fatal(err)
			}
			sig, err := s.SignMessage(context.Background(), []byte("x"))
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyMessage(pub, s.Algorithm(), []byte("x"), sig); err != nil {
				t.Fatal(err)
			}
		})
	}
	// The OB 3.0 key's hex values agree with its multibase values.
	pub, _ := ParseMultikey(ob3.PublicKeyMultibase)
	if hex.EncodeToString(pub.(ed25519.PublicKey)) != ob3.PublicKeyHex {
		t.Fatal("OB3 publicKeyHex mismatch")
	}
	priv, _ := Ed25519FromSeed(hexBytes(t, ob3.PrivateKeySeedHex))
	if !PublicKeysEqual(priv.Public(), pub) {
		t.Fatal("OB3 seed does not give the public key")
	}
}

func TestMultikeyErrors(t *testing.T) {
	edPub := ed25519.NewKeyFromSeed(make([]byte, 32)).Public().(ed25519.PublicKey)
	p256 := mustP256(t)
	comp, _ := ecCompressed(curves[0], &p256.PublicKey)
	bad := append([]byte{}, comp...)
	bad[0] = 0x05
	seed := make([]byte, 32)
	wrongPub := append(append([]byte{}, seed...), make([]byte, 32)...)
	tests := []struct {
		name   string
		in     string
		secret bool
		want   error
	}{
		{"empty", "", false, ErrInvalidKey},
		{"base64url prefix", "u7QE", false, ErrInvalidKey},
		{"bad base58", "z6Mk0", false, ErrInvalidKey},
		{"too long", "z" + strings.Repeat("2", 300), false, ErrInvalidKey},
		{"short ed25519", multibase.EncodeMultikey(multibase.Ed25519Pub, edPub[:31]), false, ErrInvalidKey},
		{"long ed25519", multibase.EncodeMultikey(multibase.Ed25519Pub, append(edPub, 0)), false, ErrInvalidKey},
		{"x25519", multibase.EncodeMultikey(multibase.X25519Pub, edPub), false, ErrUnsupportedKey},
		{"unknown codec", multibase.EncodeMultikey(0x99, edPub), false, ErrUnsupportedKey},
		{"secret as public", multibase.EncodeMultikey(multibase.Ed25519Priv, seed), false, ErrUnsupportedKey},
		{"p256 bad prefix byte", multibase.EncodeMultikey(multibase.P256Pub, bad), false, ErrInvalidKey},
		{"p256 uncompressed", multibase.EncodeMultikey(multibase.P256Pub, append([]byte{4}, make([]byte, 64)...)), false, ErrInvalidKey},
		{"p256 x not a field element", multibase.EncodeMultikey(multibase.P256Pub, append([]byte{2}, bytes.Repeat([]byte{0xff}, 32)...)), false, ErrInvalidKey},
		{"ed25519-priv 31 bytes", multibase.EncodeMultikey(multibase.Ed25519Priv, seed[:31]), true, ErrInvalidKey},
		{"ed25519-priv wrong public half", multibase.EncodeMultikey(multibase.Ed25519Priv, wrongPub), true, ErrInvalidKey},
		{"p256-priv zero", multibase.EncodeMultikey(multibase.P256Priv, make([]byte, 32)), true, ErrInvalidKey},
		{"p256-priv short", multibase.EncodeMultikey(multibase.P256Priv, make([]byte, 31)), true, ErrInvalidKey},
		{"public as secret", multibase.EncodeMultikey(multibase.Ed25519Pub, edPub), true, ErrUnsupportedKey},
	}
	for _, tt := range tests {
		var err error
		if tt.secret {
			_, err = ParsePrivateMultikey(tt.in)
		} else {
			_, err = ParseMultikey(tt.in)
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestDIDKey(t *testing.T) {
	var ob3 struct{ PublicKeyMultibase string }
	unmarshalTestdata(t, "ob3-test-keypair.json", &ob3)
	var p256 struct{ PublicKeyMultibase string }
	unmarshalTestdata(t, "w3c-ecdsa-p256KeyPair.json", &p256)

	zero := ed25519.NewKeyFromSeed(make([]byte, 32))
	did, err := DIDKey(zero.Public())
	if err != nil || did != "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp" {
		t.Fatalf("DIDKey(zero seed) = %q, %v", did, err)
	}
	// A did:key document in Ed25519VerificationKey2018 form (publicKeyBase58).
	raw, err := multibase.DecodeBase58("8HH5gYEeNc3z7PYXmd54d4x6qAfCNrqQqEB3nS7Zfu7K")
	if err != nil {
		t.Fatal(err)
	}
	if did, _ := DIDKey(ed25519.PublicKey(raw)); did != "did:key:z6MkmjY8GnV5i9YTDtPETC2uUAW6ejw3nk5mXF5yci5ab7th" {
		t.Fatalf("DIDKey(publicKeyBase58 vector) = %q", did)
	}

	tests := []struct {
		name string
		in   string
		want string // DID
	}{
		{"ob3 did", "did:key:" + ob3.PublicKeyMultibase, "did:key:" + ob3.PublicKeyMultibase},
		{"ob3 vm", "did:key:" + ob3.PublicKeyMultibase + "#" + ob3.PublicKeyMultibase, "did:key:" + ob3.PublicKeyMultibase},
		{"p256 vm", "did:key:" + p256.PublicKeyMultibase + "#" + p256.PublicKeyMultibase, "did:key:" + p256.PublicKeyMultibase},
	}
	for _, tt := range tests {
		pub, gotDID, err := ParseDIDKey(tt.in)
		if err != nil || gotDID != tt.want {
			t.Errorf("%s: ParseDIDKey = %q, %v", tt.name, gotDID, err)
			continue
		}
		url, _ := DIDKeyURL(pub)
		if !strings.HasPrefix(url, tt.want+"#") {
			t.Errorf("%s: DIDKeyURL = %q", tt.name, url)
		}
		if _, ok := pub.(*ecdsa.PublicKey); ok && !strings.HasPrefix(gotDID, "did:key:zDn") {
			t.Errorf("P-256 did:key %q does not start with zDn", gotDID)
		}
	}

	mk := ob3.PublicKeyMultibase
	bad := []struct {
		in   string
		want error
	}{
		{"did:web:" + mk, ErrInvalidKey},
		{"did:key:", ErrInvalidKey},
		{"did:key:" + mk + "#other", ErrNotFound},
		{"did:key:" + mk + "/path", ErrInvalidKey},
		{"did:key:" + mk + "?q", ErrInvalidKey},
		{"did:key:1.0:" + mk, ErrInvalidKey},
		{"did:key:u" + mk[1:], ErrInvalidKey},
		{"did:key:z", ErrInvalidKey},
		{"did:key:" + multibase.EncodeMultikey(multibase.X25519Pub, make([]byte, 32)), ErrUnsupportedKey},
	}
	for _, tt := range bad {
		if _, _, err := ParseDIDKey(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("ParseDIDKey(%q) err = %v, want %v", tt.in, err, tt.want)
		}
	}
}

func TestDIDJWK(t *testing.T) {
	// did:jwk spec example (P-256).
	const specDID = "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
	j, pub, did, err := ParseDIDJWK(specDID + "#0")
	if err != nil {
		t.Fatal(err)
	}
	if did != specDID || j.Crv != "P-256" {
		t.Fatalf("ParseDIDJWK = %q %+v", did, j)
	}
	// Our canonical form (RFC 7638 member order) is the spec's form here.
	if got, _ := DIDJWK(pub); got != specDID {
		t.Fatalf("DIDJWK = %q", got)
	}
	ed := ed25519.NewKeyFromSeed(make([]byte, 32))
	d2, err := DIDJWK(ed.Public())
	if err != nil {
		t.Fatal(err)
	}
	if _, pub2, _, err := ParseDIDJWK(d2); err != nil || !PublicKeysEqual(pub2, ed.Public()) {
		t.Fatalf("round trip: %v", err)
	}
	enc := func(s string) string { return "did:jwk:" + base64.RawURLEncoding.EncodeToString([]byte(s)) }
	priv, _ := PrivateJWK(ed)
	privJSON, _ := priv.MarshalJSON()
	bad := []struct {
		in   string
		want error
	}{
		{"did:key:abc", ErrInvalidKey},
		{specDID + "#1", ErrNotFound},
		{specDID + "=", ErrInvalidKey},
		{specDID[:30] + "\n" + specDID[30:], ErrInvalidKey},
		{"did:jwk:!!!", ErrInvalidKey},
		{enc(`[]`), ErrInvalidKey},
		{enc(`{"kty":"EC","kty":"EC"}`), ErrInvalidKey},
		{enc(string(privJSON)), ErrInvalidKey},
		{enc(`{"kty":"oct","k":"AAAA"}`), ErrUnsupportedKey},
		{enc(`{"kty":"OKP","crv":"Ed25519","x":"AAAA"}`), ErrInvalidKey},
		{"did:jwk:" + strings.Repeat("A", maxDIDJWKLen), ErrInvalidKey},
	}
	for _, tt := range bad {
		if _, _, _, err := ParseDIDJWK(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("ParseDIDJWK(%.40q) err = %v, want %v", tt.in, err, tt.want)
		}
	}
}

func TestLocalResolvers(t *testing.T) {
	ctx := context.Background()
	ed := ed25519.NewKeyFromSeed(make([]byte, 32))
	did, _ := DIDKey(ed.Public())
	vmURL, _ := DIDKeyURL(ed.Public())
	r := NewResolver(nil, nil)
	for _, in := range []string{did, vmURL} {
		vm, err := r.Resolve(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if vm.ID != vmURL || vm.Controller != did || vm.Type != TypeMultikey || !vm.Has(AssertionMethod) || !vm.Has(Authentication) || vm.Has(KeyAgreement) {
			t.Fatalf("did:key VM = %+v", vm)
		}
	}
	jdid, _ := DIDJWK(ed.Public())
	vm, err := r.Resolve(ctx, jdid+"#0")
	if err != nil {
		t.Fatal(err)
	}
	if vm.ID != jdid+"#0" || vm.Controller != jdid || vm.Type != TypeJSONWebKey2020 || !vm.Has(AssertionMethod) || !vm.Has(KeyAgreement) || vm.JWK == nil {
		t.Fatalf("did:jwk VM = %+v", vm)
	}
	// "use":"sig" excludes keyAgreement; "use":"enc" excludes signing.
	for use, wantAssert := range map[string]bool{"sig": true, "enc": false} {
		j, _ := PublicJWK(ed.Public())
		j.Use = use
		b, _ := j.MarshalJSON()
		vm, err := r.Resolve(ctx, "did:jwk:"+base64.RawURLEncoding.EncodeToString(b))
		if err != nil {
			t.Fatal(err)
		}
		if vm.Has(AssertionMethod) != wantAssert || vm.Has(KeyAgreement) == wantAssert {
			t.Fatalf("use %q: relationships %v", use, vm.Relationships)
		}
	}

	for _, tt := range []struct {
		in   string
		want error
	}{
		{"did:web:example.com#k", ErrNetworkDisabled},
		{"https://example.com/issuer#k", ErrNetworkDisabled},
		{"did:example:123#k", ErrUnsupportedMethod},
		{"http://example.com/k", ErrUnsupportedMethod},
		{"did:key:" + strings.TrimPrefix(did, "did:key:") + "#nope", ErrNotFound},
		{"did:", ErrInvalidURL},
		{"did:KEY:z", ErrInvalidURL},
		{"nonsense", ErrInvalidURL},
	} {
		_, err := r.Resolve(ctx, tt.in)
		var re *ResolutionError
		if !errors.Is(err, tt.want) || !errors.As(err, &re) || re.VM != tt.in {
			t.Errorf("Resolve(%q) err = %v, want %v in a ResolutionError", tt.in, err, tt.want)
		}
	}
}

func TestStaticAndChain(t *testing.T) {
	ctx := context.Background()
	ed := ed25519.NewKeyFromSeed(make([]byte, 32))
	pinned, err := NewStaticResolver(&VerificationMethod{
		ID: "https://issuer.example/keys/1", Controller: "https://issuer.example/issuer",
		PublicKey: ed.Public(), Relationships: []Relationship{AssertionMethod},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := NewResolver(nil, pinned)
	vm, err := r.Resolve(ctx, "https://issuer.example/keys/1")
	if err != nil || vm.Type != TypeMultikey || !vm.Has(AssertionMethod) {
		t.Fatalf("pinned: %+v, %v", vm, err)
	}
	vm.Relationships[0] = KeyAgreement // must not change the pinned entry
	vm2, _ := r.Resolve(ctx, "https://issuer.example/keys/1")
	if !vm2.Has(AssertionMethod) {
		t.Fatal("Resolve returned a shared slice")
	}
	// Falls through to did:key.
	did, _ := DIDKey(ed.Public())
	if _, err := r.Resolve(ctx, did); err != nil {
		t.Fatal(err)
	}
	// Not pinned and no network: the network error is reported, not "not pinned".
	if _, err := r.Resolve(ctx, "https://issuer.example/keys/2"); !errors.Is(err, ErrNetworkDisabled) {
		t.Fatalf("err = %v", err)
	}
	if err := pinned.Add(&VerificationMethod{ID: "x", Controller: "y", PublicKey: ed25519.PublicKey{1}}); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("Add(bad key) err = %v", err)
	}
	if err := pinned.Add(&VerificationMethod{ID: "x"}); err == nil {
		t.Fatal("Add without controller succeeded")
	}
	if _, err := (Chain{}).Resolve(ctx, "x"); !errors.Is(err, ErrUnsupportedMethod) {
		t.Fatalf("empty chain err = %v", err)
	}
	var zero StaticResolver
	if err := zero.Add(&VerificationMethod{ID: "a", Controller: "b", PublicKey: ed.Public()}); err != nil {
		t.Fatal(err)
	}
	if _, err := zero.Resolve(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	m := NewMultiResolver(nil)
	m.Handle("DID:KEY", DIDKeyResolver{})
	if _, err := m.Resolve(ctx, did); err != nil {
		t.Fatal(err)
	}
}
