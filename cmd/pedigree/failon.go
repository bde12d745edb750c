package main

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
)

// gate is one --fail-on condition. The run exits 1 when any condition
// matches.
type gate struct {
	raw      string
	status   assessment.ControlStatus // status=not-satisfied
	severity evidence.Severity        // severity>=high: a failing finding at or above
	rule     string                   // rule=CI-TEMPLATE-INJECTION: a failing finding of that check
	never    bool                     // none
}

// parseGates reads --fail-on: status=not-satisfied (the default),
// status=not-assessed, severity>=high, rule=CHECK-ID, or none. Bare words
// are shorthands: not-satisfied, high, critical, none.
func parseGates(specs []string) ([]gate, error) {
	if len(specs) == 0 {
		specs = []string{"status=not-satisfied"}
	}
	var out []gate
	for _, s := range specs {
		s = strings.TrimSpace(s)
		g := gate{raw: s}
		key, val, hasEq := strings.Cut(s, "=")
		switch {
		case s == "none":
			g.never = true
		case strings.HasPrefix(s, "severity>="):
			sev, ok := evidence.ParseSeverity(strings.TrimPrefix(s, "severity>="))
			if !ok {
				return nil, fmt.Errorf("--fail-on %q: unknown severity (want info, low, medium, high or critical)", s)
			}
			g.severity = sev
		case hasEq && key == "status":
			st := assessment.ControlStatus(val)
			if st != assessment.NotSatisfied && st != assessment.NotAssessed {
				return nil, fmt.Errorf("--fail-on %q: status must be not-satisfied or not-assessed", s)
			}
			g.status = st
		case hasEq && (key == "rule" || key == "check"):
			g.rule = strings.ToUpper(val)
		case !hasEq:
			if sev, ok := evidence.ParseSeverity(s); ok {
				g.severity = sev
			} else if s == string(assessment.NotSatisfied) || s == string(assessment.NotAssessed) {
				g.status = assessment.ControlStatus(s)
			} else {
				return nil, fmt.Errorf("--fail-on %q is invalid (want status=not-satisfied, severity>=high, rule=CHECK-ID or none)", s)
			}
		default:
			return nil, fmt.Errorf("--fail-on %q is invalid (want status=…, severity>=…, rule=… or none)", s)
		}
		out = append(out, g)
	}
	return out, nil
}

// tripped returns the first gate the assessment trips, with why.
func tripped(gates []gate, a *assessment.Assessment) (string, bool) {
	for _, g := range gates {
		switch {
		case g.never:
			continue
		case g.status != "":
			n := 0
			for _, c := range a.Controls {
				if c.Status == g.status {
					n++
				}
			}
			if n > 0 {
				return fmt.Sprintf("%d control(s) %s (--fail-on %s)", n, g.status, g.raw), true
			}
		case g.severity != "":
			for _, f := range a.Findings {
				if f.Status == evidence.Fail && f.Severity.Rank() >= g.severity.Rank() {
					return fmt.Sprintf("%s finding %s: %s (--fail-on %s)", f.Severity, f.CheckID, f.Message, g.raw), true
				}
			}
		case g.rule != "":
			for _, f := range a.Findings {
				if f.Status == evidence.Fail && (f.CheckID == g.rule || strings.EqualFold(strings.TrimPrefix(f.CheckID, "CI-"), g.rule)) {
					return fmt.Sprintf("%s failed: %s (--fail-on %s)", f.CheckID, f.Message, g.raw), true
				}
			}
		}
	}
	return "", false
}
