// Package engine runs an assessment: collectors concurrently over every
// target, then checks over the evidence, then control aggregation. It returns
// one Assessment and writes nothing.
package engine

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/cmmc"
	"github.com/pedigree-dev/pedigree/evidence"
)

// TargetSpec is a path to assess, with the name reports use for it.
type TargetSpec struct {
	Name string
	Path string
	// Role is what the target is (collectors.Roles); it picks the
	// collectors that judge it. "" is detected: all of them.
	Role string
	// Exclude are globs of files left out of product judgements, before
	// collectors.DefaultExcludes unless NoDefaultExcludes.
	Exclude           []string
	NoDefaultExcludes bool
}

// Options is everything one run needs; nothing is ambient.
type Options struct {
	Title        string
	Tool         assessment.Tool
	Targets      []TargetSpec
	Collectors   []collectors.Collector
	Checks       []controls.Check
	Inventoriers []controls.Inventorier
	Mapping      *controls.Mapping
	Index        controls.ControlIndex
	Scope        assessment.Scope
	Manual       map[string]*assessment.ManualEvidence
	// Params are the organisation-defined parameter values the run was
	// configured with (profile, pedigree.yaml); nil means pedigree's
	// stated defaults.
	Params *controls.Params
	// CMMC, when set, decides the practices of a CMMC level from the
	// control results (the stage after aggregation).
	CMMC *cmmc.Plan
	// MaxFileSize bounds what collectors read of one file.
	MaxFileSize int64
	// Concurrency bounds collectors running at once (default GOMAXPROCS).
	Concurrency int
	// Progress receives one line per step; nil discards.
	Progress func(done, total int, what string)
	// Inputs, when set, is told the size of the largest file of the
	// targets and their number once they are listed, before any is read:
	// the CLI derives its memory budget from them (internal/membudget).
	Inputs func(largestFile int64, files int)
	Logger *slog.Logger
}

// CollectorName is what the engine records as the collector of its own
// error findings.
const CollectorName = "engine"

// CheckCollectorError is the check id of a collector that failed.
const CheckCollectorError = "ENGINE-COLLECTOR-ERROR"

