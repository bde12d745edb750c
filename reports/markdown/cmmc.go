package markdown

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/reports/view"
)

// cmmcSection writes the CMMC summary of a run with a CMMC scope: the SPRS
// score line (or its range), the status with its reasons, and the practices
// not met.
func cmmcSection(b *strings.Builder, a *assessment.Assessment, max int) {
	c := a.CMMC
	if c == nil {
		return
	}
	fmt.Fprintf(b, "SPRS score: %s\n\n", view.SPRSLine(c))
	fmt.Fprintf(b, "CMMC Level %d status: **%s**", c.Level, cell(view.CMMCStatus(c)))
	cs := c.Score.Counts
	fmt.Fprintf(b, " · practices: %d met, %d not met, %d not applicable, %d not assessed\n\n",
		cs[assessment.Met], cs[assessment.NotMet], cs[assessment.NotApplicable], cs[assessment.PracticeNotAssessed])
	for _, r := range c.Score.Reasons {
		fmt.Fprintf(b, "- %s\n", cell(r))
	}
	var open []*assessment.PracticeResult
	for i := range c.Practices {
		if c.Practices[i].Status == assessment.NotMet {
			open = append(open, &c.Practices[i])
		}
	}
	if len(open) == 0 {
		b.WriteString("\n")
		return
	}
	fmt.Fprintf(b, "\n### CMMC practices not met (%d)\n\n| Practice | Title | Deducted | POA&M | Why |\n|---|---|--:|---|---|\n", len(open))
	for i, p := range open {
		if i == max || b.Len() > MaxBytes/4 {
			fmt.Fprintf(b, "| … | %d more in the full report | | | |\n", len(open)-i)
			break
		}
		poam := ""
		if p.POAM {
			poam = "yes"
			if p.Planned != "" {
				poam = p.Planned
			}
		}
		fmt.Fprintf(b, "| %s | %s | %d | %s | %s |\n", code(p.ID), cell(p.Title), p.Deducted, cell(poam), cell(p.Reason))
	}
	b.WriteString("\n")
}
