package schema

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strings"

	"github.com/microcred/microcred/internal/jsonx"
)

// Credential types that select an OB3 schema.
const (
	typeAchievementCredential = "AchievementCredential"
	typeOpenBadgeCredential   = "OpenBadgeCredential"
	typeEndorsementCredential = "EndorsementCredential"
)

// Result is the outcome of ValidateCredential.
type Result struct {
	// Problems lists every problem found, over all schemas applied,
	// ordered by InstancePath. Problem.SchemaID tells which schema.
	Problems []Problem
	// Schemas lists the schemas considered, in order: first those chosen
	// by the credential's type, then one entry per credentialSchema entry.
	Schemas []AppliedSchema
}

// Valid reports whether the credential satisfied every schema applied. It
// says nothing about schemas that could not be applied: ValidateCredential
// returns an error for those.
func (r *Result) Valid() bool { return len(r.Problems) == 0 }

// AppliedSchema describes one schema ValidateCredential considered.
type AppliedSchema struct {
	// ID is the schema's URL as the credential names it, or the OB3 schema
	// chosen by its type.
	ID string
	// AppliedID is the URL of the schema applied: ID, or its strict build
	// when Options.Strict. Empty when the schema was not applied (see
	// NotApplied).
	AppliedID string
	// Pointer is the JSON Pointer of the credentialSchema entry
	// ("/credentialSchema/0"), or "" for a schema chosen by type.
	Pointer string
	// Origin tells where the schema came from.
	Origin Origin
	// SHA256 is the hex SHA-256 of the schema document applied.
	SHA256 string
	// Problems is how many of Result.Problems this schema found.
	Problems int
	// NotApplied, when not empty, says why the schema was not applied:
	// it was applied already for an earlier entry or for the credential's
	// type ("duplicate"; Problems repeats that count), the entry has no
	// string id ("no id"; the OB3 schema reports the entry), or the error
	// returned with the result concerns it ("error").
	NotApplied string
}

// ValidateCredential validates an Open Badges 3.0 credential:
//
//   - against the OB3 schema for its type: AchievementCredential or
//     OpenBadgeCredential → achievementcredential, EndorsementCredential →
//     endorsementcredential (the published schemas, or the strict build
//     when Options.Strict); a credential with neither type gets a Problem
//     at /type;
//   - against every credentialSchema entry of type
//     1EdTechJsonSchemaValidator2019 or JsonSchema, resolved from the
//     embedded and registered schemas, or fetched when Options.Fetcher
//     allows. When an entry has a digestSRI, the schema's bytes must match
//     it.
//
// The Result lists every problem. The error reports what kept a schema
// from being applied — an unknown schema (*UnknownSchemaError), a
// JsonSchemaCredential or other unsupported entry type
// (*UnsupportedSchemaTypeError), a digestSRI mismatch (*SchemaDigestError),
// a schema that does not compile (*InvalidSchemaError) — joined when there
// are several; the Result then still holds what the other schemas found.
// A document that is not a JSON object within the limits is an error
// wrapping ErrInvalidDocument, with a nil Result. Treat a non-nil error as
// "not shown valid".
//
// doc is a *vc.Credential, JSON text ([]byte or json.RawMessage), or a
// decoded map[string]any.
func (v *Validator) ValidateCredential(ctx context.Context, doc any) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	inst, err := v.document(doc)
	if err != nil {
		return nil, err
	}
	m, ok := inst.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema: %w: a credential must be a JSON object", ErrInvalidDocument)
	}
	res := &Result{}
	var errs []error
	applied := map[string]int{} // applied URL -> index in res.Schemas

	run := func(a AppliedSchema, r *resolved) {
		if i, dup := applied[r.url]; dup {
			a.AppliedID, a.Origin, a.SHA256 = r.url, r.origin, r.sha
			a.Problems = res.Schemas[i].Problems
			a.NotApplied = "duplicate"
			res.Schemas = append(res.Schemas, a)
			return
		}
		a.AppliedID, a.Origin, a.SHA256 = r.url, r.origin, r.sha
		ps, err := apply(r, inst)
		if err != nil {
			errs = append(errs, err)
			a.NotApplied = "error"
		}
		a.Problems = len(ps)
		res.Problems = append(res.Problems, ps...)
		applied[r.url] = len(res.Schemas)
		res.Schemas = append(res.Schemas, a)
	}

	// The OB3 schema for the credential's type.
	bases := baseSchemas(m["type"])
	if len(bases) == 0 {
		res.Problems = append(res.Problems, Problem{
			InstancePath: "/type",
			Keyword:      "type",
			Message:      "type includes neither AchievementCredential, OpenBadgeCredential nor EndorsementCredential, so no Open Badges 3.0 schema applies",
		})
	}
	for _, b := range bases {
		r, err := v.resolve(ctx, b, "")
		if err != nil {
			errs = append(errs, err)
			res.Schemas = append(res.Schemas, AppliedSchema{ID: b, NotApplied: "error"})
			continue
		}
		run(AppliedSchema{ID: b}, r)
	}

	// The credentialSchema entries.
	for _, e := range credentialSchemas(m["credentialSchema"]) {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		a := AppliedSchema{ID: e.id, Pointer: e.ptr}
		if e.id == "" {
			// Nothing to apply; the OB3 schema reports the entry's shape
			// (and a credential with no OB3 type has a problem already).
			a.NotApplied = "no id"
			res.Schemas = append(res.Schemas, a)
			continue
		}
		if !slices.Contains(e.types, Type1EdTechJSONSchemaValidator2019) && !slices.Contains(e.types, TypeJSONSchema) {
			a.NotApplied = "error"
			errs = append(errs, &UnsupportedSchemaTypeError{Pointer: e.ptr, URL: e.id, Types: e.types})
			res.Schemas = append(res.Schemas, a)
			continue
		}
		r, err := v.resolve(ctx, e.id, e.ptr)
		if err != nil {
			a.NotApplied = "error"
			errs = append(errs, err)
			res.Schemas = append(res.Schemas, a)
			continue
		}
		if e.sri != "" {
			if err := checkSRI(r.raw, e.sri); err != nil {
				a.AppliedID, a.Origin, a.SHA256 = r.url, r.origin, r.sha
				a.NotApplied = "error"
				errs = append(errs, &SchemaDigestError{Pointer: e.ptr, URL: e.id, DigestSRI: e.sri, Err: err})
				res.Schemas = append(res.Schemas, a)
				continue
			}
		}
		run(a, r)
	}
	sortProblems(res.Problems)
	return res, errors.Join(errs...)
}

