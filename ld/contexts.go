package ld

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/microcred/microcred/fetch"
)

// Well-known context URLs.
const (
	CredentialsV2URL    = "https://www.w3.org/ns/credentials/v2"
	CredentialsV1URL    = "https://www.w3.org/2018/credentials/v1"
	DataIntegrityV2URL  = "https://w3id.org/security/data-integrity/v2"
	DataIntegrityV1URL  = "https://w3id.org/security/data-integrity/v1"
	MultikeyV1URL       = "https://w3id.org/security/multikey/v1"
	JWKV1URL            = "https://w3id.org/security/jwk/v1"
	Ed25519Suite2020URL = "https://w3id.org/security/suites/ed25519-2020/v1"
	DIDV1URL            = "https://www.w3.org/ns/did/v1"
	OB303URL            = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	OB302URL            = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"
	OB301URL            = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"
	OBExtensionsURL     = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
	// EUMicroCredentialV1URL is microcred's context for the EU Council
	// Recommendation micro-credential elements (docs/eu-profile).
	EUMicroCredentialV1URL = "https://w3id.org/microcred/eu/v1"
)

//go:embed contexts/*.json contexts/*.jsonld
var contextFS embed.FS

// pinned maps each embedded context URL to its file and the SHA-256 of the
// file's bytes. The hashes are those of the published documents (see
// ld/contexts/SOURCES.md); a mismatch means the embedded copy was altered,
// and such a context is never served.
var pinned = map[string]struct{ file, sha256 string }{
	"https://www.w3.org/ns/credentials/v2":                           {"credentials-v2.jsonld", "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"},
	"https://www.w3.org/2018/credentials/v1":                         {"credentials-v1.jsonld", "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc"},
	"https://www.w3.org/ns/credentials/undefined-terms/v2":           {"credentials-undefined-terms-v2.jsonld", "82dab514ba44eb18f5d1b0f638c5e140c6a556fbfb5089601bdc0fa5eb8b2581"},
	"https://www.w3.org/ns/credentials/examples/v2":                  {"credentials-examples-v2.jsonld", "57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c"},
	"https://w3id.org/security/data-integrity/v1":                    {"data-integrity-v1.jsonld", "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554"},
	"https://w3id.org/security/data-integrity/v2":                    {"data-integrity-v2.jsonld", "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4"},
	"https://w3id.org/security/multikey/v1":                          {"multikey-v1.jsonld", "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597"},
	"https://w3id.org/security/jwk/v1":                               {"jwk-v1.jsonld", "0f14b62f6071aafe00df265770ea0c7508e118247d79b7d861a406d2aa00bece"},
	"https://w3id.org/security/suites/ed25519-2020/v1":               {"ed25519-signature-2020-v1.jsonld", "b9e1ab971fd8bf2c7553e0c4a9438e0b9450afde1ea1ca5b2492368b9f549588"},
	"https://www.w3.org/ns/did/v1":                                   {"did-v1.jsonld", "62c1054bf404d6dd3a4b26b64f830fd72095f6a26edc4469908c94351352ce5f"},
	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json":     {"ob-v3p0-context-3.0.3.json", "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761"},
	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json":     {"ob-v3p0-context-3.0.2.json", "00666ad080ba407687ed1846b7f5e7495f5019042b202a727de47c48a1755c53"},
	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json":     {"ob-v3p0-context-3.0.1.json", "d582f3564282fb3b709136d28412e78e70b678b4dbc2f0221f67d84932748355"},
	"https://purl.imsglobal.org/spec/ob/v3p0/context.json":           {"ob-v3p0-context-unversioned.json", "b077fa134d909d92c1dcd1c153f2af1b244aeb415967fdc1467d7fc5dd48ac10"},
	"https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld": {"ob-v3p0-context-unversioned.json", "b077fa134d909d92c1dcd1c153f2af1b244aeb415967fdc1467d7fc5dd48ac10"},
	"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json":        {"ob-v3p0-extensions.json", "146f85aa16effd7ca1da8056eb443f53ce1eca8a34186cb062832c0a97d889c3"},
	"https://w3id.org/citizenship/v4rc1":                             {"citizenship-v4rc1.jsonld", "a89b0bc00b1848ac3dfdf956c7dd5de8567e755351c07ec6a1c2b4a08b67953b"},
	"https://w3id.org/microcred/eu/v1":                               {"microcred-eu-v1.jsonld", "0df620fcf7fd67fbfe306cad8a4261b5875a8e6178fa66ff4b550d14cbf285fe"},
}

