package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewOCIAttested is oci.CheckAttested: every image carries a signed SBOM and SLSA provenance attestation about its digest.
func NewOCIAttested() controls.Check {
	c := check(oci.CheckAttested,
		"Every image carries a signed SBOM and SLSA provenance attestation about its digest",
		"Recipients can judge what an image contains and how it was built only when an SBOM and a provenance attestation are bound to the image digest by a verified signature.",
		"Attach attestations with cosign attest --type spdxjson and --type slsaprovenance (or the build system's provenance generator) and keep them with the image.",
		evidence.Medium, "TEST")
	c.Run = judged(c, byOutcome)
	return c
}
