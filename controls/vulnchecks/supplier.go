package vulnchecks

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/vuln"
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
			total := 0
			vulnerable, other := sample{keep: 5}, sample{keep: 5}
			in.each(d, func(r *vuln.Result) {
				total++
				if strings.TrimSpace(r.Component.Supplier) != "" {
					return
				}
				if n := len(active(r)); n > 0 {
					if vulnerable.want() {
						vulnerable.first = append(vulnerable.first, fmt.Sprintf("%s (%s)", componentLabel(r), plural(n, "open vulnerability", "open vulnerabilities")))
					}
				} else if other.want() {
					other.first = append(other.first, componentLabel(r))
				}
			})
			var f evidence.Finding
			if n := vulnerable.n + other.n; n > 0 {
				msg := fmt.Sprintf("%s: %d of %s have no supplier", d.doc.File, n, plural(total, "component", "components"))
				if vulnerable.n > 0 {
					msg += fmt.Sprintf("; with open vulnerabilities: %s", strings.Join(vulnerable.list(), ", "))
				}
				if other.n > 0 {
					msg += fmt.Sprintf("; first others: %s", strings.Join(other.list(), ", "))
				}
				if in.db == nil {
					msg += " (no OSV database: vulnerabilities not matched)"
				}
				f = c.Finding(evidence.Fail, msg, sbomSubject(d))
			} else {
				f = c.Finding(evidence.Pass, fmt.Sprintf("%s: all %s name a supplier", d.doc.File, plural(total, "component", "components")), sbomSubject(d))
			}
			f.Evidence, f.Location = in.evidenceIDs(d), location(d)
			out = append(out, f)
		}
		return out
	}
	return c
}
