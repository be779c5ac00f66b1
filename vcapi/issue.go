package vcapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/jwt"
	"github.com/microcred/microcred/vc/status"
)

// Proof formats of POST /credentials/issue (options.format).
const (
	// FormatDataIntegrity is an embedded eddsa-rdfc-2022 Data Integrity
	// proof (the default).
	FormatDataIntegrity = "di"
	// FormatVCJOSE is a VC-JOSE-COSE token (typ vc+jwt), returned as an
	// EnvelopedVerifiableCredential with a data:application/vc+jwt URL.
	FormatVCJOSE = "vc+jwt"
	// FormatVCJWT is an Open Badges 3.0 §8.2 VC-JWT (typ JWT), returned as
	// an EnvelopedVerifiableCredential with a data:application/jwt URL.
	FormatVCJWT = "jwt"
)

// formats maps every accepted options.format to its canonical name.
var formats = map[string]string{
	FormatDataIntegrity: FormatDataIntegrity, "ldp_vc": FormatDataIntegrity, "eddsa-rdfc-2022": FormatDataIntegrity,
	"DataIntegrityProof": FormatDataIntegrity,
	FormatVCJOSE:         FormatVCJOSE, "application/vc+jwt": FormatVCJOSE, "vc-jose": FormatVCJOSE,
	FormatVCJWT: FormatVCJWT, "jwt_vc": FormatVCJWT, "ob3-jwt": FormatVCJWT,
}

// issueOptions are the options of POST /credentials/issue.
type issueOptions struct {
	// Format is the proof format; "" means FormatDataIntegrity.
	Format string `json:"format"`
	// CredentialStatus asks for status entries: an object or an array of
	// objects {"type": "BitstringStatusListEntry", "statusPurpose": …}.
	CredentialStatus json.RawMessage `json:"credentialStatus"`
	// CredentialID is the VC API's id of the credential for later status
	// updates; "" means the credential's id.
	CredentialID string `json:"credentialId"`
	// MandatoryPointers is for selective disclosure suites, which this
	// service does not offer: a non-empty list is refused.
	MandatoryPointers []string `json:"mandatoryPointers"`
}

// statusRequest is one requested status entry.
type statusRequest struct {
	Type          string `json:"type"`
	StatusPurpose string `json:"statusPurpose"`
}

// IssueResponse is the body of a 201 from POST /credentials/issue.
type IssueResponse struct {
	// VerifiableCredential is the signed credential (FormatDataIntegrity)
	// or an EnvelopedVerifiableCredential (the JWT formats).
	VerifiableCredential json.RawMessage `json:"verifiableCredential"`
}

