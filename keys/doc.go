// Package keys owns the key material of microcred: key pairs, their encodings,
// and the resolution of a verification method (or JWT "kid") to a public key
// and its controller.
//
// # Key pairs and encodings
//
// Ed25519 is the first-class key type (GenerateEd25519, Ed25519FromSeed);
// ECDSA P-256/P-384/P-521 and RSA are read and written for VC-JWT (ES256,
// ES384, ES512, RS256). Public and private keys convert to and from:
//
//   - JWK (RFC 7517/7518/8037): PublicJWK, PrivateJWK, ParseJWK, and RFC 7638
//     thumbprints (Thumbprint);
//   - Multikey (publicKeyMultibase "z6Mk…", "zDn…"; secretKeyMultibase
//     "z3u2…"): EncodeMultikey, ParseMultikey, EncodePrivateMultikey,
//     ParsePrivateMultikey;
//   - did:key (DIDKey, ParseDIDKey) and did:jwk (DIDJWK, ParseDIDJWK).
//
// Signing goes through the small Signer interface (NewSigner wraps any
// crypto.Signer); VerifyMessage is its counterpart. Private keys are stored
// as JWK files (WritePrivateKeyFile creates them with mode 0600 and refuses to
// overwrite unless asked; LoadSigner reads one back).
//
// # Resolution
//
// A Resolver turns a verification method URL into a VerificationMethod: the
// public key, its type, its controller, and the verification relationships
// (assertionMethod, authentication, …) of the controller document that list
// it, so a verifier can require "listed under assertionMethod".
// DIDKeyResolver and DIDJWKResolver work locally. DIDWebResolver and
// HTTPSResolver fetch controller documents and apply the checks of the W3C
// Controlled Identifiers "retrieve verification method" algorithm (document
// id equals the URL fetched, method found by id, method controller equals the
// document id). StaticResolver holds pinned keys and MultiResolver dispatches
// by DID method or URL scheme; NewResolver builds the usual combination.
// KIDResolver resolves a JWT "kid" header, falling back to the issuer's
// /.well-known/jwks.json (JWKSResolver).
//
// # Network
//
// Nothing in this package touches the network unless the caller supplies a
// Fetcher (package fetch). The standard one, fetch.HTTP, allows HTTPS only, to an
// explicit host allow-list (an empty list allows nothing), with a timeout, a
// byte limit, redirect checks and a TTL cache. All JSON read here is parsed
// with a size limit, a nesting limit and duplicate keys rejected; errors say
// which document and which JSON pointer.
//
// # Issuer registry
//
// Registry answers whether an issuer is trusted, for this kind of
// credential, at this time, with this key: FileRegistry reads the project's
// JSON format, ParseDCCRegistry imports the DCC community registry,
// NewEBSIRegistry reads the EBSI Trusted Issuers Registry through a
// Fetcher, and Composite asks several in order. NewPinnedResolver resolves
// a verification method only to a key pinned for that issuer, which is how
// a verifier accepts an HTTPS method it cannot dereference — never by
// decoding a key from the URL's fragment.
package keys
