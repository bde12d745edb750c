package vulnchecks

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewUnknownSupplier reports components with no supplier (or originator):
// nobody to hold to a fix, first those with open vulnerabilities.
func NewUnknownSupplier() controls.Check {
	c := controls.Check{
		ID:          "VULN-UNKNOWN-SUPPLIER",
		Title:       "Every component's supplier is known",
		Rationale:   "Supply-chain risk is assessed per supplier: a component nobody is known to supply cannot be reviewed, held to a fix, or replaced deliberately, which matters most when it has open vulnerabilities.",
		Remediation: "Record the supplier (CycloneDX supplier, SPDX PackageSupplier) of every component; review components with open vulnerabilities and no known supplier first.",
		Severity:    evidence.Low,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       matchReads,
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		in := gather(ev)
		var out []evidence.Finding
		for _, d := range in.docs {
			rs := in.results(d)
			var vulnerable, other []string
			for i := range rs {
				r := &rs[i]
				if strings.TrimSpace(r.Component.Supplier) != "" {
					continue
				}
				if n := len(active(r)); n > 0 {
					vulnerable = append(vulnerable, fmt.Sprintf("%s (%s)", componentLabel(r), plural(n, "open vulnerability", "open vulnerabilities")))
				} else {
					other = append(other, componentLabel(r))
				}
			}
			var f evidence.Finding
			if n := len(vulnerable) + len(other); n > 0 {
				msg := fmt.Sprintf("%s: %d of %s have no supplier", d.doc.File, n, plural(len(rs), "component", "components"))
				if len(vulnerable) > 0 {
					msg += fmt.Sprintf("; with open vulnerabilities: %s", strings.Join(limit(vulnerable, 5), ", "))
				}
				if len(other) > 0 {
					msg += fmt.Sprintf("; first others: %s", strings.Join(limit(other, 5), ", "))
				}
				if in.db == nil {
					msg += " (no OSV database: vulnerabilities not matched)"
				}
				f = c.Finding(evidence.Fail, msg, sbomSubject(d))
			} else {
				f = c.Finding(evidence.Pass, fmt.Sprintf("%s: all %s name a supplier", d.doc.File, plural(len(rs), "component", "components")), sbomSubject(d))
			}
			f.Evidence, f.Location = in.evidenceIDs(d), location(d)
			out = append(out, f)
		}
		return out
	}
	return c
}
