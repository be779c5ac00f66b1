package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/microcred/microcred/internal/atomicfile"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc/dataintegrity"
	"github.com/microcred/microcred/vc/status"
)

var statusCommand = &command{
	name:    "status",
	summary: "maintain a Bitstring Status List: status create|set|clear|check",
	run:     runStatus,
}

const statusSynopsis = "create|set|clear|check ..."

const statusDescription = `Maintain a Bitstring Status List (revocation or suspension). The list file is
the signed BitstringStatusListCredential itself (eddsa-rdfc-2022, Ed25519 keys),
ready to publish at its URL.

  status create --key FILE --url URL [--issuer ID] [--purpose revocation|suspension]
                [--size N] [--valid-until TIME] [--out FILE] [--force] [--format text|json]
      Write a new list, every entry clear, issued by the key's did:key (or by
      --issuer, a DID or URL the key's kid belongs to: it must be the issuer of the
      credentials pointing at the list), to --out (standard output without it; an
      existing file is not overwritten unless --force). --size is raised to 131,072,
      the minimum.
  status set --key FILE [--format text|json] LISTFILE INDEX
  status clear --key FILE [--format text|json] LISTFILE INDEX
      Set (revoke, suspend) or clear entry INDEX and re-sign the list, replacing
      LISTFILE atomically (temporary file and rename) while holding LISTFILE.lock.
      The key must control the list's issuer.
  status check [--format text|json] LISTFILE INDEX
      Print entry INDEX (0 or 1). The list's proof is not verified.

JSON output (--format json): {"file", "url", "issuer", "purpose", "entries"} for
create with --out; {"file", "index", "value"} for set, clear and check.

Exit status: 0 success (check: the entry is clear), 1 (check only) the entry is
set, 2 usage or I/O error.`

func runStatus(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("status", statusSynopsis, statusDescription)
	if len(args) == 0 {
		return usageError(fs, stderr, "want a subcommand: create, set, clear or check")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK
	case "create":
		return runStatusCreate(args[1:], stdout, stderr)
	case "set", "clear":
		return runStatusFlip(args[0], args[1:], stdout, stderr)
	case "check":
		return runStatusCheck(args[1:], stdout, stderr)
	}
	return usageError(fs, stderr, "unknown subcommand %q (want create, set, clear or check)", args[0])
}

// statusCreateOutput is status create's JSON output (with --out).
type statusCreateOutput struct {
	File    string `json:"file"`
	URL     string `json:"url"`
	Issuer  string `json:"issuer"`
	Purpose string `json:"purpose"`
	Entries int    `json:"entries"`
}

// statusEntryOutput is the JSON output of status set, clear and check: the
// entry's value after the command.
type statusEntryOutput struct {
	File  string `json:"file"`
	Index int    `json:"index"`
	Value uint64 `json:"value"`
}

// writeJSON prints v as indented JSON and returns exitOK, or exitUsage when
// it cannot be written.
func writeJSON(fs *flag.FlagSet, stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return ioError(fs, stderr, err)
	}
	return exitOK
}

// listFile is a status list file read back: the list credential's id (its
// URL), issuer, purpose, validity and bitstring.
type listFile struct {
	id, issuer string
	validUntil time.Time
	ttl        time.Duration
	list       *status.List
}

