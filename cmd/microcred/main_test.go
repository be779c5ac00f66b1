package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/microcred/microcred/badge"
)

const (
	repoRoot       = "../.."
	simpleOB3      = repoRoot + "/testdata/ob3/validator-cases/ob30/simple.json"
	simpleErrIssue = repoRoot + "/testdata/ob3/validator-cases/ob30/simple-err-issuer.json"
)

// missingFromSimple are the mandatory EU elements the plain OB 3.0 sample
// simple.json does not give (its issuer, name, subject and validFrom stand
// in for awardingBody, title, learner and dateOfIssue).
var missingFromSimple = []string{
	badge.ElementIssuerCountry, badge.ElementLearningOutcomes, badge.ElementWorkload, badge.ElementLevel,
	badge.ElementAssessmentType, badge.ElementParticipationForm, badge.ElementQualityAssurance,
}

type result struct {
	code           int
	stdout, stderr string
}

func runCmd(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, stdin, &out, &errb)
	return result{code, out.String(), errb.String()}
}

// decodeStrict decodes s into v, refusing unknown members.
func decodeStrict(t *testing.T, s string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("output is not the JSON form: %v\n%s", err, s)
	}
}

type jsonProblem struct {
	Element *string `json:"element"`
	Path    *string `json:"path"`
	Message *string `json:"message"`
}

type jsonValidate struct {
	Valid    *bool          `json:"valid"`
	Problems *[]jsonProblem `json:"problems"`
}

func validateJSON(t *testing.T, stdin io.Reader, args ...string) (result, jsonValidate) {
	t.Helper()
	r := runCmd(t, stdin, append([]string{"validate", "--format", "json"}, args...)...)
	var v jsonValidate
	decodeStrict(t, r.stdout, &v)
	if v.Valid == nil || v.Problems == nil {
		t.Fatalf("valid or problems missing (problems must be [] when valid):\n%s", r.stdout)
	}
	for _, p := range *v.Problems {
		if p.Path == nil || p.Message == nil || *p.Message == "" {
			t.Errorf("problem without path or message: %+v", p)
		}
		if p.Element != nil && !slices.Contains(elementNames(), *p.Element) {
			t.Errorf("problem element %q is not an element name", *p.Element)
		}
	}
	if *v.Valid != (len(*v.Problems) == 0) {
		t.Errorf("valid=%v with %d problems", *v.Valid, len(*v.Problems))
	}
	want := exitOK
	if !*v.Valid {
		want = exitInvalid
	}
	if r.code != want {
		t.Errorf("exit %d, want %d (valid=%v)", r.code, want, *v.Valid)
	}
	return r, v
}

type jsonInspect struct {
	Elements map[string]json.RawMessage `json:"elements"`
	Absent   *[]string                  `json:"absent"`
}

func inspectJSON(t *testing.T, stdin io.Reader, args ...string) jsonInspect {
	t.Helper()
	r := runCmd(t, stdin, append([]string{"inspect", "--format", "json"}, args...)...)
	if r.code != exitOK {
		t.Fatalf("inspect exit %d: %s", r.code, r.stderr)
	}
	var v jsonInspect
	decodeStrict(t, r.stdout, &v)
	if v.Absent == nil {
		t.Fatalf("absent missing (must be [] when none):\n%s", r.stdout)
	}
	for _, name := range elementNames() {
		raw, ok := v.Elements[name]
		if !ok {
			t.Errorf("elements has no %q", name)
			continue
		}
		isNull := string(raw) == "null"
		if slices.Contains(*v.Absent, name) && !isNull {
			t.Errorf("%s is absent but has a value %s", name, raw)
		}
		if slices.Contains(badge.MandatoryElements, name) && isNull && !slices.Contains(*v.Absent, name) {
			t.Errorf("mandatory %s is null but not listed absent", name)
		}
	}
	if len(v.Elements) != len(elementNames()) {
		t.Errorf("elements has %d names, want %d", len(v.Elements), len(elementNames()))
	}
	return v
}

func euExamples(t *testing.T) []string {
	files, err := filepath.Glob(repoRoot + "/docs/eu-profile/examples/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no EU profile examples: %v", err)
	}
	return files
}

func TestValidateEUExamples(t *testing.T) {
	for _, f := range euExamples(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, v := validateJSON(t, nil, "--profile", "eu", f)
			for _, p := range *v.Problems {
				if p.Element != nil {
					t.Errorf("EU element problem: %s %s: %s", *p.Element, *p.Path, *p.Message)
				} else {
					t.Errorf("problem: %s: %s", *p.Path, *p.Message)
				}
			}
			if !*v.Valid || r.code != 0 {
				t.Errorf("not valid (exit %d)", r.code)
			}
		})
	}
}

