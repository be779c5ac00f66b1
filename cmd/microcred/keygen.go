package main

import (
	"crypto"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/microcred/microcred/keys"
)

var keygenCommand = &command{
	name:    "keygen",
	summary: "create a signing key: writes a private JWK, prints its did:key (or public JWK)",
	run:     runKeygen,
}

// rsaKeyBits is the modulus size of the RSA keys keygen makes (RS256, the
// algorithm OB 3.0 requires VC-JWT verifiers to support).
const rsaKeyBits = 3072

// generateKey returns a new private key for alg: "Ed25519", "P-256" or
// "RSA".
func generateKey(alg string) (crypto.Signer, error) {
	switch alg {
	case "Ed25519":
		return keys.GenerateEd25519(nil)
	case "P-256":
		return keys.GenerateECDSA(elliptic.P256())
	case "RSA":
		return rsa.GenerateKey(rand.Reader, rsaKeyBits)
	}
	return nil, fmt.Errorf("unknown algorithm %q (want Ed25519, P-256 or RSA)", alg)
}

// keyKID is the "kid" keygen writes into the key file: the did:key
// verification method URL for Ed25519 and P-256 (so that issue and status
// name it in proofs and JWT headers), the RFC 7638 thumbprint for RSA,
// which did:key does not cover.
func keyKID(pub crypto.PublicKey) (string, error) {
	if vm, err := keys.DIDKeyURL(pub); err == nil {
		return vm, nil
	}
	return keys.Thumbprint(pub)
}

// keygenOutput is keygen's JSON output.
type keygenOutput struct {
	Alg       string    `json:"alg"`
	File      string    `json:"file"`
	Kid       string    `json:"kid"`
	DID       string    `json:"did,omitempty"`
	PublicJWK *keys.JWK `json:"publicJwk"`
}

func runKeygen(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("keygen", "[--alg Ed25519|P-256|RSA] --out FILE|- [--force] [--format text|json]",
		"Create a key pair and write the private key as a JWK (RFC 7517) to FILE, with mode 0600.\n"+
			"The JWK's kid is the key's did:key verification method URL (Ed25519, P-256) or its\n"+
			"RFC 7638 thumbprint (RSA, "+fmt.Sprint(rsaKeyBits)+" bits). An existing FILE is not overwritten\n"+
			"unless --force is given.\n"+
			"Prints the key's did:key (Ed25519, P-256) or its public JWK (RSA) on standard output.\n"+
			"--out is required so that a private key is never printed by accident: with --out -\n"+
			"the private JWK goes to standard output and the did:key or public JWK to standard error.\n"+
			"JSON output (--format json):\n"+
			"    {\"alg\", \"file\", \"kid\", \"did\" (Ed25519, P-256), \"publicJwk\"}\n"+
			"Exit status: 0 success, 2 usage or I/O error.")
	alg := fs.String("alg", "Ed25519", "key `algorithm`: Ed25519, P-256 or RSA")
	out := fs.String("out", "", "write the private JWK to `FILE` (- for standard output); required")
	force := fs.Bool("force", false, "overwrite an existing FILE")
	format := formatFlag("text")
	fs.Var(&format, "format", "output `format`: text or json")
	pos, done, status := parseArgs(fs, args, stdout, stderr)
	if done {
		return status
	}
	if len(pos) != 0 {
		return usageError(fs, stderr, "unexpected arguments %q", pos)
	}
	if *out == "" {
		return usageError(fs, stderr, "--out FILE is required (--out - prints the private key on standard output)")
	}
	switch *alg {
	case "Ed25519", "P-256", "RSA":
	default:
		return usageError(fs, stderr, "unknown algorithm %q (want Ed25519, P-256 or RSA)", *alg)
	}
	if *out != "-" && !*force {
		// Checked before generating, so that a refused overwrite is quick;
		// WritePrivateKeyFile checks again, without a race.
		if _, err := os.Lstat(*out); err == nil {
			return ioError(fs, stderr, fmt.Errorf("%s: %w (use --force to replace it)", *out, keys.ErrExists))
		}
	}

	priv, err := generateKey(*alg)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	pub := priv.Public()
	kid, err := keyKID(pub)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	pubJWK, err := keys.PublicJWK(pub)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	pubJWK.Kid = kid
	did, _ := keys.DIDKey(pub) // "" for RSA
	// What identifies the key publicly: its did:key, or the public JWK.
	var public string
	if format == "json" {
		b, err := json.Marshal(keygenOutput{Alg: *alg, File: *out, Kid: kid, DID: did, PublicJWK: pubJWK})
		if err != nil {
			return ioError(fs, stderr, err)
		}
		public = string(b)
	} else if did != "" {
		public = did
	} else {
		b, err := json.Marshal(pubJWK)
		if err != nil {
			return ioError(fs, stderr, err)
		}
		public = string(b)
	}

	if *out == "-" {
		jwk, err := keys.PrivateJWK(priv)
		if err != nil {
			return ioError(fs, stderr, err)
		}
		jwk.Kid = kid
		b, err := json.MarshalIndent(jwk, "", "  ")
		if err != nil {
			return ioError(fs, stderr, err)
		}
		fmt.Fprintf(stdout, "%s\n", b)
		fmt.Fprintln(stderr, public)
		return exitOK
	}
	if err := keys.WritePrivateKeyFile(*out, priv, kid, *force); err != nil {
		if errors.Is(err, keys.ErrExists) {
			err = fmt.Errorf("%w (use --force to replace it)", err)
		}
		return ioError(fs, stderr, err)
	}
	fmt.Fprintln(stdout, public)
	return exitOK
}
