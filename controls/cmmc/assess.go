package cmmc

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Baseline names that put a CMMC level in scope.
const (
	BaselineL1 = "cmmc-l1"
	BaselineL2 = "cmmc-l2"
)

// LevelOf says which CMMC level a baseline name selects (0 for none).
func LevelOf(baseline string) int {
	switch strings.ToLower(strings.TrimSpace(baseline)) {
	case BaselineL1:
		return 1
	case BaselineL2:
		return 2
	}
	return 0
}

// Source names the data the CMMC view comes from.
const Source = "CMMC Assessment Guides v2.13 (objectives and objects of NIST SP 800-171A); " +
	"NIST SP 800-171 DoD Assessment Methodology v1.2.1; the SP 800-53 Rev 5 mapping is derived (SP 800-171 Rev 2 Appendix D), not DoD's"

// Plan is what the stage needs besides the run's results.
type Plan struct {
	Level      int
	Guide      *catalogs.CMMCGuide
	Index      *catalogs.Index
	Objectives *ObjectiveMap
	Manual     *Manual
}

// NewPlan loads the embedded guide data and objective mapping for a level.
func NewPlan(level int, idx *catalogs.Index, manual *Manual) (*Plan, error) {
	g, err := catalogs.CMMC()
	if err != nil {
		return nil, err
	}
	om, err := DefaultObjectives(g)
	if err != nil {
		return nil, err
	}
	return &Plan{Level: level, Guide: g, Index: idx, Objectives: om, Manual: manual}, nil
}

