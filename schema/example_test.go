package schema_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/microcred/microcred/schema"
)

func ExampleValidator_ValidateCredential() {
	v, err := schema.New(schema.Options{}) // embedded schemas only, no network
	if err != nil {
		panic(err)
	}
	cred := []byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
	  "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
	  "type": ["VerifiableCredential", "OpenBadgeCredential"],
	  "validFrom": "2024-03-15T09:30:00",
	  "credentialSubject": {
	    "type": ["AchievementSubject"],
	    "achievement": {
	      "id": "https://example.com/achievements/21st-century-skills/teamwork",
	      "type": ["Achievement"],
	      "name": {"english": "Teamwork"},
	      "criteria": {"narrative": "Team members are nominated for this badge by their peers."}
	    }
	  }
	}`)
	res, err := v.ValidateCredential(context.Background(), cred)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println("valid:", res.Valid())
	for _, p := range res.Problems {
		fmt.Printf("%s: %s\n", p.InstancePath, p.Message)
	}
	fmt.Println(res.Problems[0].SchemaLocation)
	// Output:
	// valid: false
	// /credentialSubject/achievement/description: required property "description" is missing
	// /credentialSubject/achievement/name/english: property name "english" is not allowed: "english" does not match the pattern ^[a-z]{2}(-[A-Z]{2})?$
	// /issuer: required property "issuer" is missing
	// /validFrom: "2024-03-15T09:30:00" is not a valid date-time (RFC 3339, such as 2024-03-15T09:30:00Z): less than 20 characters long
	// https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json#/$defs/Achievement/required
}

func ExampleValidator_Register() {
	v, _ := schema.New(schema.Options{})
	// A profile schema layered on OB 3.0, as package badge registers the
	// EU micro-credential profile.
	const profile = "https://schemas.example.org/ects-profile.json"
	err := v.Register(profile, []byte(`{
	  "$schema": "https://json-schema.org/draft/2019-09/schema",
	  "properties": {"credentialSubject": {"properties": {"achievement": {
	    "required": ["creditsAvailable"],
	    "properties": {"creditsAvailable": {"type": "number", "minimum": 1, "maximum": 60}}
	  }}}}
	}`))
	if err != nil {
		panic(err)
	}
	cred := map[string]any{
		"credentialSubject": map[string]any{"achievement": map[string]any{"creditsAvailable": 90}},
	}
	problems, _ := v.Validate(context.Background(), profile, cred)
	for _, p := range problems {
		fmt.Printf("%s: %s\n", p.InstancePath, p.Message)
	}

	// A schema that is neither embedded nor registered is an error, not a
	// silent pass.
	_, err = v.Validate(context.Background(), "https://schemas.example.org/unknown.json", cred)
	var unknown *schema.UnknownSchemaError
	fmt.Println(errors.As(err, &unknown), unknown.URL)
	// Output:
	// /credentialSubject/achievement/creditsAvailable: maximum: got 90, want 60
	// true https://schemas.example.org/unknown.json
}
