package sbom

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
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
	err  error
}

var (
	schemaMu    sync.Mutex
	schemaCache = map[string]*compiled{}
)

// schemaFile names the embedded schema of a format and spec version, or ""
// when none is embedded.
func schemaFile(format, encoding, version string) string {
	switch format {
	case FormatCycloneDX:
		switch version {
		case "1.2", "1.3", "1.4", "1.5", "1.6", "1.7":
			return "bom-" + version + ".schema.json"
		}
	case FormatSPDX:
		if encoding == EncodingJSONLD {
			if strings.HasPrefix(version, "3.0") {
				return "spdx-3.0.1.schema.json"
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
	c.once.Do(func() { c.sch, c.err = compileSchema(file) })
	return c.sch, c.err
}

// compileSchema registers every embedded schema under its $id (so that
// references between them resolve offline) and compiles file. Nothing is
// ever loaded from the network: the compiler's loader only knows files, and
// no file URL is registered.
func compileSchema(file string) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	entries, err := fs.ReadDir(schemaFS, "schemas")
	if err != nil {
		return nil, err
	}
	var target string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := schemaFS.ReadFile("schemas/" + e.Name())
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", e.Name(), err)
		}
		id := "urn:pedigree:schema:" + e.Name()
		if m, ok := doc.(map[string]any); ok {
			if s, ok := m["$id"].(string); ok && s != "" {
				id = s
			}
		}
		if err := c.AddResource(id, doc); err != nil {
			return nil, fmt.Errorf("schema %s: %w", e.Name(), err)
		}
		if e.Name() == file {
			target = id
		}
	}
	if target == "" {
		return nil, errNoSchema
	}
	return c.Compile(target)
}

// validateSchema checks a decoded JSON instance (from jsonschema.UnmarshalJSON
// or an equivalent decoder using json.Number) and returns the first
// violations, sorted, one line each.
func validateSchema(sch *jsonschema.Schema, inst any) []string {
	err := sch.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{err.Error()}
	}
	out := ve.BasicOutput()
	seen := map[string]bool{}
	var msgs []string
	for _, u := range out.Errors {
		if u.Error == nil {
			continue
		}
		m := u.Error.String()
		loc := u.InstanceLocation
		if loc == "" {
			loc = "/"
		}
		line := loc + ": " + oneLine(m)
		if !seen[line] {
			seen[line] = true
			msgs = append(msgs, line)
		}
	}
	if len(msgs) == 0 {
		msgs = []string{oneLine(ve.Error())}
	}
	sort.Strings(msgs)
	if len(msgs) > maxSchemaErrors {
		msgs = msgs[:maxSchemaErrors]
	}
	return msgs
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
	sch, err := schemaFor(schemaFile(k.Format, k.Encoding, k.SpecVersion))
	if err != nil {
		return nil, err
	}
	g, err := decodeGeneric(raw)
	if err != nil {
		return nil, err
	}
	return validateSchema(sch, g), nil
}
