package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/keys"
)

var verifyCommand = &command{
	name:    "verify",
	summary: "verify a credential: proof, issuer key, registry, status, validity, EU profile",
	run:     runVerify,
}

// verifyHTTPClient is the HTTP client behind verify's fetcher; nil means
// the default transport. Tests set it to reach an httptest TLS server.
var verifyHTTPClient *http.Client

// hostList is a repeatable flag (--allow-host).
type hostList []string

func (h *hostList) String() string { return strings.Join(*h, ",") }

func (h *hostList) Set(s string) error {
	if s == "" {
		return fmt.Errorf("empty host")
	}
	*h = append(*h, s)
	return nil
}

func runVerify(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify", "[--format text|json] [--registry FILE] [--now RFC3339] [--allow-host HOST]... [--profile eu] FILE|URL|-",
		"Verify a credential (JSON with an embedded proof, a VC-JWT, or a baked PNG/SVG) with the\n"+
			"library's Verifier: parse, context and type, schema, subject, proof, key provenance,\n"+
			"registry, status, validity, EU profile, endorsements. An https URL is fetched only when\n"+
			"its host is given with --allow-host; the same hosts are the only ones the Verifier may\n"+
			"reach (did:web, controller documents, JWKS, status lists). Without --registry the\n"+
			"registry step is a warning: the issuer's key signed, but nobody said to trust the issuer.\n"+
			"Exit status: 0 verified, 1 not verified, 2 usage or I/O error.")
	registry := fs.String("registry", "", "trusted issuer registry `file` (keys.FileRegistry JSON)")
	now := fs.String("now", "", "verify as of this `time` (RFC 3339) instead of the clock")
	profile := fs.String("profile", "", "require the `profile` (eu: a complete EU micro-credential)")
	var hosts hostList
	fs.Var(&hosts, "allow-host", "`host` (or host:port) that may be fetched over HTTPS; repeatable")
	format := formatFlag("text")
	fs.Var(&format, "format", "output `format`: text or json")
	pos, done, status := parseArgs(fs, args, stdout, stderr)
	if done {
		return status
	}
	if *profile != "" && *profile != "eu" {
		return usageError(fs, stderr, "unknown profile %q (the one profile is eu)", *profile)
	}
	if len(pos) != 1 {
		return usageError(fs, stderr, "want one FILE, URL (or - for standard input), got %d arguments", len(pos))
	}
	opts := badge.VerifierOptions{RequireEUProfile: *profile == "eu"}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return usageError(fs, stderr, "--now: %v", err)
		}
		opts.Now = func() time.Time { return t }
	}
	if *registry != "" {
		r, err := keys.LoadRegistryFile(*registry)
		if err != nil {
			return ioError(fs, stderr, err)
		}
		opts.Registry = r
	}
	var fetcher *fetch.HTTP
	if len(hosts) > 0 {
		fetcher = fetch.NewHTTP(verifyHTTPClient, fetch.Options{AllowedHosts: hosts})
		opts.Fetcher = fetcher
	}
	ctx := context.Background()
	data, err := readVerifyInput(ctx, pos[0], stdin, fetcher)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	v, err := badge.NewVerifier(opts)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	rep, err := v.Verify(ctx, data)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	if err := writeReport(stdout, string(format), rep); err != nil {
		return ioError(fs, stderr, err)
	}
	if !rep.Verified() {
		return exitInvalid
	}
	return exitOK
}

// readVerifyInput reads a file or standard input, or fetches an https URL
// through fetcher (nil, when no host is allowed, refuses every URL).
func readVerifyInput(ctx context.Context, arg string, stdin io.Reader, fetcher *fetch.HTTP) ([]byte, error) {
	if !isURL(arg) {
		return readInput(arg, stdin)
	}
	u, err := url.Parse(arg)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "https" {
		return nil, fmt.Errorf("%s: only https URLs are fetched", arg)
	}
	if fetcher == nil {
		return nil, fmt.Errorf("%s: host %q is not allowed (add --allow-host %s)", arg, u.Host, u.Host)
	}
	data, err := fetcher.Fetch(ctx, arg)
	if err != nil {
		return nil, err
	}
	if len(data) > maxInput {
		return nil, errTooLarge
	}
	return data, nil
}

// isURL reports whether arg names a URL rather than a file.
func isURL(arg string) bool {
	return strings.HasPrefix(arg, "https://") || strings.HasPrefix(arg, "http://")
}

// writeReport prints rep: its own JSON form, or one line per check then
// VERIFIED or NOT VERIFIED.
func writeReport(w io.Writer, format string, rep *badge.Report) error {
	if format == "json" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	if rep.Credential.ID != "" {
		fmt.Fprintf(w, "credential %s\n", rep.Credential.ID)
	}
	if rep.Credential.Issuer != "" {
		fmt.Fprintf(w, "issuer     %s\n", rep.Credential.Issuer)
	}
	for _, c := range rep.Checks {
		fmt.Fprintf(w, "  %-8s %-17s %s\n", c.Outcome, c.ID, oneLine(c.Message))
	}
	if rep.Verified() {
		_, err := fmt.Fprintln(w, "VERIFIED")
		return err
	}
	_, err := fmt.Fprintln(w, "NOT VERIFIED")
	return err
}
