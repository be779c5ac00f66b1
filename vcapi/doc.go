// Package vcapi serves microcred over HTTP: the W3C VC API endpoints for
// issuing and verifying credentials and presentations, Bitstring Status List
// publication and updates, and a raw-body verification endpoint for LMS
// integrators (Moodle, Canvas, custom portals) that do not link Go.
//
// New returns an http.Handler built once from trusted material (a
// badge.Verifier, optionally a badge.Issuer and a status.Store) and policy
// (API keys, body limits, the hosts GET /verify may fetch from). It is safe
// for concurrent use; mount it on any mux, or run it with "microcred serve".
//
// # Endpoints
//
//	POST /credentials/issue        issue (API key or client certificate)
//	POST /credentials/status       revoke, suspend or reinstate by credential id (authenticated)
//	POST /credentials/verify       verify a credential (DI or enveloped VC-JWT; VCDM 2.0 and 1.1)
//	POST /presentations/verify     verify a presentation and every credential in it
//	POST /challenges               a single-use challenge for a presentation (replay protection)
//	GET  /status/{list}            a signed BitstringStatusListCredential
//	POST /status/{list}/{index}    set or clear one entry (authenticated)
//	POST /verify                   raw credential body: JSON, compact JWS, baked PNG or SVG
//	GET  /verify?url=...           a hosted credential, from allowed hosts only
//	GET  /healthz                  liveness
//	GET  /openapi.json             the OpenAPI 3.1 description of all of the above
//
// # Errors
//
// Every error is an RFC 9457 problem document (application/problem+json)
// whose "problems" member lists what is wrong and where, as JSON Pointers
// into the request body. Malformed JSON, a wrong shape, an unknown option
// or check is 400; a body over the limit 413; a credential the issuer refuses
// 422; a missing or wrong API key 401. A credential or presentation that does
// not verify is 422 (400 when it could not even be read) with the full
// verification report. The handler never answers 500 for anything a client
// sends; a panic is recovered, logged and answered 500 without details.
//
// # Security
//
// Issuing and status updates are never open: they need one of Config.APIKeys
// (sent as "Authorization: Bearer KEY" or "X-API-Key: KEY", compared in
// constant time) or, with Config.ClientCertificates, a TLS client certificate
// the server verified. Verification is open. Bodies are bounded before they
// are read, JSON is parsed with duplicate members rejected, and the network
// is used only through the Verifier's and Config.URLFetcher's fetchers.
package vcapi
