package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/internal/pgtest"
	"github.com/pedigree-dev/pedigree/reports/native"
	"github.com/pedigree-dev/pedigree/store"
)

// loadStore opens a store of the named dialect for a load test.
func loadStore(t testing.TB, dialect string) store.Store {
	t.Helper()
	ctx := context.Background()
	var st store.Store
	var err error
	switch dialect {
	case "sqlite":
		st, err = store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "pedigree.db"))
	case "postgres":
		st, err = store.OpenPostgres(ctx, pgtest.Shared(t).NewDatabase(t))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// seedRuns records n succeeded runs of system "web", each with a
// pedigree.json of the given size class.
func seedRuns(t testing.TB, st store.Store, n, findings, controls int) {
	t.Helper()
	ctx := context.Background()
	a := assessmenttest.Random(1, findings, controls)
	var b bytes.Buffer
	if err := native.New().Write(ctx, &b, a); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSystems(ctx, []store.System{{Name: "web", Config: "web.yaml", Schedule: "@daily"}}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		now := at.Add(time.Duration(i) * time.Hour)
		if err := st.StartRun(ctx, store.Run{ID: int64(i), System: "web", Trigger: "schedule", QueuedAt: now, StartedAt: &now, Attempt: 1}); err != nil {
			t.Fatal(err)
		}
		res := &store.Result{Assessment: a, FinishedAt: now.Add(time.Second)}
		if i > n-5 || n <= 50 { // reports for the newest few: that is what clients read
			res.Reports = []store.ReportFile{{ReportMeta: store.ReportMeta{Format: "json", Filename: "pedigree.json", ContentType: "application/json"}, Data: b.Bytes()}}
		}
		if err := st.FinishRun(ctx, int64(i), res); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLoadReadResults: 50 concurrent API clients reading a run's
// pedigree.json. By default it runs 2 s on SQLite; PEDIGREE_LOAD_SECONDS=60
// runs the full load on SQLite and PostgreSQL and holds p99 to 100 ms.
func TestLoadReadResults(t *testing.T) {
	secs, full := 2, false
	if v := os.Getenv("PEDIGREE_LOAD_SECONDS"); v != "" {
		secs, _ = strconv.Atoi(v)
		full = true
	}
	dialects := []string{"sqlite"}
	if full {
		dialects = append(dialects, "postgres")
	}
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			st := loadStore(t, d)
			seedRuns(t, st, 5, 400, 300)
			tok := NewToken()
			st.CreateToken(context.Background(), store.Token{Name: "load", Role: store.RoleViewer, Hash: HashToken(tok), CreatedAt: time.Now()})
			ts := httptest.NewServer(New(Options{Store: st, Formats: []string{"json"}}))
			defer ts.Close()
			tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: os.Getenv("PEDIGREE_LOAD_GZIP") == ""}
			client := &http.Client{Transport: tr}
			defer tr.CloseIdleConnections()
			const clients = 50
			deadline := time.Now().Add(time.Duration(secs) * time.Second)
			var mu sync.Mutex
			var lat []time.Duration
			var bytesRead int64
			var failures int
			var wg sync.WaitGroup
			for c := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var mine []time.Duration
					var n int64
					bad := 0
					for i := 0; time.Now().Before(deadline); i++ {
						id := 1 + (c+i)%5
						req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/runs/%d/results", ts.URL, id), nil)
						req.Header.Set("Authorization", "Bearer "+tok)
						t0 := time.Now()
						res, err := client.Do(req)
						if err != nil {
							bad++
							continue
						}
						m, _ := io.Copy(io.Discard, res.Body)
						res.Body.Close()
						mine = append(mine, time.Since(t0))
						n += m
						if res.StatusCode != 200 {
							bad++
						}
					}
					mu.Lock()
					lat = append(lat, mine...)
					bytesRead += n
					failures += bad
					mu.Unlock()
				}()
			}
			wg.Wait()
			slices.Sort(lat)
			if len(lat) == 0 {
				t.Fatal("no requests completed")
			}
			p := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
			t.Logf("%s: %d clients, %ds: %d requests (%.0f/s), %.1f MB/s, p50 %v p99 %v max %v, %d failures",
				d, clients, secs, len(lat), float64(len(lat))/float64(secs), float64(bytesRead)/float64(secs)/1e6, p(0.5), p(0.99), lat[len(lat)-1], failures)
			if failures > 0 {
				t.Fatalf("%d failed requests", failures)
			}
			limit := 100 * time.Millisecond
			if !full {
				// A short run beside other tests, under -race, on a shared
				// machine: p99 measures the wait for a core (1.03 s seen at
				// load average 15), so this only catches a server that
				// stalls; the 100 ms bound is PEDIGREE_LOAD_SECONDS's.
				limit = 5 * time.Second
			}
			if p(0.99) > limit {
				t.Fatalf("p99 %v > %v", p(0.99), limit)
			}
		})
	}
}

// BenchmarkHistory10k: the system page and GET /api/runs?limit=50 over a
// history of 10,000 runs.
func BenchmarkHistory10k(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres"} {
		b.Run(d, func(b *testing.B) {
			st := loadStore(b, d)
			seedRuns(b, st, 10000, 20, 30)
			tok := NewToken()
			st.CreateToken(context.Background(), store.Token{Name: "bench", Role: store.RoleViewer, Hash: HashToken(tok), CreatedAt: time.Now()})
			srv := New(Options{Store: st, Formats: []string{"json"}})
			for _, path := range []string{"/api/runs?limit=50", "/systems/web", "/"} {
				b.Run(path, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						req := httptest.NewRequest("GET", path, nil)
						req.Header.Set("Authorization", "Bearer "+tok)
						w := httptest.NewRecorder()
						srv.ServeHTTP(w, req)
						if w.Code != 200 {
							b.Fatalf("%s = %d: %s", path, w.Code, w.Body)
						}
					}
				})
			}
		})
	}
}
