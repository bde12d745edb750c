package main

import (
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/internal/sharedtest"
)

// BenchmarkSBOMInspectVsDecode runs, as whole processes, `pedigree sbom
// inspect --json` (schema check included) and a bare decode of the same
// file into cyclonedx-go's types (testdata/cdxdecode), on the real
// 15,952-component CycloneDX 1.7 SBOM of the shared corpus. It reports each
// one's wall and CPU time and peak RSS, and the ratios; the target is 1.5
// for time and for memory.
func BenchmarkSBOMInspectVsDecode(b *testing.B) {
	dir := b.TempDir()
	sbomFile := filepath.Join(dir, "large.cdx.json")
	src, err := os.Open(filepath.Join(sharedtest.Dir(b, "corpus", "sbom-large"), "gomodcache-syft.cdx.json.gz"))
	if err != nil {
		b.Fatal(err)
	}
	zr, err := gzip.NewReader(src)
	if err != nil {
		b.Fatal(err)
	}
	dst, err := os.Create(sbomFile)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, zr); err != nil {
		b.Fatal(err)
	}
	dst.Close()
	src.Close()
	decoder := filepath.Join(dir, "cdxdecode")
	if out, err := exec.Command("go", "build", "-o", decoder, "./testdata/cdxdecode").CombinedOutput(); err != nil {
		b.Fatalf("build the bare decoder: %v: %s", err, out)
	}
	type run struct {
		wall, cpu time.Duration
		rssKB     int64
	}
	measure := func(name string, args ...string) run {
		cmd := exec.Command(name, args...)
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 1 {
				b.Fatalf("%s: %v: %s", name, err, out)
			}
		}
		r := run{wall: time.Since(start), cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.rssKB = ru.Maxrss
		}
		return r
	}
	var dec, insp run
	for b.Loop() {
		d := measure(decoder, sbomFile)
		i := measure(pedigreeBin, "sbom", "inspect", "--json", sbomFile)
		dec.wall, dec.cpu, dec.rssKB = dec.wall+d.wall, dec.cpu+d.cpu, max(dec.rssKB, d.rssKB)
		insp.wall, insp.cpu, insp.rssKB = insp.wall+i.wall, insp.cpu+i.cpu, max(insp.rssKB, i.rssKB)
	}
	n := float64(b.N)
	b.ReportMetric(float64(insp.wall.Milliseconds())/n, "inspect-ms/op")
	b.ReportMetric(float64(dec.wall.Milliseconds())/n, "decode-ms/op")
	b.ReportMetric(float64(insp.wall)/float64(dec.wall), "wall-ratio")
	b.ReportMetric(float64(insp.cpu)/float64(dec.cpu), "cpu-ratio")
	b.ReportMetric(float64(insp.rssKB)/1024, "inspect-MiB")
	b.ReportMetric(float64(dec.rssKB)/1024, "decode-MiB")
	b.ReportMetric(float64(insp.rssKB)/float64(dec.rssKB), "rss-ratio")
}
