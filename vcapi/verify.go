package vcapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/fetch"
)

// VCDM 2.0 §7.1 error types, used for the "errors" of verification
// responses.
const (
	ErrorTypeParsing        = "https://www.w3.org/TR/vc-data-model#PARSING_ERROR"
	ErrorTypeCryptographic  = "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR"
	ErrorTypeMalformedValue = "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR"
)

// ProblemDetail is one error or warning of a verification response, in the
// shape of the VC API and VCDM 2.0 §7.1: the check it comes from is the
// title.
type ProblemDetail struct {
	// Type is a VCDM 2.0 error type or ProblemTypeBase + "check-" + the
	// check id.
	Type string `json:"type"`
	// Title is the id of the check (badge.Check… constants).
	Title string `json:"title"`
	// Detail is the check's message.
	Detail string `json:"detail"`
}

// VerifyResponse is the body of POST /credentials/verify and POST
// /presentations/verify: the VC API's verification result (verified,
// checks, warnings, errors) and the full report.
type VerifyResponse struct {
	// Verified is true when no check failed.
	Verified bool `json:"verified"`
	// Checks are the ids of the checks that passed.
	Checks []string `json:"checks"`
	// Warnings are the checks whose outcome is a warning.
	Warnings []ProblemDetail `json:"warnings"`
	// Errors are the checks that failed.
	Errors []ProblemDetail `json:"errors"`
	// Report is the badge.Report (credentials) or badge.PresentationReport
	// (presentations).
	Report any `json:"report"`
}

// summarize fills the VC API members from checks.
func summarize(checks []badge.Check, prefix string) (passed []string, warnings, errs []ProblemDetail) {
	passed, warnings, errs = []string{}, []ProblemDetail{}, []ProblemDetail{}
	for _, c := range checks {
		id := prefix + c.ID
		switch c.Outcome {
		case badge.Passed:
			passed = append(passed, id)
		case badge.Warning:
			warnings = append(warnings, ProblemDetail{Type: ProblemTypeBase + "check-" + c.ID, Title: id, Detail: c.Message})
		case badge.Failed:
			errs = append(errs, ProblemDetail{Type: errorType(c.ID), Title: id, Detail: c.Message})
		}
	}
	return passed, warnings, errs
}

func errorType(check string) string {
	switch check {
	case badge.CheckParse:
		return ErrorTypeParsing
	case badge.CheckProof, badge.CheckKeyProvenance:
		return ErrorTypeCryptographic
	case badge.CheckContextAndType, badge.CheckSchema, badge.CheckSubject:
		return ErrorTypeMalformedValue
	}
	return ProblemTypeBase + "check-" + check
}

// reportStatus is the HTTP status for a verification result: 200 when
// verified, 400 when the input could not be read at all, 422 otherwise.
func reportStatus(verified bool, checks []badge.Check) int {
	if verified {
		return http.StatusOK
	}
	for _, c := range checks {
		if c.ID == badge.CheckParse && c.Outcome == badge.Failed {
			return http.StatusBadRequest
		}
	}
	return http.StatusUnprocessableEntity
}

// credentialVerifyOptions are the options of POST /credentials/verify.
type credentialVerifyOptions struct {
	Checks []string `json:"checks"`
}

// presentationVerifyOptions are the options of POST /presentations/verify.
type presentationVerifyOptions struct {
	Checks    []string `json:"checks"`
	Challenge string   `json:"challenge"`
	Domain    string   `json:"domain"`
}

// verifyCredential: POST /credentials/verify.
func (s *Server) verifyCredential(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		writeProblem(w, r, bodyProblem(err, s.maxBody))
		return
	}
	m, p := splitObject(body, "verifiableCredential", "options")
	if p != nil {
		writeProblem(w, r, *p)
		return
	}
	vcRaw, p := credentialMember(m, "verifiableCredential")
	if p != nil {
		writeProblem(w, r, *p)
		return
	}
	var opts credentialVerifyOptions
	if p := decodeOptions(m["options"], "/options", &opts); p != nil {
		writeProblem(w, r, *p)
		return
	}
	rep, err := s.cfg.Verifier.VerifyWith(r.Context(), vcRaw, badge.VerifyOptions{Checks: opts.Checks})
	if err != nil {
		s.verifyError(w, r, err)
		return
	}
	passed, warns, errs := summarize(rep.Checks, "")
	writeJSON(w, reportStatus(rep.Verified(), rep.Checks), VerifyResponse{Verified: rep.Verified(), Checks: passed, Warnings: warns, Errors: errs, Report: rep})
}

