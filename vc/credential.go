package vc

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/microcred/microcred/internal/jsonx"
)

// Base contexts: the first @context entry of a credential names the version
// of the data model it follows.
const (
	// ContextV2 is the base context of VCDM 2.0.
	ContextV2 = "https://www.w3.org/ns/credentials/v2"
	// ContextV1 is the base context of VCDM 1.1 (and 1.0).
	ContextV1 = "https://www.w3.org/2018/credentials/v1"
)

// TypeVerifiableCredential is the type every credential must have.
const TypeVerifiableCredential = "VerifiableCredential"

// Version is the version of the VC data model a credential follows.
type Version int

const (
	// VersionUnknown means the first @context entry is not a base context.
	VersionUnknown Version = iota
	// V1 is VCDM 1.1 (first context ContextV1).
	V1
	// V2 is VCDM 2.0 (first context ContextV2).
	V2
)

// String returns "VCDM 1.1", "VCDM 2.0" or "unknown".
func (v Version) String() string {
	switch v {
	case V1:
		return "VCDM 1.1"
	case V2:
		return "VCDM 2.0"
	}
	return "unknown"
}

// ParseOptions bound the work of parsing. A zero or negative field means
// the default; there is no "unlimited".
type ParseOptions struct {
	// MaxBytes is the largest input accepted; default 1 MiB.
	MaxBytes int
	// MaxDepth is the deepest nesting of objects and arrays accepted, the
	// credential object itself being at depth 1; default 64.
	MaxDepth int
	// MaxValues is the largest number of JSON values (objects, arrays,
	// strings, numbers, literals) accepted; default 100,000.
	MaxValues int
}

// Credential is a parsed verifiable credential: the exact bytes it came
// from and the decoded JSON document, with typed accessors for the data
// model's properties. A Credential is immutable and safe for concurrent
// use, as long as callers honour the read-only contract of Map.
type Credential struct {
	raw string
	doc map[string]any
}

// Parse parses a credential with the default limits (1 MiB, depth 64,
// 100,000 values). See ParseWithOptions.
func Parse(data []byte) (*Credential, error) {
	return ParseWithOptions(data, ParseOptions{})
}

