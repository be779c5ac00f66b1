package badge

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/microcred/microcred/vc"
)

// TestSubjectReadsLikeRoundTrip: the subject step reads the credential as
// ParseCredential(vc.Marshal(document)) does, also where that round trip
// fails on vc.Parse's size limit (raw U+2028 characters double in length
// when re-encoded) and where it does not.
func TestSubjectReadsLikeRoundTrip(t *testing.T) {
	base, err := os.ReadFile(goldenDir + "/inputs/eu-di.json")
	if err != nil {
		t.Fatal(err)
	}
	v := demoVerifier(t, VerifierOptions{RequireEUProfile: true})
	for _, n := range []int{1000, 150_000, 170_000, 174_000, 180_000, 300_000, 340_000} {
		var doc map[string]any
		if err := json.Unmarshal(base, &doc); err != nil {
			t.Fatal(err)
		}
		doc["description"] = strings.Repeat("\u2028", n)
		// Raw U+2028 (encoding/json would escape it).
		b, err := vc.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		raw := strings.ReplaceAll(string(b), `\u2028`, "\u2028")
		parsed, perr := vc.Parse([]byte(raw))
		rep, err := v.Verify(context.Background(), []byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		subj := rep.Check(CheckSubject)
		if perr != nil {
			if subj.Outcome != Skipped {
				t.Errorf("n=%d: input over the limit, subject %s %s", n, subj.Outcome, subj.Message)
			}
			continue
		}
		again, _ := vc.Marshal(parsed.Map())
		_, rtErr := ParseCredential(again)
		switch {
		case rtErr != nil && !strings.Contains(subj.Message, "cannot read the achievement credential: "+rtErr.Error()):
			t.Errorf("n=%d (%d bytes, re-encoded %d): round trip fails with %v, subject says %s %q", n, len(raw), len(again), rtErr, subj.Outcome, subj.Message)
		case rtErr == nil && strings.Contains(subj.Message, "cannot read"):
			t.Errorf("n=%d: round trip reads, subject says %q", n, subj.Message)
		}
		t.Logf("n=%d: %d bytes, re-encoded %d, round trip err %v, subject %s", n, len(raw), len(again), rtErr, subj.Outcome)
	}
}
