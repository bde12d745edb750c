package catalogs

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"github.com/pedigree-dev/pedigree/internal/sharedtest"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	oscal "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sharedCatalogs finds ../shared/catalogs beside the module root, or skips.
func sharedCatalogs(t testing.TB) string { return sharedtest.Dir(t, "catalogs") }

var (
	schemaOnce sync.Once
	schemas    = map[string]*jsonschema.Schema{}
	schemaErr  error
)

// oscalSchema compiles one OSCAL 1.1.3 JSON schema once.
func oscalSchema(t testing.TB, file string) *jsonschema.Schema {
	t.Helper()
	dir := filepath.Join(sharedCatalogs(t), "schema", "oscal-1.1.3")
	schemaOnce.Do(func() {
		for _, f := range []string{"oscal_catalog_schema.json", "oscal_component_schema.json"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				schemaErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				schemaErr = err
				return
			}
			c := jsonschema.NewCompiler()
			if err := c.AddResource(f, doc); err != nil {
				schemaErr = err
				return
			}
			s, err := c.Compile(f)
			if err != nil {
				schemaErr = err
				return
			}
			schemas[f] = s
		}
	})
	if schemaErr != nil {
		t.Fatal(schemaErr)
	}
	return schemas[file]
}

// validateCatalog validates a catalog against the OSCAL 1.1.3 schema.
func validateCatalog(t testing.TB, cat *oscal.Catalog) {
	t.Helper()
	b, err := json.Marshal(oscal.OscalModels{Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := oscalSchema(t, "oscal_catalog_schema.json").Validate(inst); err != nil {
		msg := err.Error()
		if len(msg) > 3000 {
			msg = msg[:3000]
		}
		t.Fatalf("resolved catalog does not validate against the OSCAL 1.1.3 catalog schema:\n%s", msg)
	}
}

// catalogIDs lists the control ids of a published resolved catalog, JSON
// or XML (FedRAMP's HIGH and MODERATE are XML here).
func catalogIDs(t testing.TB, path string) []string {
	t.Helper()
	if strings.HasSuffix(path, ".xml") {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		dec := xml.NewDecoder(f)
		var ids []string
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "control" {
				for _, a := range se.Attr {
					if a.Name.Local == "id" {
						ids = append(ids, a.Value)
					}
				}
			}
		}
		return ids
	}
	cat, err := LoadCatalog(path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	WalkControls(cat, func(_ *oscal.Group, _, c *oscal.Control) { ids = append(ids, c.ID) })
	return ids
}

func diffSets(got, want []string) (missing, extra []string) {
	g, w := map[string]bool{}, map[string]bool{}
	for _, x := range got {
		g[x] = true
	}
	for _, x := range want {
		w[x] = true
		if !g[x] {
			missing = append(missing, x)
		}
	}
	for _, x := range got {
		if !w[x] {
			extra = append(extra, x)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return missing, extra
}
