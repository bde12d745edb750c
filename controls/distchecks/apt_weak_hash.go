package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/apt"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewAptWeakHash is apt.CheckWeakHash: release entries are protected by SHA-256 or stronger.
func NewAptWeakHash() controls.Check {
	c := check(apt.CheckWeakHash,
		"Release entries are protected by SHA-256 or stronger",
		"MD5 and SHA-1 collide; an index protected by them alone can be swapped for another with the same digest.",
		"Generate the Release with SHA256 (and SHA512) sections; apt ignores MD5Sum and SHA1 when a stronger hash is present.",
		evidence.Medium, "EXAMINE")
	c.Run = judged(c, byOutcome)
	return c
}
