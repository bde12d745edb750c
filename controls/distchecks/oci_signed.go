package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewOCISigned is oci.CheckSigned: every image carries a signature that verifies against the trust policy.
func NewOCISigned() controls.Check {
	c := check(oci.CheckSigned,
		"Every image carries a signature that verifies against the trust policy",
		"A container image can be replaced in a registry or mirror without trace unless a signature over its digest verifies against keys or identities the organisation trusts.",
		"Sign images with cosign (key or keyless) and ship the signature with the image (cosign save, or the registry's referrers); pin the key or trusted root with --key or --trusted-root.",
		evidence.High, "TEST")
	c.Run = judged(c, byOutcome)
	return c
}
