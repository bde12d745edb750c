package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/internal/pgtest"
	"github.com/pedigree-dev/pedigree/store"
)

// serveProc is a running `pedigree serve`.
type serveProc struct {
	cmd  *exec.Cmd
	url  string
	mu   sync.Mutex
	logs bytes.Buffer
	done chan struct{}
}

var servingLine = regexp.MustCompile(`serving (https?://\S+)`)

// startServe starts the binary and waits until it serves (or, with
// --worker-only, until its workers start).
func startServe(t *testing.T, args ...string) *serveProc {
	t.Helper()
	p := &serveProc{cmd: exec.Command(pedigreeBin, append([]string{"serve"}, args...)...), done: make(chan struct{})}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.logs.WriteString(line + "\n")
			p.mu.Unlock()
			if m := servingLine.FindStringSubmatch(line); m != nil {
				ready <- m[1]
			} else if strings.Contains(line, "workers started") && slicesContains(args, "--worker-only") {
				ready <- ""
			}
		}
		p.cmd.Wait()
	}()
	t.Cleanup(func() { p.stop(t) })
	select {
	case p.url = <-ready:
	case <-p.done:
		t.Fatalf("pedigree serve exited:\n%s", p.log())
	case <-time.After(60 * time.Second):
		t.Fatalf("pedigree serve did not start:\n%s", p.log())
	}
	return p
}

func slicesContains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func (p *serveProc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// stop sends SIGTERM and waits.
func (p *serveProc) stop(t *testing.T) {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		t.Errorf("pedigree serve ignored SIGTERM:\n%s", p.log())
	}
}

func (p *serveProc) kill9() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

func api(t *testing.T, method, url, token, body string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func newToken(t *testing.T, role string, storeArgs ...string) string {
	t.Helper()
	r := pedigree(t, nil, append([]string{"token", "create", "--role", role, "--name", "test"}, storeArgs...)...)
	if r.code != 0 {
		t.Fatalf("token create: %d %s", r.code, r.stderr)
	}
	return strings.TrimSpace(r.stdout)
}

func waitRun(t *testing.T, st store.Store, id int64, want string, within time.Duration) *store.Run {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if r, err := st.Run(context.Background(), id); err == nil && r.Status == want {
			return r
		}
		time.Sleep(20 * time.Millisecond)
	}
	r, err := st.Run(context.Background(), id)
	t.Fatalf("run %d is not %s after %s: %+v, %v", id, want, within, r, err)
	return nil
}

// volatile are the fields of pedigree.json that differ between any two
// runs over the same input: the run's id, clocks and durations.
// volatile are the clocks of a run; "at" is the instant a distribution
// channel's expiry windows were judged at, now unless --at pins it.
var volatile = map[string]bool{"runId": true, "startedAt": true, "finishedAt": true, "collectedAt": true, "durationNs": true, "at": true}

func normalise(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k := range x {
			if volatile[k] {
				delete(x, k)
			} else {
				x[k] = normalise(x[k])
			}
		}
	case []any:
		for i := range x {
			x[i] = normalise(x[i])
		}
	}
	return v
}

func canonical(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.MarshalIndent(normalise(v), "", " ")
	return string(out)
}

