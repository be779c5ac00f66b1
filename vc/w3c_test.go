package vc

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The inputs of the W3C VCDM 2.0 test suite (testdata/w3c-vcdm2, see
// testdata/SOURCES.md). The suite sends them to an issuer, which adds an
// issuer (and a proof) before checking, so most "-ok" inputs have no issuer
// member. injectIssuer does what the suite's createRequestBody does for a
// missing issuer or an issuer object without id — but, unlike the suite, it
// leaves an explicit null alone, since the null cases are meant to fail.
// "PAST DATE" and "FUTURE DATE" are placeholders the suite fills in.
const (
	skipPresentation = "presentation: package vc reads credentials only"
	skipJSONLD       = "needs a JSON-LD processor (package ld safe mode), not a structural check"
)

var w3cCases = []struct {
	file     string
	ok       bool
	rules    []string // for failures: rules that must be among the problems
	noInject bool     // do not add the issuer the suite's issuer would add
	skip     string
}{
	{file: "credential-context-combo1-ok.json", ok: true},
	{file: "credential-context-combo2-ok.json", ok: true},
	{file: "credential-context-combo3-fail.json", rules: []string{"context"}},
	{file: "credential-context-combo4-fail.json", rules: []string{"context"}},
	{file: "credential-evidence-missing-type-fail.json", rules: []string{"evidence"}},
	{file: "credential-evidence-ok.json", ok: true},
	{file: "credential-evidences-ok.json", ok: true},
	{file: "credential-id-multi-fail.json", rules: []string{"id"}},
	{file: "credential-id-nonidentifier-fail.json", rules: []string{"id"}},
	{file: "credential-id-not-url-fail.json", rules: []string{"id"}},
	{file: "credential-id-other-ok.json", ok: true},
	{file: "credential-id-single-ok.json", ok: true},
	{file: "credential-id-subject-multi-fail.json", rules: []string{"credentialSubject"}},
	{file: "credential-id-subject-single-ok.json", ok: true},
	{file: "credential-issuer-no-url-fail.json", rules: []string{"issuer"}},
	{file: "credential-issuer-null-fail.json", rules: []string{"issuer"}},
	{file: "credential-issuer-object-id-no-url-fail.json", rules: []string{"issuer"}},
	{file: "credential-issuer-object-id-null-fail.json", rules: []string{"issuer"}},
	{file: "credential-issuer-object-ok.json", ok: true},
	{file: "credential-missing-base-context-fail-or-inject.json", rules: []string{"context"}},
	{file: "credential-missing-required-type-fail.json", rules: []string{"type"}},
	{file: "credential-no-context-fail-or-inject.json", rules: []string{"context"}},
	{file: "credential-no-issuer-fail.json", rules: []string{"issuer", "credentialSubject"}, noInject: true},
	{file: "credential-no-subject-fail.json", rules: []string{"credentialSubject"}},
	{file: "credential-no-type-fail.json", rules: []string{"type"}},
	{file: "credential-ok.json", ok: true},
	{file: "credential-optional-type-ok.json", ok: true},
	{file: "credential-proof-missing-type-fail.json", rules: []string{"proof"}},
	{file: "credential-proof-ok.json", ok: true},
	{file: "credential-redef-type-fail.json", skip: skipJSONLD + ": inline context redefines the protected term VerifiableCredential"},
	{file: "credential-redef-type2-fail.json", skip: skipJSONLD + ": a later context redefines a @protected term"},
	{file: "credential-refresh-no-type-fail.json", rules: []string{"refreshService"}},
	{file: "credential-refresh-ok.json", ok: true},
	{file: "credential-refresh-type-ok.json", ok: true},
	{file: "credential-refreshs-ok.json", ok: true},
	{file: "credential-schema-no-id-fail.json", rules: []string{"credentialSchema"}},
	{file: "credential-schema-no-type-fail.json", rules: []string{"credentialSchema"}},
	{file: "credential-schema-non-url-id-fail.json", rules: []string{"credentialSchema"}},
	{file: "credential-schema-ok.json", ok: true},
	{file: "credential-schema-type-ok.json", ok: true},
	{file: "credential-schemas-ok.json", ok: true},
	{file: "credential-status-missing-id-ok.json", ok: true},
	{file: "credential-status-missing-type-fail.json", rules: []string{"credentialStatus"}},
	{file: "credential-status-multiple-id-fail.json", rules: []string{"credentialStatus"}},
	{file: "credential-status-nonurl-id-fail.json", rules: []string{"credentialStatus"}},
	{file: "credential-status-ok.json", ok: true},
	{file: "credential-status-type-nonurl-fail.json", rules: []string{"credentialStatus"}},
	{file: "credential-subject-multiple-empty-fail.json", rules: []string{"credentialSubject"}},
	{file: "credential-subject-multiple-ok.json", ok: true},
	{file: "credential-subject-no-claims-fail.json", rules: []string{"credentialSubject"}},
	{file: "credential-termsofuse-id-ok.json", ok: true},
	{file: "credential-termsofuse-missing-type-fail.json", rules: []string{"termsOfUse"}},
	{file: "credential-termsofuse-no-type-fail.json", rules: []string{"termsOfUse"}},
	{file: "credential-termsofuse-ok.json", ok: true},
	{file: "credential-termsofuses-ok.json", ok: true},
	{file: "credential-type-mapped-nonurl-fail.json", skip: skipJSONLD + ": the type term maps to an IRI with a space"},
	{file: "credential-type-mapped-url-ok.json", ok: true},
	{file: "credential-type-unmapped-fail.json", skip: skipJSONLD + ": @vocab is null, so ExampleTestCredential is undefined"},
	{file: "credential-type-url-ok.json", ok: true},
	{file: "credential-type-urls-order-1-ok.json", ok: true},
	{file: "credential-type-urls-order-2-ok.json", ok: true},
	{file: "credential-validUntil-validFrom-fail.json", rules: []string{"validity.order"}},
	{file: "credential-validUntil-validFrom-ok.json", ok: true},
	{file: "credential-validfrom-far-future-ok.json", ok: true},
	{file: "credential-validfrom-invalid-fail.json", rules: []string{"validity"}},
	{file: "credential-validfrom-ms-ok.json", ok: true},
	{file: "credential-validfrom-tz-ok.json", ok: true},
	{file: "credential-validuntil-invalid-fail.json", rules: []string{"validity"}},
	{file: "credential-validuntil-ms-ok.json", ok: true},
	{file: "credential-validuntil-ok.json", ok: true},
	{file: "credential-validuntil-tz-ok.json", ok: true},

	{file: "names-and-descriptions/credential-description-extra-prop-en-fail.json", rules: []string{"description"}},
	{file: "names-and-descriptions/credential-description-language-direction-en-ok.json", ok: true},
	{file: "names-and-descriptions/credential-description-language-en-ok.json", ok: true},
	{file: "names-and-descriptions/credential-description-ok.json", ok: true},
	{file: "names-and-descriptions/credential-description-optional-ok.json", ok: true},
	{file: "names-and-descriptions/credential-multi-language-description-ok.json", ok: true},
	{file: "names-and-descriptions/credential-multi-language-name-ok.json", ok: true},
	{file: "names-and-descriptions/credential-name-extra-prop-en-fail.json", rules: []string{"name"}},
	{file: "names-and-descriptions/credential-name-language-direction-en-ok.json", ok: true},
	{file: "names-and-descriptions/credential-name-language-en-ok.json", ok: true},
	{file: "names-and-descriptions/credential-name-ok.json", ok: true},
	{file: "names-and-descriptions/credential-name-optional-ok.json", ok: true},
	{file: "names-and-descriptions/issuer-description-extra-prop-en-fail.json", rules: []string{"description"}},
	{file: "names-and-descriptions/issuer-description-language-direction-en-ok.json", ok: true},
	{file: "names-and-descriptions/issuer-description-language-en-ok.json", ok: true},
	{file: "names-and-descriptions/issuer-description-ok.json", ok: true},
	{file: "names-and-descriptions/issuer-description-optional-ok.json", ok: true},
	{file: "names-and-descriptions/issuer-multi-language-description-ok.json", ok: true},
	{file: "names-and-descriptions/issuer-multi-language-name-ok.json", ok: true},
	{file: "names-and-descriptions/issuer-name-extra-prop-en-fail.json", rules: []string{"name"}},
	{file: "names-and-descriptions/issuer-name-language-direction-en-ok.json", ok: true},
	{file: "names-and-descriptions/issuer-name-language-en-ok.json", ok: true},
	{file: "names-and-descriptions/issuer-name-ok.json", ok: true},
	{file: "names-and-descriptions/issuer-name-optional-ok.json", ok: true},

	// Presentations (not copied into testdata).
	{file: "presentation-context-combo1-ok.json", skip: skipPresentation},
	{file: "presentation-context-combo2-ok.json", skip: skipPresentation},
	{file: "presentation-context-order-fail.json", skip: skipPresentation},
	{file: "presentation-enveloped-vc-missing-type-fail.json", skip: skipPresentation},
	{file: "presentation-enveloped-vc-ok.json", skip: skipPresentation},
	{file: "presentation-holder-fail.json", skip: skipPresentation},
	{file: "presentation-holder-name-fail.json", skip: skipPresentation},
	{file: "presentation-holder-object-fail.json", skip: skipPresentation},
	{file: "presentation-holder-object-ok.json", skip: skipPresentation},
	{file: "presentation-holder-ok.json", skip: skipPresentation},
	{file: "presentation-id-ok.json", skip: skipPresentation},
	{file: "presentation-missing-base-context-fail.json", skip: skipPresentation},
	{file: "presentation-missing-required-type-fail.json", skip: skipPresentation},
	{file: "presentation-multiple-vc-ok.json", skip: skipPresentation},
	{file: "presentation-no-context-fail-or-inject.json", skip: skipPresentation},
	{file: "presentation-no-type-fail.json", skip: skipPresentation},
	{file: "presentation-ok.json", skip: skipPresentation},
	{file: "presentation-optional-type-ok.json", skip: skipPresentation},
	{file: "presentation-self-asserted-vc-holder-mismatch.json", skip: skipPresentation},
	{file: "presentation-self-asserted-vc-issuer-mismatch.json", skip: skipPresentation},
	{file: "presentation-self-asserted-vc-no-holder.json", skip: skipPresentation},
	{file: "presentation-self-asserted-vc-ok.json", skip: skipPresentation},
	{file: "presentation-vc-as-string-fail.json", skip: skipPresentation},
	{file: "presentation-vc-missing-required-type-fail.json", skip: skipPresentation},
	{file: "presentation-vc-ok.json", skip: skipPresentation},
}

const testIssuer = "did:example:test-suite-issuer"

// loadW3C reads a suite input, fills in the date placeholders and, unless
// noInject, adds an issuer the way the suite's issuer would.
func loadW3C(t *testing.T, file string, noInject bool) *Credential {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "w3c-vcdm2", file))
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.ReplaceAll(data, []byte("PAST DATE"), []byte("2020-01-01T00:00:00Z"))
	data = bytes.ReplaceAll(data, []byte("FUTURE DATE"), []byte("2099-12-31T23:59:59Z"))
	c, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if noInject {
		return c
	}
	doc := c.Document()
	switch iss := doc["issuer"].(type) {
	case nil:
		if _, present := doc["issuer"]; !present {
			doc["issuer"] = testIssuer
		}
	case map[string]any:
		if _, present := iss["id"]; !present {
			iss["id"] = testIssuer
		}
	}
	c, err = FromDocument(doc)
	if err != nil {
		t.Fatalf("FromDocument: %v", err)
	}
	return c
}

