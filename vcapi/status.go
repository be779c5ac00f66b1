package vcapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/microcred/microcred/vc/status"
)

// updateStatusRequest is the body of POST /credentials/status (the VC
// API's UpdateCredentialStatusRequest).
type updateStatusRequest struct {
	CredentialID     string `json:"credentialId"`
	CredentialStatus *struct {
		ID                   string `json:"id"`
		Type                 string `json:"type"`
		StatusPurpose        string `json:"statusPurpose"`
		StatusListIndex      string `json:"statusListIndex"`
		StatusListCredential string `json:"statusListCredential"`
	} `json:"credentialStatus"`
	Status *bool `json:"status"`
}

// StatusResponse is the body of a 200 from the status update endpoints:
// the entry after the change.
type StatusResponse struct {
	// CredentialID is the credential whose entry changed ("" when the
	// entry was named by list and index).
	CredentialID string `json:"credentialId,omitempty"`
	// StatusPurpose is the list's purpose.
	StatusPurpose string `json:"statusPurpose,omitempty"`
	// StatusListCredential is the URL of the list.
	StatusListCredential string `json:"statusListCredential"`
	// StatusListIndex is the entry's index, as a decimal string.
	StatusListIndex string `json:"statusListIndex"`
	// Status is the entry's new value: true revoked or suspended.
	Status bool `json:"status"`
}

func (s *Server) noStatus(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.Status != nil {
		return false
	}
	code := http.StatusNotImplemented
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		code = http.StatusNotFound
	}
	writeProblem(w, r, problem{Status: code, Type: "status-disabled", Title: "no status lists",
		Detail: "this service has no status lists configured"})
	return true
}

// updateStatus: POST /credentials/status.
func (s *Server) updateStatus(w http.ResponseWriter, r *http.Request) {
	if s.noStatus(w, r) {
		return
	}
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		writeProblem(w, r, bodyProblem(err, s.maxBody))
		return
	}
	if _, p := splitObject(body, "credentialId", "credentialStatus", "status"); p != nil {
		writeProblem(w, r, *p)
		return
	}
	var req updateStatusRequest
	if p := decodeOptions(body, "", &req); p != nil {
		writeProblem(w, r, *p)
		return
	}
	switch {
	case req.CredentialID == "":
		writeProblem(w, r, badRequest("invalid-request", "invalid request", "/credentialId", "credentialId is required"))
		return
	case req.CredentialStatus == nil:
		writeProblem(w, r, badRequest("invalid-request", "invalid request", "/credentialStatus", `credentialStatus is required: {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"|"suspension"}`))
		return
	case req.Status == nil:
		writeProblem(w, r, badRequest("invalid-request", "invalid request", "/status", "status (true to revoke or suspend, false to clear) is required"))
		return
	}
	cs := req.CredentialStatus
	if cs.Type != "" && cs.Type != "BitstringStatusListEntry" && cs.Type != "BitstringStatusList" {
		writeProblem(w, r, badRequest("invalid-request", "invalid request", "/credentialStatus/type", fmt.Sprintf("status type %q is not offered (want BitstringStatusListEntry)", cs.Type)))
		return
	}
	if cs.StatusPurpose != status.PurposeRevocation && cs.StatusPurpose != status.PurposeSuspension {
		writeProblem(w, r, badRequest("invalid-request", "invalid request", "/credentialStatus/statusPurpose",
			fmt.Sprintf("statusPurpose %q (want %q or %q)", cs.StatusPurpose, status.PurposeRevocation, status.PurposeSuspension)))
		return
	}
	a, err := s.cfg.Status.Update(r.Context(), req.CredentialID, cs.StatusPurpose, *req.Status)
	if errors.Is(err, status.ErrUnknownCredential) {
		writeProblem(w, r, problem{Status: http.StatusNotFound, Type: "unknown-credential", Title: "unknown credential",
			Detail:   fmt.Sprintf("no %s entry was issued for credential %q", cs.StatusPurpose, req.CredentialID),
			Problems: []Item{{Pointer: "/credentialId", Message: "no " + cs.StatusPurpose + " entry for this credential", Source: "request"}}})
		return
	}
	if err != nil {
		s.internal(w, r, "status update", err)
		return
	}
	s.cfg.Verifier.ClearStatusCache()
	s.log.Info("status changed", "credentialId", req.CredentialID, "purpose", cs.StatusPurpose, "list", a.List, "index", a.Index, "status", *req.Status)
	writeJSON(w, http.StatusOK, StatusResponse{CredentialID: req.CredentialID, StatusPurpose: a.Purpose, StatusListCredential: a.URL,
		StatusListIndex: strconv.Itoa(a.Index), Status: *req.Status})
}

