package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewOCIDigestPinned is oci.CheckDigestPinned: base images are pinned by digest.
func NewOCIDigestPinned() controls.Check {
	c := check(oci.CheckDigestPinned,
		"Base images are pinned by digest",
		"A base image named by tag can change under the same name; only a digest pin makes the build reproducible and the base's provenance checkable.",
		"Write FROM image@sha256:<digest> (a tag may stay for readers) and record the org.opencontainers.image.base.name and .digest labels.",
		evidence.Medium, "EXAMINE")
	c.Run = judged(c, byOutcome)
	return c
}
