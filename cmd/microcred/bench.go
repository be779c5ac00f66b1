package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
)

var benchCommand = &command{
	name:    "bench",
	summary: "verify a credential N times and print the median time per verification",
	run:     runBench,
}

// benchOutput is bench's JSON output.
type benchOutput struct {
	Op           string  `json:"op"`
	MedianMicros float64 `json:"medianMicros"`
	N            int     `json:"n"`
	Verified     bool    `json:"verified"`
}

func runBench(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("bench", "[--n N] [--format text|json] FILE|-",
		"Verify FILE N times in one process (the Verifier is built once; with the demo registry\n"+
			"when the issuer is the demo issuer, else no registry; no network) and print the median\n"+
			"wall time per verification, to size a deployment. JSON output:\n"+
			"    {\"op\":\"verify\",\"medianMicros\":…,\"n\":…,\"verified\":bool}\n"+
			"Exit status: 0 done (whatever the verdict), 2 usage or I/O error.")
	n := fs.Int("n", 100, "number of verifications")
	format := formatFlag("text")
	fs.Var(&format, "format", "output `format`: text or json")
	pos, done, status := parseArgs(fs, args, stdout, stderr)
	if done {
		return status
	}
	if *n < 1 {
		return usageError(fs, stderr, "--n must be at least 1, not %d", *n)
	}
	if len(pos) != 1 {
		return usageError(fs, stderr, "want one FILE (or - for standard input), got %d arguments", len(pos))
	}
	data, err := readInput(pos[0], stdin)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	opts := badge.VerifierOptions{}
	if c, err := badge.ParseCredential(data); err == nil && c.Issuer != nil && c.Issuer.ID == keys.DemoIssuerDID {
		opts.Registry = keys.DemoRegistry()
	}
	v, err := badge.NewVerifier(opts)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	ctx := context.Background()
	times := make([]time.Duration, *n)
	verified := false
	for i := range times {
		start := time.Now()
		rep, err := v.Verify(ctx, data)
		times[i] = time.Since(start)
		if err != nil {
			return ioError(fs, stderr, err)
		}
		verified = rep.Verified()
	}
	out := benchOutput{Op: "verify", MedianMicros: median(times), N: *n, Verified: verified}
	if format == "json" {
		b, err := json.Marshal(out)
		if err != nil {
			return ioError(fs, stderr, err)
		}
		fmt.Fprintf(stdout, "%s\n", b)
		return exitOK
	}
	verdict := "verified"
	if !verified {
		verdict = "NOT verified"
	}
	fmt.Fprintf(stdout, "verify: median %.0f µs per verification over %d runs (credential %s)\n", out.MedianMicros, out.N, verdict)
	return exitOK
}

// median returns the median of d in microseconds (d is sorted in place).
func median(d []time.Duration) float64 {
	slices.Sort(d)
	m := len(d) / 2
	if len(d)%2 == 1 {
		return float64(d[m].Microseconds())
	}
	return float64((d[m-1] + d[m]).Microseconds()) / 2
}
