package sigstore

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	corpus "github.com/pedigree-dev/pedigree/verify/testcorpus"
)

// BenchmarkSpeedupVsCLI compares, under the same machine load, the two ways
// of verifying 1,000 bundles: one `pedigree verify bundle` process per
// bundle (the built binary exec'd, as a CLI-per-bundle workflow such as
// cosign's does; the median of 15 runs per round) and one in-process Batch
// (a fresh batch per round, so its cache fills are counted), on one
// goroutine and on a GOMAXPROCS worker pool. Each b.Loop iteration is one
// round; the figures are medians over rounds.
func BenchmarkSpeedupVsCLI(b *testing.B) {
	bin := buildPedigree(b)
	raw, pol, art := rekor2Case(b)
	var c corpus.Case
	for _, x := range corpus.Load(b, "sigstore-bundle") {
		if x.Name == "sigstore-rekor2-happy-path" {
			c = x
		}
	}
	args := []string{"verify", "bundle", "--bundle", c.Path("bundle"), "--trusted-root", c.Path("trusted-root"),
		"--certificate-identity", c.Policy["certificate-identity"], "--certificate-oidc-issuer", c.Policy["certificate-oidc-issuer"], c.Path("artifact")}
	const n = 1000
	jobs := make([]Job, n)
	for i := range jobs {
		jobs[i] = Job{Bundle: raw, Policy: pol, Artifact: art}
	}
	var cli, serial, pool []float64 // seconds per bundle
	for b.Loop() {
		var runs []float64
		for range 15 {
			start := time.Now()
			if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
				b.Fatalf("%v: %s", err, out)
			}
			runs = append(runs, time.Since(start).Seconds())
		}
		cli = append(cli, median(runs))

		start := time.Now()
		bt := NewBatch()
		for i := range n {
			if _, err := bt.Verify(raw, pol, art); err != nil {
				b.Fatalf("bundle %d: %v", i, err)
			}
		}
		serial = append(serial, time.Since(start).Seconds()/n)

		start = time.Now()
		for i, o := range NewBatch().VerifyAll(context.Background(), jobs, 0) {
			if o.Err != nil {
				b.Fatalf("bundle %d: %v", i, o.Err)
			}
		}
		pool = append(pool, time.Since(start).Seconds()/n)
	}
	mc, ms, mp := median(cli), median(serial), median(pool)
	b.ReportMetric(mc*1e3, "cli-ms/bundle")
	b.ReportMetric(ms*1e3, "batch1-ms/bundle")
	b.ReportMetric(mp*1e3, "batchN-ms/bundle")
	b.ReportMetric(mc/ms, "x-speedup-1goroutine")
	b.ReportMetric(mc/mp, "x-speedup-pool")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "workers")
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// buildPedigree builds the CLI once into a temporary folder.
func buildPedigree(b *testing.B) string {
	b.Helper()
	dir, err := os.Getwd()
	if err != nil {
		b.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			b.Skip("module root not found")
		}
		dir = parent
	}
	bin := filepath.Join(b.TempDir(), "pedigree")
	build := exec.Command("go", "build", "-o", bin, "./cmd/pedigree")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		b.Skipf("cannot build the pedigree CLI for the baseline: %v: %s", err, out)
	}
	return bin
}
