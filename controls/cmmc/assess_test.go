package cmmc

import (
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

func plan(t *testing.T, level int, m *Manual) *Plan {
	t.Helper()
	idx, err := catalogs.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPlan(level, idx, m)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestObjectiveMapping: the embedded objective mapping agrees with the
// check mapping, and the supply-chain practices the issue names are each
// covered by an entry or by a recorded reason they cannot be.
func TestObjectiveMapping(t *testing.T) {
	p := plan(t, 2, nil)
	cm, err := controls.DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Objectives.Validate(cm); err != nil {
		t.Fatal(err)
	}
	for _, id := range strings.Fields("CM.L2-3.4.1 CM.L2-3.4.2 CM.L2-3.4.8 CM.L2-3.4.9 SI.L2-3.14.1 SI.L2-3.14.2 SI.L2-3.14.3 RA.L2-3.11.2 RA.L2-3.11.3 CA.L2-3.12.1 CA.L2-3.12.3 AU.L2-3.3.1 IA.L2-3.5.10 SC.L2-3.13.8 SC.L2-3.13.10 SC.L2-3.13.11") {
		gp, _ := p.Guide.Practice(id)
		n := 0
		for _, o := range gp.Objectives {
			n += len(p.Objectives.For(o.ID))
		}
		if n == 0 && p.Objectives.ManualReason(id) == "" {
			t.Errorf("%s: no objective entry and no reason why", id)
		}
	}
	// A mapping that names a check the control does not carry is refused.
	bad := *p.Objectives.Objectives[0]
	bad.Checks = []string{"SBOM-PRESENT"}
	om := &ObjectiveMap{Objectives: []*ObjectiveEntry{&bad}}
	if err := om.Validate(cm); err == nil || !strings.Contains(err.Error(), "not mapped to CM-2") {
		t.Errorf("Validate: %v", err)
	}
	if _, err := parseObjectives("x.yaml", []byte("objectives:\n  - objective: CM.L2-3.4.1[a]\n    control: CM-2\n    checks: [X]\n    decides: not-met\n    rationale: \"baseline\"\n"), p.Guide); err == nil || !strings.Contains(err.Error(), "x.yaml:2: the rationale must begin by citing [a]") {
		t.Errorf("rationale: %v", err)
	}
}

func results(fs ...evidence.Finding) ([]assessment.ControlResult, []evidence.Finding) {
	byControl := map[string]*assessment.ControlResult{}
	var order []string
	for _, f := range fs {
		ctl := f.Subjects[0].Ref // the test puts the control in the subject
		r := byControl[ctl]
		if r == nil {
			r = &assessment.ControlResult{ID: ctl, Status: assessment.Satisfied, Automated: true}
			byControl[ctl] = r
			order = append(order, ctl)
		}
		r.Checks = append(r.Checks, f.CheckID)
		if f.Status == evidence.Fail {
			if r.Status == assessment.Satisfied {
				r.Findings = nil
			}
			r.Status = assessment.NotSatisfied
			r.Findings = append(r.Findings, f.ID)
		} else if r.Status == assessment.Satisfied {
			r.Findings = append(r.Findings, f.ID)
		}
	}
	var out []assessment.ControlResult
	for _, id := range order {
		out = append(out, *byControl[id])
	}
	return out, fs
}

func finding(id, check, control string, st evidence.Status) evidence.Finding {
	return evidence.Finding{ID: id, CheckID: check, Status: st, Subjects: []evidence.Subject{{Type: "test", Ref: control}}}
}

func practice(t *testing.T, c *assessment.CMMC, id string) *assessment.PracticeResult {
	t.Helper()
	for i := range c.Practices {
		if c.Practices[i].ID == id {
			return &c.Practices[i]
		}
	}
	t.Fatalf("no practice %s", id)
	return nil
}

func objective(t *testing.T, p *assessment.PracticeResult, letter string) *assessment.ObjectiveResult {
	t.Helper()
	for i := range p.Objectives {
		if p.Objectives[i].ID == p.ID+letter {
			return &p.Objectives[i]
		}
	}
	t.Fatalf("no objective %s%s", p.ID, letter)
	return nil
}

func manualOf(st assessment.PracticeStatus) *assessment.PracticeManual {
	return &assessment.PracticeManual{Status: st, Statement: "reviewed", Assessor: "J. Doe", Date: "2026-11-01"}
}

func TestAssess(t *testing.T) {
	rs, fs := results(
		finding("f1", "SBOM-PRESENT", "cm-8", evidence.Fail),
		finding("f2", "SBOM-NTIA-MINIMUM", "cm-8", evidence.Pass),
		finding("f3", "CI-UNPINNED-USES", "cm-2", evidence.Pass),
		finding("f4", "VULN-KNOWN-EXPLOITED", "si-2", evidence.Fail),
	)
	m := &Manual{
		Practices: map[string]*assessment.PracticeManual{
			"CM.L2-3.4.1":  manualOf(assessment.Met), // cannot lift [d]
			"AC.L2-3.1.16": manualOf(assessment.NotApplicable),
		},
		Objectives: map[string]*assessment.PracticeManual{
			"AC.L2-3.1.1[a]": manualOf(assessment.Met),
			"AC.L2-3.1.1[b]": {Status: assessment.NotMet, Statement: "s", Assessor: "a", Date: "2026-11-01", Planned: "2027-01-01"},
		},
	}
	c := Assess(plan(t, 2, m), rs, fs, assessedAt)
	if len(c.Practices) != 110 || c.Level != 2 {
		t.Fatalf("%d practices", len(c.Practices))
	}
	cm := practice(t, c, "CM.L2-3.4.1")
	if d := objective(t, cm, "[d]"); d.Status != assessment.NotMet || d.Findings[0] != "f1" || !strings.Contains(d.Reason, "does not lift a failing check") || len(d.Rationales) != 1 {
		t.Errorf("[d]: %+v", d)
	}
	if a := objective(t, cm, "[a]"); a.Status != assessment.Met || !strings.Contains(a.Reason, "manual evidence") {
		t.Errorf("[a] (supporting pass, then manual met): %+v", a)
	}
	if cm.Status != assessment.NotMet || !strings.Contains(cm.Reason, "objectives not met: [d]") {
		t.Errorf("CM.L2-3.4.1: %s %s", cm.Status, cm.Reason)
	}
	if met, total := cm.ObjectivesMet(); met != 5 || total != 6 {
		t.Errorf("objectives %d/%d", met, total)
	}
	si := practice(t, c, "SI.L2-3.14.3")
	if o := objective(t, si, "[c]"); o.Status != assessment.NotMet || o.Checks[0] != "VULN-KNOWN-EXPLOITED" {
		t.Errorf("SI.L2-3.14.3[c]: %+v", o)
	}
	if si.Status != assessment.NotMet || si.Deducted != 5 {
		t.Errorf("SI.L2-3.14.3: %s deducted %d", si.Status, si.Deducted)
	}
	// Supporting evidence alone never meets an objective.
	rs2, fs2 := results(finding("f3", "CI-UNPINNED-USES", "cm-2", evidence.Pass))
	c2 := Assess(plan(t, 2, nil), rs2, fs2, assessedAt)
	if a := objective(t, practice(t, c2, "CM.L2-3.4.1"), "[a]"); a.Status != assessment.PracticeNotAssessed || !strings.Contains(a.Reason, "supporting evidence only") || a.Findings[0] != "f3" {
		t.Errorf("supporting: %+v", a)
	}
	ac := practice(t, c, "AC.L2-3.1.1")
	if ac.Status != assessment.NotMet || !ac.POAM || ac.Planned != "2027-01-01" {
		t.Errorf("AC.L2-3.1.1: %+v", ac)
	}
	if p := practice(t, c, "AC.L2-3.1.16"); p.Status != assessment.NotApplicable || p.Deducted != 0 {
		t.Errorf("AC.L2-3.1.16: %+v", p)
	}
	nap := practice(t, c, "AT.L2-3.2.1")
	if nap.Status != assessment.PracticeNotAssessed || len(nap.Examine) == 0 || len(nap.Interview) == 0 {
		t.Errorf("not assessed practice lacks its assessment objects: %+v", nap)
	}
	if c.Score.Complete || c.Score.Score != nil || c.Score.Status != assessment.CMMCNotEligible {
		t.Errorf("score: %+v", c.Score)
	}
}

// TestAssessAllManual decides every Level 2 practice by manual evidence:
// the score is 110 minus the values of the requirements recorded not met.
func TestAssessAllManual(t *testing.T) {
	g := guide(t)
	m := &Manual{Practices: map[string]*assessment.PracticeManual{}}
	want, notMet := 110, 0
	for i, p := range g.Level(2) {
		st := assessment.Met
		var planned string
		if i%4 == 1 && p.Requirements171r2[0] != "3.12.4" {
			st, planned = assessment.NotMet, "2027-03-01"
			v, _ := g.Value(p.Requirements171r2[0])
			want -= v.Value
			notMet++
		}
		m.Practices[p.ID] = &assessment.PracticeManual{Status: st, Statement: "s", Assessor: "a", Date: "2026-11-01", Planned: planned}
	}
	c := Assess(plan(t, 2, m), nil, nil, assessedAt)
	if c.Score.Score == nil || *c.Score.Score != want || !c.Score.Complete {
		t.Fatalf("score %v, want %d (%v)", deref(c.Score.Score), want, c.Score.Reasons)
	}
	if c.Score.Counts[assessment.NotMet] != notMet || c.Score.Counts[assessment.Met] != 110-notMet || notMet < 20 {
		t.Errorf("counts %v", c.Score.Counts)
	}
}

func TestScopeAndLevel1(t *testing.T) {
	p := plan(t, 1, nil)
	scope := p.Scope()
	if len(scope) == 0 || scope[0] != "ac-2" {
		t.Errorf("Level 1 scope %v", scope)
	}
	c := Assess(p, nil, nil, assessedAt)
	if len(c.Practices) != 15 || c.Practices[0].ID != "AC.L1-b.1.i" || c.Score.Status != assessment.CMMCIncomplete {
		t.Errorf("Level 1: %d practices, %s", len(c.Practices), c.Score.Status)
	}
	if LevelOf("CMMC-L2") != 2 || LevelOf("cmmc-l1") != 1 || LevelOf("moderate") != 0 {
		t.Error("LevelOf")
	}
	if n := len(plan(t, 2, nil).Scope()); n < 100 {
		t.Errorf("Level 2 scope has %d controls", n)
	}
}

// BenchmarkAssess decides the 110 Level 2 practices over a run's control
// results (every control of the Level 2 scope, one finding each).
func BenchmarkAssess(b *testing.B) {
	idx, err := catalogs.Default()
	if err != nil {
		b.Fatal(err)
	}
	p, err := NewPlan(2, idx, nil)
	if err != nil {
		b.Fatal(err)
	}
	var fs []evidence.Finding
	for i, c := range p.Scope() {
		st := evidence.Pass
		if i%3 == 0 {
			st = evidence.Fail
		}
		for _, chk := range []string{"SBOM-PRESENT", "CI-UNPINNED-USES", "VULN-KNOWN-EXPLOITED", "CRYPTO-WEAK-ALGORITHM"} {
			fs = append(fs, finding(c+chk, chk, c, st))
		}
	}
	rs, fs := results(fs...)
	b.ReportAllocs()
	for b.Loop() {
		Assess(p, rs, fs, assessedAt)
	}
}
