package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/apt"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewAptPackageHashes is apt.CheckPackageHashes: every .deb present matches its Packages stanza.
func NewAptPackageHashes() controls.Check {
	c := check(apt.CheckPackageHashes,
		"Every .deb present matches its Packages stanza",
		"A package is trusted through the hash its verified Packages index records; a .deb that differs is not the package the archive published.",
		"Re-mirror the package, and investigate how the pool copy changed.",
		evidence.High, "TEST")
	c.Run = judged(c, byOutcome)
	return c
}
