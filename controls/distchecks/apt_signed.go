package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/apt"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewAptSigned is apt.CheckSigned: the apt Release file is signed by a trusted archive key.
func NewAptSigned() controls.Check {
	c := check(apt.CheckSigned,
		"The apt Release file is signed by a trusted archive key",
		"apt trusts every index and package through the Release file's OpenPGP signature; an unsigned Release, or one signed by an unknown key, can list anything.",
		"Sign Release (InRelease, or Release.gpg) with the archive key and give that key to clients (signed-by); pass the keyring with --keyring.",
		evidence.Critical, "TEST")
	c.Run = judged(c, byOutcome)
	return c
}
