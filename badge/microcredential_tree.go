package badge

import (
	"encoding/json"
	"strconv"
	"strings"
)

// This file reads the EU terms of an achievement (euAchievement) straight
// from the decoded tree of its extra members, for the Verifier, instead of
// FromOB3's json.Marshal of the extras and json.Unmarshal into
// euAchievement. It gives the value that round trip gives, for the shapes
// the EU profile uses, on trees that vc.Parse produced (map[string]any,
// []any, string, json.Number, bool, nil, strings valid UTF-8): members
// matched by their exact names, single values or arrays where
// encoding/json reads oneOrMore, numbers in `any` fields as float64, and
// the model's types (Text, Profile) read by their own decoders from a copy
// of their subtree, as their UnmarshalJSON methods do from the re-encoded
// bytes. Anything else — null, a value of another kind, a member name
// that matches a field only case-insensitively (encoding/json would read
// it) — makes it report false, and the caller takes the round trip, which
// also words any error.

// euFields are the JSON names of euAchievement's fields.
var euFields = []string{
	"title", "awardingBody", "learningOutcome", "creditPoint", "volumeOfLearning", "eqfLevel", "nqfLevel",
	"qfEheaCycle", "levelNotApplicable", "assessmentType", "mode", "accreditation", "entryRequirement",
	"supervisionAndIdentityVerification", "integrationStackability", "stackableTowards", "additionalNote",
	"supplementaryDocument", "mobility",
}

// treeMembers calls f for each member of obj whose name is one of names
// exactly; it reports false when a member's name matches one of names
// only case-insensitively, or when f does.
func treeMembers(obj map[string]any, names []string, f func(name string, v any) bool) bool {
	for k, v := range obj {
		exact, fold := false, false
		for _, n := range names {
			if k == n {
				exact = true
				break
			}
			if strings.EqualFold(k, n) {
				fold = true
			}
		}
		switch {
		case exact:
			if !f(k, v) {
				return false
			}
		case fold:
			return false
		}
	}
	return true
}

// treeList reads oneOrMore[T]: an array (even empty: a non-nil list) or a
// single value.
func treeList[T any](v any, elem func(any, *T) bool) (oneOrMore[T], bool) {
	switch x := v.(type) {
	case nil:
		return nil, false
	case []any:
		l := make(oneOrMore[T], len(x))
		for i, e := range x {
			if !elem(e, &l[i]) {
				return nil, false
			}
		}
		return l, true
	default:
		var t T
		if !elem(v, &t) {
			return nil, false
		}
		return oneOrMore[T]{t}, true
	}
}

func treeString[T ~string](v any, out *T) bool {
	s, ok := v.(string)
	*out = T(s)
	return ok
}

// treeText reads a Text as Text.UnmarshalJSON does.
func treeText(v any, out *Text) bool {
	if v == nil {
		return false
	}
	return out.decodeTree(copyTree(v)) == nil
}

// treeProfile reads a Profile as Profile.UnmarshalJSON does.
func treeProfile(v any, out *Profile) bool {
	if v == nil {
		return false
	}
	return out.decodeTree(copyTree(v)) == nil
}

// treeAny reads a JSON value into an `any` as encoding/json does, for
// strings, booleans and numbers (float64).
func treeAny(v any, out *any) bool {
	switch x := v.(type) {
	case string, bool:
		*out = x
		return true
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return false
		}
		*out = f
		return true
	}
	return false
}

// copyTree deep-copies maps and slices of a decoded tree, so that what
// the model's decoders keep (Extra) is not shared with the credential.
func copyTree(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = copyTree(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = copyTree(e)
		}
		return l
	}
	return v
}

// fromTree fills eu (zero) from the achievement's extras; false means the
// caller must use the JSON round trip instead.
func (eu *euAchievement) fromTree(extra map[string]any) bool {
	return treeMembers(extra, euFields, func(name string, v any) bool {
		var ok bool
		switch name {
		case "title":
			return treeText(v, &eu.Title)
		case "awardingBody":
			eu.AwardingBody, ok = treeList(v, treeProfile)
		case "learningOutcome":
			eu.LearningOutcome, ok = treeList(v, eu.learningOutcome)
		case "creditPoint":
			eu.CreditPoint, ok = treeList(v, eu.creditPoint)
		case "volumeOfLearning":
			return treeString(v, &eu.VolumeOfLearning)
		case "eqfLevel":
			return treeAny(v, &eu.EQFLevel)
		case "nqfLevel":
			eu.NQFLevel, ok = treeList(v, treeString[string])
		case "qfEheaCycle":
			return treeString(v, &eu.QFEheaCycle)
		case "levelNotApplicable":
			eu.LevelNotApplicable, ok = v.(bool)
		case "assessmentType":
			eu.AssessmentType, ok = treeList(v, treeString[AssessmentType])
		case "mode":
			eu.Mode, ok = treeList(v, treeString[ParticipationForm])
		case "accreditation":
			eu.Accreditation, ok = treeList(v, eu.accreditation)
		case "entryRequirement":
			eu.EntryRequirement = new(euNote)
			return treeNote(v, eu.EntryRequirement)
		case "supervisionAndIdentityVerification":
			return treeString(v, &eu.SupervisionAndIdentityVerification)
		case "integrationStackability":
			return treeString(v, &eu.IntegrationStackability)
		case "stackableTowards":
			eu.StackableTowards, ok = treeList(v, treeStackTarget)
		case "additionalNote":
			eu.AdditionalNote, ok = treeList(v, treeNote)
		case "supplementaryDocument":
			eu.SupplementaryDocument, ok = treeList(v, treeString[string])
		case "mobility":
			eu.Mobility, ok = treeList(v, eu.mobility)
		}
		return ok
	})
}

