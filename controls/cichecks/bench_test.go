package cichecks

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rhysd/actionlint"
)

// benchFiles replicates the corpus's GitHub workflows to n files under
// .github/workflows of a temporary directory.
func benchFiles(b *testing.B, n int) []string {
	dir := sharedDir(b, "corpus/ci")
	var srcs [][]byte
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, "gitlab") || strings.HasPrefix(rel, "poutine") || strings.HasSuffix(p, "action.yml") || strings.Contains(rel, "invalid") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err == nil {
			srcs = append(srcs, b)
		}
		return nil
	})
	if len(srcs) == 0 {
		b.Skip("no workflows in the corpus")
	}
	out := filepath.Join(b.TempDir(), ".github", "workflows")
	if err := os.MkdirAll(out, 0o755); err != nil {
		b.Fatal(err)
	}
	paths := make([]string, n)
	for i := range n {
		paths[i] = filepath.Join(out, fmt.Sprintf("w%04d.yml", i))
		if err := os.WriteFile(paths[i], srcs[i%len(srcs)], 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return paths
}

// BenchmarkCIScan is `ci scan` over 1,000 workflow files; compare ns/op
// with BenchmarkActionlint (same files, same run): the ratio is the figure.
func BenchmarkCIScan(b *testing.B) {
	paths := benchFiles(b, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Scan(context.Background(), paths, ScanOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/file")
}

// BenchmarkActionlint lints the same 1,000 files with actionlint v1.7.12 as
// a library.
func BenchmarkActionlint(b *testing.B) {
	paths := benchFiles(b, 1000)
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := l.LintFiles(paths, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/file")
}

// BenchmarkCIScanVsActionlint alternates both over the same 1,000 files in
// each iteration and reports the time ratio, which a loaded machine skews
// less than two separate benchmarks.
func BenchmarkCIScanVsActionlint(b *testing.B) {
	paths := benchFiles(b, 1000)
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var ours, theirs time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if _, err := Scan(context.Background(), paths, ScanOptions{}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := l.LintFiles(paths, nil); err != nil {
			b.Fatal(err)
		}
		ours += t1.Sub(t0)
		theirs += time.Since(t1)
	}
	b.ReportMetric(float64(ours.Nanoseconds())/float64(b.N)/1000, "scan-ns/file")
	b.ReportMetric(float64(theirs.Nanoseconds())/float64(b.N)/1000, "actionlint-ns/file")
	b.ReportMetric(float64(ours)/float64(theirs), "ratio")
}
