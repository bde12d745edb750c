package sarif_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/reports/sarif"
)

// The SARIF log holds one rule per check and one result per failing
// finding, anchored where the finding points, as GitHub code scanning shows
// it.
func ExampleWriter_Write() {
	var buf bytes.Buffer
	if err := (&sarif.Writer{}).Write(context.Background(), &buf, assessmenttest.Small()); err != nil {
		log.Fatal(err)
	}
	var log210 struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					Physical struct {
						Artifact struct {
							URI  string `json:"uri"`
							Base string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log210); err != nil {
		log.Fatal(err)
	}
	run := log210.Runs[0]
	fmt.Println("SARIF", log210.Version, "with", len(run.Tool.Driver.Rules), "rules")
	for _, r := range run.Results {
		loc := r.Locations[0].Physical
		where := loc.Artifact.Base + "/" + loc.Artifact.URI
		if loc.Region.StartLine > 0 {
			where += fmt.Sprintf(":%d", loc.Region.StartLine)
		}
		fmt.Println(r.Level, r.RuleID, where)
	}
	// Output:
	// SARIF 2.1.0 with 4 rules
	// error CI-TEMPLATE-INJECTION TARGET_APP/.github/workflows/release.yml:42
	// warning SBOM-NTIA-MINIMUM TARGET_APP/dist/app.cdx.json:1
}
