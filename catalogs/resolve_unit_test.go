package catalogs

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	oscal "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"
)

func fixture(name string) string { return filepath.Join("testdata", "profiles", name) }

func findControl(cat *oscal.Catalog, id string) *oscal.Control {
	var out *oscal.Control
	WalkControls(cat, func(_ *oscal.Group, _, c *oscal.Control) {
		if c.ID == id {
			out = c
		}
	})
	return out
}

func TestResolveFeatures(t *testing.T) {
	tests := []struct {
		profile  string
		opt      ResolveOptions
		selected []string
		all      []string
		groups   int
		warn     string
	}{
		{profile: "include-all.json",
			selected: []string{"xa-1", "xa-1.1", "xa-1.2", "xa-2", "xb-1", "xb-1.1", "xb-2"},
			all:      []string{"xa-1", "xa-1.1", "xa-1.2", "xa-2", "xb-1", "xb-1.1", "xb-2"}, groups: 2},
		// An enhancement without its parent keeps the parent as structure;
		// the back-matter rlink skips the XML form for the JSON one.
		{profile: "with-ids.yaml",
			selected: []string{"xa-1.1", "xb-2"},
			all:      []string{"xa-1", "xa-1.1", "xb-2"}, groups: 2},
		// matching + with-child-controls, exclude, flat: no groups, no nesting.
		{profile: "matching-flat.json",
			selected: []string{"xb-1", "xb-1.1"}, all: []string{"xb-1", "xb-1.1"}, groups: 0},
		// A profile importing a profile and the catalog; groups merge as-is.
		{profile: "import-profile.json",
			selected: []string{"xa-1", "xa-1.1", "xa-2", "xb-2"},
			all:      []string{"xa-1", "xa-1.1", "xa-2", "xb-2"}, groups: 2,
			warn: "imported more than once"},
		{profile: "base64.json", selected: []string{"xc-1"}, all: []string{"xc-1"}},
		{profile: "remote.json", opt: ResolveOptions{Catalog: filepath.Join("testdata", "mini-catalog.json")},
			selected: []string{"xa-1"}, all: []string{"xa-1"}, groups: 1, warn: "remote or absent"},
		{profile: "missing.json", opt: ResolveOptions{Catalog: filepath.Join("testdata", "mini-catalog.json")},
			selected: []string{"xa-1", "xa-1.1", "xa-1.2", "xa-2", "xb-1", "xb-1.1", "xb-2"},
			all:      []string{"xa-1", "xa-1.1", "xa-1.2", "xa-2", "xb-1", "xb-1.1", "xb-2"}, warn: "remote or absent"},
	}
	for _, tc := range tests {
		t.Run(tc.profile, func(t *testing.T) {
			tc.opt.Now = fixedNow
			res, err := ResolveProfile(fixture(tc.profile), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.ControlIDs, tc.selected) || !slices.Equal(res.AllIDs, tc.all) {
				t.Errorf("selected %v all %v; want %v %v", res.ControlIDs, res.AllIDs, tc.selected, tc.all)
			}
			if n := len(deref2(res.Catalog.Groups)); n != tc.groups {
				t.Errorf("%d groups, want %d", n, tc.groups)
			}
			if tc.warn != "" && !strings.Contains(strings.Join(res.Warnings, "\n"), tc.warn) {
				t.Errorf("warnings %q lack %q", res.Warnings, tc.warn)
			}
			if res.Catalog.Metadata.OscalVersion != "1.1.3" || res.Catalog.UUID == "" {
				t.Errorf("metadata %+v", res.Catalog.Metadata)
			}
			if _, err := os.Stat(filepath.Join("..", "..", "shared", "catalogs")); err == nil {
				validateCatalog(t, res.Catalog)
			}
		})
	}
}

