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
      - {control: SI-7, rationale: "a evidences si-7"}
      - {control: SR-4(3), rationale: "a evidences sr-4.3"}
  - check: B
    controls:
      - {control: si-7, rationale: "b evidences si-7"}
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
			reason:   map[string]string{"si-7": "no evidence in the targets for A, B"},
		},
		{
			name:     "a check with nothing to judge does not block",
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
