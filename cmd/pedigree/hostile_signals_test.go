package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// osvZip writes an all.zip export of n generated OSV records, large enough
// that writing its index cache takes a while.
func osvZip(t *testing.T, file string, n int) {
	t.Helper()
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	summary := strings.Repeat("generated advisory text ", 12)
	for i := range n {
		w, err := zw.Create(fmt.Sprintf("GO-2099-%05d.json", i))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(w, `{"schema_version":"1.6.0","id":"GO-2099-%05d","modified":"2025-01-01T00:00:00Z","aliases":["CVE-2099-%05d"],"summary":%q,`+
			`"affected":[{"package":{"ecosystem":"Go","name":"example.com/generated/m%05d"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.%d.0"}]}]}]}`,
			i, i, summary, i, i%50+1)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// An interrupt that lands while the OSV index cache is being written leaves
// no temporary file in the cache folder, whether the command stops on its
// own (one signal: the cache writer fails at its next write) or is ended at
// once by a second signal (the forced exit removes every registered
// temporary file). The signal is sent as soon as the temporary file
// appears, so each try interrupts the write itself.
func TestHostileInterruptOSVCacheWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 40,000-record OSV database")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "all.zip")
	osvZip(t, db, 40000)
	sbomFile := filepath.Join(filepath.Dir(demoConfigPath()), "release", "pedigree-demo_1.0.0_linux_amd64.cdx.json")
	caught := 0
	for i, signals := range [][]syscall.Signal{
		{syscall.SIGINT},
		{syscall.SIGTERM},
		{syscall.SIGINT, syscall.SIGINT},
		{syscall.SIGTERM, syscall.SIGINT},
	} {
		t.Run(fmt.Sprint(signals), func(t *testing.T) {
			cache := filepath.Join(dir, fmt.Sprintf("cache%d", i))
			if err := os.Mkdir(cache, 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(pedigreeBin, "vuln", "match", sbomFile, "--osv", db, "--cache-dir", cache)
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			deadline := time.After(30 * time.Second)
			sent := false
		watch:
			for {
				select {
				case <-done:
					break watch
				case <-deadline:
					cmd.Process.Kill()
					<-done
					t.Fatal("no cache written in 30 s")
				default:
				}
				if tempIn(cache) != "" {
					for _, s := range signals {
						cmd.Process.Signal(s)
					}
					sent = true
					break
				}
				time.Sleep(200 * time.Microsecond)
			}
			select {
			case <-done:
			case <-time.After(interruptGrace + 5*time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatal("still running after the signal")
			}
			code := cmd.ProcessState.ExitCode()
			if !sent {
				t.Logf("finished (exit %d) before the temporary file was seen", code)
				return
			}
			switch code {
			case exitInterrupted:
				caught++
			case exitOK, exitFindings:
				// The write ended between the look and the signal.
				t.Logf("finished (exit %d) as the signal was sent", code)
			default:
				t.Errorf("exit %d after %v while the cache was written: %s", code, signals, errb.String())
			}
			if p := tempIn(cache); p != "" {
				t.Errorf("temporary file left: %s", p)
			}
			if strings.Contains(errb.String(), ".tmp") {
				t.Errorf("stderr names a temporary file: %s", errb.String())
			}
		})
	}
	if caught == 0 {
		t.Error("no try saw the cache's temporary file: the test interrupted nothing")
	}
	noTempFiles(t, dir)
}

// tempIn names a temporary file in dir, or "".
func tempIn(dir string) string {
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		if strings.HasSuffix(e.Name(), ".tmp") {
			return filepath.Join(dir, e.Name())
		}
	}
	return ""
}

// A signal at any moment of start-up, even while packages are still
// being initialised, ends the command with 130 (or the command finished
// first) and leaves no half-written output: from the moment
// internal/startup is initialised the signal is held for main; before
// that, Go's default action ends the process before anything is written.
func TestHostileInterruptAtStartup(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.yaml")
	if r := runHostileIn(t, dir, "controls", "mapping", "-o", full); r.code != 0 {
		t.Fatalf("controls mapping: exit %d: %s", r.code, r.stderr)
	}
	want, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	for _, delay := range []time.Duration{0, 1, 2, 4, 6, 8, 12, 16, 24, 32} {
		delay *= time.Millisecond
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			out := filepath.Join(dir, fmt.Sprintf("mapping-%v-%d.yaml", delay, sig))
			cmd := exec.Command(pedigreeBin, "controls", "mapping", "-o", out)
			var errb bytes.Buffer
			cmd.Stderr = &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			cmd.Process.Signal(sig)
			cmd.Wait()
			code := cmd.ProcessState.ExitCode()
			ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
			switch {
			case ws.Signaled() && ws.Signal() == sig:
				// Before internal/startup: the default action, before
				// anything was written.
				if _, err := os.Lstat(out); err == nil {
					t.Errorf("%v after %v: killed by the default action, yet %s was written", sig, delay, out)
				}
			case code == exitInterrupted, code == exitOK:
				// Stopped, or finished before or despite the signal: the
				// output is whole or absent, never a part.
				if b, err := os.ReadFile(out); err == nil && !bytes.Equal(b, want) {
					t.Errorf("%v after %v: exit %d left %d bytes of %d", sig, delay, code, len(b), len(want))
				}
			default:
				t.Errorf("%v after %v: exit %d: %s", sig, delay, code, errb.String())
			}
		}
	}
	noTempFiles(t, dir)
}
