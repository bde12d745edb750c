// Package repochecks judges source repositories: are commits and release
// tags signed by trusted keys, who owns the pipeline files, is there a
// security policy, are dependencies updated and pinned by lockfiles, and
// are binaries committed where source should be.
package repochecks

import (
	"github.com/pedigree-dev/pedigree/collectors/gitrepo"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// All returns every offline repository check. minSignedShare is the share
// of commits in the window that must carry a verified signature.
func All(minSignedShare float64) []controls.Check {
	return []controls.Check{
		NewCommitsSigned(minSignedShare), NewTagsSigned(), NewCodeOwners(), NewSecurityPolicy(),
		NewDependencyUpdates(), NewLockfiles(), NewBinaries(), NewRepositoryReadable(),
	}
}

// treeCheck builds a check that judges each repository's HEAD tree with
// judge, which returns the status and message.
func treeCheck(c controls.Check, judge func(t *gitrepo.Tree) (evidence.Status, string)) controls.Check {
	c.Pillar, c.Method = controls.PillarBuild, "EXAMINE"
	c.Reads = []string{gitrepo.KindTree}
	c.Run = controls.EachPayload(func(e *evidence.Evidence, t *gitrepo.Tree) evidence.Finding {
		st, msg := judge(t)
		return c.Finding(st, t.Root+": "+msg, e.Subject)
	})
	return c
}
