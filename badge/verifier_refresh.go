package badge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/microcred/microcred/fetch"
)

// RefreshType1EdTech is the refreshService type the refresh step follows:
// GET the service's id URL, the response is the refreshed credential JSON.
const RefreshType1EdTech = "1EdTechCredentialRefresh"

// refresh: when VerifierOptions.Refresh is set and the proof check passed,
// the first refreshService of a supported type is fetched once through the
// Fetcher and the refreshed credential is verified by the same pipeline
// (one level deeper, where refresh is never followed: the refreshed
// credential's own refreshService is ignored). The refreshed credential
// must verify and keep the issuer and the credentialSubject id.
//
// Outcomes: skipped (option off, no refreshService, proof not passed, or a
// nested run), warning (unsupported type, no Fetcher, fetch failed or host
// not allowed), failed (the refreshed credential is not a credential, does
// not verify, or changes issuer or subject), passed otherwise.
func (r *run) refresh(ctx context.Context) Check {
	if !r.v.refresh {
		return skipped("refresh not enabled (VerifierOptions.Refresh)")
	}
	if r.depth > 0 {
		return skipped("refresh is followed only for the credential given to Verify")
	}
	services := asList(r.cred.Map()["refreshService"])
	if len(services) == 0 {
		return skipped("no refreshService")
	}
	if p := r.report.Check(CheckProof); p == nil || p.Outcome != Passed {
		return skipped("the proof did not verify: refreshService not followed")
	}
	var url string
	var types []string
	for _, s := range services {
		m, _ := s.(map[string]any)
		ts := stringList(m["type"])
		types = append(types, ts...)
		if slices.Contains(ts, RefreshType1EdTech) {
			url, _ = m["id"].(string)
			break
		}
	}
	if url == "" {
		return warning("no supported refreshService (supported: "+RefreshType1EdTech+" with an id URL)", map[string]any{"types": types})
	}
	d := map[string]any{"url": url}
	if r.v.fetcher == nil {
		d["error"] = fetch.ErrNetworkDisabled.Error()
		return warning("refreshService not fetched: no Fetcher configured", d)
	}
	body, err := r.v.fetcher.Fetch(ctx, url)
	if err != nil {
		if ctx.Err() != nil {
			return failed(ctx.Err().Error(), nil)
		}
		d["error"] = err.Error()
		msg := "refreshService could not be fetched: "
		if errors.Is(err, fetch.ErrHostNotAllowed) {
			msg = "refreshService host is not allowed: "
		}
		return warning(msg+err.Error(), d)
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		d["error"] = err.Error()
		return failed("the refreshed credential is not a JSON object: "+err.Error(), d)
	}
	if id, ok := doc["id"].(string); ok {
		d["refreshedId"] = id
	}
	rep, err := r.v.verify(ctx, body, r.depth+1)
	if err != nil {
		return failed(err.Error(), nil)
	}
	d["report"] = rep
	if !rep.Verified() {
		var ids []string
		for _, f := range rep.Failures() {
			ids = append(ids, f.ID)
		}
		return failed("the refreshed credential does not verify (failed: "+strings.Join(ids, ", ")+")", d)
	}
	if iss := issuerID(doc["issuer"]); iss != r.issuer {
		return failed(fmt.Sprintf("the refreshed credential's issuer %q is not %q", iss, r.issuer), d)
	}
	old, now := subjectIDs(r.cred.Map()["credentialSubject"]), subjectIDs(doc["credentialSubject"])
	if !slices.Equal(old, now) {
		return failed(fmt.Sprintf("the refreshed credential's subject %v is not %v", now, old), d)
	}
	d["verified"] = true
	return passed("refreshed credential "+fmt.Sprint(d["refreshedId"])+" fetched and verified", d)
}

func stringList(v any) []string {
	var out []string
	for _, x := range asList(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func issuerID(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		s, _ := x["id"].(string)
		return s
	}
	return ""
}

func subjectIDs(v any) []string {
	var out []string
	for _, s := range asList(v) {
		m, _ := s.(map[string]any)
		id, _ := m["id"].(string)
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
