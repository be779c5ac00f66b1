package vc_test

import (
	"errors"
	"fmt"

	"github.com/microcred/microcred/vc"
)

func ExampleParse() {
	data := []byte(`{
	  "@context": [
	    "https://www.w3.org/ns/credentials/v2",
	    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	  ],
	  "id": "urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58",
	  "type": ["VerifiableCredential", "OpenBadgeCredential"],
	  "issuer": {"id": "https://badges.example.org/issuers/1", "type": ["Profile"], "name": "Example Academy"},
	  "validFrom": "2024-03-15T09:30:00Z",
	  "validUntil": "2029-03-15T09:30:00+01:00",
	  "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"]},
	  "credentialSchema": {"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json", "type": "1EdTechJsonSchemaValidator2019"},
	  "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod",
	            "verificationMethod": "did:key:z6MkExample#z6MkExample", "created": "2024-03-15T09:30:01Z", "proofValue": "z3FXQ"}
	}`)
	c, err := vc.Parse(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("problems:", len(c.CheckDataModel()))
	v, _ := c.Version()
	fmt.Println("version:", v)
	fmt.Println("id:", c.ID())
	fmt.Println("types:", c.Types())
	iss, _ := c.Issuer()
	fmt.Println("issuer:", iss.ID, "/", iss.Name)
	from, _, _ := c.ValidFrom()
	until, _, _ := c.ValidUntil()
	fmt.Println("valid:", from.UTC().Format("2006-01-02 15:04"), "to", until.UTC().Format("2006-01-02 15:04"))
	subjects, _ := c.Subjects()
	fmt.Println("subject:", subjects[0].ID)
	schemas, _ := c.Schemas()
	fmt.Println("schema type:", schemas[0].Types)
	proofs, _ := c.Proofs()
	fmt.Println("proof:", proofs[0].Pointer, proofs[0].Cryptosuite, proofs[0].VerificationMethod)
	_, hasProof := c.WithoutProof()["proof"]
	fmt.Println("unsecured document has proof:", hasProof)

	// Hostile input fails with the JSON Pointer of the problem.
	_, err = vc.Parse([]byte(`{"credentialSubject": {"name": "A", "name": "B"}}`))
	var pe *vc.ParseError
	fmt.Println(errors.As(err, &pe), pe.Pointer, errors.Is(err, vc.ErrDuplicateKey))
	fmt.Println(err)
	// Output:
	// problems: 0
	// version: VCDM 2.0
	// id: urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58
	// types: [VerifiableCredential OpenBadgeCredential]
	// issuer: https://badges.example.org/issuers/1 / Example Academy
	// valid: 2024-03-15 09:30 to 2029-03-15 08:30
	// subject: did:example:learner
	// schema type: [1EdTechJsonSchemaValidator2019]
	// proof: /proof eddsa-rdfc-2022 did:key:z6MkExample#z6MkExample
	// unsecured document has proof: false
	// true /credentialSubject/name true
	// vc: parse credential: jsonx: /credentialSubject/name: duplicate key "name" at offset 36
}

func ExampleCredential_CheckDataModel() {
	c, err := vc.Parse([]byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2"],
	  "type": ["VerifiableCredential"],
	  "issuer": "Example University",
	  "validFrom": "2024-06-01T00:00:00Z",
	  "validUntil": "2024-01-01T00:00:00Z",
	  "credentialSubject": {},
	  "credentialStatus": {"id": "https://example.org/status#1"}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range c.CheckDataModel() {
		fmt.Printf("%-18s %s\n", p.Rule, p.Error())
	}
	// Output:
	// issuer             vc: /issuer: issuer "Example University" is not a URL
	// credentialSubject  vc: /credentialSubject: credentialSubject entry is an empty object; it must make at least one claim
	// validity.order     vc: /validUntil: validUntil (2024-01-01T00:00:00Z) is before validFrom (2024-06-01T00:00:00Z)
	// credentialStatus   vc: /credentialStatus/type: credentialStatus entry has no type
}
