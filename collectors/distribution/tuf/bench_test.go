package tuf

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf/tuftest"
)

// BenchmarkRepository15Roots1000Targets judges a TUF repository with 15
// root versions (threshold 2 of 3, one key rotated per version) and 1,000
// targets (issue: <= 1 s).
func BenchmarkRepository15Roots1000Targets(b *testing.B) {
	dir := b.TempDir()
	if _, err := tuftest.Write(dir, tuftest.Options{Roots: 15, Targets: 1000, Threshold: 2, Seed: "bench"}); err != nil {
		b.Fatal(err)
	}
	o := distribution.Options{At: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), TUFRoot: filepath.Join(dir, "metadata/root_history/1.root.json")}
	b.ReportAllocs()
	for b.Loop() {
		fs := scan(b, dir, o)
		if n := count(fs, CheckTargetsMatch, distribution.Verified); n != 1000 {
			b.Fatalf("%d targets verified", n)
		}
		if c := pick(fs, CheckRootChain, "root"); c.Outcome != distribution.Verified {
			b.Fatal(c.Message)
		}
	}
}

// BenchmarkHashBins256Bins1000Targets judges a TAP 15 repository with 256
// hash bins (each verified, listed in snapshot, its targets' bins
// recomputed) and 1,000 targets.
func BenchmarkHashBins256Bins1000Targets(b *testing.B) {
	dir := b.TempDir()
	if _, err := tuftest.Write(dir, tuftest.Options{Roots: 15, Targets: 1000, Threshold: 2, BinBits: 8, Seed: "bench"}); err != nil {
		b.Fatal(err)
	}
	o := distribution.Options{At: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), TUFRoot: filepath.Join(dir, "metadata/root_history/1.root.json")}
	b.ReportAllocs()
	for b.Loop() {
		fs := scan(b, dir, o)
		if n := count(fs, CheckTargetsMatch, distribution.Verified); n != 1000 {
			b.Fatalf("%d targets verified", n)
		}
		if n := count(fs, CheckSigned, distribution.Verified); n != 3+256 {
			b.Fatalf("%d roles verified", n)
		}
	}
}