// issue: POST /credentials/issue.
func (s *Server) issue(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Issuer == nil {
		writeProblem(w, r, problem{Status: http.StatusNotImplemented, Type: "issuing-disabled", Title: "issuing is not configured",
			Detail: "this service verifies only; it has no issuer key"})
		return
	}
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		writeProblem(w, r, bodyProblem(err, s.maxBody))
		return
	}
	m, p := splitObject(body, "credential", "options")
	if p != nil {
		writeProblem(w, r, *p)
		return
	}
	raw, ok := m["credential"]
	if !ok || string(raw) == "null" {
		writeProblem(w, r, badRequest("invalid-request", "invalid request", "/credential", "the request has no credential"))
		return
	}
	if bytes.TrimSpace(raw)[0] != '{' {
		writeProblem(w, r, badRequest("invalid-request", "invalid request", "/credential", "credential must be a JSON object"))
		return
	}
	var opts issueOptions
	if p := decodeOptions(m["options"], "/options", &opts); p != nil {
		writeProblem(w, r, *p)
		return
	}
	format := FormatDataIntegrity
	if opts.Format != "" {
		f, ok := formats[opts.Format]
		if !ok {
			writeProblem(w, r, badRequest("unknown-format", "unknown proof format", "/options/format",
				fmt.Sprintf("unknown proof format %q (want %q, %q or %q)", opts.Format, FormatDataIntegrity, FormatVCJOSE, FormatVCJWT)))
			return
		}
		format = f
	}
	if len(opts.MandatoryPointers) > 0 {
		writeProblem(w, r, badRequest("unsupported-option", "unsupported option", "/options/mandatoryPointers",
			"selective disclosure is not supported: this service signs eddsa-rdfc-2022 and JWT, which disclose everything"))
		return
	}
	purposes, p := s.statusPurposes(opts.CredentialStatus)
	if p != nil {
		writeProblem(w, r, *p)
		return
	}

	parsed, err := vc.Parse(raw)
	if err != nil {
		ptr := "/credential"
		var pe *vc.ParseError
		if errors.As(err, &pe) {
			ptr += pe.Pointer
		}
		writeProblem(w, r, badRequest("invalid-credential-json", "the credential could not be read", ptr, err.Error()))
		return
	}
	plain := !isOpenBadge(parsed)
	if plain && !s.cfg.AllowPlainCredentials {
		msg := "not an Open Badges 3.0 credential: its type has neither OpenBadgeCredential nor AchievementCredential, and its subject no achievement; this service issues Open Badges only"
		writeProblem(w, r, problem{Status: http.StatusUnprocessableEntity, Type: "invalid-credential", Title: "the credential was refused", Detail: msg,
			Problems: []Item{{Pointer: "/credential/type", Message: msg, Source: badge.SourceOB3}}})
		return
	}
	// Status entries come from the service's own lists only: an entry in
	// the request could point at another credential's index, at an index
	// the store will hand out later, or at a list the issuer does not
	// control.
	if _, ok := parsed.Map()["credentialStatus"]; ok {
		msg := "the credential brings its own credentialStatus; ask for one with options.credentialStatus and the service allocates it in its lists"
		writeProblem(w, r, *refused(Item{Pointer: "/credential/credentialStatus", Message: msg, Source: badge.SourceIssuer}))
		return
	}
	if p := s.checkIssuerMembers(parsed); p != nil {
		writeProblem(w, r, *p)
		return
	}
	var cred *badge.AchievementCredential
	if !plain {
		cred, err = badge.ParseCredential(raw)
		if err != nil {
			ptr := "/credential"
			var de *badge.DecodeError
			if errors.As(err, &de) {
				ptr += de.Pointer
			}
			writeProblem(w, r, badRequest("invalid-credential-json", "the credential could not be read", ptr, err.Error()))
			return
		}
		// The issuer is the configured profile, whatever else the request
		// says about it (checkIssuerMembers let through only its id, its
		// type, or the very same profile).
		if cred.Issuer != nil && cred.Issuer.ID == s.cfg.Issuer.ID() {
			prof := s.cfg.Issuer.Profile()
			cred.Issuer = &prof
		}
	}

	var entries []map[string]any
	if len(purposes) > 0 {
		key := opts.CredentialID
		if key == "" && cred != nil {
			if cred.ID == "" {
				cred.ID = badge.NewUUIDURN()
			}
			key = cred.ID
		}
		if key == "" {
			key = parsed.ID()
		}
		if key == "" {
			writeProblem(w, r, badRequest("invalid-request", "invalid request", "/options/credentialId",
				"a status entry needs a way to name the credential later: give the credential an id, or options.credentialId"))
			return
		}
		// One status entry per credential id: a second credential under an
		// id already used would share the first one's entry, and neither
		// could then be revoked alone.
		if prev := s.cfg.Status.Lookup(key); len(prev) > 0 {
			ptr := "/credential/id"
			if opts.CredentialID != "" {
				ptr = "/options/credentialId"
			}
			writeProblem(w, r, problem{Status: http.StatusConflict, Type: "duplicate-credential-id", Title: "credential id already used",
				Detail:   fmt.Sprintf("a credential was already issued with a status entry under the id %q; every credential needs its own id", key),
				Problems: []Item{{Pointer: ptr, Message: "already has a status entry (" + prev[0].URL + "#" + strconv.Itoa(prev[0].Index) + ")", Source: badge.SourceIssuer}}})
			return
		}
		// Everything signing checks, before an index is spent on it.
		var p *problem
		if plain {
			_, p = s.plainDocument(r, parsed, nil, true)
		} else {
			p = issueProblem(s.cfg.Issuer.Validate(r.Context(), cred))
		}
		if p != nil {
			writeProblem(w, r, *p)
			return
		}
		for _, purpose := range purposes {
			entry, err := s.cfg.Status.Allocate(r.Context(), key, purpose)
			if err != nil {
				s.internal(w, r, "allocate status entry", err)
				return
			}
			entries = append(entries, entry)
		}
	}
	if plain {
		out, p := s.issuePlain(r, parsed, format, entries)
		if p != nil {
			writeProblem(w, r, *p)
			return
		}
		s.writeIssued(w, format, out)
		return
	}
	for _, entry := range entries {
		var cs badge.CredentialStatus
		b, err := json.Marshal(entry)
		if err == nil {
			err = json.Unmarshal(b, &cs)
		}
		if err != nil {
			s.internal(w, r, "status entry", err)
			return
		}
		cred.CredentialStatus = append(cred.CredentialStatus, cs)
	}

	var out []byte
	switch format {
	case FormatDataIntegrity:
		out, err = s.cfg.Issuer.Issue(r.Context(), cred)
	case FormatVCJOSE:
		out, err = s.cfg.Issuer.IssueJWT(r.Context(), cred, jwt.VCJOSE)
	case FormatVCJWT:
		out, err = s.cfg.Issuer.IssueJWT(r.Context(), cred, jwt.VCJWT)
	}
	if p := issueProblem(err); p != nil {
		writeProblem(w, r, *p)
		return
	}
	if err != nil {
		s.internal(w, r, "issue", err)
		return
	}
	s.writeIssued(w, format, out)
}

