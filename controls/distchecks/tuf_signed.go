package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewTUFSigned is tuf.CheckSigned: timestamp, snapshot, targets and delegated roles are signed by a threshold of their keys.
func NewTUFSigned() controls.Check {
	c := check(tuf.CheckSigned,
		"Timestamp, snapshot, targets and delegated roles are signed by a threshold of their keys",
		"TUF metadata protects targets only when each role's file carries a threshold of valid signatures by the keys its delegator names.",
		"Re-sign the role with its keys; if the keys changed, rotate them through the root (or the delegating targets role).",
		evidence.Critical, "TEST")
	c.Run = judged(c, byOutcome)
	return c
}
