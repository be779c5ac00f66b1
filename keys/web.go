package keys

import (
	"github.com/microcred/microcred/internal/jsonx"

	"context"
	"crypto/ed25519"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/microcred/microcred/internal/multibase"
)

// DIDWebURL returns the HTTPS URL of the DID document of a did:web DID,
// following https://w3c-ccg.github.io/did-method-web/:
//
//	did:web:example.com               → https://example.com/.well-known/did.json
//	did:web:example.com:user:alice    → https://example.com/user/alice/did.json
//	did:web:localhost%3A8443          → https://localhost:8443/.well-known/did.json
//
// The host must be a DNS name or IPv4 address with an optional
// percent-encoded port; path segments may use ALPHA, DIGIT, ".", "-", "_"
// and percent-encoding, but may not be empty, "." or "..", nor encode "/"
// or "\". A fragment, query or "/" in the DID is an error.
func DIDWebURL(did string) (string, error) {
	msid, ok := strings.CutPrefix(did, "did:web:")
	if !ok {
		return "", fmt.Errorf("%w: %q is not a did:web DID", ErrInvalidURL, truncate(did))
	}
	if msid == "" || strings.ContainsAny(msid, "#?/") {
		return "", fmt.Errorf("%w: did:web %q: empty, or contains '#', '?' or '/'", ErrInvalidURL, truncate(did))
	}
	parts := strings.Split(msid, ":")
	host, err := didWebHost(parts[0])
	if err != nil {
		return "", fmt.Errorf("%w: did:web %q: %v", ErrInvalidURL, truncate(did), err)
	}
	var b strings.Builder
	b.WriteString("https://")
	b.WriteString(host)
	if len(parts) == 1 {
		b.WriteString("/.well-known/did.json")
		return b.String(), nil
	}
	for _, seg := range parts[1:] {
		if err := checkDIDWebSegment(seg); err != nil {
			return "", fmt.Errorf("%w: did:web %q: path segment %q: %v", ErrInvalidURL, truncate(did), truncate(seg), err)
		}
		b.WriteByte('/')
		b.WriteString(seg)
	}
	b.WriteString("/did.json")
	return b.String(), nil
}

// didWebHost decodes and checks the host[%3Aport] part of a did:web.
func didWebHost(enc string) (string, error) {
	host, port := enc, ""
	// Find "%3A" or "%3a" by bytes: strings.ToLower could change the length
	// of non-ASCII input and misplace the index.
	i := strings.Index(enc, "%3A")
	if j := strings.Index(enc, "%3a"); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i >= 0 {
		host, port = enc[:i], enc[i+3:]
		p, err := strconv.Atoi(port)
		if err != nil || p < 1 || p > 65535 || port[0] == '0' {
			return "", fmt.Errorf("invalid port %q", port)
		}
	}
	if host == "" || len(host) > 253 {
		return "", fmt.Errorf("invalid host length")
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return "", fmt.Errorf("invalid host %q", host)
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return "", fmt.Errorf("invalid character %q in host", c)
			}
		}
	}
	if port != "" {
		return host + ":" + port, nil
	}
	return host, nil
}

// checkDIDWebSegment validates one ':'-separated path segment of a did:web.
func checkDIDWebSegment(seg string) error {
	if seg == "" {
		return fmt.Errorf("empty")
	}
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-', c == '_':
		case c == '%':
			if i+2 >= len(seg) || !isHex(seg[i+1]) || !isHex(seg[i+2]) {
				return fmt.Errorf("bad percent-encoding")
			}
			i += 2
		default:
			return fmt.Errorf("invalid character %q", c)
		}
	}
	dec, err := url.PathUnescape(seg)
	if err != nil {
		return err
	}
	if dec == "." || dec == ".." || strings.ContainsAny(dec, "/\\") {
		return fmt.Errorf("dot segment or encoded slash")
	}
	return nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// DIDWebResolver resolves did:web verification methods by fetching the DID
// document through Fetcher. A nil Fetcher fails with ErrNetworkDisabled.
//
// Checks: the document's id must be the DID; the method (matched by its
// absolute id, relative ids like "#key-1" resolved against the DID) must be
// defined in the document; its controller must be the DID.
type DIDWebResolver struct {
	Fetcher Fetcher
}

// Resolve implements Resolver.
func (r *DIDWebResolver) Resolve(ctx context.Context, vm string) (*VerificationMethod, error) {
	did, _, _ := strings.Cut(vm, "#")
	docURL, err := DIDWebURL(did)
	if err != nil {
		return nil, resolutionError(vm, "", err)
	}
	return resolveRemote(ctx, r.Fetcher, vm, did, docURL)
}

