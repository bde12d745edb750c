package assessment_test

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
)

// An assessment is plain data: reports tally its control verdicts and follow
// each control to the findings that decided it and the evidence behind them.
func ExampleAssessment_Counts() {
	a := assessmenttest.Small()
	counts := a.Counts()
	fmt.Println(counts[assessment.Satisfied], "satisfied,", counts[assessment.NotSatisfied], "not satisfied,", counts[assessment.NotAssessed], "not assessed")

	findings, ev := a.FindingByID(), a.EvidenceByID()
	for _, c := range a.Controls {
		if c.Status != assessment.NotSatisfied {
			continue
		}
		for _, id := range c.Findings {
			f := findings[id]
			fmt.Printf("%s: %s %s, evidence %s from %s\n", c.Label, f.CheckID, f.Status, ev[f.Evidence[0]].Kind, ev[f.Evidence[0]].Source)
		}
	}
	// Output:
	// 2 satisfied, 2 not satisfied, 2 not assessed
	// CM-8: SBOM-NTIA-MINIMUM fail, evidence sbom.document from dist/app.cdx.json
	// SA-11: CI-TEMPLATE-INJECTION fail, evidence ci.workflow from .github/workflows/release.yml
}

// pedigree.json is the assessment as JSON; a report rendered from the file
// sees what the run saw.
func ExampleAssessment_json() {
	raw, err := json.Marshal(assessmenttest.Small())
	if err != nil {
		log.Fatal(err)
	}
	var back assessment.Assessment
	if err := json.Unmarshal(raw, &back); err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.SchemaVersion, back.Title, len(back.Controls), "controls", len(back.Findings), "findings")
	fmt.Println(back.Controls[4].Label, back.Controls[4].Status, "by", back.Controls[4].Manual.Assessor)
	// Output:
	// 1.0.0 Demo release assessment 6 controls 5 findings
	// SR-3 satisfied by J. Doe
}
