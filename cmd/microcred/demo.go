package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
)

var demoCommand = &command{
	name:    "demo",
	summary: "issue a complete EU micro-credential with the public demo key and verify it",
	run:     runDemo,
}

// demoSeed is the Ed25519 seed of the public demo key, whose did:key is
// keys.DemoIssuerDID. DEMO ONLY: anyone can sign with it.
var demoSeed = []byte("microcred demo key: NOT SECRET!!")

// demoIssued is the demo's fixed clock: inside the validity of the demo
// registry entry (from 2026-01-01), so that the output is the same on
// every run.
var demoIssued = time.Date(2026, 6, 30, 10, 0, 0, 0, time.UTC)

// demoCredentialID is the fixed id of the demo credential.
const demoCredentialID = "urn:uuid:5d0c8a52-0f4e-4b8e-9a51-3c7de2f1b6a9"

func runDemo(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("demo", "[--out FILE] [--format text|json]",
		"Issue a complete EU micro-credential (every mandatory and optional element of Annex I\n"+
			"of Council Recommendation 2022/C 243/02, and a mobility) with the embedded, PUBLIC demo\n"+
			"key (Data Integrity eddsa-rdfc-2022), verify it against the embedded demo registry with\n"+
			"the EU profile required, and print the report. The clock is fixed at "+demoIssued.Format(time.RFC3339)+".\n"+
			"The demo key's seed is published: never trust it in a real verifier.\n"+
			"Exit status: 0 verified, 1 not verified, 2 usage or I/O error.")
	out := fs.String("out", "", "also write the issued credential to `file`")
	format := formatFlag("text")
	fs.Var(&format, "format", "output `format`: text or json (the verification report)")
	pos, done, status := parseArgs(fs, args, stdout, stderr)
	if done {
		return status
	}
	if len(pos) != 0 {
		return usageError(fs, stderr, "demo takes no arguments, got %d", len(pos))
	}
	ctx := context.Background()
	signed, err := demoIssue(ctx)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	if *out != "" {
		if err := os.WriteFile(*out, append(signed, '\n'), 0o644); err != nil {
			return ioError(fs, stderr, err)
		}
	}
	v, err := badge.NewVerifier(badge.VerifierOptions{
		Registry:         keys.DemoRegistry(),
		RequireEUProfile: true,
		Now:              func() time.Time { return demoIssued.Add(time.Hour) },
	})
	if err != nil {
		return ioError(fs, stderr, err)
	}
	rep, err := v.Verify(ctx, signed)
	if err != nil {
		return ioError(fs, stderr, err)
	}
	if format == "json" {
		if err := writeReport(stdout, "json", rep); err != nil {
			return ioError(fs, stderr, err)
		}
	} else {
		fmt.Fprintln(stdout, "microcred demo: DEMO KEY (public seed), DEMO REGISTRY; never trust them for real credentials")
		fmt.Fprintf(stdout, "issued with %s, eddsa-rdfc-2022, at %s\n\n", keys.DemoIssuerDID, demoIssued.Format(time.RFC3339))
		if rep.EUElements != nil {
			fmt.Fprintln(stdout, "EU micro-credential elements:")
			for _, line := range demoSummary(rep.EUElements) {
				fmt.Fprintf(stdout, "  %-36s %s\n", line[0], line[1])
			}
			fmt.Fprintln(stdout)
		}
		fmt.Fprintln(stdout, "Checks:")
		if err := writeReport(stdout, "text", rep); err != nil {
			return ioError(fs, stderr, err)
		}
		if *out != "" {
			fmt.Fprintf(stdout, "\nwrote %s (check it with: microcred verify --profile eu %s)\n", *out, *out)
		}
	}
	if !rep.Verified() {
		return exitInvalid
	}
	return exitOK
}

// demoIssue issues the demo micro-credential with the demo key and the
// fixed clock and returns the signed JSON.
func demoIssue(ctx context.Context) ([]byte, error) {
	priv, err := keys.Ed25519FromSeed(demoSeed)
	if err != nil {
		return nil, err
	}
	did, err := keys.DIDKey(priv.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, err
	}
	if did != keys.DemoIssuerDID {
		return nil, fmt.Errorf("demo key is %s, want %s", did, keys.DemoIssuerDID)
	}
	signer, err := keys.NewSigner(priv, "")
	if err != nil {
		return nil, err
	}
	issuer, err := badge.NewIssuer(signer, badge.Profile{ID: did, Name: badge.NewText("Demo University (microcred demo issuer)")},
		badge.IssuerOptions{
			Now:   func() time.Time { return demoIssued },
			NewID: func() string { return demoCredentialID },
		})
	if err != nil {
		return nil, err
	}
	mc := demoMicroCredential(issuer.ID())
	if err := mc.Validate(); err != nil {
		return nil, err
	}
	cred, err := mc.Credential()
	if err != nil {
		return nil, err
	}
	return issuer.Issue(ctx, cred)
}

