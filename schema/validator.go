package schema

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/jsonx"
	"github.com/microcred/microcred/vc"
)

// credentialSchema types this package knows.
const (
	// Type1EdTechJSONSchemaValidator2019 is the Open Badges 3.0 type: the
	// entry's id is the URL of a JSON Schema the whole credential must
	// satisfy.
	Type1EdTechJSONSchemaValidator2019 = "1EdTechJsonSchemaValidator2019"
	// TypeJSONSchema is the VCDM 2.0 type defined by Verifiable
	// Credentials JSON Schema: the same meaning (id is the URL of a JSON
	// Schema — draft 2020-12, 2019-09 or 7, by its $schema — that the
	// credential must satisfy).
	TypeJSONSchema = "JsonSchema"
	// TypeJSONSchemaCredential is the VCDM 2.0 type whose id is a
	// credential carrying the schema in credentialSubject.jsonSchema. Not
	// supported yet: ValidateCredential reports an
	// *UnsupportedSchemaTypeError.
	TypeJSONSchemaCredential = "JsonSchemaCredential"
)

// Defaults for Options.
const (
	// DefaultMaxSchemaBytes bounds one registered or fetched schema: 1 MiB
	// (the largest OB3 schema is 113 kB).
	DefaultMaxSchemaBytes = 1 << 20
	// DefaultCacheTTL is how long a fetched, compiled schema is reused.
	DefaultCacheTTL = time.Hour
	// DefaultMaxFetches bounds the documents fetched to compile one remote
	// schema, the schema itself and what it references included.
	DefaultMaxFetches = 8
)

// maxCachedSchemas bounds the cache of fetched schemas.
const maxCachedSchemas = 256

// Options configure a Validator. The zero value validates against the
// embedded, published OB3 schemas and never uses the network.
type Options struct {
	// Strict makes the strict 2024 build stand in for the published
	// (lenient) OB3 schemas wherever this Validator resolves a schema by
	// URL: the schema chosen by a credential's type, credentialSchema
	// entries naming a published OB3 schema, and Validate. References
	// inside registered or fetched schemas resolve by URL as written.
	Strict bool
	// Fetcher retrieves schemas that are neither embedded nor registered.
	// Use a *fetch.HTTP whose allow-list names the hosts schemas may come
	// from; nil (the default) means no network: such a schema is an
	// *UnknownSchemaError.
	Fetcher fetch.Fetcher
	// MaxSchemaBytes bounds a registered or fetched schema document; 0
	// means DefaultMaxSchemaBytes.
	MaxSchemaBytes int
	// MaxFetches bounds the documents fetched to compile one remote schema;
	// 0 means DefaultMaxFetches.
	MaxFetches int
	// CacheTTL is how long a fetched schema is reused once compiled; 0
	// means DefaultCacheTTL.
	CacheTTL time.Duration
	// Limits bound the documents to validate: bytes are parsed with them,
	// and decoded values (maps) are checked against MaxDepth and
	// MaxValues. Zero fields mean the vc defaults (1 MiB, depth 64,
	// 100,000 values).
	Limits vc.ParseOptions
}

// Origin tells where an applied schema came from.
type Origin string

// Origins of schemas.
const (
	OriginEmbedded   Origin = "embedded"
	OriginRegistered Origin = "registered"
	OriginFetched    Origin = "fetched"
)

// Validator validates documents against JSON Schemas: the embedded OB3
// schemas, schemas added with Register and, when Options allow it, schemas
// fetched over the network. Build it once with New; it is safe for
// concurrent use. Schemas are compiled at first use and then reused (the
// embedded ones once per process, shared by all Validators).
type Validator struct {
	opts Options
	now  func() time.Time

	compMu     sync.Mutex           // serialises Register
	regComp    *jsonschema.Compiler // compiles registered schemas
	regLoadErr error                // the last error of regComp's loader

	mu     sync.RWMutex
	reg    map[string]*registeredSchema
	remote map[string]*remoteSchema
}

