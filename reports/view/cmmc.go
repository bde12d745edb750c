package view

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/assessment"
)

// SPRSLine is the SPRS score as reports print it: "96/110", the range
// while practices are not assessed, or why there is none.
func SPRSLine(c *assessment.CMMC) string {
	s := c.Score
	switch {
	case c.Level == 1:
		return "none (Level 1 has no SPRS score)"
	case s.Score != nil:
		return fmt.Sprintf("%d/%d", *s.Score, s.Max)
	case s.Complete:
		return "none (CA.L2-3.12.4, the system security plan, is not met)"
	default:
		return fmt.Sprintf("%d to %d/%d (incomplete: %d practice(s) not assessed)", s.IfUnassessedNotMet, s.IfUnassessedMet, s.Max, s.Counts[assessment.PracticeNotAssessed])
	}
}

// CMMCStatus words the 32 CFR 170.21 status, with the POA&M closeout
// deadline of a conditional one.
func CMMCStatus(c *assessment.CMMC) string {
	switch c.Score.Status {
	case assessment.CMMCFinal:
		return fmt.Sprintf("Final Level %d", c.Level)
	case assessment.CMMCConditional:
		return fmt.Sprintf("Conditional Level %d (POA&M closeout by %s)", c.Level, c.Score.POAMDeadline)
	case assessment.CMMCNotEligible:
		return "Not eligible"
	}
	return "Incomplete"
}