// ParseWithOptions parses a credential: data must be exactly one JSON
// object within the limits of opts, with no duplicate member names and no
// invalid UTF-8. The error is a *ParseError. Parse checks only that the
// input is such an object; run CheckDataModel for the data model's rules.
//
// The Credential keeps a copy of data; the caller may reuse data.
func ParseWithOptions(data []byte, opts ParseOptions) (*Credential, error) {
	lim := jsonx.Limits{MaxBytes: opts.MaxBytes, MaxDepth: opts.MaxDepth, MaxValues: opts.MaxValues}
	if limit := maxOr(opts.MaxBytes, jsonx.DefaultMaxBytes); len(data) > limit {
		// Check before copying data.
		_, err := jsonx.Decode(data, lim)
		return nil, parseError(err)
	}
	raw := string(data)
	v, err := jsonx.DecodeString(raw, lim)
	if err != nil {
		return nil, parseError(err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, &ParseError{Pointer: "", Offset: 0,
			Err: fmt.Errorf("%w (found %s)", ErrNotObject, jsonx.Kind(v))}
	}
	return &Credential{raw: raw, doc: doc}, nil
}

func maxOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

func parseError(err error) error {
	var je *jsonx.Error
	if errors.As(err, &je) {
		return &ParseError{Pointer: je.Pointer, Offset: je.Offset, Err: err}
	}
	return &ParseError{Offset: -1, Err: err}
}

// FromDocument makes a Credential from a document built in memory (for
// instance by an issuer), by encoding it with Marshal and parsing the
// result with the default limits, so that it holds exactly what a verifier
// parsing the same bytes would see.
func FromDocument(doc map[string]any) (*Credential, error) {
	b, err := Marshal(doc)
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// Raw returns a copy of the exact bytes the credential was parsed from.
func (c *Credential) Raw() []byte { return []byte(c.raw) }

// Map returns the decoded document itself, not a copy: map[string]any,
// []any, string, json.Number, bool and nil values. Callers must not modify
// it or anything in it; use Document for a copy to change.
func (c *Credential) Map() map[string]any { return c.doc }

// Document returns a deep copy of the decoded document, which the caller
// may change freely.
func (c *Credential) Document() map[string]any { return CopyDocument(c.doc) }

// WithoutProof returns a deep copy of the document without its proof
// member: the "unsecured document" that Data Integrity proofs are computed
// over.
func (c *Credential) WithoutProof() map[string]any { return WithoutProof(c.doc) }

// Contexts returns the @context entries in order: strings (URLs) and
// objects (inline contexts) as they appear. A single @context value is
// returned as a one-entry list, a missing one as nil. The entries are
// shared with Map and must not be modified.
func (c *Credential) Contexts() []any {
	v, ok := c.doc["@context"]
	if !ok {
		return nil
	}
	if a, ok := v.([]any); ok {
		return append([]any(nil), a...)
	}
	return []any{v}
}

// Version tells which data model the credential follows from its first
// @context entry: V2 for ContextV2, V1 for ContextV1. Otherwise it returns
// VersionUnknown and a *Problem wrapping ErrUnknownVersion.
func (c *Credential) Version() (Version, error) {
	ctxs := c.Contexts()
	ptr := "/@context"
	if _, isArray := c.doc["@context"].([]any); isArray {
		ptr = "/@context/0"
	}
	if len(ctxs) == 0 {
		return VersionUnknown, newProblem("/@context", "context", ErrUnknownVersion,
			"@context is missing or empty; the first entry must be "+ContextV2+" or "+ContextV1)
	}
	switch ctxs[0] {
	case ContextV2:
		return V2, nil
	case ContextV1:
		return V1, nil
	}
	return VersionUnknown, newProblem(ptr, "context", ErrUnknownVersion,
		fmt.Sprintf("first @context entry is %s, must be %s or %s", describeValue(ctxs[0]), ContextV2, ContextV1))
}

// ID returns the credential's id, or "" when it has none or it is not a
// string (CheckDataModel reports the latter).
func (c *Credential) ID() string {
	s, _ := c.doc["id"].(string)
	return s
}

// Types returns the credential's type values: a single string or the
// strings of an array, in order. Values that are not strings are left out
// (CheckDataModel reports them).
func (c *Credential) Types() []string { return stringList(c.doc["type"]) }

// HasType reports whether the credential's type includes t.
func (c *Credential) HasType(t string) bool {
	for _, s := range c.Types() {
		if s == t {
			return true
		}
	}
	return false
}

// Issuer identifies who issued the credential.
type Issuer struct {
	// ID is the issuer's URL: the issuer value itself when it is a
	// string, else the id member of the issuer object.
	ID string
	// Name is the issuer object's name when it is a plain string; "" when
	// it is absent, a language value object or a list of them (see Raw).
	Name string
	// Raw is the issuer object, or nil when the issuer is a URL string.
	// It is shared with the credential and must not be modified.
	Raw map[string]any
}

// Issuer returns the credential's issuer. The issuer must be a URL string
// or an object whose id is a URL string; otherwise the error is a *Problem
// wrapping ErrInvalidValue.
func (c *Credential) Issuer() (Issuer, error) {
	v, ok := c.doc["issuer"]
	switch iss := v.(type) {
	case string:
		if !IsURL(iss) {
			return Issuer{}, newProblem("/issuer", "issuer", ErrInvalidValue,
				fmt.Sprintf("issuer %q is not a URL", iss))
		}
		return Issuer{ID: iss}, nil
	case map[string]any:
		id, present := iss["id"]
		s, isString := id.(string)
		switch {
		case !present:
			return Issuer{}, newProblem("/issuer/id", "issuer", ErrInvalidValue, "issuer object has no id")
		case !isString:
			return Issuer{}, newProblem("/issuer/id", "issuer", ErrInvalidValue,
				"issuer id is "+describeValue(id)+", must be a URL string")
		case !IsURL(s):
			return Issuer{}, newProblem("/issuer/id", "issuer", ErrInvalidValue,
				fmt.Sprintf("issuer id %q is not a URL", s))
		}
		name, _ := iss["name"].(string)
		return Issuer{ID: s, Name: name, Raw: iss}, nil
	}
	if !ok {
		return Issuer{}, newProblem("/issuer", "issuer", ErrInvalidValue, "issuer is missing")
	}
	return Issuer{}, newProblem("/issuer", "issuer", ErrInvalidValue,
		"issuer is "+describeValue(v)+", must be a URL or an object with an id")
}

// ValidFrom returns the start of the validity period: validFrom, or, when
// that is absent, VCDM 1.1's issuanceDate. ok is false when neither is
// present. In a VCDM 2.0 credential (and one of unknown version) validFrom
// must carry a time zone; issuanceDate, and validFrom in a 1.1 credential,
// may omit it (read as UTC). A bad value gives a *Problem wrapping
// ErrInvalidDateTime.
func (c *Credential) ValidFrom() (t time.Time, ok bool, err error) {
	return c.dateField("validFrom", "issuanceDate")
}

// ValidUntil returns the end of the validity period: validUntil, or, when
// that is absent, VCDM 1.1's expirationDate, with the rules of ValidFrom.
func (c *Credential) ValidUntil() (t time.Time, ok bool, err error) {
	return c.dateField("validUntil", "expirationDate")
}

func (c *Credential) dateField(v2name, v1name string) (time.Time, bool, error) {
	ver, _ := c.Version()
	if v, ok := c.doc[v2name]; ok {
		t, err := parseDateValue(v, "/"+v2name, ver != V1)
		return t, err == nil, err
	}
	if v, ok := c.doc[v1name]; ok {
		t, err := parseDateValue(v, "/"+v1name, false)
		return t, err == nil, err
	}
	return time.Time{}, false, nil
}

func parseDateValue(v any, ptr string, requireZone bool) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, newProblem(ptr, "validity", fmt.Errorf("%w: %s is not a string", ErrInvalidDateTime, describeValue(v)),
			"date-time is "+describeValue(v)+", must be a string")
	}
	t, err := ParseDateTime(s, requireZone)
	if err != nil {
		return time.Time{}, newProblem(ptr, "validity", err, err.Error())
	}
	return t, nil
}

