package hdf_test

import (
	"context"
	"fmt"
	"log"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/reports/hdf"
)

// Build maps each check to an HDF control tagged with the SP 800-53 controls
// it evidences, and each finding to a result with Heimdall's statuses.
func ExampleBuild() {
	exec, err := hdf.Build(context.Background(), assessmenttest.Small())
	if err != nil {
		log.Fatal(err)
	}
	p := exec.Profiles[0]
	fmt.Println(p.Name, p.Version, len(p.Controls), "controls")
	for _, c := range p.Controls {
		fmt.Printf("%s impact %.1f nist %v\n", c.ID, c.Impact, c.Tags["nist"])
		for _, r := range c.Results {
			fmt.Printf("  %s: %s\n", r.Status, r.CodeDesc)
		}
	}
	// Output:
	// pedigree 0.1.0-test 4 controls
	// CI-TEMPLATE-INJECTION impact 0.7 nist [SA-11]
	//   failed: CI-TEMPLATE-INJECTION fail at .github/workflows/release.yml:42:14: step "publish" expands ${{ github.event.issue.title }} into a run: script
	// SBOM-NTIA-MINIMUM impact 0.5 nist [CM-8]
	//   failed: SBOM-NTIA-MINIMUM fail at dist/app.cdx.json: 2 of 3 components lack a supplier
	// SIGN-ARTIFACT-VERIFIED impact 0.9 nist [SI-7 SR-4 (3)]
	//   passed: SIGN-ARTIFACT-VERIFIED pass at dist/app.tar.gz: dist/app.tar.gz verified with key release-2026 (ECDSA P-256)
	//   skipped: SIGN-ARTIFACT-VERIFIED not-assessed at go.mod: no trust policy names a key for lib; signature not checked
	// ENGINE-COLLECTOR-ERROR impact 0.7 nist []
	//   error: ENGINE-COLLECTOR-ERROR error at vuln@lib: collector vuln failed on target lib: database file missing
}
