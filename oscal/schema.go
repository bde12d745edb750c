package oscal

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Version is the OSCAL release whose schema is embedded and whose types the
// writers use.
const Version = "1.1.3"

// SchemaID is the $id of the embedded complete schema.
const SchemaID = "http://csrc.nist.gov/ns/oscal/1.0/1.1.3/oscal-complete-schema.json"

//go:embed oscal_complete_schema.json
var completeSchema []byte

// Models are the OSCAL document models, by their root key, in the order of
// the complete schema's oneOf.
var Models = []string{
	"catalog",
	"profile",
	"component-definition",
	"system-security-plan",
	"assessment-plan",
	"assessment-results",
	"plan-of-action-and-milestones",
}

type compiled struct {
	root   *jsonschema.Schema
	models map[string]*jsonschema.Schema
	// items are the schemas of the items of the arrays that splits names,
	// by schema location.
	items map[string]*jsonschema.Schema
}

// split names an array whose items are validated apart, in parallel, when
// it is long: the observations, findings and risks of a large assessment.
// Path is the array's place under the model's root value; "*" stands for
// every element of an array.
type split struct {
	path  []string
	items string // schema location of one item
}

const defs = "#/definitions/"

var splits = map[string][]split{
	"assessment-results": {
		{[]string{"results", "*", "observations"}, defs + "oscal-complete-oscal-assessment-common:observation"},
		{[]string{"results", "*", "findings"}, defs + "oscal-complete-oscal-assessment-common:finding"},
		{[]string{"results", "*", "risks"}, defs + "oscal-complete-oscal-assessment-common:risk"},
		{[]string{"results", "*", "local-definitions", "inventory-items"}, defs + "oscal-complete-oscal-implementation-common:inventory-item"},
		{[]string{"back-matter", "resources"}, defs + "oscal-complete-oscal-metadata:back-matter/properties/resources/items"},
	},
	"plan-of-action-and-milestones": {
		{[]string{"observations"}, defs + "oscal-complete-oscal-assessment-common:observation"},
		{[]string{"findings"}, defs + "oscal-complete-oscal-assessment-common:finding"},
		{[]string{"risks"}, defs + "oscal-complete-oscal-assessment-common:risk"},
		{[]string{"poam-items"}, defs + "oscal-complete-oscal-poam:poam-item"},
		{[]string{"local-definitions", "inventory-items"}, defs + "oscal-complete-oscal-implementation-common:inventory-item"},
		{[]string{"back-matter", "resources"}, defs + "oscal-complete-oscal-metadata:back-matter/properties/resources/items"},
	},
	"catalog": {
		{[]string{"groups"}, defs + "oscal-complete-oscal-catalog:group"},
		{[]string{"back-matter", "resources"}, defs + "oscal-complete-oscal-metadata:back-matter/properties/resources/items"},
	},
}

var (
	schemaOnce sync.Once
	schemas    *compiled
	schemaErr  error
)

// compiledSchemas compiles the complete schema once, and a schema per model
// (the branches of the root oneOf), so that a document of one model is
// checked against its own branch and its problems are not drowned in the
// "missing property catalog" of the six others.
func compiledSchemas() (*compiled, error) {
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(completeSchema))
		if err != nil {
			schemaErr = fmt.Errorf("embedded OSCAL schema: %w", err)
			return
		}
		inlineDatatypes(doc)
		c := jsonschema.NewCompiler()
		c.UseRegexpEngine(compileRegexp)
		if err := c.AddResource(SchemaID, doc); err != nil {
			schemaErr = fmt.Errorf("embedded OSCAL schema: %w", err)
			return
		}
		out := &compiled{models: map[string]*jsonschema.Schema{}, items: map[string]*jsonschema.Schema{}}
		if out.root, err = c.Compile(SchemaID); err != nil {
			schemaErr = fmt.Errorf("compile OSCAL schema: %w", err)
			return
		}
		for i, m := range Models {
			s, err := c.Compile(fmt.Sprintf("%s#/oneOf/%d", SchemaID, i))
			if err != nil {
				schemaErr = fmt.Errorf("compile OSCAL schema for %s: %w", m, err)
				return
			}
			out.models[m] = s
		}
		for _, ss := range splits {
			for _, sp := range ss {
				if out.items[sp.items] != nil {
					continue
				}
				s, err := c.Compile(SchemaID + sp.items)
				if err != nil {
					schemaErr = fmt.Errorf("compile OSCAL schema %s: %w", sp.items, err)
					return
				}
				out.items[sp.items] = s
			}
		}
		schemas = out
	})
	return schemas, schemaErr
}

// inlineDatatypes replaces each {"$ref": "#/definitions/XDatatype"} by the
// datatype's own keywords. In draft-07 a $ref's siblings are ignored, so the
// schema means exactly the same; but the validator no longer follows a
// reference for every string and number, which halves its work on a large
// document. The datatypes hold no $id and refer only to other datatypes.
func inlineDatatypes(doc any) {
	root, ok := doc.(map[string]any)
	if !ok {
		return
	}
	defsMap, _ := root["definitions"].(map[string]any)
	var walk func(v any) any
	walk = func(v any) any {
		switch n := v.(type) {
		case map[string]any:
			_, ownID := n["$id"]
			if ref, ok := n["$ref"].(string); ok && !ownID {
				name, found := strings.CutPrefix(ref, "#/definitions/")
				if dt, isDT := defsMap[name].(map[string]any); found && isDT && strings.HasSuffix(name, "Datatype") {
					if _, hasID := dt["$id"]; !hasID {
						cp := make(map[string]any, len(dt))
						for k, x := range dt {
							cp[k] = walk(x)
						}
						return cp
					}
				}
			}
			for k, x := range n {
				n[k] = walk(x)
			}
		case []any:
			for i, x := range n {
				n[i] = walk(x)
			}
		}
		return v
	}
	for name, d := range defsMap {
		if dt, ok := d.(map[string]any); ok && strings.HasSuffix(name, "Datatype") {
			if pat, ok := dt["pattern"].(string); ok && datatypeText[name] != "" {
				patternText[pat] = datatypeText[name]
			}
		}
		if !strings.HasSuffix(name, "Datatype") {
			defsMap[name] = walk(d)
		}
	}
	for k, x := range root {
		if k != "definitions" {
			root[k] = walk(x)
		}
	}
}
