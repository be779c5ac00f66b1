package badge_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/microcred/microcred/badge"
)

// A micro-credential built from its Annex I elements, turned into an Open
// Badges 3.0 credential and read back.
func ExampleMicroCredential() {
	mc := &badge.MicroCredential{
		AchievementID: "https://alpha-university.example/micro-credentials/intercultural-mobility",
		Language:      "en",
		Description:   "Prepares master's students for an outgoing exchange.",
		Criteria:      "Submit a portfolio and pass the oral examination.",
		Learner:       badge.Learner{ID: "did:example:learner-3f9a2c"},
		Title: badge.LangText{
			"en": "Intercultural Competence for International Mobility",
			"fr": "Compétence interculturelle pour la mobilité internationale",
		},
		IssuerCountry: badge.IssuerCountry{Country: "NL", Region: "Utrecht"},
		AwardingBody: []badge.Profile{
			{ID: "https://alpha-university.example/", Name: badge.NewText("Alpha University")},
			{ID: "https://beta-universite.example/", Name: badge.NewText("Université Beta")},
		},
		DateOfIssue: badge.NewDateTime(time.Date(2025, 6, 30, 10, 0, 0, 0, time.UTC)),
		LearningOutcomes: []badge.LearningOutcome{{
			Text:       badge.LangText{"en": "Communicate with peers at a host institution abroad."},
			ESCOSkills: []string{"http://data.europa.eu/esco/skill/326809fc-238d-40c2-881e-40042f7f2f0d"},
		}},
		Workload:          badge.Workload{ECTS: "5"},
		Level:             badge.Level{EQF: 7},
		AssessmentType:    []badge.AssessmentType{badge.AssessmentOralExamination},
		ParticipationForm: []badge.ParticipationForm{badge.ParticipationBlended},
		QualityAssurance: []badge.QualityAssurance{{
			Type: badge.QAProgramQualityAssurance,
			Body: badge.NewProfileRef("https://qa-agency.example/"),
		}},
		Mobility: []badge.Mobility{{
			Relation:         badge.MobilityPreparesFor,
			Format:           badge.MobilityPhysical,
			Direction:        badge.MobilityOutgoing,
			HostInstitutions: []badge.Profile{*badge.NewProfileRef("https://universidad-gamma.example/")},
		}},
	}
	c, err := mc.Credential()
	if err != nil {
		log.Fatal(err)
	}
	a := c.Achievement()
	fmt.Println(c.Context)
	fmt.Println(a.Type, a.AchievementType, a.CreditsAvailable, a.Name)
	fmt.Println(c.Issuer.Address.AddressCountryCode, a.Alignment[0].TargetType, a.Alignment[0].TargetURL)

	back, absent, err := badge.FromOB3(c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.Title["fr"], back.Mobility[0].Relation, len(absent))

	// Validate names every missing element, not just the first.
	var me *badge.MicroCredentialError
	if errors.As(new(badge.MicroCredential).Validate(), &me) {
		fmt.Println(me.Elements())
	}
	// Output:
	// [https://www.w3.org/ns/credentials/v2 https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json https://w3id.org/microcred/eu/v1]
	// [Achievement EUMicroCredentialAchievement] MicroCredential 5 Intercultural Competence for International Mobility
	// NL ext:EQF http://data.europa.eu/snb/eqf/7
	// Compétence interculturelle pour la mobilité internationale preparesFor 0
	// [learner title issuerCountry awardingBody dateOfIssue learningOutcomes workload level assessmentType participationForm qualityAssurance]
}
