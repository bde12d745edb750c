package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/release"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewReleaseChecksumsSigned is release.CheckChecksumsSigned: the release checksum list is signed and covers every artifact.
func NewReleaseChecksumsSigned() controls.Check {
	c := check(release.CheckChecksumsSigned,
		"The release checksum list is signed and covers every artifact",
		"A checksum list protects a download only when the list itself is signed by a trusted key or identity and lists every artifact published beside it.",
		"Sign SHA256SUMS (gpg --detach-sign, cosign sign-blob --bundle, minisign -S or signify -S) and regenerate it whenever an artifact is added.",
		evidence.High, "TEST")
	c.Run = judged(c, byOutcome)
	return c
}
