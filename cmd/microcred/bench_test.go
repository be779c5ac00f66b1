package main

import (
	"strings"
	"testing"
	"time"
)

func TestBenchJSON(t *testing.T) {
	path := demoFile(t)
	r := runCmd(t, nil, "bench", "--n", "5", "--format", "json", path)
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var out struct {
		Op           *string  `json:"op"`
		MedianMicros *float64 `json:"medianMicros"`
		N            *int     `json:"n"`
		Verified     *bool    `json:"verified"`
	}
	decodeStrict(t, r.stdout, &out)
	if out.Op == nil || *out.Op != "verify" || out.N == nil || *out.N != 5 || out.MedianMicros == nil || *out.MedianMicros <= 0 {
		t.Errorf("bad output: %s", r.stdout)
	}
	// The demo issuer gets the demo registry: the credential verifies.
	if out.Verified == nil || !*out.Verified {
		t.Errorf("demo credential not verified: %s", r.stdout)
	}
}

func TestBenchText(t *testing.T) {
	r := runCmd(t, nil, "bench", "--n", "2", demoFile(t))
	if r.code != exitOK || !strings.Contains(r.stdout, "median") || !strings.Contains(r.stdout, "2 runs") {
		t.Errorf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"bench"}, {"bench", "--n", "0", "x.json"}, {"bench", "missing.json"}} {
		if r := runCmd(t, nil, args...); r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, r.code, exitUsage)
		}
	}
}

func TestMedian(t *testing.T) {
	if m := median([]time.Duration{3 * time.Microsecond, time.Microsecond, 2 * time.Microsecond}); m != 2 {
		t.Errorf("odd: %v", m)
	}
	if m := median([]time.Duration{4 * time.Microsecond, time.Microsecond}); m != 2.5 {
		t.Errorf("even: %v", m)
	}
}
