package status

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/microcred/microcred/internal/atomicfile"

	"github.com/microcred/microcred/keys"
	"github.com/microcred/microcred/vc/dataintegrity"
)

// Limits of a Store.
const (
	// MaxCredentialIDBytes bounds the credential ids a Store records.
	MaxCredentialIDBytes = 2048
	// MaxLogLineBytes bounds one line of the allocation log, newline
	// included. Allocate refuses an id whose line would be longer, and
	// OpenStore reports a longer line as corruption.
	MaxLogLineBytes = 4096
)

// Files of a Store's directory.
const (
	storeLogName   = "allocations.jsonl"
	storeListsDir  = "lists"
	storeLockName  = "lock"
	maxListFileLen = 32 << 20 // base64 of a 16 MiB GZIP stream, and more
	logOpAllocate  = "allocate"
)

// Errors of a Store, wrapped with details (test with errors.Is).
var (
	// ErrUnknownCredential: the credential has no entry of that purpose.
	ErrUnknownCredential = errors.New("status: no status entry for the credential")
	// ErrUnknownList: no list of that name in the store.
	ErrUnknownList = errors.New("status: no such status list")
	// ErrStoreLocked: another Store (in this process or another) has the
	// directory open.
	ErrStoreLocked = errors.New("status: store directory in use")
	// ErrStoreClosed: the Store was closed.
	ErrStoreClosed = errors.New("status: store is closed")
	// ErrStoreCorrupt: a file of the store directory is damaged or
	// inconsistent with the others; the error names the file (and line).
	ErrStoreCorrupt = errors.New("status: store is corrupt")
)

// StoreOptions configure OpenStore.
type StoreOptions struct {
	// Dir is the store's directory, created with mode 0700 if missing.
	// Required.
	Dir string
	// Signer signs the list credentials (eddsa-rdfc-2022, so an Ed25519
	// key whose controller is Issuer). Required.
	Signer keys.Signer
	// Issuer is the issuer id of the list credentials. It must be the
	// issuer of the credentials that point at them: verifiers compare the
	// two. Required; it cannot change for an existing directory.
	Issuer string
	// BaseURL is where the lists are published: a list's URL (its
	// credential's id, the entries' statusListCredential) is BaseURL + "/"
	// + name, e.g. "https://uni.example/status/revocation-1". An absolute
	// https or http URL without query or fragment (a trailing "/" is
	// dropped). Required; it cannot change for an existing directory.
	BaseURL string
	// Size is the number of entries of new lists (rounded up to a multiple
	// of 8); 0 means MinEntries, below MinEntries is refused. Existing
	// lists keep the size they were created with.
	Size int
	// TTL, when positive, is written as the lists' ttl: how long verifiers
	// may cache them (so how late they may see a revocation).
	TTL time.Duration
	// Now is the clock (the lists' validFrom and proof creation, the log's
	// times); nil means time.Now.
	Now func() time.Time
	// Rand is the source of index randomness; nil means crypto/rand.
	Rand io.Reader
}

