package badge

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// ErrUnknownCheck is matched (errors.Is) by the error VerifyWith and
// VerifyPresentation return when a check ID in the options is neither one
// of CheckOrder nor one of the aliases documented on VerifyOptions.
var ErrUnknownCheck = errors.New("badge: unknown check")

// VerifyOptions select the checks of one call of Verifier.VerifyWith.
//
// The Report of a call with a selection still has one Check per step of
// CheckOrder; a step that was not selected is Skipped with the message
// "not requested".
type VerifyOptions struct {
	// Checks are the IDs of the checks to run (the Check… constants, in
	// any order). Nil or empty means all of them. The parse step always
	// runs, whether it is listed or not.
	//
	// A check that another one needs is added to the selection:
	// key_provenance, refresh and registry need proof (the key the proof
	// was verified with is what key_provenance judges, what the registry
	// is asked about when an entry pins keys, and what makes refresh worth
	// following). The other steps stand alone: each one reads the
	// credential itself (registry and eu_profile read the achievement
	// without the subject step having to run). The credentials that the
	// endorsements and refresh steps verify in turn go through every
	// check.
	//
	// The check names of the W3C VC API ("checks" of a verify request) are
	// accepted as aliases: "proof" is already an ID; "credentialStatus"
	// means status; "expiration", "validUntil" and "validFrom" mean
	// validity; "credentialSchema" means schema; "issuer" means
	// key_provenance and registry (is the key the issuer's, and is the
	// issuer trusted).
	//
	// An ID that is neither is an error matching ErrUnknownCheck,
	// returned before any work is done.
	Checks []string
}

// checkAliases maps the VC API check names to check IDs.
var checkAliases = map[string][]string{
	"credentialStatus": {CheckStatus},
	"expiration":       {CheckValidity},
	"validUntil":       {CheckValidity},
	"validFrom":        {CheckValidity},
	"credentialSchema": {CheckSchema},
	"issuer":           {CheckKeyProvenance, CheckRegistry},
}

// checkNeeds lists, per check, the checks whose results it reads.
var checkNeeds = map[string][]string{
	CheckKeyProvenance: {CheckProof},
	CheckRefresh:       {CheckProof},
	CheckRegistry:      {CheckProof},
}

// selection resolves Checks to the set of check IDs to run; nil means
// every check.
func (o VerifyOptions) selection() (map[string]bool, error) {
	if len(o.Checks) == 0 {
		return nil, nil
	}
	sel := map[string]bool{CheckParse: true}
	for _, id := range o.Checks {
		ids := checkAliases[id]
		if ids == nil {
			if !slices.Contains(CheckOrder, id) {
				return nil, unknownCheckError(id)
			}
			ids = []string{id}
		}
		for _, x := range ids {
			sel[x] = true
			for _, need := range checkNeeds[x] {
				sel[need] = true
			}
		}
	}
	return sel, nil
}

func unknownCheckError(id string) error {
	aliases := make([]string, 0, len(checkAliases))
	for a := range checkAliases {
		aliases = append(aliases, a)
	}
	sort.Strings(aliases)
	return fmt.Errorf("%w %q (valid: %s; aliases: %s)", ErrUnknownCheck, id,
		strings.Join(CheckOrder, ", "), strings.Join(aliases, ", "))
}
