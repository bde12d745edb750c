package controls

import (
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/evidence"
)

type fakeIndex map[string]*catalogs.Control

func (f fakeIndex) Control(id string) (*catalogs.Control, bool) { c, ok := f[id]; return c, ok }

func testMapping(t *testing.T) *Mapping {
	t.Helper()
	m := &Mapping{Entries: map[string]*Entry{}}
	if _, err := m.merge("test.yaml", []byte(`
checks:
  - check: A
    controls:
      - {control: SI-7, strength: sufficient, rationale: "a evidences si-7"}
      - {control: SR-4(3), strength: sufficient, rationale: "a evidences sr-4.3"}
  - check: B
    controls:
      - {control: si-7, strength: sufficient, rationale: "b evidences si-7"}
    ssdf: [PS.2.1]
`)); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestAggregate(t *testing.T) {
	idx := fakeIndex{
		"si-7":   {ID: "si-7", Label: "SI-7", Title: "Integrity", Baselines: []string{"moderate"}},
		"sr-4.3": {ID: "sr-4.3", Label: "SR-4(3)", CSCRM: true},
		"sr-1":   {ID: "sr-1", Label: "SR-1", Methods: []string{"EXAMINE", "INTERVIEW"}},
	}
	ran := []Check{{ID: "A"}, {ID: "B"}}
	f := func(check string, st evidence.Status) evidence.Finding {
		return evidence.Finding{ID: check + string(st), CheckID: check, Status: st}
	}
	tests := []struct {
		name     string
		findings []evidence.Finding
		manual   map[string]*assessment.ManualEvidence
		want     map[string]assessment.ControlStatus
		reason   map[string]string
	}{
		{
			name:     "all pass",
			findings: []evidence.Finding{f("A", evidence.Pass), f("B", evidence.Pass)},
			want:     map[string]assessment.ControlStatus{"si-7": assessment.Satisfied, "sr-4.3": assessment.Satisfied, "sr-1": assessment.NotAssessed},
			reason:   map[string]string{"sr-1": "needs EXAMINE, INTERVIEW"},
		},
		{
			name:     "one fail wins over passes",
			findings: []evidence.Finding{f("A", evidence.Pass), f("A", evidence.Fail), f("B", evidence.Pass)},
			want:     map[string]assessment.ControlStatus{"si-7": assessment.NotSatisfied, "sr-4.3": assessment.NotSatisfied},
			reason:   map[string]string{"si-7": "failed: A"},
		},
		{
			name:     "undecided is never a pass",
			findings: []evidence.Finding{f("A", evidence.Pass), f("B", evidence.NotAssessed)},
			want:     map[string]assessment.ControlStatus{"si-7": assessment.NotAssessed, "sr-4.3": assessment.Satisfied},
			reason:   map[string]string{"si-7": "could not decide: B"},
		},
		{
			name:     "nothing to judge",
			findings: nil,
			want:     map[string]assessment.ControlStatus{"si-7": assessment.NotAssessed},
			reason:   map[string]string{"si-7": "no evidence in the targets for the primary check A, B"},
		},
		{
			name:     "an alternative sufficient check with nothing to judge does not block",
			findings: []evidence.Finding{f("A", evidence.Pass)},
			want:     map[string]assessment.ControlStatus{"si-7": assessment.Satisfied},
			reason:   map[string]string{"si-7": "nothing to judge for B"},
		},
		{
			name:     "manual evidence fills a gap",
			findings: nil,
			manual:   map[string]*assessment.ManualEvidence{"sr-1": {Status: assessment.Satisfied, Assessor: "J", Date: "2026-01-01", Statement: "policy read"}},
			want:     map[string]assessment.ControlStatus{"sr-1": assessment.Satisfied},
			reason:   map[string]string{"sr-1": "manual evidence by J"},
		},
		{
			name:     "manual evidence never lifts a failure",
			findings: []evidence.Finding{f("A", evidence.Fail)},
			manual:   map[string]*assessment.ManualEvidence{"sr-4.3": {Status: assessment.Satisfied, Assessor: "J", Date: "2026-01-01", Statement: "x"}},
			want:     map[string]assessment.ControlStatus{"sr-4.3": assessment.NotSatisfied},
			reason:   map[string]string{"sr-4.3": "does not lift"},
		},
		{
			name:     "manual evidence can lower",
			findings: []evidence.Finding{f("A", evidence.Pass), f("B", evidence.Pass)},
			manual:   map[string]*assessment.ManualEvidence{"si-7": {Status: assessment.NotSatisfied, Assessor: "J", Date: "2026-01-01", Statement: "no response procedure"}},
			want:     map[string]assessment.ControlStatus{"si-7": assessment.NotSatisfied},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Aggregate([]string{"si-7", "sr-4.3", "sr-1"}, idx, testMapping(t), ran, tt.findings, tt.manual)
			by := map[string]assessment.ControlResult{}
			for _, r := range res {
				by[r.ID] = r
			}
			for id, want := range tt.want {
				if by[id].Status != want {
					t.Errorf("%s = %s (%s), want %s", id, by[id].Status, by[id].Reason, want)
				}
			}
			for id, want := range tt.reason {
				if !strings.Contains(by[id].Reason, want) {
					t.Errorf("%s reason %q lacks %q", id, by[id].Reason, want)
				}
			}
		})
	}
}

