package sbom

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pedigree-dev/pedigree/internal/lazyre"
	"github.com/pedigree-dev/pedigree/oscal"
)

// The official JSON schemas, embedded (see schemas/README.md for their
// sources). Each is compiled once, on first use.
//
//go:embed schemas/*.json
var schemaFS embed.FS

// maxSchemaErrors bounds the violations kept per document.
const maxSchemaErrors = 10

type compiled struct {
	once sync.Once
	sch  *jsonschema.Schema
	// item is, for the SPDX 3 schema, the schema of one @graph element.
	item *jsonschema.Schema
	// classes are, for the SPDX 3 schema, the names of its classes, each
	// with the schema of a @graph element of that class (nil for a class
	// whose schema does not have the expected shape).
	classes map[string]*jsonschema.Schema
	err     error

	// fast walks JSON bytes against sch without decoding them (see
	// validateRaw); built on first use, nil when it cannot be.
	fastOnce sync.Once
	fast     *oscal.FastValidator
}

// validateRaw validates a JSON document's bytes against c's schema: with
// the byte-walking validator, which never builds the document in memory,
// or, for what it cannot judge alone (a key held twice), with the
// reference over the decoded document. It returns the first violations,
// one line each, and whether the document was checked (false for JSON
// that does not parse, whose lines then say why).
func (c *compiled) validateRaw(raw []byte) ([]string, bool) {
	c.fastOnce.Do(func() {
		if c.item == nil { // SPDX 3 has its own per-element path
			c.fast, _ = oscal.CompileFast(c.sch)
		}
	})
	if c.fast != nil {
		probs, err := c.fast.Validate(raw)
		var se *oscal.SyntaxError
		switch {
		case err == nil:
			return problemLines(probs), true
		case errors.As(err, &se):
			return []string{"not valid JSON: " + oneLine(se.Error())}, false
		}
	}
	g, err := decodeGeneric(raw)
	if err != nil {
		return []string{"not valid JSON: " + oneLine(err.Error())}, false
	}
	probs, err := oscal.ReferenceProblems(c.sch, g)
	if err != nil {
		return []string{oneLine(err.Error())}, true
	}
	return problemLines(probs), true
}

// problemLines renders problems as "pointer: message" lines, at most
// maxSchemaErrors of them.
func problemLines(ps []oscal.Problem) []string {
	if len(ps) == 0 {
		return nil
	}
	if len(ps) > maxSchemaErrors {
		ps = ps[:maxSchemaErrors]
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = oneLine(p.String())
	}
	return out
}

var (
	schemaMu    sync.Mutex
	schemaCache = map[string]*compiled{}
)

// spdx3SchemaFile is the embedded SPDX 3.0.1 JSON schema; spdx3ItemPointer
// locates in it the schema of one element of "@graph".
const (
	spdx3SchemaFile  = "spdx-3.0.1.schema.json"
	spdx3ItemPointer = "#/oneOf/0/properties/@graph/items"
)

// schemaFile names the embedded schema of a format and spec version, or ""
// when none is embedded. For SPDX 3 JSON-LD the version is the one of the
// document's @context (the serialisation the schema describes).
func schemaFile(format, encoding, version string) string {
	switch format {
	case FormatCycloneDX:
		switch version {
		case "1.2", "1.3", "1.4", "1.5", "1.6", "1.7":
			return "bom-" + version + ".schema.json"
		}
	case FormatSPDX:
		if encoding == EncodingJSONLD {
			if version == "3.0.1" {
				return spdx3SchemaFile
			}
			return ""
		}
		switch version {
		case "SPDX-2.2":
			return "spdx-2.2.schema.json"
		case "SPDX-2.3":
			return "spdx-2.3.schema.json"
		}
	}
	return ""
}

// errNoSchema means no official schema for this version is embedded.
var errNoSchema = errors.New("no embedded schema")

// schemaFor compiles (once) and returns the schema in file.
func schemaFor(file string) (*jsonschema.Schema, error) {
	c, err := compiledFor(file)
	if err != nil {
		return nil, err
	}
	return c.sch, nil
}

// compiledFor compiles (once) the schema in file.
func compiledFor(file string) (*compiled, error) {
	if file == "" {
		return nil, errNoSchema
	}
	if _, err := fs.Stat(schemaFS, "schemas/"+file); err != nil {
		return nil, errNoSchema
	}
	schemaMu.Lock()
	c := schemaCache[file]
	if c == nil {
		c = &compiled{}
		schemaCache[file] = c
	}
	schemaMu.Unlock()
	c.once.Do(func() { c.err = compileSchema(c, file) })
	if c.err != nil {
		return nil, c.err
	}
	return c, nil
}

// compileSchema registers every embedded schema under its $id (so that
// references between them resolve offline) and compiles file into c.
// Nothing is ever loaded from the network: the compiler's loader only knows
// files, and no file URL is registered.
func compileSchema(c *compiled, file string) error {
	comp := jsonschema.NewCompiler()
	comp.UseRegexpEngine(compileRegexp)
	entries, err := fs.ReadDir(schemaFS, "schemas")
	if err != nil {
		return err
	}
	var (
		target string
		doc    any
	)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := schemaFS.ReadFile("schemas/" + e.Name())
		if err != nil {
			return err
		}
		d, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return fmt.Errorf("schema %s: %w", e.Name(), err)
		}
		id := "urn:pedigree:schema:" + e.Name()
		if m, ok := d.(map[string]any); ok {
			if s, ok := m["$id"].(string); ok && s != "" {
				id = s
			}
		}
		if err := comp.AddResource(id, d); err != nil {
			return fmt.Errorf("schema %s: %w", e.Name(), err)
		}
		if e.Name() == file {
			target, doc = id, d
		}
	}
	if target == "" {
		return errNoSchema
	}
	if c.sch, err = comp.Compile(target); err != nil {
		return fmt.Errorf("schema %s: %w", file, err)
	}
	if file == spdx3SchemaFile {
		if c.item, err = comp.Compile(target + spdx3ItemPointer); err != nil {
			return fmt.Errorf("schema %s: %w", file, err)
		}
		if c.classes, err = compileSPDX3Classes(comp, target, doc); err != nil {
			return fmt.Errorf("schema %s: %w", file, err)
		}
	}
	return nil
}