// TestServeSameAsAssess: a run of `pedigree serve` and `pedigree assess`
// over the same config write the same pedigree.json (but for the run's id
// and clocks), and the run's reports and diff are served.
func TestServeSameAsAssess(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if r := pedigree(t, nil, "assess", "--config", demoConfig(t), "--out", out, "--quiet"); r.code != 1 {
		t.Fatalf("assess = %d: %s", r.code, r.stderr)
	}
	cli, err := os.ReadFile(filepath.Join(out, "pedigree.json"))
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	admin := newToken(t, "admin", "--data-dir", data)
	p := startServe(t, "--config", demoConfig(t), "--data-dir", data, "--listen", "127.0.0.1:0", "--schedule", "@yearly")
	st, err := store.OpenSQLite(context.Background(), filepath.Join(data, "pedigree.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var ids []int64
	for range 2 {
		code, b := api(t, "POST", p.url+"/api/runs", admin, `{"system":"demo"}`)
		if code != http.StatusAccepted {
			t.Fatalf("POST /api/runs = %d %s", code, b)
		}
		var run struct{ ID int64 }
		json.Unmarshal(b, &run)
		waitRun(t, st, run.ID, store.StatusSucceeded, 60*time.Second)
		ids = append(ids, run.ID)
	}
	code, served := api(t, "GET", fmt.Sprintf("%s/api/runs/%d/results", p.url, ids[0]), admin, "")
	if code != 200 {
		t.Fatalf("results = %d", code)
	}
	if a, b := canonical(t, cli), canonical(t, served); a != b {
		os.WriteFile(filepath.Join(os.TempDir(), "pedigree-cli.json"), []byte(a), 0o644)
		os.WriteFile(filepath.Join(os.TempDir(), "pedigree-serve.json"), []byte(b), 0o644)
		t.Fatalf("pedigree.json of serve differs from assess's (see pedigree-cli.json and pedigree-serve.json in %s)", os.TempDir())
	}
	// The summary is the CLI's verdict.
	_, b := api(t, "GET", fmt.Sprintf("%s/api/runs/%d", p.url, ids[0]), admin, "")
	var run struct {
		Status  string
		Summary map[string]int
	}
	json.Unmarshal(b, &run)
	var cliRun struct{ Controls []struct{ Status string } }
	if err := json.Unmarshal(cli, &cliRun); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, c := range cliRun.Controls {
		want[c.Status]++
	}
	if run.Status != "succeeded" || run.Summary["notSatisfied"] != want["not-satisfied"] || run.Summary["satisfied"] != want["satisfied"] ||
		run.Summary["notAssessed"] != want["not-assessed"] || want["not-satisfied"] == 0 {
		t.Fatalf("run = %s, want the CLI's counts %v", b, want)
	}
	// Every format the CLI writes, with its content type.
	for format, ct := range map[string]string{"oscal-ar": "application/json", "oscal-poam": "application/json", "html": "text/html; charset=utf-8",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "sarif": "application/sarif+json", "md": "text/markdown; charset=utf-8",
		"csv": "text/csv; charset=utf-8", "csv-findings": "text/csv; charset=utf-8", "hdf": "application/json"} {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/runs/%d/reports/%s", p.url, ids[0], format), nil)
		req.Header.Set("Authorization", "Bearer "+admin)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != ct || n < 100 {
			t.Errorf("report %s = %d %q, %d bytes", format, res.StatusCode, res.Header.Get("Content-Type"), n)
		}
	}
	code, b = api(t, "GET", fmt.Sprintf("%s/api/runs/%d/diff/%d", p.url, ids[1], ids[0]), admin, "")
	var d struct {
		NewFindings []any `json:"newFindings"`
		StillOpen   []any `json:"poamStillOpen"`
	}
	json.Unmarshal(b, &d)
	// Every not-satisfied control of the CLI's run is a POA&M item still open.
	if code != 200 || len(d.NewFindings) != 0 || len(d.StillOpen) != want["not-satisfied"] {
		t.Fatalf("diff of two runs over the same input = %d: %d new, %d still open", code, len(d.NewFindings), len(d.StillOpen))
	}
}

// TestServeKill9: a server killed mid-scan leaves a running run and no
// result; restarted at once, it takes the run back before doing anything
// else (not after job-timeout + 1 minute, an hour by default), runs it
// again as attempt 2, and it completes exactly once. The audit log says
// why it ran twice.
func TestServeKill9(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	admin := newToken(t, "admin", "--data-dir", data)
	args := []string{"--config", demoConfig(t), "--data-dir", data, "--listen", "127.0.0.1:0", "--schedule", "@yearly"}
	p := startServe(t, args...)
	st, err := store.OpenSQLite(context.Background(), filepath.Join(data, "pedigree.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	code, b := api(t, "POST", p.url+"/api/runs", admin, `{"system":"demo"}`)
	if code != http.StatusAccepted {
		t.Fatalf("POST /api/runs = %d %s", code, b)
	}
	var run struct{ ID int64 }
	json.Unmarshal(b, &run)
	waitRun(t, st, run.ID, store.StatusRunning, 30*time.Second)
	p.kill9()
	r, _ := st.Run(context.Background(), run.ID)
	if r.Status != store.StatusRunning {
		t.Skipf("the run finished (%s) before the kill landed; nothing to take back", r.Status)
	}
	if reps, _ := st.Reports(context.Background(), run.ID); len(reps) != 0 {
		t.Fatalf("a killed run left %d report files", len(reps))
	}
	// The kernel dropped the dead server's lock: the new one starts.
	p2 := startServe(t, args...)
	done := waitRun(t, st, run.ID, store.StatusSucceeded, 90*time.Second)
	if done.Attempt != 2 || done.Worker == r.Worker {
		t.Fatalf("taken-back run = %+v, want attempt 2 by the new server (the first was %s)", done, r.Worker)
	}
	reps, err := st.Reports(context.Background(), run.ID)
	if err != nil || len(reps) != 4 {
		t.Fatalf("reports after rescue = %+v, %v", reps, err)
	}
	if rs, _ := st.Runs(context.Background(), store.RunFilter{}); len(rs) != 1 {
		t.Fatalf("runs after rescue = %+v", rs)
	}
	code, b = api(t, "GET", p2.url+"/api/audit", admin, "")
	var audit struct{ Entries []store.AuditEntry }
	if err := json.Unmarshal(b, &audit); code != 200 || err != nil {
		t.Fatalf("GET /api/audit = %d %s", code, b)
	}
	want := fmt.Sprintf("attempt 1 interrupted: its server stopped mid-run (worker %s); taken back when the server restarted; retried now as attempt 2 of 3", r.Worker)
	for _, e := range audit.Entries {
		if e.Action == "run.takeback" && e.Target == fmt.Sprintf("run %d", run.ID) && e.Detail == want {
			return
		}
	}
	t.Fatalf("audit log has no take-back of run %d: %s", run.ID, b)
}

// TestServeOneServerPerHistory: a second `pedigree serve` on a SQLite
// history that a server is serving exits 2 at once, naming the data dir
// and the first server's pid, and leaves the first serving; `token create`
// still works beside it.
func TestServeOneServerPerHistory(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	admin := newToken(t, "admin", "--data-dir", data)
	args := []string{"--config", demoConfig(t), "--data-dir", data, "--listen", "127.0.0.1:0", "--schedule", "@yearly"}
	p := startServe(t, args...)
	for _, extra := range [][]string{nil, {"--worker-only"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, pedigreeBin, append(append([]string{"serve"}, args...), extra...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		timedOut := ctx.Err() != nil
		cancel()
		if timedOut {
			t.Fatalf("second serve %v still running after 60 s:\n%s", extra, stderr.String())
		}
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Fatalf("second serve %v = %v, want exit 2:\n%s", extra, err, stderr.String())
		}
		msg := strings.TrimSpace(stderr.String())
		want := fmt.Sprintf("pedigree: data dir %s: another pedigree serve (pid %d) is serving this history", data, p.cmd.Process.Pid)
		if !strings.HasPrefix(msg, want) || strings.Contains(msg, "\n") {
			t.Fatalf("second serve %v said:\n%s\nwant one line starting %q", extra, msg, want)
		}
	}
	if r := pedigree(t, nil, "token", "create", "--role", "viewer", "--name", "beside", "--data-dir", data); r.code != 0 {
		t.Fatalf("token create beside a server = %d: %s", r.code, r.stderr)
	}
	if code, b := api(t, "GET", p.url+"/api/tokens", admin, ""); code != 200 || !strings.Contains(string(b), `"beside"`) {
		t.Fatalf("the first server after a refused second = %d %s", code, b)
	}
}

// TestServePostgresWorkers: two `serve --worker-only` processes against
// one PostgreSQL share scheduled work, and no scheduled run is run twice.
func TestServePostgresWorkers(t *testing.T) {
	c, err := pgtest.Start()
	if err != nil {
		pgtest.Skip(t, err)
	}
	t.Cleanup(c.Stop)
	url := c.NewDatabase(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "server.yaml")
	os.WriteFile(cfg, fmt.Appendf(nil, "systems:\n  - {name: demo, config: %s, schedule: \"@every 3s\"}\n", demoConfig(t)), 0o644)
	args := []string{"--config", cfg, "--database-url", url, "--worker-only", "--concurrency", "1"}
	w1 := startServe(t, args...)
	w2 := startServe(t, args...)
	start := time.Now()
	time.Sleep(16 * time.Second)
	w1.stop(t)
	w2.stop(t)
	elapsed := time.Since(start)
	st, err := store.OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rs, err := st.Runs(context.Background(), store.RunFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	workers := map[string]int{}
	succeeded := 0
	for _, r := range rs {
		if r.Attempt > 1 {
			t.Errorf("run %d ran %d times: %+v", r.ID, r.Attempt, r)
		}
		if r.Status == store.StatusSucceeded {
			succeeded++
			workers[r.Worker]++
		}
	}
	// One run per 3 s tick, not one per worker per tick.
	maxRuns := int(elapsed/(3*time.Second)) + 2
	if len(rs) < 3 || len(rs) > maxRuns || succeeded < 2 {
		t.Fatalf("%d runs (%d succeeded) in %s, want 3..%d: %+v\n%s\n%s", len(rs), succeeded, elapsed.Round(time.Second), maxRuns, rs, w1.log(), w2.log())
	}
	t.Logf("%d scheduled runs in %s, %d succeeded, by worker: %v", len(rs), elapsed.Round(time.Second), succeeded, workers)
}