func problemRules(ps []Problem) []string {
	var rules []string
	for _, p := range ps {
		rules = append(rules, p.Rule)
	}
	return rules
}

func TestW3CDataModelSuite(t *testing.T) {
	for _, tc := range w3cCases {
		t.Run(strings.TrimSuffix(tc.file, ".json"), func(t *testing.T) {
			if tc.skip != "" {
				t.Skip(tc.skip)
			}
			c := loadW3C(t, tc.file, tc.noInject)
			problems := c.CheckDataModel()
			if tc.ok {
				if len(problems) > 0 {
					t.Fatalf("want no problems, got %v", problems)
				}
				// The accessors agree with the check.
				if _, err := c.Version(); err != nil {
					t.Error(err)
				}
				if iss, err := c.Issuer(); err != nil || iss.ID == "" {
					t.Errorf("Issuer() = %+v, %v", iss, err)
				}
				if _, _, err := c.ValidFrom(); err != nil {
					t.Error(err)
				}
				if _, _, err := c.ValidUntil(); err != nil {
					t.Error(err)
				}
				for _, f := range []func() error{
					func() error { _, err := c.Subjects(); return err },
					func() error { _, err := c.Status(); return err },
					func() error { _, err := c.Schemas(); return err },
					func() error { _, err := c.Proofs(); return err },
				} {
					if err := f(); err != nil {
						t.Error(err)
					}
				}
				if err := c.Validate(); err != nil {
					t.Error(err)
				}
				return
			}
			if len(problems) == 0 {
				t.Fatal("want problems, got none")
			}
			got := problemRules(problems)
			for _, r := range tc.rules {
				if !slices.Contains(got, r) {
					t.Errorf("want a problem with rule %q, got %v", r, problems)
				}
			}
			for _, p := range problems {
				if p.Pointer == "" || p.Pointer[0] != '/' || p.Message == "" {
					t.Errorf("problem without pointer or message: %+v", p)
				}
			}
			if err := c.Validate(); err == nil {
				t.Error("Validate() = nil")
			}
		})
	}
}

// TestW3CInjectionIsTheOnlyDifference shows that the ok inputs without an
// issuer fail only for the missing issuer when nothing is injected.
func TestW3CInjectionIsTheOnlyDifference(t *testing.T) {
	n := 0
	for _, tc := range w3cCases {
		if !tc.ok || tc.skip != "" {
			continue
		}
		c := loadW3C(t, tc.file, true)
		ps := c.CheckDataModel()
		if len(ps) == 0 {
			continue
		}
		n++
		if len(ps) != 1 || ps[0].Rule != "issuer" {
			t.Errorf("%s without injection: want only an issuer problem, got %v", tc.file, ps)
		}
	}
	if n == 0 {
		t.Error("expected some ok inputs without issuer")
	}
}

// TestW3CTableCoversTestdata makes sure every copied input is in the table.
func TestW3CTableCoversTestdata(t *testing.T) {
	inTable := map[string]bool{}
	for _, tc := range w3cCases {
		if inTable[tc.file] {
			t.Errorf("%s twice in the table", tc.file)
		}
		inTable[tc.file] = true
	}
	root := filepath.Join("testdata", "w3c-vcdm2")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if !inTable[filepath.ToSlash(rel)] {
			t.Errorf("%s is not in w3cCases", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
