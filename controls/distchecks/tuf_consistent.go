package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewTUFConsistent is tuf.CheckConsistent: timestamp, snapshot and targets versions agree (no rollback, no mix-and-match).
func NewTUFConsistent() controls.Check {
	c := check(tuf.CheckConsistent,
		"Timestamp, snapshot and targets versions agree (no rollback, no mix-and-match)",
		"Timestamp names the snapshot version and snapshot the targets versions; metadata older or newer than recorded means a rollback or a mix of files from different moments, attacks TUF exists to stop.",
		"Mirror the repository atomically from one consistent snapshot, and find out why the metadata diverged.",
		evidence.High, "TEST")
	c.Run = judged(c, byOutcome)
	return c
}
