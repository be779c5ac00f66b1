// Command issue-microcredential issues and verifies an EU micro-credential
// with the microcred library, end to end:
//
//   - a 5-ECTS, EQF level 7 micro-credential that prepares a master's student
//     for an outgoing mobility, awarded jointly by two universities of a
//     European university alliance and quality-assured by an accredited
//     agency, is described element by element with badge.MicroCredential
//     (the elements of Council Recommendation 2022/C 243/02, Annex I);
//   - it becomes an Open Badges 3.0 credential (MicroCredential.Credential)
//     and is issued by a badge.Issuer, which validates it (Open Badges
//     rules, JSON Schema, and here the EU elements) and signs it with an
//     eddsa-rdfc-2022 Data Integrity proof;
//   - the signed bytes are verified as a relying party would
//     (dataintegrity.Verify with keys.DIDKeyResolver) and read back into the
//     typed view (badge.FromOB3).
//
// Usage:
//
//	go run ./examples/issue-microcredential [-out credential.json]
//
// The signing key is derived from a fixed, public seed: it is a DEMO KEY,
// known to everyone. Never sign real credentials with it; load a real key
// with keys.LoadSigner (or generate one with keys.GenerateEd25519).
package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc/dataintegrity"
)

// demoSeed is the Ed25519 seed of the demo key. It is public: DEMO ONLY.
var demoSeed = []byte("microcred example: demo key only")

// issued is the fixed issue time, so that every run prints the same output.
var issued = time.Date(2025, 6, 30, 10, 0, 0, 0, time.UTC)

func main() {
	out := flag.String("out", "", "also write the signed credential to this `file`")
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(context.Background(), os.Stdout, *out); err != nil {
		fmt.Fprintln(os.Stderr, "issue-microcredential:", err)
		os.Exit(1)
	}
}

// run issues the micro-credential, writes it to outFile when not empty,
// verifies it and prints a summary to w.
func run(ctx context.Context, w io.Writer, outFile string) error {
	// 1. The issuer's key and identity: a did:key for the demo key.
	priv, err := keys.Ed25519FromSeed(demoSeed)
	if err != nil {
		return err
	}
	did, err := keys.DIDKey(priv.Public().(ed25519.PublicKey))
	if err != nil {
		return err
	}
	signer, err := keys.NewSigner(priv, "")
	if err != nil {
		return err
	}

	// 2. The Issuer: built once, safe for concurrent use. Validate plugs
	// the EU profile check in next to the Open Badges rules and the JSON
	// Schema that Issue always runs.
	issuer, err := badge.NewIssuer(signer, badge.Profile{ID: did, Name: badge.NewText("Alpha University (demo issuer)")},
		badge.IssuerOptions{
			Now:      func() time.Time { return issued },
			NewID:    func() string { return "urn:uuid:2b9e4c71-8a3d-4f06-b5e2-7c1d9a0f3e58" },
			Validate: validateEU,
		})
	if err != nil {
		return err
	}

	// 3. The micro-credential, element by element, as an OB 3.0 credential.
	mc := microCredential(issuer.ID())
	if err := mc.Validate(); err != nil {
		return err
	}
	cred, err := mc.Credential()
	if err != nil {
		return err
	}

	// 4. Issue: validate and sign.
	signed, err := issuer.Issue(ctx, cred)
	if err != nil {
		return err
	}
	if outFile != "" {
		if err := os.WriteFile(outFile, append(signed, '\n'), 0o644); err != nil {
			return err
		}
	}

	// 5. Verify the signed bytes as a relying party would: the proof, and
	// that the key belongs to the issuer.
	var doc map[string]any
	if err := json.Unmarshal(signed, &doc); err != nil {
		return err
	}
	results, err := dataintegrity.Verify(ctx, doc, dataintegrity.VerifyOptions{Resolver: keys.DIDKeyResolver{}})
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	proof := results[0]
	if !proof.Verified {
		return fmt.Errorf("the proof does not verify: %w", proof.Err)
	}
	if proof.Method == nil || proof.Method.Controller != issuer.ID() {
		return errors.New("the signing key is not controlled by the issuer")
	}

	// 6. Read the signed credential back into the typed view.
	back, err := badge.ParseCredential(signed)
	if err != nil {
		return err
	}
	view, absent, err := badge.FromOB3(back)
	if err != nil {
		return err
	}
	if err := view.Validate(); err != nil {
		return fmt.Errorf("read back: %w", err)
	}

	fmt.Fprintf(w, "issued    %s\n", doc["id"])
	fmt.Fprintf(w, "issuer    %s (DEMO KEY, public: never use it for real credentials)\n", issuer.ID())
	fmt.Fprintf(w, "proof     %s %s, created %s\n", proof.Type, proof.Cryptosuite, proof.Created.Format(time.RFC3339))
	fmt.Fprintln(w, "verified  yes: signature valid, key controlled by the issuer")
	fmt.Fprintln(w)
	names := append(append([]string{}, badge.MandatoryElements...), badge.OptionalElements...)
	present := 0
	for _, name := range names {
		if _, ok := view.Element(name); ok {
			present++
		}
	}
	fmt.Fprintf(w, "EU elements read back: %d of %d present, %d mandatory absent\n", present, len(names), len(absent))
	for _, line := range summary(view) {
		fmt.Fprintf(w, "  %-18s %s\n", line[0], line[1])
	}
	if outFile != "" {
		fmt.Fprintf(w, "\nwrote %s\n", outFile)
	}
	return nil
}

// validateEU is the Issuer's Validate hook: the credential must carry every
// mandatory EU element, valid.
func validateEU(c *badge.AchievementCredential) error {
	mc, _, err := badge.FromOB3(c)
	if err != nil {
		return err
	}
	return mc.Validate()
}