// Scope lists the SP 800-53 Rev 5 controls the practices of the plan's
// level map to, sorted.
func (p *Plan) Scope() []string {
	seen := map[string]bool{}
	var out []string
	for _, gp := range p.Guide.Level(p.Level) {
		if ip, ok := p.Index.CMMCPractice(gp.ID); ok {
			for _, c := range ip.Controls {
				if !seen[c] {
					seen[c] = true
					out = append(out, c)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return catalogs.SortKey(out[i]) < catalogs.SortKey(out[j]) })
	return out
}

// Assess decides every practice and objective of the plan's level and
// scores them. at is when the assessment ran.
func Assess(p *Plan, results []assessment.ControlResult, findings []evidence.Finding, at time.Time) *assessment.CMMC {
	byControl := make(map[string]*assessment.ControlResult, len(results))
	for i := range results {
		byControl[results[i].ID] = &results[i]
	}
	byFinding := make(map[string]*evidence.Finding, len(findings))
	for i := range findings {
		byFinding[findings[i].ID] = &findings[i]
	}
	manual := p.Manual
	if manual == nil {
		manual = &Manual{}
	}
	out := &assessment.CMMC{Level: p.Level, Source: Source}
	for _, gp := range p.Guide.Level(p.Level) {
		pr := assessment.PracticeResult{ID: gp.ID, Title: gp.Title, Requirements: gp.Requirements171r2}
		if ip, ok := p.Index.CMMCPractice(gp.ID); ok {
			pr.Controls = ip.Controls
		}
		pm := manual.Practices[gp.ID]
		for _, o := range gp.Objectives {
			or := decideObjective(o, p.Objectives.For(o.ID), byControl, byFinding)
			om := manual.Objectives[o.ID]
			if om == nil {
				om = pm
			}
			if om != nil {
				applyManual(&or, om)
			}
			if om != nil && om.Planned != "" && om.Status == assessment.NotMet {
				pr.POAM = true
				if om.Planned > pr.Planned {
					pr.Planned = om.Planned
				}
			}
			pr.Objectives = append(pr.Objectives, or)
		}
		if pm != nil {
			pr.Manual = pm
			pr.Partial = pm.Partial
			pr.NoDeduction = pm.NoDeduction
		}
		decidePractice(&pr, gp, p.Objectives.ManualReason(gp.ID))
		if pr.Status != assessment.NotMet {
			pr.POAM, pr.Planned = false, ""
		}
		out.Practices = append(out.Practices, pr)
	}
	out.Score = Score(p.Level, out.Practices, p.Guide, at)
	return out
}

func decideObjective(o catalogs.CMMCObjective, entries []*ObjectiveEntry, byControl map[string]*assessment.ControlResult, byFinding map[string]*evidence.Finding) assessment.ObjectiveResult {
	r := assessment.ObjectiveResult{ID: o.ID, Text: o.Text, Status: assessment.PracticeNotAssessed}
	var failed, passed []string
	canMeet := false
	for _, e := range entries {
		cr := byControl[e.ControlID]
		if cr == nil {
			continue
		}
		want := map[string]bool{}
		for _, c := range e.Checks {
			want[c] = true
		}
		used := false
		for _, fid := range cr.Findings {
			f := byFinding[fid]
			if f == nil || !want[f.CheckID] {
				continue
			}
			switch {
			case f.Status == evidence.Fail && cr.Status == assessment.NotSatisfied:
				failed = appendUnique(failed, f.CheckID)
				r.Findings = append(r.Findings, fid)
				used = true
			case f.Status == evidence.Pass && cr.Status == assessment.Satisfied:
				passed = appendUnique(passed, f.CheckID)
				r.Findings = append(r.Findings, fid)
				used = true
				if e.Decides == DecidesBoth {
					canMeet = true
				}
			}
		}
		if used {
			r.Controls = appendUnique(r.Controls, e.ControlID)
			r.Rationales = appendUnique(r.Rationales, e.Rationale)
		}
	}
	sort.Strings(failed)
	sort.Strings(passed)
	switch {
	case len(failed) > 0:
		r.Status = assessment.NotMet
		r.Checks = failed
		r.Reason = "automated check failed: " + strings.Join(failed, ", ")
		// A failing objective is decided by its failures alone.
		var keep []string
		for _, fid := range r.Findings {
			if byFinding[fid].Status == evidence.Fail {
				keep = append(keep, fid)
			}
		}
		r.Findings = keep
	case canMeet:
		r.Status = assessment.Met
		r.Checks = passed
		r.Reason = "automated checks passed: " + strings.Join(passed, ", ")
	case len(passed) > 0:
		r.Checks = passed
		r.Reason = "supporting evidence only: " + strings.Join(passed, ", ") + " passed, but the objective covers more than the software supply chain pedigree examines; decide it by examine or interview"
	case len(entries) > 0:
		r.Reason = "the automated checks that bear on this objective found nothing to judge or did not run; decide it by examine, interview or test"
	default:
		r.Reason = "no automated evidence bears on this objective; decide it by examine, interview or test"
	}
	return r
}

func applyManual(r *assessment.ObjectiveResult, m *assessment.PracticeManual) {
	r.Manual = m
	if r.Status == assessment.NotMet && m.Status != assessment.NotMet {
		r.Reason += fmt.Sprintf("; manual evidence recorded (%s) does not lift a failing check", m.Status)
		return
	}
	prefix := "manual evidence"
	if r.Status == assessment.NotMet {
		prefix = "automated check failed and manual evidence agrees"
	}
	r.Status = m.Status
	r.Reason = fmt.Sprintf("%s by %s on %s: %s", prefix, m.Assessor, m.Date, m.Statement)
}

// decidePractice: met only when every objective is met (or not
// applicable); not met when any objective is not met.
func decidePractice(pr *assessment.PracticeResult, gp *catalogs.CMMCGuidePractice, manualWhy string) {
	var notMet, notAssessed []string
	na := 0
	for _, o := range pr.Objectives {
		letter := strings.TrimPrefix(o.ID, pr.ID)
		switch o.Status {
		case assessment.NotMet:
			notMet = append(notMet, letter)
		case assessment.PracticeNotAssessed:
			notAssessed = append(notAssessed, letter)
		case assessment.NotApplicable:
			na++
		}
	}
	met, total := pr.ObjectivesMet()
	switch {
	case len(notMet) > 0:
		pr.Status = assessment.NotMet
		pr.Reason = fmt.Sprintf("objectives not met: %s (%d of %d met)", strings.Join(notMet, ""), met, total)
	case len(notAssessed) > 0:
		pr.Status = assessment.PracticeNotAssessed
		pr.Reason = fmt.Sprintf("objectives not assessed: %s (%d of %d met)", strings.Join(notAssessed, ""), met, total)
		if manualWhy != "" {
			pr.Reason += "; " + manualWhy
		}
		pr.Examine, pr.Interview, pr.Test = gp.Examine, gp.Interview, gp.Test
	case na == total:
		pr.Status = assessment.NotApplicable
		pr.Reason = "every objective is not applicable"
	default:
		pr.Status = assessment.Met
		pr.Reason = fmt.Sprintf("all %d objectives met", total)
	}
	if pr.Manual != nil {
		pr.Reason += fmt.Sprintf("; manual evidence by %s on %s", pr.Manual.Assessor, pr.Manual.Date)
	}
	if pr.Partial && pr.Status == assessment.NotMet {
		pr.Reason += "; partially implemented"
	}
	if pr.NoDeduction != "" {
		pr.Reason += "; no deduction: " + pr.NoDeduction
	}
}

func appendUnique(s []string, add ...string) []string {
	for _, a := range add {
		if !slices.Contains(s, a) {
			s = append(s, a)
		}
	}
	return s
}
