package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/apt"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewAptIndexHashes is apt.CheckIndexHashes: every index file present matches the Release hashes.
func NewAptIndexHashes() controls.Check {
	c := check(apt.CheckIndexHashes,
		"Every index file present matches the Release hashes",
		"Packages and Sources indexes are trusted only through the hashes of the signed Release; an index that differs was altered or belongs to another Release.",
		"Re-mirror the index files from the same moment as the Release.",
		evidence.High, "TEST")
	c.Run = judged(c, byOutcome)
	return c
}
