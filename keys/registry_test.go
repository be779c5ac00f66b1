package keys

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// regKeys returns two distinct Ed25519 keys for registry tests.
func regKeys(t testing.TB) (ed25519.PrivateKey, ed25519.PrivateKey) {
	t.Helper()
	a, err := Ed25519FromSeed([]byte("registry test key A.............")[:32])
	if err != nil {
		t.Fatal(err)
	}
	b, err := Ed25519FromSeed([]byte("registry test key B.............")[:32])
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

func jwkJSON(t testing.TB, priv ed25519.PrivateKey, kid string) map[string]any {
	t.Helper()
	j, err := PublicJWK(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	j.Kid = kid
	var m map[string]any
	b, _ := json.Marshal(j)
	json.Unmarshal(b, &m)
	return m
}

// testRegistryDoc is a registry covering every decision reason.
func testRegistryDoc(t testing.TB) map[string]any {
	a, _ := regKeys(t)
	return map[string]any{
		"version": 1,
		"name":    "EC2U test registry",
		"entries": []any{
			map[string]any{
				"id":      "did:web:utu.example",
				"aliases": []any{"https://www.utu.example/issuer"},
				"name":    "University of Turku (test)",
				"country": "FI",
				"keys":    []any{jwkJSON(t, a, "did:web:utu.example#key-1")},
				"accreditedFor": []any{
					map[string]any{"credentialTypes": []any{"OpenBadgeCredential", "AchievementCredential"}, "achievementTypes": []any{"MicroCredential", "Course"}, "maxEQF": 7, "jurisdiction": "FI"},
					map[string]any{"credentialTypes": []any{"EndorsementCredential"}},
				},
				"validFrom":  "2024-01-01T00:00:00Z",
				"validUntil": "2030-01-01T00:00:00Z",
				"status":     "active",
			},
			map[string]any{"id": "did:web:unipv.example", "name": "University of Pavia (test)", "country": "IT", "status": "suspended"},
			map[string]any{"id": "https://old.example/issuer", "name": "Closed college", "status": "revoked"},
			map[string]any{"id": "did:web:open.example", "status": "active"},
		},
	}
}

func mustRegistry(t testing.TB, doc map[string]any) *FileRegistry {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseRegistry(b)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRegistryCheckReasons(t *testing.T) {
	reg := mustRegistry(t, testRegistryDoc(t))
	a, b := regKeys(t)
	at := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	ob := []string{"VerifiableCredential", "OpenBadgeCredential"}
	good := Query{Issuer: "did:web:utu.example", CredentialTypes: ob, AchievementType: "MicroCredential", EQFLevel: 6, Time: at, PublicKey: a.Public()}
	with := func(f func(*Query)) Query { q := good; f(&q); return q }
	tests := []struct {
		name   string
		q      Query
		code   ReasonCode
		reason string // substring of Decision.Reason
		entry  string // expected Entry.ID, "" for none
	}{
		{"trusted", good, ReasonTrusted, "is trusted by the registry", "did:web:utu.example"},
		{"trusted by alias", with(func(q *Query) { q.Issuer = "https://www.utu.example/issuer" }), ReasonTrusted, "matched by alias", "did:web:utu.example"},
		{"alias lookup disabled", with(func(q *Query) { q.Issuer = "https://www.utu.example/issuer"; q.NoAliases = true }), ReasonUnknownIssuer, "not in the registry", ""},
		{"unknown issuer", with(func(q *Query) { q.Issuer = "did:web:evil.example" }), ReasonUnknownIssuer, "not in the registry \"EC2U test registry\"", ""},
		{"suspended", with(func(q *Query) { q.Issuer = "did:web:unipv.example" }), ReasonSuspended, "is suspended", "did:web:unipv.example"},
		{"revoked", with(func(q *Query) { q.Issuer = "https://old.example/issuer" }), ReasonRevoked, "is revoked", "https://old.example/issuer"},
		{"not yet valid", with(func(q *Query) { q.Time = time.Date(2023, 12, 31, 23, 59, 59, 0, time.UTC) }), ReasonNotValidAtTime, "only from 2024-01-01", "did:web:utu.example"},
		{"expired", with(func(q *Query) { q.Time = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }), ReasonNotValidAtTime, "only until 2030-01-01", "did:web:utu.example"},
		{"credential type", with(func(q *Query) { q.CredentialTypes = append(ob, "EuropeanDiplomaCredential") }), ReasonCredentialType, "OpenBadgeCredential, EuropeanDiplomaCredential", "did:web:utu.example"},
		{"achievement type", with(func(q *Query) { q.AchievementType = "Degree" }), ReasonAchievementType, `"Degree"`, "did:web:utu.example"},
		{"achievement type of the other accreditation", with(func(q *Query) {
			q.CredentialTypes = []string{"VerifiableCredential", "EndorsementCredential"}
			q.AchievementType = "Degree"
		}), ReasonTrusted, "", "did:web:utu.example"},
		{"EQF too high", with(func(q *Query) { q.EQFLevel = 8 }), ReasonEQFLevel, "EQF level 8", "did:web:utu.example"},
		{"EQF out of range", with(func(q *Query) { q.EQFLevel = 9 }), ReasonEQFLevel, "EQF levels are 1 to 8", "did:web:utu.example"},
		{"EQF negative", with(func(q *Query) { q.EQFLevel = -1 }), ReasonEQFLevel, "EQF levels are 1 to 8", "did:web:utu.example"},
		{"no EQF", with(func(q *Query) { q.EQFLevel = 0 }), ReasonTrusted, "", "did:web:utu.example"},
		{"key not listed", with(func(q *Query) { q.PublicKey = b.Public(); q.VerificationMethod = "did:web:utu.example#key-2" }), ReasonKeyNotListed, `"did:web:utu.example#key-2"`, "did:web:utu.example"},
		{"no key given", with(func(q *Query) { q.PublicKey = nil }), ReasonKeyNotListed, "no key was given", "did:web:utu.example"},
		{"no restrictions", Query{Issuer: "did:web:open.example", CredentialTypes: []string{"Anything"}, EQFLevel: 8, PublicKey: b.Public()}, ReasonTrusted, "", "did:web:open.example"},
		{"zero time is now", with(func(q *Query) { q.Time = time.Time{} }), ReasonTrusted, "", "did:web:utu.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := reg.Check(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if d.Code != tt.code || d.Trusted != (tt.code == ReasonTrusted) {
				t.Fatalf("got %v %q (%s), want %q", d.Trusted, d.Code, d.Reason, tt.code)
			}
			if !strings.Contains(d.Reason, tt.reason) || d.Reason == "" || !strings.HasSuffix(d.Reason, ".") {
				t.Errorf("reason %q, want a sentence containing %q", d.Reason, tt.reason)
			}
			if d.Source != "EC2U test registry" {
				t.Errorf("source %q", d.Source)
			}
			switch {
			case tt.entry == "" && d.Entry != nil:
				t.Errorf("entry %+v, want none", d.Entry)
			case tt.entry != "" && (d.Entry == nil || d.Entry.ID != tt.entry):
				t.Errorf("entry %+v, want %s", d.Entry, tt.entry)
			}
		})
	}

	// Decisions hold copies: changing one does not change the registry.
	d, _ := reg.Check(context.Background(), good)
	d.Entry.Name = "changed"
	d.Entry.Keys[0].X = "changed"
	d.Entry.AccreditedFor[0].CredentialTypes[0] = "changed"
	if d2, _ := reg.Check(context.Background(), good); !d2.Trusted || d2.Entry.Name != "University of Turku (test)" || d2.Entry.Keys[0].X == "changed" {
		t.Errorf("registry changed through a decision: %+v", d2)
	}
	if e := reg.Lookup("did:web:utu.example", false); e == nil || e.Country != "FI" || len(e.Keys) != 1 {
		t.Errorf("Lookup: %+v", e)
	}
	if len(reg.Entries()) != 4 {
		t.Errorf("Entries: %d", len(reg.Entries()))
	}
	// A cancelled context is an error, not a decision.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := reg.Check(ctx, good); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestParseRegistryErrors(t *testing.T) {
	a, _ := regKeys(t)
	priv, _ := PrivateJWK(a)
	privMap := map[string]any{}
	pb, _ := json.Marshal(priv)
	json.Unmarshal(pb, &privMap)
	entry := func(kv ...any) map[string]any {
		m := map[string]any{"id": "did:web:a.example", "status": "active"}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
			} else {
				m[kv[i].(string)] = kv[i+1]
			}
		}
		return m
	}
	doc := func(entries ...any) string {
		b, _ := json.Marshal(map[string]any{"version": 1, "name": "t", "entries": entries})
		return string(b)
	}
	tests := []struct {
		name, data, want string
	}{
		{"not JSON", `{"version":1,`, "invalid JSON: registry at /"},
		{"duplicate member", `{"version":1,"version":1,"entries":[]}`, "at /version"},
		{"array", `[]`, "want an object"},
		{"no version", `{"entries":[]}`, "/version: missing"},
		{"version 2", `{"version":2,"entries":[]}`, "unsupported version 2"},
		{"version string", `{"version":"1","entries":[]}`, "/version"},
		{"unknown top member", `{"version":1,"entries":[],"entrys":[]}`, `/entrys: unknown member "entrys"`},
		{"no entries", `{"version":1}`, "/entries: missing"},
		{"name not string", `{"version":1,"name":1,"entries":[]}`, "/name"},
		{"entry not object", doc("x"), "/entries/0: entry is a string"},
		{"unknown entry member", doc(entry("validUnitl", "2030-01-01T00:00:00Z")), `/entries/0/validUnitl: unknown member`},
		{"no id", doc(entry("id", nil)), "/entries/0/id: empty issuer id"},
		{"relative id", doc(entry("id", "utu.example")), "/entries/0/id"},
		{"http id", doc(entry("id", "http://utu.example")), "neither a DID nor an https URL"},
		{"id with fragment", doc(entry("id", "did:web:a.example#key-1")), "/entries/0/id: issuer id \"did:web:a.example#key-1\" has a fragment"},
		{"duplicate id", doc(entry(), entry()), `/entries/1/id: duplicate issuer id "did:web:a.example"`},
		{"alias duplicates id", doc(entry(), entry("id", "did:web:b.example", "aliases", []any{"did:web:a.example"})), "/entries/1/aliases/0: duplicate"},
		{"id duplicates alias", doc(entry("aliases", []any{"https://a.example"}), entry("id", "https://a.example")), "/entries/1/id: duplicate"},
		{"alias twice in entry", doc(entry("aliases", []any{"https://a.example", "https://a.example"})), "/entries/0/aliases/1: duplicate value"},
		{"alias equals own id", doc(entry("aliases", []any{"did:web:a.example"})), "/entries/0/aliases/0: duplicate"},
		{"bad alias", doc(entry("aliases", []any{"mailto:x@y"})), "/entries/0/aliases/0"},
		{"aliases not array", doc(entry("aliases", "https://a.example")), "/entries/0/aliases: is a string"},
		{"no status", doc(entry("status", nil)), "/entries/0/status: missing"},
		{"unknown status", doc(entry("status", "paused")), `/entries/0/status: unknown status "paused"`},
		{"bad country", doc(entry("country", "Finland")), "/entries/0/country"},
		{"bad validFrom", doc(entry("validFrom", "2024-01-01")), "/entries/0/validFrom: \"2024-01-01\" is not an RFC 3339 date-time"},
		{"empty validUntil", doc(entry("validUntil", "")), "/entries/0/validUntil: empty date"},
		{"until before from", doc(entry("validFrom", "2025-01-01T00:00:00Z", "validUntil", "2024-01-01T00:00:00Z")), "/entries/0/validUntil: not after validFrom"},
		{"keys not array", doc(entry("keys", map[string]any{})), "/entries/0/keys: is an object"},
		{"key not object", doc(entry("keys", []any{"z6Mk"})), "/entries/0/keys/0: is a string"},
		{"key without kty", doc(entry("keys", []any{map[string]any{"x": "abc"}})), "/entries/0/keys/0"},
		{"bad key", doc(entry("keys", []any{map[string]any{"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}})), "/entries/0/keys/0: invalid key"},
		{"unsupported key", doc(entry("keys", []any{map[string]any{"kty": "oct", "k": "AAAA"}})), "/entries/0/keys/0"},
		{"private key", doc(entry("keys", []any{jwkJSON(t, a, ""), privMap})), "/entries/0/keys/1: JWK has private key members"},
		{"private member not string", doc(entry("keys", []any{map[string]any{"kty": "OKP", "crv": "Ed25519", "x": privMap["x"], "d": 1}})), "/entries/0/keys/0"},
		{"same key twice", doc(entry("keys", []any{jwkJSON(t, a, "k1"), jwkJSON(t, a, "k2")})), "/entries/0/keys/1: same key as /entries/0/keys/0"},
		{"accreditedFor not array", doc(entry("accreditedFor", map[string]any{})), "/entries/0/accreditedFor: is an object"},
		{"accreditation not object", doc(entry("accreditedFor", []any{1})), "/entries/0/accreditedFor/0: is a number"},
		{"unknown accreditation member", doc(entry("accreditedFor", []any{map[string]any{"maxEQL": 6}})), "/entries/0/accreditedFor/0/maxEQL: unknown member"},
		{"maxEQF 9", doc(entry("accreditedFor", []any{map[string]any{"maxEQF": 9}})), "/entries/0/accreditedFor/0/maxEQF: want an integer from 1 to 8"},
		{"maxEQF 0", doc(entry("accreditedFor", []any{map[string]any{"maxEQF": 0}})), "/entries/0/accreditedFor/0/maxEQF"},
		{"maxEQF 6.0", `{"version":1,"entries":[{"id":"did:web:a.example","status":"active","accreditedFor":[{"maxEQF":6.0}]}]}`, "/entries/0/accreditedFor/0/maxEQF"},
		{"maxEQF string", doc(entry("accreditedFor", []any{map[string]any{"maxEQF": "6"}})), "/entries/0/accreditedFor/0/maxEQF"},
		{"credential type not string", doc(entry("accreditedFor", []any{map[string]any{"credentialTypes": []any{1}}})), "/entries/0/accreditedFor/0/credentialTypes/0: want a non-empty string"},
		{"empty achievement type", doc(entry("accreditedFor", []any{map[string]any{"achievementTypes": []any{""}}})), "/entries/0/accreditedFor/0/achievementTypes/0"},
		{"jurisdiction not string", doc(entry("accreditedFor", []any{map[string]any{"jurisdiction": []any{}}})), "/entries/0/accreditedFor/0/jurisdiction"},
		{"pointer escaping", doc(entry("a/b~c", 1)), "/entries/0/a~1b~0c: unknown member"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRegistry([]byte(tt.data))
			if err == nil {
				t.Fatalf("accepted: %+v", r.Entries())
			}
			if !errors.Is(err, ErrInvalidRegistry) {
				t.Errorf("error does not wrap ErrInvalidRegistry: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadRegistryFile(t *testing.T) {
	dir := t.TempDir()
	b, _ := json.Marshal(testRegistryDoc(t))
	p := filepath.Join(dir, "reg.json")
	os.WriteFile(p, b, 0o644)
	r, err := LoadRegistryFile(p)
	if err != nil || r.Name() != "EC2U test registry" || len(r.Entries()) != 4 {
		t.Fatalf("LoadRegistryFile: %v %+v", err, r)
	}
	// No name: the path is the source.
	unnamed := filepath.Join(dir, "unnamed.json")
	os.WriteFile(unnamed, []byte(`{"version":1,"entries":[]}`), 0o644)
	if r, err := LoadRegistryFile(unnamed); err != nil || r.Name() != unnamed {
		t.Errorf("unnamed: %v %q", err, r.Name())
	}
	if r, err := ParseRegistry([]byte(`{"version":1,"entries":[]}`)); err != nil || r.Name() != "local registry" {
		t.Errorf("ParseRegistry without a name: %v %q", err, r.Name())
	}
	if _, err := LoadRegistryFile(filepath.Join(dir, "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	big := filepath.Join(dir, "big.json")
	os.WriteFile(big, append([]byte(`{"version":1,"entries":[]}`), make([]byte, MaxRegistryBytes)...), 0o644)
	if _, err := LoadRegistryFile(big); !errors.Is(err, ErrInvalidRegistry) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("big file: %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"version":1,"entries":[{"id":"did:web:a.example","status":"gone"}]}`), 0o644)
	if _, err := LoadRegistryFile(bad); err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "/entries/0/status") {
		t.Errorf("bad file: %v", err)
	}
}

func TestDCCRegistry(t *testing.T) {
	data, err := os.ReadFile("testdata/registry/dcc-community-registry.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseDCCRegistry(data)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name() != DCCRegistryName || len(r.Entries()) < 20 {
		t.Fatalf("%q, %d entries", r.Name(), len(r.Entries()))
	}
	ctx := context.Background()
	_, other := regKeys(t)
	d, err := r.Check(ctx, Query{Issuer: "did:web:participate.community", CredentialTypes: []string{"VerifiableCredential", "OpenBadgeCredential"}, EQFLevel: 5, PublicKey: other.Public()})
	if err != nil || !d.Trusted || d.Entry.Name != "Participate, Inc" || d.Entry.Location != "Chapel Hill, NC, USA" || d.Entry.URL != "https://www.participate.com" || d.Source != DCCRegistryName {
		t.Errorf("participate: %v %+v %+v", err, d, d.Entry)
	}
	// An entry without "location".
	if d, _ := r.Check(ctx, Query{Issuer: "did:key:zDnaetJXLLvjjrBYZJ43LpMAkLQM4t1n3nEPzK25Me4Xe7HWz"}); !d.Trusted || d.Entry.Location != "" || d.Entry.URL != "https://www.jff.org/" {
		t.Errorf("JFF: %+v", d)
	}
	if d, _ := r.Check(ctx, Query{Issuer: "did:web:not-listed.example"}); d.Trusted || d.Code != ReasonUnknownIssuer {
		t.Errorf("unknown: %+v", d)
	}
	// Entries are sorted, so the order does not depend on map iteration.
	es := r.Entries()
	for i := 1; i < len(es); i++ {
		if es[i-1].ID >= es[i].ID {
			t.Fatalf("entries not sorted at %d", i)
		}
	}

	for _, tt := range []struct{ name, data, want string }{
		{"no registry", `{"meta":{}}`, "/registry: missing"},
		{"registry array", `{"registry":[]}`, "/registry: missing or not an object"},
		{"meta string", `{"meta":"x","registry":{}}`, "/meta"},
		{"unknown member", `{"registry":{},"issuers":{}}`, "/issuers: unknown member"},
		{"entry string", `{"registry":{"did:web:a.example":"A"}}`, "/registry/did:web:a.example: is a string"},
		{"bad id", `{"registry":{"a.example":{"name":"A"}}}`, "/registry/a.example"},
		{"name number", `{"registry":{"did:web:a.example":{"name":1}}}`, "/registry/did:web:a.example/name"},
		{"duplicate DID", `{"registry":{"did:web:a.example":{},"did:web:a.example":{}}}`, "duplicate key"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDCCRegistry([]byte(tt.data))
			if !errors.Is(err, ErrInvalidRegistry) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestComposite(t *testing.T) {
	ctx := context.Background()
	local := mustRegistry(t, map[string]any{"version": 1, "name": "local", "entries": []any{
		map[string]any{"id": "did:web:participate.community", "status": "revoked"},
		map[string]any{"id": "did:web:local.example", "status": "active"},
	}})
	data, _ := os.ReadFile("testdata/registry/dcc-community-registry.json")
	dcc, err := ParseDCCRegistry(data)
	if err != nil {
		t.Fatal(err)
	}
	c := Composite{local, dcc}
	for _, tt := range []struct {
		issuer, source string
		code           ReasonCode
	}{
		{"did:web:participate.community", "local", ReasonRevoked}, // local knows it first
		{"did:web:local.example", "local", ReasonTrusted},
		{"did:web:interopalliance.org", DCCRegistryName, ReasonTrusted}, // local does not know it
		{"did:web:nobody.example", `"local", "DCC community registry"`, ReasonUnknownIssuer},
	} {
		d, err := c.Check(ctx, Query{Issuer: tt.issuer})
		if err != nil || d.Code != tt.code || d.Source != tt.source {
			t.Errorf("%s: %v %q from %q, want %q from %q (%s)", tt.issuer, err, d.Code, d.Source, tt.code, tt.source, d.Reason)
		}
	}
	// Reversed order: the DCC registry decides for participate.
	if d, _ := (Composite{dcc, local}).Check(ctx, Query{Issuer: "did:web:participate.community"}); !d.Trusted || d.Source != DCCRegistryName {
		t.Errorf("reversed: %+v", d)
	}
	// An error stops the search: a later registry never decides for a
	// registry that failed.
	boom := errors.New("registry unavailable")
	if _, err := (Composite{failing{boom}, dcc}).Check(ctx, Query{Issuer: "did:web:participate.community"}); !errors.Is(err, boom) {
		t.Errorf("error: %v", err)
	}
	if d, err := (Composite{}).Check(ctx, Query{Issuer: "did:web:a.example"}); err != nil || d.Trusted || d.Code != ReasonUnknownIssuer {
		t.Errorf("empty composite: %v %+v", err, d)
	}
}

type failing struct{ err error }

func (f failing) Check(context.Context, Query) (Decision, error) { return Decision{}, f.err }

func TestRegistryConcurrent(t *testing.T) {
	reg := mustRegistry(t, testRegistryDoc(t))
	a, b := regKeys(t)
	pinned := NewPinnedResolver(reg)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				key := a.Public()
				if (i+j)%2 == 1 {
					key = b.Public()
				}
				d, err := Composite{reg, DemoRegistry()}.Check(ctx, Query{Issuer: "did:web:utu.example", PublicKey: key, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
				if err != nil || d.Trusted != ((i+j)%2 == 0) {
					t.Errorf("concurrent check: %v %+v", err, d)
					return
				}
				d.Entry.Aliases[0] = "x" // callers own their copy
				if _, err := pinned.Resolve(ctx, "did:web:utu.example#key-1"); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestPinnedResolver(t *testing.T) {
	ctx := context.Background()
	a, b := regKeys(t)
	mkA, _ := EncodeMultikey(a.Public())
	mkB, _ := EncodeMultikey(b.Public())
	reg := mustRegistry(t, map[string]any{"version": 1, "entries": []any{
		// An OB 3.0 HTTPS issuer whose verification method cannot be
		// dereferenced: one key, no kid, so any method of the issuer maps to it.
		map[string]any{"id": "https://issuer.example/profiles/1", "keys": []any{jwkJSON(t, a, "")}, "status": "active"},
		// Named keys: the method id selects the key.
		map[string]any{"id": "did:web:named.example", "aliases": []any{"https://named.example/issuer"}, "keys": []any{jwkJSON(t, a, "did:web:named.example#a"), jwkJSON(t, b, "#b")}, "status": "active"},
		map[string]any{"id": "https://two.example/issuer", "keys": []any{jwkJSON(t, a, ""), jwkJSON(t, b, "")}, "status": "active"},
		map[string]any{"id": "https://gone.example/issuer", "keys": []any{jwkJSON(t, a, "")}, "status": "revoked"},
		map[string]any{"id": "https://nokeys.example/issuer", "status": "active"},
	}})
	p := NewPinnedResolver(reg)
	for _, tt := range []struct {
		vm, controller string
		key            ed25519.PrivateKey // nil: ErrNotFound
	}{
		{"https://issuer.example/profiles/1#key-1", "https://issuer.example/profiles/1", a},
		// A fragment holding another key's Multikey still gets the pinned
		// key: the fragment is a name, never a key.
		{"https://issuer.example/profiles/1#" + mkB, "https://issuer.example/profiles/1", a},
		{"https://issuer.example/profiles/1", "https://issuer.example/profiles/1", a},
		{"did:web:named.example#a", "did:web:named.example", a},
		{"did:web:named.example#b", "did:web:named.example", b},
		{"https://named.example/issuer#b", "https://named.example/issuer", b}, // alias, relative kid
		{"did:web:named.example#c", "", nil},                                  // named keys only: no fallback
		{"https://two.example/issuer#" + mkA, "", nil},                        // ambiguous
		{"https://gone.example/issuer#k", "", nil},                            // revoked entry
		{"https://nokeys.example/issuer#k", "", nil},
		{"https://unknown.example/issuer#" + mkA, "", nil},
		{"did:key:" + mkA + "#" + mkA, "", nil},
		{"not a url", "", nil},
	} {
		vm, err := p.Resolve(ctx, tt.vm)
		if tt.key == nil {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: %v %+v, want ErrNotFound", tt.vm, err, vm)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.vm, err)
			continue
		}
		if vm.ID != tt.vm || vm.Controller != tt.controller || !PublicKeysEqual(vm.PublicKey, tt.key.Public()) || !vm.Has(AssertionMethod) || vm.Type != TypeJSONWebKey || vm.JWK == nil {
			t.Errorf("%s: %+v", tt.vm, vm)
		}
	}

	// In a Chain before the usual resolver: a pinned HTTPS method resolves
	// without network, an unpinned one falls through to the usual resolver
	// (which has no fetcher here), and did:key still resolves locally.
	chain := Chain{p, NewResolver(nil, nil)}
	if vm, err := chain.Resolve(ctx, "https://issuer.example/profiles/1#"+mkA); err != nil || !PublicKeysEqual(vm.PublicKey, a.Public()) {
		t.Errorf("chain pinned: %v", err)
	}
	if _, err := chain.Resolve(ctx, "https://unknown.example/issuer#"+mkA); !errors.Is(err, ErrNetworkDisabled) {
		t.Errorf("chain unpinned: %v", err)
	}
	if vm, err := chain.Resolve(ctx, "did:key:"+mkB); err != nil || !PublicKeysEqual(vm.PublicKey, b.Public()) {
		t.Errorf("chain did:key: %v", err)
	}
	if _, err := NewPinnedResolver(nil).Resolve(ctx, "https://issuer.example/profiles/1#k"); !errors.Is(err, ErrNotFound) {
		t.Errorf("nil registry: %v", err)
	}
}

func TestDemoRegistry(t *testing.T) {
	priv, err := Ed25519FromSeed([]byte("microcred demo key: NOT SECRET!!"))
	if err != nil {
		t.Fatal(err)
	}
	did, _ := DIDKey(priv.Public())
	vmID, _ := DIDKeyURL(priv.Public())
	if did != DemoIssuerDID {
		t.Fatalf("DemoIssuerDID %s, the seed gives %s", DemoIssuerDID, did)
	}
	r := DemoRegistry()
	if r != DemoRegistry() {
		t.Error("DemoRegistry parses more than once")
	}
	if !strings.Contains(r.Name(), "DEMO ONLY") {
		t.Errorf("name %q does not say demo only", r.Name())
	}
	e := r.Lookup(did, true)
	if e == nil || len(e.Keys) != 1 || e.Keys[0].Kid != vmID {
		t.Fatalf("demo entry %+v", e)
	}
	d, err := r.Check(context.Background(), Query{Issuer: did, CredentialTypes: []string{"VerifiableCredential", "OpenBadgeCredential"},
		AchievementType: "MicroCredential", EQFLevel: 6, Time: time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC), PublicKey: priv.Public(), VerificationMethod: vmID})
	if err != nil || !d.Trusted {
		t.Errorf("demo credential: %v %+v", err, d)
	}
	if vm, err := NewPinnedResolver(r).Resolve(context.Background(), vmID); err != nil || !PublicKeysEqual(vm.PublicKey, priv.Public()) {
		t.Errorf("pinned demo key: %v", err)
	}
	// The embedded copy is the file in testdata.
	onDisk, _ := os.ReadFile("testdata/registry/demo.json")
	if string(onDisk) != string(demoRegistryJSON) {
		t.Error("embedded demo registry differs from testdata/registry/demo.json")
	}
}

func FuzzParseRegistry(f *testing.F) {
	b, _ := json.Marshal(testRegistryDoc(f))
	f.Add(b)
	demo, _ := os.ReadFile("testdata/registry/demo.json")
	f.Add(demo)
	f.Add([]byte(`{"version":1,"entries":[{"id":"did:web:a.example","aliases":["https://a.example"],"status":"suspended","accreditedFor":[{"maxEQF":3}]}]}`))
	f.Add([]byte(`{"version":1,"entries":[]}`))
	f.Add([]byte(`{"registry":{"did:web:a.example":{"name":"A"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func([]byte) (*FileRegistry, error){ParseRegistry, ParseDCCRegistry} {
			r, err := parse(data)
			if err != nil {
				if !errors.Is(err, ErrInvalidRegistry) {
					t.Fatalf("error does not wrap ErrInvalidRegistry: %v", err)
				}
				continue
			}
			for _, e := range r.Entries() {
				if checkIssuerID(e.ID) != nil || len(e.Keys) != len(e.pubs) {
					t.Fatalf("bad entry accepted: %+v", e)
				}
				for _, k := range e.Keys {
					if k.IsPrivate() {
						t.Fatalf("private key accepted: %+v", k)
					}
				}
				d, err := r.Check(context.Background(), Query{Issuer: e.ID, EQFLevel: 3})
				if err != nil || d.Entry == nil || d.Entry.ID != e.ID || d.Reason == "" {
					t.Fatalf("Check of a listed issuer: %v %+v", err, d)
				}
			}
		}
	})
}

func TestPinnedStaticResolver(t *testing.T) {
	ctx := context.Background()
	priv, _ := Ed25519FromSeed([]byte("microcred demo key: NOT SECRET!!"))
	vmID, _ := DIDKeyURL(priv.Public())
	s, err := PinnedStaticResolver(DemoRegistry(), vmID)
	if err != nil {
		t.Fatal(err)
	}
	res := NewResolver(nil, s)
	if vm, err := res.Resolve(ctx, vmID); err != nil || vm.Controller != DemoIssuerDID || !vm.Has(AssertionMethod) || vm.JWK == nil {
		t.Errorf("pinned: %v %+v", err, vm)
	}
	if _, err := PinnedStaticResolver(DemoRegistry(), vmID, "https://issuer.example/p#k"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unpinned method: %v", err)
	}
}
