package badge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/microcred/microcred/internal/jsonx"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
)

// MaxPresentationCredentials bounds how many credentials one presentation
// may hold; a presentation with more fails the parse check.
const MaxPresentationCredentials = 64

// Presentation check IDs, in the order VerifyPresentation runs them
// (PresentationCheckOrder).
const (
	// PresentationCheckParse: the input is one JSON object within the
	// limits of vc.Parse (1 MiB, depth 64, 100,000 values, no duplicate
	// members), its first @context is VCDM 2.0 (or 1.1, with a warning),
	// its type has VerifiablePresentation, and its holder and
	// verifiableCredential have a shape the other checks read.
	PresentationCheckParse = "parse"
	// PresentationCheckProof: a Data Integrity proof with purpose
	// authentication verifies, with the challenge and domain asked for.
	PresentationCheckProof = "proof"
	// PresentationCheckHolder: the key that verified the proof is
	// controlled by the presentation's holder.
	PresentationCheckHolder = "holder"
	// PresentationCheckCredentials: every credential in
	// verifiableCredential verifies.
	PresentationCheckCredentials = "credentials"
)

// PresentationCheckOrder lists the presentation check IDs in the order
// every PresentationReport holds them.
var PresentationCheckOrder = []string{
	PresentationCheckParse, PresentationCheckProof, PresentationCheckHolder, PresentationCheckCredentials,
}

// TypeVerifiablePresentation is the type every presentation has.
const TypeVerifiablePresentation = "VerifiablePresentation"

// PresentationOptions are the per-call policy of VerifyPresentation.
type PresentationOptions struct {
	// Challenge, when set, must be the challenge of the proof that
	// verifies (the relying party's nonce, against replay). When empty, a
	// proof with a challenge is accepted.
	Challenge string
	// Domain, when set, must be (one of) the domain(s) of the proof that
	// verifies.
	Domain string
	// Checks selects the checks run on each credential, as
	// VerifyOptions.Checks does for VerifyWith.
	Checks []string
	// AllowUnsigned accepts a presentation without a proof: the proof
	// check is then a warning and only the credentials are checked. False
	// (the default) means a presentation without a proof fails. A proof
	// that is present must verify either way.
	AllowUnsigned bool
}

// PresentationInfo identifies the presentation a PresentationReport is
// about, as read from it.
type PresentationInfo struct {
	// ID is the presentation's id, or "".
	ID string `json:"id"`
	// Holder is the holder's id (holder given as a string or as an object
	// with an id), or "".
	Holder string `json:"holder"`
	// Types are the presentation's type values.
	Types []string `json:"types"`
}

// PresentationReport is the result of Verifier.VerifyPresentation: one
// Check per step of PresentationCheckOrder and one Report per credential,
// in the order of verifiableCredential. Its JSON form is stable:
//
//	{
//	  "verified": true,
//	  "presentation": {"id": "...", "holder": "...", "types": ["VerifiablePresentation"]},
//	  "checks": [{"id": "parse", "outcome": "passed", "message": "...", "details": {...}}, ...],
//	  "credentials": [{"verified": true, "credential": {...}, "checks": [...]}, ...]
//	}
type PresentationReport struct {
	// Presentation identifies the presentation checked.
	Presentation PresentationInfo
	// Checks are the presentation's steps, in PresentationCheckOrder.
	Checks []Check
	// Credentials are the reports of the credentials, by index in
	// verifiableCredential (empty when the credentials check did not run).
	Credentials []*Report
}

// Verified reports whether no presentation check failed and every
// credential's report is verified.
func (r *PresentationReport) Verified() bool {
	if r == nil || len(r.Checks) == 0 {
		return false
	}
	for _, c := range r.Checks {
		if c.Outcome == Failed {
			return false
		}
	}
	for _, c := range r.Credentials {
		if !c.Verified() {
			return false
		}
	}
	return true
}

// Check returns the presentation check with the given id, or nil.
func (r *PresentationReport) Check(id string) *Check {
	for i := range r.Checks {
		if r.Checks[i].ID == id {
			return &r.Checks[i]
		}
	}
	return nil
}