func TestInspectEUExamples(t *testing.T) {
	for _, f := range euExamples(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			v := inspectJSON(t, nil, f)
			if len(*v.Absent) != 0 {
				t.Errorf("absent = %v, want none", *v.Absent)
			}
			for _, name := range badge.MandatoryElements {
				if string(v.Elements[name]) == "null" {
					t.Errorf("mandatory %s is null", name)
				}
			}
		})
	}
	// The joint example: element values as the typed view encodes them.
	v := inspectJSON(t, nil, repoRoot+"/docs/eu-profile/examples/joint-mobility-preparation.json")
	var title map[string]string
	if err := json.Unmarshal(v.Elements["title"], &title); err != nil || title["fr"] != "Compétence interculturelle pour la mobilité internationale" {
		t.Errorf("title = %s (%v)", v.Elements["title"], err)
	}
	var bodies []struct{ ID string }
	if err := json.Unmarshal(v.Elements["awardingBody"], &bodies); err != nil || len(bodies) != 2 ||
		bodies[0].ID != "https://alpha-university.example/" || bodies[1].ID != "https://beta-universite.example/" {
		t.Errorf("awardingBody = %s (%v)", v.Elements["awardingBody"], err)
	}
	var level struct{ EQF int }
	if err := json.Unmarshal(v.Elements["level"], &level); err != nil || level.EQF != 7 {
		t.Errorf("level = %s (%v)", v.Elements["level"], err)
	}
	var mob []struct{ Relation, Direction string }
	if err := json.Unmarshal(v.Elements["mobility"], &mob); err != nil || len(mob) != 1 || mob[0].Relation != "preparesFor" || mob[0].Direction != "outgoing" {
		t.Errorf("mobility = %s (%v)", v.Elements["mobility"], err)
	}
}

func TestValidatePlainOB3(t *testing.T) {
	r, v := validateJSON(t, nil, simpleOB3)
	if !*v.Valid {
		t.Fatalf("simple.json not valid as OB 3.0: %s", r.stdout)
	}
	if !strings.Contains(r.stdout, `"problems": []`) {
		t.Errorf("problems is not an empty array:\n%s", r.stdout)
	}

	// With the EU profile: invalid, each missing element by name.
	r, v = validateJSON(t, nil, "--profile", "eu", simpleOB3)
	if *v.Valid {
		t.Fatal("simple.json valid under the EU profile")
	}
	var elements []string
	for _, p := range *v.Problems {
		if p.Element == nil {
			t.Errorf("problem without element: %s: %s", *p.Path, *p.Message)
			continue
		}
		if *p.Path == "" {
			t.Errorf("%s: no path", *p.Element)
		}
		elements = append(elements, *p.Element)
	}
	if !slices.Equal(elements, missingFromSimple) {
		t.Errorf("elements = %v, want %v", elements, missingFromSimple)
	}

	// Flags may follow the file.
	r2 := runCmd(t, nil, "validate", simpleOB3, "--format", "json", "--profile", "eu")
	if r2.code != exitInvalid || r2.stdout != r.stdout {
		t.Errorf("flags after FILE: exit %d, output differs: %v", r2.code, r2.stdout != r.stdout)
	}
}

func TestInspectPlainOB3(t *testing.T) {
	v := inspectJSON(t, nil, simpleOB3)
	if !slices.Equal(*v.Absent, missingFromSimple) {
		t.Errorf("absent = %v, want %v", *v.Absent, missingFromSimple)
	}
	var learner struct{ ID string }
	if err := json.Unmarshal(v.Elements["learner"], &learner); err != nil || learner.ID != "did:example:ebfeb1f712ebc6f1c276e12ec21" {
		t.Errorf("learner = %s (%v)", v.Elements["learner"], err)
	}
	r := runCmd(t, nil, "inspect", simpleOB3)
	if r.code != exitOK {
		t.Fatalf("exit %d", r.code)
	}
	if !strings.Contains(r.stdout, "absent mandatory elements: "+strings.Join(missingFromSimple, ", ")) {
		t.Errorf("text output does not list the absent elements:\n%s", r.stdout)
	}
	// Names are aligned: every value starts in the same column.
	col := len("supervisionAndIdentityVerification") + 2
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if line == "" || strings.HasPrefix(line, "absent mandatory") {
			break
		}
		if len(line) <= col || line[col-1] != ' ' || line[col] == ' ' {
			t.Errorf("not aligned at column %d: %q", col, line)
		}
	}
}

