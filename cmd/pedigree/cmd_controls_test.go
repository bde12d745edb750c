package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Golden files are rewritten with PEDIGREE_UPDATE_GOLDEN=1.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "controls", name)
	if os.Getenv("PEDIGREE_UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (PEDIGREE_UPDATE_GOLDEN=1 rewrites it):\n%s", path, got)
	}
}

var testMapping = filepath.Join("testdata", "controls", "mapping.yaml")

func TestControlsShowGolden(t *testing.T) {
	for _, tc := range []struct{ id, file string }{
		{"SR-4(3)", "show-sr-4.3.golden"},
		{"ac-2.10", "show-ac-2.10.golden"},
		{"SI-7", "show-si-7.golden"},
	} {
		r := pedigree(t, nil, "controls", "show", tc.id, "--mapping", testMapping)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.id, r.code, r.stderr)
		}
		golden(t, tc.file, r.stdout)
	}
}

func TestControlsShowJSON(t *testing.T) {
	r := pedigree(t, nil, "controls", "show", "sr-4.3", "--json", "--mapping", testMapping)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var d struct {
		ID          string `json:"id"`
		Label       string `json:"label"`
		Statement   string `json:"statement"`
		CMMCDerived bool   `json:"cmmcDerived"`
		SSDF        []struct {
			ID string `json:"id"`
		} `json:"ssdf"`
		Checks []struct {
			Check, Rationale string
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatal(err)
	}
	if d.ID != "sr-4.3" || d.Label != "SR-4(3)" || !d.CMMCDerived || len(d.SSDF) != 1 || d.SSDF[0].ID != "PW.4.4" || len(d.Checks) != 2 {
		t.Errorf("%+v", d)
	}
}

func TestControlsErrors(t *testing.T) {
	for _, args := range [][]string{
		{"controls", "show", "SR-99"},
		{"controls", "show", "not-an-id"},
		{"controls", "list", "--baseline", "extreme"},
		{"controls", "list", "--family", "ZZ"},
		{"controls", "list", "--format", "xml"},
		{"controls", "list", "--baseline", "low", "--profile", "p.json"},
		{"controls", "list", "--profile", "absent-profile.json"},
		{"controls", "mapping", "--format", "docx"},
		{"controls", "mapping", "--mapping", filepath.Join("testdata", "controls", "bad-mapping.yaml")},
		{"controls", "show", "sr-4", "--catalog", "absent-catalog.json"},
	} {
		r := pedigree(t, nil, args...)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != 2 || len(lines) != 1 || !strings.HasPrefix(lines[0], "pedigree: ") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line", args, r.code, r.stderr)
		}
	}
}

func TestControlsList(t *testing.T) {
	r := pedigree(t, nil, "controls", "list", "--baseline", "moderate", "--family", "SR", "--format", "csv", "--mapping", testMapping)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 13 || rows[0][0] != "id" || rows[1][0] != "sr-1" || rows[12][0] != "sr-12" {
		t.Fatalf("rows %v", rows)
	}
	r = pedigree(t, nil, "controls", "list", "--baseline", "cscrm", "--format", "json", "--mapping", testMapping)
	var list []struct {
		ID     string   `json:"id"`
		CSCRM  bool     `json:"cscrm"`
		Checks []string `json:"checks"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 290 {
		t.Errorf("cscrm: %d controls, want 290", len(list))
	}
	found := false
	for _, c := range list {
		if !c.CSCRM {
			t.Errorf("%s in the cscrm list without the flag", c.ID)
		}
		if c.ID == "sr-4" && len(c.Checks) == 1 && c.Checks[0] == "TEST-CHECK-B" {
			found = true
		}
	}
	if !found {
		t.Error("sr-4 lacks its check TEST-CHECK-B")
	}
	r = pedigree(t, nil, "controls", "list", "--family", "sr", "--mapping", testMapping)
	if r.code != 0 || !strings.Contains(r.stdout, "SR-4(3)") || !strings.HasSuffix(r.stdout, "27 controls\n") {
		t.Errorf("table:\n%s", r.stdout)
	}
	profile := filepath.Join("..", "..", "catalogs", "testdata", "profiles", "with-ids.yaml")
	r = pedigree(t, nil, "controls", "list", "--profile", profile, "--format", "csv")
	if r.code != 0 || !strings.Contains(r.stdout, "xa-1.1,XA-1(1),First one,XA,") || strings.Count(r.stdout, "\n") != 3 {
		t.Errorf("profile list (exit %d):\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestControlsMapping(t *testing.T) {
	r := pedigree(t, nil, "controls", "mapping", "--mapping", testMapping)
	if r.code != 0 || !strings.Contains(r.stdout, "check: TEST-CHECK-A") {
		t.Fatalf("yaml (exit %d): %s%s", r.code, r.stdout, r.stderr)
	}
	out := filepath.Join(t.TempDir(), "cd.json")
	r = pedigree(t, nil, "controls", "mapping", "--format", "oscal-component-definition", "--mapping", testMapping, "-o", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		CD struct {
			Components []struct {
				Title string `json:"title"`
			} `json:"components"`
		} `json:"component-definition"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.CD.Components) != 1 || doc.CD.Components[0].Title != "pedigree" {
		t.Errorf("component-definition: %v %s", err, b[:200])
	}
}

func TestCatalogResolve(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "resolved.json")
	profile := filepath.Join("..", "..", "catalogs", "testdata", "profiles", "with-ids.yaml")
	r := pedigree(t, nil, "catalog", "resolve", "--profile", profile, "-o", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "2 controls selected, 3 in the catalog") {
		t.Errorf("stderr %q", r.stderr)
	}
	var doc struct {
		Catalog struct {
			Metadata struct {
				OscalVersion string `json:"oscal-version"`
			} `json:"metadata"`
		} `json:"catalog"`
	}
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &doc); err != nil || doc.Catalog.Metadata.OscalVersion != "1.1.3" {
		t.Errorf("resolved: %v", err)
	}
	// Errors: exit 2, one line naming the file, no output left behind.
	bad := filepath.Join(dir, "bad.json")
	for _, p := range []string{"cycle-a.json", "missing.json", "malformed.json"} {
		r := pedigree(t, nil, "catalog", "resolve", "--profile", filepath.Join("..", "..", "catalogs", "testdata", "profiles", p), "-o", bad)
		if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, p) {
			t.Errorf("%s: exit %d, stderr %q", p, r.code, r.stderr)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left in the output folder: %v", entries)
	}
	if r := pedigree(t, nil, "catalog", "resolve"); r.code != 2 {
		t.Errorf("no --profile: exit %d", r.code)
	}
}