// baseSchemas returns the OB3 schemas the credential's type selects.
func baseSchemas(t any) []string {
	var types []string
	switch t := t.(type) {
	case string:
		types = []string{t}
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				types = append(types, s)
			}
		}
	}
	var out []string
	if slices.Contains(types, typeAchievementCredential) || slices.Contains(types, typeOpenBadgeCredential) {
		out = append(out, AchievementCredentialURL)
	}
	if slices.Contains(types, typeEndorsementCredential) {
		out = append(out, EndorsementCredentialURL)
	}
	return out
}

type schemaEntry struct {
	ptr   string
	id    string
	types []string
	sri   string
}

// credentialSchemas reads the credentialSchema entries (one object or an
// array). Entries that are not objects are left to the OB3 schema.
func credentialSchemas(v any) []schemaEntry {
	var out []schemaEntry
	add := func(x any, ptr string) {
		m, ok := x.(map[string]any)
		if !ok {
			return
		}
		e := schemaEntry{ptr: ptr}
		e.id, _ = m["id"].(string)
		switch t := m["type"].(type) {
		case string:
			e.types = []string{t}
		case []any:
			for _, x := range t {
				if s, ok := x.(string); ok {
					e.types = append(e.types, s)
				}
			}
		}
		e.sri, _ = m["digestSRI"].(string)
		out = append(out, e)
	}
	switch v := v.(type) {
	case []any:
		for i, x := range v {
			add(x, jsonx.AppendIndex("/credentialSchema", i))
		}
	default:
		add(v, "/credentialSchema")
	}
	return out
}

// checkSRI checks data against a Subresource Integrity value: one or more
// "sha256-", "sha384-" or "sha512-" base64 digests separated by spaces
// (options after "?" ignored). As SRI specifies, only the strongest
// algorithm present counts, and any of its digests may match.
func checkSRI(data []byte, sri string) error {
	algs := []struct {
		name string
		h    func() hash.Hash
	}{{"sha512", sha512.New}, {"sha384", sha512.New384}, {"sha256", sha256.New}}
	fields := strings.Fields(sri)
	for _, alg := range algs {
		var digests []string
		for _, f := range fields {
			name, rest, ok := strings.Cut(f, "-")
			if ok && name == alg.name {
				rest, _, _ = strings.Cut(rest, "?")
				digests = append(digests, rest)
			}
		}
		if len(digests) == 0 {
			continue
		}
		h := alg.h()
		h.Write(data)
		sum := h.Sum(nil)
		for _, d := range digests {
			want, err := base64.StdEncoding.DecodeString(d)
			if err != nil {
				return fmt.Errorf("%s digest is not base64: %w", alg.name, err)
			}
			if subtle.ConstantTimeCompare(want, sum) == 1 {
				return nil
			}
		}
		return fmt.Errorf("%s digest does not match the schema (its %s is %s)", alg.name, alg.name, base64.StdEncoding.EncodeToString(sum))
	}
	return errors.New("no sha256, sha384 or sha512 digest")
}