// presentationReportJSON is the wire form of a PresentationReport.
type presentationReportJSON struct {
	Verified     bool             `json:"verified"`
	Presentation PresentationInfo `json:"presentation"`
	Checks       []Check          `json:"checks"`
	Credentials  []*Report        `json:"credentials"`
}

// MarshalJSON writes the documented JSON form (see PresentationReport).
func (r *PresentationReport) MarshalJSON() ([]byte, error) {
	w := presentationReportJSON{Verified: r.Verified(), Presentation: r.Presentation, Checks: r.Checks, Credentials: r.Credentials}
	if w.Checks == nil {
		w.Checks = []Check{}
	}
	if w.Credentials == nil {
		w.Credentials = []*Report{}
	}
	if w.Presentation.Types == nil {
		w.Presentation.Types = []string{}
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads the JSON form back; "verified" is recomputed, not
// trusted.
func (r *PresentationReport) UnmarshalJSON(data []byte) error {
	var w presentationReportJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	r.Presentation, r.Checks, r.Credentials = w.Presentation, w.Checks, w.Credentials
	return nil
}

// vpRun is the state of one presentation verification.
type vpRun struct {
	v       *Verifier
	opts    PresentationOptions
	sel     map[string]bool
	report  *PresentationReport
	doc     map[string]any
	creds   []any // the verifiableCredential entries
	aborted string
	// proof results
	unsigned    bool     // no proof, accepted by AllowUnsigned
	controllers []string // controllers of the verifying proofs' methods
}

// VerifyPresentation verifies a Verifiable Presentation given as JSON
// with an embedded Data Integrity proof (VCDM 2.0 §4.13, VC Data
// Integrity), and each credential it holds, and returns a
// PresentationReport with one Check per step in PresentationCheckOrder
// and one Report per credential.
//
// The steps:
//
//  1. parse (PresentationCheckParse): one JSON object within vc.Parse's
//     limits, duplicate members rejected; the first @context is VCDM 2.0
//     (1.1 warns); type has VerifiablePresentation; holder is a string or
//     an object with a string id; verifiableCredential holds at most
//     MaxPresentationCredentials entries, each an object (a credential
//     with an embedded proof or an EnvelopedVerifiableCredential) or a
//     string (a compact JWS).
//  2. proof (PresentationCheckProof): any one proof verifies with
//     dataintegrity.Verify, purpose authentication, opts.Challenge and
//     opts.Domain, the verifier's resolver and clock. No proof fails
//     unless opts.AllowUnsigned (then a warning).
//  3. holder (PresentationCheckHolder): when the presentation names a
//     holder, the controller of the verification method of a verifying
//     proof is the holder's id. Without a holder the check passes and
//     says that the presentation is not bound to one.
//  4. credentials (PresentationCheckCredentials): each entry is verified
//     by VerifyWith with opts.Checks, as a standalone document (an
//     embedded credential is re-encoded on its own; nothing of the
//     presentation, its @context included, carries over into it). Any
//     credential that does not verify fails the check; the details list
//     each index with its outcome.
//
// The error is non-nil only when ctx is done or opts.Checks names an
// unknown check (errors.Is(err, ErrUnknownCheck), returned before any
// work); everything about the presentation is in the report.
//
// The pinned keys of a registry resolve with the assertionMethod
// relationship only, so a holder key pinned in the verifier's registry
// does not authenticate a presentation.
func (v *Verifier) VerifyPresentation(ctx context.Context, input []byte, opts PresentationOptions) (*PresentationReport, error) {
	sel, err := VerifyOptions{Checks: opts.Checks}.selection()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &vpRun{v: v, opts: opts, sel: sel, report: &PresentationReport{}}
	steps := []func(context.Context, []byte) (Check, error){r.parse, r.proof, r.holder, r.credentials}
	for i, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		id := PresentationCheckOrder[i]
		if r.aborted != "" {
			r.report.Checks = append(r.report.Checks, Check{ID: id, Outcome: Skipped, Message: "not run: " + r.aborted})
			continue
		}
		c, err := step(ctx, input)
		if err != nil {
			return nil, err
		}
		c.ID = id
		r.report.Checks = append(r.report.Checks, c)
	}
	return r.report, nil
}

const (
	vcdm2Context  = "https://www.w3.org/ns/credentials/v2"
	vcdm11Context = "https://www.w3.org/2018/credentials/v1"
)

func (r *vpRun) parse(ctx context.Context, input []byte) (Check, error) {
	r.aborted = "the presentation could not be read"
	v, err := jsonx.Decode(input, jsonx.Limits{})
	if err != nil {
		d := map[string]any{}
		var je *jsonx.Error
		if errors.As(err, &je) {
			d["pointer"] = je.Pointer
		}
		return failed("not a presentation: "+err.Error(), d), nil
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return failed("not a presentation: found "+jsonx.Kind(v)+", want a JSON object", map[string]any{"pointer": ""}), nil
	}
	r.doc = doc
	info := &r.report.Presentation
	var problems []string
	if id, ok := doc["id"]; ok {
		if s, ok := id.(string); ok {
			info.ID = s
		} else {
			problems = append(problems, "/id: not a string")
		}
	}
	info.Types = stringList(doc["type"])
	if !slices.Contains(info.Types, TypeVerifiablePresentation) {
		problems = append(problems, "/type: has no "+TypeVerifiablePresentation)
	}
	ctxs := asList(doc["@context"])
	first, _ := firstOr(ctxs).(string)
	warn := ""
	switch first {
	case vcdm2Context:
	case vcdm11Context:
		warn = "the presentation uses the outdated VCDM 1.1 context"
	default:
		problems = append(problems, "/@context/0: is not "+vcdm2Context+" (or "+vcdm11Context+")")
	}
	switch h := doc["holder"].(type) {
	case nil:
		if _, ok := doc["holder"]; ok {
			problems = append(problems, "/holder: null")
		}
	case string:
		info.Holder = h
	case map[string]any:
		s, ok := h["id"].(string)
		if !ok || s == "" {
			problems = append(problems, "/holder/id: the holder object has no string id")
		}
		info.Holder = s
	default:
		problems = append(problems, "/holder: not a string or an object with an id")
	}
	r.creds = asList(doc["verifiableCredential"])
	if len(r.creds) > MaxPresentationCredentials {
		problems = append(problems, fmt.Sprintf("/verifiableCredential: %d credentials, at most %d are read", len(r.creds), MaxPresentationCredentials))
	} else {
		for i, c := range r.creds {
			switch c.(type) {
			case map[string]any, string:
			default:
				problems = append(problems, fmt.Sprintf("/verifiableCredential/%d: %s, want a credential object or a compact JWS string", i, jsonx.Kind(c)))
			}
		}
	}
	d := map[string]any{"types": info.Types, "credentials": len(r.creds)}
	if len(problems) > 0 {
		d["problems"] = problems
		return failed(fmt.Sprintf("%d problem(s) with the presentation", len(problems)), d), nil
	}
	r.aborted = ""
	if warn != "" {
		return warning(warn, d), nil
	}
	return passed("read the presentation", d), nil
}

func firstOr(l []any) any {
	if len(l) == 0 {
		return nil
	}
	return l[0]
}

func (r *vpRun) proof(ctx context.Context, _ []byte) (Check, error) {
	if _, ok := r.doc["proof"]; !ok {
		if r.opts.AllowUnsigned {
			r.unsigned = true
			return warning("the presentation has no proof (accepted: AllowUnsigned); only its credentials are checked", nil), nil
		}
		return failed("the presentation has no proof", nil), nil
	}
	vo := dataintegrity.VerifyOptions{
		Resolver:  r.v.resolver,
		Purpose:   dataintegrity.PurposeAuthentication,
		Challenge: r.opts.Challenge,
		Domain:    r.opts.Domain,
		Now:       r.v.now(),
		LD:        r.v.ld,
	}
	results, err := dataintegrity.Verify(ctx, r.doc, vo)
	if ctx.Err() != nil {
		return Check{}, ctx.Err()
	}
	d := map[string]any{"purpose": dataintegrity.PurposeAuthentication}
	if r.opts.Challenge != "" {
		d["challenge"] = r.opts.Challenge
	}
	if r.opts.Domain != "" {
		d["domain"] = r.opts.Domain
	}
	if err != nil {
		d["error"] = err.Error()
		return failed("the presentation's proof cannot be verified: "+err.Error(), d), nil
	}
	var out []map[string]any
	var msgs []string
	for _, res := range results {
		m := map[string]any{"index": res.Index, "type": res.Type, "verificationMethod": res.VerificationMethod, "proofPurpose": res.Purpose, "verified": res.Verified}
		if res.Cryptosuite != "" {
			m["cryptosuite"] = res.Cryptosuite
		}
		if res.Method != nil {
			m["controller"] = res.Method.Controller
		}
		if res.Verified {
			if res.Method != nil {
				r.controllers = append(r.controllers, res.Method.Controller)
			}
		} else {
			msg := "no reason given"
			if res.Err != nil {
				msg = res.Err.Error()
			}
			m["error"] = msg
			msgs = append(msgs, msg)
			if res.CanonicalDocument != "" {
				m["canonicalDocument"], m["canonicalProofConfig"] = res.CanonicalDocument, res.CanonicalProof
				m["documentHash"], m["proofConfigHash"] = res.DocumentHash, res.ProofHash
			}
		}
		out = append(out, m)
	}
	d["proofs"] = out
	for _, res := range results {
		if res.Verified {
			return passed(fmt.Sprintf("proof %d verified (%s, authentication)", res.Index, res.VerificationMethod), d), nil
		}
	}
	msg := "no proof of the presentation verified"
	if len(msgs) == 1 {
		msg += ": " + msgs[0]
	}
	return failed(msg, d), nil
}

func (r *vpRun) holder(ctx context.Context, _ []byte) (Check, error) {
	holder := r.report.Presentation.Holder
	if holder == "" {
		return passed("the presentation names no holder: it is not bound to one", nil), nil
	}
	d := map[string]any{"holder": holder}
	if r.unsigned {
		return warning("the presentation has no proof: the holder is not bound to it", d), nil
	}
	if p := r.report.Check(PresentationCheckProof); p == nil || p.Outcome != Passed {
		return skipped("no verified proof"), nil
	}
	d["controllers"] = r.controllers
	if slices.Contains(r.controllers, holder) {
		return passed("the presentation is signed with a key of its holder", d), nil
	}
	return failed(fmt.Sprintf("the verification method's controller %s is not the holder %q", strings.Join(quoteAll(r.controllers), ", "), holder), d), nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func (r *vpRun) credentials(ctx context.Context, _ []byte) (Check, error) {
	if len(r.creds) == 0 {
		return passed("no credentials", nil), nil
	}
	var entries []map[string]any
	nFailed := 0
	for i, c := range r.creds {
		var in []byte
		switch c := c.(type) {
		case map[string]any:
			b, err := vc.Marshal(c)
			if err != nil {
				return Check{}, fmt.Errorf("badge: re-encoding credential %d: %w", i, err)
			}
			in = b
		case string:
			in = []byte(c)
		}
		rep, err := r.v.verifySel(ctx, in, 0, r.sel)
		if err != nil {
			return Check{}, err
		}
		r.report.Credentials = append(r.report.Credentials, rep)
		e := map[string]any{"index": i, "pointer": fmt.Sprintf("/verifiableCredential/%d", i), "verified": rep.Verified()}
		if rep.Credential.ID != "" {
			e["id"] = rep.Credential.ID
		}
		if fails := rep.Failures(); len(fails) > 0 {
			nFailed++
			var ids []string
			for _, f := range fails {
				ids = append(ids, f.ID)
			}
			e["failed"] = ids
		}
		entries = append(entries, e)
	}
	d := map[string]any{"credentials": entries}
	if nFailed > 0 {
		var idx []string
		for _, e := range entries {
			if e["verified"] == false {
				idx = append(idx, fmt.Sprint(e["index"]))
			}
		}
		return failed(fmt.Sprintf("%d of %d credential(s) did not verify (index %s)", nFailed, len(entries), strings.Join(idx, ", ")), d), nil
	}
	return passed(fmt.Sprintf("%d credential(s) verified", len(entries)), d), nil
}
