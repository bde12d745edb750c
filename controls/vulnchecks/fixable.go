package vulnchecks

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewCriticalHighFixable fails for every component with an unsuppressed
// vulnerability at or above threshold for which a fixed version exists.
func NewCriticalHighFixable(threshold evidence.Severity) controls.Check {
	c := controls.Check{
		ID:          "VULN-CRITICAL-HIGH-FIXABLE",
		Title:       "No critical or high vulnerability is left unfixed where a fix exists",
		Rationale:   "A severe flaw with a published fix is the cheapest risk to remove: leaving it in place is an unremediated vulnerability, not an accepted one.",
		Remediation: "Upgrade each listed component to at least the fixed version; where the flaw cannot be reached, record a VEX not_affected statement with its justification instead.",
		Severity:    evidence.High,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       matchReads,
	}
	if threshold != evidence.High {
		c.Title = fmt.Sprintf("No vulnerability of severity %s or above is left unfixed where a fix exists", threshold)
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		in := gather(ev)
		var out []evidence.Finding
		for _, d := range in.docs {
			if in.db == nil {
				out = append(out, notAssessedNoDB(c, in, d))
				continue
			}
			rs := in.results(d)
			findings := 0
			unfixable := 0
			for i := range rs {
				r := &rs[i]
				var severe, unknown, vexIDs []string
				for _, m := range active(r) {
					if m.Fixed == "" {
						if m.Severity.Rank() >= threshold.Rank() {
							unfixable++
						}
						continue
					}
					switch {
					case m.Severity == "":
						unknown = append(unknown, describe(m))
					case m.Severity.Rank() >= threshold.Rank():
						severe = append(severe, describe(m))
					default:
						continue
					}
					if m.VEX != nil {
						vexIDs = append(vexIDs, m.VEX.Evidence)
					}
				}
				var f evidence.Finding
				switch {
				case len(severe) > 0:
					f = c.Finding(evidence.Fail, fmt.Sprintf("%s: %s at or above %s with a fix available: %s", componentLabel(r),
						plural(len(severe), "vulnerability", "vulnerabilities"), threshold, strings.Join(severe, "; ")), r.Component.Subject(), sbomSubject(d))
				case len(unknown) > 0:
					f = c.Finding(evidence.NotAssessed, fmt.Sprintf("%s: %s with a fix available but no severity to judge: %s", componentLabel(r),
						plural(len(unknown), "vulnerability", "vulnerabilities"), strings.Join(unknown, "; ")), r.Component.Subject(), sbomSubject(d))
				default:
					continue
				}
				f.Evidence, f.Location = in.evidenceIDs(d, vexIDs...), location(d)
				out = append(out, f)
				findings++
			}
			if findings == 0 {
				msg := fmt.Sprintf("%s: no vulnerability at or above %s with a fix available among %s", d.doc.File, threshold, plural(len(rs), "component", "components"))
				if unfixable > 0 {
					msg += fmt.Sprintf(" (%s at or above %s have no fixed version yet)", plural(unfixable, "open vulnerability", "open vulnerabilities"), threshold)
				}
				f := c.Finding(evidence.Pass, msg, sbomSubject(d))
				f.Evidence, f.Location = in.evidenceIDs(d), location(d)
				out = append(out, f)
			}
		}
		return out
	}
	return c
}