// demoMicroCredential is the demo scenario: a 5-ECTS, EQF 7 micro-credential
// preparing a master's student for an outgoing mobility, awarded by the
// demo issuer with a partner university, with every Annex I element.
func demoMicroCredential(issuerID string) *badge.MicroCredential {
	scale := badge.ResultDescription{
		ID:           "urn:uuid:0b9c3a3e-8d1e-4b7e-9d7c-1f2e3d4c5b6a",
		Type:         badge.Many[string]{"ResultDescription"},
		Name:         badge.NewText("Final grade"),
		ResultType:   "LetterGrade",
		AllowedValue: badge.Many[string]{"A", "B", "C", "D", "E", "F"},
	}
	return &badge.MicroCredential{
		AchievementID: "https://demo-university.example/micro-credentials/intercultural-mobility",
		Language:      "en",
		Description: "A micro-credential that prepares master's students for an outgoing exchange at a " +
			"partner university: an online module followed by on-site workshops.",
		Criteria: "Complete the online module and both on-site workshops, submit a reflective portfolio " +
			"and pass the oral examination.",
		Learner: badge.Learner{
			ID:         "did:example:learner-3f9a2c",
			Identifier: []badge.IdentityObject{badge.NewPlainIdentity(badge.IdentifierTypeName, "Maria Jansen")},
		},
		Title: badge.LangText{
			"en": "Intercultural Competence for International Mobility",
			"fr": "Compétence interculturelle pour la mobilité internationale",
		},
		IssuerCountry: badge.IssuerCountry{Country: "BE", Region: "Brussels-Capital"},
		AwardingBody: []badge.Profile{
			{
				ID:   issuerID,
				Type: badge.Many[string]{"Profile"},
				Name: badge.NewText("Demo University (microcred demo issuer)"),
				URL:  "https://demo-university.example/",
			},
			{
				ID:   "https://beta-universite.example/",
				Type: badge.Many[string]{"Profile"},
				Name: badge.NewText("Université Beta"),
				Address: &badge.Address{
					Type:               badge.Many[string]{"Address"},
					AddressCountryCode: "FR",
					AddressRegion:      "Occitanie",
					AddressLocality:    "Montpellier",
				},
			},
		},
		DateOfIssue: badge.NewDateTime(demoIssued),
		LearningOutcomes: []badge.LearningOutcome{
			{Text: badge.LangText{"en": "Analyse how cultural values shape communication and collaboration in international academic settings."}},
			{
				Text:       badge.LangText{"en": "Communicate and establish collaborative relations with peers and staff at a host institution abroad."},
				ESCOSkills: []string{"http://data.europa.eu/esco/skill/326809fc-238d-40c2-881e-40042f7f2f0d"},
			},
		},
		Workload:          badge.Workload{ECTS: "5", Hours: 140},
		Level:             badge.Level{EQF: 7, QFEHEACycle: badge.QFEHEASecondCycle},
		AssessmentType:    []badge.AssessmentType{badge.AssessmentPortfolio, badge.AssessmentOralExamination},
		ParticipationForm: []badge.ParticipationForm{badge.ParticipationBlended},
		QualityAssurance: []badge.QualityAssurance{{
			Type:  badge.QAProgramQualityAssurance,
			Title: badge.LangText{"en": "Programme accreditation of the micro-credential"},
			Body: &badge.Profile{
				ID:   "https://qa-agency.example/",
				Type: badge.Many[string]{"Profile"},
				Name: badge.NewText("Example Quality Assurance Agency"),
			},
			Report: "https://qa-agency.example/reports/2026-042.pdf",
		}},

		Prerequisites: badge.LangText{
			"en": "Enrolled in a master's programme and selected for an outgoing exchange.",
		},
		SupervisionAndIdentityVerification: badge.SupervisedOnsiteWithIdentityVerification,
		Grade:                              &badge.Grade{Scale: scale, Value: "A"},
		IntegrationStackability: &badge.IntegrationStackability{
			Kind: badge.Stackable,
			Towards: []badge.StackTarget{{
				ID:   "https://demo-university.example/programmes/msc-global-challenges",
				Name: "MSc Global Challenges for Sustainability",
			}},
		},
		FurtherInformation: &badge.FurtherInformation{
			Notes: []badge.LangText{{"en": "Issued by the microcred demo with a public key: for testing only."}},
			Links: []string{"https://demo-university.example/micro-credentials/intercultural-mobility/handbook"},
		},
		Mobility: []badge.Mobility{{
			Relation:  badge.MobilityPreparesFor,
			Format:    badge.MobilityPhysical,
			Direction: badge.MobilityOutgoing,
			HostInstitutions: []badge.Profile{{
				ID:   "https://universidad-gamma.example/",
				Type: badge.Many[string]{"Profile"},
				Name: badge.NewText("Universidad Gamma"),
			}},
		}},
	}
}

// demoSummary lists every element of m by name with a short text, "-"
// when absent.
func demoSummary(m *badge.MicroCredential) [][2]string {
	names := append(append([]string{}, badge.MandatoryElements...), badge.OptionalElements...)
	var lines [][2]string
	for _, name := range names {
		v, ok := m.Element(name)
		s := "-"
		if ok {
			b, err := json.Marshal(v)
			if err != nil {
				s = fmt.Sprint(v)
			} else {
				s = string(b)
			}
			if len(s) > 90 {
				s = s[:87] + "..."
			}
		}
		lines = append(lines, [2]string{name, strings.TrimSpace(s)})
	}
	return lines
}