// getStatusList: GET /status/{list}.
func (s *Server) getStatusList(w http.ResponseWriter, r *http.Request) {
	if s.noStatus(w, r) {
		return
	}
	name := r.PathValue("list")
	b, err := s.cfg.Status.ListCredential(name)
	if errors.Is(err, status.ErrUnknownList) {
		writeProblem(w, r, problem{Status: http.StatusNotFound, Type: "unknown-list", Title: "unknown status list",
			Detail: fmt.Sprintf("there is no status list %q", name)})
		return
	}
	if err != nil {
		s.internal(w, r, "status list", err)
		return
	}
	// The list changes only when an entry does: an ETag lets verifiers and
	// caches revalidate cheaply, so max-age can stay short.
	sum := sha256.Sum256(b)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/vc+ld+json")
	w.Write(b)
}

// setStatusIndex: POST /status/{list}/{index} with {"status": true|false}.
func (s *Server) setStatusIndex(w http.ResponseWriter, r *http.Request) {
	if s.noStatus(w, r) {
		return
	}
	name := r.PathValue("list")
	idxText := r.PathValue("index")
	idx, err := strconv.Atoi(idxText)
	if err != nil || idx < 0 || len(idxText) > 10 || idxText != strconv.Itoa(idx) {
		writeProblem(w, r, problem{Status: http.StatusBadRequest, Type: "invalid-index", Title: "invalid index",
			Detail: fmt.Sprintf("index %q is not a non-negative decimal integer", idxText)})
		return
	}
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		writeProblem(w, r, bodyProblem(err, s.maxBody))
		return
	}
	if _, p := splitObject(body, "status"); p != nil {
		writeProblem(w, r, *p)
		return
	}
	var req struct {
		Status *bool `json:"status"`
	}
	if p := decodeOptions(json.RawMessage(body), "", &req); p != nil {
		writeProblem(w, r, *p)
		return
	}
	if req.Status == nil {
		writeProblem(w, r, badRequest("invalid-request", "invalid request", "/status", "status (true to revoke or suspend, false to clear) is required"))
		return
	}
	err = s.cfg.Status.SetIndex(r.Context(), name, idx, *req.Status)
	switch {
	case errors.Is(err, status.ErrUnknownList):
		writeProblem(w, r, problem{Status: http.StatusNotFound, Type: "unknown-list", Title: "unknown status list",
			Detail: fmt.Sprintf("there is no status list %q", name)})
		return
	case errors.Is(err, status.ErrRange):
		writeProblem(w, r, problem{Status: http.StatusBadRequest, Type: "invalid-index", Title: "invalid index", Detail: err.Error()})
		return
	case err != nil:
		s.internal(w, r, "status update", err)
		return
	}
	url := ""
	purpose := ""
	for _, l := range s.cfg.Status.Lists() {
		if l.Name == name {
			url, purpose = l.URL, l.Purpose
		}
	}
	s.cfg.Verifier.ClearStatusCache()
	s.log.Info("status changed", "list", name, "index", idx, "status", *req.Status)
	writeJSON(w, http.StatusOK, StatusResponse{StatusPurpose: purpose, StatusListCredential: url, StatusListIndex: strconv.Itoa(idx), Status: *req.Status})
}

// etagMatches reports whether an If-None-Match header value names etag
// (weak comparison, as RFC 9110 §13.1.2 asks for If-None-Match).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}