// HTTPSResolver resolves verification methods identified by HTTPS URLs
// ("https://issuer.example/issuer#key-1", "https://issuer.example/keys/1"),
// following the "retrieve verification method" algorithm of W3C Controlled
// Identifiers 1.0: fetch the URL without its fragment; the document's id
// must equal that URL; the method must be found in it by id; its controller
// must be the document's id. A nil Fetcher fails with ErrNetworkDisabled.
type HTTPSResolver struct {
	Fetcher Fetcher
}

// Resolve implements Resolver.
func (r *HTTPSResolver) Resolve(ctx context.Context, vm string) (*VerificationMethod, error) {
	u, err := url.Parse(vm)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" {
		return nil, resolutionError(vm, "", fmt.Errorf("%w: want an absolute https URL", ErrInvalidURL))
	}
	docURL, _, _ := strings.Cut(vm, "#")
	return resolveRemote(ctx, r.Fetcher, vm, docURL, docURL)
}

// resolveRemote fetches docURL and finds vm in it; docID is the id the
// document must have.
func resolveRemote(ctx context.Context, f Fetcher, vm, docID, docURL string) (*VerificationMethod, error) {
	if f == nil {
		return nil, resolutionError(vm, docURL, ErrNetworkDisabled)
	}
	body, err := f.Fetch(ctx, docURL)
	if err != nil {
		return nil, resolutionError(vm, docURL, err)
	}
	got, err := FindVerificationMethod(body, docID, vm)
	if err != nil {
		return nil, resolutionError(vm, docURL, err)
	}
	return got, nil
}

// FindVerificationMethod parses a controller document (a DID document or a
// Controlled Identifiers document) whose id must be docID, and returns the
// verification method whose id is vmID. It is what DIDWebResolver and
// HTTPSResolver do after fetching, exposed for documents obtained otherwise.
//
// Methods may be declared under "verificationMethod" or embedded in a
// relationship array; relationship entries may be embedded objects or
// (absolute or relative) string references. The result's Relationships list
// every relationship that references the method. A method defined twice with
// different content, a method whose controller is not docID, and a method
// that publishes private key material are errors.
func FindVerificationMethod(doc []byte, docID, vmID string) (*VerificationMethod, error) {
	m, err := jsonObject(doc, "controller document")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	id, err := optString(m, "id", "")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidDocument, err)
	}
	if id != docID {
		return nil, fmt.Errorf("%w: document id is %q, want %q", ErrDocumentID, truncate(id), docID)
	}

	var (
		found    map[string]any
		foundPtr string
		rels     []Relationship
	)
	consider := func(obj map[string]any, ptr string) error {
		oid, err := optString(obj, "id", ptr)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrInvalidDocument, err)
		}
		if resolveRef(docID, oid) != vmID {
			return nil
		}
		if found != nil && !reflect.DeepEqual(found, obj) {
			return fmt.Errorf("%w: method %q is defined at %s and differently at %s", ErrInvalidDocument, truncate(vmID), foundPtr, ptr)
		}
		if found == nil {
			found, foundPtr = obj, ptr
		}
		return nil
	}

	if v, ok := m["verificationMethod"]; ok {
		arr, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%w: /verificationMethod is %s, want an array", ErrInvalidDocument, jsonx.Kind(v))
		}
		for i, e := range arr {
			ptr := "/verificationMethod/" + strconv.Itoa(i)
			obj, ok := e.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%w: %s is %s, want an object", ErrInvalidDocument, ptr, jsonx.Kind(e))
			}
			if err := consider(obj, ptr); err != nil {
				return nil, err
			}
		}
	}
	for _, rel := range relationships {
		v, ok := m[string(rel)]
		if !ok {
			continue
		}
		arr, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%w: /%s is %s, want an array", ErrInvalidDocument, rel, jsonx.Kind(v))
		}
		listed := false
		for i, e := range arr {
			ptr := "/" + string(rel) + "/" + strconv.Itoa(i)
			switch e := e.(type) {
			case string:
				if resolveRef(docID, e) == vmID {
					listed = true
				}
			case map[string]any:
				oid, _ := e["id"].(string)
				if resolveRef(docID, oid) == vmID {
					listed = true
				}
				if err := consider(e, ptr); err != nil {
					return nil, err
				}
			default:
				return nil, fmt.Errorf("%w: %s is %s, want a string or an object", ErrInvalidDocument, ptr, jsonx.Kind(e))
			}
		}
		if listed {
			rels = append(rels, rel)
		}
	}
	if found == nil {
		return nil, fmt.Errorf("%w: %q is not defined in the document", ErrNotFound, truncate(vmID))
	}
	vm, err := methodFromObject(found, foundPtr, docID)
	if err != nil {
		return nil, err
	}
	vm.ID = vmID
	vm.Relationships = rels
	return vm, nil
}

