package status

import (
	"bytes"
	"errors"
	"strconv"
	"testing"
)

// FuzzStoreReplay feeds arbitrary content to the allocation log parser:
// it must not panic, must fail only with ErrStoreCorrupt, and what it
// accepts must be consistent (complete lines only, distinct entries).
func FuzzStoreReplay(f *testing.F) {
	line := func(id, purpose, list string, idx int) string {
		return `{"op":"allocate","credentialId":"` + id + `","purpose":"` + purpose + `","list":"` + list + `","index":` + strconv.Itoa(idx) + `,"time":"2026-06-01T12:00:00Z"}` + "\n"
	}
	f.Add([]byte(""))
	f.Add([]byte(line("urn:a", "revocation", "revocation-1", 5)))
	f.Add([]byte(line("urn:a", "revocation", "revocation-1", 5) + line("urn:a", "suspension", "suspension-2", 7)))
	f.Add([]byte(line("urn:a", "revocation", "revocation-1", 5) + `{"op":"allo`))
	f.Add([]byte(line("urn:a", "revocation", "revocation-1", 5) + line("urn:b", "revocation", "revocation-1", 5)))
	f.Add([]byte("\n\n{}\n"))
	f.Add(bytes.Repeat([]byte("x"), MaxLogLineBytes+10))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := replayLog(bytes.NewReader(data), "allocations.jsonl")
		if err != nil {
			if !errors.Is(err, ErrStoreCorrupt) {
				t.Fatalf("error not ErrStoreCorrupt: %v", err)
			}
			return
		}
		if rep.good > int64(len(data)) || (rep.good > 0 && data[rep.good-1] != '\n') {
			t.Fatalf("good %d of %d bytes", rep.good, len(data))
		}
		if bytes.IndexByte(data[rep.good:], '\n') >= 0 || (rep.torn == 1) != (rep.good < int64(len(data))) {
			t.Fatalf("torn %d, good %d of %d", rep.torn, rep.good, len(data))
		}
		creds, slots := map[credKey]bool{}, map[string]bool{}
		for _, r := range rep.records {
			p, _, ok := parseListName(r.List)
			if !ok || p != r.Purpose || r.Index < 0 || checkCredentialID(r.CredentialID) != nil {
				t.Fatalf("accepted record %+v", r)
			}
			k, s := credKey{r.CredentialID, r.Purpose}, r.List+"#"+strconv.Itoa(r.Index)
			if creds[k] || slots[s] {
				t.Fatalf("duplicate accepted: %+v", r)
			}
			creds[k], slots[s] = true, true
		}
	})
}