// Store is the issuer side of Bitstring Status Lists: it gives every
// credential issued a BitstringStatusListEntry of a revocation or
// suspension list, flips entries later, and keeps the signed list
// credentials to publish, all persisted in a directory:
//
//	<Dir>/lock               held (flock) while a Store has the directory open
//	<Dir>/allocations.jsonl  one JSON line per entry handed out
//	<Dir>/lists/<name>.json  the signed BitstringStatusListCredential, as served
//
// Lists are named "<purpose>-<n>" (revocation-1, suspension-1, …). Indexes
// are drawn uniformly at random among the unused indexes of the purpose's
// current list, so they do not reveal issuance order (Bitstring Status List
// v1.0, privacy considerations); once 15/16 of a list is allocated the next
// allocation opens list n+1, so that the last credentials of a list still
// get an index drawn among at least 1/16 of its entries.
//
// Allocate appends to the log and fsyncs it before returning, so an index
// is never handed out twice, even across a crash. Update and SetIndex
// re-sign the list and replace its file atomically (temporary file, fsync,
// rename, fsync of the directory) before returning. The status bits live
// in the list files; the log records allocations only. OpenStore replays
// the log, ignoring (and counting, see TornLines) a last line torn by a
// crash, and checks the list files against the options.
//
// One Store per directory: OpenStore takes an exclusive lock, which Close
// releases. A Store is safe for concurrent use.
type Store struct {
	opts     StoreOptions
	size     int
	listsDir string
	lockPath string
	lock     *os.File
	log      *os.File
	logSize  int64
	torn     int
	closed   atomic.Bool

	mu      sync.Mutex
	broken  error
	lists   map[string]*storeList
	current map[string]*storeList // purpose → list new entries go to
	byCred  map[credKey]allocRef

	pubMu     sync.RWMutex
	published map[string][]byte // name → signed list credential
}

type credKey struct{ id, purpose string }

type allocRef struct {
	list  *storeList
	index int
}

// storeList is one list of the store: its bits and which indexes are
// allocated.
type storeList struct {
	name, purpose, url string
	n                  int
	list               *List
	used               []uint64 // bit i%64 of word i/64: index i allocated
	allocated          int
}

// Allocation is one status entry of a credential.
type Allocation struct {
	CredentialID string `json:"credentialId"`
	// Purpose is PurposeRevocation or PurposeSuspension.
	Purpose string `json:"statusPurpose"`
	// List is the list's name, URL its URL.
	List string `json:"list"`
	URL  string `json:"statusListCredential"`
	// Index is the entry's statusListIndex.
	Index int `json:"statusListIndex"`
	// Set is true when the entry is set (revoked, suspended).
	Set bool `json:"set"`
}

// Entry returns the BitstringStatusListEntry for a, to put in the
// credential's credentialStatus: id URL#index, statusListIndex as a
// decimal string, statusListCredential URL.
func (a Allocation) Entry() map[string]any {
	return map[string]any{
		"id":                   a.URL + "#" + strconv.Itoa(a.Index),
		"type":                 TypeEntry,
		"statusPurpose":        a.Purpose,
		"statusListIndex":      strconv.Itoa(a.Index),
		"statusListCredential": a.URL,
	}
}

// ListInfo describes one list of a Store.
type ListInfo struct {
	Name    string `json:"name"`
	URL     string `json:"url"`
	Purpose string `json:"statusPurpose"`
	// Size is the number of entries, Allocated how many were handed out,
	// SetCount how many are set.
	Size      int `json:"size"`
	Allocated int `json:"allocated"`
	SetCount  int `json:"set"`
	// Current is true for the list that receives the purpose's new
	// entries.
	Current bool `json:"current"`
}

// OpenStore opens (creating if needed) the store in opts.Dir, locks it
// and restores its state. It fails with ErrStoreLocked when another Store
// has the directory open, and with ErrStoreCorrupt when the log has a bad
// line (other than a torn last one) or references a list whose file is
// missing, or a list file does not parse. A list file whose issuer, URL or
// purpose differs from what opts give is an error saying what differs.
func OpenStore(ctx context.Context, opts StoreOptions) (*Store, error) {
	if err := checkStoreOptions(&opts); err != nil {
		return nil, err
	}
	s := &Store{
		opts:      opts,
		size:      opts.Size,
		listsDir:  filepath.Join(opts.Dir, storeListsDir),
		lockPath:  filepath.Join(opts.Dir, storeLockName),
		lists:     map[string]*storeList{},
		current:   map[string]*storeList{},
		byCred:    map[credKey]allocRef{},
		published: map[string][]byte{},
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("status: store: %w", err)
	}
	lock, err := lockDir(s.lockPath)
	if err != nil {
		return nil, err
	}
	s.lock = lock
	if err := s.open(ctx); err != nil {
		if s.log != nil {
			s.log.Close()
		}
		unlockDir(s.lock, s.lockPath)
		return nil, err
	}
	return s, nil
}