// Subject is one entry of credentialSubject.
type Subject struct {
	// ID is the subject's id when it is a string, else "".
	ID string
	// Pointer is the JSON Pointer of this subject in the credential
	// ("/credentialSubject" or "/credentialSubject/1").
	Pointer string
	// Raw is the subject object, shared with the credential; do not modify.
	Raw map[string]any
}

// Subjects returns the credentialSubject entries (one object or an array of
// objects). It returns a *Problem wrapping ErrInvalidValue when
// credentialSubject is missing or an entry is not an object.
func (c *Credential) Subjects() ([]Subject, error) {
	es, err := c.objects("credentialSubject", "credentialSubject", true)
	if err != nil {
		return nil, err
	}
	out := make([]Subject, len(es))
	for i, e := range es {
		id, _ := e.obj["id"].(string)
		out[i] = Subject{ID: id, Pointer: e.ptr, Raw: e.obj}
	}
	return out, nil
}

// Status is one credentialStatus entry.
type Status struct {
	// ID is the entry's id when it is a string, else "".
	ID string
	// Types are the entry's type values (strings only).
	Types []string
	// Pointer is the JSON Pointer of this entry in the credential.
	Pointer string
	// Raw is the entry, shared with the credential; do not modify.
	Raw map[string]any
}

// Status returns the credentialStatus entries, nil when there are none. It
// returns a *Problem wrapping ErrInvalidValue when an entry is not an
// object.
func (c *Credential) Status() ([]Status, error) {
	es, err := c.objects("credentialStatus", "credentialStatus", false)
	if err != nil {
		return nil, err
	}
	var out []Status
	for _, e := range es {
		id, _ := e.obj["id"].(string)
		out = append(out, Status{ID: id, Types: stringList(e.obj["type"]), Pointer: e.ptr, Raw: e.obj})
	}
	return out, nil
}

