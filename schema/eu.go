package schema

// EUMicroCredentialSchemaURL is the $id of the project's JSON Schema for the
// EU micro-credential profile (Council Recommendation 2022/C 243/02,
// Annex I, carried in Open Badges 3.0 as docs/eu-profile/README.md
// describes). A credential claims the profile by naming it in
// credentialSchema:
//
//	{"id": "https://w3id.org/microcred/eu/v1/schema.json", "type": "1EdTechJsonSchemaValidator2019"}
//
// and ValidateCredential then applies it next to the Open Badges 3.0
// schema. The schema is embedded (schemas/microcred-eu-v1.schema.json,
// which is also its published copy) and pinned by SHA-256 like the OB3
// schemas, so it is never fetched; Options.Strict does not change it. The
// URL sits beside the profile's JSON-LD context (https://w3id.org/microcred/eu/v1)
// and is frozen with it: a change is a new schema under /v2.
//
// It checks what JSON Schema can: the achievement's type includes
// Achievement and EUMicroCredentialAchievement and its achievementType is
// MicroCredential; every mandatory Annex I element is present where the
// profile puts it — learner (credentialSubject id or identifier), title
// (name and the title language map), issuerCountry (issuer.address
// addressCountryCode, two capital letters), awardingBody (at least one),
// dateOfIssue (awardedDate or validFrom), learningOutcomes (at least
// one), workload (an ECTS creditPoint and/or volumeOfLearning PT<n>H),
// level (eqfLevel, nqfLevel, qfEheaCycle, or levelNotApplicable true, not
// both), assessmentType, participationForm (mode) and qualityAssurance
// (accreditation with dcType and accreditingAgent); and the value shapes
// of every EU term: arrays for the multi-valued terms, language maps,
// absolute IRIs (format uri), ESCO skill IRIs, ECTS points as positive
// decimal strings, at most one ECTS creditPoint and one whenever
// creditsAvailable is present, EQF level IRIs (and ext:EQF alignments
// that agree with eqfLevel), enumeration values as an alias or its
// concept IRI, mobility relation and format with a host institution
// unless virtual, and stackableTowards for a stackable micro-credential.
//
// JSON Schema cannot compare one value with another in general: that the
// title holds name under inLanguage, that the ECTS point equals
// creditsAvailable, that awardingBody includes the issuer, and that the
// country code is an assigned ISO 3166-1 code are checked by
// badge.MicroCredential.Validate (after badge.FromOB3).
const EUMicroCredentialSchemaURL = "https://w3id.org/microcred/eu/v1/schema.json"

// euMicroCredentialSchemaSHA256 pins schemas/microcred-eu-v1.schema.json.
const euMicroCredentialSchemaSHA256 = "acead840fae13ff3667821fd366b4ccda3f4d704c38711abcb1d1d2c80be9156"
