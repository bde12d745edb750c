package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution/release"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewReleaseAttestations is release.CheckAttestations: every release artifact comes with provenance and an SBOM.
func NewReleaseAttestations() controls.Check {
	c := check(release.CheckAttestations,
		"Every release artifact comes with provenance and an SBOM",
		"Recipients can check how an artifact was built and what it contains only when provenance (about its digest) and an SBOM are published with it.",
		"Publish SLSA provenance (.intoto.jsonl or a Sigstore bundle) and an SBOM (.spdx.json, .cdx.json) for each artifact.",
		evidence.Medium, "EXAMINE")
	c.Run = judged(c, byOutcome)
	return c
}
