package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc/jwt"
)

var issueCommand = &command{
	name:    "issue",
	summary: "sign a credential (Data Integrity eddsa-rdfc-2022 or VC-JWT) with a key file",
	run:     runIssue,
}

// signingKey is a key file loaded for issue and status: the signer and the
// identifiers the key controls.
type signingKey struct {
	signer *keys.KeySigner
	// kid is the key file's "kid" (may be empty).
	kid string
	// did is the key's own DID: its did:key (Ed25519, P-256) or, for
	// other keys (RSA), its did:jwk. vm is that DID's verification method.
	did, vm string
}

// loadKey reads a private key file (a JWK as keygen writes, or a Multikey
// key pair).
func loadKey(path string) (*signingKey, error) {
	s, err := keys.LoadSigner(path)
	if err != nil {
		return nil, err
	}
	k := &signingKey{signer: s, kid: s.VerificationMethod()}
	pub := s.Public()
	if did, err := keys.DIDKey(pub); err == nil {
		k.did = did
		if k.vm, err = keys.DIDKeyURL(pub); err != nil {
			return nil, err
		}
	} else {
		if k.did, err = keys.DIDJWK(pub); err != nil {
			return nil, err
		}
		k.vm = k.did + "#0"
	}
	return k, nil
}

// methodFor returns the verification method of the key under issuer id,
// or "" when the key does not control id. The key controls its own DID,
// and the DID or URL its kid belongs to (the kid "did:web:x#key-1"
// belongs to "did:web:x", "https://x/issuer#key-1" to
// "https://x/issuer"): the key file's author said so, and a verifier
// resolving the kid will check it.
func (k *signingKey) methodFor(id string) string {
	if id == k.did {
		return k.vm
	}
	if before, _, ok := strings.Cut(k.kid, "#"); ok && before == id {
		return k.kid
	}
	return ""
}

// public returns the key's public half.
func (k *signingKey) public() crypto.PublicKey { return k.signer.Public() }

func runIssue(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("issue", "--key FILE [--format di|jwt] [--alg ALG] [--status-list FILE --status-index N] FILE|-",
		"Sign the credential in FILE (- for standard input) with the private key in --key and\n"+
			"print the signed credential on standard output: JSON with an eddsa-rdfc-2022 Data\n"+
			"Integrity proof (--format di, the default; Ed25519 keys only) or a VC-JWT compact JWS\n"+
			"(--format jwt; EdDSA, ES256 or RS256 by the key).\n"+
			"The issuer becomes the key's did:key (did:jwk for RSA keys) when the credential has no\n"+
			"issuer or an issuer without id. An issuer id the key does not control is refused: the\n"+
			"key controls its own DID, and the DID or URL its kid is a fragment of.\n"+
			"A credential without id gets a urn:uuid, one without validFrom the current time.\n"+
			"With --status-list (a list written by 'status create') and --status-index, a\n"+
			"BitstringStatusListEntry for that index is added to credentialStatus.\n"+
			"The credential is checked as validate does (JSON Schema, Open Badges rules, EU elements\n"+
			"when claimed) and in JSON-LD safe mode (a term no context defines is refused, in both\n"+
			"formats) before signing; its problems are printed on standard error.\n"+
			"Exit status: 0 signed, 1 the credential is invalid, 2 usage or I/O error.")
	keyFile := fs.String("key", "", "private key `FILE` (required)")
	format := fs.String("format", "di", "proof `format`: di (Data Integrity) or jwt (VC-JWT)")
	alg := fs.String("alg", "", "signature `algorithm` (EdDSA, ES256, RS256 …); must be the key's")
	listFile := fs.String("status-list", "", "status list `FILE` (from status create) to add an entry for")
	listIndex := fs.Int("status-index", -1, "`index` of the credential in --status-list")
	pos, done, st := parseArgs(fs, args, stdout, stderr)
	if done {
		return st
	}
	if len(pos) != 1 {
		return usageError(fs, stderr, "want one FILE (or - for standard input), got %d arguments", len(pos))
	}
	if *keyFile == "" {
		return usageError(fs, stderr, "--key FILE is required")
	}
	if *format != "di" && *format != "jwt" {
		return usageError(fs, stderr, "unknown format %q (want di or jwt)", *format)
	}
	if (*listFile == "") != (*listIndex < 0) {
		return usageError(fs, stderr, "--status-list and --status-index (0 or more) go together")
	}
	key, err := loadKey(*keyFile)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	keyAlg := key.signer.Algorithm()
	if *alg != "" && keys.Algorithm(*alg) != keyAlg {
		return usageError(fs, stderr, "--alg %s does not fit the key, which signs %s", *alg, keyAlg)
	}
	if *format == "di" && keyAlg != keys.EdDSA {
		return usageError(fs, stderr, "--format di signs eddsa-rdfc-2022 proofs, which need an Ed25519 key (this key signs %s; use --format jwt)", keyAlg)
	}
	data, err := readInput(pos[0], stdin)
	if err != nil {
		return ioError(fs, stderr, err)
	}

	name := pos[0]
	cred, err := badge.ParseCredential(data)
	if err != nil {
		// Not a credential: report it as validate does.
		problems, verr := validate(context.Background(), data, false)
		if verr != nil {
			return ioError(fs, stderr, verr)
		}
		if len(problems) == 0 {
			problems = []problem{{Message: err.Error(), source: "json"}}
		}
		writeValidateText(stderr, name, validateOutput{Problems: problems})
		return exitInvalid
	}

	// The issuer: the key's DID, unless the credential names one the key
	// controls.
	issuerID := key.did
	if cred.Issuer != nil && cred.Issuer.ID != "" {
		issuerID = cred.Issuer.ID
	}
	vm := key.methodFor(issuerID)
	if vm == "" {
		msg := fmt.Sprintf("issuer %q is not controlled by the key, whose DID is %s", issuerID, key.did)
		if key.kid != "" && key.kid != key.vm {
			msg += fmt.Sprintf(" and kid %q", key.kid)
		}
		msg += "; leave the issuer id out to issue as " + key.did
		writeValidateText(stderr, name, validateOutput{Problems: []problem{{Path: "/issuer", source: "issuer", Message: msg}}})
		return exitInvalid
	}
	if cred.Issuer == nil {
		cred.Issuer = &badge.Profile{ID: issuerID, Type: badge.Many[string]{"Profile"}}
	} else if cred.Issuer.ID == "" {
		cred.Issuer.ID = issuerID
	}

	if *listFile != "" {
		entry, err := statusEntry(*listFile, *listIndex, issuerID)
		if err != nil {
			return ioError(fs, stderr, err)
		}
		b, err := json.Marshal(entry)
		if err != nil {
			return ioError(fs, stderr, err)
		}
		var cs badge.CredentialStatus
		if err := json.Unmarshal(b, &cs); err != nil {
			return ioError(fs, stderr, err)
		}
		cred.CredentialStatus = append(cred.CredentialStatus, cs)
	}

	ctx := context.Background()
	signer := key.signer.WithVerificationMethod(vm)
	out, err := issueWith(ctx, signer, cred, *format)
	var ie *badge.IssueError
	var pe problemsError
	switch {
	case errors.As(err, &ie):
		problems := make([]problem, 0, len(ie.Problems))
		for _, p := range ie.Problems {
			problems = append(problems, problem{Path: p.Pointer, Message: p.Message, source: p.Source})
		}
		writeValidateText(stderr, name, validateOutput{Problems: problems})
		return exitInvalid
	case errors.As(err, &pe):
		writeValidateText(stderr, name, validateOutput{Problems: pe})
		return exitInvalid
	case err != nil:
		return ioError(fs, stderr, err)
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", out); err != nil {
		return ioError(fs, stderr, err)
	}
	return exitOK
}

