package badge

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/microcred/microcred/internal/jsonx"
	"github.com/microcred/microcred/ld"
)

// What JSON-LD (package ld, safe mode) makes of the forms this package
// writes: the canonical output of a credential built in Go is valid; of
// the two multilingual forms, value objects are valid under the OB 3.0.3
// context and language maps are not (no term has "@container": "@language").
func TestCanonicalOutputIsJSONLD(t *testing.T) {
	build := func(name Text) *AchievementCredential {
		c := mustParse(t, checkBase)
		c.Achievement().Name = name
		c.CredentialStatus = OneOrMany[CredentialStatus]{{ID: "https://example.edu/revocations", Type: OneOrMany[string]{Type1EdTechRevocationList}}}
		c.CredentialSchema = Many[CredentialSchema]{{
			ID:   "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
			Type: OneOrMany[string]{Type1EdTechJsonSchemaValidator2019},
		}}
		return c
	}
	langs := []LangString{{Value: "Data Literacy", Lang: "en"}, {Value: "Datageletterdheid", Lang: "nl"}}
	tests := []struct {
		name    string
		text    Text
		wantErr string
	}{
		{"plain", NewText("Data Literacy"), ""},
		{"value objects", Text{Langs: langs}, ""},
		{"value object with direction", Text{Langs: []LangString{{Value: "بيانات", Lang: "ar", Dir: "rtl"}}}, ""},
		{"language map", Text{Langs: langs, LanguageMap: true}, `/credentialSubject/achievement/name/en: property "en" is not defined`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustMarshal(t, build(tt.text))
			doc, err := jsonx.Decode([]byte(out), jsonx.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = canonicalize(doc)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Canonicalize: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Canonicalize = %v, want an error containing %q", err, tt.wantErr)
			}
			var back AchievementCredential
			if err := json.Unmarshal([]byte(out), &back); err != nil {
				t.Fatal(err)
			}
			if got := back.Achievement().Name; !equalText(got, tt.text) {
				t.Errorf("name read back = %#v", got)
			}
			if !strings.Contains(out, ld.OBExtensionsURL) {
				t.Error("extensions context missing")
			}
		})
	}
}

func equalText(a, b Text) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
