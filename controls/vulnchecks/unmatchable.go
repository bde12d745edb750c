package vulnchecks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/vuln"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewUnmatchable reports the components no vulnerability database can
// match: a blind spot, never a pass.
func NewUnmatchable() controls.Check {
	c := controls.Check{
		ID:          "VULN-UNMATCHABLE-COMPONENTS",
		Title:       "Every component can be matched against vulnerability data",
		Rationale:   "A component without a package URL or CPE (or without a version) cannot be looked up in any vulnerability database: whatever flaws it has stay invisible to scanning.",
		Remediation: "Regenerate the SBOM with a tool that records purls and versions for every component, or add them by hand for vendored and native components.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       []string{sbom.EvidenceKind, vuln.KindDatabase, vuln.KindKEV, vuln.KindVEX},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		in := gather(ev)
		var out []evidence.Finding
		for _, d := range in.docs {
			total := 0
			byReason := map[string]*sample{}
			undecided := sample{keep: 3}
			in.each(d, func(r *vuln.Result) {
				total++
				if r.Reason != "" {
					s := byReason[r.Reason]
					if s == nil {
						s = &sample{keep: 3}
						byReason[r.Reason] = s
					}
					if s.want() {
						s.first = append(s.first, componentLabel(r))
					}
				}
				if len(r.Undecided) > 0 && undecided.want() {
					undecided.first = append(undecided.first, fmt.Sprintf("%s (%s)", componentLabel(r), strings.Join(limit(r.Undecided, 3), ", ")))
				}
			})
			n := 0
			reasons := make([]string, 0, len(byReason))
			for k, v := range byReason {
				n += v.n
				reasons = append(reasons, k)
			}
			sort.Strings(reasons)
			var parts []string
			for _, k := range reasons {
				parts = append(parts, fmt.Sprintf("%d %s (first: %s)", byReason[k].n, k, strings.Join(byReason[k].list(), ", ")))
			}
			if undecided.n > 0 {
				parts = append(parts, fmt.Sprintf("%s whose advisories' ranges could not be evaluated for their version: %s",
					plural(undecided.n, "component", "components"), strings.Join(undecided.list(), "; ")))
			}
			var f evidence.Finding
			switch {
			case byReason[vuln.ReasonNoIdentifier] != nil:
				f = c.Finding(evidence.Fail, fmt.Sprintf("%s: %d of %s cannot be matched: %s", d.doc.File, n,
					plural(total, "component", "components"), strings.Join(parts, "; ")), sbomSubject(d))
			case len(parts) > 0:
				f = c.Finding(evidence.NotAssessed, fmt.Sprintf("%s: %d of %s cannot be matched against OSV: %s", d.doc.File, n,
					plural(total, "component", "components"), strings.Join(parts, "; ")), sbomSubject(d))
			default:
				f = c.Finding(evidence.Pass, fmt.Sprintf("%s: all %s carry a purl and a version OSV can match", d.doc.File,
					plural(total, "component", "components")), sbomSubject(d))
			}
			f.Evidence, f.Location = in.evidenceIDs(d), location(d)
			out = append(out, f)
		}
		return out
	}
	return c
}
