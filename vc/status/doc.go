// Package status checks and publishes credential status: W3C Bitstring
// Status List v1.0 (revocation, suspension and multi-bit "message" lists)
// and the 1EdTech Revocation List status method of Open Badges 3.0.
//
// # Issuing
//
// NewList creates a list of at least MinEntries (131,072) entries; Set,
// Clear and SetStatus flip entries; Encode produces the encodedList value
// (multibase base64url, no padding, of the GZIP-compressed bitstring, entry 0
// in the most significant bit of the first byte). List.Credential builds the
// unsigned BitstringStatusListCredential and List.SignedCredential secures
// it with an eddsa-rdfc-2022 Data Integrity proof; List.Entry builds the
// BitstringStatusListEntry a credential carries.
//
// # Issuer-side storage
//
// A Store keeps an issuing service's lists on disk: OpenStore opens (and
// locks) a directory; Allocate gives each credential a
// BitstringStatusListEntry at a random unused index of the purpose's
// current list (opening "revocation-2" and so on as lists fill), recorded
// in an fsynced append-only log before it returns; Update and SetIndex
// flip entries, re-signing the list and replacing its file atomically; and
// ListCredential returns the signed list credential to serve at its URL.
// A restart replays the log and checks the list files against the
// options.
//
// # Decoding untrusted lists
//
// DecodeList bounds the decompressed size (DefaultMaxListBytes, 16 MiB, or
// DecodeOptions.MaxBytes), so a GZIP bomb costs at most the limit. It rejects
// lists with fewer than MinEntries entries, as the spec's validate algorithm
// requires of verifiers (STATUS_LIST_LENGTH_ERROR): a short list would let
// an issuer track a holder. It accepts the padded base64url that some
// issuers (and the 1EdTech validator fixtures) emit, and the unprefixed form
// of StatusList2021.
//
// # Checking
//
// A Checker is built once with a fetch.Fetcher (the only way to the
// network, with its host allow-list) and Options naming the Resolver that
// verifies the status list credential's proof. Check follows the spec's
// validate algorithm; CheckCredential checks every entry of a credential and
// compares the list's issuer with the credential's. Results are typed:
// Revoked, Suspended and Invalid fail; Unavailable (the list could not be
// fetched, or is outside its validity period) and Unsupported are warnings;
// Valid passes. Verified lists are cached for Options.CacheTTL, never past
// their validUntil or their own ttl.
package status