type registeredSchema struct {
	raw []byte
	sha string
	sch *jsonschema.Schema
}

type remoteSchema struct {
	raw     []byte
	sha     string
	sch     *jsonschema.Schema
	expires time.Time
}

// New returns a Validator. It does no work up front: the schemas are
// compiled when first used.
func New(opts Options) (*Validator, error) {
	if opts.MaxSchemaBytes < 0 || opts.MaxFetches < 0 || opts.CacheTTL < 0 {
		return nil, errors.New("schema: negative limit in Options")
	}
	if opts.MaxSchemaBytes == 0 {
		opts.MaxSchemaBytes = DefaultMaxSchemaBytes
	}
	if opts.MaxFetches == 0 {
		opts.MaxFetches = DefaultMaxFetches
	}
	if opts.CacheTTL == 0 {
		opts.CacheTTL = DefaultCacheTTL
	}
	return &Validator{
		opts:   opts,
		now:    time.Now,
		reg:    map[string]*registeredSchema{},
		remote: map[string]*remoteSchema{},
	}, nil
}

// Register adds a schema under id, an absolute URL: credentials that name
// id in credentialSchema, Validate calls and $ref in other schemas then use
// it. The schema is compiled now, so an invalid schema is reported here
// (as an *InvalidSchemaError). Schemas it references must be embedded or
// registered before it: Register never fetches.
//
// A URL can be registered once; registering the same bytes again is a no
// op. Embedded schemas cannot be replaced, and a schema whose $id values
// would shadow an embedded or registered schema is refused.
func (v *Validator) Register(id string, schemaJSON []byte) error {
	u, err := schemaURL(id)
	if err != nil {
		return fmt.Errorf("schema: register %q: %w", id, err)
	}
	if e, ok := embeddedByURL[u]; ok {
		if b, err := e.load(); err == nil && bytes.Equal(b, schemaJSON) {
			return nil
		}
		return fmt.Errorf("schema: register %s: an embedded, pinned schema cannot be replaced", u)
	}
	if len(schemaJSON) > v.opts.MaxSchemaBytes {
		return &InvalidSchemaError{URL: u, Err: fmt.Errorf("%d bytes, limit %d", len(schemaJSON), v.opts.MaxSchemaBytes)}
	}
	doc, err := decodeSchema(schemaJSON, v.opts.MaxSchemaBytes)
	if err != nil {
		return &InvalidSchemaError{URL: u, Err: err}
	}

	v.compMu.Lock()
	defer v.compMu.Unlock()
	v.mu.RLock()
	old, exists := v.reg[u]
	v.mu.RUnlock()
	if exists {
		if bytes.Equal(old.raw, schemaJSON) {
			return nil
		}
		return fmt.Errorf("schema: register %s: already registered with different content", u)
	}
	if err := v.checkIDs(u, doc); err != nil {
		return &InvalidSchemaError{URL: u, Err: err}
	}
	if v.regComp == nil {
		if err := v.newRegisteredCompiler(); err != nil {
			return err
		}
	}
	if err := v.regComp.AddResource(u, doc); err != nil {
		return &InvalidSchemaError{URL: u, Err: err}
	}
	v.regLoadErr = nil
	sch, err := v.regComp.Compile(u)
	if err != nil {
		// The compiler now holds a document that does not compile; start
		// afresh next time.
		v.regComp = nil
		if v.regLoadErr != nil {
			err = fmt.Errorf("%w (%v)", v.regLoadErr, err)
		}
		return &InvalidSchemaError{URL: u, Err: err}
	}
	sum := sha256.Sum256(schemaJSON)
	v.mu.Lock()
	v.reg[u] = &registeredSchema{raw: bytes.Clone(schemaJSON), sha: hex.EncodeToString(sum[:]), sch: sch}
	v.mu.Unlock()
	return nil
}

