package controls_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// newSBOMShipped is a check in the house style: a constructor carrying id,
// title and rationale, and a pure Run over the evidence kinds it reads.
func newSBOMShipped() controls.Check {
	c := controls.Check{
		ID:          "DEMO-SBOM-SHIPPED",
		Title:       "The release ships an SBOM",
		Rationale:   "Without an SBOM the components of the release cannot be inventoried.",
		Remediation: "Generate a CycloneDX or SPDX SBOM in the release job and publish it with the artifacts.",
		Severity:    evidence.Medium,
		Pillar:      "demo",
		Method:      "EXAMINE",
		Reads:       []string{"demo.release"},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for _, e := range ev {
			f := c.Finding(evidence.Pass, e.Subject.Ref+" ships an SBOM", e.Subject)
			if e.Payload != "sbom" {
				f = c.Finding(evidence.Fail, e.Subject.Ref+" ships no SBOM", e.Subject)
			}
			f.Evidence = []string{e.ID}
			out = append(out, f)
		}
		return out
	}
	return c
}

// Aggregate turns the findings of the checks that ran into one verdict per
// control in scope, through the check-to-control mapping; a control no check
// is mapped to stays not-assessed and says what an assessor must do.
func ExampleAggregate() {
	dir, err := os.MkdirTemp("", "pedigree-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	mappingFile := filepath.Join(dir, "mapping.yaml")
	os.WriteFile(mappingFile, []byte(`replace: true
checks:
  - check: DEMO-SBOM-SHIPPED
    controls:
      - control: CM-8
        rationale: "An SBOM is the component inventory of the release."
`), 0o644)

	idx, err := catalogs.Default()
	if err != nil {
		log.Fatal(err)
	}
	m, err := controls.DefaultMapping()
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Override(mappingFile); err != nil {
		log.Fatal(err)
	}
	check := newSBOMShipped()
	if err := m.Validate(idx, map[string]bool{check.ID: true}); err != nil {
		log.Fatal(err)
	}

	ev := []evidence.Evidence{{
		ID: evidence.NewID("demo", "demo.release", "t", "v1.0", ""), Kind: "demo.release",
		Subject: evidence.Subject{Type: "release", Ref: "v1.0"}, Payload: "no sbom",
	}}
	findings := check.Run(ev)
	for _, r := range controls.Aggregate([]string{"cm-8", "sr-3"}, idx, m, []controls.Check{check}, findings, nil) {
		fmt.Printf("%s (%s): %s: %s\n", r.Label, r.Title, r.Status, r.Reason)
	}
	// Output:
	// CM-8 (System Component Inventory): not-satisfied: failed: DEMO-SBOM-SHIPPED
	// SR-3 (Supply Chain Controls and Processes): not-assessed: no automated check assesses this control; it needs EXAMINE, INTERVIEW, TEST
}

// The embedded mapping says which controls a check evidences.
func ExampleMapping_ControlsOf() {
	m, err := controls.DefaultMapping()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.ControlsOf("FILES-CHECKSUM-MISMATCH"))
	// Output:
	// [si-7 si-7.6 si-7.1 sr-4.3 sr-10]
}
