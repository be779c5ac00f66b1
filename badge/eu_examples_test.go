package badge

import "testing"

// TestRoundTripEUExamples: the Open Badges 3.0 micro-credentials among the
// EU reference examples round-trip like the OB examples, and FromOB3 reads
// them, naming the Annex I elements a plain OB3 credential cannot carry.
// (The Commission's own sample is in ELM, not OB3; it is mapped element by
// element in TestMicroCredentialCommissionSample.)
func TestRoundTripEUExamples(t *testing.T) {
	const f = "testdata/eu/mynextid-open-badge-mc-example.json"
	rt := roundTripFile(t, f, "Credential")
	if r := checkLD(t, rt); r.inErr == nil && !r.same {
		t.Errorf("canonical N-Quads changed by the round trip")
	}
	c := readCredentialFile(t, f)
	m, absent, err := FromOB3(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Title) == 0 || m.Workload.ECTS == "" || len(m.LearningOutcomes) == 0 {
		t.Errorf("native OB3 fields not read: title %v, ECTS %q, outcomes %d", m.Title, m.Workload.ECTS, len(m.LearningOutcomes))
	}
	t.Logf("absent Annex I elements in a plain OB3 micro-credential: %v", absent)
	if len(absent) == 0 {
		t.Error("a credential without the EU context cannot carry every mandatory element")
	}
}
