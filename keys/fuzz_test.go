package keys

import (
	"github.com/microcred/microcred/fetch"

	"context"
	"encoding/json"
	"errors"
	"net/url"
	"path"
	"strings"
	"testing"
)

// Fuzz targets for every parser of untrusted input. Each checks that the
// parser never panics, that successful results are internally consistent, and
// that errors wrap one of the package's sentinel errors.

func isKnownError(err error) bool {
	for _, e := range []error{ErrInvalidKey, ErrUnsupportedKey, ErrInvalidJSON, ErrNotFound, ErrInvalidDocument,
		ErrDocumentID, ErrControllerMismatch, ErrInvalidURL, ErrUnsupportedMethod} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func FuzzParseMultikey(f *testing.F) {
	for _, s := range []string{
		"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
		"z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ", "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
		"z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN", "zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx", "z", "u7QE",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if pub, err := ParseMultikey(s); err == nil {
			again, err := EncodeMultikey(pub)
			if err != nil {
				t.Fatalf("parsed key does not re-encode: %v", err)
			}
			back, err := ParseMultikey(again)
			if err != nil || !PublicKeysEqual(back, pub) {
				t.Fatalf("re-encoded key does not parse back: %v", err)
			}
		} else if !isKnownError(err) {
			t.Fatalf("unclassified error: %v", err)
		}
		if priv, err := ParsePrivateMultikey(s); err == nil {
			if _, err := EncodePrivateMultikey(priv); err != nil {
				t.Fatalf("parsed private key does not re-encode: %v", err)
			}
		} else if !isKnownError(err) {
			t.Fatalf("unclassified error: %v", err)
		}
	})
}

func FuzzParseDIDKey(f *testing.F) {
	for _, s := range []string{
		"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
		"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
		"did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP#zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
		"did:key:z", "did:key:", "did:key:z6Mk#x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vm, err := DIDKeyResolver{}.Resolve(context.Background(), s)
		if err != nil {
			if !isKnownError(err) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		did, err := DIDKey(vm.PublicKey)
		if err != nil || did != vm.Controller {
			t.Fatalf("DIDKey = %q, %v; controller %q", did, err, vm.Controller)
		}
		if s != did && s != vm.ID {
			t.Fatalf("accepted %q which is neither %q nor %q", s, did, vm.ID)
		}
	})
}

