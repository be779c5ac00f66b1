package vc

import (
	"errors"
	"fmt"
	"time"

	"github.com/microcred/microcred/internal/jsonx"
)

// CheckDataModel checks the credential against the structural rules of the
// data model (VCDM 2.0, or 1.1 when the first context says so) that a
// verifier applies before looking at proofs, and returns every violation
// found, nil when there is none. Each Problem names the JSON Pointer of the
// offending value (or of the missing member) and one of these rules:
//
//	context            @context is missing, its first entry is not
//	                   ContextV2 or ContextV1, or another entry is neither
//	                   a URL string nor an object
//	id                 id is not a single URL string
//	type               type is missing, has a value that is not a
//	                   non-empty string, or lacks "VerifiableCredential"
//	issuer             issuer is missing, not a URL, or an object whose id
//	                   is missing or not a URL
//	name, description  (of the credential or of the issuer object) a value
//	                   that is not a string, a language value object
//	                   {"@value", "@language", "@direction"} or an array
//	                   of those
//	credentialSubject  missing, or an entry that is not an object, is an
//	                   empty object, or has an id that is not a URL
//	validity           a validFrom, validUntil, issuanceDate or
//	                   expirationDate that is not a valid date-time (see
//	                   the package doc for the forms), or a 1.1 credential
//	                   without issuanceDate
//	validity.order     the end of the validity period is before its start
//	credentialStatus, credentialSchema, refreshService, termsOfUse,
//	evidence, proof    an entry that is not an object, has no type, has a
//	                   type value that is not a non-empty string, or has an
//	                   id that is not a URL; credentialSchema entries must
//	                   also have an id
//
// Rules that need a JSON-LD processor — terms no context defines, protected
// terms redefined, types that expand to something that is not a URL — are
// not checked here; package ld's safe mode rejects those.
func (c *Credential) CheckDataModel() []Problem {
	k := checker{doc: c.doc}
	ver := k.context()
	k.id()
	k.types()
	k.issuer(c)
	k.langStrings(c.doc, "", "name")
	k.langStrings(c.doc, "", "description")
	k.subjects()
	k.validity(ver)
	k.typedEntries("credentialStatus", false)
	k.typedEntries("credentialSchema", true)
	k.typedEntries("refreshService", false)
	k.typedEntries("termsOfUse", false)
	k.typedEntries("evidence", false)
	k.typedEntries("proof", false)
	return k.problems
}

// Validate runs CheckDataModel and returns its problems as a
// *DataModelError, or nil when there are none.
func (c *Credential) Validate() error {
	if ps := c.CheckDataModel(); len(ps) > 0 {
		return &DataModelError{Problems: ps}
	}
	return nil
}

type checker struct {
	doc      map[string]any
	problems []Problem
}

func (k *checker) add(ptr, rule, format string, args ...any) {
	k.problems = append(k.problems, Problem{Pointer: ptr, Rule: rule,
		Message: fmt.Sprintf(format, args...), Err: ErrInvalidValue})
}

func (k *checker) addErr(err error) {
	var p *Problem
	if errors.As(err, &p) {
		k.problems = append(k.problems, *p)
	}
}

func (k *checker) context() Version {
	es := entries(k.doc, "", "@context")
	if len(es) == 0 {
		k.add("/@context", "context", "@context is missing or empty; the first entry must be %s", ContextV2)
		return VersionUnknown
	}
	ver := VersionUnknown
	switch es[0].val {
	case ContextV2:
		ver = V2
	case ContextV1:
		ver = V1
	default:
		k.problems = append(k.problems, Problem{Pointer: es[0].ptr, Rule: "context", Err: ErrUnknownVersion,
			Message: fmt.Sprintf("first @context entry is %s, must be %s (or %s for VCDM 1.1)",
				describeValue(es[0].val), ContextV2, ContextV1)})
	}
	for _, e := range es[1:] {
		switch v := e.val.(type) {
		case string:
			if !IsURL(v) {
				k.add(e.ptr, "context", "@context entry %q is not a URL", v)
			}
		case map[string]any:
		default:
			k.add(e.ptr, "context", "@context entry is %s, must be a URL or an object", jsonx.Kind(v))
		}
	}
	return ver
}

func (k *checker) id() {
	k.urlMember(k.doc, "", "id", "id")
}

// urlMember checks that member key of obj, when present, is a URL string.
func (k *checker) urlMember(obj map[string]any, base, key, rule string) {
	v, ok := obj[key]
	if !ok {
		return
	}
	ptr := jsonx.AppendKey(base, key)
	switch s := v.(type) {
	case string:
		if !IsURL(s) {
			k.add(ptr, rule, "%s %q is not a URL", key, s)
		}
	case []any:
		k.add(ptr, rule, "%s must be a single URL, not an array", key)
	default:
		k.add(ptr, rule, "%s is %s, must be a URL string", key, jsonx.Kind(v))
	}
}

// typeValues checks a type member and returns its strings; ok is false
// when it is missing.
func (k *checker) typeValues(obj map[string]any, base, rule string) (types []string, ok bool) {
	es := entries(obj, base, "type")
	if es == nil {
		return nil, false
	}
	ptr := jsonx.AppendKey(base, "type")
	if _, isArray := obj["type"].([]any); isArray && len(es) == 0 {
		k.add(ptr, rule, "type is an empty array")
	}
	for _, e := range es {
		s, isString := e.val.(string)
		if !isString || s == "" {
			k.add(e.ptr, rule, "type value is %s, must be a non-empty string", describeValue(e.val))
			continue
		}
		types = append(types, s)
	}
	return types, true
}