// newRegisteredCompiler makes the compiler for registered schemas and gives
// it every schema registered so far. Called with compMu held.
func (v *Validator) newRegisteredCompiler() error {
	c := newCompiler(loaderFunc(func(u string) (any, error) {
		if d, ok, err := v.localDoc(u); ok || err != nil {
			return d, err
		}
		v.regLoadErr = &UnknownSchemaError{URL: u, Err: errNotRegistered}
		return nil, v.regLoadErr
	}))
	v.mu.RLock()
	defer v.mu.RUnlock()
	for u, r := range v.reg {
		d, err := decodeSchema(r.raw, len(r.raw))
		if err == nil {
			err = c.AddResource(u, d)
		}
		if err != nil {
			return &InvalidSchemaError{URL: u, Err: err}
		}
	}
	v.regComp = c
	return nil
}

// localDoc returns a fresh copy of an embedded or registered schema
// document, for a compiler resolving a reference.
func (v *Validator) localDoc(u string) (any, bool, error) {
	if e, ok := embeddedByURL[u]; ok {
		d, err := e.doc()
		return d, true, err
	}
	v.mu.RLock()
	r, ok := v.reg[u]
	v.mu.RUnlock()
	if ok {
		d, err := decodeSchema(r.raw, len(r.raw))
		return d, true, err
	}
	return nil, false, nil
}

// checkIDs refuses a schema document (to be known as u) that declares, by
// $id anywhere in it (resolved against the enclosing $id, as JSON Schema
// does), the URL of an embedded or registered schema other than u: that
// would let it stand in for the other schema in references. It may be
// stricter than needed ($id inside an enum value counts too), never looser.
func (v *Validator) checkIDs(u string, doc any) error {
	base, err := url.Parse(u)
	if err != nil {
		return err
	}
	var bad error
	var walk func(x any, base *url.URL, depth int)
	walk = func(x any, base *url.URL, depth int) {
		if bad != nil || depth > maxSchemaDepth {
			return
		}
		switch x := x.(type) {
		case map[string]any:
			if id, ok := x["$id"].(string); ok {
				ref, err := url.Parse(id)
				if err != nil {
					bad = fmt.Errorf("$id %q: %w", id, err)
					return
				}
				abs := base.ResolveReference(ref)
				abs.Fragment, abs.RawFragment = "", ""
				base = abs
				if s := abs.String(); s != u {
					if _, ok := embeddedByURL[s]; ok {
						bad = fmt.Errorf("$id %q would shadow the embedded schema %s", id, s)
						return
					}
					v.mu.RLock()
					_, ok := v.reg[s]
					v.mu.RUnlock()
					if ok {
						bad = fmt.Errorf("$id %q would shadow the registered schema %s", id, s)
						return
					}
				}
			}
			for _, c := range x {
				walk(c, base, depth+1)
			}
		case []any:
			for _, c := range x {
				walk(c, base, depth+1)
			}
		}
	}
	walk(doc, base, 0)
	return bad
}

// resolved is a compiled schema ready to apply.
type resolved struct {
	url    string
	sch    *jsonschema.Schema
	raw    []byte
	sha    string
	origin Origin
}

