package compdef

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	oscal "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/controls"
)

func build(t *testing.T, mappingFile string) *oscal.ComponentDefinition {
	t.Helper()
	idx, err := catalogs.Default()
	if err != nil {
		t.Fatal(err)
	}
	m, err := controls.DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	if mappingFile != "" {
		if err := m.Override(mappingFile); err != nil {
			t.Fatal(err)
		}
	}
	cd, err := Build(m, idx, Options{Version: "1.2.3", Now: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return cd
}

func TestBuild(t *testing.T) {
	cd := build(t, filepath.Join("testdata", "mapping.yaml"))
	comps := *cd.Components
	if len(comps) != 1 || comps[0].Title != "pedigree" {
		t.Fatalf("components %+v", comps)
	}
	reqs := (*comps[0].ControlImplementations)[0].ImplementedRequirements
	var ids []string
	for _, r := range reqs {
		ids = append(ids, r.ControlId)
	}
	// Catalog order: sa before si before sr; enhancements after their base.
	if got := strings.Join(ids, " "); got != "sa-10.1 si-7 sr-4 sr-4.3" {
		t.Errorf("controls %q", got)
	}
	sr43 := reqs[3]
	if sr43.Statements == nil || len(*sr43.Statements) != 2 || (*sr43.Statements)[0].StatementId != "sr-4.3_smt" {
		t.Errorf("sr-4.3 statements %+v", sr43.Statements)
	}
	if !strings.Contains(sr43.Description, "TEST-CHECK-A (partial; sr-4.3_smt): ") || !strings.Contains(sr43.Description, "TEST-CHECK-B (sufficient; sr-4.3_smt): ") {
		t.Errorf("sr-4.3 description %q", sr43.Description)
	}
	if p := (*(*sr43.Statements)[1].Props)[1]; p.Name != "strength" || p.Value != "sufficient" {
		t.Errorf("sr-4.3 TEST-CHECK-B statement props %+v", *(*sr43.Statements)[1].Props)
	}
	// A check mapped to one item of the statement implements that part.
	if st := *reqs[1].Statements; len(st) != 1 || st[0].StatementId != "si-7_smt.a" {
		t.Errorf("si-7 statements %+v", st)
	}
	var cmmcDerived bool
	for _, p := range *reqs[1].Props {
		if p.Name == "cmmc-practice" && strings.Contains(p.Remarks, "derived") {
			cmmcDerived = true
		}
	}
	if !cmmcDerived {
		t.Errorf("si-7 props lack a derived CMMC practice: %+v", *reqs[1].Props)
	}
	// Deterministic: the same mapping gives the same document.
	a, _ := json.Marshal(cd)
	b, _ := json.Marshal(build(t, filepath.Join("testdata", "mapping.yaml")))
	if !bytes.Equal(a, b) {
		t.Error("two builds differ")
	}
}

func TestUnknownControl(t *testing.T) {
	idx, _ := catalogs.Default()
	m := &controls.Mapping{Entries: map[string]*controls.Entry{
		"X": {Check: "X", Controls: []controls.ControlRef{{Control: "zz-1", Rationale: "r"}}},
	}}
	if _, err := Build(m, idx, Options{}); err == nil || !strings.Contains(err.Error(), "ZZ-1") {
		t.Errorf("error %v", err)
	}
}

// TestSchema validates the document against the official OSCAL 1.1.3
// component-definition schema in ../shared.
func TestSchema(t *testing.T) {
	schemaFile := sharedSchema(t, "oscal_component_schema.json")
	for _, mf := range []string{"", filepath.Join("testdata", "mapping.yaml")} {
		cd := build(t, mf)
		raw, err := json.Marshal(oscal.OscalModels{ComponentDefinition: cd})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(schemaFile)
		if err != nil {
			t.Fatal(err)
		}
		sdoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource("component.json", sdoc); err != nil {
			t.Fatal(err)
		}
		s, err := c.Compile("component.json")
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(inst); err != nil {
			t.Fatalf("component-definition (mapping %q) is invalid OSCAL: %v", mf, err)
		}
	}
}

func sharedSchema(t *testing.T, name string) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "catalogs", "schema", "oscal-1.1.3", name)
	if _, err := os.Stat(p); err != nil {
		t.Skip("../shared/catalogs is absent: skipping OSCAL schema validation")
	}
	return p
}
