package vuln_test

import (
	"context"
	"fmt"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/vuln"
)

func ExampleMatchDocument() {
	db, err := vuln.LoadDatabase(context.Background(), []string{"../../examples/demo/vuln/osv"}, vuln.LoadOptions{})
	if err != nil {
		panic(err)
	}
	doc := &sbom.Document{Components: []sbom.Component{
		{Name: "lodash", Version: "4.17.20", PURL: "pkg:npm/lodash@4.17.20"},
	}}
	for _, r := range vuln.MatchDocument(db.Index, nil, nil, doc) {
		for _, m := range r.Matches {
			fmt.Printf("%s: %s %s CVSS %.1f, fixed in %s\n", r.Component.Label(), m.ID, m.Severity, m.Score.Base, m.Fixed)
		}
	}
	// Output: lodash@4.17.20: GHSA-35jh-r3h4-6jhm high CVSS 7.2, fixed in 4.17.21
}
