package keys

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Relationship is a verification relationship of a controller document
// (DID Core §5.3, Controlled Identifiers §2.3).
type Relationship string

// The verification relationships a controller document can list a method under.
const (
	Authentication       Relationship = "authentication"
	AssertionMethod      Relationship = "assertionMethod"
	KeyAgreement         Relationship = "keyAgreement"
	CapabilityInvocation Relationship = "capabilityInvocation"
	CapabilityDelegation Relationship = "capabilityDelegation"
)

// relationships is the order in which documents are scanned.
var relationships = []Relationship{Authentication, AssertionMethod, KeyAgreement, CapabilityInvocation, CapabilityDelegation}

// Verification method types this package reads.
const (
	TypeMultikey                   = "Multikey"
	TypeEd25519VerificationKey2020 = "Ed25519VerificationKey2020"
	TypeEd25519VerificationKey2018 = "Ed25519VerificationKey2018"
	TypeJSONWebKey                 = "JsonWebKey"
	TypeJSONWebKey2020             = "JsonWebKey2020"
)

// VerificationMethod is a resolved verification method: a public key, who
// controls it, and what its controller document lets it do.
type VerificationMethod struct {
	// ID is the absolute URL of the method (a DID URL or an HTTPS URL).
	ID string
	// Type is the method's type, one of the Type… constants.
	Type string
	// Controller is the id of the controller document that lists the method
	// (a DID or an HTTPS URL). Resolvers check that it is the document's id.
	Controller string
	// PublicKey is ed25519.PublicKey, *ecdsa.PublicKey or *rsa.PublicKey.
	PublicKey crypto.PublicKey
	// JWK is the publicKeyJwk the method was given with, or nil. Its "alg",
	// if set, is a constraint a JWT verifier may want to honour.
	JWK *JWK
	// Relationships lists the verification relationships of the controller
	// document that reference the method. A method only declared under
	// "verificationMethod" has none, and must not be accepted for proofs.
	Relationships []Relationship
}

// Has reports whether the controller document lists the method under r.
func (vm *VerificationMethod) Has(r Relationship) bool {
	return slices.Contains(vm.Relationships, r)
}

// clone returns a copy that does not share the Relationships slice.
func (vm *VerificationMethod) clone() *VerificationMethod {
	c := *vm
	c.Relationships = slices.Clone(vm.Relationships)
	return &c
}

// Resolver resolves a verification method URL to the method. Implementations
// return a *ResolutionError on failure.
type Resolver interface {
	Resolve(ctx context.Context, vm string) (*VerificationMethod, error)
}

// Errors that classify resolution failures. A *ResolutionError wraps one of
// them (or a key or JSON error); test with errors.Is.
var (
	// ErrNotFound: the document does not define the requested method.
	ErrNotFound = errors.New("verification method not found")
	// ErrUnsupportedMethod: no resolver handles this DID method or URL scheme.
	ErrUnsupportedMethod = errors.New("unsupported DID method or URL scheme")
	// ErrDocumentID: the fetched document's id is not the DID or URL requested.
	ErrDocumentID = errors.New("document id does not match the requested identifier")
	// ErrControllerMismatch: the method's controller is not the document's id.
	ErrControllerMismatch = errors.New("verification method controller does not match the document id")
	// ErrInvalidDocument: the controller document is malformed.
	ErrInvalidDocument = errors.New("invalid controller document")
	// ErrInvalidURL: the identifier is not a well-formed DID URL or HTTPS URL.
	ErrInvalidURL = errors.New("invalid verification method identifier")
)

// ResolutionError reports a failure to resolve a verification method. It
// names the method requested and, when one was consulted, the document.
type ResolutionError struct {
	// VM is the verification method (or kid) that was requested.
	VM string
	// Document is the URL of the document consulted, or "".
	Document string
	// Err is the cause; it wraps one of the Err… values of this package.
	Err error
}

// Error implements error.
func (e *ResolutionError) Error() string {
	var fe *FetchError
	if e.Document != "" && !errors.As(e.Err, &fe) { // a FetchError names the URL itself
		return fmt.Sprintf("resolve %q (document %s): %v", truncate(e.VM), e.Document, e.Err)
	}
	return fmt.Sprintf("resolve %q: %v", truncate(e.VM), e.Err)
}

