package oscal_test

import (
	"errors"
	"fmt"

	"github.com/pedigree-dev/pedigree/oscal"
)

func ExampleValidateJSON() {
	doc := []byte(`{"assessment-results": {
		"uuid": "not-a-uuid",
		"metadata": {"title": "t", "last-modified": "2026-03-01T10:00:00Z", "version": 1, "oscal-version": "1.1.3"},
		"import-ap": {"href": "assessment-plan.json"},
		"results": []}}`)
	err := oscal.ValidateJSON(doc)
	var ve *oscal.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// /assessment-results/metadata/version: got number, want string
	// /assessment-results/results: minItems: got 0, want 1
	// /assessment-results/uuid: "not-a-uuid" is not a version 4 or 5 UUID
}