// microCredential describes the scenario with the Annex I elements. The
// issuer (the first awarding body) is issuerID; the values are those of
// docs/eu-profile/examples/joint-mobility-preparation.json.
func microCredential(issuerID string) *badge.MicroCredential {
	return &badge.MicroCredential{
		AchievementID: "https://alpha-university.example/micro-credentials/intercultural-mobility",
		Language:      "en",
		Description: "A joint micro-credential of the Example European University Alliance that prepares " +
			"master's students for an outgoing exchange at a partner university: an online module " +
			"followed by on-site workshops.",
		Criteria: "Complete the online module and both on-site workshops, submit a reflective portfolio " +
			"and pass the oral examination.",
		Creator: &badge.Profile{
			ID:   "https://alliance.example/",
			Type: badge.Many[string]{"Profile"},
			Name: badge.NewText("Example European University Alliance"),
		},

		Learner: badge.Learner{
			ID:         "did:example:learner-3f9a2c",
			Identifier: []badge.IdentityObject{badge.NewPlainIdentity(badge.IdentifierTypeName, "Maria Jansen")},
		},
		Title: badge.LangText{
			"en": "Intercultural Competence for International Mobility",
			"fr": "Compétence interculturelle pour la mobilité internationale",
			"nl": "Interculturele competentie voor internationale mobiliteit",
		},
		IssuerCountry: badge.IssuerCountry{Country: "NL", Region: "Utrecht"},
		AwardingBody: []badge.Profile{
			{
				ID:   issuerID,
				Type: badge.Many[string]{"Profile"},
				Name: badge.NewText("Alpha University (demo issuer)"),
				URL:  "https://alpha-university.example/",
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
		DateOfIssue: badge.NewDateTime(issued),
		LearningOutcomes: []badge.LearningOutcome{
			{Text: badge.LangText{
				"en": "Analyse how cultural values shape communication and collaboration in international academic settings.",
				"fr": "Analyser la manière dont les valeurs culturelles façonnent la communication et la collaboration dans des contextes académiques internationaux.",
			}},
			{
				Text: badge.LangText{
					"en": "Communicate and establish collaborative relations with peers and staff at a host institution abroad.",
					"fr": "Communiquer et établir des relations de collaboration avec les pairs et le personnel d'un établissement d'accueil à l'étranger.",
				},
				ESCOSkills: []string{"http://data.europa.eu/esco/skill/326809fc-238d-40c2-881e-40042f7f2f0d"},
			},
		},
		Workload:          badge.Workload{ECTS: "5", Hours: 140},
		Level:             badge.Level{EQF: 7, QFEHEACycle: badge.QFEHEASecondCycle},
		AssessmentType:    []badge.AssessmentType{badge.AssessmentPortfolio, badge.AssessmentOralExamination},
		ParticipationForm: []badge.ParticipationForm{badge.ParticipationBlended},
		QualityAssurance: []badge.QualityAssurance{{
			Type: badge.QAProgramQualityAssurance,
			Title: badge.LangText{
				"en": "Accreditation of the joint micro-credential programme (European Approach for Quality Assurance of Joint Programmes)",
			},
			Body: &badge.Profile{
				ID:          "https://qa-agency.example/",
				Type:        badge.Many[string]{"Profile"},
				Name:        badge.NewText("Example Quality Assurance Agency"),
				Description: badge.NewText("Quality assurance agency registered in EQAR."),
			},
			Report: "https://qa-agency.example/reports/2024-117.pdf",
		}},

		Prerequisites: badge.LangText{
			"en": "Enrolled in a master's programme at a partner university of the alliance and selected for an outgoing exchange.",
		},
		SupervisionAndIdentityVerification: badge.SupervisedOnsiteWithIdentityVerification,
		IntegrationStackability: &badge.IntegrationStackability{
			Kind: badge.Stackable,
			Towards: []badge.StackTarget{{
				ID:   "https://alliance.example/programmes/msc-global-challenges",
				Name: "MSc Global Challenges for Sustainability",
			}},
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

// summary lists a few elements of m as (name, short text) pairs.
func summary(m *badge.MicroCredential) [][2]string {
	var bodies []string
	for _, b := range m.AwardingBody {
		bodies = append(bodies, b.Name.String())
	}
	var qa []string
	for _, q := range m.QualityAssurance {
		s := string(q.Type)
		if q.Body != nil {
			s += " by " + q.Body.Name.String()
		}
		qa = append(qa, s)
	}
	var mob []string
	for _, x := range m.Mobility {
		s := fmt.Sprintf("%s %s %s mobility", x.Relation, x.Direction, x.Format)
		for _, h := range x.HostInstitutions {
			s += ", host " + h.Name.String()
		}
		mob = append(mob, s)
	}
	workload := fmt.Sprintf("%s ECTS", m.Workload.ECTS)
	if m.Workload.Hours > 0 {
		workload += fmt.Sprintf(", %g hours", m.Workload.Hours)
	}
	return [][2]string{
		{badge.ElementTitle, m.Title[m.Language]},
		{badge.ElementLearner, m.Learner.ID},
		{badge.ElementIssuerCountry, m.IssuerCountry.Country},
		{badge.ElementAwardingBody, strings.Join(bodies, "; ")},
		{badge.ElementDateOfIssue, m.DateOfIssue.String()},
		{badge.ElementLearningOutcomes, fmt.Sprintf("%d", len(m.LearningOutcomes))},
		{badge.ElementWorkload, workload},
		{badge.ElementLevel, fmt.Sprintf("EQF %d, %s", m.Level.EQF, m.Level.QFEHEACycle)},
		{badge.ElementQualityAssurance, strings.Join(qa, "; ")},
		{badge.ElementMobility, strings.Join(mob, "; ")},
	}
}