// Run assesses the targets. It returns an error only for input problems
// that stop the run (an unreadable target, a symlink leaving the tree) or
// cancellation; a failing collector becomes an error finding instead.
func Run(ctx context.Context, o Options) (*assessment.Assessment, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &assessment.Assessment{
		SchemaVersion: assessment.SchemaVersion,
		Tool:          o.Tool,
		RunID:         uuid.NewString(),
		Title:         o.Title,
		StartedAt:     time.Now().UTC(),
		Scope:         o.Scope,
	}
	targets := make([]*collectors.Target, 0, len(o.Targets))
	defer func() {
		for _, t := range targets {
			t.Close()
		}
	}()
	for _, ts := range o.Targets {
		t, err := collectors.OpenTarget(ts.Name, ts.Path)
		if err != nil {
			return nil, err
		}
		t.MaxFileSize = o.MaxFileSize
		t.Now = a.StartedAt
		targets = append(targets, t)
		if !collectors.ValidRole(ts.Role) {
			return nil, fmt.Errorf("target %s: role %q: want one of %s", ts.Name, ts.Role, strings.Join(collectors.Roles, ", "))
		}
		t.Role = ts.Role
		if err := t.Exclude(ts.Exclude, ts.NoDefaultExcludes); err != nil {
			return nil, err
		}
		at := assessment.Target{Name: ts.Name, Path: ts.Path, Files: len(t.Files) + len(t.Excluded), Role: ts.Role, Excluded: len(t.Excluded)}
		for _, e := range t.ExcludedByRule() {
			at.ExcludedBy = append(at.ExcludedBy, assessment.Exclusion{Rule: e.Rule, Files: e.Files, First: e.First})
		}
		a.Targets = append(a.Targets, at)
	}

	if o.Inputs != nil {
		var largest int64
		files := 0
		for _, t := range targets {
			files += len(t.Files)
			largest = max(largest, t.LargestFile())
		}
		o.Inputs(largest, files)
	}
	runs, ev, err := collect(ctx, o, targets, log)
	if err != nil {
		return nil, err
	}
	a.Collectors = runs
	a.Evidence = ev

	var errFindings []evidence.Finding
	for _, r := range runs {
		if r.Error != "" {
			f := evidence.Finding{
				CheckID: CheckCollectorError, Status: evidence.Error, Severity: evidence.High,
				Message:  fmt.Sprintf("collector %s failed on target %s: %s", r.Collector, r.Target, r.Error),
				Subjects: []evidence.Subject{{Type: "collector", Ref: r.Collector + "@" + r.Target}},
			}
			errFindings = append(errFindings, f)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	findings := runChecks(o.Checks, ev, func(fs []evidence.Finding) []evidence.Finding { return Fold(fs, FoldAbove, FoldKeep) })
	findings = append(findings, errFindings...)
	finalizeIDs(findings)
	a.Findings = findings

	for _, c := range o.Checks {
		info := c.Info(o.Mapping.ControlsOf(c.ID))
		if e := o.Mapping.Entries[c.ID]; e != nil && e.Precondition != nil {
			info.Precondition = &assessment.Precondition{Gates: e.Precondition.Gates, Limitation: e.Precondition.Limitation}
		}
		a.Checks = append(a.Checks, info)
	}
	if len(errFindings) > 0 {
		a.Checks = append(a.Checks, assessment.Check{
			ID: CheckCollectorError, Title: "Collectors ran to completion",
			Rationale:   "A collector that failed saw nothing, so the checks that read its evidence could not judge.",
			Remediation: "Read the error, fix the input or configuration it names, and run again.",
			Severity:    evidence.High, Pillar: "engine", Method: "TEST",
		})
	}
	for _, inv := range o.Inventoriers {
		part := inv(ev)
		// The first part is taken as it is: copying a million-row table
		// would hold it twice.
		if a.Inventory.Components == nil {
			a.Inventory.Components = part.Components
		} else {
			a.Inventory.Components = append(a.Inventory.Components, part.Components...)
		}
		if a.Inventory.Crypto == nil {
			a.Inventory.Crypto = part.Crypto
		} else {
			a.Inventory.Crypto = append(a.Inventory.Crypto, part.Crypto...)
		}
	}
	for i := range ev {
		if c, ok := ev[i].Payload.(evidence.Compacter); ok {
			c.Compact()
		}
	}
	a.Controls = controls.AggregateWith(o.Scope.ControlIDs, o.Index, o.Mapping, o.Checks, findings, o.Manual, o.Params)
	if o.CMMC != nil {
		a.CMMC = cmmc.Assess(o.CMMC, a.Controls, findings, a.StartedAt)
	}
	a.FinishedAt = time.Now().UTC()
	return a, nil
}

type job struct {
	c collectors.Collector
	t *collectors.Target
}

func collect(ctx context.Context, o Options, targets []*collectors.Target, log *slog.Logger) ([]assessment.CollectorRun, []evidence.Evidence, error) {
	var jobs []job
	for _, t := range targets {
		for _, c := range o.Collectors {
			if collectors.RoleRuns(t.Role, c.Name()) {
				jobs = append(jobs, job{c, t})
			}
		}
	}
	n := o.Concurrency
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	runs := make([]assessment.CollectorRun, len(jobs))
	results := make([][]evidence.Evidence, len(jobs))
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	sem := make(chan struct{}, n)
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			start := time.Now()
			ev, err := safeCollect(ctx, j.c, j.t)
			runs[i] = assessment.CollectorRun{Collector: j.c.Name(), Target: j.t.Name, Evidence: len(ev), Duration: time.Since(start)}
			if err != nil {
				runs[i].Error = err.Error()
				log.Warn("collector failed", "collector", j.c.Name(), "target", j.t.Name, "err", err)
			}
			results[i] = ev
			mu.Lock()
			done++
			if o.Progress != nil {
				o.Progress(done, len(jobs), j.c.Name()+" on "+j.t.Name)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var all []evidence.Evidence
	for _, r := range results {
		all = append(all, r...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	all = dedupeEvidence(all)
	return runs, all, nil
}

// safeCollect turns a collector panic into an error: one bad parser must not
// take the whole assessment down.
func safeCollect(ctx context.Context, c collectors.Collector, t *collectors.Target) (ev []evidence.Evidence, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.Collect(ctx, t)
}

func dedupeEvidence(ev []evidence.Evidence) []evidence.Evidence {
	out := ev[:0]
	for i, e := range ev {
		if i > 0 && e.ID == ev[i-1].ID {
			continue
		}
		out = append(out, e)
	}
	return out
}

// RunChecks runs each check over the evidence kinds it reads, in order.
func RunChecks(checks []controls.Check, ev []evidence.Evidence) []evidence.Finding {
	return runChecks(checks, ev, nil)
}

// runChecks runs the checks in order, passing each one's findings through
// fold (nil: kept as they are) before the next runs: a check that judges
// 100,000 certificates one by one is folded before the next makes as many,
// so that they are never all held at once. Folding groups findings by
// check, so folding each check's alone is folding them all.
func runChecks(checks []controls.Check, ev []evidence.Evidence, fold func([]evidence.Finding) []evidence.Finding) []evidence.Finding {
	byKind := map[string][]evidence.Evidence{}
	for _, e := range ev {
		byKind[e.Kind] = append(byKind[e.Kind], e)
	}
	var out []evidence.Finding
	for _, c := range checks {
		var in []evidence.Evidence
		if len(c.Reads) == 1 {
			// One kind: its list as it is, capped so that a check
			// appending to its input cannot write into another's.
			l := byKind[c.Reads[0]]
			in = l[:len(l):len(l)]
		} else {
			for _, k := range c.Reads {
				in = append(in, byKind[k]...)
			}
		}
		fs := runCheck(c, in)
		if fold != nil {
			fs = fold(fs)
		}
		out = append(out, fs...)
	}
	return out
}

func runCheck(c controls.Check, in []evidence.Evidence) (fs []evidence.Finding) {
	defer func() {
		if r := recover(); r != nil {
			fs = []evidence.Finding{{CheckID: c.ID, Status: evidence.Error, Severity: evidence.High,
				Message: fmt.Sprintf("check %s panicked: %v", c.ID, r)}}
		}
	}()
	fs = c.Run(in)
	for i := range fs {
		if fs[i].CheckID == "" {
			fs[i].CheckID = c.ID
		}
		if fs[i].Severity == "" {
			fs[i].Severity = c.Severity
		}
		// Whatever a check quoted, a finding stays small (Check.Finding
		// clips too; this covers findings built by hand).
		fs[i].Message = evidence.Clip(fs[i].Message, evidence.MaxMessage)
		if l := fs[i].Location; l != nil && len(l.Path) > evidence.MaxRef {
			cl := *l
			cl.Path = evidence.Clip(l.Path, evidence.MaxRef)
			fs[i].Location = &cl
		}
	}
	return fs
}

// finalizeIDs gives every finding a stable id, unique within the run.
func finalizeIDs(fs []evidence.Finding) {
	seen := map[string]int{}
	for i := range fs {
		if fs[i].ID == "" {
			fs[i].Identify()
		}
		if n := seen[fs[i].ID]; n > 0 {
			fs[i].ID = evidence.StableUUID(fs[i].ID, fs[i].Message, fmt.Sprint(n))
		}
		seen[fs[i].ID]++
	}
}

// Beyond FoldAbove findings of one check with one status, the first
// FoldKeep are kept as they are and the rest become one finding that counts
// them and lists their evidence: 100,000 certificates make a report of a
// few hundred findings, not a gigabyte that nothing can read back.
const (
	FoldAbove = 1000
	FoldKeep  = 100
)

// Fold folds the findings of each (check, status) group larger than above
// into keep findings and one summary, keeping the groups' order.
func Fold(fs []evidence.Finding, above, keep int) []evidence.Finding {
	type key struct {
		check  string
		status evidence.Status
	}
	count := map[key]int{}
	for i := range fs {
		count[key{fs[i].CheckID, fs[i].Status}]++
	}
	big := false
	for _, n := range count {
		big = big || n > above
	}
	if !big {
		return fs
	}
	seen := map[key]int{}
	summary := map[key]int{} // index in out of the group's summary
	out := make([]evidence.Finding, 0, len(fs))
	for _, f := range fs {
		k := key{f.CheckID, f.Status}
		if count[k] <= above {
			out = append(out, f)
			continue
		}
		seen[k]++
		if seen[k] <= keep {
			out = append(out, f)
			continue
		}
		i, ok := summary[k]
		if !ok {
			i = len(out)
			summary[k] = i
			out = append(out, evidence.Finding{
				CheckID: f.CheckID, Status: f.Status, Severity: f.Severity,
				Message: fmt.Sprintf("%d more %s findings of %s, like the %d above (first: %s); every one's evidence is listed",
					count[k]-keep, f.Status, f.CheckID, keep, evidence.Clip(f.Message, evidence.MaxQuoted)),
			})
		}
		s := &out[i]
		s.Folded++
		s.Evidence = append(s.Evidence, f.Evidence...)
		if f.Severity.Rank() > s.Severity.Rank() {
			s.Severity = f.Severity
		}
	}
	return out
}