func TestAggregateCarriesCrossReferences(t *testing.T) {
	idx := fakeIndex{"si-7": {ID: "si-7", Label: "SI-7"}}
	res := Aggregate([]string{"si-7"}, idx, testMapping(t), []Check{{ID: "A"}, {ID: "B"}},
		[]evidence.Finding{{ID: "x", CheckID: "A", Status: evidence.Pass}}, nil)
	r := res[0]
	if strings.Join(r.Checks, ",") != "A,B" || r.Rationales["B"] != "b evidences si-7" || strings.Join(r.SSDF, ",") != "PS.2.1" || !r.Automated {
		t.Fatalf("result = %+v", r)
	}
	if strings.Join(r.Findings, ",") != "x" {
		t.Errorf("findings = %v, want the passing finding", r.Findings)
	}
}

// TestSufficiencyRule: every strength × pass, fail, nothing to judge and
// undecided, for a control with two statement parts (a, b) where the check
// under test covers part a and a sufficient check S covers part b and
// passes; and the same with the check covering the whole statement alone.
func TestSufficiencyRule(t *testing.T) {
	ctl := &catalogs.Control{ID: "si-7", Label: "SI-7", Parts: []catalogs.Part{
		{ID: "si-7_smt"}, {ID: "si-7_smt.a", Label: "a.", Leaf: true, Objective: "si-7_obj.a"}, {ID: "si-7_smt.b", Label: "b.", Leaf: true},
	}}
	idx := fakeIndex{"si-7": ctl}
	type outcome string
	const (
		pass    outcome = "pass"
		fail    outcome = "fail"
		nothing outcome = "nothing"
		undec   outcome = "undecided"
	)
	findings := func(check string, o outcome) []evidence.Finding {
		switch o {
		case pass:
			return []evidence.Finding{{ID: check + "-p", CheckID: check, Status: evidence.Pass}}
		case fail:
			return []evidence.Finding{{ID: check + "-p", CheckID: check, Status: evidence.Pass}, {ID: check + "-f", CheckID: check, Status: evidence.Fail}}
		case undec:
			return []evidence.Finding{{ID: check + "-e", CheckID: check, Status: evidence.Error}}
		}
		return nil
	}
	tests := []struct {
		strength Strength
		o        outcome
		// partA: X covers si-7_smt.a beside S (sufficient, passing) on b;
		// whole: X alone covers si-7_smt.
		partA, whole assessment.ControlStatus
		reason       string
	}{
		{Sufficient, pass, assessment.Satisfied, assessment.Satisfied, "passed (sufficient)"},
		{Sufficient, fail, assessment.NotSatisfied, assessment.NotSatisfied, "failed: X"},
		{Sufficient, nothing, assessment.NotAssessed, assessment.NotAssessed, "no evidence in the targets for the primary check X"},
		{Sufficient, undec, assessment.NotAssessed, assessment.NotAssessed, "could not decide: X"},
		{Partial, pass, assessment.NotAssessed, assessment.NotAssessed, "still needs EXAMINE/INTERVIEW for parts si-7_smt.a"},
		{Partial, fail, assessment.NotSatisfied, assessment.NotSatisfied, "failed: X"},
		{Partial, nothing, assessment.NotAssessed, assessment.NotAssessed, "si-7_smt.a"},
		{Partial, undec, assessment.NotAssessed, assessment.NotAssessed, "could not decide: X"},
		{Related, pass, assessment.NotAssessed, assessment.NotAssessed, "si-7_smt.a"},
		{Related, fail, assessment.NotAssessed, assessment.NotAssessed, "related check X failed (reported, does not decide the control)"},
		{Related, nothing, assessment.NotAssessed, assessment.NotAssessed, "si-7_smt.a"},
		{Related, undec, assessment.NotAssessed, assessment.NotAssessed, "si-7_smt.a"},
	}
	for _, tt := range tests {
		t.Run(string(tt.strength)+"/"+string(tt.o), func(t *testing.T) {
			for _, whole := range []bool{false, true} {
				m := &Mapping{Entries: map[string]*Entry{
					"X": {Check: "X", Controls: []ControlRef{{Control: "si-7", Strength: tt.strength, Parts: []string{"si-7_smt.a"}, Rationale: "x"}}},
					"S": {Check: "S", Controls: []ControlRef{{Control: "si-7", Strength: Sufficient, Parts: []string{"si-7_smt.b"}, Rationale: "s"}}},
				}}
				want := tt.partA
				ran := []Check{{ID: "X"}, {ID: "S"}}
				fs := append(findings("X", tt.o), findings("S", pass)...)
				if whole {
					m.Entries["X"].Controls[0].Parts = []string{"si-7_smt"}
					delete(m.Entries, "S")
					ran, fs, want = ran[:1], findings("X", tt.o), tt.whole
				}
				r := Aggregate([]string{"si-7"}, idx, m, ran, fs, nil)[0]
				if r.Status != want {
					t.Errorf("whole=%v: %s (%s), want %s", whole, r.Status, r.Reason, want)
				}
				if !whole && !strings.Contains(r.Reason, tt.reason) {
					t.Errorf("reason %q lacks %q", r.Reason, tt.reason)
				}
				if r.Strengths["X"] != string(tt.strength) {
					t.Errorf("strengths = %v", r.Strengths)
				}
				if tt.strength == Related && tt.o == fail && strings.Join(r.RelatedFailures, ",") != "X-f" {
					t.Errorf("related failures = %v, want X-f", r.RelatedFailures)
				}
			}
		})
	}
}

