package status

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/microcred/microcred/fetch"
	"github.com/microcred/microcred/internal/testserver"
	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/ld"
	"github.com/microcred/microcred/vc"
	"github.com/microcred/microcred/vc/dataintegrity"
)

type obj = map[string]any

var t0 = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

type issuerKey struct {
	signer keys.Signer
	did    string
}

func newIssuer(t testing.TB, seed byte) issuerKey {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, 32))
	did, _ := keys.DIDKey(priv.Public())
	vm, _ := keys.DIDKeyURL(priv.Public())
	s, err := keys.NewSigner(priv, vm)
	if err != nil {
		t.Fatal(err)
	}
	return issuerKey{s, did}
}

// publish signs a list (purpose, bits set at idx) as iss and serves it at path.
func publish(t testing.TB, s *testserver.Server, iss issuerKey, path, purpose string, opts CredentialOptions, idx ...int) (string, *List) {
	t.Helper()
	l, err := NewList(MinEntries, purpose)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range idx {
		if err := l.Set(i); err != nil {
			t.Fatal(err)
		}
	}
	u := s.Base + path
	opts.ID, opts.Issuer = u, iss.did
	doc, err := l.SignedCredential(context.Background(), iss.signer, opts, dataintegrity.SignOptions{Created: t0.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	s.ServeJSON(path, doc)
	return u, l
}

func newChecker(s *testserver.Server, opts Options, allowed ...string) *Checker {
	if allowed == nil {
		allowed = []string{s.Host}
	}
	if opts.Resolver == nil {
		opts.Resolver = keys.DIDKeyResolver{}
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0 }
	}
	return NewChecker(fetch.NewHTTP(s.Client(), fetch.Options{AllowedHosts: allowed, CacheTTL: -1}), opts)
}

func entry(t testing.TB, raw obj) vc.Status {
	t.Helper()
	cred := credential(t, "did:example:issuer", raw)
	st, err := cred.Status()
	if err != nil {
		t.Fatal(err)
	}
	return st[0]
}

func credential(t testing.TB, issuer string, status ...obj) *vc.Credential {
	t.Helper()
	cs := make([]any, len(status))
	for i, s := range status {
		cs[i] = s
	}
	c, err := vc.FromDocument(obj{
		"@context":          []any{ld.CredentialsV2URL},
		"id":                "urn:uuid:6a1f2c3e-0000-4000-8000-000000000001",
		"type":              []any{"VerifiableCredential"},
		"issuer":            issuer,
		"credentialSubject": obj{"id": "did:example:learner"},
		"credentialStatus":  cs,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func bitEntry(u, purpose string, index int) obj {
	return obj{"type": TypeEntry, "statusPurpose": purpose, "statusListIndex": json.Number(itoa(index)), "statusListCredential": u}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// TestFixtureRevoked: the 1EdTech credential pointing at index 23 of the
// 1EdTech test list, served on loopback, is revoked (the validator's
// verdict), the list's proof verifying with the pinned 1EdTech test key.
func TestFixtureRevoked(t *testing.T) {
	s := testserver.New(t)
	list, err := os.ReadFile(fixtureDir + "testlist")
	if err != nil {
		t.Fatal(err)
	}
	s.ServeJSON("/testlist", string(list))
	const issuer = "https://1edtech.edu/issuers/565049"
	const vm = issuer + "#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
	pub, err := keys.ParseMultikey("z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi")
	if err != nil {
		t.Fatal(err)
	}
	pinned, err := keys.NewStaticResolver(&keys.VerificationMethod{ID: vm, Type: keys.TypeMultikey, Controller: issuer,
		PublicKey: pub, Relationships: []keys.Relationship{keys.AssertionMethod}})
	if err != nil {
		t.Fatal(err)
	}
	c := newChecker(s, Options{Resolver: pinned})
	for _, name := range []string{"credential-status-revoked.json", "credential-status-revoked-blank-nodes.json"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(fixtureDir + name)
			if err != nil {
				t.Fatal(err)
			}
			orig, err := vc.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			doc := orig.Document()
			doc["credentialStatus"].(obj)["statusListCredential"] = s.Base + "/testlist"
			cred, err := vc.FromDocument(doc)
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.CheckCredential(context.Background(), cred)
			if err != nil || len(res) != 1 {
				t.Fatal(res, err)
			}
			r := res[0]
			if r.Outcome != Revoked || r.Index != 23 || r.Value != 1 || r.ListIssuer != issuer || r.CredentialIssuer != issuer {
				t.Fatalf("%+v", r)
			}
			if r.ListID != "https://example.com/credentials/status/3" {
				t.Errorf("ListID %q", r.ListID)
			}
		})
	}
	// Without the pinned key the list's proof cannot be checked: Invalid.
	c2 := newChecker(s, Options{})
	r, _ := c2.Check(context.Background(), entry(t, bitEntry(s.Base+"/testlist", PurposeRevocation, 23)))
	if r.Outcome != Invalid || !errors.Is(r.Err, ErrProof) {
		t.Fatalf("unresolvable key: %+v", r)
	}
	// The same list with the proof check skipped (index 22 is not set).
	c3 := newChecker(s, Options{SkipProofUnsafe: true})
	r, _ = c3.Check(context.Background(), entry(t, bitEntry(s.Base+"/testlist", PurposeRevocation, 22)))
	if r.Outcome != Valid {
		t.Fatalf("index 22: %+v", r)
	}
}

// TestRoundTrip: create → sign → serve → check, for revocation and
// suspension lists, through CheckCredential.
func TestRoundTrip(t *testing.T) {
	s := testserver.New(t)
	iss := newIssuer(t, 1)
	rev, _ := publish(t, s, iss, "/status/rev", PurposeRevocation, CredentialOptions{ValidFrom: t0.Add(-time.Hour)}, 5, 131071)
	sus, _ := publish(t, s, iss, "/status/sus", PurposeSuspension, CredentialOptions{}, 6)
	c := newChecker(s, Options{})
	cred := credential(t, iss.did,
		bitEntry(rev, PurposeRevocation, 5),
		bitEntry(rev, PurposeRevocation, 4),
		bitEntry(sus, PurposeSuspension, 6),
		bitEntry(sus, PurposeSuspension, 7),
		bitEntry(rev, PurposeRevocation, 131071),
	)
	res, err := c.CheckCredential(context.Background(), cred)
	if err != nil {
		t.Fatal(err)
	}
	want := []Outcome{Revoked, Valid, Suspended, Valid, Revoked}
	for i, r := range res {
		if r.Outcome != want[i] || r.Err != nil {
			t.Errorf("entry %d: %s (%v), want %s", i, r.Outcome, r.Err, want[i])
		}
		if r.ListIssuer != iss.did || r.CredentialIssuer != iss.did {
			t.Errorf("entry %d issuers %q %q", i, r.ListIssuer, r.CredentialIssuer)
		}
		if !r.Outcome.Failed() != (r.Outcome == Valid) {
			t.Errorf("Failed() of %s", r.Outcome)
		}
	}
	// The second and later entries of each list came from the cache.
	if !res[1].Cached || res[0].Cached {
		t.Errorf("cache flags %v %v", res[0].Cached, res[1].Cached)
	}
	if got := s.Hits.Load(); got != 2 {
		t.Errorf("%d requests, want 2 (one per list)", got)
	}
}

func TestCheckOutcomes(t *testing.T) {
	ctx := context.Background()
	s := testserver.New(t)
	iss := newIssuer(t, 1)
	other := newIssuer(t, 2)
	rev, _ := publish(t, s, iss, "/rev", PurposeRevocation, CredentialOptions{}, 3)
	expired, _ := publish(t, s, iss, "/expired", PurposeRevocation, CredentialOptions{ValidUntil: t0.Add(-time.Minute)})
	future, _ := publish(t, s, iss, "/future", PurposeRevocation, CredentialOptions{ValidFrom: t0.Add(time.Hour)})

	// A list whose proof is made by a key that is not its issuer's.
	l, _ := NewList(0, PurposeRevocation)
	doc, _ := l.Credential(CredentialOptions{ID: s.Base + "/wrongkey", Issuer: iss.did})
	signed, _ := dataintegrity.AddProof(ctx, doc, other.signer, dataintegrity.SignOptions{})
	s.ServeJSON("/wrongkey", signed)
	// A list changed after signing: index 9 un-revoked.
	l.Set(9)
	doc, _ = l.Credential(CredentialOptions{ID: s.Base + "/tampered", Issuer: iss.did})
	signed, _ = dataintegrity.AddProof(ctx, doc, iss.signer, dataintegrity.SignOptions{})
	l.Clear(9)
	signed["credentialSubject"].(obj)["encodedList"], _ = l.Encode()
	s.ServeJSON("/tampered", signed)
	// A signed GZIP bomb: 64 MiB of zeros.
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 64 {
		zw.Write(zeros)
	}
	zw.Close()
	doc, _ = l.Credential(CredentialOptions{ID: s.Base + "/bomb", Issuer: iss.did})
	doc["credentialSubject"].(obj)["encodedList"] = "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
	signed, _ = dataintegrity.AddProof(ctx, doc, iss.signer, dataintegrity.SignOptions{})
	s.ServeJSON("/bomb", signed)
	// A padded encodedList, signed as such.
	l.Set(1)
	doc, _ = l.Credential(CredentialOptions{ID: s.Base + "/padded", Issuer: iss.did})
	enc := doc["credentialSubject"].(obj)["encodedList"].(string)
	for len(enc[1:])%4 != 0 {
		enc += "="
	}
	doc["credentialSubject"].(obj)["encodedList"] = enc
	signed, _ = dataintegrity.AddProof(ctx, doc, iss.signer, dataintegrity.SignOptions{})
	s.ServeJSON("/padded", signed)
	// Not a status list credential.
	s.ServeJSON("/notalist", obj{"@context": []any{ld.CredentialsV2URL}, "type": []any{"VerifiableCredential"}, "issuer": iss.did, "credentialSubject": obj{"id": "did:example:x"}})
	// A message list: two bits an entry.
	ml, _ := NewListWithStatusSize(0, PurposeMessage, 2)
	ml.SetStatus(4, 2)
	doc, _ = ml.Credential(CredentialOptions{ID: s.Base + "/msg", Issuer: iss.did})
	signed, _ = dataintegrity.AddProof(ctx, doc, iss.signer, dataintegrity.SignOptions{})
	s.ServeJSON("/msg", signed)
	msgEntry, _ := ml.Entry(s.Base+"/msg", 4, StatusMessage{0, "pending"}, StatusMessage{1, "accepted"}, StatusMessage{2, "rejected"})

	c := newChecker(s, Options{})
	for _, tc := range []struct {
		name    string
		c       *Checker
		entry   obj
		outcome Outcome
		err     error
	}{
		{"revoked", c, bitEntry(rev, PurposeRevocation, 3), Revoked, nil},
		{"valid", c, bitEntry(rev, PurposeRevocation, 2), Valid, nil},
		{"index as string", c, obj{"type": TypeEntry, "statusPurpose": "revocation", "statusListIndex": "3", "statusListCredential": rev}, Revoked, nil},
		{"purpose mismatch", c, bitEntry(rev, PurposeSuspension, 3), Invalid, ErrPurposeMismatch},
		{"not found", c, bitEntry(s.Base+"/missing", PurposeRevocation, 3), Unavailable, fetch.ErrHTTPStatus},
		{"host not allowed", newChecker(s, Options{}, "example.org"), bitEntry(rev, PurposeRevocation, 3), Unavailable, fetch.ErrHostNotAllowed},
		{"custom Fetcher error", NewChecker(mapFetcher{}, Options{Resolver: keys.DIDKeyResolver{}}), bitEntry(rev, PurposeRevocation, 3), Unavailable, errNotFound},
		{"no fetcher", NewChecker(nil, Options{Resolver: keys.DIDKeyResolver{}}), bitEntry(rev, PurposeRevocation, 3), Unavailable, ErrNoFetcher},
		{"expired list", c, bitEntry(expired, PurposeRevocation, 3), Unavailable, ErrListExpired},
		{"list not yet valid", c, bitEntry(future, PurposeRevocation, 3), Unavailable, ErrListNotYetValid},
		{"key not the issuer's", c, bitEntry(s.Base+"/wrongkey", PurposeRevocation, 3), Invalid, ErrProof},
		{"tampered list", c, bitEntry(s.Base+"/tampered", PurposeRevocation, 9), Invalid, ErrProof},
		{"no resolver", NewChecker(c.fetcher, Options{Now: c.opts.Now}), bitEntry(rev, PurposeRevocation, 3), Invalid, ErrProof},
		{"gzip bomb", c, bitEntry(s.Base+"/bomb", PurposeRevocation, 3), Invalid, ErrListTooLarge},
		{"padded base64", c, bitEntry(s.Base+"/padded", PurposeRevocation, 1), Revoked, nil},
		{"not a list", c, bitEntry(s.Base+"/notalist", PurposeRevocation, 1), Invalid, ErrNotAList},
		{"index out of range", c, bitEntry(rev, PurposeRevocation, MinEntries), Invalid, ErrRange},
		{"negative index", c, obj{"type": TypeEntry, "statusPurpose": "revocation", "statusListIndex": "-1", "statusListCredential": rev}, Invalid, ErrMalformedEntry},
		{"fractional index", c, obj{"type": TypeEntry, "statusPurpose": "revocation", "statusListIndex": json.Number("1.5"), "statusListCredential": rev}, Invalid, ErrMalformedEntry},
		{"no index", c, obj{"type": TypeEntry, "statusPurpose": "revocation", "statusListCredential": rev}, Invalid, ErrMalformedEntry},
		{"no purpose", c, obj{"type": TypeEntry, "statusListIndex": "1", "statusListCredential": rev}, Invalid, ErrMalformedEntry},
		{"list not a URL", c, obj{"type": TypeEntry, "statusPurpose": "revocation", "statusListIndex": "1", "statusListCredential": "list"}, Invalid, ErrMalformedEntry},
		{"statusSize without messages", c, obj{"type": TypeEntry, "statusPurpose": "message", "statusListIndex": "1", "statusSize": json.Number("2"), "statusListCredential": s.Base + "/msg"}, Invalid, ErrMalformedEntry},
		{"message", c, msgEntry, Valid, nil},
		{"unsupported type", c, obj{"type": "StatusList2021Entry", "statusPurpose": "revocation", "statusListIndex": "1", "statusListCredential": rev}, Unsupported, ErrUnsupportedType},
		{"1EdTech list via Check", c, obj{"id": rev, "type": TypeRevocationList}, Invalid, ErrMalformedEntry},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.c.Check(ctx, entry(t, tc.entry))
			if err != nil {
				t.Fatal(err)
			}
			if r.Outcome != tc.outcome || !errors.Is(r.Err, tc.err) {
				t.Fatalf("outcome %s, err %v; want %s, %v", r.Outcome, r.Err, tc.outcome, tc.err)
			}
			if tc.name == "message" && (r.Value != 2 || r.Message != "rejected" || r.Size != 2) {
				t.Errorf("message: %+v", r)
			}
			if tc.name == "host not allowed" {
				t.Logf("reason: %v", r.Err)
			}
		})
	}
}

func TestIssuerMismatch(t *testing.T) {
	s := testserver.New(t)
	iss := newIssuer(t, 1)
	rev, _ := publish(t, s, iss, "/rev", PurposeRevocation, CredentialOptions{}, 3)
	cred := credential(t, "did:example:someone-else", bitEntry(rev, PurposeRevocation, 2))
	res, err := newChecker(s, Options{}).CheckCredential(context.Background(), cred)
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if r.Outcome != Invalid || !errors.Is(r.Err, ErrIssuerMismatch) || r.ListIssuer != iss.did || r.CredentialIssuer != "did:example:someone-else" {
		t.Fatalf("%+v", r)
	}
	res, _ = newChecker(s, Options{AllowOtherListIssuer: true}).CheckCredential(context.Background(), cred)
	if res[0].Outcome != Valid || res[0].ListIssuer != iss.did {
		t.Fatalf("allowed: %+v", res[0])
	}
}

// TestCache: a verified list is reused until the cache TTL, the list's
// ttl or its validUntil, whichever comes first.
func TestCache(t *testing.T) {
	s := testserver.New(t)
	iss := newIssuer(t, 1)
	now := t0
	clock := func() time.Time { return now }
	long, _ := publish(t, s, iss, "/long", PurposeRevocation, CredentialOptions{})
	short, _ := publish(t, s, iss, "/short", PurposeRevocation, CredentialOptions{ValidUntil: t0.Add(time.Minute)})
	ttl, _ := publish(t, s, iss, "/ttl", PurposeRevocation, CredentialOptions{TTL: 30 * time.Second})
	c := newChecker(s, Options{Now: clock, CacheTTL: 10 * time.Minute})
	check := func(u string) Result {
		r, err := c.Check(context.Background(), entry(t, bitEntry(u, PurposeRevocation, 1)))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, u := range []string{long, short, ttl} {
		if check(u).Cached || !check(u).Cached {
			t.Fatalf("%s: first fetch then cache expected", u)
		}
	}
	now = t0.Add(45 * time.Second) // past the ttl
	if !check(long).Cached || !check(short).Cached || check(ttl).Cached {
		t.Error("after 45s only the ttl list should be refetched")
	}
	now = t0.Add(2 * time.Minute) // past validUntil
	if r := check(short); r.Cached || r.Outcome != Unavailable || !errors.Is(r.Err, ErrListExpired) {
		t.Errorf("expired list: %+v", r)
	}
	now = t0.Add(11 * time.Minute) // past the cache TTL
	if check(long).Cached {
		t.Error("cache TTL not honoured")
	}
	c.ClearCache()
	if check(long).Cached {
		t.Error("ClearCache")
	}
}

func TestRevocationList(t *testing.T) {
	ctx := context.Background()
	s := testserver.New(t)
	const id = "urn:uuid:6a1f2c3e-0000-4000-8000-000000000001"
	s.ServeJSON("/revoked", obj{"id": s.Base + "/revoked", "issuer": "did:example:issuer", "revokedCredentials": []any{
		obj{"id": "urn:uuid:other"}, obj{"id": id, "revocationReason": "issued in error"}}})
	s.ServeJSON("/unrevoked", obj{"revokedCredentials": []any{obj{"id": id, "revoked": false}}})
	s.ServeJSON("/singular", obj{"revokedCredential": []any{obj{"id": id}}})
	s.ServeJSON("/empty", obj{"revokedCredentials": []any{}})
	s.ServeJSON("/bad", obj{"revokedCredentials": "all"})
	c := newChecker(s, Options{})
	for _, tc := range []struct {
		path    string
		outcome Outcome
	}{
		{"/revoked", Revoked}, {"/unrevoked", Valid}, {"/singular", Revoked}, {"/empty", Valid}, {"/bad", Invalid}, {"/missing", Unavailable},
	} {
		cred := credential(t, "did:example:issuer", obj{"id": s.Base + tc.path, "type": TypeRevocationList})
		res, err := c.CheckCredential(ctx, cred)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Outcome != tc.outcome {
			t.Errorf("%s: %s (%v), want %s", tc.path, res[0].Outcome, res[0].Err, tc.outcome)
		}
		if tc.path == "/revoked" && (res[0].Message != "issued in error" || res[0].ListIssuer != "did:example:issuer") {
			t.Errorf("%+v", res[0])
		}
	}

	// The 1EdTech fixture, its list served on loopback.
	data, err := os.ReadFile("../../testdata/ob3/validator-cases/ob30/credential-status-revoked.json")
	if err != nil {
		t.Fatal(err)
	}
	orig, err := vc.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	s.ServeJSON("/api/revocations", obj{"revokedCredentials": []any{obj{"id": orig.ID()}}})
	doc := orig.Document()
	doc["credentialStatus"].(obj)["id"] = s.Base + "/api/revocations"
	cred, err := vc.FromDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.CheckCredential(ctx, cred)
	if err != nil || res[0].Outcome != Revoked {
		t.Fatalf("fixture: %+v %v", res, err)
	}
	// Without the credential id there is nothing to look up.
	r, _ := c.CheckRevocationList(ctx, revocationEntry(s.Base+"/revoked"), "")
	if r.Outcome != Invalid {
		t.Errorf("no id: %+v", r)
	}
}

func revocationEntry(u string) vc.Status {
	return vc.Status{ID: u, Types: []string{TypeRevocationList}, Raw: obj{"id": u, "type": TypeRevocationList}}
}

func TestContextCancelled(t *testing.T) {
	s := testserver.New(t)
	iss := newIssuer(t, 1)
	rev, _ := publish(t, s, iss, "/rev", PurposeRevocation, CredentialOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newChecker(s, Options{}).Check(ctx, entry(t, bitEntry(rev, PurposeRevocation, 1))); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// TestCacheEvictionAndConcurrency: a full cache drops the entry expiring
// first; concurrent checks share it safely (run with -race).
func TestCacheEvictionAndConcurrency(t *testing.T) {
	s := testserver.New(t)
	iss := newIssuer(t, 1)
	a, _ := publish(t, s, iss, "/a", PurposeRevocation, CredentialOptions{ValidUntil: t0.Add(time.Minute)}, 1)
	b, _ := publish(t, s, iss, "/b", PurposeRevocation, CredentialOptions{}, 1)
	c := newChecker(s, Options{MaxCacheEntries: 1})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := a
			if i%2 == 1 {
				u = b
			}
			r, err := c.Check(context.Background(), entry(t, bitEntry(u, PurposeRevocation, 1)))
			if err != nil || r.Outcome != Revoked {
				t.Errorf("%+v %v", r, err)
			}
		}()
	}
	wg.Wait()
	c.mu.Lock()
	n := len(c.cache)
	c.mu.Unlock()
	if n != 1 {
		t.Errorf("cache holds %d lists, limit 1", n)
	}
}

// TestListShapes: a list whose type and statusPurpose are arrays (the
// spec allows several purposes) is read.
func TestListShapes(t *testing.T) {
	ctx := context.Background()
	s := testserver.New(t)
	iss := newIssuer(t, 1)
	l, _ := NewList(0, PurposeRevocation)
	l.Set(2)
	doc, _ := l.Credential(CredentialOptions{ID: s.Base + "/multi", Issuer: iss.did})
	sub := doc["credentialSubject"].(obj)
	sub["type"] = []any{TypeList}
	sub["statusPurpose"] = []any{PurposeRevocation, PurposeSuspension}
	signed, err := dataintegrity.AddProof(ctx, doc, iss.signer, dataintegrity.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.ServeJSON("/multi", signed)
	c := newChecker(s, Options{})
	for purpose, want := range map[string]Outcome{PurposeRevocation: Revoked, PurposeSuspension: Suspended, PurposeMessage: Invalid} {
		r, _ := c.Check(ctx, entry(t, bitEntry(s.Base+"/multi", purpose, 2)))
		if r.Outcome != want {
			t.Errorf("%s: %s (%v), want %s", purpose, r.Outcome, r.Err, want)
		}
		if r.Outcome.Warning() {
			t.Errorf("%s is not a warning", r.Outcome)
		}
	}
	if !Unavailable.Warning() || !Unsupported.Warning() || Valid.Warning() || Valid.Failed() {
		t.Error("Outcome predicates")
	}
}

// FuzzCheck feeds arbitrary status list documents and entries to Check (proof
// check skipped so the fuzzer reaches the list parsing): no panics, and every
// result has an outcome.
func FuzzCheck(f *testing.F) {
	list, _ := os.ReadFile(fixtureDir + "testlist")
	f.Add(list, `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"23","statusListCredential":"https://x.example/l"}`)
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:example:1","credentialSubject":{"type":"BitstringStatusList","statusPurpose":["message"],"ttl":-1,"encodedList":"u"}}`),
		`{"type":"BitstringStatusListEntry","statusPurpose":"message","statusListIndex":7,"statusSize":"3","statusMessage":[{"status":"0x7","message":"x"}],"statusListCredential":"https://x.example/l"}`)
	f.Add([]byte(`{"revokedCredentials":[{"id":"urn:x"}]}`), `{"id":"https://x.example/l","type":"1EdTechRevocationList"}`)
	f.Fuzz(func(t *testing.T, body []byte, entryJSON string) {
		c := NewChecker(mapFetcher{"https://x.example/l": body}, Options{SkipProofUnsafe: true, AllowShortListsUnsafe: true, MaxListBytes: 1 << 20, CacheTTL: -1})
		cred, err := vc.FromDocument(obj{
			"@context": []any{ld.CredentialsV2URL}, "id": "urn:x", "type": []any{"VerifiableCredential"},
			"issuer": "did:example:1", "credentialSubject": obj{"id": "did:example:2"},
			"credentialStatus": json.RawMessage(entryJSON),
		})
		if err != nil {
			return
		}
		res, err := c.CheckCredential(context.Background(), cred)
		if err != nil {
			return
		}
		for _, r := range res {
			if r.Outcome == "" {
				t.Fatalf("no outcome: %+v", r)
			}
			if (r.Outcome == Invalid || r.Outcome == Unavailable) && r.Err == nil {
				t.Fatalf("%s without a reason", r.Outcome)
			}
		}
	})
}