// issueProblem is the answer to an error of badge.Issuer about the
// credential (nil for nil and for other errors).
func issueProblem(err error) *problem {
	var ie *badge.IssueError
	switch {
	case errors.As(err, &ie):
		items := make([]Item, 0, len(ie.Problems))
		for _, p := range ie.Problems {
			items = append(items, Item{Pointer: "/credential" + p.Pointer, Message: p.Message, Source: p.Source, Rule: p.Rule})
		}
		return refused(items...)
	case errors.Is(err, badge.ErrNeedsEd25519):
		p := badRequest("unsupported-format", "proof format not available", "/options/format", err.Error())
		return &p
	}
	return nil
}

// refused is the 422 for a credential the service will not sign.
func refused(items ...Item) *problem {
	return &problem{Status: http.StatusUnprocessableEntity, Type: "invalid-credential", Title: "the credential was refused",
		Detail: fmt.Sprintf("%d problem(s); nothing was signed", len(items)), Problems: items}
}

// checkIssuerMembers refuses an issuer object that says more than its id
// and type, unless it is exactly the configured profile: the issuer's
// name, address and the rest come from the service's configuration, so
// that an API client cannot have the key sign another institution's name.
func (s *Server) checkIssuerMembers(c *vc.Credential) *problem {
	iss, ok := c.Map()["issuer"].(map[string]any)
	if !ok {
		return nil
	}
	extra := false
	for k := range iss {
		if k != "id" && k != "type" {
			extra = true
		}
	}
	if !extra {
		return nil
	}
	if id, _ := iss["id"].(string); id == s.cfg.Issuer.ID() {
		sent, err1 := json.Marshal(iss)
		var sentProfile, conf badge.Profile
		err2 := json.Unmarshal(sent, &sentProfile)
		a, err3 := json.Marshal(sentProfile)
		conf = s.cfg.Issuer.Profile()
		b, err4 := json.Marshal(conf)
		if err1 == nil && err2 == nil && err3 == nil && err4 == nil && bytes.Equal(a, b) {
			return nil
		}
	}
	return refused(Item{Pointer: "/credential/issuer", Source: badge.SourceIssuer,
		Message: "the issuer's details come from the service's configured profile: send the issuer as its id (or leave it out), not with other members"})
}