// TestPartResults: each part says what automation made of it, a parent
// summing up its items, with the SP 800-53A objective id.
func TestPartResults(t *testing.T) {
	ctl := &catalogs.Control{ID: "si-7", Parts: []catalogs.Part{
		{ID: "si-7_smt", Objective: "si-7_obj"}, {ID: "si-7_smt.a", Leaf: true, Objective: "si-7_obj.a"}, {ID: "si-7_smt.b", Leaf: true},
	}}
	m := &Mapping{Entries: map[string]*Entry{
		"X": {Check: "X", Controls: []ControlRef{{Control: "si-7", Strength: Sufficient, Parts: []string{"si-7_smt.a"}, Rationale: "x"}}},
	}}
	r := Aggregate([]string{"si-7"}, fakeIndex{"si-7": ctl}, m, []Check{{ID: "X"}},
		[]evidence.Finding{{ID: "p", CheckID: "X", Status: evidence.Pass}}, nil)[0]
	got := map[string]string{}
	for _, p := range r.Parts {
		got[p.ID] = p.Status + " " + p.Objective + " " + strings.Join(p.Checks, ",")
	}
	want := map[string]string{
		"si-7_smt":   "needs-manual si-7_obj X (sufficient)",
		"si-7_smt.a": "evidenced si-7_obj.a X (sufficient)",
		"si-7_smt.b": "needs-manual  ",
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s = %q, want %q", id, got[id], w)
		}
	}
	if r.Status != assessment.NotAssessed || !strings.Contains(r.Reason, "evidenced: parts si-7_smt.a (X); still needs EXAMINE/INTERVIEW for parts si-7_smt.b") {
		t.Errorf("%s: %s", r.Status, r.Reason)
	}
}

// TestProcessControlsNeedManualEvidence: a process control is never
// satisfied by automation, can be failed by it, and manual evidence
// satisfies it.
func TestProcessControlsNeedManualEvidence(t *testing.T) {
	idx := fakeIndex{"sa-11": {ID: "sa-11", Label: "SA-11"}}
	m := &Mapping{
		Entries: map[string]*Entry{"X": {Check: "X", Controls: []ControlRef{{Control: "sa-11", Strength: Partial, Parts: []string{"sa-11_smt"}, Rationale: "x"}}}},
		Process: []ProcessRef{{Control: "sa-11", Rationale: "developer testing is a process"}},
	}
	ran := []Check{{ID: "X"}}
	pass := []evidence.Finding{{ID: "p", CheckID: "X", Status: evidence.Pass}}
	r := Aggregate([]string{"sa-11"}, idx, m, ran, pass, nil)[0]
	if r.Status != assessment.NotAssessed || !r.Process || !strings.Contains(r.Reason, "process control") {
		t.Errorf("pass: %s (%s)", r.Status, r.Reason)
	}
	// Even a sufficient mapping (refused by Validate) does not satisfy it.
	m.Entries["X"].Controls[0].Strength = Sufficient
	if r := Aggregate([]string{"sa-11"}, idx, m, ran, pass, nil)[0]; r.Status != assessment.NotAssessed {
		t.Errorf("sufficient: %s (%s)", r.Status, r.Reason)
	}
	if err := m.Validate(idx, map[string]bool{"X": true}); err == nil || !strings.Contains(err.Error(), "process control") {
		t.Errorf("Validate: %v", err)
	}
	fail := []evidence.Finding{{ID: "f", CheckID: "X", Status: evidence.Fail}}
	if r := Aggregate([]string{"sa-11"}, idx, m, ran, fail, nil)[0]; r.Status != assessment.NotSatisfied {
		t.Errorf("fail: %s", r.Status)
	}
	me := map[string]*assessment.ManualEvidence{"sa-11": {Status: assessment.Satisfied, Assessor: "J", Date: "2026-01-01", Statement: "test plan reviewed"}}
	if r := Aggregate([]string{"sa-11"}, idx, m, ran, pass, me)[0]; r.Status != assessment.Satisfied || !strings.Contains(r.Reason, "automation: process control") {
		t.Errorf("manual: %s (%s)", r.Status, r.Reason)
	}
}