// verifyPresentation: POST /presentations/verify. A "presentation" member
// instead of "verifiablePresentation" is the VC API's proofless request:
// only the credentials are verified.
func (s *Server) verifyPresentation(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		writeProblem(w, r, bodyProblem(err, s.maxBody))
		return
	}
	m, p := splitObject(body, "verifiablePresentation", "presentation", "options")
	if p != nil {
		writeProblem(w, r, *p)
		return
	}
	name := "verifiablePresentation"
	if _, ok := m["presentation"]; ok {
		if _, both := m[name]; both {
			pr := badRequest("invalid-request", "invalid request", "/presentation", "send either verifiablePresentation or presentation, not both")
			writeProblem(w, r, pr)
			return
		}
		name = "presentation"
	}
	raw, ok := m[name]
	if !ok || len(raw) == 0 || string(raw) == "null" {
		writeProblem(w, r, badRequest("invalid-request", "invalid request", "/verifiablePresentation", "the request has no verifiablePresentation"))
		return
	}
	if c := bytes.TrimSpace(raw)[0]; c != '{' {
		writeProblem(w, r, badRequest("invalid-request", "invalid request", "/"+name, name+" must be a JSON object"))
		return
	}
	var opts presentationVerifyOptions
	if p := decodeOptions(m["options"], "/options", &opts); p != nil {
		writeProblem(w, r, *p)
		return
	}
	rep, err := s.cfg.Verifier.VerifyPresentation(r.Context(), raw, badge.PresentationOptions{
		Challenge: opts.Challenge, Domain: opts.Domain, Checks: opts.Checks, AllowUnsigned: name == "presentation",
	})
	if err != nil {
		s.verifyError(w, r, err)
		return
	}
	s.challenges.judge(opts.Challenge, rep)
	passed, warns, errs := summarize(rep.Checks, "")
	for i, c := range rep.Credentials {
		cp, cw, ce := summarize(c.Checks, fmt.Sprintf("verifiableCredential/%d/", i))
		passed, warns, errs = append(passed, cp...), append(warns, cw...), append(errs, ce...)
	}
	writeJSON(w, reportStatus(rep.Verified(), rep.Checks), VerifyResponse{Verified: rep.Verified(), Checks: passed, Warnings: warns, Errors: errs, Report: rep})
}

// credentialMember returns the raw credential of member name: an object
// (embedded proof or EnvelopedVerifiableCredential) or a string (compact
// JWS).
func credentialMember(m members, name string) ([]byte, *problem) {
	raw, ok := m[name]
	if !ok || len(raw) == 0 || string(raw) == "null" {
		p := badRequest("invalid-request", "invalid request", "/"+name, "the request has no "+name)
		return nil, &p
	}
	if c := bytes.TrimSpace(raw)[0]; c != '{' && c != '"' {
		p := badRequest("invalid-request", "invalid request", "/"+name, name+" must be a JSON object (a credential or an EnvelopedVerifiableCredential) or a string (a compact JWS)")
		return nil, &p
	}
	return raw, nil
}

// verifyError answers an error of the Verifier: an unknown check (400) or
// a cancelled request.
func (s *Server) verifyError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, badge.ErrUnknownCheck) {
		writeProblem(w, r, badRequest("invalid-options", "invalid options", "/options/checks", err.Error()))
		return
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		writeProblem(w, r, problem{Status: http.StatusServiceUnavailable, Type: "cancelled", Title: "verification cancelled", Detail: err.Error()})
		return
	}
	s.log.Error("verify", "error", err)
	writeProblem(w, r, problem{Status: http.StatusInternalServerError, Type: "internal", Title: "internal error", Detail: "verification failed unexpectedly; it has been logged"})
}

// rawMediaTypes are the Content-Types POST /verify takes; the format is
// then sniffed from the bytes, as badge.Verifier does.
var rawMediaTypes = []string{
	"application/json", "application/ld+json", "application/vc", "application/vc+ld+json",
	"application/vc+jwt", "application/jwt", "application/vc-ld+jwt", "text/plain",
	"image/png", "image/svg+xml", "application/xml", "text/xml", "application/octet-stream",
	"multipart/form-data",
}

