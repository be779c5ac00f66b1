package badge

import (
	"errors"
	"os"
	"reflect"
	"slices"
	"testing"
)

// checkBase passes Check: every rule has something to look at.
const checkBase = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:1d7a3e3a-0c8e-4b8e-9d0e-5b1c1c1c1c1c",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "name": "Data Literacy",
  "image": {"id": "https://example.edu/img.png", "type": "Image", "caption": "badge"},
  "issuer": {
    "id": "did:web:example.edu", "type": ["Profile"], "name": "Example University",
    "otherIdentifier": [{"type": "IdentifierEntry", "identifier": "42NB", "identifierType": "ext:BRIN"}],
    "address": {"type": ["Address"], "addressCountryCode": "NL", "geo": {"type": "GeoCoordinates", "latitude": 52.1, "longitude": 5.1}}
  },
  "validFrom": "2024-09-01T00:00:00Z",
  "credentialSubject": {
    "id": "did:example:learner",
    "type": ["AchievementSubject"],
    "identifier": [{"type": "IdentityObject", "hashed": true,
      "identityHash": "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399",
      "identityType": "emailAddress", "salt": "Kosher"}],
    "achievement": {
      "id": "https://example.edu/achievements/dl",
      "type": ["Achievement"],
      "achievementType": "MicroCredential",
      "name": "Data Literacy",
      "description": "Reading and judging data.",
      "criteria": {"narrative": "Pass the final assessment."},
      "alignment": [{"type": ["Alignment"], "targetName": "EQF level 6", "targetUrl": "https://europa.eu/europass/en/description-eight-eqf-levels", "targetType": "ext:EQF"}],
      "resultDescription": [
        {"id": "urn:rd:grade", "type": ["ResultDescription"], "name": "Grade", "resultType": "LetterGrade", "allowedValue": ["C", "B", "A"]},
        {"id": "urn:rd:rubric", "type": ["ResultDescription"], "name": "Rubric", "resultType": "RubricCriterionLevel",
         "requiredLevel": "urn:rcl:pass",
         "rubricCriterionLevel": [
           {"id": "urn:rcl:pass", "type": ["RubricCriterionLevel"], "name": "Pass"},
           {"id": "urn:rcl:merit", "type": ["RubricCriterionLevel"], "name": "Merit"}]},
        {"id": "urn:rd:status", "type": ["ResultDescription"], "name": "Status", "resultType": "Status"}
      ]
    },
    "result": [
      {"type": ["Result"], "resultDescription": "urn:rd:grade", "value": "A"},
      {"type": ["Result"], "resultDescription": "urn:rd:rubric", "achievedLevel": "urn:rcl:merit"},
      {"type": ["Result"], "resultDescription": "urn:rd:status", "status": "Completed"}
    ]
  },
  "evidence": [{"type": ["Evidence"], "narrative": "Final project."}]
}`

func baseCredential(t *testing.T) *AchievementCredential {
	t.Helper()
	c, err := ParseCredential([]byte(checkBase))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type want struct{ ptr, rule string }

func TestCheck(t *testing.T) {
	const (
		subj = "/credentialSubject"
		ach  = subj + "/achievement"
	)
	tests := []struct {
		name   string
		mutate func(c *AchievementCredential)
		want   []want
	}{
		{"base passes", func(c *AchievementCredential) {}, nil},

		// credentialSubject has an id or at least one identifier.
		{"subject with id only", func(c *AchievementCredential) { c.Subject().Identifier = nil }, nil},
		{"subject with identifier only", func(c *AchievementCredential) { c.Subject().ID = "" }, nil},
		{"subject with neither", func(c *AchievementCredential) { c.Subject().ID = ""; c.Subject().Identifier = nil },
			[]want{{subj, RuleSubjectID}}},
		{"no subject", func(c *AchievementCredential) { c.CredentialSubject = nil },
			[]want{{subj, RuleRequired}}},
		{"second subject without id, pointer has an index", func(c *AchievementCredential) {
			s := *c.Subject()
			s.ID, s.Identifier, s.Result = "", nil, nil
			c.CredentialSubject = append(c.CredentialSubject, s)
		}, []want{{subj + "/1", RuleSubjectID}}},

		// Criteria has an id or a narrative.
		{"criteria with id only", func(c *AchievementCredential) {
			c.Achievement().Criteria = &Criteria{ID: "https://example.edu/criteria"}
		}, nil},
		{"criteria with neither", func(c *AchievementCredential) { c.Achievement().Criteria = &Criteria{} },
			[]want{{ach + "/criteria", RuleCriteria}}},

		// A Result's resultDescription points at a ResultDescription of the achievement.
		{"unknown resultDescription", func(c *AchievementCredential) { c.Subject().Result[0].ResultDescription = "urn:rd:nope" },
			[]want{{subj + "/result/0/resultDescription", RuleResultDescription}}},
		{"result without resultDescription", func(c *AchievementCredential) { c.Subject().Result[0].ResultDescription = "" }, nil},

		// achievedLevel points at a level of the linked description.
		{"unknown achievedLevel", func(c *AchievementCredential) { c.Subject().Result[1].AchievedLevel = "urn:rcl:nope" },
			[]want{{subj + "/result/1/achievedLevel", RuleAchievedLevel}}},
		{"achievedLevel of another description", func(c *AchievementCredential) {
			c.Subject().Result[1].ResultDescription = "urn:rd:grade"
		}, []want{{subj + "/result/1/achievedLevel", RuleAchievedLevel}}},
		{"achievedLevel without resultDescription", func(c *AchievementCredential) { c.Subject().Result[1].ResultDescription = "" },
			[]want{{subj + "/result/1/achievedLevel", RuleAchievedLevel}}},

		// status is present when the linked resultType is Status.
		{"status missing", func(c *AchievementCredential) { c.Subject().Result[2].Status = "" },
			[]want{{subj + "/result/2/status", RuleResultStatus}}},
		{"status on a non-Status result is fine", func(c *AchievementCredential) { c.Subject().Result[0].Status = ResultStatusCompleted }, nil},
		{"status outside the enumeration", func(c *AchievementCredential) { c.Subject().Result[2].Status = "Done" },
			[]want{{subj + "/result/2/status", RuleEnum}}},
		{"status ext: is not allowed (closed enumeration)", func(c *AchievementCredential) { c.Subject().Result[2].Status = "ext:Done" },
			[]want{{subj + "/result/2/status", RuleEnum}}},

		// requiredLevel points at one of the description's levels.
		{"unknown requiredLevel", func(c *AchievementCredential) { c.Achievement().ResultDescription[1].RequiredLevel = "urn:rcl:nope" },
			[]want{{ach + "/resultDescription/1/requiredLevel", RuleRequiredLevel}}},

		// Image, IdentityObject and IdentifierEntry take no extra properties.
		{"Image with an extra property", func(c *AchievementCredential) {
			c.Image.Extra = map[string]any{"width": "10"}
		}, []want{{"/image/width", RuleClosed}}},
		{"Image with an empty caption kept verbatim", func(c *AchievementCredential) {
			c.Image.Caption = Text{}
			c.Image.Extra = map[string]any{"caption": ""}
		}, nil},
		{"IdentityObject with an extra property", func(c *AchievementCredential) {
			c.Subject().Identifier[0].Extra = map[string]any{"note": "x", "a": true}
		}, []want{{subj + "/identifier/0/a", RuleClosed}, {subj + "/identifier/0/note", RuleClosed}}},
		{"IdentifierEntry with an extra property", func(c *AchievementCredential) {
			c.Issuer.OtherIdentifier[0].Extra = map[string]any{"label": "x"}
		}, []want{{"/issuer/otherIdentifier/0/label", RuleClosed}}},
		{"Profile and Achievement allow extra properties", func(c *AchievementCredential) {
			c.Issuer.Extra = map[string]any{"x": "y"}
			c.Achievement().Extra = map[string]any{"ECTS": "5"}
		}, nil},

		// Type lists contain the required types.
		{"AchievementCredential instead of OpenBadgeCredential", func(c *AchievementCredential) {
			c.Type = Many[string]{"VerifiableCredential", "AchievementCredential"}
		}, nil},
		{"credential type lacks the OB type", func(c *AchievementCredential) { c.Type = Many[string]{"VerifiableCredential"} },
			[]want{{"/type", RuleType}}},
		{"credential type lacks VerifiableCredential", func(c *AchievementCredential) { c.Type = Many[string]{"OpenBadgeCredential"} },
			[]want{{"/type", RuleType}}},
		{"achievement type", func(c *AchievementCredential) { c.Achievement().Type = Many[string]{"Badge"} },
			[]want{{ach + "/type", RuleType}}},
		{"issuer type", func(c *AchievementCredential) { c.Issuer.Type = nil },
			[]want{{"/issuer/type", RuleType}}},
		{"issuer by IRI has no type to check", func(c *AchievementCredential) { c.Issuer = NewProfileRef("did:web:example.edu") }, nil},
		{"image type", func(c *AchievementCredential) { c.Image.Type = OneOrMany[string]{"Picture"} },
			[]want{{"/image/type", RuleType}}},
		{"image by URL has no type to check", func(c *AchievementCredential) { c.Image = NewImageRef("https://example.edu/i.png") }, nil},
		{"subject, result, alignment, evidence, level, address, geo, identity types", func(c *AchievementCredential) {
			c.Subject().Type = nil
			c.Subject().Result[0].Type = nil
			c.Achievement().Alignment[0].Type = nil
			c.Evidence[0].Type = nil
			c.Achievement().ResultDescription[1].RubricCriterionLevel[1].Type = nil
			c.Issuer.Address.Type = nil
			c.Issuer.Address.Geo.Type = nil
			c.Subject().Identifier[0].Type = nil
			c.Issuer.OtherIdentifier[0].Type = nil
		}, []want{
			{"/issuer/address/type", RuleType},
			{"/issuer/address/geo/type", RuleType},
			{"/issuer/otherIdentifier/0/type", RuleType},
			{subj + "/type", RuleType},
			{subj + "/identifier/0/type", RuleType},
			{ach + "/alignment/0/type", RuleType},
			{ach + "/resultDescription/1/rubricCriterionLevel/1/type", RuleType},
			{subj + "/result/0/type", RuleType},
			{"/evidence/0/type", RuleType},
		}},

		// Enumerations accept the spec values and ext: extensions.
		{"achievementType ext:", func(c *AchievementCredential) { c.Achievement().AchievementType = "ext:Minor" }, nil},
		{"achievementType unknown", func(c *AchievementCredential) { c.Achievement().AchievementType = "Minor" },
			[]want{{ach + "/achievementType", RuleEnum}}},
		{"achievementType bare ext:", func(c *AchievementCredential) { c.Achievement().AchievementType = "ext:" },
			[]want{{ach + "/achievementType", RuleEnum}}},
		{"resultType unknown", func(c *AchievementCredential) { c.Achievement().ResultDescription[0].ResultType = "Grade" },
			[]want{{ach + "/resultDescription/0/resultType", RuleEnum}}},
		{"targetType unknown", func(c *AchievementCredential) { c.Achievement().Alignment[0].TargetType = "EQF" },
			[]want{{ach + "/alignment/0/targetType", RuleEnum}}},
		{"identityType unknown (OB 2.0's email)", func(c *AchievementCredential) { c.Subject().Identifier[0].IdentityType = "email" },
			[]want{{subj + "/identifier/0/identityType", RuleEnum}}},
		{"identifierType unknown", func(c *AchievementCredential) { c.Issuer.OtherIdentifier[0].IdentifierType = "BRIN" },
			[]want{{"/issuer/otherIdentifier/0/identifierType", RuleEnum}}},

		// Hashed identities carry an algorithm and a hex hash.
		{"md5 identity hash", func(c *AchievementCredential) {
			c.Subject().Identifier[0].IdentityHash = "md5$C4CA4238A0B923820DCC509A6F75849B"
		}, nil},
		{"bad identity hash", func(c *AchievementCredential) { c.Subject().Identifier[0].IdentityHash = "sha256$xyz" },
			[]want{{subj + "/identifier/0/identityHash", RuleIdentityHash}}},
		{"unknown hash algorithm", func(c *AchievementCredential) {
			c.Subject().Identifier[0].IdentityHash = "sha1$356a192b7913b04c54574d18c28d46e6395428ab"
		}, []want{{subj + "/identifier/0/identityHash", RuleIdentityHash}}},
		{"plain identity is not a hash", func(c *AchievementCredential) {
			c.Subject().Identifier[0] = NewPlainIdentity(IdentifierTypeEmailAddress, "a@example.com")
		}, nil},

		// Dates.
		{"validFrom without zone", func(c *AchievementCredential) { c.ValidFrom, _ = ParseDateTime("2024-09-01T00:00:00") },
			[]want{{"/validFrom", RuleDateTime}}},
		{"validUntil not a date", func(c *AchievementCredential) { c.ValidUntil, _ = ParseDateTime("soon") },
			[]want{{"/validUntil", RuleDateTime}}},
		{"activity date without zone is fine", func(c *AchievementCredential) {
			c.Subject().ActivityStartDate, _ = ParseDateTime("2024-09-01T00:00:00")
		}, nil},

		// Achievement given by IRI.
		{"achievement by IRI", func(c *AchievementCredential) {
			c.Subject().Achievement = &Achievement{ID: "https://example.edu/achievements/dl", ref: true}
			c.Subject().Result = nil
		}, []want{{ach, RuleAchievementRef}}},
		{"no achievement", func(c *AchievementCredential) { c.Subject().Achievement = nil; c.Subject().Result = nil },
			[]want{{ach, RuleRequired}}},

		// Nested endorsements are checked with their own pointers.
		{"endorsement of the achievement", func(c *AchievementCredential) {
			c.Achievement().Endorsement = Many[EndorsementCredential]{{
				Type:              Many[string]{"VerifiableCredential"},
				Issuer:            NewProfileRef("did:web:accreditor.example"),
				ValidFrom:         NewDateTime(c.ValidFrom.Time()),
				CredentialSubject: OneOrMany[EndorsementSubject]{{ID: "https://example.edu/achievements/dl", Type: Many[string]{"EndorsementSubject"}}},
			}}
		}, []want{{ach + "/endorsement/0/type", RuleType}}},

		// Every problem is reported, not just the first.
		{"several problems at once", func(c *AchievementCredential) {
			c.Subject().ID = ""
			c.Subject().Identifier = nil
			c.Achievement().Criteria = &Criteria{}
			c.Subject().Result[2].Status = ""
		}, []want{
			{subj, RuleSubjectID},
			{ach + "/criteria", RuleCriteria},
			{subj + "/result/2/status", RuleResultStatus},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := baseCredential(t)
			tt.mutate(c)
			var got []want
			for _, p := range c.Check() {
				if p.Message == "" {
					t.Errorf("problem without message: %+v", p)
				}
				got = append(got, want{p.Pointer, p.Rule})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Check() =\n  %v\nwant\n  %v", got, tt.want)
				for _, p := range c.Check() {
					t.Log(p)
				}
			}
			err := c.Validate()
			if (err == nil) != (len(tt.want) == 0) {
				t.Errorf("Validate() = %v", err)
			}
			var ve *ValidationError
			if err != nil && (!errors.As(err, &ve) || len(ve.Problems) != len(tt.want)) {
				t.Errorf("Validate() = %v, want a *ValidationError with %d problems", err, len(tt.want))
			}
		})
	}
}

func TestCheckEndorsementCredential(t *testing.T) {
	c, err := ParseEndorsementCredential([]byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
	  "id": "urn:uuid:e", "type": ["VerifiableCredential", "EndorsementCredential"], "name": "Endorsement",
	  "issuer": {"id": "did:web:a.example", "type": ["Profile"]},
	  "validFrom": "2024-01-01T00:00:00Z",
	  "credentialSubject": {"id": "did:web:b.example", "type": "EndorsementSubject", "endorsementComment": "Good."}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Check(); p != nil {
		t.Fatalf("Check() = %v", p)
	}
	c.CredentialSubject[0].Type = Many[string]{"Subject"}
	c.Issuer.Image = &Image{ID: "https://a.example/logo.png", Type: OneOrMany[string]{"Image"}, Extra: map[string]any{"alt": "logo"}}
	got := c.Check()
	wantPtrs := []string{"/issuer/image/alt", "/credentialSubject/type"}
	var ptrs []string
	for _, p := range got {
		ptrs = append(ptrs, p.Pointer)
	}
	if !slices.Equal(ptrs, wantPtrs) {
		t.Errorf("Check() pointers = %v, want %v", ptrs, wantPtrs)
	}
	if c.Validate() == nil {
		t.Error("Validate() = nil")
	}
}

// The 1EdTech validator's "simple-err-*" fixtures whose error is one of
// the model's rules are caught by Check with the exact pointer. Check also
// finds problems the validator does not report:
//
//   - complete.json (the spec's "Complete OpenBadgeCredential" with VCDM
//     2.0) links result 1 to the LetterGrade description
//     urn:uuid:f6ab24cd… but gives it achievedLevel urn:uuid:d05a0867…,
//     a level of the other description urn:uuid:a70ddc6a…: the
//     achievedLevel is not in the linked ResultDescription;
//   - the result-type fixture's results link to result descriptions its
//     achievement does not have;
//   - the identifier-type fixture's identity is hashed: true with the
//     identityHash "asdjhsadas".
func TestCheckValidatorCases(t *testing.T) {
	const completeLevel = "/credentialSubject/result/1/achievedLevel"
	tests := []struct {
		file string
		want []want
	}{
		{"simple.json", nil},
		{"complete.json", []want{{completeLevel, RuleAchievedLevel}}},
		{"simple-err-type.json", []want{{"/type", RuleType}, {"/credentialSubject/achievement", RuleRequired}}},
		{"simple-err-issuer-type.json", []want{{"/issuer/type", RuleType}}},
		{"simple-err-issuer-parentorg-type.json", []want{{"/issuer/parentOrg/type", RuleType}}},
		{"simple-err-issuer-otheridentifier-type.json", []want{{"/issuer/otherIdentifier/1/type", RuleType}}},
		{"simple-err-credential-subject-type.json", []want{{"/credentialSubject/type", RuleType}}},
		{"simple-err-credential-subject-profile-type.json", []want{{"/credentialSubject/source/type", RuleType}}},
		{"simple-err-credential-subject-result-type.json", []want{
			{"/credentialSubject/result/0/resultDescription", RuleResultDescription},
			{"/credentialSubject/result/1/type", RuleType},
			{"/credentialSubject/result/1/resultDescription", RuleResultDescription},
			{"/credentialSubject/result/2/resultDescription", RuleResultDescription},
		}},
		{"simple-err-credential-subject-identifier-type.json", []want{
			{"/credentialSubject/identifier/0/type", RuleType},
			{"/credentialSubject/identifier/0/identityHash", RuleIdentityHash},
		}},
		{"simple-err-evidence-type.json", []want{{"/evidence/1/type", RuleType}}},
		{"simple-err-credential-subject-achievement-result-description-type.json", []want{
			{"/credentialSubject/achievement/resultDescription/2/type", RuleType},
			{completeLevel, RuleAchievedLevel},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c := parseFile(t, "../testdata/ob3/validator-cases/ob30/"+tt.file)
			var got []want
			for _, p := range c.Check() {
				got = append(got, want{p.Pointer, p.Rule})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Check() = %v, want %v", got, tt.want)
			}
		})
	}
}

func parseFile(t *testing.T, name string) *AchievementCredential {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCredential(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
