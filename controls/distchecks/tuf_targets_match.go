package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewTUFTargetsMatch is tuf.CheckTargetsMatch: every target file present matches the length and hashes TUF records.
func NewTUFTargetsMatch() controls.Check {
	c := check(tuf.CheckTargetsMatch,
		"Every target file present matches the length and hashes TUF records",
		"A target is trustworthy only when its bytes match the hashes signed targets metadata records, and only when the role listing it was delegated its path.",
		"Replace the target with the published file, or re-sign targets metadata after an intended change; keep delegated roles within their paths.",
		evidence.High, "TEST")
	c.Run = judged(c, byOutcome)
	return c
}