// compileSPDX3Classes compiles, for each class T of the SPDX 3 schema, the
// schema of a @graph element whose "type" is T.
//
// A @graph element must be valid against the schema's item schema,
// {"type": "object", "$ref": "#/$defs/AnyClass", "unevaluatedProperties":
// false}, where AnyClass is anyOf over every class. Every class schema
// requires its own name as "type" ({"oneOf": [{"const": T}]} in its first
// allOf member; checked below), so an element whose "type" is T can only
// match the alternative T: the item schema then means exactly
// {"type": "object", "$ref": "#/$defs/T", "unevaluatedProperties": false},
// with the same properties evaluated. Validating against that is the same
// verdict without evaluating (and building errors for) the 77 other
// alternatives: on a document of thousands of elements, seconds saved.
func compileSPDX3Classes(comp *jsonschema.Compiler, target string, doc any) (map[string]*jsonschema.Schema, error) {
	out := map[string]*jsonschema.Schema{}
	defs, _ := doc.(map[string]any)["$defs"].(map[string]any)
	anyClass, _ := defs["AnyClass"].(map[string]any)
	alts, _ := anyClass["anyOf"].([]any)
	for _, a := range alts {
		m, _ := a.(map[string]any)
		ref, _ := m["$ref"].(string)
		name, ok := strings.CutPrefix(ref, "#/$defs/")
		if !ok {
			continue
		}
		out[name] = nil
		if !constTyped(defs[name], name) {
			continue
		}
		id := "urn:pedigree:spdx3-element:" + name
		wrapper := map[string]any{
			"$schema":               "https://json-schema.org/draft/2020-12/schema",
			"type":                  "object",
			"$ref":                  target + ref,
			"unevaluatedProperties": false,
		}
		if err := comp.AddResource(id, wrapper); err != nil {
			return nil, err
		}
		sch, err := comp.Compile(id)
		if err != nil {
			return nil, err
		}
		out[name] = sch
	}
	return out, nil
}

// constTyped reports whether a class schema has the shape
// {"allOf": [{"properties": {"type": {"oneOf": [{"const": name}]}}, ...}, ...]}.
func constTyped(def any, name string) bool {
	m, _ := def.(map[string]any)
	all, _ := m["allOf"].([]any)
	if len(all) == 0 {
		return false
	}
	first, _ := all[0].(map[string]any)
	props, _ := first["properties"].(map[string]any)
	typ, _ := props["type"].(map[string]any)
	one, _ := typ["oneOf"].([]any)
	if len(typ) != 1 || len(one) != 1 {
		return false
	}
	c, _ := one[0].(map[string]any)
	return len(c) == 1 && c["const"] == name
}

// patIRI is the SPDX 3.0.1 schema's IRI pattern. Its negative lookahead is
// beyond Go's RE2 syntax; it only says "does not start with _:" (a blank
// node), so it is matched as that prefix test plus the rest of the pattern.
const patIRI = `^(?!_:).+:.+`

var reIRIRest = lazyre.New(`^.+:.+`)

type iriMatcher struct{}

func (iriMatcher) MatchString(s string) bool {
	return !strings.HasPrefix(s, "_:") && reIRIRest.MatchString(s)
}
func (iriMatcher) String() string { return patIRI }

// compileRegexp is the schema compiler's regexp engine: Go's regexp, except
// for the one lookahead pattern of the SPDX 3 schema.
func compileRegexp(s string) (jsonschema.Regexp, error) {
	if s == patIRI {
		return iriMatcher{}, nil
	}
	return regexp.Compile(s)
}

// validateSchema checks a decoded JSON instance (from jsonschema.UnmarshalJSON
// or an equivalent decoder using json.Number) and returns the first
// violations, sorted, one line each, worded as validateRaw words them.
func validateSchema(sch *jsonschema.Schema, inst any) []string {
	probs, err := oscal.ReferenceProblems(sch, inst)
	if err != nil {
		return []string{oneLine(err.Error())}
	}
	return problemLines(probs)
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

// ValidateJSON validates a JSON SBOM against its embedded schema and
// returns the first violations (nil when valid).
func ValidateJSON(raw []byte) ([]string, error) {
	k, ok := Detect(raw)
	if !ok {
		return nil, ErrNotSBOM
	}
	if k.SpecVersion == "" && k.Format == FormatCycloneDX {
		k.SpecVersion = cdxVersionAnywhere(raw)
	}
	c, err := compiledFor(schemaFile(k.Format, k.Encoding, k.SpecVersion))
	if err != nil {
		return nil, err
	}
	if c.item != nil {
		g, err := decodeGeneric(raw)
		if err != nil {
			return nil, err
		}
		lines, unchecked := validateSPDX3(c, g)
		if unchecked != "" {
			return nil, errors.New(unchecked)
		}
		return lines, nil
	}
	lines, checked := c.validateRaw(raw)
	if !checked {
		return nil, errors.New(strings.Join(lines, "; "))
	}
	return lines, nil
}
