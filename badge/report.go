package badge

import (
	"encoding/json"
	"sync"
)

// Outcome is the verdict of one verification step.
type Outcome string

// Outcomes of a Check. Only Failed makes a Report not verified.
const (
	// Passed: the step ran and found nothing wrong.
	Passed Outcome = "passed"
	// Failed: the step found a reason not to trust the credential.
	Failed Outcome = "failed"
	// Warning: the step could not fully decide (a status list that could
	// not be fetched, no registry configured) or found something outdated
	// but acceptable (a VCDM 1.1 credential).
	Warning Outcome = "warning"
	// Skipped: the step did not apply or could not run because an earlier
	// step failed.
	Skipped Outcome = "skipped"
)

// Check IDs, in the order Verify runs them (see Verifier.Verify).
const (
	CheckParse          = "parse"
	CheckContextAndType = "context_and_type"
	CheckSchema         = "schema"
	CheckSubject        = "subject"
	CheckProof          = "proof"
	CheckKeyProvenance  = "key_provenance"
	// CheckRefresh follows the credential's refreshService once, after the
	// proof check, when VerifierOptions.Refresh is set.
	CheckRefresh      = "refresh"
	CheckRegistry     = "registry"
	CheckStatus       = "status"
	CheckValidity     = "validity"
	CheckEUProfile    = "eu_profile"
	CheckEndorsements = "endorsements"
)

// CheckOrder lists the check IDs in the order every Report holds them.
var CheckOrder = []string{
	CheckParse, CheckContextAndType, CheckSchema, CheckSubject, CheckProof,
	CheckKeyProvenance, CheckRefresh, CheckRegistry, CheckStatus, CheckValidity,
	CheckEUProfile, CheckEndorsements,
}

// Check is the result of one verification step.
type Check struct {
	// ID is one of the Check… constants.
	ID string `json:"id"`
	// Outcome is passed, failed, warning or skipped.
	Outcome Outcome `json:"outcome"`
	// Message says what was found, in plain words.
	Message string `json:"message"`
	// Details holds step-specific data: problems with JSON Pointers, the
	// proof's verification method and, on a proof failure, the canonical
	// N-Quads and hashes, the status list results, nested endorsement
	// reports, …
	Details map[string]any `json:"details,omitempty"`
}

// CredentialInfo identifies the credential a Report is about, as read from
// it (not verified unless the Report is).
type CredentialInfo struct {
	// ID is the credential's id, or "".
	ID string `json:"id"`
	// Issuer is the issuer's id, or "".
	Issuer string `json:"issuer"`
	// Types are the credential's type values.
	Types []string `json:"types"`
	// Format is how the credential came: "json" (embedded proof), "jwt"
	// (compact JWS, also given as a JSON string), "enveloped+jwt" (an
	// EnvelopedVerifiableCredential whose data: URL holds a compact JWS),
	// "png+json", "png+jwt", "svg+json" or "svg+jwt" (and
	// "png+enveloped+jwt", "svg+enveloped+jwt" for a baked envelope).
	Format string `json:"format,omitempty"`
}

// Report is the result of Verifier.Verify: one Check per step, in
// CheckOrder. Its JSON form is stable:
//
//	{
//	  "verified": true,
//	  "credential": {"id": "...", "issuer": "...", "types": ["..."], "format": "json"},
//	  "checks": [{"id": "parse", "outcome": "passed", "message": "...", "details": {...}}, ...],
//	  "euElements": {...}
//	}
//
// "verified" is Verified(); "euElements" (the MicroCredential view) is
// present only when the EU profile step ran on a credential that could be
// read into it.
type Report struct {
	// Credential identifies the credential checked.
	Credential CredentialInfo
	// Checks are the steps, in CheckOrder.
	Checks []Check
	// EUElements is the EU micro-credential view of the credential, when
	// the eu_profile step ran.
	EUElements *MicroCredential
}

// Verified reports whether no check failed. Warnings and skipped checks do
// not make a report unverified.
func (r *Report) Verified() bool {
	if r == nil || len(r.Checks) == 0 {
		return false
	}
	for _, c := range r.Checks {
		if c.Outcome == Failed {
			return false
		}
	}
	return true
}

// Check returns the check with the given id, or nil.
func (r *Report) Check(id string) *Check {
	for i := range r.Checks {
		if r.Checks[i].ID == id {
			return &r.Checks[i]
		}
	}
	return nil
}

// Failures returns the checks that failed.
func (r *Report) Failures() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Outcome == Failed {
			out = append(out, c)
		}
	}
	return out
}

// Warnings returns the checks that ended with a warning.
func (r *Report) Warnings() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Outcome == Warning {
			out = append(out, c)
		}
	}
	return out
}

// reportJSON is the wire form of a Report.
type reportJSON struct {
	Verified   bool             `json:"verified"`
	Credential CredentialInfo   `json:"credential"`
	Checks     []Check          `json:"checks"`
	EUElements *MicroCredential `json:"euElements,omitempty"`
}

// MarshalJSON writes the documented JSON form (see Report).
// It writes the bytes json.Marshal writes for reportJSON (see
// reportEncoder), without reflecting over the checks and their details.
func (r *Report) MarshalJSON() ([]byte, error) {
	bp := reportBufs.Get().(*[]byte)
	e := reportEncoder{buf: (*bp)[:0]}
	err := e.report(r)
	var out []byte
	if err == nil {
		out = append([]byte(nil), e.buf...)
	}
	if cap(e.buf) <= maxPooledReportBuf {
		*bp = e.buf
		reportBufs.Put(bp)
	}
	return out, err
}

// reportBufs holds the buffers of Report.MarshalJSON; one larger than
// maxPooledReportBuf is left to the garbage collector.
var reportBufs = sync.Pool{New: func() any { b := make([]byte, 0, 8192); return &b }}

const maxPooledReportBuf = 1 << 20

// UnmarshalJSON reads the JSON form back; "verified" is recomputed from
// the checks, not trusted.
func (r *Report) UnmarshalJSON(data []byte) error {
	var w reportJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	r.Credential, r.Checks, r.EUElements = w.Credential, w.Checks, w.EUElements
	return nil
}