func (k *checker) types() {
	types, ok := k.typeValues(k.doc, "", "type")
	if !ok {
		k.add("/type", "type", "type is missing; it must include %q", TypeVerifiableCredential)
		return
	}
	for _, t := range types {
		if t == TypeVerifiableCredential {
			return
		}
	}
	k.add("/type", "type", "type does not include %q", TypeVerifiableCredential)
}

func (k *checker) issuer(c *Credential) {
	if _, err := c.Issuer(); err != nil {
		k.addErr(err)
	}
	if obj, ok := k.doc["issuer"].(map[string]any); ok {
		k.langStrings(obj, "/issuer", "name")
		k.langStrings(obj, "/issuer", "description")
	}
}

// langStrings checks a name or description member: a string, a language
// value object or an array of those.
func (k *checker) langStrings(obj map[string]any, base, key string) {
	for _, e := range entries(obj, base, key) {
		switch v := e.val.(type) {
		case string:
			continue
		case map[string]any:
			if msg := langValueProblem(v); msg != "" {
				k.add(e.ptr, key, "%s %s", key, msg)
			}
		default:
			k.add(e.ptr, key, "%s is %s, must be a string or a language value object", key, jsonx.Kind(v))
		}
	}
}

func langValueProblem(v map[string]any) string {
	if _, ok := v["@value"].(string); !ok {
		return "value object must have a string @value"
	}
	for m, x := range v {
		switch m {
		case "@value":
		case "@language":
			if s, ok := x.(string); !ok || s == "" {
				return "value object @language must be a non-empty string"
			}
		case "@direction":
			if x != "ltr" && x != "rtl" {
				return `value object @direction must be "ltr" or "rtl"`
			}
		default:
			return fmt.Sprintf("value object has member %q; only @value, @language and @direction are allowed", m)
		}
	}
	return ""
}

func (k *checker) subjects() {
	es := entries(k.doc, "", "credentialSubject")
	if es == nil {
		k.add("/credentialSubject", "credentialSubject", "credentialSubject is missing")
		return
	}
	if len(es) == 0 {
		k.add("/credentialSubject", "credentialSubject", "credentialSubject is an empty array")
	}
	for _, e := range es {
		if e.obj == nil {
			k.add(e.ptr, "credentialSubject", "credentialSubject entry is %s, must be an object", describeValue(e.val))
			continue
		}
		if len(e.obj) == 0 {
			k.add(e.ptr, "credentialSubject", "credentialSubject entry is an empty object; it must make at least one claim")
		}
		k.urlMember(e.obj, e.ptr, "id", "credentialSubject")
	}
}

func (k *checker) validity(ver Version) {
	date := func(name string, requireZone bool) (time.Time, string, bool) {
		v, present := k.doc[name]
		if !present {
			return time.Time{}, "", false
		}
		t, err := parseDateValue(v, "/"+name, requireZone)
		if err != nil {
			k.addErr(err)
			return time.Time{}, "", false
		}
		return t, "/" + name, true
	}
	strict := ver != V1
	vf, vfPtr, vfOK := date("validFrom", strict)
	vu, vuPtr, vuOK := date("validUntil", strict)
	isd, isdPtr, isdOK := date("issuanceDate", false)
	exp, expPtr, expOK := date("expirationDate", false)
	if _, present := k.doc["issuanceDate"]; ver == V1 && !present {
		k.add("/issuanceDate", "validity", "issuanceDate is missing; a VCDM 1.1 credential must have one")
	}
	// The effective period, with ValidFrom's precedence; only compared when
	// the member that takes precedence parsed.
	from, fromPtr, fromOK := vf, vfPtr, vfOK
	if _, present := k.doc["validFrom"]; !present {
		from, fromPtr, fromOK = isd, isdPtr, isdOK
	}
	until, untilPtr, untilOK := vu, vuPtr, vuOK
	if _, present := k.doc["validUntil"]; !present {
		until, untilPtr, untilOK = exp, expPtr, expOK
	}
	if fromOK && untilOK && until.Before(from) {
		k.add(untilPtr, "validity.order", "%s (%s) is before %s (%s)",
			untilPtr[1:], until.Format(time.RFC3339Nano), fromPtr[1:], from.Format(time.RFC3339Nano))
	}
}

// typedEntries checks the entries of a member that holds objects with a
// type and an optional (or, with requireID, required) URL id.
func (k *checker) typedEntries(key string, requireID bool) {
	for _, e := range entries(k.doc, "", key) {
		if e.obj == nil {
			k.add(e.ptr, key, "%s entry is %s, must be an object", key, describeValue(e.val))
			continue
		}
		if _, ok := k.typeValues(e.obj, e.ptr, key); !ok {
			k.add(jsonx.AppendKey(e.ptr, "type"), key, "%s entry has no type", key)
		}
		if _, ok := e.obj["id"]; !ok && requireID {
			k.add(jsonx.AppendKey(e.ptr, "id"), key, "%s entry has no id", key)
		}
		k.urlMember(e.obj, e.ptr, "id", key)
	}
}