func FuzzParseDIDJWK(f *testing.F) {
	for _, s := range []string{
		"did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9#0",
		"did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6Ik8yb252TTYycEMxaW82alFLbThOYzJVeUZYY2Q0a09tT3NCSW9ZdFoyaWsifQ",
		"did:jwk:e30", "did:jwk:", "did:jwk:W10",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vm, err := DIDJWKResolver{}.Resolve(context.Background(), s)
		if err != nil {
			if !isKnownError(err) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if vm.JWK == nil || vm.JWK.IsPrivate() || vm.ID != vm.Controller+"#0" {
			t.Fatalf("inconsistent VM %+v", vm)
		}
		if _, err := DIDJWK(vm.PublicKey); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzParseJWK(f *testing.F) {
	f.Add([]byte(`{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`))
	f.Add([]byte(`{"kty":"EC","crv":"P-256","x":"WfTi93YuhsQxKbD0ftnjOXJndqhnJ5kgDV-ZDGyrhBQ","y":"qUd_55EjX0mjKZ6W6mF4UXVYTQ41K6jfdnYFwN5uPyk","d":"J_a5KH6A2Ru7iOAzvUkQEjKCJQCdxUXVajaW3CaPORs"}`))
	f.Add([]byte(`{"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"}`))
	f.Add([]byte(`{"kty":"EC","kty":"EC"}`))
	f.Add([]byte(`[[[[[[[[[[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := ParseJWK(b)
		if err != nil {
			if !isKnownError(err) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		pub, err := j.PublicKey()
		if err != nil {
			if !isKnownError(err) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if _, err := Thumbprint(pub); err != nil {
			t.Fatal(err)
		}
		if priv, err := j.PrivateKey(); err == nil {
			if !PublicKeysEqual(priv.Public(), pub) {
				t.Fatal("private key does not match public key")
			}
		} else if !isKnownError(err) {
			t.Fatalf("unclassified error: %v", err)
		}
		// Encoding the parsed key again gives a JWK that parses to the same key.
		pj, err := PublicJWK(pub)
		if err != nil {
			t.Fatal(err)
		}
		enc, _ := json.Marshal(pj)
		j2, err := ParseJWK(enc)
		if err != nil {
			t.Fatal(err)
		}
		if pub2, err := j2.PublicKey(); err != nil || !PublicKeysEqual(pub, pub2) {
			t.Fatalf("re-encoded JWK: %v", err)
		}
	})
}

func FuzzFindVerificationMethod(f *testing.F) {
	const did = "did:web:example.com"
	f.Add([]byte(`{"id":"did:web:example.com","verificationMethod":[{"id":"#k","type":"Multikey","controller":"did:web:example.com","publicKeyMultibase":"z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"}],"assertionMethod":["#k"]}`), "did:web:example.com#k")
	f.Add([]byte(`{"id":"did:web:example.com","assertionMethod":[{"id":"did:web:example.com#k","type":"JsonWebKey","controller":"did:web:example.com","publicKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}]}`), "did:web:example.com#k")
	f.Add([]byte(`{"id":"did:web:example.com","verificationMethod":[{"id":"#k","type":"Ed25519VerificationKey2018","controller":"did:web:example.com","publicKeyBase58":"8HH5gYEeNc3z7PYXmd54d4x6qAfCNrqQqEB3nS7Zfu7K"}],"authentication":["did:web:example.com#k",{"id":"#k"}]}`), "did:web:example.com#k")
	f.Add([]byte(`{"id":"did:web:example.com","verificationMethod":[]}`), "did:web:example.com#x")
	f.Fuzz(func(t *testing.T, doc []byte, vmID string) {
		vm, err := FindVerificationMethod(doc, did, vmID)
		if err != nil {
			if !isKnownError(err) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if vm.ID != vmID || vm.Controller != did || vm.PublicKey == nil {
			t.Fatalf("inconsistent VM %+v", vm)
		}
		if _, err := AlgorithmFor(vm.PublicKey); err != nil {
			t.Fatalf("resolved key has no algorithm: %v", err)
		}
	})
}

func FuzzFindJWK(f *testing.F) {
	f.Add([]byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"a"}]}`), "a")
	f.Add([]byte(`{"keys":[{"kty":"EC","kid":"a","use":"enc"}]}`), "a")
	f.Fuzz(func(t *testing.T, set []byte, kid string) {
		j, err := FindJWK(set, kid)
		if err != nil {
			if !isKnownError(err) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if j.Kid != kid || j.IsPrivate() {
			t.Fatalf("inconsistent JWK %+v", j)
		}
	})
}

func FuzzDIDWebURL(f *testing.F) {
	for _, s := range []string{"did:web:example.com", "did:web:example.com%3A8443:user:alice", "did:web:a:..", "did:web:a:%2F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, did string) {
		u, err := DIDWebURL(did)
		if err != nil {
			if !errors.Is(err, ErrInvalidURL) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		// The URL must pass the fetcher's checks up to the allow-list, and
		// its decoded path must have no dot segments or extra slashes.
		f := fetch.NewHTTP(nil, fetch.Options{})
		if _, err := f.Fetch(context.Background(), u); !errors.Is(err, ErrHostNotAllowed) {
			t.Fatalf("DIDWebURL(%q) = %q which the fetcher rejects for another reason: %v", did, u, err)
		}
		pu, err := url.Parse(u)
		if err != nil || path.Clean(pu.Path) != pu.Path || !strings.HasSuffix(pu.Path, "/did.json") || pu.RawQuery != "" || pu.Fragment != "" {
			t.Fatalf("DIDWebURL(%q) = %q: unsafe path %q (%v)", did, u, pu.Path, err)
		}
		if n := strings.Count(did, ":") - 2; n > 0 && strings.Count(pu.Path, "/") != n+1 {
			t.Fatalf("DIDWebURL(%q) = %q: %d path segments, want %d", did, u, strings.Count(pu.Path, "/")-1, n)
		}
	})
}
