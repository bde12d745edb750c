package filechecks

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewFileSkipped is TARGET-FILE-SKIPPED: every file a collector left unread
// (too large, not a regular file, over a budget) is a not-assessed finding
// naming the file and the reason, so that nothing in a target escapes the
// assessment silently.
func NewFileSkipped() controls.Check {
	c := controls.Check{
		ID:          "TARGET-FILE-SKIPPED",
		Title:       "Every file of the target was read",
		Rationale:   "A file pedigree did not read was not assessed: a padded private key or an oversized manifest must not pass unseen.",
		Remediation: "Inspect the file named; raise the limit (--max-file-size) if it is legitimate, or remove it from the release.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarFiles,
		Method:      "EXAMINE",
		Reads:       []string{collectors.KindSkipped},
	}
	c.Run = controls.EachPayload(func(e *evidence.Evidence, s *collectors.Skipped) evidence.Finding {
		f := c.Finding(evidence.NotAssessed, fmt.Sprintf("%s: %s (%s collector)", s.Path, s.Reason, s.Collector), e.Subject)
		f.Location = &evidence.Location{Path: s.Path}
		return f
	})
	return c
}
