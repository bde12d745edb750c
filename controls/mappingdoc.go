package controls

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/catalogs"
)

// Markers around the generated part of docs/mapping.md.
const (
	DocBegin = "<!-- BEGIN GENERATED: pedigree controls mapping --format markdown -->"
	DocEnd   = "<!-- END GENERATED -->"
)

// CatalogIndex is what the mapping document needs of the catalog: controls
// by id, with their statement parts.
type CatalogIndex interface {
	ControlIndex
	Sort(ids []string)
}

// Markdown renders the mapping as the generated part of docs/mapping.md:
// which controls automation can satisfy, every check → control pair with
// its strength, parts and rationale, the process controls and the
// preconditions.
func (m *Mapping) Markdown(idx CatalogIndex) []byte {
	var b bytes.Buffer
	counts := map[Strength]int{}
	pairs := 0
	for _, e := range m.Sorted() {
		for _, c := range e.Controls {
			counts[c.Strength]++
			pairs++
		}
	}
	ctls := m.Controls()
	idx.Sort(ctls)
	fmt.Fprintf(&b, "%d checks map to %d controls in %d pairs: %d sufficient, %d partial, %d related. %d checks are preconditions.\n\n",
		len(m.Entries)-len(m.Preconditions()), len(ctls), pairs, counts[Sufficient], counts[Partial], counts[Related], len(m.Preconditions()))

	b.WriteString("### Controls automation can satisfy\n\n")
	b.WriteString("A control is satisfied by automation only when every leaf part of its statement is covered by a sufficient check that passed. These are the controls whose every part has one:\n\n")
	b.WriteString("| Control | Parts | Sufficient checks |\n|---|---|---|\n")
	var partly []string
	for _, id := range ctls {
		ctl, ok := idx.Control(id)
		if !ok {
			continue
		}
		leaves, by := m.sufficientCover(ctl)
		if _, proc := m.IsProcess(id); proc {
			continue
		}
		if len(leaves) == 0 {
			fmt.Fprintf(&b, "| %s %s | %s | %s |\n", ctl.Label, md(ctl.Title), strings.Join(leafIDs(ctl), ", "), strings.Join(by, ", "))
		} else if len(by) > 0 {
			partly = append(partly, fmt.Sprintf("| %s %s | %s | %s |", ctl.Label, md(ctl.Title), strings.Join(leaves, ", "), strings.Join(by, ", ")))
		}
	}
	b.WriteString("\n### Controls automation can evidence in part\n\n")
	b.WriteString("A sufficient check covers some parts; the others need EXAMINE or INTERVIEW (manual evidence) before the control can be satisfied.\n\n")
	b.WriteString("| Control | Parts left to manual evidence | Sufficient checks |\n|---|---|---|\n")
	for _, l := range partly {
		b.WriteString(l + "\n")
	}

	b.WriteString("\n### Every pair\n\n")
	b.WriteString("| Check | Control | Strength | Parts | Rationale |\n|---|---|---|---|---|\n")
	for _, e := range m.Sorted() {
		for _, c := range e.Controls {
			label := catalogs.Label(c.Control)
			if ctl, ok := idx.Control(c.Control); ok {
				label = ctl.Label
			}
			why := md(c.Rationale)
			for _, p := range c.Parameters {
				why += fmt.Sprintf(" *Parameter* `%s`: %s", p.Param, md(p.Default))
				if p.Config != "" {
					why += fmt.Sprintf(" (pedigree.yaml `%s` sets it)", p.Config)
				}
				why += "."
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", e.Check, label, c.Strength, strings.Join(c.Parts, ", "), why)
		}
	}

	b.WriteString("\n### Process controls\n\n")
	b.WriteString("Never satisfied by automation alone; a check mapped to one is at most partial.\n\n")
	b.WriteString("| Control or family | Why |\n|---|---|\n")
	for _, p := range m.Process {
		name := catalogs.Label(p.Control)
		if p.Family != "" {
			name = strings.ToUpper(p.Family) + " (family)"
		}
		fmt.Fprintf(&b, "| %s | %s |\n", name, md(p.Rationale))
	}

	b.WriteString("\n### Preconditions\n\n")
	b.WriteString("Checks of pedigree's own inputs. They evidence no control; while one fails or cannot run, the checks it gates decide nothing, and the assessment plan lists the limitation.\n\n")
	b.WriteString("| Check | Gates | Limitation |\n|---|---|---|\n")
	for _, e := range m.Preconditions() {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", e.Check, strings.Join(e.Precondition.Gates, ", "), md(e.Precondition.Limitation))
	}
	return b.Bytes()
}

// sufficientCover returns the leaf parts of a control no sufficient check
// covers, and the sufficient checks mapped to it.
func (m *Mapping) sufficientCover(ctl *catalogs.Control) (uncovered, by []string) {
	refs := m.RefsOf(ctl.ID)
	for _, leaf := range leafIDs(ctl) {
		covered := false
		for _, r := range refs {
			if r.Strength != Sufficient {
				continue
			}
			for _, p := range r.Parts {
				if catalogs.PartCovers(p, leaf) {
					covered = true
					by = appendUnique(by, r.Check)
				}
			}
		}
		if !covered {
			uncovered = append(uncovered, leaf)
		}
	}
	sort.Strings(by)
	return uncovered, by
}

func leafIDs(ctl *catalogs.Control) []string {
	var out []string
	for _, p := range PartsOf(ctl) {
		if p.Leaf {
			out = append(out, p.ID)
		}
	}
	return out
}

// md keeps text inside one table cell.
func md(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
