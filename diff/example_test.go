package diff_test

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/diff"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Compare matches two runs by their stable finding and control ids. In the
// newer run the SBOM gained its suppliers, but the release signature no
// longer verifies.
func ExampleCompare() {
	old := assessmenttest.Small()
	cur := assessmenttest.Small()
	cur.RunID = "22222222-2222-4333-8444-555555555555"
	cur.StartedAt = old.StartedAt.AddDate(0, 0, 7)
	for i := range cur.Findings {
		switch f := &cur.Findings[i]; f.ID {
		case "f-ntia":
			f.Status, f.Message = evidence.Pass, "every component names its supplier"
		case "f-sig":
			f.Status, f.Message = evidence.Fail, "dist/app.tar.gz: signature does not verify"
		}
	}
	for i := range cur.Controls {
		switch c := &cur.Controls[i]; c.ID {
		case "cm-8":
			c.Status = assessment.Satisfied
		case "sr-4.3":
			c.Status = assessment.NotSatisfied
		}
	}

	r := diff.Compare(diff.FromAssessment(old), diff.FromAssessment(cur))
	for _, f := range r.Fixed {
		fmt.Printf("fixed:     %s %s (%s -> %s)\n", f.Check, f.Where, f.Old, f.New)
	}
	for _, f := range r.Regressed {
		fmt.Printf("regressed: %s %s (%s -> %s)\n", f.Check, f.Where, f.Old, f.New)
	}
	for _, c := range r.Controls {
		fmt.Printf("control:   %s %s -> %s\n", c.Label, c.Old, c.New)
	}
	fmt.Printf("POA&M: %d still open, %d opened, %d closed\n", len(r.StillOpen), len(r.Opened), len(r.Closed))
	fmt.Println("worse:", r.Worse())
	// Output:
	// fixed:     SBOM-NTIA-MINIMUM dist/app.cdx.json (fail -> pass)
	// regressed: SIGN-ARTIFACT-VERIFIED dist/app.tar.gz (pass -> fail)
	// control:   CM-8 not-satisfied -> satisfied
	// control:   SR-4(3) satisfied -> not-satisfied
	// POA&M: 1 still open, 1 opened, 1 closed
	// worse: true
}
