// Package interop holds the cross-implementation tests: credentials signed
// by microcred must verify with the Digital Bazaar JavaScript stack
// (@digitalbazaar/vc 7.3.0 with eddsa-rdfc-2022), and credentials signed
// there must verify here; the same for verifiable presentations (proof
// purpose authentication with a challenge and a domain) signed with
// vc.signPresentation and verified with vc.verify, and for VC-JWT with
// jose. The JavaScript side is in interop/js; install it
// with `npm ci --prefix interop/js`. Without Node.js or that install the
// tests skip, unless MICROCRED_INTEROP=require (as in CI), where they fail.
package interop