func TestValidateSchemaInvalid(t *testing.T) {
	_, v := validateJSON(t, nil, simpleErrIssue)
	if *v.Valid {
		t.Fatal("simple-err-issuer.json valid")
	}
	found := false
	for _, p := range *v.Problems {
		if *p.Path == "/issuer" {
			found = true
		}
		if p.Element != nil {
			t.Errorf("OB 3.0 problem with an element: %+v", p)
		}
	}
	if !found {
		t.Errorf("no problem at /issuer: %+v", *v.Problems)
	}
	r := runCmd(t, nil, "validate", simpleErrIssue)
	if r.code != exitInvalid || !strings.Contains(r.stdout, "invalid") || !strings.Contains(r.stdout, "/issuer") {
		t.Errorf("text: exit %d\n%s", r.code, r.stdout)
	}
}

func TestValidateMalformedJSON(t *testing.T) {
	_, v := validateJSON(t, strings.NewReader(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": [`), "-")
	if *v.Valid || len(*v.Problems) != 1 {
		t.Fatalf("malformed JSON: %+v", *v.Problems)
	}
	if p := (*v.Problems)[0]; *p.Path != "/type/0" {
		t.Errorf("path = %q, want /type/0 (the value expected there)", *p.Path)
	}
	// Duplicate member names are refused too.
	_, v = validateJSON(t, strings.NewReader(`{"id": "a", "id": "b"}`), "-")
	if *v.Valid {
		t.Error("duplicate member accepted")
	}
	// inspect: not readable, exit 1.
	r := runCmd(t, strings.NewReader("{"), "inspect", "-")
	if r.code != exitInvalid || r.stderr == "" {
		t.Errorf("inspect malformed: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestEUClaimedWithoutFlag(t *testing.T) {
	data, err := os.ReadFile(repoRoot + "/docs/eu-profile/examples/blended-intensive-programme.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	ach := doc["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
	delete(ach, "assessmentType")
	edited, _ := json.Marshal(doc)
	// The achievement is typed EUMicroCredentialAchievement: the EU
	// elements are checked without --profile.
	_, v := validateJSON(t, bytes.NewReader(edited), "-")
	var elements []string
	for _, p := range *v.Problems {
		if p.Element != nil {
			elements = append(elements, *p.Element)
		}
	}
	if !slices.Equal(elements, []string{badge.ElementAssessmentType}) {
		t.Errorf("elements = %v, want [assessmentType]; problems %+v", elements, *v.Problems)
	}
	r := runCmd(t, bytes.NewReader(edited), "validate", "-")
	if r.code != exitInvalid || !strings.Contains(r.stdout, "(stdin): invalid, 1 problem\n") || !strings.Contains(r.stdout, "assessmentType") {
		t.Errorf("text: exit %d\n%s", r.code, r.stdout)
	}
}

func TestStdin(t *testing.T) {
	data, err := os.ReadFile(simpleOB3)
	if err != nil {
		t.Fatal(err)
	}
	r := runCmd(t, bytes.NewReader(data), "validate", "-")
	if r.code != exitOK || r.stdout != "(stdin): valid\n" {
		t.Errorf("validate -: exit %d %q", r.code, r.stdout)
	}
	v := inspectJSON(t, bytes.NewReader(data), "-")
	if !slices.Equal(*v.Absent, missingFromSimple) {
		t.Errorf("inspect -: absent %v", *v.Absent)
	}
}

func TestInputLimit(t *testing.T) {
	// A JSON document of exactly 1 MiB is read (and is not a credential);
	// one byte more is an I/O error.
	doc := func(n int) []byte {
		b := bytes.Repeat([]byte(" "), n)
		b[0], b[n-2], b[n-1] = '{', '}', '\n'
		return b
	}
	r := runCmd(t, bytes.NewReader(doc(maxInput)), "validate", "-")
	if r.code != exitInvalid {
		t.Errorf("1 MiB: exit %d, stderr %s", r.code, r.stderr)
	}
	for _, cmd := range []string{"validate", "inspect"} {
		r = runCmd(t, bytes.NewReader(doc(maxInput+1)), cmd, "-")
		if r.code != exitUsage || !strings.Contains(r.stderr, "larger than") || r.stdout != "" {
			t.Errorf("%s 1 MiB + 1: exit %d, stderr %q", cmd, r.code, r.stderr)
		}
	}
	if _, err := readInput("-", bytes.NewReader(doc(maxInput+1))); !errors.Is(err, errTooLarge) {
		t.Errorf("readInput: %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, exitUsage},
		{[]string{"frobnicate"}, exitUsage},
		{[]string{"validate"}, exitUsage},
		{[]string{"validate", simpleOB3, simpleOB3}, exitUsage},
		{[]string{"validate", "--strict", simpleOB3}, exitUsage},
		{[]string{"validate", "--format", "yaml", simpleOB3}, exitUsage},
		{[]string{"validate", "--profile", "us", simpleOB3}, exitUsage},
		{[]string{"validate", "testdata/does-not-exist.json"}, exitUsage},
		{[]string{"inspect", "testdata/does-not-exist.json"}, exitUsage},
		{[]string{"inspect", "--profile", "eu", simpleOB3}, exitUsage},
		{[]string{"inspect", "--format", "xml", simpleOB3}, exitUsage},
		{[]string{"help", "frobnicate"}, exitUsage},
	} {
		r := runCmd(t, nil, tc.args...)
		if r.code != tc.code {
			t.Errorf("%q: exit %d, want %d", tc.args, r.code, tc.code)
		}
		if r.stderr == "" || r.stdout != "" {
			t.Errorf("%q: want a message on stderr only; stdout %q stderr %q", tc.args, r.stdout, r.stderr)
		}
	}
	r := runCmd(t, nil, "frobnicate")
	if !strings.Contains(r.stderr, `unknown command "frobnicate"`) || !strings.Contains(r.stderr, "Usage:") {
		t.Errorf("unknown command: %q", r.stderr)
	}
	r = runCmd(t, nil, "validate", "testdata/does-not-exist.json")
	if !strings.Contains(r.stderr, "no such file") {
		t.Errorf("missing file: %q", r.stderr)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		r := runCmd(t, nil, args...)
		if r.code != exitOK || r.stderr != "" {
			t.Errorf("%q: exit %d stderr %q", args, r.code, r.stderr)
		}
		for _, c := range commands {
			if !strings.Contains(r.stdout, "\n  "+c.name+" ") {
				t.Errorf("%q: usage does not list %s:\n%s", args, c.name, r.stdout)
			}
		}
	}
	for _, c := range commands {
		for _, args := range [][]string{{"help", c.name}, {c.name, "-h"}, {c.name, "--help"}} {
			r := runCmd(t, nil, args...)
			if r.code != exitOK || !strings.HasPrefix(r.stdout, "Usage: microcred "+c.name) || !strings.Contains(r.stdout, "-format") {
				t.Errorf("%q: exit %d\n%s", args, r.code, r.stdout)
			}
		}
	}
}

// TestBinary builds the command and runs it, to check that the exit status
// reaches the process.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := filepath.Join(t.TempDir(), "microcred")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"validate", simpleOB3}, exitOK},
		{[]string{"validate", "--profile", "eu", simpleOB3}, exitInvalid},
		{[]string{"validate", "testdata/does-not-exist.json"}, exitUsage},
		{[]string{"inspect", "--format", "json", simpleOB3}, exitOK},
	} {
		cmd := exec.Command(bin, tc.args...)
		var stdout bytes.Buffer
		cmd.Stdout = &stdout
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code {
			t.Errorf("%q: exit %d, want %d", tc.args, code, tc.code)
		}
		if tc.code != exitUsage && stdout.Len() == 0 {
			t.Errorf("%q: no output", tc.args)
		}
	}
}

// An EndorsementCredential is checked with its own OB 3.0 rules and schema.
func TestValidateEndorsement(t *testing.T) {
	dir := repoRoot + "/testdata/ob3/validator-cases/ob30/"
	if _, v := validateJSON(t, nil, dir+"endorsement-valid.json"); !*v.Valid {
		t.Errorf("endorsement-valid.json: %+v", *v.Problems)
	}
	_, v := validateJSON(t, nil, dir+"endorsement-err-schema-status-refresh.json")
	paths := map[string]bool{}
	for _, p := range *v.Problems {
		paths[*p.Path] = true
	}
	// The unknown remote schema is a problem at its entry, not a fetch.
	if *v.Valid || !paths["/validFrom"] || !paths["/credentialSchema/1"] {
		t.Errorf("endorsement-err-schema-status-refresh.json: %+v", *v.Problems)
	}
}

// Documents that are JSON but not credentials are invalid, not errors.
func TestValidateNotACredential(t *testing.T) {
	for _, in := range []string{"[]", `"x"`, "null", "{}", ""} {
		_, v := validateJSON(t, strings.NewReader(in), "-")
		if *v.Valid {
			t.Errorf("%q valid", in)
		}
		if r := runCmd(t, strings.NewReader(in), "inspect", "-"); r.code != exitInvalid {
			t.Errorf("inspect %q: exit %d", in, r.code)
		}
	}
}