// writeIssued answers 201 with the signed credential: as it is (Data
// Integrity) or enveloped (JWTs).
func (s *Server) writeIssued(w http.ResponseWriter, format string, out []byte) {
	resp := IssueResponse{VerifiableCredential: out}
	if format != FormatDataIntegrity {
		mediaType := jwt.MediaTypeVCJWT
		if format == FormatVCJWT {
			mediaType = "application/jwt"
		}
		env, _ := json.Marshal(map[string]any{
			"@context": []string{vc.ContextV2},
			"id":       "data:" + mediaType + "," + string(out),
			"type":     badge.TypeEnvelopedVerifiableCredential,
		})
		resp.VerifiableCredential = env
	}
	writeJSON(w, http.StatusCreated, resp)
}

// statusPurposes reads options.credentialStatus (or the defaults).
func (s *Server) statusPurposes(raw json.RawMessage) ([]string, *problem) {
	if len(raw) == 0 || string(raw) == "null" {
		return s.cfg.DefaultStatusPurposes, nil
	}
	fail := func(ptr, msg string) ([]string, *problem) {
		p := badRequest("invalid-options", "invalid options", ptr, msg)
		return nil, &p
	}
	var reqs []statusRequest
	trimmed := bytes.TrimSpace(raw)
	if trimmed[0] == '{' {
		if p := strictMembers(trimmed, "/options/credentialStatus", reflect.TypeOf(statusRequest{})); p != nil {
			return nil, p
		}
	} else if p := strictMembers(trimmed, "/options/credentialStatus", reflect.TypeOf(reqs)); p != nil {
		return nil, p
	}
	var err error
	if trimmed[0] == '{' {
		var one statusRequest
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		err = dec.Decode(&one)
		reqs = []statusRequest{one}
	} else {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		err = dec.Decode(&reqs)
	}
	if err != nil {
		return fail("/options/credentialStatus", "credentialStatus must be an object or an array of objects {\"type\": \"BitstringStatusListEntry\", \"statusPurpose\": \"revocation\"|\"suspension\"}: "+err.Error())
	}
	if s.cfg.Status == nil && len(reqs) > 0 {
		return fail("/options/credentialStatus", "this service has no status lists configured")
	}
	var out []string
	for i, rq := range reqs {
		ptr := "/options/credentialStatus"
		if trimmed[0] == '[' {
			ptr += "/" + strconv.Itoa(i)
		}
		if rq.Type != "" && rq.Type != "BitstringStatusListEntry" && rq.Type != "BitstringStatusList" {
			return fail(ptr+"/type", fmt.Sprintf("status type %q is not offered (want BitstringStatusListEntry)", rq.Type))
		}
		if rq.StatusPurpose != status.PurposeRevocation && rq.StatusPurpose != status.PurposeSuspension {
			return fail(ptr+"/statusPurpose", fmt.Sprintf("statusPurpose %q (want %q or %q)", rq.StatusPurpose, status.PurposeRevocation, status.PurposeSuspension))
		}
		if len(out) > 0 {
			return fail(ptr, "an Open Badges 3.0 credential has at most one credentialStatus (its JSON Schema): ask for revocation or suspension, not both")
		}
		out = append(out, rq.StatusPurpose)
	}
	return out, nil
}

// internal logs err and answers 500 without details.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error(what, "path", r.URL.Path, "error", err)
	writeProblem(w, r, problem{Status: http.StatusInternalServerError, Type: "internal", Title: "internal error",
		Detail: what + " failed on the server; it has been logged"})
}
