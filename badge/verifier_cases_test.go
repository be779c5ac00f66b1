package badge_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/microcred/microcred/badge"
)

// fixtureNow is inside the validity of the 1EdTech fixtures (most are valid
// from 2010-01-01, simple-context-alias from 2024-03-21, complete's
// credentials until 2020 or 2030).
var fixtureNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const casesDir = "../testdata/ob3/validator-cases/ob30"

func TestVerifyCasesDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	v, err := badge.NewVerifier(badge.VerifierOptions{Now: func() time.Time { return fixtureNow }})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile("../testdata/ob3/validator-cases/cases.json")
	var cs struct{ Cases map[string]struct{ ValidatorExpectation string } }
	json.Unmarshal(raw, &cs)
	for name, c := range cs.Cases {
		data, err := os.ReadFile(filepath.Join(casesDir, name))
		if err != nil {
			t.Logf("%s: %v", name, err)
			continue
		}
		rep, err := v.Verify(context.Background(), data)
		if err != nil {
			t.Fatal(err)
		}
		s := ""
		for _, ch := range rep.Checks {
			if ch.Outcome == badge.Failed || ch.Outcome == badge.Warning {
				m := ch.Message
				if len(m) > 140 {
					m = m[:140]
				}
				s += "\n    " + ch.ID + "=" + string(ch.Outcome) + ": " + m
			}
		}
		t.Logf("%s [%s] verified=%v%s", name, c.ValidatorExpectation, rep.Verified(), s)
	}
}
