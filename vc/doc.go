// Package vc reads and checks the envelope of a W3C Verifiable Credential:
// the Data Model 2.0 (and, for reading, 1.1) properties that every
// credential has whatever it claims — @context, id, type, issuer, validity
// period, credentialSubject, credentialStatus, credentialSchema, proof,
// refreshService, termsOfUse and evidence. It does not know about Open
// Badges classes (package badge does) and does not verify proofs (the
// securing mechanisms in vc/dataintegrity and vc/jwt implement the Suite and
// EnvelopeSuite interfaces defined here).
//
// # Parsing untrusted input
//
// Parse and ParseWithOptions decode a credential with a strict, bounded JSON
// decoder: by default at most 1 MiB, nesting at most 64 deep, at most
// 100,000 JSON values; duplicate member names, invalid UTF-8, unpaired
// surrogate escapes, a byte order mark and trailing data are errors, never
// repaired or ignored. Numbers are kept as json.Number with their exact
// lexical form. Parse errors are *ParseError values that name the JSON
// Pointer (RFC 6901) of the problem; errors.Is with ErrDuplicateKey,
// ErrTooLarge and the other sentinels tells the kind.
//
// A Credential keeps the exact bytes it was parsed from (Raw) and the
// decoded document (Map, shared and read-only; Document, a deep copy).
//
// # Accessors and checks
//
// Typed accessors (ID, Types, Issuer, ValidFrom, Subjects, Status, Proofs,
// …) accept every shape the specifications allow — a single value or an
// array, an issuer URL or an issuer object, VCDM 1.1's issuanceDate and
// expirationDate — and return errors that carry the JSON Pointer of the bad
// value. CheckDataModel runs the structural rules of the data model that a
// verifier checks before anything else and returns every violation it
// finds, each with its JSON Pointer. Rules that need a JSON-LD processor
// (undefined terms, redefined protected terms) belong to package ld.
//
// # Dates
//
// VCDM 2.0 validFrom and validUntil are XML Schema dateTimeStamp values: a
// time zone ("Z" or "±hh:mm") is required. VCDM 1.1 issuanceDate and
// expirationDate, and validFrom/validUntil in a 1.1 credential, are
// xsd:dateTime, whose zone is optional; a missing zone is read as UTC.
// Accepted forms are YYYY-MM-DDThh:mm:ss with an optional fraction of any
// length (kept to the nanosecond), years 0000–9999, and 24:00:00 as the end
// of a day. Lower-case "t" or "z", a space instead of "T", missing seconds
// and leap seconds (":60") are rejected, as XML Schema does.
package vc