// Unwrap returns the cause.
func (e *ResolutionError) Unwrap() error { return e.Err }

func resolutionError(vm, doc string, err error) error {
	var re *ResolutionError
	if errors.As(err, &re) && re.VM == vm {
		return err
	}
	return &ResolutionError{VM: vm, Document: doc, Err: err}
}

// signingRelationships are the relationships a did:key or did:jwk document
// gives a signing key.
var signingRelationships = []Relationship{Authentication, AssertionMethod, CapabilityInvocation, CapabilityDelegation}

// DIDKeyResolver resolves did:key identifiers locally, without I/O. A bare
// did:key (no fragment) resolves to its one method. The method has type
// Multikey and is listed under authentication, assertionMethod,
// capabilityInvocation and capabilityDelegation.
type DIDKeyResolver struct{}

// Resolve implements Resolver.
func (DIDKeyResolver) Resolve(ctx context.Context, vm string) (*VerificationMethod, error) {
	pub, did, err := ParseDIDKey(vm)
	if err != nil {
		return nil, resolutionError(vm, "", err)
	}
	mk := strings.TrimPrefix(did, "did:key:")
	return &VerificationMethod{
		ID:            did + "#" + mk,
		Type:          TypeMultikey,
		Controller:    did,
		PublicKey:     pub,
		Relationships: slices.Clone(signingRelationships),
	}, nil
}

// DIDJWKResolver resolves did:jwk identifiers locally, without I/O. A bare
// did:jwk resolves to its one method, DID + "#0", of type JsonWebKey2020.
// Following the did:jwk spec the method is listed under the signing
// relationships unless the JWK's "use" is "enc", and under keyAgreement
// unless "use" is "sig".
type DIDJWKResolver struct{}

// Resolve implements Resolver.
func (DIDJWKResolver) Resolve(ctx context.Context, vm string) (*VerificationMethod, error) {
	j, pub, did, err := ParseDIDJWK(vm)
	if err != nil {
		return nil, resolutionError(vm, "", err)
	}
	var rels []Relationship
	if j.Use != "enc" {
		rels = slices.Clone(signingRelationships)
	}
	if j.Use != "sig" {
		rels = append(rels, KeyAgreement)
	}
	return &VerificationMethod{
		ID:            did + "#0",
		Type:          TypeJSONWebKey2020,
		Controller:    did,
		PublicKey:     pub,
		JWK:           j,
		Relationships: rels,
	}, nil
}

// StaticResolver resolves pinned verification methods from memory. It is safe
// for concurrent use. Resolve returns copies, so callers cannot change the
// pinned entries.
type StaticResolver struct {
	mu  sync.RWMutex
	vms map[string]*VerificationMethod
}

