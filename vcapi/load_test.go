package vcapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkServiceVerify is the load run of the HTTP service: many
// concurrent clients (8 per core, keep-alive connections over loopback)
// verifying a realistic credential through POST /credentials/verify, as
// a Data Integrity credential and as an enveloped VC-JWT, and through the
// LMS endpoint POST /verify. Every answer must be 200 with verified true
// (an error fails the benchmark). It reports requests per second and the
// p50/p99 latency seen by the clients:
//
//	go test ./vcapi -run '^$' -bench ServiceVerify -benchtime 30s
func BenchmarkServiceVerify(b *testing.B) {
	e := newEnv(b, envOptions{})
	di := e.issueB(b, nil)
	jwtEnv := e.issueB(b, map[string]any{"format": "vc+jwt"})
	for _, tc := range []struct {
		name, path, ct string
		body           []byte
	}{
		{"di", "/credentials/verify", "application/json", mustJSON(b, map[string]any{"verifiableCredential": di})},
		{"vc-jwt", "/credentials/verify", "application/json", mustJSON(b, map[string]any{"verifiableCredential": jwtEnv})},
		{"lms-raw-di", "/verify", "application/json", di},
	} {
		b.Run(tc.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
			url := e.srv.URL + tc.path
			var mu sync.Mutex
			var lat []time.Duration
			var errs atomic.Int64
			b.SetParallelism(8)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				local := make([]time.Duration, 0, 1024)
				for pb.Next() {
					t0 := time.Now()
					res, err := client.Post(url, tc.ct, bytes.NewReader(tc.body))
					if err != nil {
						errs.Add(1)
						continue
					}
					var out struct {
						Verified bool `json:"verified"`
					}
					derr := json.NewDecoder(res.Body).Decode(&out)
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					local = append(local, time.Since(t0))
					if derr != nil || res.StatusCode != http.StatusOK || !out.Verified {
						errs.Add(1)
					}
				}
				mu.Lock()
				lat = append(lat, local...)
				mu.Unlock()
			})
			elapsed := time.Since(start)
			b.StopTimer()
			if n := errs.Load(); n > 0 {
				b.Fatalf("%d of %d requests failed", n, b.N)
			}
			slices.Sort(lat)
			pct := func(p float64) float64 {
				if len(lat) == 0 {
					return 0
				}
				return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(0, "errors")
		})
	}
}

// issueB issues a fresh EU credential with options through the API.
func (e *env) issueB(b *testing.B, options map[string]any) json.RawMessage {
	body := map[string]any{"credential": euCredential(b)}
	if options != nil {
		body["options"] = options
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/credentials/issue", bytes.NewReader(mustJSON(b, body)))
	req.Header.Set("Authorization", "Bearer "+testAPIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := e.srv.Client().Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusCreated {
		b.Fatalf("issue: %d %v", res.StatusCode, err)
	}
	return out.VerifiableCredential
}
