package badge_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/microcred/microcred/badge"
)

// newCredential builds the credential of Example_build.
func newCredential() *badge.AchievementCredential {
	issued := time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)
	return &badge.AchievementCredential{
		ID:   "urn:uuid:2f6c1c1e-8f4a-4c1b-9a59-3b1b8f0c2d11",
		Type: badge.Many[string]{badge.TypeVerifiableCredential, badge.TypeOpenBadgeCredential},
		Name: badge.NewText("Data Literacy for Researchers"),
		Issuer: &badge.Profile{
			ID:   "did:web:example.edu",
			Type: badge.Many[string]{badge.TypeProfile},
			Name: badge.NewText("Example University"),
		},
		ValidFrom: badge.NewDateTime(issued),
		CredentialSubject: badge.OneOrMany[badge.AchievementSubject]{{
			Type: badge.Many[string]{badge.TypeAchievementSubject},
			Identifier: badge.Many[badge.IdentityObject]{
				badge.NewHashedIdentity(badge.IdentifierTypeEmailAddress, "learner@example.org", "2d1f0c9a"),
			},
			Achievement: &badge.Achievement{
				ID:               "https://example.edu/achievements/data-literacy",
				Type:             badge.Many[string]{badge.TypeAchievement},
				AchievementType:  badge.AchievementTypeMicroCredential,
				Name:             badge.NewText("Data Literacy for Researchers"),
				Description:      badge.NewText("Finding, judging and citing research data."),
				Criteria:         &badge.Criteria{Narrative: badge.NewText("Pass the final assessment (60% or more).")},
				CreditsAvailable: "5",
				Alignment: badge.Many[badge.Alignment]{{
					Type:       badge.Many[string]{badge.TypeAlignment},
					TargetName: badge.NewText("EQF level 7"),
					TargetURL:  "http://data.europa.eu/snb/eqf/7",
					TargetType: "ext:EQF",
				}},
			},
		}},
	}
}

// Build a credential in Go, check it, and write it in canonical form.
func Example_build() {
	c := newCredential()
	if problems := c.Check(); len(problems) > 0 {
		log.Fatal(problems)
	}
	out, err := json.Marshal(c)
	if err != nil {
		log.Fatal(err)
	}
	var pretty bytes.Buffer
	json.Indent(&pretty, out, "", "  ")
	fmt.Println(pretty.String())
	// Output:
	// {
	//   "@context": [
	//     "https://www.w3.org/ns/credentials/v2",
	//     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	//   ],
	//   "id": "urn:uuid:2f6c1c1e-8f4a-4c1b-9a59-3b1b8f0c2d11",
	//   "type": [
	//     "VerifiableCredential",
	//     "OpenBadgeCredential"
	//   ],
	//   "name": "Data Literacy for Researchers",
	//   "issuer": {
	//     "id": "did:web:example.edu",
	//     "type": [
	//       "Profile"
	//     ],
	//     "name": "Example University"
	//   },
	//   "validFrom": "2025-06-30T12:00:00Z",
	//   "credentialSubject": {
	//     "type": [
	//       "AchievementSubject"
	//     ],
	//     "identifier": [
	//       {
	//         "type": "IdentityObject",
	//         "hashed": true,
	//         "identityHash": "sha256$9401b61884342d2dcbd7a0ce72125f3529601fa497fad5e0d36a2d3249ac572c",
	//         "identityType": "emailAddress",
	//         "salt": "2d1f0c9a"
	//       }
	//     ],
	//     "achievement": {
	//       "id": "https://example.edu/achievements/data-literacy",
	//       "type": [
	//         "Achievement"
	//       ],
	//       "achievementType": "MicroCredential",
	//       "name": "Data Literacy for Researchers",
	//       "description": "Finding, judging and citing research data.",
	//       "criteria": {
	//         "narrative": "Pass the final assessment (60% or more)."
	//       },
	//       "creditsAvailable": 5,
	//       "alignment": [
	//         {
	//           "type": [
	//             "Alignment"
	//           ],
	//           "targetName": "EQF level 7",
	//           "targetUrl": "http://data.europa.eu/snb/eqf/7",
	//           "targetType": "ext:EQF"
	//         }
	//       ]
	//     }
	//   }
	// }
}

