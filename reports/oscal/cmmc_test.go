package oscal

import (
	"testing"

	"github.com/pedigree-dev/pedigree/assessment"
	oscalschema "github.com/pedigree-dev/pedigree/oscal"
)

// cmmcFixture is fixture() with a CMMC view: an objective not met by the
// failing checksum finding (with the assessor's POA&M entry), objectives
// met by manual evidence, one not assessed.
func cmmcFixture() *assessment.Assessment {
	a := fixture()
	var failing string
	for _, f := range a.Findings {
		if f.Status == "fail" {
			failing = f.ID
			break
		}
	}
	manual := &assessment.PracticeManual{Status: assessment.Met, Statement: "Account list reviewed.", Assessor: "J. Doe", Date: "2026-02-20", Source: "manual.yaml", Line: 9,
		SHA256: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}
	poam := &assessment.PracticeManual{Status: assessment.NotMet, Statement: "Checksums will be republished.", Assessor: "J. Doe", Date: "2026-02-20", Planned: "2026-06-30",
		Source: "manual.yaml", Line: 16, SHA256: manual.SHA256}
	a.CMMC = &assessment.CMMC{Level: 2, Source: "test",
		Practices: []assessment.PracticeResult{
			{ID: "AC.L2-3.1.1", Title: "Authorized Access Control", Requirements: []string{"3.1.1"}, Status: assessment.Met, Reason: "met", Value: 5, Manual: manual,
				Objectives: []assessment.ObjectiveResult{
					{ID: "AC.L2-3.1.1[a]", Text: "authorized users are identified", Status: assessment.Met, Reason: "manual", Manual: manual},
					{ID: "AC.L2-3.1.1[b]", Text: "processes are identified", Status: assessment.Met, Reason: "manual", Manual: manual},
				}},
			{ID: "SI.L2-3.14.2", Title: "Malicious Code Protection", Requirements: []string{"3.14.2"}, Status: assessment.NotMet, Reason: "not met", Value: 5, Deducted: 5, POAM: true,
				Objectives: []assessment.ObjectiveResult{
					{ID: "SI.L2-3.14.2[a]", Text: "designated locations are identified", Status: assessment.Met, Reason: "manual", Manual: manual},
					{ID: "SI.L2-3.14.2[b]", Text: "protection is provided", Status: assessment.NotMet, Reason: "automated check failed: FILES-CHECKSUM-MISMATCH",
						Controls: []string{"si-7"}, Checks: []string{"FILES-CHECKSUM-MISMATCH"}, Findings: []string{failing}, Rationales: []string{"[b] an altered artifact"}, Manual: poam},
				}},
			{ID: "SI.L2-3.14.1", Title: "Flaw Remediation", Requirements: []string{"3.14.1"}, Status: assessment.PracticeNotAssessed, Reason: "not assessed", Value: 5,
				Objectives: []assessment.ObjectiveResult{{ID: "SI.L2-3.14.1[a]", Text: "time specified", Status: assessment.PracticeNotAssessed, Reason: "no evidence"}}},
		},
		Score: assessment.SPRSScore{IfUnassessedMet: 105, IfUnassessedNotMet: 100, Max: 110, Status: assessment.CMMCIncomplete, Reasons: []string{"1 not assessed"}},
	}
	return a
}

// TestCMMCObjectives: each decided objective is a finding targeting its
// objective-id, and the document validates.
func TestCMMCObjectives(t *testing.T) {
	a := cmmcFixture()
	b := render(t, NewAssessmentResults(), a)
	v, err := oscalschema.DecodeJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := oscalschema.Validate(v); err != nil {
		t.Fatal(err)
	}
	r := decode(t, b).AssessmentResults.Results[0]
	got := map[string]string{}
	for _, f := range *r.Findings {
		if f.Target.Type == "objective-id" && f.Target.TargetId != "sr-1_obj" { // sr-1: a control's manual evidence
			got[f.Target.TargetId] = f.Target.Status.State
			if f.Target.TargetId == "SI.L2-3.14.2_obj.b" && (f.RelatedObservations == nil || len(*f.RelatedObservations) != 2) {
				t.Errorf("SI.L2-3.14.2[b] should relate the failing check's and the assessor's observations: %+v", f.RelatedObservations)
			}
		}
	}
	want := map[string]string{"AC.L2-3.1.1_obj.a": "satisfied", "AC.L2-3.1.1_obj.b": "satisfied", "SI.L2-3.14.2_obj.a": "satisfied", "SI.L2-3.14.2_obj.b": "not-satisfied"}
	if len(got) != len(want) {
		t.Errorf("objective findings %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	props := map[string]string{}
	for _, p := range *r.Props {
		props[p.Name] = p.Value
	}
	if props["cmmc-status"] != "incomplete" || props["sprs-score-range"] != "100..105" || props["cmmc-objectives-not-assessed"] != "1" {
		t.Errorf("result props %v", props)
	}
	if objectiveToken("AC.L2-3.1.1[a]") != "AC.L2-3.1.1_obj.a" || objectiveToken("PE.L1-b.1.ix[f]") != "PE.L1-b.1.ix_obj.f" {
		t.Error("objectiveToken")
	}
}

// TestCMMCPOAM: a practice on the POA&M is a poam-item related to the
// findings of its objectives not met, and the document validates.
func TestCMMCPOAM(t *testing.T) {
	b := render(t, NewPOAM(), cmmcFixture())
	v, err := oscalschema.DecodeJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := oscalschema.Validate(v); err != nil {
		t.Fatal(err)
	}
	p := decode(t, b).PlanOfActionAndMilestones
	var found bool
	for _, it := range p.PoamItems {
		if it.UUID != uid("poam-item", "cmmc", "SI.L2-3.14.2") {
			continue
		}
		found = true
		if it.RelatedFindings == nil || len(*it.RelatedFindings) != 1 || (*it.RelatedFindings)[0].FindingUuid != uid("finding", "cmmc", "SI.L2-3.14.2[b]") {
			t.Errorf("related findings %+v", it.RelatedFindings)
		}
		if it.RelatedObservations == nil || len(*it.RelatedObservations) != 2 {
			t.Errorf("related observations %+v", it.RelatedObservations)
		}
	}
	if !found {
		t.Fatal("no POA&M item for SI.L2-3.14.2")
	}
	kept := map[string]bool{}
	for _, f := range *p.Findings {
		kept[f.UUID] = true
	}
	if !kept[uid("finding", "cmmc", "SI.L2-3.14.2[b]")] {
		t.Error("the objective's finding is not in the POA&M document")
	}
}
