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
	// models are the branches of the root oneOf, by model.
	models map[string]*jsonschema.Schema
}

var (
	schemaOnce sync.Once
	schemas    *compiled
	schemaErr  error
)

// compiledSchemas compiles the complete schema once, as a schema per model
// (the branches of the root oneOf), so that a document of one model is
// checked against its own branch and its problems are not drowned in the
// "missing property catalog" of the six others. The fast validator is
// compiled from these (see buildFast).
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
		out := &compiled{models: map[string]*jsonschema.Schema{}}
		for i, m := range Models {
			s, err := c.Compile(fmt.Sprintf("%s#/oneOf/%d", SchemaID, i))
			if err != nil {
				schemaErr = fmt.Errorf("compile OSCAL schema for %s: %w", m, err)
				return
			}
			out.models[m] = s
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