// resolveRef resolves a possibly relative method reference against the
// document id: "#frag" appends to the id; for an https id, other relative
// references resolve as URLs. Absolute references are returned unchanged.
func resolveRef(base, ref string) string {
	if ref == "" {
		return ""
	}
	if ref[0] == '#' {
		b, _, _ := strings.Cut(base, "#")
		return b + ref
	}
	if strings.Contains(ref, ":") {
		return ref
	}
	if strings.HasPrefix(base, "https://") {
		bu, err := url.Parse(base)
		if err != nil {
			return ref
		}
		ru, err := url.Parse(ref)
		if err != nil {
			return ref
		}
		return bu.ResolveReference(ru).String()
	}
	return ref
}

// methodFromObject reads the verification method object found at ptr.
func methodFromObject(obj map[string]any, ptr, docID string) (*VerificationMethod, error) {
	typ, err := optString(obj, "type", ptr)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidDocument, err)
	}
	ctrl, err := optString(obj, "controller", ptr)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidDocument, err)
	}
	if ctrl == "" {
		return nil, fmt.Errorf("%w: %s has no controller", ErrInvalidDocument, ptr)
	}
	if c := resolveRef(docID, ctrl); c != docID {
		return nil, fmt.Errorf("%w: %s/controller is %q, document id is %q", ErrControllerMismatch, ptr, truncate(ctrl), docID)
	}
	for _, secret := range []string{"secretKeyMultibase", "privateKeyMultibase", "privateKeyJwk", "privateKeyBase58"} {
		if _, ok := obj[secret]; ok {
			return nil, fmt.Errorf("%w: %s publishes private key material (%s)", ErrInvalidDocument, ptr, secret)
		}
	}
	vm := &VerificationMethod{Type: typ, Controller: docID}
	keyErr := func(member string, err error) error {
		return fmt.Errorf("%s/%s: %w", ptr, member, err)
	}
	switch typ {
	case TypeMultikey, TypeEd25519VerificationKey2020:
		mb, err := optString(obj, "publicKeyMultibase", ptr)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidDocument, err)
		}
		if mb == "" {
			return nil, fmt.Errorf("%w: %s (%s) has no publicKeyMultibase", ErrInvalidDocument, ptr, typ)
		}
		pub, err := ParseMultikey(mb)
		if err != nil {
			return nil, keyErr("publicKeyMultibase", err)
		}
		if _, ok := pub.(ed25519.PublicKey); typ == TypeEd25519VerificationKey2020 && !ok {
			return nil, keyErr("publicKeyMultibase", fmt.Errorf("%w: %s holds a %T", ErrInvalidKey, typ, pub))
		}
		vm.PublicKey = pub
	case TypeEd25519VerificationKey2018:
		s, err := optString(obj, "publicKeyBase58", ptr)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidDocument, err)
		}
		if len(s) > maxMultikeyLen {
			return nil, keyErr("publicKeyBase58", fmt.Errorf("%w: too long", ErrInvalidKey))
		}
		raw, err := multibase.DecodeBase58(s)
		if err != nil {
			return nil, keyErr("publicKeyBase58", fmt.Errorf("%w: %w", ErrInvalidKey, err))
		}
		if len(raw) != ed25519.PublicKeySize {
			return nil, keyErr("publicKeyBase58", fmt.Errorf("%w: %d bytes, want %d", ErrInvalidKey, len(raw), ed25519.PublicKeySize))
		}
		vm.PublicKey = ed25519.PublicKey(raw)
	case TypeJSONWebKey, TypeJSONWebKey2020:
		v, ok := obj["publicKeyJwk"]
		if !ok {
			return nil, fmt.Errorf("%w: %s (%s) has no publicKeyJwk", ErrInvalidDocument, ptr, typ)
		}
		jm, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: %s/publicKeyJwk is %s, want an object", ErrInvalidDocument, ptr, jsonx.Kind(v))
		}
		j, err := jwkFromMap(jm, ptr+"/publicKeyJwk")
		if err != nil {
			return nil, err
		}
		if j.IsPrivate() {
			return nil, fmt.Errorf("%w: %s/publicKeyJwk contains private key members", ErrInvalidDocument, ptr)
		}
		pub, err := j.PublicKey()
		if err != nil {
			return nil, keyErr("publicKeyJwk", err)
		}
		vm.PublicKey, vm.JWK = pub, j
	case "":
		return nil, fmt.Errorf("%w: %s has no type", ErrInvalidDocument, ptr)
	default:
		return nil, fmt.Errorf("%w: %s has verification method type %q", ErrUnsupportedKey, ptr, truncate(typ))
	}
	return vm, nil
}
