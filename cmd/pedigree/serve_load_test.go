package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/store"
)

// TestServeDrain queues PEDIGREE_DRAIN_RUNS assessments of the demo (skip
// when unset) on `pedigree serve --concurrency C` (PEDIGREE_DRAIN_CONCURRENCY,
// default 2) and compares the drain rate with C parallel `pedigree assess`
// processes; it checks no run is lost or run twice and samples the
// server's resident memory.
func TestServeDrain(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("PEDIGREE_DRAIN_RUNS"))
	if n <= 0 {
		t.Skip("set PEDIGREE_DRAIN_RUNS (e.g. 1000) to run the drain load test")
	}
	conc := 2
	if v, _ := strconv.Atoi(os.Getenv("PEDIGREE_DRAIN_CONCURRENCY")); v > 0 {
		conc = v
	}
	dir := t.TempDir()
	// The CLI's own rate: conc processes at a time, 5 runs each.
	cliRuns := conc * 5
	start := time.Now()
	var wg sync.WaitGroup
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range cliRuns / conc {
				out := filepath.Join(dir, fmt.Sprintf("cli-%d-%d", w, i))
				cmd := exec.Command(pedigreeBin, "assess", "--config", demoConfig(t), "--out", out, "--quiet")
				cmd.Run()
				os.RemoveAll(out)
			}
		}()
	}
	wg.Wait()
	cliRate := float64(cliRuns) / time.Since(start).Seconds()

	data := filepath.Join(dir, "data")
	tok := newToken(t, "operator", "--data-dir", data)
	p := startServe(t, "--config", demoConfig(t), "--data-dir", data, "--listen", "127.0.0.1:0", "--schedule", "@yearly",
		"--concurrency", strconv.Itoa(conc), "--quiet")
	st, err := store.OpenSQLite(context.Background(), filepath.Join(data, "pedigree.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rss := func() int {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
				kb, _ := strconv.Atoi(f[1])
				return kb / 1024
			}
		}
		return 0
	}
	start = time.Now()
	ids := map[int64]bool{}
	for range n {
		code, b := api(t, "POST", p.url+"/api/runs", tok, `{"system":"demo"}`)
		if code != http.StatusAccepted {
			t.Fatalf("POST /api/runs = %d %s", code, b)
		}
		var r struct{ ID int64 }
		json.Unmarshal(b, &r)
		ids[r.ID] = true
	}
	var samples []string
	next := 0
	for {
		rs, err := st.Runs(context.Background(), store.RunFilter{Status: store.StatusSucceeded, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		if len(rs) > 0 {
			all, _ := st.Runs(context.Background(), store.RunFilter{Status: store.StatusSucceeded, Limit: n + 10})
			done = len(all)
		}
		if done*10 >= next*n {
			samples = append(samples, fmt.Sprintf("%d%%:%dMiB", next*10, rss()))
			next++
		}
		if done >= n {
			break
		}
		if time.Since(start) > time.Duration(n)*30*time.Second {
			t.Fatalf("only %d of %d runs done", done, n)
		}
		time.Sleep(500 * time.Millisecond)
	}
	elapsed := time.Since(start)
	all, _ := st.Runs(context.Background(), store.RunFilter{Limit: n + 10})
	twice := 0
	for _, r := range all {
		if !ids[r.ID] || r.Status != store.StatusSucceeded {
			t.Errorf("unexpected run %+v", r)
		}
		if r.Attempt != 1 {
			twice++
		}
	}
	rate := float64(n) / elapsed.Seconds()
	t.Logf("concurrency %d: CLI %.2f runs/s (%d runs); serve drained %d runs in %s = %.2f runs/s (%.2f× the CLI); runs %d, retried %d; server RSS %s",
		conc, cliRate, cliRuns, n, elapsed.Round(time.Second), rate, rate/cliRate, len(all), twice, strings.Join(samples, " "))
	if len(all) != n || twice != 0 {
		t.Fatalf("%d runs recorded for %d queued, %d run more than once", len(all), n, twice)
	}
	if rate < 0.8*cliRate {
		t.Fatalf("drain %.2f runs/s < 0.8 × CLI %.2f runs/s", rate, cliRate)
	}
}