func checkStoreOptions(o *StoreOptions) error {
	if o.Dir == "" {
		return errors.New("status: StoreOptions.Dir is required")
	}
	if o.Signer == nil {
		return errors.New("status: StoreOptions.Signer is required")
	}
	if alg := o.Signer.Algorithm(); alg != keys.EdDSA {
		return fmt.Errorf("status: StoreOptions.Signer: status lists are signed with eddsa-rdfc-2022, which needs an Ed25519 key, not %s", alg)
	}
	if o.Issuer == "" {
		return errors.New("status: StoreOptions.Issuer is required (the issuer of the credentials that point at the lists)")
	}
	base := strings.TrimSuffix(o.BaseURL, "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("status: StoreOptions.BaseURL %q must be an absolute https or http URL without query, fragment or user", o.BaseURL)
	}
	o.BaseURL = base
	switch {
	case o.Size == 0:
		o.Size = MinEntries
	case o.Size < MinEntries:
		return fmt.Errorf("status: StoreOptions.Size %d is below the minimum of %d entries", o.Size, MinEntries)
	case o.Size > DefaultMaxListBytes*8:
		return fmt.Errorf("status: StoreOptions.Size %d is above the maximum of %d entries", o.Size, DefaultMaxListBytes*8)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	return nil
}

// open loads the list files and replays the log.
func (s *Store) open(ctx context.Context) error {
	if err := os.Mkdir(s.listsDir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("status: store: %w", err)
	}
	entries, err := os.ReadDir(s.listsDir)
	if err != nil {
		return fmt.Errorf("status: store: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp") {
			// A temporary file left by a crash during atomicfile.Write:
			// the rename never happened, the list file is the old one.
			os.Remove(filepath.Join(s.listsDir, name))
			continue
		}
		base, ok := strings.CutSuffix(name, ".json")
		if !ok || !e.Type().IsRegular() {
			continue
		}
		purpose, n, ok := parseListName(base)
		if !ok {
			continue
		}
		if err := s.loadList(base, purpose, n); err != nil {
			return err
		}
	}
	logPath := filepath.Join(s.opts.Dir, storeLogName)
	f, err := os.OpenFile(logPath, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("status: store: %w", err)
	}
	s.log = f
	rep, err := replayLog(bufio.NewReaderSize(f, 64<<10), logPath)
	if err != nil {
		return err
	}
	for _, r := range rep.records {
		l := s.lists[r.List]
		if l == nil {
			return fmt.Errorf("%w: %s line %d: list %s has no file %s", ErrStoreCorrupt, logPath, r.line, r.List, filepath.Join(s.listsDir, r.List+".json"))
		}
		if r.Index >= l.list.Len() {
			return fmt.Errorf("%w: %s line %d: index %d is outside list %s (%d entries)", ErrStoreCorrupt, logPath, r.line, r.Index, r.List, l.list.Len())
		}
		l.markUsed(r.Index)
		s.byCred[credKey{r.CredentialID, r.Purpose}] = allocRef{l, r.Index}
	}
	s.logSize = rep.good
	if rep.torn > 0 {
		s.torn = rep.torn
		if err := f.Truncate(rep.good); err != nil {
			return fmt.Errorf("status: store: dropping the torn last line of %s: %w", logPath, err)
		}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("status: store: %w", err)
	}
	for _, d := range []string{s.opts.Dir, s.listsDir} {
		if err := atomicfile.SyncDir(d); err != nil {
			return fmt.Errorf("status: store: %w", err)
		}
	}
	return ctx.Err()
}

// parseListName splits "<purpose>-<n>" (n from 1, no leading zero).
func parseListName(name string) (purpose string, n int, ok bool) {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return "", 0, false
	}
	purpose, num := name[:i], name[i+1:]
	if purpose != PurposeRevocation && purpose != PurposeSuspension {
		return "", 0, false
	}
	if num == "" || len(num) > 9 || num[0] == '0' || strings.TrimLeft(num, "0123456789") != "" {
		return "", 0, false
	}
	n, _ = strconv.Atoi(num)
	return purpose, n, true
}

