package forgechecks

import (
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/controls"
)

// TestMapping checks controls/mapping/forge.yaml against the embedded
// control index: every check mapped with rationales, every control a
// current SP 800-53 Rev 5 control, every SSDF task and CMMC practice known.
func TestMapping(t *testing.T) {
	m, err := controls.DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := catalogs.Default()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range All() {
		ids[c.ID] = true
		e := m.Entries[c.ID]
		if e == nil {
			t.Errorf("%s has no mapping entry", c.ID)
			continue
		}
		if !strings.Contains(e.Source, "forge.yaml") {
			t.Errorf("%s is mapped in %s, want controls/mapping/forge.yaml", c.ID, e.Source)
		}
		if len(e.Controls) == 0 || len(e.SSDF) == 0 {
			t.Errorf("%s maps to no control or no SSDF task", c.ID)
		}
		for _, ref := range e.Controls {
			ctl, ok := idx.Control(ref.Control)
			switch {
			case !ok:
				t.Errorf("%s: %s: unknown control %s", e.Source, c.ID, ref.Control)
			case ctl.Withdrawn:
				t.Errorf("%s: %s: control %s is withdrawn", e.Source, c.ID, ctl.Label)
			}
		}
		for _, s := range e.SSDF {
			if _, ok := idx.SSDFTask(s); !ok {
				t.Errorf("%s: %s: SSDF task %s unknown", e.Source, c.ID, s)
			}
		}
		for _, p := range e.CMMC {
			if _, ok := idx.CMMCPractice(p); !ok {
				t.Errorf("%s: %s: CMMC practice %s unknown", e.Source, c.ID, p)
			}
		}
	}
	for id, e := range m.Entries {
		if strings.Contains(e.Source, "forge.yaml") && !ids[id] {
			t.Errorf("%s: mapped check %s does not exist", e.Source, id)
		}
	}
}
