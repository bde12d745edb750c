package sbomchecks

import (
	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Inventory lists every component of every readable SBOM for the reports'
// component table (Vulnerabilities is left for the vuln pillar).
func Inventory(ev []evidence.Evidence) assessment.Inventory {
	var inv assessment.Inventory
	all := docs(ev)
	n := 0
	for _, d := range all {
		n += len(d.doc.Components)
	}
	inv.Components = make([]assessment.Component, 0, n)
	for _, d := range all {
		if !usable(d.doc) {
			continue
		}
		name := d.doc.File
		if d.ev.Target != "" {
			name = d.ev.Target + ":" + d.doc.File
		}
		for i := range d.doc.Components {
			c := &d.doc.Components[i]
			// The table is for reading: each cell is clipped; the SBOM's
			// evidence keeps every value whole.
			clip := func(s string) string { return evidence.Clip(s, evidence.MaxRef) }
			row := assessment.Component{
				SBOM: name, Name: clip(c.Name), Version: clip(c.Version),
				Supplier: clip(firstNonEmpty(c.Supplier, c.Originator())), PURL: clip(c.PURL), CPE: clip(c.CPE),
				Licenses: c.Licenses,
			}
			if len(c.Hashes) > 0 {
				row.Hashes = make([]string, len(c.Hashes))
				for j, h := range c.Hashes {
					row.Hashes[j] = h.Algorithm + ":" + h.Value
				}
			}
			inv.Components = append(inv.Components, row)
		}
	}
	return inv
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
