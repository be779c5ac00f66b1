package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/schema"
	"github.com/microcred/microcred/vc/dataintegrity"
)

func TestRun(t *testing.T) {
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "credential.json")
	var buf bytes.Buffer
	if err := run(ctx, &buf, out); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{
		"verified  yes",
		"DEMO KEY",
		"0 mandatory absent",
		"5 ECTS",
		"EQF 7",
		"Alpha University (demo issuer); Université Beta",
		"programQualityAssurance by Example Quality Assurance Agency",
		"preparesFor outgoing physical mobility",
		"wrote " + out,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}

	// The written credential verifies on its own, under the issuer's key.
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	results, err := dataintegrity.Verify(ctx, doc, dataintegrity.VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || !results[0].Verified {
		t.Fatalf("written credential does not verify: %+v", results)
	}
	issuer := doc["issuer"].(map[string]any)["id"]
	if results[0].Method.Controller != issuer {
		t.Errorf("key controller %s, issuer %v", results[0].Method.Controller, issuer)
	}

	// It is a valid OB 3.0 credential and a complete EU micro-credential.
	v, err := schema.New(schema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.ValidateCredential(ctx, data)
	if err != nil || !res.Valid() {
		t.Errorf("schema: %v %+v", err, res)
	}
	c, err := badge.ParseCredential(data)
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Check(); p != nil {
		t.Errorf("OB 3.0 rules: %v", p)
	}
	mc, absent, err := badge.FromOB3(c)
	if err != nil || len(absent) != 0 {
		t.Fatalf("FromOB3: %v, absent %v", err, absent)
	}
	if err := mc.Validate(); err != nil {
		t.Error(err)
	}
	if mc.Workload.ECTS != "5" || mc.Level.EQF != 7 || len(mc.AwardingBody) != 2 ||
		len(mc.Mobility) != 1 || mc.Mobility[0].Relation != badge.MobilityPreparesFor || mc.Mobility[0].Direction != badge.MobilityOutgoing ||
		len(mc.QualityAssurance) != 1 || mc.QualityAssurance[0].Body == nil {
		t.Errorf("read back: %+v", mc)
	}

	// Tampering with an element breaks the proof.
	doc["credentialSubject"].(map[string]any)["achievement"].(map[string]any)["creditsAvailable"] = 15
	results, err = dataintegrity.Verify(ctx, doc, dataintegrity.VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	if err != nil {
		t.Fatal(err)
	}
	if results[0].Verified {
		t.Error("tampered credential verifies")
	}

	// The key, clock and ids are fixed: the same bytes every run.
	out2 := filepath.Join(t.TempDir(), "again.json")
	if err := run(ctx, new(bytes.Buffer), out2); err != nil {
		t.Fatal(err)
	}
	again, err := os.ReadFile(out2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Error("two runs wrote different credentials")
	}
}

// The Issuer's EU hook refuses a credential with a missing element.
func TestValidateEUHook(t *testing.T) {
	c, err := microCredential("did:example:issuer").Credential()
	if err != nil {
		t.Fatal(err)
	}
	if err := validateEU(c); err != nil {
		t.Fatalf("complete credential: %v", err)
	}
	// Drop the quality assurance (accreditation) from the JSON.
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc["credentialSubject"].(map[string]any)["achievement"].(map[string]any), "accreditation")
	data, _ = json.Marshal(doc)
	c, err = badge.ParseCredential(data)
	if err != nil {
		t.Fatal(err)
	}
	err = validateEU(c)
	var me *badge.MicroCredentialError
	if !errors.As(err, &me) || len(me.Problems) != 1 || me.Problems[0].Element != badge.ElementQualityAssurance {
		t.Errorf("validateEU = %v", err)
	}
}