// treeNote reads an euNote object.
func treeNote(v any, out *euNote) bool {
	obj, ok := v.(map[string]any)
	if !ok {
		return false
	}
	return treeMembers(obj, []string{"noteLiteral"}, func(_ string, v any) bool {
		return treeText(v, &out.NoteLiteral)
	})
}

// treeStackTarget reads a StackTarget as its UnmarshalJSON does: an IRI,
// or an object with id and name.
func treeStackTarget(v any, out *StackTarget) bool {
	switch x := v.(type) {
	case string:
		*out = StackTarget{ID: x}
		return true
	case map[string]any:
		var id string
		var name Text
		if !treeMembers(x, []string{"id", "name"}, func(n string, v any) bool {
			if n == "id" {
				return treeString(v, &id)
			}
			return treeText(v, &name)
		}) {
			return false
		}
		*out = StackTarget{ID: id, Name: name.String()}
		return true
	}
	return false
}

func (eu *euAchievement) learningOutcome(v any, out *struct {
	Title            Text              `json:"title"`
	RelatedESCOSkill oneOrMore[string] `json:"relatedESCOSkill"`
	RelatedSkill     oneOrMore[string] `json:"relatedSkill"`
}) bool {
	obj, ok := v.(map[string]any)
	if !ok {
		return false
	}
	return treeMembers(obj, []string{"title", "relatedESCOSkill", "relatedSkill"}, func(n string, v any) bool {
		var ok bool
		switch n {
		case "title":
			return treeText(v, &out.Title)
		case "relatedESCOSkill":
			out.RelatedESCOSkill, ok = treeList(v, treeString[string])
		case "relatedSkill":
			out.RelatedSkill, ok = treeList(v, treeString[string])
		}
		return ok
	})
}

func (eu *euAchievement) creditPoint(v any, out *struct {
	Framework string `json:"framework"`
	Point     any    `json:"point"`
}) bool {
	obj, ok := v.(map[string]any)
	if !ok {
		return false
	}
	return treeMembers(obj, []string{"framework", "point"}, func(n string, v any) bool {
		if n == "framework" {
			return treeString(v, &out.Framework)
		}
		return treeAny(v, &out.Point)
	})
}

func (eu *euAchievement) accreditation(v any, out *struct {
	DCType           QualityAssuranceType `json:"dcType"`
	AccreditingAgent *Profile             `json:"accreditingAgent"`
	Title            Text                 `json:"title"`
	Report           string               `json:"report"`
}) bool {
	obj, ok := v.(map[string]any)
	if !ok {
		return false
	}
	return treeMembers(obj, []string{"dcType", "accreditingAgent", "title", "report"}, func(n string, v any) bool {
		switch n {
		case "dcType":
			return treeString(v, &out.DCType)
		case "accreditingAgent":
			out.AccreditingAgent = new(Profile)
			return treeProfile(v, out.AccreditingAgent)
		case "title":
			return treeText(v, &out.Title)
		default:
			return treeString(v, &out.Report)
		}
	})
}

func (eu *euAchievement) mobility(v any, out *struct {
	Relation        MobilityRelation   `json:"relation"`
	Format          MobilityFormat     `json:"format"`
	Direction       MobilityDirection  `json:"direction"`
	HostInstitution oneOrMore[Profile] `json:"hostInstitution"`
}) bool {
	obj, ok := v.(map[string]any)
	if !ok {
		return false
	}
	return treeMembers(obj, []string{"relation", "format", "direction", "hostInstitution"}, func(n string, v any) bool {
		var ok bool
		switch n {
		case "relation":
			return treeString(v, &out.Relation)
		case "format":
			return treeString(v, &out.Format)
		case "direction":
			return treeString(v, &out.Direction)
		default:
			out.HostInstitution, ok = treeList(v, treeProfile)
		}
		return ok
	})
}
