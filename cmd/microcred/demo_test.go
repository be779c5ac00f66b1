package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
)

// demoFile runs "demo --out" into a temporary directory and returns the
// path of the issued credential.
func demoFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.json")
	r := runCmd(t, nil, "demo", "--out", path)
	if r.code != exitOK {
		t.Fatalf("demo: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	return path
}

func TestDemo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.json")
	r := runCmd(t, nil, "demo", "--out", path)
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range append(append([]string{"VERIFIED", keys.DemoIssuerDID, "DEMO KEY"}, badge.MandatoryElements...), badge.OptionalElements...) {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "NOT VERIFIED") {
		t.Errorf("demo not verified:\n%s", r.stdout)
	}
	// Deterministic: a second run prints and issues the same.
	path2 := filepath.Join(filepath.Dir(path), "demo2.json")
	r2 := runCmd(t, nil, "demo", "--out", path2)
	if strings.ReplaceAll(r2.stdout, path2, path) != r.stdout {
		t.Errorf("output differs between runs:\n%s\n---\n%s", r.stdout, r2.stdout)
	}
	b1, _ := os.ReadFile(path)
	b2, _ := os.ReadFile(path2)
	if string(b1) != string(b2) {
		t.Error("issued credential differs between runs")
	}

	// The written credential is a complete EU micro-credential.
	c, err := badge.ParseCredential(b1)
	if err != nil {
		t.Fatal(err)
	}
	mc, absent, err := badge.FromOB3(c)
	if err != nil || len(absent) != 0 {
		t.Fatalf("FromOB3: %v, absent %v", err, absent)
	}
	if err := mc.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, name := range badge.OptionalElements {
		if _, ok := mc.Element(name); !ok {
			t.Errorf("optional element %s absent", name)
		}
	}

	// verify accepts it, with the EU profile required and the demo registry file.
	v := runCmd(t, nil, "verify", "--profile", "eu", "--registry", repoRoot+"/keys/testdata/registry/demo.json", path)
	if v.code != exitOK {
		t.Fatalf("verify --registry: exit %d\n%s\n%s", v.code, v.stdout, v.stderr)
	}
}

func TestDemoJSON(t *testing.T) {
	r := runCmd(t, nil, "demo", "--format", "json")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var rep badge.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("not a Report: %v\n%s", err, r.stdout)
	}
	if !rep.Verified() || rep.EUElements == nil {
		t.Errorf("report not verified or without EU elements:\n%s", r.stdout)
	}
	if c := rep.Check(badge.CheckRegistry); c == nil || c.Outcome != badge.Passed {
		t.Errorf("registry check: %+v", c)
	}
}

func TestDemoUsage(t *testing.T) {
	if r := runCmd(t, nil, "demo", "extra"); r.code != exitUsage {
		t.Errorf("demo extra: exit %d, want %d", r.code, exitUsage)
	}
	if r := runCmd(t, nil, "demo", "--out", filepath.Join(t.TempDir(), "no", "such", "dir.json")); r.code != exitUsage {
		t.Errorf("unwritable --out: exit %d, want %d", r.code, exitUsage)
	}
}