// resolve finds the schema for id: embedded (the strict build when
// Options.Strict), registered, cached, or fetched. ptr names the
// credentialSchema entry asking for it, for errors.
func (v *Validator) resolve(ctx context.Context, id, ptr string) (*resolved, error) {
	u, err := schemaURL(id)
	if err != nil {
		return nil, &UnknownSchemaError{URL: id, Pointer: ptr, Err: err}
	}
	if e, ok := embeddedByURL[u]; ok {
		if v.opts.Strict && e.strict != "" {
			e = embeddedByURL[e.strict]
		}
		raw, err := e.load()
		if err != nil {
			return nil, err
		}
		sch, err := e.compile()
		if err != nil {
			return nil, err
		}
		return &resolved{url: e.url, sch: sch, raw: raw, sha: e.sha256, origin: OriginEmbedded}, nil
	}
	v.mu.RLock()
	r, isReg := v.reg[u]
	c, isCached := v.remote[u]
	v.mu.RUnlock()
	if isReg {
		return &resolved{url: u, sch: r.sch, raw: r.raw, sha: r.sha, origin: OriginRegistered}, nil
	}
	if isCached && v.now().Before(c.expires) {
		return &resolved{url: u, sch: c.sch, raw: c.raw, sha: c.sha, origin: OriginFetched}, nil
	}
	if v.opts.Fetcher == nil {
		return nil, &UnknownSchemaError{URL: u, Pointer: ptr, Err: fetch.ErrNetworkDisabled}
	}
	rs, err := v.fetchAndCompile(ctx, u, ptr)
	if err != nil {
		return nil, err
	}
	v.mu.Lock()
	if len(v.remote) >= maxCachedSchemas {
		now := v.now()
		for k, e := range v.remote {
			if !now.Before(e.expires) {
				delete(v.remote, k)
			}
		}
		for k := range v.remote {
			if len(v.remote) < maxCachedSchemas {
				break
			}
			delete(v.remote, k)
		}
	}
	v.remote[u] = rs
	v.mu.Unlock()
	return &resolved{url: u, sch: rs.sch, raw: rs.raw, sha: rs.sha, origin: OriginFetched}, nil
}

// fetchAndCompile fetches u and what it references (embedded and registered
// schemas are used as they are) and compiles it on its own compiler, so
// nothing fetched can stand in for a local schema.
func (v *Validator) fetchAndCompile(ctx context.Context, u, ptr string) (*remoteSchema, error) {
	raw, doc, err := v.fetchDoc(ctx, u, ptr)
	if err != nil {
		return nil, err
	}
	fetches := 1
	var loadErr error
	c := newCompiler(loaderFunc(func(ref string) (any, error) {
		if d, ok, err := v.localDoc(ref); ok || err != nil {
			return d, err
		}
		if fetches >= v.opts.MaxFetches {
			loadErr = &UnknownSchemaError{URL: ref, Err: fmt.Errorf("more than %d documents fetched for schema %s", v.opts.MaxFetches, u)}
			return nil, loadErr
		}
		fetches++
		_, d, err := v.fetchDoc(ctx, ref, "")
		if err != nil {
			loadErr = err
		}
		return d, err
	}))
	if err := c.AddResource(u, doc); err != nil {
		return nil, &InvalidSchemaError{URL: u, Err: err}
	}
	sch, err := c.Compile(u)
	if err != nil {
		if loadErr != nil {
			err = fmt.Errorf("%w (%v)", loadErr, err)
		}
		return nil, &InvalidSchemaError{URL: u, Err: err}
	}
	sum := sha256.Sum256(raw)
	return &remoteSchema{raw: raw, sha: hex.EncodeToString(sum[:]), sch: sch, expires: v.now().Add(v.opts.CacheTTL)}, nil
}

// fetchDoc fetches and decodes one schema document.
func (v *Validator) fetchDoc(ctx context.Context, u, ptr string) ([]byte, any, error) {
	raw, err := v.opts.Fetcher.Fetch(ctx, u)
	if err != nil {
		return nil, nil, &UnknownSchemaError{URL: u, Pointer: ptr, Err: err}
	}
	if len(raw) > v.opts.MaxSchemaBytes {
		return nil, nil, &UnknownSchemaError{URL: u, Pointer: ptr, Err: fmt.Errorf("%d bytes, limit %d", len(raw), v.opts.MaxSchemaBytes)}
	}
	doc, err := decodeSchema(raw, v.opts.MaxSchemaBytes)
	if err != nil {
		return nil, nil, &InvalidSchemaError{URL: u, Err: err}
	}
	if err := v.checkIDs(u, doc); err != nil {
		return nil, nil, &InvalidSchemaError{URL: u, Err: err}
	}
	return raw, doc, nil
}

// schemaURL checks that id is an absolute URL and drops an empty fragment.
func schemaURL(id string) (string, error) {
	p, err := url.Parse(id)
	if err != nil {
		return "", err
	}
	if !p.IsAbs() {
		return "", errors.New("not an absolute URL")
	}
	if p.Fragment == "" && len(id) > 0 && id[len(id)-1] == '#' {
		id = id[:len(id)-1]
	}
	return id, nil
}

