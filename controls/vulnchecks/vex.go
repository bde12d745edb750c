package vulnchecks

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/vuln"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewVEXSuppressed records every match a VEX statement took out of the
// risk findings, with its justification, and fails a not_affected
// statement that gives none (which is then not applied).
func NewVEXSuppressed() controls.Check {
	c := controls.Check{
		ID:          "VULN-VEX-SUPPRESSED",
		Title:       "VEX suppressions are justified and recorded",
		Rationale:   "A VEX not_affected statement removes a vulnerability from the risk picture; the assessor must see each one with the justification it rests on, and one without a justification must not count.",
		Remediation: "Give every not_affected statement a justification (OpenVEX justification or impact_statement, CycloneDX analysis.justification or detail, CSAF flag or impact threat), or withdraw it.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       matchReads,
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		in := gather(ev)
		if len(in.vexEv) == 0 {
			return nil
		}
		var out []evidence.Finding
		applied := map[string]int{}
		for i, e := range in.vexEv {
			doc := in.vex[i].Doc
			if doc.Error != "" {
				f := c.Finding(evidence.Fail, fmt.Sprintf("VEX document %s could not be read, so none of its statements apply: %s", doc.File, doc.Error), e.Subject)
				f.Evidence = []string{e.ID}
				f.Location = &evidence.Location{Path: doc.File}
				out = append(out, f)
			}
		}
		for _, d := range in.docs {
			if in.db == nil {
				continue
			}
			rs := in.results(d)
			for i := range rs {
				r := &rs[i]
				for _, m := range r.Matches {
					if m.VEX == nil || m.Source != "osv" {
						continue
					}
					s := m.VEX
					var f evidence.Finding
					subj := []evidence.Subject{r.Component.Subject(), {Type: "vulnerability", Ref: m.ID}, sbomSubject(d)}
					switch {
					case m.Suppressed && s.Status == vuln.StatusNotAffected:
						f = c.Finding(evidence.Pass, fmt.Sprintf("%s: %s; suppressed by VEX %s (%s): %s, %s", componentLabel(r), describe(m), s.Document, s.Format,
							s.RawStatus, justification(s)), subj...)
					case m.Suppressed:
						msg := fmt.Sprintf("%s: %s; suppressed by VEX %s (%s): %s", componentLabel(r), describe(m), s.Document, s.Format, s.RawStatus)
						if s.Action != "" {
							msg += ", action: " + s.Action
						}
						f = c.Finding(evidence.Pass, msg, subj...)
					case s.Status == vuln.StatusNotAffected:
						f = c.Finding(evidence.Fail, fmt.Sprintf("%s: VEX %s states %s not_affected without a justification or impact statement; the match stays open: %s",
							componentLabel(r), s.Document, s.Vulnerability, describe(m)), subj...)
					default:
						continue // affected / under_investigation: the match stays open
					}
					f.Evidence, f.Location = in.evidenceIDs(d, s.Evidence), location(d)
					out = append(out, f)
					applied[s.Evidence]++
				}
			}
		}
		for i, e := range in.vexEv {
			doc := in.vex[i].Doc
			if doc.Error != "" || applied[e.ID] > 0 {
				continue
			}
			msg := fmt.Sprintf("VEX document %s (%s): %s, none suppressing a matched vulnerability", doc.File, doc.Format,
				plural(len(doc.Statements), "statement", "statements"))
			if len(doc.Problems) > 0 {
				msg += fmt.Sprintf("; %s skipped: %s", plural(len(doc.Problems), "statement", "statements"), strings.Join(limit(doc.Problems, 3), "; "))
			}
			st := evidence.Pass
			if in.db == nil {
				st = evidence.NotAssessed
				msg += " (no OSV database: nothing was matched)"
			}
			f := c.Finding(st, msg, e.Subject)
			f.Evidence = []string{e.ID}
			f.Location = &evidence.Location{Path: doc.File}
			out = append(out, f)
		}
		return out
	}
	return c
}

func justification(s *vuln.AppliedStatement) string {
	var parts []string
	if s.Justification != "" {
		parts = append(parts, "justification: "+s.Justification)
	}
	if s.Impact != "" {
		parts = append(parts, "impact: "+s.Impact)
	}
	return strings.Join(parts, "; ")
}