// Schema is one credentialSchema entry.
type Schema struct {
	// ID is the schema's URL when it is a string, else "".
	ID string
	// Types are the entry's type values (strings only), e.g.
	// "1EdTechJsonSchemaValidator2019" or "JsonSchema".
	Types []string
	// Pointer is the JSON Pointer of this entry in the credential.
	Pointer string
	// Raw is the entry, shared with the credential; do not modify.
	Raw map[string]any
}

// Schemas returns the credentialSchema entries, nil when there are none. It
// returns a *Problem wrapping ErrInvalidValue when an entry is not an
// object.
func (c *Credential) Schemas() ([]Schema, error) {
	es, err := c.objects("credentialSchema", "credentialSchema", false)
	if err != nil {
		return nil, err
	}
	var out []Schema
	for _, e := range es {
		id, _ := e.obj["id"].(string)
		out = append(out, Schema{ID: id, Types: stringList(e.obj["type"]), Pointer: e.ptr, Raw: e.obj})
	}
	return out, nil
}

// Proofs returns the embedded proofs (one proof object or an array of
// them), nil when there are none. It returns a *Problem wrapping
// ErrInvalidValue when an entry is not an object.
func (c *Credential) Proofs() ([]Proof, error) {
	es, err := c.objects("proof", "proof", false)
	if err != nil {
		return nil, err
	}
	var out []Proof
	for _, e := range es {
		out = append(out, NewProof(e.obj, e.ptr))
	}
	return out, nil
}

// RefreshService returns the refreshService entries as they appear (a
// single value as a one-entry list), nil when there are none. The entries
// are shared with the credential; do not modify.
func (c *Credential) RefreshService() []any { return list(c.doc["refreshService"]) }

// TermsOfUse returns the termsOfUse entries as they appear, nil when there
// are none. The entries are shared with the credential; do not modify.
func (c *Credential) TermsOfUse() []any { return list(c.doc["termsOfUse"]) }

// Evidence returns the evidence entries as they appear, nil when there are
// none. The entries are shared with the credential; do not modify.
func (c *Credential) Evidence() []any { return list(c.doc["evidence"]) }

// entry is one value of a property that may hold one value or an array.
type entry struct {
	val any
	ptr string
	obj map[string]any // val as an object, or nil
}

// entries returns the values of property key with their pointers, nil when
// key is absent.
func entries(doc map[string]any, base, key string) []entry {
	v, ok := doc[key]
	if !ok {
		return nil
	}
	ptr := jsonx.AppendKey(base, key)
	a, isArray := v.([]any)
	if !isArray {
		m, _ := v.(map[string]any)
		return []entry{{val: v, ptr: ptr, obj: m}}
	}
	out := make([]entry, len(a))
	for i, e := range a {
		m, _ := e.(map[string]any)
		out[i] = entry{val: e, ptr: jsonx.AppendIndex(ptr, i), obj: m}
	}
	return out
}

// objects returns the entries of key, which must all be objects.
func (c *Credential) objects(key, rule string, required bool) ([]entry, error) {
	es := entries(c.doc, "", key)
	if es == nil {
		if required {
			return nil, newProblem("/"+key, rule, ErrInvalidValue, key+" is missing")
		}
		return nil, nil
	}
	for _, e := range es {
		if e.obj == nil {
			return nil, newProblem(e.ptr, rule, ErrInvalidValue,
				key+" entry is "+describeValue(e.val)+", must be an object")
		}
	}
	return es, nil
}

// list returns v as a list: nil for nil, the array itself (copied), or a
// one-entry list.
func list(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return append([]any(nil), v...)
	}
	return []any{v}
}

// stringList returns the strings of a string-or-array value.
func stringList(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// describeValue names a value for an error message: strings quoted (and
// cut at 60 bytes), other values by their JSON type.
func describeValue(v any) string {
	if s, ok := v.(string); ok {
		if len(s) > 60 {
			i := 60
			for i > 0 && !utf8.RuneStart(s[i]) {
				i--
			}
			s = s[:i] + "…"
		}
		return fmt.Sprintf("%q", s)
	}
	return jsonx.Kind(v)
}
