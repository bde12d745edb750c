package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewOCILayoutIntegrity is oci.CheckIntegrity: every blob of an image layout matches the digest and size that reference it.
func NewOCILayoutIntegrity() controls.Check {
	c := check(oci.CheckIntegrity,
		"Every blob of an image layout matches the digest and size that reference it",
		"An image is only the image its publisher built when every manifest, config and layer hashes to the digest its parent names; a blob that differs, is missing, is a link, or sits in a loop means the layout was altered or is hostile.",
		"Re-export the image from the registry (crane pull --format=oci, skopeo copy, cosign save) and investigate where the altered blob came from.",
		evidence.High, "TEST")
	c.Run = judged(c, byOutcome)
	return c
}
