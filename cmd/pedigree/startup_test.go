package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// initCost is one package's line of GODEBUG=inittrace=1 output.
type initCost struct {
	pkg           string
	bytes, allocs int64
}

// initTrace runs the built binary with inittrace and returns each
// package's initialisation cost, in the order the runtime ran them, and the
// whole of stderr.
func initTrace(t *testing.T, env string, args ...string) ([]initCost, string) {
	t.Helper()
	cmd := exec.Command(pedigreeBin, args...)
	cmd.Env = append(os.Environ(), "GODEBUG="+env)
	cmd.Dir = t.TempDir()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 1 {
			t.Fatalf("%v: %v: %s", args, err, stderr.String())
		}
	}
	var out []initCost
	sc := bufio.NewScanner(strings.NewReader(stderr.String()))
	for sc.Scan() {
		// init PKG @T ms, C ms clock, B bytes, A allocs
		f := strings.Fields(sc.Text())
		if len(f) != 11 || f[0] != "init" || f[8] != "bytes," || f[10] != "allocs" {
			continue
		}
		b, err1 := strconv.ParseInt(f[7], 10, 64)
		a, err2 := strconv.ParseInt(f[9], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("inittrace line %q", sc.Text())
		}
		out = append(out, initCost{pkg: f[1], bytes: b, allocs: a})
	}
	if len(out) < 100 {
		t.Fatalf("inittrace gave %d packages:\n%s", len(out), stderr.String())
	}
	return out, stderr.String()
}

// TestStartupInitBudget guards the start-up of every command (`version`, a
// one-file `ci scan`, run per file by editors and pre-commit hooks): what
// the program's packages allocate before main, read from the runtime's
// inittrace. Allocations, unlike wall time, do not depend on the machine's
// load, so the test cannot flake. Each package of this module stays
// within a small budget (catalogs, schemas, templates and regular
// expressions load on first use: see internal/lazyre and sync.OnceValue),
// and the whole binary within a budget that a new heavy dependency would
// exceed. The libraries whose own initialisation is the bulk of it are
// listed with their figures in docs/ci-scan-speed.md.
func TestStartupInitBudget(t *testing.T) {
	const (
		ownBytes, ownAllocs     = 32 << 10, 256
		totalBytes, totalAllocs = 6_500_000, 66_000
	)
	costs, _ := initTrace(t, "inittrace=1", "version")
	var sumB, sumA int64
	for _, c := range costs {
		sumB += c.bytes
		sumA += c.allocs
		if strings.HasPrefix(c.pkg, "github.com/pedigree-dev/pedigree") && (c.bytes > ownBytes || c.allocs > ownAllocs) {
			t.Errorf("package %s allocates %d bytes in %d allocations at start-up (budget %d bytes, %d allocations): load it on first use", c.pkg, c.bytes, c.allocs, ownBytes, ownAllocs)
		}
	}
	if sumB > totalBytes || sumA > totalAllocs {
		t.Errorf("start-up allocates %d bytes in %d allocations across %d packages (budget %d bytes, %d allocations)", sumB, sumA, len(costs), totalBytes, totalAllocs)
	}
	t.Logf("start-up: %d packages, %d bytes, %d allocations", len(costs), sumB, sumA)
}

// TestStartupNoCollection: the garbage collector is paused while packages
// initialise (internal/startup), which only works while that package is
// initialised before the libraries that allocate most. A collection before
// main, on `version` or on a clean one-file `ci scan`, means it no longer
// is.
func TestStartupNoCollection(t *testing.T) {
	dir := t.TempDir()
	wf := filepath.Join(dir, "ci.yml")
	if err := os.WriteFile(wf, []byte("on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"version"}, {"ci", "scan", wf}} {
		costs, stderr := initTrace(t, "inittrace=1,gctrace=1", args...)
		for _, line := range strings.Split(stderr, "\n") {
			if strings.HasPrefix(line, "init main ") {
				break // main restores the collector
			}
			if strings.HasPrefix(line, "gc ") {
				t.Errorf("%v: a collection ran before main: %s", args, line)
			}
		}
		var before int64
		for _, c := range costs {
			if c.pkg == "github.com/pedigree-dev/pedigree/internal/startup" {
				break
			}
			before += c.bytes
		}
		if before > 2<<20 {
			t.Errorf("%v: %d bytes allocated before the collector was paused", args, before)
		}
	}
}

// The test binary links internal/startup but never runs main: TestMain
// must give the collector back, or every in-process test runs without one.
func TestStartupCollectorBackInTests(t *testing.T) {
	if os.Getenv("GOGC") == "off" {
		t.Skip("GOGC=off")
	}
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	if p < 0 {
		t.Errorf("the collector is off in the test process (GC percent %d)", p)
	}
}
