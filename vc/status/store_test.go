package status

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/microcred/microcred/internal/testserver"
	"github.com/microcred/microcred/keys"
)

const storeBase = "https://uni.example/status"

func storeOpts(t testing.TB, dir string) StoreOptions {
	iss := newIssuer(t, 7)
	return StoreOptions{Dir: dir, Signer: iss.signer, Issuer: iss.did, BaseURL: storeBase, Now: func() time.Time { return t0 }}
}

func openStore(t testing.TB, opts StoreOptions) *Store {
	t.Helper()
	s, err := OpenStore(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustAllocate(t testing.TB, s *Store, id, purpose string) map[string]any {
	t.Helper()
	e, err := s.Allocate(context.Background(), id, purpose)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func entryIndex(t testing.TB, e map[string]any) int {
	t.Helper()
	i, err := strconv.Atoi(e["statusListIndex"].(string))
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// TestStoreChecker: the lists a Store serves verify with the package's own
// Checker, over TLS, and follow Update.
func TestStoreChecker(t *testing.T) {
	ctx := context.Background()
	srv := testserver.New(t)
	iss := newIssuer(t, 3)
	st := openStore(t, StoreOptions{Dir: t.TempDir(), Signer: iss.signer, Issuer: iss.did, BaseURL: srv.Base + "/status/", Now: func() time.Time { return t0 }})
	serve := func(name string) {
		srv.Handle("/status/"+name, func(w http.ResponseWriter, r *http.Request) {
			b, err := st.ListCredential(name)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/vc+ld+json")
			w.Write(b)
		})
	}
	serve("revocation-1")
	serve("suspension-1")
	rev := mustAllocate(t, st, "urn:uuid:1", PurposeRevocation)
	sus := mustAllocate(t, st, "urn:uuid:1", PurposeSuspension)
	if rev["statusListCredential"] != srv.Base+"/status/revocation-1" || rev["id"] != fmt.Sprintf("%s#%s", rev["statusListCredential"], rev["statusListIndex"]) {
		t.Fatalf("entry %v", rev)
	}
	checker := newChecker(srv, Options{CacheTTL: -1, Now: func() time.Time { return t0.Add(time.Minute) }})
	cred := credential(t, iss.did, rev, sus)
	check := func(want ...Outcome) {
		t.Helper()
		res, err := checker.CheckCredential(ctx, cred)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Outcome != want[i] {
				t.Errorf("entry %d: %s (%v), want %s", i, r.Outcome, r.Err, want[i])
			}
		}
	}
	check(Valid, Valid)
	a, err := st.Update(ctx, "urn:uuid:1", PurposeRevocation, true)
	if err != nil || !a.Set || a.Index != entryIndex(t, rev) || a.List != "revocation-1" {
		t.Fatalf("Update: %+v %v", a, err)
	}
	check(Revoked, Valid)
	if _, err := st.Update(ctx, "urn:uuid:1", PurposeSuspension, true); err != nil {
		t.Fatal(err)
	}
	check(Revoked, Suspended)
	if _, err := st.Update(ctx, "urn:uuid:1", PurposeRevocation, false); err != nil {
		t.Fatal(err)
	}
	if err := st.SetIndex(ctx, "suspension-1", entryIndex(t, sus), false); err != nil {
		t.Fatal(err)
	}
	check(Valid, Valid)
	// Another credential of the same issuer, not revoked, stays valid
	// while the first is revoked.
	other := credential(t, iss.did, mustAllocate(t, st, "urn:uuid:2", PurposeRevocation))
	st.Update(ctx, "urn:uuid:1", PurposeRevocation, true)
	res, err := checker.CheckCredential(ctx, other)
	if err != nil || res[0].Outcome != Valid {
		t.Fatalf("other credential: %+v %v", res, err)
	}
}

func TestStoreAPI(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, storeOpts(t, t.TempDir()))
	e1 := mustAllocate(t, st, "urn:uuid:a", PurposeRevocation)
	e2 := mustAllocate(t, st, "urn:uuid:a", PurposeRevocation)
	if fmt.Sprint(e1) != fmt.Sprint(e2) {
		t.Errorf("retry gave another entry: %v, %v", e1, e2)
	}
	if e1["type"] != TypeEntry || e1["statusPurpose"] != PurposeRevocation || e1["statusListCredential"] != storeBase+"/revocation-1" {
		t.Errorf("entry %v", e1)
	}
	mustAllocate(t, st, "urn:uuid:a", PurposeSuspension)
	mustAllocate(t, st, "urn:uuid:b", PurposeRevocation)
	got := st.Lookup("urn:uuid:a")
	if len(got) != 2 || got[0].Purpose != PurposeRevocation || got[1].Purpose != PurposeSuspension || got[0].Index != entryIndex(t, e1) || got[0].Set {
		t.Errorf("Lookup: %+v", got)
	}
	if fmt.Sprint(got[0].Entry()) != fmt.Sprint(e1) {
		t.Errorf("Allocation.Entry %v, want %v", got[0].Entry(), e1)
	}
	if got := st.Lookup("urn:uuid:none"); len(got) != 0 {
		t.Errorf("Lookup of unknown: %+v", got)
	}
	lists := st.Lists()
	want := []ListInfo{
		{Name: "revocation-1", URL: storeBase + "/revocation-1", Purpose: PurposeRevocation, Size: MinEntries, Allocated: 2, Current: true},
		{Name: "suspension-1", URL: storeBase + "/suspension-1", Purpose: PurposeSuspension, Size: MinEntries, Allocated: 1, Current: true},
	}
	if fmt.Sprint(lists) != fmt.Sprint(want) {
		t.Errorf("Lists:\n%+v\nwant\n%+v", lists, want)
	}

	// Errors.
	for _, tc := range []struct {
		id, purpose, want string
	}{
		{"", PurposeRevocation, "credential id is required"},
		{strings.Repeat("x", MaxCredentialIDBytes+1), PurposeRevocation, "longer than 2048"},
		{strings.Repeat(`"`, MaxCredentialIDBytes), PurposeRevocation, "too long for the allocation log"},
		{"urn:x\n", PurposeRevocation, "control characters"},
		{"urn:\xff", PurposeRevocation, "UTF-8"},
		{"urn:x", PurposeMessage, "purpose"},
	} {
		if _, err := st.Allocate(ctx, tc.id, tc.purpose); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Allocate(%.20q, %s): %v, want %q", tc.id, tc.purpose, err, tc.want)
		}
	}
	if _, err := st.Update(ctx, "urn:uuid:b", PurposeSuspension, true); !errors.Is(err, ErrUnknownCredential) {
		t.Errorf("Update unknown: %v", err)
	}
	if err := st.SetIndex(ctx, "revocation-9", 1, true); !errors.Is(err, ErrUnknownList) {
		t.Errorf("SetIndex unknown list: %v", err)
	}
	if err := st.SetIndex(ctx, "revocation-1", MinEntries, true); !errors.Is(err, ErrRange) {
		t.Errorf("SetIndex out of range: %v", err)
	}
	if _, err := st.ListCredential("revocation-9"); !errors.Is(err, ErrUnknownList) {
		t.Errorf("ListCredential unknown: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := st.Allocate(cancelled, "urn:uuid:c", PurposeRevocation); !errors.Is(err, context.Canceled) {
		t.Errorf("Allocate with a cancelled context: %v", err)
	}

	// Setting an entry already set does not re-sign, even later.
	now := t0
	st.opts.Now = func() time.Time { return now }
	if _, err := st.Update(ctx, "urn:uuid:a", PurposeRevocation, true); err != nil {
		t.Fatal(err)
	}
	before, _ := st.ListCredential("revocation-1")
	fileBefore, _ := os.ReadFile(filepath.Join(st.listsDir, "revocation-1.json"))
	if string(before) != string(fileBefore) {
		t.Error("ListCredential differs from the list file")
	}
	now = now.Add(time.Hour)
	if a, err := st.Update(ctx, "urn:uuid:a", PurposeRevocation, true); err != nil || !a.Set {
		t.Fatal(a, err)
	}
	if after, _ := st.ListCredential("revocation-1"); string(after) != string(before) {
		t.Error("setting a set entry re-signed the list")
	}
	if info := st.Lists()[0]; info.SetCount != 1 {
		t.Errorf("SetCount %d", info.SetCount)
	}

	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := st.Allocate(ctx, "urn:uuid:z", PurposeRevocation); !errors.Is(err, ErrStoreClosed) {
		t.Errorf("Allocate after Close: %v", err)
	}
	if _, err := st.ListCredential("revocation-1"); !errors.Is(err, ErrStoreClosed) {
		t.Errorf("ListCredential after Close: %v", err)
	}
}

func TestStoreOptions(t *testing.T) {
	ctx := context.Background()
	good := storeOpts(t, t.TempDir())
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecSigner, _ := keys.NewSigner(ec, "did:example:ec#1")
	for _, tc := range []struct {
		name string
		edit func(*StoreOptions)
		want string
	}{
		{"no dir", func(o *StoreOptions) { o.Dir = "" }, "Dir is required"},
		{"no signer", func(o *StoreOptions) { o.Signer = nil }, "Signer is required"},
		{"ecdsa", func(o *StoreOptions) { o.Signer = ecSigner }, "Ed25519"},
		{"no issuer", func(o *StoreOptions) { o.Issuer = "" }, "Issuer is required"},
		{"no base", func(o *StoreOptions) { o.BaseURL = "" }, "BaseURL"},
		{"relative base", func(o *StoreOptions) { o.BaseURL = "/status" }, "BaseURL"},
		{"ftp base", func(o *StoreOptions) { o.BaseURL = "ftp://x.example/s" }, "BaseURL"},
		{"query", func(o *StoreOptions) { o.BaseURL = "https://x.example/s?a=1" }, "BaseURL"},
		{"small", func(o *StoreOptions) { o.Size = MinEntries - 1 }, "below the minimum"},
		{"large", func(o *StoreOptions) { o.Size = DefaultMaxListBytes*8 + 1 }, "above the maximum"},
	} {
		o := good
		tc.edit(&o)
		if s, err := OpenStore(ctx, o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
			if s != nil {
				s.Close()
			}
		}
	}
	// A new directory is created 0700; lists get the configured size.
	o := good
	o.Dir = filepath.Join(t.TempDir(), "a", "b")
	o.Size = 2 * MinEntries
	st := openStore(t, o)
	fi, err := os.Stat(o.Dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v %v", fi.Mode(), err)
	}
	mustAllocate(t, st, "urn:x", PurposeRevocation)
	if st.Lists()[0].Size != 2*MinEntries {
		t.Errorf("size %d", st.Lists()[0].Size)
	}
}

func TestStoreLock(t *testing.T) {
	opts := storeOpts(t, t.TempDir())
	st := openStore(t, opts)
	if s2, err := OpenStore(context.Background(), opts); !errors.Is(err, ErrStoreLocked) || !strings.Contains(err.Error(), "another Store") {
		if s2 != nil {
			s2.Close()
		}
		t.Fatalf("second OpenStore: %v", err)
	}
	st.Close()
	openStore(t, opts)
}

// TestStoreReopen: everything survives a restart; the list files are not
// re-signed on open.
func TestStoreReopen(t *testing.T) {
	ctx := context.Background()
	opts := storeOpts(t, t.TempDir())
	st := openStore(t, opts)
	entries := map[string]map[string]any{}
	for i := range 20 {
		id := fmt.Sprintf("urn:uuid:%d", i)
		entries[id] = mustAllocate(t, st, id, PurposeRevocation)
		if i%3 == 0 {
			mustAllocate(t, st, id, PurposeSuspension)
		}
		if i%4 == 0 {
			if _, err := st.Update(ctx, id, PurposeRevocation, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	lookups := map[string][]Allocation{}
	for id := range entries {
		lookups[id] = st.Lookup(id)
	}
	lists := st.Lists()
	cred, _ := st.ListCredential("revocation-1")
	st.Close()

	opts.Now = func() time.Time { return t0.Add(time.Hour) }
	st = openStore(t, opts)
	if st.TornLines() != 0 {
		t.Errorf("TornLines %d", st.TornLines())
	}
	for id, want := range lookups {
		if got := st.Lookup(id); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: %+v, want %+v", id, got, want)
		}
		if e := mustAllocate(t, st, id, PurposeRevocation); fmt.Sprint(e) != fmt.Sprint(entries[id]) {
			t.Errorf("%s: Allocate after reopen %v, want %v", id, e, entries[id])
		}
	}
	if got := st.Lists(); fmt.Sprint(got) != fmt.Sprint(lists) {
		t.Errorf("Lists %+v, want %+v", got, lists)
	}
	if got, _ := st.ListCredential("revocation-1"); string(got) != string(cred) {
		t.Error("list credential changed on reopen")
	}
	// New allocations avoid the old indexes.
	used := map[int]bool{}
	for _, e := range entries {
		used[entryIndex(t, e)] = true
	}
	for i := range 20 {
		e := mustAllocate(t, st, fmt.Sprintf("urn:new:%d", i), PurposeRevocation)
		if used[entryIndex(t, e)] {
			t.Fatalf("index %d handed out twice", entryIndex(t, e))
		}
		used[entryIndex(t, e)] = true
	}
}

// TestStoreConcurrent: many goroutines allocating and updating get distinct
// indexes, and the log replays to the same state.
func TestStoreConcurrent(t *testing.T) {
	ctx := context.Background()
	opts := storeOpts(t, t.TempDir())
	st := openStore(t, opts)
	const workers, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("urn:w%d:%d", w, i%20) // some retries
				purpose := PurposeRevocation
				if i%5 == 0 {
					purpose = PurposeSuspension
				}
				if _, err := st.Allocate(ctx, id, purpose); err != nil {
					errs <- err
					return
				}
				if i%7 == 0 {
					if _, err := st.Update(ctx, id, purpose, true); err != nil {
						errs <- err
					}
				}
				if _, err := st.ListCredential(purpose + "-1"); err != nil {
					errs <- err
				}
				st.Lookup(id)
				st.Lists()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	all := map[string][]Allocation{}
	for w := range workers {
		for i := range 20 {
			id := fmt.Sprintf("urn:w%d:%d", w, i)
			all[id] = st.Lookup(id)
			for _, a := range all[id] {
				k := a.List + "#" + strconv.Itoa(a.Index)
				if seen[k] {
					t.Fatalf("%s handed out twice", k)
				}
				seen[k] = true
			}
		}
	}
	lists := st.Lists()
	st.Close()
	st = openStore(t, opts)
	for id, want := range all {
		if got := st.Lookup(id); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s after reopen: %+v, want %+v", id, got, want)
		}
	}
	if got := st.Lists(); fmt.Sprint(got) != fmt.Sprint(lists) {
		t.Errorf("Lists after reopen %+v, want %+v", got, lists)
	}
}

// TestStoreNextList: a list at its fill limit gives way to the next, and
// pick draws only free indexes.
func TestStoreNextList(t *testing.T) {
	st := openStore(t, storeOpts(t, t.TempDir()))
	first := mustAllocate(t, st, "urn:first", PurposeRevocation)
	l := st.current[PurposeRevocation]
	limit := l.list.Len() - l.list.Len()/16
	// Mark indexes used (in memory only) up to two short of the limit.
	for i := 0; l.allocated < limit-2; i++ {
		l.markUsed(i)
	}
	a := mustAllocate(t, st, "urn:a", PurposeRevocation)
	b := mustAllocate(t, st, "urn:b", PurposeRevocation)
	c := mustAllocate(t, st, "urn:c", PurposeRevocation)
	for _, e := range []map[string]any{first, a, b} {
		if e["statusListCredential"] != storeBase+"/revocation-1" {
			t.Errorf("entry %v not in the first list", e)
		}
	}
	if c["statusListCredential"] != storeBase+"/revocation-2" {
		t.Errorf("entry %v not in the second list", c)
	}
	infos := st.Lists()
	if len(infos) != 2 || infos[0].Current || !infos[1].Current || infos[1].Allocated != 1 || infos[1].Name != "revocation-2" {
		t.Errorf("Lists %+v", infos)
	}
	if _, err := st.ListCredential("revocation-2"); err != nil {
		t.Error(err)
	}

	// pick: only the free indexes, each of them eventually.
	sl := newStoreList("revocation-9", PurposeRevocation, "u", 9, l.list)
	free := map[int]bool{0: true, 63: true, 64: true, 77777: true, MinEntries - 1: true}
	for i := 0; i < MinEntries; i++ {
		if !free[i] {
			sl.markUsed(i)
		}
	}
	got := map[int]bool{}
	for range 200 {
		i, err := sl.pick(rand.Reader)
		if err != nil || !free[i] {
			t.Fatalf("pick: %d %v", i, err)
		}
		got[i] = true
	}
	if len(got) != len(free) {
		t.Errorf("picked %v of %v", got, free)
	}
	for i := range free {
		sl.markUsed(i)
	}
	if _, err := sl.pick(rand.Reader); err == nil {
		t.Error("pick on a full list")
	}
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestStoreRandFailure(t *testing.T) {
	opts := storeOpts(t, t.TempDir())
	opts.Rand = failReader{}
	st := openStore(t, opts)
	if _, err := st.Allocate(context.Background(), "urn:x", PurposeRevocation); err == nil || !strings.Contains(err.Error(), "no entropy") {
		t.Fatalf("Allocate: %v", err)
	}
	if len(st.Lookup("urn:x")) != 0 || st.logSize != 0 {
		t.Error("failed allocation recorded")
	}
}

// TestStoreTornLine: a line cut by a crash is dropped and counted; the
// store goes on appending after the last complete line.
func TestStoreTornLine(t *testing.T) {
	opts := storeOpts(t, t.TempDir())
	st := openStore(t, opts)
	for i := range 3 {
		mustAllocate(t, st, fmt.Sprint("urn:", i), PurposeRevocation)
	}
	st.Close()
	logPath := filepath.Join(opts.Dir, storeLogName)
	good, _ := os.ReadFile(logPath)
	f, _ := os.OpenFile(logPath, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"op":"allocate","credentialId":"urn:x","purp`)
	f.Close()
	// A stale temporary list file from a crashed write is removed.
	tmp := filepath.Join(opts.Dir, "lists", ".revocation-1.json.tmp123")
	os.WriteFile(tmp, []byte("{"), 0o600)

	st = openStore(t, opts)
	if st.TornLines() != 1 {
		t.Errorf("TornLines %d, want 1", st.TornLines())
	}
	if b, _ := os.ReadFile(logPath); string(b) != string(good) {
		t.Errorf("log not cut back to its complete lines:\n%s", b)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("temporary file left: %v", err)
	}
	mustAllocate(t, st, "urn:x", PurposeRevocation)
	st.Close()
	st = openStore(t, opts)
	if st.TornLines() != 0 || st.Lists()[0].Allocated != 4 {
		t.Errorf("after reopen: torn %d, %+v", st.TornLines(), st.Lists())
	}
}

// TestStoreCorrupt: damage and mismatches are errors naming what is wrong.
func TestStoreCorrupt(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) StoreOptions {
		opts := storeOpts(t, t.TempDir())
		st := openStore(t, opts)
		for i := range 3 {
			mustAllocate(t, st, fmt.Sprint("urn:", i), PurposeRevocation)
		}
		st.Close()
		return opts
	}
	logLines := func(opts StoreOptions) []string {
		b, _ := os.ReadFile(filepath.Join(opts.Dir, storeLogName))
		return strings.SplitAfter(string(b), "\n")
	}
	writeLog := func(opts StoreOptions, lines []string) {
		os.WriteFile(filepath.Join(opts.Dir, storeLogName), []byte(strings.Join(lines, "")), 0o600)
	}
	for _, tc := range []struct {
		name    string
		damage  func(StoreOptions) StoreOptions
		want    string
		corrupt bool
	}{
		{"garbage line", func(o StoreOptions) StoreOptions {
			l := logLines(o)
			l[1] = "not json\n"
			writeLog(o, l)
			return o
		}, "allocations.jsonl line 2", true},
		{"duplicate index", func(o StoreOptions) StoreOptions {
			l := logLines(o)
			var rec logRecord
			json.Unmarshal([]byte(l[0]), &rec)
			rec.CredentialID = "urn:dup"
			b, _ := json.Marshal(rec)
			writeLog(o, append(l, string(b)+"\n"))
			return o
		}, "allocated twice", true},
		{"duplicate credential", func(o StoreOptions) StoreOptions {
			l := logLines(o)
			var rec logRecord
			json.Unmarshal([]byte(l[0]), &rec)
			*rec.Index = (*rec.Index + 1) % MinEntries
			b, _ := json.Marshal(rec)
			writeLog(o, append(l[:3], string(b)+"\n"))
			return o
		}, "second revocation entry", true},
		{"index beyond the list", func(o StoreOptions) StoreOptions {
			writeLog(o, append(logLines(o)[:3], `{"op":"allocate","credentialId":"urn:big","purpose":"revocation","list":"revocation-1","index":131072}`+"\n"))
			return o
		}, "outside list revocation-1", true},
		{"missing list file", func(o StoreOptions) StoreOptions {
			os.Remove(filepath.Join(o.Dir, "lists", "revocation-1.json"))
			return o
		}, "list revocation-1 has no file", true},
		{"damaged list file", func(o StoreOptions) StoreOptions {
			os.WriteFile(filepath.Join(o.Dir, "lists", "revocation-1.json"), []byte(`{"id":`), 0o600)
			return o
		}, "revocation-1.json: not a status list credential", true},
		{"other issuer", func(o StoreOptions) StoreOptions {
			o.Issuer = "did:example:other"
			return o
		}, `issuer is "did:key:`, false},
		{"other base URL", func(o StoreOptions) StoreOptions {
			o.BaseURL = "https://other.example/status"
			return o
		}, `URL (id) is "https://uni.example/status/revocation-1" but StoreOptions.BaseURL gives "https://other.example/status/revocation-1"`, false},
		{"renamed list", func(o StoreOptions) StoreOptions {
			os.Rename(filepath.Join(o.Dir, "lists", "revocation-1.json"), filepath.Join(o.Dir, "lists", "suspension-1.json"))
			return o
		}, "URL (id)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.damage(setup(t))
			st, err := OpenStore(ctx, opts)
			if err == nil {
				st.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), tc.want) || errors.Is(err, ErrStoreCorrupt) != tc.corrupt {
				t.Errorf("error %q, want %q (corrupt %v)", err, tc.want, tc.corrupt)
			}
			// The failed open released the lock.
			opts2 := storeOpts(t, opts.Dir)
			if _, err := OpenStore(ctx, opts2); errors.Is(err, ErrStoreLocked) {
				t.Error("lock not released")
			}
		})
	}
}

func TestReplayLog(t *testing.T) {
	line := func(id string, idx int) string {
		return fmt.Sprintf(`{"op":"allocate","credentialId":%q,"purpose":"revocation","list":"revocation-1","index":%d}`+"\n", id, idx)
	}
	for _, tc := range []struct {
		name, log, want string
		n, torn         int
	}{
		{"empty", "", "", 0, 0},
		{"two", line("a", 1) + line("b", 2), "", 2, 0},
		{"torn", line("a", 1) + `{"op":"alloc`, "", 1, 1},
		{"torn but parses", line("a", 1) + strings.TrimSuffix(line("b", 2), "\n"), "", 1, 1},
		{"blank line", line("a", 1) + "\n" + line("b", 2), "line 2", 0, 0},
		{"long line", strings.Repeat(" ", MaxLogLineBytes) + line("a", 1), "line 1: longer than 4096", 0, 0},
		{"unknown op", `{"op":"free","credentialId":"a","purpose":"revocation","list":"revocation-1","index":1}` + "\n", "unknown op", 0, 0},
		{"unknown field", `{"op":"allocate","x":1,"credentialId":"a","purpose":"revocation","list":"revocation-1","index":1}` + "\n", "unknown field", 0, 0},
		{"no index", `{"op":"allocate","credentialId":"a","purpose":"revocation","list":"revocation-1"}` + "\n", "index", 0, 0},
		{"negative index", line("a", -1), "index", 0, 0},
		{"list of other purpose", `{"op":"allocate","credentialId":"a","purpose":"revocation","list":"suspension-1","index":1}` + "\n", "not a revocation list name", 0, 0},
		{"two values", strings.TrimSuffix(line("a", 1), "\n") + " {}\n", "more than one", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := replayLog(strings.NewReader(tc.log), "log")
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrStoreCorrupt) {
					t.Fatalf("error %v, want %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.records) != tc.n || rep.torn != tc.torn || rep.good != int64(strings.LastIndexByte(tc.log, '\n')+1) {
				t.Errorf("%d records, %d torn, %d good", len(rep.records), rep.torn, rep.good)
			}
		})
	}
}

func benchStore(b *testing.B) *Store {
	opts := storeOpts(b, b.TempDir())
	opts.Now = time.Now
	return openStore(b, opts)
}

// BenchmarkStoreAllocate: one new entry, fsynced to the log.
func BenchmarkStoreAllocate(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	mustAllocate(b, st, "urn:warm", PurposeRevocation)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := st.Allocate(ctx, "urn:uuid:"+strconv.Itoa(i), PurposeRevocation); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStoreUpdate: one entry flipped, the list re-signed and written
// atomically.
func BenchmarkStoreUpdate(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	for i := range 100 {
		mustAllocate(b, st, "urn:uuid:"+strconv.Itoa(i), PurposeRevocation)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := st.Update(ctx, "urn:uuid:"+strconv.Itoa(i%100), PurposeRevocation, i/100%2 == 0); err != nil {
			b.Fatal(err)
		}
	}
}