// Validate validates doc against the schema at schemaID (embedded,
// registered, or fetched when Options allow) and returns every problem
// found, none when doc is valid. The error is for what prevents
// validation: an unknown schema (*UnknownSchemaError), a schema that does
// not compile (*InvalidSchemaError), a document that is not JSON within the
// limits (wrapping ErrInvalidDocument), or ctx being done.
//
// doc is a *vc.Credential, JSON text as []byte or json.RawMessage, or a
// decoded JSON value (map[string]any, []any, string, json.Number, float64,
// bool, nil, …).
func (v *Validator) Validate(ctx context.Context, schemaID string, doc any) ([]Problem, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	inst, err := v.document(doc)
	if err != nil {
		return nil, err
	}
	r, err := v.resolve(ctx, schemaID, "")
	if err != nil {
		return nil, err
	}
	return apply(r, inst)
}

// apply validates inst against r.
func apply(r *resolved, inst any) ([]Problem, error) {
	err := r.sch.Validate(inst)
	if err == nil {
		return nil, nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return nil, fmt.Errorf("schema: validate against %s: %w", r.url, err)
	}
	f := flattener{doc: inst, schemaID: r.url}
	ps := f.problems(verr)
	if f.fault != nil {
		return nil, f.fault
	}
	return ps, nil
}

// document turns what the caller gave into a JSON value within the limits.
func (v *Validator) document(doc any) (any, error) {
	lim := jsonx.Limits{MaxBytes: v.opts.Limits.MaxBytes, MaxDepth: v.opts.Limits.MaxDepth, MaxValues: v.opts.Limits.MaxValues}
	switch d := doc.(type) {
	case *vc.Credential:
		if d == nil {
			return nil, fmt.Errorf("schema: %w: nil *vc.Credential", ErrInvalidDocument)
		}
		return d.Map(), nil
	case []byte:
		x, err := jsonx.Decode(d, lim)
		if err != nil {
			return nil, fmt.Errorf("schema: %w: %w", ErrInvalidDocument, err)
		}
		return x, nil
	case json.RawMessage:
		return v.document([]byte(d))
	}
	if err := checkValue(doc, lim); err != nil {
		return nil, fmt.Errorf("schema: %w: %w", ErrInvalidDocument, err)
	}
	return doc, nil
}

// checkValue checks that x is made of JSON values only (so a cycle or a Go
// struct cannot reach the validator), nested no deeper than lim.MaxDepth
// and with at most lim.MaxValues values.
func checkValue(x any, lim jsonx.Limits) error {
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = jsonx.DefaultMaxDepth
	}
	if lim.MaxValues <= 0 {
		lim.MaxValues = jsonx.DefaultMaxValues
	}
	count := 0
	var walk func(x any, ptr string, depth int) error
	walk = func(x any, ptr string, depth int) error {
		count++
		if count > lim.MaxValues {
			return fmt.Errorf("%s: more than %d values", ptr, lim.MaxValues)
		}
		switch x := x.(type) {
		case nil, bool, string, json.Number,
			int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%s: %v is not a JSON number", ptr, x)
			}
		case float32:
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return fmt.Errorf("%s: %v is not a JSON number", ptr, x)
			}
		case map[string]any:
			if depth >= lim.MaxDepth {
				return fmt.Errorf("%s: nested deeper than %d levels", ptr, lim.MaxDepth)
			}
			for k, c := range x {
				if err := walk(c, jsonx.AppendKey(ptr, k), depth+1); err != nil {
					return err
				}
			}
		case []any:
			if depth >= lim.MaxDepth {
				return fmt.Errorf("%s: nested deeper than %d levels", ptr, lim.MaxDepth)
			}
			for i, c := range x {
				if err := walk(c, jsonx.AppendIndex(ptr, i), depth+1); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("%s: a value of Go type %T is not a JSON value", ptr, x)
		}
		return nil
	}
	return walk(x, "", 0)
}