// TestPreconditions: while a check of pedigree's own inputs fails, the
// checks it gates decide nothing, and the reason says why.
func TestPreconditions(t *testing.T) {
	idx := fakeIndex{"ra-5": {ID: "ra-5", Label: "RA-5"}}
	m := &Mapping{Entries: map[string]*Entry{
		"DB":   {Check: "DB", Precondition: &Precondition{Gates: []string{"VULN"}, Limitation: "no vulnerability database"}},
		"VULN": {Check: "VULN", Controls: []ControlRef{{Control: "ra-5", Strength: Sufficient, Parts: []string{"ra-5_smt"}, Rationale: "v"}}},
	}}
	ran := []Check{{ID: "DB"}, {ID: "VULN"}}
	for _, tt := range []struct {
		db, vuln evidence.Status
		want     assessment.ControlStatus
		reason   string
	}{
		{evidence.Pass, evidence.Pass, assessment.Satisfied, "passed"},
		{evidence.Fail, evidence.Pass, assessment.NotAssessed, "VULN (precondition DB fail: no vulnerability database)"},
		{evidence.Error, evidence.Pass, assessment.NotAssessed, "precondition DB error"},
		{evidence.Fail, evidence.Fail, assessment.NotSatisfied, "failed: VULN"},
	} {
		fs := []evidence.Finding{{ID: "d", CheckID: "DB", Status: tt.db}, {ID: "v", CheckID: "VULN", Status: tt.vuln}}
		r := Aggregate([]string{"ra-5"}, idx, m, ran, fs, nil)[0]
		if r.Status != tt.want || !strings.Contains(r.Reason, tt.reason) {
			t.Errorf("db %s, vuln %s: %s (%s), want %s (%s)", tt.db, tt.vuln, r.Status, r.Reason, tt.want, tt.reason)
		}
	}
}

// TestParameters: the value a verdict was judged against comes from the
// configuration, else pedigree's stated default; a profile's value is
// recorded beside it.
func TestParameters(t *testing.T) {
	idx := fakeIndex{"cm-8": {ID: "cm-8", Label: "CM-8"}}
	m := &Mapping{Entries: map[string]*Entry{
		"X": {Check: "X", Controls: []ControlRef{{Control: "cm-8", Strength: Partial, Parts: []string{"cm-8_smt"}, Rationale: "x",
			Parameters: []ParamRef{{Param: "cm-08_odp.01", Default: "name, version", Config: "sbom.fields"}, {Param: "cm-08_odp.02", Default: "yearly"}}}}},
	}}
	cfg := func(k string) (string, bool) {
		if k == "sbom.fields" {
			return "name, version, supplier", true
		}
		return "", false
	}
	for _, tt := range []struct {
		p    *Params
		want string
	}{
		{nil, "cm-08_odp.01=name, version (default) cm-08_odp.02=yearly (default)"},
		{&Params{Config: cfg}, "cm-08_odp.01=name, version, supplier (config sbom.fields) cm-08_odp.02=yearly (default)"},
		{&Params{Config: cfg, Profile: map[string]string{"cm-08_odp.02": "monthly"}}, "cm-08_odp.01=name, version, supplier (config sbom.fields) cm-08_odp.02=yearly (default profile=monthly)"},
	} {
		r := AggregateWith([]string{"cm-8"}, idx, m, []Check{{ID: "X"}}, nil, nil, tt.p)[0]
		var got []string
		for _, v := range r.Parameters {
			x := v.ID + "=" + v.Value + " (" + v.Source + " " + v.Setting
			if v.Profile != "" {
				x = strings.TrimSpace(x) + " profile=" + v.Profile
			}
			got = append(got, strings.TrimSpace(x)+")")
		}
		if g := strings.ReplaceAll(strings.Join(got, " "), " )", ")"); g != tt.want {
			t.Errorf("got %q, want %q", g, tt.want)
		}
	}
}