// verifyRaw: POST /verify, the credential as the whole body (or as the
// first file of a multipart/form-data upload).
func (s *Server) verifyRaw(w http.ResponseWriter, r *http.Request) {
	mt := ""
	var params map[string]string
	if ct := r.Header.Get("Content-Type"); ct != "" {
		var err error
		mt, params, err = mime.ParseMediaType(ct)
		if err != nil || !slices.Contains(rawMediaTypes, mt) {
			writeProblem(w, r, problem{Status: http.StatusUnsupportedMediaType, Type: "unsupported-media-type", Title: "unsupported media type",
				Detail: fmt.Sprintf("Content-Type %q is not one POST /verify takes: %s", ct, strings.Join(rawMediaTypes, ", "))})
			return
		}
	}
	var body []byte
	var err error
	if mt == "multipart/form-data" {
		// Streamed: only the file part is kept.
		if r.ContentLength > s.maxRaw {
			writeProblem(w, r, bodyProblem(errTooLarge, s.maxRaw))
			return
		}
		body, err = firstPart(http.MaxBytesReader(w, r.Body, s.maxRaw), params["boundary"], r.ContentLength)
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeProblem(w, r, bodyProblem(errTooLarge, s.maxRaw))
			return
		}
		if err != nil {
			writeProblem(w, r, badRequest("invalid-multipart", "invalid multipart upload", "", err.Error()))
			return
		}
	} else {
		body, err = readBody(w, r, s.maxRaw)
		if err != nil {
			writeProblem(w, r, bodyProblem(err, s.maxRaw))
			return
		}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		writeProblem(w, r, badRequest("empty-body", "empty body", "", "the body is empty; send the credential (JSON, compact JWS, baked PNG or SVG)"))
		return
	}
	s.writeReport(w, r, body)
}

// firstPart returns the content of the first file part of a
// multipart/form-data body (or of the first part named "credential"),
// reading body as a stream; hint is the body's length, when known.
func firstPart(body io.Reader, boundary string, hint int64) ([]byte, error) {
	if boundary == "" {
		return nil, errors.New("multipart/form-data without a boundary")
	}
	mr := multipart.NewReader(body, boundary)
	for i := 0; i < 16; i++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("multipart body: %w", err)
		}
		if part.FileName() == "" && part.FormName() != "credential" {
			continue
		}
		return readAllHint(part, hint)
	}
	return nil, errors.New("the multipart upload has no file part (nor a part named \"credential\") among its first 16 parts")
}

// verifyURL: GET /verify?url=..., a hosted credential fetched through
// Config.URLFetcher.
func (s *Server) verifyURL(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	raw := q.Get("url")
	if raw == "" || len(q["url"]) != 1 {
		writeProblem(w, r, badRequest("invalid-request", "invalid request", "", "give exactly one url query parameter: GET /verify?url=https://…"))
		return
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		writeProblem(w, r, badRequest("invalid-url", "invalid url", "", fmt.Sprintf("url %q is not an absolute https URL", raw)))
		return
	}
	if s.cfg.URLFetcher == nil {
		writeProblem(w, r, problem{Status: http.StatusForbidden, Type: "fetch-disabled", Title: "fetching is not enabled",
			Detail: "this service fetches no URLs (no allowed hosts are configured); POST the credential to /verify instead"})
		return
	}
	data, err := s.cfg.URLFetcher.Fetch(r.Context(), u.String())
	switch {
	case err == nil:
	case errors.Is(err, fetch.ErrHostNotAllowed) || errors.Is(err, fetch.ErrNotHTTPS) || errors.Is(err, fetch.ErrNetworkDisabled):
		writeProblem(w, r, problem{Status: http.StatusForbidden, Type: "host-not-allowed", Title: "host not allowed",
			Detail: fmt.Sprintf("%s is not a host this service fetches from: %v", u.Host, err)})
		return
	case errors.Is(err, context.Canceled):
		writeProblem(w, r, problem{Status: http.StatusServiceUnavailable, Type: "cancelled", Title: "request cancelled", Detail: err.Error()})
		return
	default:
		writeProblem(w, r, problem{Status: http.StatusBadGateway, Type: "fetch-failed", Title: "the credential could not be fetched", Detail: err.Error()})
		return
	}
	s.writeReport(w, r, data)
}

// writeReport verifies data and writes the badge.Report.
func (s *Server) writeReport(w http.ResponseWriter, r *http.Request, data []byte) {
	rep, err := s.cfg.Verifier.VerifyWith(r.Context(), data, badge.VerifyOptions{})
	if err != nil {
		s.verifyError(w, r, err)
		return
	}
	writeJSON(w, reportStatus(rep.Verified(), rep.Checks), rep)
}

// healthz: GET /healthz.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	h := map[string]any{"status": "ok", "issuing": s.cfg.Issuer != nil, "statusLists": s.cfg.Status != nil}
	if s.cfg.Issuer != nil {
		h["issuer"] = s.cfg.Issuer.ID()
	}
	writeJSON(w, http.StatusOK, h)
}
