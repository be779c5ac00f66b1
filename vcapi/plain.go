package vcapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
	"github.com/microcred/microcred/vc/jwt"
)

// isOpenBadge reports whether the request's credential is meant as an Open
// Badges 3.0 credential: an OB 3.0 credential type, or a subject with an
// achievement (badge.Issuer adds the missing type).
func isOpenBadge(c *vc.Credential) bool {
	for _, t := range c.Types() {
		if t == badge.TypeOpenBadgeCredential || t == badge.TypeAchievementCredential || t == badge.TypeEndorsementCredential {
			return true
		}
	}
	if subj, ok := c.Map()["credentialSubject"].(map[string]any); ok {
		if _, ok := subj["achievement"]; ok {
			return true
		}
	}
	return false
}

// issuePlain signs a credential that is not an Open Badge (Config.
// AllowPlainCredentials): VCDM data-model rules and JSON-LD safe mode, no
// Open Badges rules, schemas or EU profile. It returns the signed JSON or
// compact JWS, or the problem to answer.
func (s *Server) issuePlain(r *http.Request, c *vc.Credential, format string, statuses []map[string]any) ([]byte, *problem) {
	refuse := func(items ...Item) *problem {
		return &problem{Status: http.StatusUnprocessableEntity, Type: "invalid-credential", Title: "the credential was refused",
			Detail: fmt.Sprintf("%d problem(s); nothing was signed", len(items)), Problems: items}
	}
	doc := c.Document()
	if _, ok := doc["proof"]; ok {
		return nil, refuse(Item{Pointer: "/credential/proof", Message: "the credential already has a proof", Source: badge.SourceIssuer})
	}
	switch iss := doc["issuer"].(type) {
	case nil:
		doc["issuer"] = s.cfg.Issuer.ID()
	case string:
		if iss != s.cfg.Issuer.ID() {
			p := badRequest("wrong-issuer", "wrong issuer", "/credential/issuer", fmt.Sprintf("this service issues as %s, not %s", s.cfg.Issuer.ID(), iss))
			return nil, &p
		}
	case map[string]any:
		id, _ := iss["id"].(string)
		if id == "" {
			iss["id"] = s.cfg.Issuer.ID()
		} else if id != s.cfg.Issuer.ID() {
			p := badRequest("wrong-issuer", "wrong issuer", "/credential/issuer/id", fmt.Sprintf("this service issues as %s, not %s", s.cfg.Issuer.ID(), id))
			return nil, &p
		}
	}
	if len(statuses) > 0 {
		if v, _ := c.Version(); v != vc.V2 {
			p := badRequest("unsupported-option", "unsupported option", "/options/credentialStatus",
				"BitstringStatusListEntry is defined by the VCDM 2.0 context; this credential is VCDM 1.1")
			return nil, &p
		}
		var list []any
		switch cs := doc["credentialStatus"].(type) {
		case nil:
		case []any:
			list = cs
		default:
			list = []any{cs}
		}
		for _, e := range statuses {
			list = append(list, e)
		}
		if len(list) == 1 {
			doc["credentialStatus"] = list[0]
		} else {
			doc["credentialStatus"] = list
		}
	}
	filled, err := vc.FromDocument(doc)
	if err != nil {
		return nil, refuse(Item{Pointer: "/credential", Message: err.Error(), Source: "vc"})
	}
	if probs := filled.CheckDataModel(); len(probs) > 0 {
		items := make([]Item, 0, len(probs))
		for _, p := range probs {
			items = append(items, Item{Pointer: "/credential" + p.Pointer, Message: p.Message, Source: "vc", Rule: p.Rule})
		}
		return nil, refuse(items...)
	}
	signer, vm := s.cfg.Issuer.Signer(), s.cfg.Issuer.VerificationMethod()
	var out []byte
	switch format {
	case FormatDataIntegrity:
		var signed map[string]any
		signed, err = dataintegrity.AddProof(r.Context(), doc, signer, dataintegrity.SignOptions{VerificationMethod: vm})
		if err == nil {
			out, err = json.Marshal(signed)
		}
	default:
		// A JWT carries no Data Integrity proof, but its payload is JSON-LD
		// all the same: refuse what a JSON-LD reader would drop.
		if _, err = ld.Canonicalize(r.Context(), doc, nil); err == nil {
			profile := jwt.VCJOSE
			if format == FormatVCJWT {
				profile = jwt.VCJWT
			}
			out, err = jwt.New(jwt.Options{Profile: profile}).Seal(r.Context(), doc, vc.ProofOptions{Signer: signer, VerificationMethod: vm})
		}
	}
	var sme *ld.SafeModeError
	switch {
	case errors.As(err, &sme):
		return nil, refuse(Item{Pointer: "/credential" + sme.Path, Message: sme.Reason, Source: badge.SourceJSONLD})
	case errors.Is(err, jwt.ErrCredential):
		return nil, refuse(Item{Pointer: "/credential", Message: err.Error(), Source: badge.SourceIssuer})
	case err != nil && r.Context().Err() == nil && format == FormatDataIntegrity && signer.Algorithm() != "EdDSA":
		p := badRequest("unsupported-format", "proof format not available", "/options/format", badge.ErrNeedsEd25519.Error()+": "+err.Error())
		return nil, &p
	case err != nil:
		return nil, &problem{Status: http.StatusUnprocessableEntity, Type: "invalid-credential", Title: "the credential could not be signed",
			Detail: err.Error(), Problems: []Item{{Pointer: "/credential", Message: err.Error(), Source: badge.SourceIssuer}}}
	}
	return out, nil
}
