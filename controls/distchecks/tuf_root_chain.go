package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewTUFRootChain is tuf.CheckRootChain: the TUF root chain verifies from a pinned root.
func NewTUFRootChain() controls.Check {
	c := check(tuf.CheckRootChain,
		"The TUF root chain verifies from a pinned root",
		"A TUF client trusts a new root only when a threshold of the previous root's keys and of its own keys signed it; a broken chain lets whoever holds one key replace all trust. A chain that starts from an unpinned root proves nothing about the first root and is reported as trust on first use.",
		"Pin the root your clients ship with --tuf-root (distribution.tuf-root) and re-sign any root version that breaks the chain.",
		evidence.Critical, "TEST")
	c.Run = judged(c, func(f *distribution.Finding) (evidence.Status, string) {
		if f.Outcome == distribution.NotVerified {
			return evidence.NotAssessed, f.Message + "; a chain from an unpinned root is trust on first use, not a verified chain"
		}
		return byOutcome(f)
	})
	return c
}
