package vcapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/keys"
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

// plainDocument is the document issuePlain signs: the request's
// credential with the issuer filled in and the status entries added,
// checked against the VCDM data model and, with jsonld, JSON-LD safe mode
// (signing with a Data Integrity proof runs safe mode anyway).
func (s *Server) plainDocument(r *http.Request, c *vc.Credential, statuses []map[string]any, jsonld bool) (map[string]any, *problem) {
	doc := c.Document()
	if _, ok := doc["proof"]; ok {
		return nil, refused(Item{Pointer: "/credential/proof", Message: "the credential already has a proof", Source: badge.SourceIssuer})
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
		if len(statuses) == 1 {
			doc["credentialStatus"] = statuses[0]
		} else {
			list := make([]any, len(statuses))
			for i, e := range statuses {
				list[i] = e
			}
			doc["credentialStatus"] = list
		}
	}
	filled, err := vc.FromDocument(doc)
	if err != nil {
		return nil, refused(Item{Pointer: "/credential", Message: err.Error(), Source: "vc"})
	}
	if probs := filled.CheckDataModel(); len(probs) > 0 {
		items := make([]Item, 0, len(probs))
		for _, p := range probs {
			items = append(items, Item{Pointer: "/credential" + p.Pointer, Message: p.Message, Source: "vc", Rule: p.Rule})
		}
		return nil, refused(items...)
	}
	if jsonld {
		if _, err := ld.Canonicalize(r.Context(), doc, nil); err != nil {
			return nil, signProblem(err)
		}
	}
	return doc, nil
}

// signProblem is the answer to an error of JSON-LD processing or signing.
func signProblem(err error) *problem {
	var sme *ld.SafeModeError
	switch {
	case errors.As(err, &sme):
		return refused(Item{Pointer: "/credential" + sme.Path, Message: sme.Reason, Source: badge.SourceJSONLD})
	case errors.Is(err, jwt.ErrCredential):
		return refused(Item{Pointer: "/credential", Message: err.Error(), Source: badge.SourceIssuer})
	}
	return &problem{Status: http.StatusUnprocessableEntity, Type: "invalid-credential", Title: "the credential could not be signed",
		Detail: err.Error(), Problems: []Item{{Pointer: "/credential", Message: err.Error(), Source: badge.SourceIssuer}}}
}

// issuePlain signs a credential that is not an Open Badge (Config.
// AllowPlainCredentials): VCDM data-model rules and JSON-LD safe mode, no
// Open Badges rules, schemas or EU profile. It returns the signed JSON or
// compact JWS, or the problem to answer.
func (s *Server) issuePlain(r *http.Request, c *vc.Credential, format string, statuses []map[string]any) ([]byte, *problem) {
	signer, vm := s.cfg.Issuer.Signer(), s.cfg.Issuer.VerificationMethod()
	if format == FormatDataIntegrity && signer.Algorithm() != keys.EdDSA {
		p := badRequest("unsupported-format", "proof format not available", "/options/format",
			fmt.Sprintf("%v; the issuer's key signs %s: ask for format vc+jwt or jwt", badge.ErrNeedsEd25519, signer.Algorithm()))
		return nil, &p
	}
	// A JWT carries no Data Integrity proof, but its payload is JSON-LD all
	// the same: refuse what a JSON-LD reader would drop.
	doc, p := s.plainDocument(r, c, statuses, format != FormatDataIntegrity)
	if p != nil {
		return nil, p
	}
	var out []byte
	var err error
	switch format {
	case FormatDataIntegrity:
		var signed map[string]any
		signed, err = dataintegrity.AddProof(r.Context(), doc, signer, dataintegrity.SignOptions{VerificationMethod: vm})
		if err == nil {
			out, err = json.Marshal(signed)
		}
	default:
		profile := jwt.VCJOSE
		if format == FormatVCJWT {
			profile = jwt.VCJWT
		}
		out, err = jwt.New(jwt.Options{Profile: profile}).Seal(r.Context(), doc, vc.ProofOptions{Signer: signer, VerificationMethod: vm})
	}
	if err != nil {
		return nil, signProblem(err)
	}
	return out, nil
}