// NewStaticResolver returns a StaticResolver holding vms (see Add).
func NewStaticResolver(vms ...*VerificationMethod) (*StaticResolver, error) {
	s := &StaticResolver{vms: make(map[string]*VerificationMethod)}
	for _, vm := range vms {
		if err := s.Add(vm); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Add pins vm under vm.ID, replacing any earlier entry. The ID and
// Controller must be set and the public key must be valid; Relationships are
// taken as given (pin with AssertionMethod for keys that sign credentials).
func (s *StaticResolver) Add(vm *VerificationMethod) error {
	if vm == nil || vm.ID == "" || vm.Controller == "" {
		return fmt.Errorf("%w: pinned verification method needs an ID and a Controller", ErrInvalidURL)
	}
	pub, err := checkPublicKey(vm.PublicKey)
	if err != nil {
		return fmt.Errorf("pinned verification method %q: %w", vm.ID, err)
	}
	c := vm.clone()
	c.PublicKey = pub
	if c.Type == "" {
		c.Type = TypeMultikey
		if c.JWK != nil {
			c.Type = TypeJSONWebKey
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.vms == nil {
		s.vms = make(map[string]*VerificationMethod)
	}
	s.vms[vm.ID] = c
	return nil
}

// Resolve implements Resolver. An unknown id is ErrNotFound.
func (s *StaticResolver) Resolve(ctx context.Context, vm string) (*VerificationMethod, error) {
	s.mu.RLock()
	got, ok := s.vms[vm]
	s.mu.RUnlock()
	if !ok {
		return nil, resolutionError(vm, "", fmt.Errorf("%w: not pinned", ErrNotFound))
	}
	return got.clone(), nil
}

// MultiResolver dispatches to a Resolver by DID method ("did:key",
// "did:web", …) or URL scheme ("https").
type MultiResolver struct {
	routes map[string]Resolver
}

// NewMultiResolver returns a MultiResolver with the given routes; keys are
// "did:<method>" or a URL scheme, in lower case.
func NewMultiResolver(routes map[string]Resolver) *MultiResolver {
	m := &MultiResolver{routes: make(map[string]Resolver, len(routes))}
	for k, r := range routes {
		m.routes[strings.ToLower(k)] = r
	}
	return m
}

// Handle sets the resolver for route (see NewMultiResolver). It is not safe
// to call concurrently with Resolve.
func (m *MultiResolver) Handle(route string, r Resolver) {
	if m.routes == nil {
		m.routes = make(map[string]Resolver)
	}
	m.routes[strings.ToLower(route)] = r
}

// Resolve implements Resolver. An identifier with no route is
// ErrUnsupportedMethod.
func (m *MultiResolver) Resolve(ctx context.Context, vm string) (*VerificationMethod, error) {
	key, err := routeOf(vm)
	if err != nil {
		return nil, resolutionError(vm, "", err)
	}
	r, ok := m.routes[key]
	if !ok {
		return nil, resolutionError(vm, "", fmt.Errorf("%w: %q", ErrUnsupportedMethod, key))
	}
	return r.Resolve(ctx, vm)
}

// routeOf returns "did:<method>" for a DID URL and the lower-case scheme for
// any other URL.
func routeOf(id string) (string, error) {
	if rest, ok := strings.CutPrefix(id, "did:"); ok {
		method, _, ok := strings.Cut(rest, ":")
		if !ok || method == "" {
			return "", fmt.Errorf("%w: DID without a method", ErrInvalidURL)
		}
		for _, c := range method {
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
				return "", fmt.Errorf("%w: DID method name %q", ErrInvalidURL, truncate(method))
			}
		}
		return "did:" + method, nil
	}
	scheme, _, ok := strings.Cut(id, ":")
	if !ok || scheme == "" {
		return "", fmt.Errorf("%w: %q is not an absolute URL", ErrInvalidURL, truncate(id))
	}
	return strings.ToLower(scheme), nil
}

// Chain tries resolvers in order and returns the first method found. It
// moves to the next resolver only on ErrNotFound or ErrUnsupportedMethod, so
// a network or validation failure is never masked.
type Chain []Resolver

// Resolve implements Resolver.
func (c Chain) Resolve(ctx context.Context, vm string) (*VerificationMethod, error) {
	err := resolutionError(vm, "", fmt.Errorf("%w: no resolver configured", ErrUnsupportedMethod))
	for _, r := range c {
		var got *VerificationMethod
		got, err = r.Resolve(ctx, vm)
		if err == nil {
			return got, nil
		}
		if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrUnsupportedMethod) {
			return nil, err
		}
	}
	return nil, err
}

// NewResolver returns the usual resolver: pinned keys first (if pinned is
// not nil), then did:key and did:jwk locally, and did:web and https through
// fetcher. With a nil fetcher, did:web and https identifiers fail with
// ErrNetworkDisabled.
func NewResolver(fetcher Fetcher, pinned *StaticResolver) Resolver {
	m := NewMultiResolver(map[string]Resolver{
		"did:key": DIDKeyResolver{},
		"did:jwk": DIDJWKResolver{},
		"did:web": &DIDWebResolver{Fetcher: fetcher},
		"https":   &HTTPSResolver{Fetcher: fetcher},
	})
	if pinned == nil {
		return m
	}
	return Chain{pinned, m}
}