// readListFile reads a BitstringStatusListCredential file as status create
// writes it.
func readListFile(path string) (*listFile, error) {
	data, err := readInput(path, nil)
	if err != nil {
		return nil, err
	}
	var doc struct {
		ID         string          `json:"id"`
		Type       json.RawMessage `json:"type"`
		Issuer     json.RawMessage `json:"issuer"`
		ValidUntil string          `json:"validUntil"`
		TTL        *float64        `json:"ttl"`
		Subject    struct {
			Type        any    `json:"type"`
			Purpose     any    `json:"statusPurpose"`
			EncodedList string `json:"encodedList"`
		} `json:"credentialSubject"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: not a status list credential: %w", path, err)
	}
	var types []string
	if json.Unmarshal(doc.Type, &types) != nil || !slices.Contains(types, status.TypeListCredential) {
		return nil, fmt.Errorf("%s: not a %s (type is %s)", path, status.TypeListCredential, doc.Type)
	}
	lf := &listFile{id: doc.ID}
	var issuer struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(doc.Issuer, &lf.issuer) != nil {
		if err := json.Unmarshal(doc.Issuer, &issuer); err != nil {
			return nil, fmt.Errorf("%s: issuer: %w", path, err)
		}
		lf.issuer = issuer.ID
	}
	if lf.id == "" || lf.issuer == "" {
		return nil, fmt.Errorf("%s: status list credential without id or issuer", path)
	}
	if doc.ValidUntil != "" {
		if lf.validUntil, err = time.Parse(time.RFC3339, doc.ValidUntil); err != nil {
			return nil, fmt.Errorf("%s: validUntil: %w", path, err)
		}
	}
	if doc.TTL != nil {
		lf.ttl = time.Duration(*doc.TTL) * time.Millisecond
	}
	var purpose string
	switch p := doc.Subject.Purpose.(type) {
	case string:
		purpose = p
	case []any:
		if len(p) == 1 {
			purpose, _ = p[0].(string)
		}
	}
	if purpose != status.PurposeRevocation && purpose != status.PurposeSuspension {
		return nil, fmt.Errorf("%s: statusPurpose %v (this command handles one revocation or suspension purpose)", path, doc.Subject.Purpose)
	}
	if lf.list, err = status.DecodeList(doc.Subject.EncodedList, status.DecodeOptions{}); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	lf.list.Purpose = purpose
	return lf, nil
}

// signList returns the list credential for lf, signed by key with the
// verification method vm, valid from now.
func signList(key *signingKey, vm string, lf *listFile) ([]byte, error) {
	signer := key.signer.WithVerificationMethod(vm)
	now := time.Now().UTC().Truncate(time.Second)
	doc, err := lf.list.SignedCredential(context.Background(), signer, status.CredentialOptions{
		ID: lf.id, Issuer: lf.issuer, ValidFrom: now, ValidUntil: lf.validUntil, TTL: lf.ttl,
	}, dataintegrity.SignOptions{Created: now})
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// writeListFile replaces path with a list file (mode 0644: a list is
// public), atomically: readers see the old or the new list, never half
// of one.
func writeListFile(path string, data []byte) error {
	_, err := atomicfile.Write(path, data, 0o644)
	return err
}

// lockList takes LISTFILE.lock (created exclusively) so that two set or
// clear commands on one list do not both read the old list and the second
// rename undo the first's change. It returns the function that releases
// the lock. A lock left by a crashed command must be removed by hand.
func lockList(path string) (unlock func(), err error) {
	lock := path + ".lock"
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%s: another status command is changing the list (if none is, remove %s)", path, lock)
	} else if err != nil {
		return nil, err
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	f.Close()
	return func() { os.Remove(lock) }, nil
}

// parseIndex parses an entry index.
func parseIndex(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("INDEX must be a number 0 or more, not %q", s)
	}
	return n, nil
}

func runStatusCreate(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("status create", "--key FILE --url URL [--issuer ID] [--purpose revocation|suspension] [--size N] [--valid-until TIME] [--out FILE] [--force] [--format text|json]",
		"Write a new signed BitstringStatusListCredential, every entry clear, to be published at URL.\n"+
			"Its issuer is the key's did:key (did:jwk for RSA), or --issuer: a DID or URL the key\n"+
			"file's kid belongs to. It must be the issuer of the credentials that point at the list.\n"+
			"Exit status: 0 success, 2 usage or I/O error.")
	keyFile := fs.String("key", "", "private key `FILE` (Ed25519; required)")
	url := fs.String("url", "", "the `URL` the list will be published at: the list credential's id (required)")
	purpose := fs.String("purpose", status.PurposeRevocation, "status `purpose`: revocation or suspension")
	size := fs.Int("size", status.MinEntries, "number of `entries` (at least 131072)")
	out := fs.String("out", "", "write the list to `FILE` instead of standard output")
	issuer := fs.String("issuer", "", "the list's issuer `ID`, controlled by the key (default its did:key)")
	force := fs.Bool("force", false, "overwrite an existing --out FILE")
	validUntil := fs.String("valid-until", "", "the list's validUntil (RFC 3339 `time`), when it will be republished")
	format := formatFlag("text")
	fs.Var(&format, "format", "output `format` of the summary printed with --out: text or json")
	pos, done, st := parseArgs(fs, args, stdout, stderr)
	if done {
		return st
	}
	if len(pos) != 0 {
		return usageError(fs, stderr, "unexpected arguments %q", pos)
	}
	if *keyFile == "" || *url == "" {
		return usageError(fs, stderr, "--key FILE and --url URL are required")
	}
	if *purpose != status.PurposeRevocation && *purpose != status.PurposeSuspension {
		return usageError(fs, stderr, "unknown purpose %q (want revocation or suspension)", *purpose)
	}
	if *size <= 0 || *size > status.DefaultMaxListBytes*8 {
		return usageError(fs, stderr, "--size must be 1 to %d", status.DefaultMaxListBytes*8)
	}
	lf := &listFile{id: *url}
	if *validUntil != "" {
		t, err := time.Parse(time.RFC3339, *validUntil)
		if err != nil {
			return usageError(fs, stderr, "--valid-until: %v", err)
		}
		lf.validUntil = t
	}
	key, err := loadKey(*keyFile)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	if key.signer.Algorithm() != keys.EdDSA {
		return usageError(fs, stderr, "status lists are signed with eddsa-rdfc-2022, which needs an Ed25519 key")
	}
	// The issuer: the key's DID, as issue uses for a credential without
	// one, unless --issuer names another the key controls.
	lf.issuer = key.did
	if *issuer != "" {
		if key.methodFor(*issuer) == "" {
			return usageError(fs, stderr, "--issuer %s is not controlled by the key (its DID is %s, its kid %q)", *issuer, key.did, key.kid)
		}
		lf.issuer = *issuer
	}
	if *out != "" && *out != "-" && !*force {
		if _, err := os.Lstat(*out); err == nil {
			return ioError(fs, stderr, fmt.Errorf("%s already exists (use --force to replace it)", *out))
		}
	}
	if lf.list, err = status.NewList(*size, *purpose); err != nil {
		return ioError(fs, stderr, err)
	}
	data, err := signList(key, key.methodFor(lf.issuer), lf)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	if *out == "" || *out == "-" {
		if _, err := stdout.Write(data); err != nil {
			return ioError(fs, stderr, err)
		}
		return exitOK
	}
	if err := writeListFile(*out, data); err != nil {
		return ioError(fs, stderr, err)
	}
	if format == "json" {
		return writeJSON(fs, stdout, stderr, statusCreateOutput{File: *out, URL: lf.id, Issuer: lf.issuer, Purpose: *purpose, Entries: lf.list.Len()})
	}
	fmt.Fprintf(stdout, "%s: %s list of %d entries, issuer %s, to publish at %s\n", *out, *purpose, lf.list.Len(), lf.issuer, lf.id)
	return exitOK
}

func runStatusFlip(op string, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("status "+op, "--key FILE [--format text|json] LISTFILE INDEX",
		fmt.Sprintf("%s entry INDEX of the status list in LISTFILE and re-sign the list with the key,\n"+
			"replacing LISTFILE atomically. The key must control the list's issuer.\n"+
			"Exit status: 0 success, 2 usage or I/O error.", map[string]string{"set": "Set (revoke or suspend)", "clear": "Clear"}[op]))
	keyFile := fs.String("key", "", "private key `FILE` (required)")
	format := formatFlag("text")
	fs.Var(&format, "format", "output `format`: text or json")
	pos, done, st := parseArgs(fs, args, stdout, stderr)
	if done {
		return st
	}
	if len(pos) != 2 {
		return usageError(fs, stderr, "want LISTFILE INDEX, got %d arguments", len(pos))
	}
	if *keyFile == "" {
		return usageError(fs, stderr, "--key FILE is required")
	}
	index, err := parseIndex(pos[1])
	if err != nil {
		return usageError(fs, stderr, "%v", err)
	}
	unlock, err := lockList(pos[0])
	if err != nil {
		return ioError(fs, stderr, err)
	}
	defer unlock()
	lf, err := readListFile(pos[0])
	if err != nil {
		return ioError(fs, stderr, err)
	}
	key, err := loadKey(*keyFile)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	vm := key.methodFor(lf.issuer)
	if vm == "" {
		return ioError(fs, stderr, fmt.Errorf("%s: the list's issuer %s is not controlled by the key (%s)", pos[0], lf.issuer, key.did))
	}
	if op == "set" {
		err = lf.list.Set(index)
	} else {
		err = lf.list.Clear(index)
	}
	if err != nil {
		return ioError(fs, stderr, fmt.Errorf("%s: %w", pos[0], err))
	}
	data, err := signList(key, vm, lf)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	if err := writeListFile(pos[0], data); err != nil {
		return ioError(fs, stderr, err)
	}
	if format == "json" {
		v := uint64(0)
		if op == "set" {
			v = 1
		}
		return writeJSON(fs, stdout, stderr, statusEntryOutput{File: pos[0], Index: index, Value: v})
	}
	fmt.Fprintf(stdout, "%s: entry %d %s\n", pos[0], index, map[string]string{"set": "set", "clear": "cleared"}[op])
	return exitOK
}

func runStatusCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("status check", "[--format text|json] LISTFILE INDEX",
		"Print entry INDEX of the status list in LISTFILE: 0 (clear) or 1 (set: revoked or\n"+
			"suspended, by the list's purpose). The list's proof is not verified.\n"+
			"Exit status: 0 the entry is clear, 1 it is set, 2 usage or I/O error.")
	format := formatFlag("text")
	fs.Var(&format, "format", "output `format`: text (the value alone) or json")
	pos, done, st := parseArgs(fs, args, stdout, stderr)
	if done {
		return st
	}
	if len(pos) != 2 {
		return usageError(fs, stderr, "want LISTFILE INDEX, got %d arguments", len(pos))
	}
	index, err := parseIndex(pos[1])
	if err != nil {
		return usageError(fs, stderr, "%v", err)
	}
	lf, err := readListFile(pos[0])
	if err != nil {
		return ioError(fs, stderr, err)
	}
	v, err := lf.list.Status(index)
	if errors.Is(err, status.ErrRange) {
		return ioError(fs, stderr, fmt.Errorf("%s: index %d is outside the list (%d entries)", pos[0], index, lf.list.Len()))
	} else if err != nil {
		return ioError(fs, stderr, err)
	}
	if format == "json" {
		if st := writeJSON(fs, stdout, stderr, statusEntryOutput{File: pos[0], Index: index, Value: v}); st != exitOK {
			return st
		}
	} else {
		fmt.Fprintln(stdout, v)
	}
	if v != 0 {
		return exitInvalid
	}
	return exitOK
}
