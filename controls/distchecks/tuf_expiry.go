package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewTUFExpiry is tuf.CheckExpiry: no TUF role has expired at the assessment instant.
func NewTUFExpiry() controls.Check {
	c := check(tuf.CheckExpiry,
		"No TUF role has expired at the assessment instant",
		"Expiry bounds how long an attacker can replay old metadata (a freeze attack); expired metadata is refused by every conforming client.",
		"Re-sign the expired role (online roles should be re-signed on a schedule shorter than their expiry).",
		evidence.High, "TEST")
	c.Run = judged(c, func(f *distribution.Finding) (evidence.Status, string) {
		return expiry(f, "metadata")
	})
	return c
}
