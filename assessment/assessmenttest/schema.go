package assessmenttest

import (
	"bytes"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ValidateSchema validates doc against the JSON schema in schemaPath and
// fails the test listing every violation, sorted.
func ValidateSchema(t testing.TB, schemaPath string, doc []byte) {
	t.Helper()
	sb, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	sch, err := jsonschema.UnmarshalJSON(bytes.NewReader(sb))
	if err != nil {
		t.Fatalf("%s: %v", schemaPath, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("file:///schema.json", sch); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("file:///schema.json")
	if err != nil {
		t.Fatalf("compile %s: %v", schemaPath, err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	if err := s.Validate(v); err != nil {
		lines := strings.Split(err.Error(), "\n")
		sort.Strings(lines[1:])
		t.Fatalf("document does not validate against %s:\n%s", schemaPath, strings.Join(lines, "\n"))
	}
}
