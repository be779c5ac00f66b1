package keys

import (
	"context"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestKeyFiles(t *testing.T) {
	dir := t.TempDir()
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	vm, _ := DIDKeyURL(priv.Public())
	path := filepath.Join(dir, "issuer.jwk")

	if err := WritePrivateKeyFile(path, priv, vm, false); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("private key file mode %v, want 0600", st.Mode().Perm())
	}
	if err := WritePrivateKeyFile(path, priv, vm, false); !errors.Is(err, ErrExists) {
		t.Fatalf("second write: err = %v, want ErrExists", err)
	}
	s, err := LoadSigner(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.VerificationMethod() != vm || s.Algorithm() != EdDSA || !PublicKeysEqual(s.Public(), priv.Public()) {
		t.Fatalf("LoadSigner = %+v", s)
	}
	sig, err := s.SignMessage(context.Background(), []byte("hi"))
	if err != nil || !ed25519.Verify(priv.Public().(ed25519.PublicKey), []byte("hi"), sig) {
		t.Fatalf("signature: %v", err)
	}

	// Overwrite replaces the file atomically and restores mode 0600.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	other := ed25519.NewKeyFromSeed(make([]byte, 32))
	other[0] ^= 1
	other = ed25519.NewKeyFromSeed(other.Seed())
	if err := WritePrivateKeyFile(path, other, "", true); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("overwritten file mode %v", st.Mode().Perm())
	}
	s, err = LoadSigner(path)
	if err != nil || s.VerificationMethod() != "" || !PublicKeysEqual(s.Public(), other.Public()) {
		t.Fatalf("after overwrite: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}

	pubPath := filepath.Join(dir, "issuer.pub.jwk")
	if err := WritePublicKeyFile(pubPath, priv.Public(), vm, false); err != nil {
		t.Fatal(err)
	}
	pub, j, err := ReadPublicKeyFile(pubPath)
	if err != nil || !PublicKeysEqual(pub, priv.Public()) || j.Kid != vm || j.IsPrivate() {
		t.Fatalf("ReadPublicKeyFile = %v, %+v, %v", pub, j, err)
	}
	// A public key file is not a signer.
	if _, err := LoadSigner(pubPath); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("LoadSigner(public) err = %v", err)
	}
	// Reading the private file as public gives its public half only.
	if _, j, err := ReadPublicKeyFile(path); err != nil || j.IsPrivate() {
		t.Fatalf("ReadPublicKeyFile(private) = %+v, %v", j, err)
	}
	if _, err := LoadSigner(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: err = %v", err)
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, MaxDocumentBytes+1), 0o600)
	if _, err := LoadSigner(big); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("big file: err = %v", err)
	}
	if err := WritePrivateKeyFile(filepath.Join(dir, "no", "such", "dir"), priv, "", true); err == nil {
		t.Fatal("write into a missing directory succeeded")
	}
}

func TestParsePrivateKeyMultikeyPair(t *testing.T) {
	for _, name := range []string{"w3c-eddsa-keyPair.json", "w3c-ecdsa-p256KeyPair.json", "w3c-ecdsa-p384KeyPair.json", "ob3-test-keypair.json"} {
		priv, _, err := ParsePrivateKey(readTestdata(t, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if _, err := NewSigner(priv, ""); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, kid, err := ParsePrivateKey([]byte(`{"id":"did:example:1#k","secretKeyMultibase":"z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"}`))
	if err != nil || kid != "did:example:1#k" {
		t.Fatalf("kid %q, %v", kid, err)
	}
	for _, bad := range []string{
		`{"publicKeyMultibase":"z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi","secretKeyMultibase":"z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"}`,
		`{"publicKeyMultibase":"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}`,
		`{"secretKeyMultibase":1}`,
		`{"secretKeyMultibase":"z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq","id":1}`,
		`[]`,
	} {
		if _, _, err := ParsePrivateKey([]byte(bad)); err == nil {
			t.Errorf("ParsePrivateKey(%s) succeeded", bad)
		}
	}
}
