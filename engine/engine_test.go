package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/filechecks"
	"github.com/pedigree-dev/pedigree/evidence"
)

// brokenCollector fails the way a buggy parser would.
type brokenCollector struct{ panics bool }

func (b brokenCollector) Name() string { return "broken" }
func (b brokenCollector) Collect(context.Context, *collectors.Target) ([]evidence.Evidence, error) {
	if b.panics {
		panic("index out of range")
	}
	return nil, errors.New("cannot read the thing")
}

func release(t *testing.T, tamper bool) string {
	t.Helper()
	dir := t.TempDir()
	sum := sha256.Sum256([]byte("A"))
	os.WriteFile(filepath.Join(dir, "a.tar.gz"), []byte("A"), 0o644)
	if tamper {
		os.WriteFile(filepath.Join(dir, "a.tar.gz"), []byte("A!"), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "SHA256SUMS"), []byte(hex.EncodeToString(sum[:])+"  a.tar.gz\n"), 0o644)
	return dir
}

func options(t *testing.T, dir string, extra ...collectors.Collector) Options {
	t.Helper()
	idx, err := catalogs.Default()
	if err != nil {
		t.Fatal(err)
	}
	// The engine is tested against a mapping of its own, so that reviewing
	// the embedded data does not change what these tests show.
	m, err := controls.DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	override := filepath.Join(t.TempDir(), "mapping.yaml")
	if err := os.WriteFile(override, []byte(`replace: true
checks:
  - check: FILES-CHECKSUM-MISMATCH
    controls: [{control: SI-7, strength: sufficient, parts: [si-7_smt], rationale: "test: recomputed digests"}]
  - check: FILES-CHECKSUM-WEAK-ALGORITHM
    controls: [{control: SC-13, strength: sufficient, parts: [sc-13_smt], rationale: "test: strong digests"}]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := m.Override(override); err != nil {
		t.Fatal(err)
	}
	return Options{
		Targets:    []TargetSpec{{Name: "rel", Path: dir}},
		Collectors: append([]collectors.Collector{files.New(nil)}, extra...),
		Checks:     filechecks.All(),
		Mapping:    m,
		Index:      idx,
		Scope:      assessment.Scope{ControlIDs: []string{"si-7", "sc-13", "sr-1"}},
	}
}

func status(a *assessment.Assessment) map[string]assessment.ControlStatus {
	m := map[string]assessment.ControlStatus{}
	for _, c := range a.Controls {
		m[c.ID] = c.Status
	}
	return m
}

func TestRun(t *testing.T) {
	for _, tt := range []struct {
		tamper bool
		si7    assessment.ControlStatus
	}{{false, assessment.Satisfied}, {true, assessment.NotSatisfied}} {
		a, err := Run(context.Background(), options(t, release(t, tt.tamper)))
		if err != nil {
			t.Fatal(err)
		}
		st := status(a)
		if st["si-7"] != tt.si7 || st["sc-13"] != assessment.Satisfied || st["sr-1"] != assessment.NotAssessed {
			t.Errorf("tamper=%v: statuses %v", tt.tamper, st)
		}
		for _, f := range a.Findings {
			if f.ID == "" || len(f.Evidence) == 0 {
				t.Errorf("finding without id or evidence: %+v", f)
			}
		}
	}
}

func TestRunIsDeterministic(t *testing.T) {
	dir := release(t, true)
	a1, err := Run(context.Background(), options(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := Run(context.Background(), options(t, dir))
	if a1.RunID == a2.RunID {
		t.Error("two runs share a run id")
	}
	if len(a1.Findings) != len(a2.Findings) || len(a1.Evidence) != len(a2.Evidence) {
		t.Fatal("runs differ in size")
	}
	for i := range a1.Findings {
		if a1.Findings[i].ID != a2.Findings[i].ID {
			t.Errorf("finding %d: %s vs %s", i, a1.Findings[i].ID, a2.Findings[i].ID)
		}
	}
	for i := range a1.Evidence {
		if a1.Evidence[i].ID != a2.Evidence[i].ID {
			t.Errorf("evidence %d differs", i)
		}
	}
}

func TestFailingCollectorIsAnErrorFindingAndTheRunGoesOn(t *testing.T) {
	for _, panics := range []bool{false, true} {
		a, err := Run(context.Background(), options(t, release(t, false), brokenCollector{panics}))
		if err != nil {
			t.Fatal(err)
		}
		var got *evidence.Finding
		for i, f := range a.Findings {
			if f.CheckID == CheckCollectorError {
				got = &a.Findings[i]
			}
		}
		if got == nil || got.Status != evidence.Error {
			t.Fatalf("panics=%v: no error finding in %+v", panics, a.Findings)
		}
		if status(a)["si-7"] != assessment.Satisfied {
			t.Errorf("panics=%v: the files pillar did not run on", panics)
		}
	}
}

func TestCancelledRunReturnsNoAssessment(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a, err := Run(ctx, options(t, release(t, false)))
	if err == nil || a != nil {
		t.Fatalf("a = %v, err = %v; want a cancellation error", a, err)
	}
}

func TestUnreadableTargetStopsTheRun(t *testing.T) {
	o := options(t, filepath.Join(t.TempDir(), "missing"))
	if _, err := Run(context.Background(), o); err == nil {
		t.Fatal("want an error for a missing target")
	}
}

func TestFold(t *testing.T) {
	var fs []evidence.Finding
	add := func(check string, st evidence.Status, sev evidence.Severity, n int) {
		for i := range n {
			fs = append(fs, evidence.Finding{CheckID: check, Status: st, Severity: sev, Message: fmt.Sprintf("%s %d", check, i), Evidence: []string{fmt.Sprintf("%s-%s-%d", check, st, i)}})
		}
	}
	add("A", evidence.Fail, evidence.Low, 12)
	add("A", evidence.Pass, evidence.Info, 3)
	add("B", evidence.Fail, evidence.High, 10)
	fs[5].Severity = evidence.Critical
	got := Fold(fs, 10, 4)
	// A/fail (12 > 10): 4 kept and one summary of 8; A/pass and B/fail (10,
	// not above) untouched.
	if len(got) != 4+1+3+10 {
		t.Fatalf("%d findings", len(got))
	}
	s := got[4]
	if s.Folded != 8 || len(s.Evidence) != 8 || s.Evidence[0] != "A-fail-4" || s.Severity != evidence.Critical || s.Status != evidence.Fail ||
		!strings.HasPrefix(s.Message, "8 more fail findings of A, like the 4 above (first: A 4)") {
		t.Fatalf("summary %+v", s)
	}
	if n := len(Fold(fs, 100, 4)); n != len(fs) {
		t.Fatalf("nothing above the threshold, yet %d of %d findings", n, len(fs))
	}
}

// BenchmarkFold folds 100,000 findings of one check (a folder of 100,000
// certificates) into 101.
func BenchmarkFold(b *testing.B) {
	fs := make([]evidence.Finding, 100_000)
	for i := range fs {
		fs[i] = evidence.Finding{CheckID: "C", Status: evidence.Pass, Message: "m", Evidence: []string{fmt.Sprint(i)}}
	}
	b.ReportAllocs()
	for b.Loop() {
		if n := len(Fold(fs, FoldAbove, FoldKeep)); n != FoldKeep+1 {
			b.Fatal(n)
		}
	}
}
