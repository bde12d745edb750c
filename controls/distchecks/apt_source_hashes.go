package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/apt"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewAptSourceHashes is apt.CheckSourceHashes: every source file present (.dsc, .orig.tar.*, .debian.tar.*) matches its Sources stanza.
func NewAptSourceHashes() controls.Check {
	c := check(apt.CheckSourceHashes,
		"Every source package file present matches its Sources stanza",
		"A source package is trusted through the checksums its verified Sources index records; a .dsc or tarball that differs is not the source the archive published.",
		"Re-mirror the source package, and investigate how the pool copy changed.",
		evidence.High, "TEST")
	c.Run = judged(c, byOutcome)
	return c
}