// Read a credential, whatever form the issuer chose, and use its values.
func Example_read() {
	data := []byte(`{
	  "@context": ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"],
	  "id": "http://example.edu/credentials/3732",
	  "type": ["VerifiableCredential", "OpenBadgeCredential"],
	  "issuer": "https://example.edu/issuers/565049",
	  "issuanceDate": "2010-01-01T00:00:00Z",
	  "credentialSubject": {
	    "type": "AchievementSubject",
	    "identifier": {"type": "IdentityObject", "hashed": true, "salt": "Kosher", "identityType": "emailAddress",
	      "identityHash": "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"},
	    "achievement": {
	      "id": "https://example.edu/achievements/teamwork", "type": "Achievement",
	      "name": "Teamwork", "description": "Works well with others.",
	      "criteria": {"narrative": "Nominated by peers."},
	      "ECTS": 2.5
	    }
	  }
	}`)
	c, err := badge.ParseCredential(data)
	if err != nil {
		log.Fatal(err)
	}
	a := c.Achievement()
	fmt.Println("issuer:", c.Issuer.ID)
	fmt.Println("achievement:", a.Name)
	fmt.Println("valid from:", c.ValidFrom.Time().Format(time.DateOnly))
	fmt.Println("extra ECTS:", a.Extra["ECTS"])
	fmt.Println("for a@example.com:", c.Subject().MatchesRecipient(badge.IdentifierTypeEmailAddress, "a@example.com"))
	fmt.Println("contexts:", c.Context)
	fmt.Println("problems:", len(c.Check()))
	// Output:
	// issuer: https://example.edu/issuers/565049
	// achievement: Teamwork
	// valid from: 2010-01-01
	// extra ECTS: 2.5
	// for a@example.com: true
	// contexts: [https://www.w3.org/ns/credentials/v2 https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json]
	// problems: 0
}

// Check reports every problem with its JSON Pointer.
func ExampleAchievementCredential_Check() {
	c := newCredential()
	c.CredentialSubject[0].Identifier = nil         // no id and no identifier
	c.Achievement().Criteria = &badge.Criteria{}    // neither id nor narrative
	c.Achievement().AchievementType = "MicroDegree" // not in the enumeration, no ext:
	for _, p := range c.Check() {
		fmt.Printf("%s [%s] %s\n", p.Pointer, p.Rule, p.Message)
	}
	// Output:
	// /credentialSubject [subject.id] credentialSubject must have an id or at least one identifier
	// /credentialSubject/achievement/achievementType [enum] achievementType "MicroDegree" is neither an Open Badges 3.0 achievement type nor an ext: extension
	// /credentialSubject/achievement/criteria [criteria] criteria must have an id or a narrative
}

// A hashed identity for a recipient, and matching it later.
func ExampleNewHashedIdentity() {
	id := badge.NewHashedIdentity(badge.IdentifierTypeEmailAddress, "a@example.com", "Kosher")
	fmt.Println(id.IdentityHash)
	fmt.Println(id.Matches("a@example.com"), id.Matches("b@example.com"))
	// Output:
	// sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399
	// true false
}

// Multilingual text: value objects (the form the OB 3.0 contexts define).
func ExampleText() {
	name := badge.Text{Langs: []badge.LangString{
		{Value: "Data Literacy", Lang: "en"},
		{Value: "Datageletterdheid", Lang: "nl"},
	}}
	b, _ := json.Marshal(name)
	fmt.Println(string(b))
	fmt.Println(name.In("nl"))
	// Output:
	// [{"@value":"Data Literacy","@language":"en"},{"@value":"Datageletterdheid","@language":"nl"}]
	// Datageletterdheid
}
