package catalogs

import (
	"fmt"
	"strings"

	oscal "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"
)

// WithCatalog returns a copy of the index whose control text (titles,
// statements, parameters, assessment methods) comes from an official OSCAL
// catalog file the user supplies: the SP 800-53 Rev 5 catalog in release
// 5.0.1, 5.1.1 or 5.2.0, JSON or YAML. Each control it holds gets Release =
// the file's metadata version; controls it adds (IA-13 in 5.1.1) are added.
// Baselines, the C-SCRM flag and the cross-references stay as embedded.
func (ix *Index) WithCatalog(path string) (*Index, error) {
	cat, err := LoadCatalog(path)
	if err != nil {
		return nil, err
	}
	return ix.withOSCALCatalog(path, cat)
}

func (ix *Index) withOSCALCatalog(path string, cat *oscal.Catalog) (*Index, error) {
	release := strings.TrimSpace(cat.Metadata.Version)
	if release == "" {
		release = "unversioned"
	}
	params := paramScope(cat)
	out := *ix
	out.byID = make(map[string]*Control, len(ix.byID))
	out.controls = make([]*Control, 0, len(ix.controls))
	for _, c := range ix.controls {
		cp := *c
		out.controls = append(out.controls, &cp)
		out.byID[cp.ID] = &cp
	}
	out.families = append([]Family(nil), ix.families...)
	n := 0
	var added []string
	WalkControls(cat, func(g *oscal.Group, parent, ctl *oscal.Control) {
		if _, err := NormalizeID(ctl.ID); err != nil {
			return // not an SP 800-53 control id
		}
		fresh := controlFromOSCAL(g, parent, ctl, params, release)
		n++
		old := out.byID[ctl.ID]
		if old == nil {
			out.controls = append(out.controls, fresh)
			out.byID[fresh.ID] = fresh
			added = append(added, fresh.ID)
			if _, ok := out.Family(fresh.Family); !ok && fresh.Family != "" {
				out.families = append(out.families, Family{ID: fresh.Family, Title: fresh.FamilyTitle})
			}
			return
		}
		old.Title, old.Statement, old.Parts, old.Params, old.Release = fresh.Title, fresh.Statement, fresh.Parts, fresh.Params, release
		if len(fresh.Methods) > 0 {
			old.Methods = fresh.Methods
		}
		if fresh.Withdrawn {
			old.Withdrawn, old.IncorporatedInto, old.MovedTo = true, fresh.IncorporatedInto, fresh.MovedTo
		}
	})
	if n == 0 {
		return nil, fmt.Errorf("%s: the catalog holds no SP 800-53 controls", path)
	}
	if len(added) > 0 {
		out.Sort(added)
		ids := make([]string, 0, len(out.controls))
		for _, c := range out.controls {
			ids = append(ids, c.ID)
		}
		out.Sort(ids)
		sorted := make([]*Control, len(ids))
		for i, id := range ids {
			sorted[i] = out.byID[id]
		}
		out.controls = sorted
	}
	out.Release = "SP 800-53 Rev 5 " + release + " (" + path + ")"
	out.CatalogFile = path
	return &out, nil
}
