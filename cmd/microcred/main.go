// Command microcred issues, checks and reads Open Badges 3.0
// micro-credentials carrying the elements of the EU Council Recommendation
// on micro-credentials (2022/C 243/02).
//
// Usage:
//
//	microcred <command> [flags] [arguments]
//
// Commands:
//
//	validate [--profile eu] [--format text|json] FILE|-
//	    Check a credential against the Open Badges 3.0 JSON Schema and every
//	    credentialSchema entry (embedded schemas only, no network), the
//	    Open Badges rules the schema cannot express, and — with --profile eu,
//	    or when the credential claims the EU profile (an achievement typed
//	    EUMicroCredentialAchievement) — the EU micro-credential elements.
//	    Proofs are not checked. JSON output:
//	        {"valid": bool, "problems": [{"element", "path", "message"}]}
//	    "element" is one of the element names of badge.MandatoryElements and
//	    badge.OptionalElements when the problem is about an EU element, and
//	    omitted otherwise. "path" is an RFC 6901 JSON Pointer ("" for the
//	    whole document): for schema and JSON problems it points into the
//	    input; for Open Badges rules and EU elements into the credential as
//	    the badge package writes it (arrays for multi-valued properties),
//	    which for usual inputs is the same place.
//
//	inspect [--format text|json] FILE|-
//	    Show the credential's EU micro-credential elements by name. JSON
//	    output:
//	        {"elements": {NAME: value or null}, "absent": [NAME...]}
//	    "elements" has every element name (mandatory, optional and
//	    mobility), null when the credential does not give it; "absent" lists
//	    the mandatory elements it does not give, in Annex I order.
//
//	keygen [--alg Ed25519|P-256|RSA] --out FILE|- [--force]
//	    Create a key pair; write the private JWK to FILE (mode 0600, an
//	    existing file is kept unless --force) with kid the did:key
//	    verification method URL (Ed25519, P-256) or the RFC 7638
//	    thumbprint (RSA), and print the did:key (Ed25519, P-256) or the
//	    public JWK (RSA). --out is required: "--out -" prints the private
//	    JWK on standard output (and the did:key or public JWK on standard
//	    error), so that a private key is never printed by accident.
//
//	issue --key FILE [--format di|jwt] [--alg ALG] [--status-list FILE --status-index N] FILE|-
//	    Sign a credential and print it: JSON with an eddsa-rdfc-2022 Data
//	    Integrity proof (di, the default; Ed25519 keys) or a VC-JWT (jwt;
//	    EdDSA, ES256, RS256). The issuer id becomes the key's did:key
//	    (did:jwk for RSA) unless the credential names one the key controls
//	    (the key's DID, or the DID or URL its kid is a fragment of). The
//	    credential is validated first; exit 1 with its problems on
//	    standard error (validate's text form) when invalid. --status-list
//	    adds a BitstringStatusListEntry for index N of that list.
//
//	status create --key FILE --url URL [--purpose revocation|suspension] [--size N] [--out FILE] [--force]
//	status set|clear --key FILE LISTFILE INDEX
//	status check LISTFILE INDEX
//	    Maintain a Bitstring Status List. The list file is the signed
//	    BitstringStatusListCredential itself; set and clear re-sign it and
//	    replace the file atomically. check prints the entry (0 or 1) and
//	    exits 0 when it is clear, 1 when it is set.
//
//	verify [--format text|json] [--registry FILE] [--now RFC3339] [--allow-host HOST]... [--profile eu] FILE|URL|-
//	    Verify a credential (embedded proof, VC-JWT, or baked PNG/SVG) with
//	    badge.Verifier and print its Report: text, one line per check then
//	    VERIFIED or NOT VERIFIED; JSON, the Report's own form
//	        {"verified": bool, "credential": {...}, "checks": [{"id", "outcome", "message", ...}], ...}
//	    --registry is a keys.FileRegistry file (without it the registry
//	    step is a warning); --now fixes the clock; --profile eu requires a
//	    complete EU micro-credential. An https URL is fetched only when its
//	    host is given with --allow-host, through fetch.HTTP, and the
//	    Verifier reaches only those hosts (did:web, JWKS, status lists).
//	    Exit 0 verified, 1 not verified, 2 usage or I/O error (a URL whose
//	    host is not allowed included).
//
//	demo [--out FILE] [--format text|json]
//	    Issue a complete EU micro-credential (every mandatory and optional
//	    element, and a mobility) with the public demo key
//	    (keys.DemoIssuerDID, eddsa-rdfc-2022) at a fixed time, verify it
//	    with keys.DemoRegistry and the EU profile required, and print the
//	    elements and the checks (or the Report as JSON). --out also writes
//	    the credential. Exit 0 when verified. DEMO ONLY: the key is public.
//
//	bench [--n N] [--format text|json] FILE|-
//	    Verify FILE N times (default 100) with one Verifier (the demo
//	    registry when the issuer is the demo issuer, else none; no
//	    network) and print the median time per verification. JSON output:
//	        {"op": "verify", "medianMicros": number, "n": N, "verified": bool}
//
//	help [COMMAND]
//	    Show this usage, or a command's.
//
// FILE "-" reads standard input. Inputs are read up to 1 MiB (the library's
// parsing limit); a larger input is an I/O error.
//
// Exit status: 0 success (valid); 1 the credential is invalid or cannot be
// read as a credential (malformed JSON included, reported as a problem at
// its JSON path); 2 usage error or I/O error (unknown command or flag,
// missing or unreadable file, input over the size limit).
//
// The command only parses arguments, reads files and prints: every check is
// a library call (badge, schema), so that a program embedding the library
// gets the same answers.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit statuses shared by all commands.
const (
	exitOK      = 0 // success; the credential is valid
	exitInvalid = 1 // the credential is invalid (or not verified)
	exitUsage   = 2 // usage or I/O error
)

// command is one subcommand. Each lives in its own file (validate.go,
// inspect.go, …) and is listed in commands.
type command struct {
	name    string
	summary string // one line for the command list
	// run runs the command with the arguments after its name and returns
	// the exit status. With -h or --help it prints its usage on stdout
	// and returns exitOK.
	run func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands lists the subcommands in the order the usage shows them. A new
// command is a new file with a command value and one line here.
var commands []*command

func init() {
	commands = []*command{
		validateCommand,
		inspectCommand,
		keygenCommand,
		issueCommand,
		verifyCommand,
		statusCommand,
		serveCommand,
		demoCommand,
		benchCommand,
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole program: it dispatches args to a command and returns the
// exit status. Tests call it in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch name := args[0]; name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			c := lookup(args[1])
			if c == nil {
				fmt.Fprintf(stderr, "microcred: unknown command %q\n\n", args[1])
				usage(stderr)
				return exitUsage
			}
			return c.run([]string{"-h"}, nil, stdout, stderr)
		}
		usage(stdout)
		return exitOK
	default:
		c := lookup(name)
		if c == nil {
			fmt.Fprintf(stderr, "microcred: unknown command %q\n\n", name)
			usage(stderr)
			return exitUsage
		}
		return c.run(args[1:], stdin, stdout, stderr)
	}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "microcred issues, checks and reads Open Badges 3.0 EU micro-credentials.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  microcred <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	width := len("help")
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-*s  %s\n", width, "help", "show this usage, or a command's (help COMMAND)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit status: 0 valid, 1 invalid, 2 usage or I/O error.")
}
