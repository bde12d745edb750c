package sbom_test

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
)

func ExampleParse() {
	raw := []byte(`{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
	  "metadata":{"timestamp":"2025-01-01T00:00:00Z","authors":[{"name":"Acme"}]},
	  "components":[{"type":"library","bom-ref":"a","name":"left-pad","version":"1.3.0","purl":"pkg:npm/left-pad@1.3.0"}]}`)
	doc, err := sbom.Parse("bom.json", raw)
	if err != nil {
		fmt.Println(err)
		return
	}
	pass, first := doc.NTIAMinimum()
	fmt.Println(doc.Format, doc.SpecVersion, doc.Encoding, doc.SchemaValid)
	fmt.Println(len(doc.Components), doc.CountMissing().Supplier, pass, first)
	// Output:
	// cyclonedx 1.6 json true
	// 1 1 false supplier
}