// MaxContextBytes is the largest context document the loader accepts, from
// Register or from the network.
const MaxContextBytes = 1 << 20

// maxContextDepth bounds the JSON nesting of a context document.
const maxContextDepth = 64

// Document is a JSON-LD document known to a Loader.
type Document struct {
	// URL is the URL the document is registered under.
	URL string
	// Bytes are the exact bytes of the document. Callers must not modify them.
	Bytes []byte
	// SHA256 is the hex SHA-256 of Bytes.
	SHA256 string
	// Embedded reports whether the document is one of the pinned, embedded
	// contexts.
	Embedded bool

	parsed any
}

// EmbeddedContexts returns the URLs of the contexts embedded in this
// package, sorted.
func EmbeddedContexts() []string {
	urls := make([]string, 0, len(pinned))
	for u := range pinned {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	return urls
}

// embedded holds the verified embedded documents, built once.
var embedded = sync.OnceValue(func() map[string]*Document {
	docs := make(map[string]*Document, len(pinned))
	for u, p := range pinned {
		b, err := contextFS.ReadFile("contexts/" + p.file)
		if err != nil {
			continue
		}
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != p.sha256 {
			// An altered embedded context is never served; Load reports it.
			continue
		}
		v, err := decodeContext(b)
		if err != nil {
			continue
		}
		docs[u] = &Document{URL: u, Bytes: b, SHA256: p.sha256, Embedded: true, parsed: v}
	}
	return docs
})

// RemoteOptions allow a Loader to fetch contexts that are neither embedded
// nor registered.
type RemoteOptions struct {
	// Fetcher fetches context documents. Use a *fetch.HTTP whose
	// allow-list names the hosts contexts may come from; it enforces HTTPS,
	// the timeout and the byte limit. Documents larger than
	// MaxContextBytes are refused here in any case. Nil fetches nothing.
	Fetcher fetch.Fetcher
	// CacheTTL is how long a fetched, parsed context is kept; zero means
	// one hour. Fetched contexts are never treated as pinned.
	CacheTTL time.Duration
}

// Loader resolves context URLs to documents. The embedded contexts are
// always available; others come from Register or, when RemoteOptions allow
// the host, from the network. A Loader is safe for concurrent use.
type Loader struct {
	mu       sync.RWMutex
	local    map[string]*Document
	remote   *RemoteOptions
	cache    map[string]cachedDoc
	now      func() time.Time
	procSlot any // *procCache, see expander_context.go; Register resets it
}

type cachedDoc struct {
	doc     *Document
	expires time.Time
}

// NewLoader returns a Loader with the embedded contexts. remote may be nil
// (or have no Fetcher), which means no network access at all.
func NewLoader(remote *RemoteOptions) *Loader {
	l := &Loader{local: map[string]*Document{}, cache: map[string]cachedDoc{}, now: time.Now}
	if remote != nil && remote.Fetcher != nil {
		r := *remote
		if r.CacheTTL == 0 {
			r.CacheTTL = time.Hour
		}
		l.remote = &r
	}
	return l
}

var defaultLoader = NewLoader(nil)

// DefaultLoader returns the package's shared Loader: the embedded contexts
// plus whatever was added with Register. It never uses the network.
func DefaultLoader() *Loader { return defaultLoader }

// Register adds a context to the default Loader. See (*Loader).Register.
func Register(url string, data []byte) error { return defaultLoader.Register(url, data) }

// Register makes data available as the document at url. The data must be a
// JSON object (a context document) of at most MaxContextBytes. An embedded
// context cannot be replaced: registering different bytes under an embedded
// URL is an error, so a caller cannot weaken the pinned vocabularies by
// mistake.
func (l *Loader) Register(u string, data []byte) error {
	if _, err := url.Parse(u); err != nil || !strings.Contains(u, ":") {
		return fmt.Errorf("ld: register %q: not an absolute URL", u)
	}
	if len(data) > MaxContextBytes {
		return fmt.Errorf("ld: register %q: document is %d bytes, limit %d", u, len(data), MaxContextBytes)
	}
	if e, ok := embedded()[u]; ok {
		if bytes.Equal(e.Bytes, data) {
			return nil
		}
		return fmt.Errorf("ld: register %q: an embedded, pinned context cannot be replaced", u)
	}
	v, err := decodeContext(data)
	if err != nil {
		return fmt.Errorf("ld: register %q: %w", u, err)
	}
	sum := sha256.Sum256(data)
	b := bytes.Clone(data)
	l.mu.Lock()
	l.local[u] = &Document{URL: u, Bytes: b, SHA256: hex.EncodeToString(sum[:]), parsed: v}
	l.procSlot = nil
	l.mu.Unlock()
	return nil
}

// ErrContextNotFound is returned (wrapped) when a context URL is neither
// embedded, registered nor allowed to be fetched.
var ErrContextNotFound = errors.New("context not available offline")

// Load returns the document for url.
func (l *Loader) Load(ctx context.Context, u string) (*Document, error) {
	if d, ok := embedded()[u]; ok {
		return d, nil
	}
	if _, ok := pinned[u]; ok {
		return nil, fmt.Errorf("ld: embedded context %s failed its SHA-256 check", u)
	}
	l.mu.RLock()
	d, ok := l.local[u]
	c, cached := l.cache[u]
	l.mu.RUnlock()
	if ok {
		return d, nil
	}
	if cached && l.now().Before(c.expires) {
		return c.doc, nil
	}
	if l.remote == nil {
		return nil, fmt.Errorf("ld: %s: %w (register it, or give the loader a fetcher that allows its host)", u, ErrContextNotFound)
	}
	d, err := l.fetch(ctx, u)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.cache[u] = cachedDoc{doc: d, expires: l.now().Add(l.remote.CacheTTL)}
	l.mu.Unlock()
	return d, nil
}

func (l *Loader) fetch(ctx context.Context, u string) (*Document, error) {
	b, err := l.remote.Fetcher.Fetch(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("ld: context %s: %w: %w", u, ErrContextNotFound, err)
	}
	if len(b) > MaxContextBytes {
		return nil, fmt.Errorf("ld: context %s: larger than %d bytes", u, MaxContextBytes)
	}
	v, err := decodeContext(b)
	if err != nil {
		return nil, fmt.Errorf("ld: context %s: %w", u, err)
	}
	sum := sha256.Sum256(b)
	return &Document{URL: u, Bytes: b, SHA256: hex.EncodeToString(sum[:]), parsed: v}, nil
}

// decodeContext parses a context document: a JSON object, bounded in depth.
func decodeContext(b []byte) (any, error) {
	if err := checkDepth(b, maxContextDepth); err != nil {
		return nil, err
	}
	// Numbers stay float64: context processing compares "@version" with 1.1.
	dec := json.NewDecoder(bytes.NewReader(b))
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("invalid JSON: data after the document")
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, errors.New("a context document must be a JSON object")
	}
	return v, nil
}

// checkDepth rejects JSON nested deeper than max without decoding it.
func checkDepth(b []byte, max int) error {
	depth, inString, escaped := 0, false, false
	for _, c := range b {
		switch {
		case inString:
			if escaped {
				escaped = false
			} else if c == '\\' {
				escaped = true
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > max {
				return fmt.Errorf("JSON nested deeper than %d levels", max)
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}

// contextFileName returns the embedded file behind a pinned URL (for docs
// and tests).
func contextFileName(u string) string { return path.Base(pinned[u].file) }