// issueWith signs cred through badge.Issuer, which fills the defaults
// and validates first: with an eddsa-rdfc-2022 proof (format "di"), the
// JSON indented, or as an OB 3.0 VC-JWT (format "jwt").
func issueWith(ctx context.Context, signer *keys.KeySigner, cred *badge.AchievementCredential, format string) ([]byte, error) {
	is, err := badge.NewIssuer(signer, *cred.Issuer, badge.IssuerOptions{})
	var ve *badge.ValidationError
	if errors.As(err, &ve) {
		// The input's issuer Profile breaks an Open Badges rule.
		problems := make(problemsError, 0, len(ve.Problems))
		for _, p := range ve.Problems {
			problems = append(problems, problem{Path: "/issuer" + p.Pointer, Message: p.Message, source: badge.SourceOB3})
		}
		return nil, problems
	} else if err != nil {
		return nil, err
	}
	if format == "jwt" {
		return is.IssueJWT(ctx, cred, jwt.VCJWT)
	}
	out, err := is.Issue(ctx, cred)
	if err != nil {
		return nil, err
	}
	// Indent for people (the proof covers the data, not the layout),
	// keeping the Issuer's member order.
	var buf bytes.Buffer
	if err := json.Indent(&buf, out, "", "  "); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// problemsError is the credential's problems when they are found before
// the Issuer runs: the input's issuer Profile.
type problemsError []problem

func (p problemsError) Error() string { return fmt.Sprintf("%d problems", len(p)) }

// statusEntry returns the BitstringStatusListEntry for index in the list
// file path, whose issuer must be issuerID.
func statusEntry(path string, index int, issuerID string) (map[string]any, error) {
	lf, err := readListFile(path)
	if err != nil {
		return nil, err
	}
	if lf.issuer != issuerID {
		return nil, fmt.Errorf("%s: the status list's issuer is %s, not the credential's issuer %s (verifiers compare them)", path, lf.issuer, issuerID)
	}
	if index >= lf.list.Len() {
		return nil, fmt.Errorf("%s: index %d is outside the list (%d entries)", path, index, lf.list.Len())
	}
	return lf.list.Entry(lf.id, index)
}
