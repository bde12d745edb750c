package cichecks

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/collectors/ci"
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
	root := b.TempDir()
	out := filepath.Join(root, ".github", "workflows")
	if err := os.MkdirAll(out, 0o755); err != nil {
		b.Fatal(err)
	}
	// A .git folder makes the tree a repository, as where actionlint is
	// normally run: it then finds its project once instead of probing every
	// parent folder of every file.
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
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

// BenchmarkActionlintParse is actionlint's parser alone (read and parse,
// GOMAXPROCS files at a time) over the same files: the share of the work
// both sides must do.
func BenchmarkActionlintParse(b *testing.B) {
	paths := benchFiles(b, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		parseAll(b, paths)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/file")
}

// parseAll reads and parses every file with actionlint's parser, as many
// at a time as actionlint's linter does.
func parseAll(b *testing.B, paths []string) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(paths); i = int(next.Add(1) - 1) {
				raw, err := os.ReadFile(paths[i])
				if err != nil {
					b.Error(err)
					return
				}
				actionlint.Parse(raw)
			}
		}()
	}
	wg.Wait()
}

// BenchmarkCIScanVsActionlint runs `ci scan` (Scan, then printing each
// finding as the command does) and actionlint's linter (which prints its
// errors) over the same 1,000 files in rounds, alternating which goes first
// (A B, B A, ...), and reports per file the median wall time of each side,
// the median of the per-round ratios (robust to a machine whose load
// changes between rounds) and the ratio of process CPU time. A third side,
// actionlint's parser alone, gives the floor: the ratio ci scan would have
// if it did nothing but parse. Every figure is a median over the rounds;
// use -benchtime 20x or more.
func BenchmarkCIScanVsActionlint(b *testing.B) {
	paths := benchFiles(b, 1000)
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	scan := func() {
		rs, err := Scan(context.Background(), paths, ScanOptions{})
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriter(io.Discard)
		for _, r := range rs {
			fmt.Fprintf(w, "%s:%d:%d: %s [%s]\n", r.File, r.Line, r.Column, r.Message, r.Rule)
		}
		w.Flush()
	}
	lint := func() {
		if _, err := l.LintFiles(paths, nil); err != nil {
			b.Fatal(err)
		}
	}
	parse := func() { parseAll(b, paths) }
	measure := func(f func()) (wall, cpu time.Duration) {
		runtime.GC() // start each side with the same clean heap
		c0, t0 := cpuTime(), time.Now()
		f()
		return time.Since(t0), cpuTime() - c0
	}
	var ours, theirs, ratios, floors, oursCPU, theirsCPU, cpuRatios, cpuFloors []float64
	b.ReportAllocs()
	round := 0
	for b.Loop() {
		var wo, wt, wp, co, ct, cp time.Duration
		if round%2 == 0 {
			wo, co = measure(scan)
			wt, ct = measure(lint)
			wp, cp = measure(parse)
		} else {
			wp, cp = measure(parse)
			wt, ct = measure(lint)
			wo, co = measure(scan)
		}
		round++
		ours = append(ours, float64(wo))
		theirs = append(theirs, float64(wt))
		ratios = append(ratios, float64(wo)/float64(wt))
		floors = append(floors, float64(wp)/float64(wt))
		if ct > 0 {
			oursCPU = append(oursCPU, float64(co))
			theirsCPU = append(theirsCPU, float64(ct))
			cpuRatios = append(cpuRatios, float64(co)/float64(ct))
			cpuFloors = append(cpuFloors, float64(cp)/float64(ct))
		}
	}
	n := float64(len(paths))
	b.ReportMetric(median(ours)/n, "scan-ns/file")
	b.ReportMetric(median(theirs)/n, "actionlint-ns/file")
	b.ReportMetric(median(ratios), "ratio")
	b.ReportMetric(median(floors), "parse-only-ratio")
	if len(cpuRatios) > 0 {
		b.ReportMetric(median(oursCPU)/n, "scan-cpu-ns/file")
		b.ReportMetric(median(theirsCPU)/n, "actionlint-cpu-ns/file")
		b.ReportMetric(median(cpuRatios), "cpu-ratio")
		b.ReportMetric(median(cpuFloors), "parse-only-cpu-ratio")
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// BenchmarkRules is the rules alone over the 1,000 files parsed once: the
// work `ci scan` adds to parsing, per file.
func BenchmarkRules(b *testing.B) {
	paths := benchFiles(b, 1000)
	pls := make([]*ci.Pipeline, len(paths))
	for i, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		pls[i] = ci.Parse(ci.Sniff(filepath.Base(p), raw), filepath.Base(p), raw)
	}
	rules := Rules()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pls {
			Run(p, rules, nil)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(pls)), "ns/file")
}