// loadList reads lists/<name>.json and checks it against the options.
func (s *Store) loadList(name, purpose string, n int) error {
	path := filepath.Join(s.listsDir, name+".json")
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("status: store: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxListFileLen+1))
	f.Close()
	if err != nil {
		return fmt.Errorf("status: store: %w", err)
	}
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: "+format, append([]any{ErrStoreCorrupt, path}, args...)...)
	}
	if len(data) > maxListFileLen {
		return corrupt("larger than %d bytes", maxListFileLen)
	}
	var doc struct {
		ID      string          `json:"id"`
		Type    []string        `json:"type"`
		Issuer  json.RawMessage `json:"issuer"`
		Proof   json.RawMessage `json:"proof"`
		Subject struct {
			Type        string `json:"type"`
			Purpose     any    `json:"statusPurpose"`
			EncodedList string `json:"encodedList"`
		} `json:"credentialSubject"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return corrupt("not a status list credential: %v", err)
	}
	if !slices.Contains(doc.Type, TypeListCredential) || doc.Subject.Type != TypeList {
		return corrupt("not a %s", TypeListCredential)
	}
	if len(doc.Proof) == 0 {
		return corrupt("the list credential has no proof")
	}
	var issuer string
	if json.Unmarshal(doc.Issuer, &issuer) != nil {
		var obj struct {
			ID string `json:"id"`
		}
		json.Unmarshal(doc.Issuer, &obj)
		issuer = obj.ID
	}
	listURL := s.opts.BaseURL + "/" + name
	if issuer != s.opts.Issuer {
		return fmt.Errorf("status: store: %s: the list's issuer is %q but StoreOptions.Issuer is %q (a store's issuer cannot change: the credentials issued point at these lists)", path, issuer, s.opts.Issuer)
	}
	if doc.ID != listURL {
		return fmt.Errorf("status: store: %s: the list's URL (id) is %q but StoreOptions.BaseURL gives %q (a store's base URL cannot change: the credentials issued point at these URLs)", path, doc.ID, listURL)
	}
	if p, _ := doc.Subject.Purpose.(string); p != purpose {
		return fmt.Errorf("status: store: %s: the list's statusPurpose is %v but its name says %q", path, doc.Subject.Purpose, purpose)
	}
	list, err := DecodeList(doc.Subject.EncodedList, DecodeOptions{})
	if err != nil {
		return corrupt("%v", err)
	}
	list.Purpose = purpose
	l := newStoreList(name, purpose, listURL, n, list)
	s.lists[name] = l
	if cur := s.current[purpose]; cur == nil || n > cur.n {
		s.current[purpose] = l
	}
	s.published[name] = data
	return nil
}

func newStoreList(name, purpose, listURL string, n int, list *List) *storeList {
	size := list.Len()
	l := &storeList{name: name, purpose: purpose, url: listURL, n: n, list: list, used: make([]uint64, (size+63)/64)}
	// Indexes past the end count as used, so that pick never finds them.
	for i := size; i < len(l.used)*64; i++ {
		l.used[i/64] |= 1 << (i % 64)
	}
	return l
}

func (l *storeList) isUsed(i int) bool { return l.used[i/64]&(1<<(i%64)) != 0 }

func (l *storeList) markUsed(i int) {
	if !l.isUsed(i) {
		l.used[i/64] |= 1 << (i % 64)
		l.allocated++
	}
}

// full reports whether the list has reached its fill limit (15/16).
func (l *storeList) full() bool { return l.allocated >= l.list.Len()-l.list.Len()/16 }

// pick returns an unused index drawn uniformly at random.
func (l *storeList) pick(r io.Reader) (int, error) {
	free := l.list.Len() - l.allocated
	if free <= 0 {
		return 0, errors.New("status: store: list is full")
	}
	k, err := randIntn(r, free)
	if err != nil {
		return 0, fmt.Errorf("status: store: reading randomness: %w", err)
	}
	for w, word := range l.used {
		z := 64 - bits.OnesCount64(word)
		if k >= z {
			k -= z
			continue
		}
		x := ^word
		for ; k > 0; k-- {
			x &= x - 1 // drop the lowest free bit
		}
		return w*64 + bits.TrailingZeros64(x), nil
	}
	return 0, errors.New("status: store: allocation bitmap inconsistent")
}

// randIntn returns a uniform integer in [0, n), n > 0.
func randIntn(r io.Reader, n int) (int, error) {
	limit := math.MaxUint64 - math.MaxUint64%uint64(n)
	var b [8]byte
	for {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, err
		}
		if v := binary.BigEndian.Uint64(b[:]); v < limit {
			return int(v % uint64(n)), nil
		}
	}
}

// TornLines returns the number of torn lines (0 or 1) OpenStore dropped
// from the end of the allocation log: an allocation a crash interrupted
// before it was written in full, so before Allocate returned it.
func (s *Store) TornLines() int { return s.torn }

// checkCredentialID refuses ids the log cannot hold.
func checkCredentialID(id string) error {
	switch {
	case id == "":
		return errors.New("status: store: a credential id is required (the entry is recorded against the credential's id, to find it for revocation)")
	case len(id) > MaxCredentialIDBytes:
		return fmt.Errorf("status: store: credential id of %d bytes, longer than %d", len(id), MaxCredentialIDBytes)
	case !utf8.ValidString(id):
		return errors.New("status: store: credential id is not valid UTF-8")
	case strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return errors.New("status: store: credential id contains control characters")
	}
	return nil
}

func checkPurpose(purpose string) error {
	if purpose != PurposeRevocation && purpose != PurposeSuspension {
		return fmt.Errorf("status: store: purpose %q (want %q or %q)", purpose, PurposeRevocation, PurposeSuspension)
	}
	return nil
}

// usable returns an error when the store cannot take changes. s.mu held.
func (s *Store) usable() error {
	if s.closed.Load() {
		return ErrStoreClosed
	}
	return s.broken
}

// Allocate returns the BitstringStatusListEntry of the credential's
// purpose entry (PurposeRevocation or PurposeSuspension), handing out a
// new random index of the purpose's current list, or opening a new list,
// when the credential has none yet; a credential that has one gets the
// same entry again, so a retried issuance is harmless. The allocation is
// in the log, fsynced, before Allocate returns. credentialID is required
// (at most MaxCredentialIDBytes of UTF-8 without control characters).
func (s *Store) Allocate(ctx context.Context, credentialID, purpose string) (map[string]any, error) {
	a, err := s.allocate(ctx, credentialID, purpose)
	if err != nil {
		return nil, err
	}
	return a.Entry(), nil
}

func (s *Store) allocate(ctx context.Context, credentialID, purpose string) (Allocation, error) {
	if err := checkCredentialID(credentialID); err != nil {
		return Allocation{}, err
	}
	if err := checkPurpose(purpose); err != nil {
		return Allocation{}, err
	}
	if err := ctx.Err(); err != nil {
		return Allocation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return Allocation{}, err
	}
	key := credKey{credentialID, purpose}
	if ref, ok := s.byCred[key]; ok {
		return s.allocation(key, ref), nil
	}
	now := s.opts.Now().UTC()
	line, err := json.Marshal(logRecord{Op: logOpAllocate, CredentialID: credentialID, Purpose: purpose, List: "x", Index: ptr(0), Time: now.Format(time.RFC3339Nano)})
	if err != nil {
		return Allocation{}, err
	}
	// The list name and index add at most 12+9+1+10 bytes to the "x" and 0 above.
	if len(line)+1+32 > MaxLogLineBytes {
		return Allocation{}, fmt.Errorf("status: store: credential id too long for the allocation log (its line would exceed %d bytes)", MaxLogLineBytes)
	}
	l := s.current[purpose]
	if l == nil || l.full() {
		if l, err = s.newList(ctx, purpose); err != nil {
			return Allocation{}, err
		}
	}
	index, err := l.pick(s.opts.Rand)
	if err != nil {
		return Allocation{}, err
	}
	line, err = json.Marshal(logRecord{Op: logOpAllocate, CredentialID: credentialID, Purpose: purpose, List: l.name, Index: &index, Time: now.Format(time.RFC3339Nano)})
	if err != nil {
		return Allocation{}, err
	}
	if err := s.appendLog(append(line, '\n')); err != nil {
		return Allocation{}, err
	}
	l.markUsed(index)
	ref := allocRef{l, index}
	s.byCred[key] = ref
	return s.allocation(key, ref), nil
}

func ptr[T any](v T) *T { return &v }

// appendLog writes line to the log and fsyncs it. On failure it cuts the
// log back to its previous length; if that fails too, the store refuses
// further changes (a partial line followed by a new one would be corrupt).
func (s *Store) appendLog(line []byte) error {
	n, err := s.log.Write(line)
	if err == nil {
		err = s.log.Sync()
	}
	if err != nil {
		terr := s.log.Truncate(s.logSize)
		if terr == nil {
			terr = s.log.Sync()
		}
		if terr != nil {
			s.broken = fmt.Errorf("status: store: the allocation log could not be restored after a failed write (%v): reopen the store", terr)
		}
		return fmt.Errorf("status: store: writing the allocation log: %w", err)
	}
	s.logSize += int64(n)
	return nil
}

// newList creates, signs and writes the purpose's next list. s.mu held.
func (s *Store) newList(ctx context.Context, purpose string) (*storeList, error) {
	n := 1
	if cur := s.current[purpose]; cur != nil {
		n = cur.n + 1
	}
	name := purpose + "-" + strconv.Itoa(n)
	list, err := NewList(s.size, purpose)
	if err != nil {
		return nil, err
	}
	l := newStoreList(name, purpose, s.opts.BaseURL+"/"+name, n, list)
	data, err := s.sign(ctx, l)
	if err != nil {
		return nil, err
	}
	if _, err := atomicfile.Write(filepath.Join(s.listsDir, name+".json"), data, 0o644); err != nil {
		return nil, fmt.Errorf("status: store: writing list %s: %w", name, err)
	}
	s.lists[name] = l
	s.current[purpose] = l
	s.publish(name, data)
	return l, nil
}

// sign returns the signed list credential of l, valid from now.
func (s *Store) sign(ctx context.Context, l *storeList) ([]byte, error) {
	now := s.opts.Now().UTC().Truncate(time.Second)
	doc, err := l.list.SignedCredential(ctx, s.opts.Signer, CredentialOptions{
		ID: l.url, Issuer: s.opts.Issuer, ValidFrom: now, TTL: s.opts.TTL,
	}, dataintegrity.SignOptions{Created: now})
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

func (s *Store) publish(name string, data []byte) {
	s.pubMu.Lock()
	s.published[name] = data
	s.pubMu.Unlock()
}

// allocation describes ref. s.mu held.
func (s *Store) allocation(key credKey, ref allocRef) Allocation {
	v, _ := ref.list.list.Status(ref.index)
	return Allocation{CredentialID: key.id, Purpose: key.purpose, List: ref.list.name, URL: ref.list.url, Index: ref.index, Set: v != 0}
}

// Update sets (set true: revokes or suspends) or clears the credential's
// entry of purpose, re-signing the list and replacing its file before it
// returns; an entry already in that state is left alone (no re-signing).
// It returns the entry, and ErrUnknownCredential when the credential has no
// entry of that purpose.
func (s *Store) Update(ctx context.Context, credentialID, purpose string, set bool) (Allocation, error) {
	if err := checkPurpose(purpose); err != nil {
		return Allocation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return Allocation{}, err
	}
	key := credKey{credentialID, purpose}
	ref, ok := s.byCred[key]
	if !ok {
		return Allocation{}, fmt.Errorf("%w: %q has no %s entry", ErrUnknownCredential, credentialID, purpose)
	}
	if err := s.setBit(ctx, ref.list, ref.index, set); err != nil {
		return Allocation{}, err
	}
	return s.allocation(key, ref), nil
}

// SetIndex sets or clears entry index of the named list, allocated or not,
// like Update. It returns ErrUnknownList for a name not in the store and
// ErrRange for an index outside the list.
func (s *Store) SetIndex(ctx context.Context, list string, index int, set bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	l := s.lists[list]
	if l == nil {
		return fmt.Errorf("%w: %q", ErrUnknownList, list)
	}
	if err := l.list.checkIndex(index); err != nil {
		return fmt.Errorf("status: store: list %s: %w", list, err)
	}
	return s.setBit(ctx, l, index, set)
}

// setBit flips entry index of l if needed, re-signs and writes the list.
// s.mu held.
func (s *Store) setBit(ctx context.Context, l *storeList, index int, set bool) error {
	v, err := l.list.Status(index)
	if err != nil {
		return err
	}
	if (v != 0) == set {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	flip := func(on bool) {
		if on {
			l.list.Set(index)
		} else {
			l.list.Clear(index)
		}
	}
	flip(set)
	data, err := s.sign(ctx, l)
	if err != nil {
		flip(!set)
		return err
	}
	renamed, err := atomicfile.Write(filepath.Join(s.listsDir, l.name+".json"), data, 0o644)
	if renamed {
		// The new list is in place (its directory entry perhaps not yet
		// durable): keep and serve it; a retry is then a no-op.
		s.publish(l.name, data)
	} else {
		flip(!set)
	}
	if err != nil {
		return fmt.Errorf("status: store: writing list %s: %w", l.name, err)
	}
	return nil
}

// ListCredential returns the signed BitstringStatusListCredential of the
// named list, as JSON, to serve at its URL (a copy of the bytes of its
// file, re-signed only when an entry changes). It returns ErrUnknownList
// for a name not in the store. It does not wait for Allocate or Update.
func (s *Store) ListCredential(name string) ([]byte, error) {
	if s.closed.Load() {
		return nil, ErrStoreClosed
	}
	s.pubMu.RLock()
	data, ok := s.published[name]
	s.pubMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownList, name)
	}
	return slices.Clone(data), nil
}

// Lookup returns the entries of the credential (revocation first), none
// when it has none.
func (s *Store) Lookup(credentialID string) []Allocation {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Allocation
	for _, p := range []string{PurposeRevocation, PurposeSuspension} {
		key := credKey{credentialID, p}
		if ref, ok := s.byCred[key]; ok {
			out = append(out, s.allocation(key, ref))
		}
	}
	return out
}

// Lists describes the store's lists, by purpose and number.
func (s *Store) Lists() []ListInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ListInfo, 0, len(s.lists))
	for _, l := range s.lists {
		set := 0
		for _, b := range l.list.Bytes() {
			set += bits.OnesCount8(b)
		}
		out = append(out, ListInfo{
			Name: l.name, URL: l.url, Purpose: l.purpose,
			Size: l.list.Len(), Allocated: l.allocated, SetCount: set,
			Current: s.current[l.purpose] == l,
		})
	}
	slices.SortFunc(out, func(a, b ListInfo) int {
		if c := strings.Compare(a.Purpose, b.Purpose); c != 0 {
			return c
		}
		_, an, _ := parseListName(a.Name)
		_, bn, _ := parseListName(b.Name)
		return an - bn
	})
	return out
}

// Close closes the log and releases the directory's lock. Further calls
// return ErrStoreClosed; closing again returns nil.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Swap(true) {
		return nil
	}
	err := s.log.Close()
	if uerr := unlockDir(s.lock, s.lockPath); err == nil {
		err = uerr
	}
	return err
}

// logRecord is one line of the allocation log.
type logRecord struct {
	Op           string `json:"op"`
	CredentialID string `json:"credentialId"`
	Purpose      string `json:"purpose"`
	List         string `json:"list"`
	Index        *int   `json:"index"`
	Time         string `json:"time,omitempty"`
}

// replayedRecord is a checked log record.
type replayedRecord struct {
	CredentialID, Purpose, List string
	Index, line                 int
}

type replayed struct {
	records []replayedRecord
	good    int64 // length of the complete lines
	torn    int
}

// replayLog parses the allocation log: JSON lines of at most
// MaxLogLineBytes, each an allocation of a distinct (credential, purpose)
// and a distinct (list, index). Bytes after the last newline are a line
// torn by a crash (the allocation was not acknowledged): counted, not
// returned. Anything else wrong is ErrStoreCorrupt naming path and line.
func replayLog(r io.Reader, path string) (*replayed, error) {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < MaxLogLineBytes {
		br = bufio.NewReaderSize(r, MaxLogLineBytes)
	}
	out := &replayed{}
	creds := map[credKey]bool{}
	type slot struct {
		list  string
		index int
	}
	slots := map[slot]bool{}
	for lineNo := 1; ; lineNo++ {
		line, err := readLine(br)
		if err == io.EOF {
			if len(line) > 0 {
				out.torn++
			}
			return out, nil
		}
		corrupt := func(format string, args ...any) error {
			return fmt.Errorf("%w: %s line %d: "+format, append([]any{ErrStoreCorrupt, path, lineNo}, args...)...)
		}
		if err == errLongLine {
			return nil, corrupt("longer than %d bytes", MaxLogLineBytes)
		}
		if err != nil {
			return nil, fmt.Errorf("status: store: reading %s: %w", path, err)
		}
		var rec logRecord
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rec); err != nil {
			return nil, corrupt("%v", err)
		}
		if dec.More() {
			return nil, corrupt("more than one JSON value")
		}
		if rec.Op != logOpAllocate {
			return nil, corrupt("unknown op %q", rec.Op)
		}
		if err := checkCredentialID(rec.CredentialID); err != nil {
			return nil, corrupt("%v", err)
		}
		if err := checkPurpose(rec.Purpose); err != nil {
			return nil, corrupt("%v", err)
		}
		if p, _, ok := parseListName(rec.List); !ok || p != rec.Purpose {
			return nil, corrupt("list %q is not a %s list name", rec.List, rec.Purpose)
		}
		if rec.Index == nil || *rec.Index < 0 || *rec.Index >= DefaultMaxListBytes*8 {
			return nil, corrupt("missing or out-of-range index")
		}
		key := credKey{rec.CredentialID, rec.Purpose}
		if creds[key] {
			return nil, corrupt("second %s entry for credential %q", rec.Purpose, rec.CredentialID)
		}
		sl := slot{rec.List, *rec.Index}
		if slots[sl] {
			return nil, corrupt("index %d of list %s allocated twice", *rec.Index, rec.List)
		}
		creds[key], slots[sl] = true, true
		out.records = append(out.records, replayedRecord{rec.CredentialID, rec.Purpose, rec.List, *rec.Index, lineNo})
		out.good += int64(len(line)) + 1
	}
}

var errLongLine = errors.New("line too long")

// readLine returns the next line without its newline; at the end, io.EOF
// with the bytes after the last newline.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > MaxLogLineBytes {
			return nil, errLongLine
		}
		switch err {
		case nil:
			return buf[:len(buf)-1], nil
		case bufio.ErrBufferFull:
			continue
		default:
			return buf, err
		}
	}
}
