package controls

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Aggregate decides every control in scope from the findings of the checks
// that ran:
//   - not-satisfied when a mapped check failed;
//   - not-assessed when a mapped check errored or could not decide, when
//     every mapped check found nothing to judge, or when no check is mapped
//     (then Methods says how an assessor would decide it);
//   - satisfied when every mapped check that had something to judge passed,
//     and at least one did.
//
// Manual evidence then fills what automation left open; it can lower a
// verdict but never lift a failing automated one.
func Aggregate(scope []string, idx ControlIndex, m *Mapping, ran []Check, findings []evidence.Finding, manual map[string]*assessment.ManualEvidence) []assessment.ControlResult {
	byCheck := map[string][]evidence.Finding{}
	for _, f := range findings {
		byCheck[f.CheckID] = append(byCheck[f.CheckID], f)
	}
	ranIDs := map[string]bool{}
	for _, c := range ran {
		ranIDs[c.ID] = true
	}
	out := make([]assessment.ControlResult, 0, len(scope))
	for _, id := range scope {
		r := assessment.ControlResult{ID: id, Label: catalogs.Label(id), Rationales: map[string]string{}}
		if ctl, ok := idx.Control(id); ok {
			r.Label, r.Title, r.Family = ctl.Label, ctl.Title, ctl.Family
			r.Statement, r.TextSource = ctl.Statement, ctl.Release
			r.Baselines, r.CSCRM, r.Methods = ctl.Baselines, ctl.CSCRM, ctl.Methods
		}
		mapped := m.ChecksOf(id)
		// In check order, not map order: the SSDF and CMMC lists built
		// here must come out the same in every run over the same input.
		chks := make([]string, 0, len(mapped))
		for chk := range mapped {
			chks = append(chks, chk)
		}
		sort.Strings(chks)
		for _, chk := range chks {
			why := mapped[chk]
			if ranIDs[chk] {
				r.Checks = append(r.Checks, chk)
				r.Rationales[chk] = why
				if e := m.Entries[chk]; e != nil {
					r.SSDF = appendUnique(r.SSDF, e.SSDF...)
					r.CMMC = appendUnique(r.CMMC, e.CMMC...)
				}
			}
		}
		sort.Strings(r.Checks)
		decide(&r, byCheck)
		if me := manual[id]; me != nil {
			applyManual(&r, me)
		}
		if len(r.Rationales) == 0 {
			r.Rationales = nil
		}
		out = append(out, r)
	}
	return out
}

func decide(r *assessment.ControlResult, byCheck map[string][]evidence.Finding) {
	if len(r.Checks) == 0 {
		r.Status = assessment.NotAssessed
		methods := r.Methods
		if len(methods) == 0 {
			methods = []string{"EXAMINE", "INTERVIEW"}
		}
		r.Methods = methods
		r.Reason = "no automated check assesses this control; it needs " + strings.Join(methods, ", ")
		return
	}
	r.Automated = true
	var failed, undecided, passed, empty []string
	var failIDs, undecidedIDs, passIDs []string
	for _, chk := range r.Checks {
		fs := byCheck[chk]
		var f, u, p bool
		for _, x := range fs {
			switch x.Status {
			case evidence.Fail:
				f = true
				failIDs = append(failIDs, x.ID)
			case evidence.Error, evidence.NotAssessed:
				u = true
				undecidedIDs = append(undecidedIDs, x.ID)
			case evidence.Pass:
				p = true
				passIDs = append(passIDs, x.ID)
			}
		}
		switch {
		case f:
			failed = append(failed, chk)
		case u:
			undecided = append(undecided, chk)
		case p:
			passed = append(passed, chk)
		default:
			empty = append(empty, chk)
		}
	}
	switch {
	case len(failed) > 0:
		r.Status = assessment.NotSatisfied
		r.Findings = failIDs
		r.Reason = "failed: " + strings.Join(failed, ", ")
	case len(undecided) > 0:
		r.Status = assessment.NotAssessed
		r.Findings = undecidedIDs
		r.Reason = "could not decide: " + strings.Join(undecided, ", ")
	case len(passed) > 0:
		r.Status = assessment.Satisfied
		r.Findings = passIDs
		r.Reason = "passed: " + strings.Join(passed, ", ")
		if len(empty) > 0 {
			r.Reason += fmt.Sprintf("; nothing to judge for %s", strings.Join(empty, ", "))
		}
	default:
		r.Status = assessment.NotAssessed
		r.Reason = "no evidence in the targets for " + strings.Join(empty, ", ")
	}
}

func applyManual(r *assessment.ControlResult, me *assessment.ManualEvidence) {
	r.Manual = me
	switch {
	case r.Status == assessment.NotSatisfied:
		r.Reason += "; manual evidence recorded (" + string(me.Status) + ") does not lift a failing check"
	case me.Status == assessment.NotSatisfied || r.Status == assessment.NotAssessed:
		r.Status = me.Status
		r.Reason = fmt.Sprintf("manual evidence by %s on %s: %s", me.Assessor, me.Date, me.Statement)
	default:
		r.Reason += "; manual evidence by " + me.Assessor + " agrees"
	}
}

func appendUnique(s []string, add ...string) []string {
	for _, a := range add {
		found := false
		for _, x := range s {
			if x == a {
				found = true
				break
			}
		}
		if !found {
			s = append(s, a)
		}
	}
	return s
}
