package oscal

import (
	"encoding/json"
	"strings"
	"testing"

	types "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
	oscalschema "github.com/pedigree-dev/pedigree/oscal"
)

// partsFixture extends the fixture: SI-7 with part a evidenced and part b
// left to manual evidence, SR-4(3) failed on its single part, and a
// precondition check that failed.
func partsFixture() *assessment.Assessment {
	a := fixture()
	pass := a.Findings[0]
	a.Scope.ControlIDs = append(a.Scope.ControlIDs, "si-7")
	a.Controls = append(a.Controls, assessment.ControlResult{
		ID: "si-7", Label: "SI-7", Title: "Software, Firmware, and Information Integrity", Family: "si", Status: assessment.NotAssessed, Automated: true,
		Reason: "passed: FILES-CHECKSUM-MISMATCH; evidenced: parts si-7_smt.a (FILES-CHECKSUM-MISMATCH); still needs EXAMINE/INTERVIEW for parts si-7_smt.b",
		Checks: []string{"FILES-CHECKSUM-MISMATCH"}, Findings: []string{pass.ID},
		Parts: []assessment.PartResult{
			{ID: "si-7_smt", Objective: "si-7_obj", Status: assessment.PartNeedsManual, Checks: []string{"FILES-CHECKSUM-MISMATCH (sufficient)"}},
			{ID: "si-7_smt.a", Label: "a.", Objective: "si-7_obj.a", Status: assessment.PartEvidenced, Checks: []string{"FILES-CHECKSUM-MISMATCH (sufficient)"}},
			{ID: "si-7_smt.b", Label: "b.", Objective: "si-7_obj.b", Status: assessment.PartNeedsManual},
		},
	})
	for i := range a.Controls {
		if a.Controls[i].ID == "sr-4.3" {
			a.Controls[i].Parts = []assessment.PartResult{{ID: "sr-4.3_smt", Status: assessment.PartFailed, Checks: []string{"FILES-CHECKSUM-MISMATCH (partial)"}}}
		}
	}
	pre := evidence.Finding{CheckID: "VULN-DB-MISSING", Status: evidence.Fail, Severity: evidence.High, Message: "no vulnerability database configured"}
	pre.Identify()
	a.Findings = append(a.Findings, pre)
	a.Checks = append(a.Checks, assessment.Check{ID: "VULN-DB-MISSING", Title: "A vulnerability database is supplied", Severity: evidence.High, Pillar: "sbom", Method: "EXAMINE",
		Precondition: &assessment.Precondition{Gates: []string{"VULN-KNOWN-EXPLOITED"}, Limitation: "Without a vulnerability database no component is matched."}})
	return a
}

// TestFindingsTargetStatementParts: a control of several parts gets a
// finding per part automation decided, aimed at its SP 800-53A objective;
// a single-part statement is targeted at the part itself; both documents
// still validate.
func TestFindingsTargetStatementParts(t *testing.T) {
	a := partsFixture()
	ar := AssessmentResults(a).AssessmentResults
	targets := map[string]string{}
	for _, f := range *ar.Results[0].Findings {
		targets[f.Target.TargetId] = f.Target.Type + " " + f.Target.Status.State
	}
	for id, want := range map[string]string{
		"si-7_obj.a": "objective-id satisfied",     // part a evidenced, though SI-7 itself is not assessed
		"sr-4.3_smt": "statement-id not-satisfied", // one part, no objective in 5.0.1
		"si-7.1_smt": "statement-id not-satisfied", // no parts recorded: the whole statement
	} {
		if targets[id] != want {
			t.Errorf("target %s = %q, want %q (all: %v)", id, targets[id], want, targets)
		}
	}
	if _, ok := targets["si-7_obj.b"]; ok {
		t.Error("part b, left to manual evidence, has a finding")
	}
	mustValidate(t, AssessmentResults(a))
	ap := AssessmentPlan(a)
	mustValidate(t, ap)
	tc := ap.AssessmentPlan.TermsAndConditions
	if tc == nil || tc.Parts == nil || len(*tc.Parts) != 1 || (*tc.Parts)[0].Parts == nil {
		t.Fatalf("no limitations in the plan: %+v", tc)
	}
	lim := (*(*tc.Parts)[0].Parts)[0]
	if !strings.Contains(lim.Prose, "Gates: VULN-KNOWN-EXPLOITED") || !strings.Contains(lim.Prose, "no vulnerability database configured") {
		t.Errorf("limitation prose %q", lim.Prose)
	}
	if AssessmentPlan(fixture()).AssessmentPlan.TermsAndConditions != nil {
		t.Error("a run without preconditions lists limitations")
	}
}

// mustValidate encodes a document as the writers do and validates it
// against the OSCAL 1.1.3 schema.
func mustValidate(t *testing.T, doc *types.OscalCompleteSchema) {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	v, err := oscalschema.DecodeJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := oscalschema.Validate(v); err != nil {
		t.Fatal(err)
	}
}
