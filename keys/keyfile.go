package keys

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrExists is returned when a key file already exists and overwriting was
// not asked for.
var ErrExists = errors.New("key file already exists")

// WritePrivateKeyFile writes priv as a private JWK (with "kid" set to kid
// when not empty) to path, with mode 0600. If the file exists, it fails with
// ErrExists unless overwrite is true; an overwrite writes a temporary file in
// the same directory and renames it into place, so the old key is never left
// half-written and the new file never has wider permissions.
func WritePrivateKeyFile(path string, priv crypto.PrivateKey, kid string, overwrite bool) error {
	j, err := PrivateJWK(priv)
	if err != nil {
		return err
	}
	j.Kid = kid
	b, err := marshalIndent(j)
	if err != nil {
		return err
	}
	return writeFile(path, b, 0o600, overwrite)
}

// WritePublicKeyFile writes pub as a public JWK (with "kid" set to kid when
// not empty) to path with mode 0644, under the same overwrite rule as
// WritePrivateKeyFile.
func WritePublicKeyFile(path string, pub crypto.PublicKey, kid string, overwrite bool) error {
	j, err := PublicJWK(pub)
	if err != nil {
		return err
	}
	j.Kid = kid
	b, err := marshalIndent(j)
	if err != nil {
		return err
	}
	return writeFile(path, b, 0o644, overwrite)
}

func writeFile(path string, data []byte, mode os.FileMode, overwrite bool) error {
	if !overwrite {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if err != nil {
			if errors.Is(err, os.ErrExist) {
				return fmt.Errorf("%w: %s", ErrExists, path)
			}
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(path)
			return err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			os.Remove(path)
			return err
		}
		return f.Close()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp") // mode 0600
	if err != nil {
		return err
	}
	name := tmp.Name()
	fail := func(err error) error {
		tmp.Close()
		os.Remove(name)
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}

// readKeyFile reads at most MaxDocumentBytes from path.
func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxDocumentBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxDocumentBytes {
		return nil, fmt.Errorf("%w: key file %s is larger than %d bytes", ErrInvalidKey, path, MaxDocumentBytes)
	}
	return b, nil
}

// ParsePrivateKey parses a private key document: a private JWK, or a
// Multikey key pair object with "secretKeyMultibase" (or the older
// "privateKeyMultibase") and optionally "publicKeyMultibase" and "id", as
// in the W3C Data Integrity test vectors. It returns the key and its
// identifier (the JWK "kid" or the object's "id"; may be empty). A
// publicKeyMultibase that does not match the secret key is an error.
func ParsePrivateKey(data []byte) (crypto.Signer, string, error) {
	m, err := jsonObject(data, "private key")
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	if _, ok := m["kty"]; ok {
		j, err := jwkFromMap(m, "")
		if err != nil {
			return nil, "", err
		}
		priv, err := j.PrivateKey()
		if err != nil {
			return nil, "", err
		}
		return priv, j.Kid, nil
	}
	var secret string
	for _, name := range []string{"secretKeyMultibase", "privateKeyMultibase"} {
		s, err := optString(m, name, "")
		if err != nil {
			return nil, "", fmt.Errorf("%w: %v", ErrInvalidKey, err)
		}
		if s != "" {
			secret = s
			break
		}
	}
	if secret == "" {
		return nil, "", fmt.Errorf("%w: neither a JWK (\"kty\") nor a Multikey pair (\"secretKeyMultibase\")", ErrUnsupportedKey)
	}
	priv, err := ParsePrivateMultikey(secret)
	if err != nil {
		return nil, "", err
	}
	pubMB, err := optString(m, "publicKeyMultibase", "")
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrInvalidKey, err)
	}
	if pubMB != "" {
		pub, err := ParseMultikey(pubMB)
		if err != nil {
			return nil, "", err
		}
		if !PublicKeysEqual(priv.Public(), pub) {
			return nil, "", fmt.Errorf("%w: publicKeyMultibase does not match the secret key", ErrInvalidKey)
		}
	}
	id, err := optString(m, "id", "")
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrInvalidKey, err)
	}
	return priv, id, nil
}

// LoadSigner reads a private key file (see ParsePrivateKey) and returns a
// Signer whose verification method is the file's "kid" / "id" (possibly
// empty; override it with WithVerificationMethod).
func LoadSigner(path string) (*KeySigner, error) {
	b, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	priv, kid, err := ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return NewSigner(priv, kid)
}

// ReadPublicKeyFile reads a public JWK file and returns the validated key
// and the JWK. A file with private members is accepted (its public half is
// returned).
func ReadPublicKeyFile(path string) (crypto.PublicKey, *JWK, error) {
	b, err := readKeyFile(path)
	if err != nil {
		return nil, nil, err
	}
	j, err := ParseJWK(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	pub, err := j.PublicKey()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return pub, j.PublicOnly(), nil
}
