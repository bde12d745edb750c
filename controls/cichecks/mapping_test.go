package cichecks

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/controls"
)

// TestMapping checks controls/mapping/ci.yaml: every rule is mapped, every
// mapped check exists, every control id is in the SP 800-53 Rev 5 catalog
// and not withdrawn, and SSDF/CMMC ids exist in the shared crosswalks.
func TestMapping(t *testing.T) {
	m, err := controls.DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range Rules() {
		ids[r.CheckID()] = true
		e := m.Entries[r.CheckID()]
		if e == nil {
			t.Errorf("rule %s (%s) has no mapping entry", r.ID, r.CheckID())
			continue
		}
		if len(e.Controls) == 0 {
			t.Errorf("%s maps to no control", r.CheckID())
		}
	}
	for id, e := range m.Entries {
		if strings.HasPrefix(id, "CI-") && !ids[id] {
			t.Errorf("%s: mapped check %s does not exist", e.Source, id)
		}
	}
	cat := sharedDir(t, "catalogs")
	b, err := os.ReadFile(filepath.Join(cat, "nist-sp800-53-rev5", "superseded-5.0.1", "NIST_SP-800-53_rev5_catalog.json"))
	if err != nil {
		t.Skip(err)
	}
	var doc struct {
		Catalog struct {
			Groups []struct {
				Controls []control `json:"controls"`
			} `json:"groups"`
		} `json:"catalog"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	var walk func(cs []control)
	walk = func(cs []control) {
		for _, c := range cs {
			withdrawn := false
			for _, p := range c.Props {
				if p.Name == "status" && p.Value == "withdrawn" {
					withdrawn = true
				}
			}
			if !withdrawn {
				known[c.ID] = true
			}
			walk(c.Controls)
		}
	}
	for _, g := range doc.Catalog.Groups {
		walk(g.Controls)
	}
	ssdf := csvColumn(t, filepath.Join(cat, "nist-ssdf-1.1", "ssdf-1.1_tasks_to_sp800-53r5.csv"), "task_id")
	cmmc := csvColumn(t, filepath.Join(cat, "cmmc-2.0", "cmmc-2.0_practices_to_sp800-53r5.csv"), "cmmc_practice_id")
	for id, e := range m.Entries {
		if !strings.HasPrefix(id, "CI-") {
			continue
		}
		for _, c := range e.Controls {
			if !known[c.Control] {
				t.Errorf("%s: %s: control %s is not a current SP 800-53 Rev 5 control", e.Source, id, catalogs.Label(c.Control))
			}
		}
		for _, s := range e.SSDF {
			if !ssdf[s] {
				t.Errorf("%s: %s: SSDF task %s unknown", e.Source, id, s)
			}
		}
		for _, s := range e.CMMC {
			if !cmmc[s] {
				t.Errorf("%s: %s: CMMC practice %s unknown", e.Source, id, s)
			}
		}
	}
}

type control struct {
	ID    string `json:"id"`
	Props []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"props"`
	Controls []control `json:"controls"`
}

func csvColumn(t *testing.T, path, col string) map[string]bool {
	f, err := os.Open(path)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	idx := -1
	for i, h := range rows[0] {
		if h == col {
			idx = i
		}
	}
	out := map[string]bool{}
	for _, r := range rows[1:] {
		if idx >= 0 && idx < len(r) {
			out[r[idx]] = true
		}
	}
	return out
}
