package tuf

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf/tuftest"
)

// benchRepo judges the repository o describes once per iteration: every
// one of its 1,000 targets verified from pinned root 1, and roles signed.
func benchRepo(b *testing.B, o tuftest.Options, roles int) {
	dir := b.TempDir()
	if _, err := tuftest.Write(dir, o); err != nil {
		b.Fatal(err)
	}
	opts := distribution.Options{At: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), TUFRoot: filepath.Join(dir, "metadata/root_history/1.root.json")}
	b.ReportAllocs()
	for b.Loop() {
		fs := scan(b, dir, opts)
		if n := count(fs, CheckTargetsMatch, distribution.Verified); n != o.Targets {
			b.Fatalf("%d targets verified", n)
		}
		if c := pick(fs, CheckRootChain, "root"); c.Outcome != distribution.Verified {
			b.Fatal(c.Message)
		}
		if n := count(fs, CheckSigned, distribution.Verified); n != roles {
			b.Fatalf("%d roles verified, want %d", n, roles)
		}
	}
}

// BenchmarkRepository15Roots1000Targets judges a TUF repository with 15
// root versions (threshold 2 of 3, one key rotated per version) and 1,000
// targets (issue: <= 1 s).
func BenchmarkRepository15Roots1000Targets(b *testing.B) {
	benchRepo(b, tuftest.Options{Roots: 15, Targets: 1000, Threshold: 2, Seed: "bench"}, 3)
}

// BenchmarkHashBins256Bins1000Targets is the same with the targets in 256
// TAP 15 hash bins (each verified, listed in snapshot, its targets' bins
// recomputed).
func BenchmarkHashBins256Bins1000Targets(b *testing.B) {
	benchRepo(b, tuftest.Options{Roots: 15, Targets: 1000, Threshold: 2, BinBits: 8, Seed: "bench"}, 3+256)
}
