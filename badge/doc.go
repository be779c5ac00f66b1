// Package badge is the Open Badges 3.0 layer of microcred: the typed model
// of OB 3.0 credentials that issuers fill in and verifiers read back.
//
// It holds:
//
//   - the model itself — AchievementCredential (typed AchievementCredential
//     or its alias OpenBadgeCredential), EndorsementCredential,
//     Achievement, AchievementSubject, Profile, Result, ResultDescription,
//     Alignment, Evidence, Criteria, Image, IdentityObject and the rest of
//     the OB 3.0 classes — with a JSON round trip, the OB 3.0 enumerations,
//     identity hashing and recipient matching, and the rules the OB 3.0
//     JSON Schemas cannot express (Check);
//   - MicroCredential, the typed view of the EU micro-credential elements
//     of Council Recommendation 2022/C 243/02 Annex I, carried in OB 3.0
//     JSON with the microcred EU context (docs/eu-profile): Credential
//     builds the OB 3.0 credential, FromOB3 reads any OB 3.0 credential
//     back and names the absent elements, Validate lists every problem by
//     element name and JSON path;
//   - Issuer, built once from a key and an issuer Profile, which fills
//     defaults, validates (OB 3.0 rules, JSON Schema, a profile hook) and
//     signs with eddsa-rdfc-2022, one credential at a time or in batches on
//     all cores.
//
// The Verifier will join them.
//
// # Reading and writing
//
// ParseCredential reads untrusted JSON with the bounds of vc.Parse (1 MiB,
// depth 64, duplicate member names rejected) and accepts what issuers send:
// a single value or an array wherever a property may repeat, the issuer as
// an IRI or a Profile, images as a URL or an Image, VCDM 1.1's issuanceDate
// and expirationDate, OB contexts 3.0.1–3.0.3 and the unversioned one.
// MarshalJSON writes one canonical form:
//
//   - @context is [credentials/v2, OB context 3.0.3], then the OB
//     extensions context when a 1EdTech type (1EdTechJsonSchemaValidator2019,
//     1EdTechRevocationList, 1EdTechCredentialRefresh) is used, then any
//     other contexts in their order;
//   - VCDM 2.0 names: validFrom and validUntil;
//   - multi-valued properties (type, alignment, evidence, proof,
//     credentialSchema, identifier, result, …) as arrays (Many); properties
//     OB 3.0 defines as single (credentialSubject, credentialStatus,
//     refreshService, and the type of Image, IdentityObject,
//     IdentifierEntry, GeoCoordinates and the VC plumbing) as a single value
//     when there is one (OneOrMany) — as the OB 3.0 JSON Schema requires;
//   - everything else as it was read: members the model does not know
//     (Extra), numbers with their exact lexical form (json.Number), dates
//     with theirs (DateTime), IRI-or-object values in the form they came
//     in, multilingual text in its form (Text).
//
// A credential read from signed bytes and written back is not those bytes:
// verify what you received and use this package to read it, or to build
// new credentials.
//
// # Multilingual text
//
// None of the OB 3.0 contexts (3.0.1–3.0.3, unversioned) declares a
// language container on any term, so in JSON-LD a language map such as
// "name": {"en": "…", "nl": "…"} is a node with undefined properties, which
// safe-mode processing refuses (package ld) and plain processors drop
// unsigned. Under those contexts the JSON-LD form of multilingual text is
// value objects, [{"@value": "…", "@language": "nl"}, …] — which the OB 3.0
// JSON Schemas in turn refuse (the published lenient schema accepts
// language maps, the strict one only strings). Text reads and writes all of
// these forms and keeps the one it read; a profile context that declares
// "@container": "@language" for its own terms is the way to signed,
// schema-valid multilingual text.
package badge