func TestResolveFlatUnnests(t *testing.T) {
	res, err := ResolveProfile(fixture("matching-flat.json"), ResolveOptions{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if res.Catalog.Controls == nil || len(*res.Catalog.Controls) != 2 || (*res.Catalog.Controls)[0].Controls != nil {
		t.Fatalf("flat catalog: %+v", res.Catalog.Controls)
	}
}

func TestResolveModify(t *testing.T) {
	res, err := ResolveProfile(fixture("modify.json"), ResolveOptions{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	xa1 := findControl(res.Catalog, "xa-1")
	if xa1 == nil {
		t.Fatal("xa-1 missing")
	}
	// set-parameters
	if p := (*xa1.Params)[0]; p.Values == nil || (*p.Values)[0] != "monthly" {
		t.Errorf("xa-1_prm_1 = %+v", p)
	}
	// removes by-name guidance; adds after the statement.
	var names []string
	for _, p := range *xa1.Parts {
		names = append(names, p.ID)
	}
	if !slices.Equal(names, []string{"xa-1_smt", "xa-1_add"}) {
		t.Errorf("xa-1 parts %v, want [xa-1_smt xa-1_add]", names)
	}
	// starting props into the statement part; ending props onto the control.
	if smt := (*xa1.Parts)[0]; smt.Props == nil || (*smt.Props)[0].Name != "marker" {
		t.Errorf("statement props %+v", smt.Props)
	}
	props := *xa1.Props
	if last := props[len(props)-1]; last.Name != "status" || last.Value != "tailored" {
		t.Errorf("xa-1 props %+v", props)
	}
	// removes by-item-name prop.
	if xa2 := findControl(res.Catalog, "xa-2"); xa2.Props != nil {
		t.Errorf("xa-2 props not removed: %+v", xa2.Props)
	}
	w := strings.Join(res.Warnings, "\n")
	for _, want := range []string{"1 of 2 set-parameters", "1 alters name controls", "1 adds target"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings %q lack %q", w, want)
		}
	}
	// The statement renders the set value.
	if s := StatementText(xa1, paramScope(res.Catalog)); s != "Review monthly." {
		t.Errorf("statement %q", s)
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		profile string
		opt     ResolveOptions
		want    string
		is      error
	}{
		{profile: "cycle-a.json", want: "cycle-a.json → cycle-b.json → cycle-a.json", is: ErrImportCycle},
		{profile: "self.json", want: "self.json → self.json", is: ErrImportCycle},
		{profile: "missing.json", want: "absent-catalog.json is remote or absent; give the catalog file with --catalog"},
		{profile: "remote.json", want: "https://example.com/catalog.json is remote or absent"},
		{profile: "bad-pattern.json", want: `matching pattern "xa-["`},
		{profile: "malformed.json", want: "malformed.json: line 1, column"},
		{profile: "absent.json", want: "no such file"},
		{profile: "missing.json", opt: ResolveOptions{Catalog: "testdata/nope.json"}, want: "catalog testdata/nope.json"},
		{profile: "../mini-catalog.json", want: "this is a catalog, not a profile"},
		{profile: "cycle-a.json", opt: ResolveOptions{MaxDepth: 1}, want: "import cycle"},
	}
	for _, tc := range tests {
		t.Run(tc.profile, func(t *testing.T) {
			_, err := ResolveProfile(fixture(tc.profile), tc.opt)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line containing %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v is not %v", err, tc.is)
			}
		})
	}
}

func TestDecodeDocument(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"empty.json", "  ", "empty document"},
		{"x.xml", "<catalog/>", "OSCAL XML is not supported"},
		{"trunc.json", `{"catalog": {"uuid": "a"`, "line 1, column 25: unexpected end of JSON input"},
		{"type.json", `{"catalog": {"uuid": 5}}`, "/catalog/uuid"},
		{"bad.yaml", "catalog: [\n  a: b", "bad.yaml"},
	}
	for _, tc := range tests {
		_, err := DecodeDocument(tc.name, []byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	m, err := DecodeDocument("ok.yaml", []byte("catalog:\n  uuid: a\n  metadata: {title: T, version: '1', oscal-version: 1.1.3, last-modified: 2026-01-01T00:00:00Z}\n"))
	if err != nil || m.Catalog == nil || m.Catalog.Metadata.Title != "T" {
		t.Errorf("yaml: %v %+v", err, m)
	}
}

func TestParamText(t *testing.T) {
	choice := []string{"a", "{{ insert: param, p2 }}"}
	vals := []string{"annually"}
	params := map[string]*oscal.Parameter{
		"p1": {ID: "p1", Label: "frequency"},
		"p2": {ID: "p2", Label: "organization-defined method"},
		"p3": {ID: "p3", Select: &oscal.ParameterSelection{HowMany: "one-or-more", Choice: &choice}},
		"p4": {ID: "p4", Select: &oscal.ParameterSelection{Choice: &choice}},
		"p5": {ID: "p5", Label: "frequency", Values: &vals},
		"p6": {ID: "p6", Select: &oscal.ParameterSelection{Choice: &[]string{"{{ insert: param, p6 }}"}}},
	}
	tests := map[string]string{
		"Do it {{ insert: param, p1 }} ; and":  "Do it [Assignment: organization-defined frequency]; and",
		"{{ insert: param, p2 }}":              "[Assignment: organization-defined method]",
		"{{insert: param, p3}}":                "[Selection (one or more): a; [Assignment: organization-defined method]]",
		"{{ insert: param, p4 }}":              "[Selection: a; [Assignment: organization-defined method]]",
		"Review {{ insert: param, p5 }}.":      "Review annually.",
		"{{ insert: param, unknown }}":         "[Assignment: organization-defined value]",
		"no  params\n here":                    "no params here",
		"{{ insert: param, p6 }}"[:0] + "deep": "deep",
	}
	for in, want := range tests {
		if got := renderProse(in, params, 0); got != want {
			t.Errorf("renderProse(%q) = %q, want %q", in, got, want)
		}
	}
	// A selection that inserts itself stops at the depth bound.
	if got := renderProse("{{ insert: param, p6 }}", params, 0); !strings.Contains(got, "organization-defined p6") {
		t.Errorf("self-insert: %q", got)
	}
}
