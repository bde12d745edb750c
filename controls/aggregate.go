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
// that ran, statement part by statement part (see decide for the rule).
// Manual evidence then fills what automation left open; it can lower a
// verdict but never lift a failing automated one.
func Aggregate(scope []string, idx ControlIndex, m *Mapping, ran []Check, findings []evidence.Finding, manual map[string]*assessment.ManualEvidence) []assessment.ControlResult {
	return AggregateWith(scope, idx, m, ran, findings, manual, nil)
}

// AggregateWith is Aggregate with the organisation-defined parameter values
// the run was configured with (see Params).
func AggregateWith(scope []string, idx ControlIndex, m *Mapping, ran []Check, findings []evidence.Finding, manual map[string]*assessment.ManualEvidence, params *Params) []assessment.ControlResult {
	byCheck := map[string][]evidence.Finding{}
	for _, f := range findings {
		byCheck[f.CheckID] = append(byCheck[f.CheckID], f)
	}
	ranIDs := map[string]bool{}
	for _, c := range ran {
		ranIDs[c.ID] = true
	}
	gated := gatedChecks(m, ranIDs, byCheck)
	refsOf := m.refsByControl()
	out := make([]assessment.ControlResult, 0, len(scope))
	for _, id := range scope {
		r := assessment.ControlResult{ID: id, Label: catalogs.Label(id), Rationales: map[string]string{}, Strengths: map[string]string{}}
		ctl, ok := idx.Control(id)
		if ok {
			r.Label, r.Title, r.Family = ctl.Label, ctl.Title, ctl.Family
			r.Statement, r.TextSource = ctl.Statement, ctl.Release
			r.Baselines, r.CSCRM, r.Methods = ctl.Baselines, ctl.CSCRM, ctl.Methods
		} else {
			ctl = &catalogs.Control{ID: id, Label: r.Label}
		}
		var refs []MappedCheck
		for _, mc := range refsOf[id] {
			if !ranIDs[mc.Check] {
				continue
			}
			refs = append(refs, mc)
			r.Checks = append(r.Checks, mc.Check)
			r.Rationales[mc.Check] = mc.Rationale
			r.Strengths[mc.Check] = string(mc.Strength)
			if e := m.Entries[mc.Check]; e != nil {
				r.SSDF = appendUnique(r.SSDF, e.SSDF...)
				r.CMMC = appendUnique(r.CMMC, e.CMMC...)
			}
		}
		why, process := m.IsProcess(id)
		r.Process = process
		decide(&r, ctl, refs, byCheck, gated, why)
		r.Parameters = params.values(refs)
		if me := manual[id]; me != nil {
			applyManual(&r, me)
		}
		if len(r.Rationales) == 0 {
			r.Rationales, r.Strengths = nil, nil
		}
		out = append(out, r)
	}
	return out
}

// gatedChecks maps each check gated by a precondition that failed or could
// not decide to why: while pedigree's own input is missing or broken, the
// checks that read it judge nothing an assessor can rely on.
func gatedChecks(m *Mapping, ran map[string]bool, byCheck map[string][]evidence.Finding) map[string]string {
	out := map[string]string{}
	for _, e := range m.Preconditions() {
		if !ran[e.Check] {
			continue
		}
		var bad string
		for _, f := range byCheck[e.Check] {
			if f.Status == evidence.Fail || f.Status == evidence.Error || f.Status == evidence.NotAssessed {
				bad = string(f.Status)
				break
			}
		}
		if bad == "" {
			continue
		}
		for _, g := range e.Precondition.Gates {
			out[g] = fmt.Sprintf("precondition %s %s: %s", e.Check, bad, e.Precondition.Limitation)
		}
	}
	return out
}

// outcome is what one check's findings say.
type outcome int

const (
	nothing outcome = iota // no finding: nothing to judge
	passed
	undecided
	failed
)

func outcomeOf(fs []evidence.Finding, gatedWhy string) (outcome, []string) {
	o := nothing
	var ids, pass, undec, fail []string
	for _, f := range fs {
		switch f.Status {
		case evidence.Fail:
			fail = append(fail, f.ID)
		case evidence.Error, evidence.NotAssessed:
			undec = append(undec, f.ID)
		case evidence.Pass:
			pass = append(pass, f.ID)
		}
	}
	switch {
	case len(fail) > 0:
		o, ids = failed, fail
	case len(undec) > 0:
		o, ids = undecided, undec
	case len(pass) > 0:
		o, ids = passed, pass
	}
	// A pass (or silence) of a check whose input pedigree could not read
	// is not evidence; a fail still is.
	if gatedWhy != "" && o != failed {
		o = undecided
	}
	return o, ids
}

// decide applies the sufficiency rule:
//
//   - a fail of a sufficient or partial check makes the control
//     not-satisfied; a related check's fail is reported but decides nothing;
//   - a sufficient or partial check that errored or could not decide (or
//     whose precondition failed) leaves it not-assessed;
//   - a statement part whose sufficient checks all had nothing to judge
//     leaves it not-assessed, whatever the partial and related checks say;
//   - a process control (policy, plan, contract, organisational process) is
//     never satisfied by automation alone;
//   - otherwise it is satisfied only when every leaf part of the statement
//     is covered by a sufficient check that judged something and passed;
//     any other pass leaves it not-assessed, saying which parts were
//     evidenced and which still need EXAMINE or INTERVIEW.
func decide(r *assessment.ControlResult, ctl *catalogs.Control, refs []MappedCheck, byCheck map[string][]evidence.Finding, gated map[string]string, processWhy string) {
	manualMethods := manualMethodsOf(r.Methods)
	if len(refs) == 0 {
		r.Status = assessment.NotAssessed
		if len(r.Methods) == 0 {
			r.Methods = []string{"EXAMINE", "INTERVIEW"}
		}
		r.Reason = "no automated check assesses this control; it needs " + strings.Join(r.Methods, ", ")
		return
	}
	r.Automated = true
	results := make([]checkResult, len(refs))
	for i, mc := range refs {
		o, ids := outcomeOf(byCheck[mc.Check], gated[mc.Check])
		results[i] = checkResult{mc, o, ids}
	}
	var failIDs, undecIDs, passIDs []string
	var failedChecks, undecChecks, relFailed, emptyPrimary []string
	for _, x := range results {
		decisive := x.Strength == Sufficient || x.Strength == Partial
		switch {
		case x.o == failed && decisive:
			failIDs = append(failIDs, x.ids...)
			failedChecks = append(failedChecks, x.Check)
		case x.o == failed:
			r.RelatedFailures = append(r.RelatedFailures, x.ids...)
			relFailed = append(relFailed, x.Check)
		case x.o == undecided && decisive:
			undecIDs = append(undecIDs, x.ids...)
			c := x.Check
			if why := gated[x.Check]; why != "" {
				c += " (" + why + ")"
			}
			undecChecks = append(undecChecks, c)
		case x.o == passed:
			passIDs = append(passIDs, x.ids...)
		}
	}
	// Leaf parts first: each is decided by the checks that cover it whole.
	parts := PartsOf(ctl)
	leafStatus := map[string]string{}
	var evidenced, needs, evidencedBy []string
	for _, p := range parts {
		if !p.Leaf {
			continue
		}
		var suff, suffPassed []string
		st := ""
		for _, x := range results {
			if !x.covers(p.ID) {
				continue
			}
			decisive := x.Strength == Sufficient || x.Strength == Partial
			switch {
			case x.o == failed && decisive:
				st = assessment.PartFailed
			case x.o == undecided && decisive && st != assessment.PartFailed:
				st = assessment.PartUndecided
			}
			if x.Strength == Sufficient {
				suff = append(suff, x.Check)
				if x.o == passed {
					suffPassed = append(suffPassed, x.Check)
				}
			}
		}
		switch {
		case st != "":
		case len(suffPassed) > 0:
			st = assessment.PartEvidenced
			evidenced = append(evidenced, p.ID)
			evidencedBy = appendUnique(evidencedBy, suffPassed...)
		case len(suff) > 0:
			// The primary check had nothing to judge.
			st = assessment.PartUndecided
			emptyPrimary = appendUnique(emptyPrimary, suff...)
		default:
			st = assessment.PartNeedsManual
		}
		if st != assessment.PartEvidenced {
			needs = append(needs, p.ID)
		}
		leafStatus[p.ID] = st
	}
	// Then every part, a parent summing up its items.
	for _, p := range parts {
		pr := assessment.PartResult{ID: p.ID, Label: p.Label, Objective: p.Objective, Status: leafStatus[p.ID]}
		for _, x := range results {
			if x.touches(p.ID) {
				pr.Checks = append(pr.Checks, x.Check+" ("+string(x.Strength)+")")
			}
		}
		if !p.Leaf {
			pr.Status = summarise(p.ID, leafStatus)
		}
		r.Parts = append(r.Parts, pr)
	}
	related := ""
	if len(relFailed) > 0 {
		related = "; related check " + strings.Join(relFailed, ", ") + " failed (reported, does not decide the control)"
	}
	switch {
	case len(failedChecks) > 0:
		r.Status = assessment.NotSatisfied
		r.Findings = failIDs
		r.Reason = "failed: " + strings.Join(failedChecks, ", ") + related
	case len(undecChecks) > 0:
		r.Status = assessment.NotAssessed
		r.Findings = undecIDs
		r.Reason = "could not decide: " + strings.Join(undecChecks, ", ") + related
	case len(emptyPrimary) > 0:
		r.Status = assessment.NotAssessed
		r.Findings = passIDs
		r.Reason = "no evidence in the targets for the primary check " + strings.Join(emptyPrimary, ", ") + partSummary(evidenced, evidencedBy, needs, manualMethods) + related
	case processWhy != "":
		r.Status = assessment.NotAssessed
		r.Findings = passIDs
		r.Reason = "process control, never satisfied by automation alone (" + strings.TrimSuffix(processWhy, ".") + "); " +
			seen(results, "no contradiction found by ") + "; needs " + strings.Join(manualMethods, ", ") + related
	case len(needs) == 0 && len(evidenced) > 0:
		r.Status = assessment.Satisfied
		r.Findings = passIDs
		r.Reason = "passed (sufficient): " + strings.Join(evidencedBy, ", ") + " for parts " + strings.Join(evidenced, ", ") + related
		if empty := checksWith(results, nothing); len(empty) > 0 {
			r.Reason += fmt.Sprintf("; nothing to judge for %s", strings.Join(empty, ", "))
		}
	default:
		r.Status = assessment.NotAssessed
		r.Findings = passIDs
		r.Reason = seen(results, "passed: ") + partSummary(evidenced, evidencedBy, needs, manualMethods) + related
	}
}

// seen says what the checks that neither failed nor errored made of the
// targets: which passed, which had nothing to judge.
func seen(results []checkResult, passedPrefix string) string {
	var out []string
	if p := checksWith(results, passed); len(p) > 0 {
		out = append(out, passedPrefix+strings.Join(p, ", "))
	}
	if e := checksWith(results, nothing); len(e) > 0 {
		out = append(out, "no evidence in the targets for "+strings.Join(e, ", "))
	}
	if len(out) == 0 {
		return "no check that decides passed"
	}
	return strings.Join(out, "; ")
}

// checkResult is what one mapped check's findings say of a control.
type checkResult struct {
	MappedCheck
	o   outcome
	ids []string
}

// covers reports whether the check is mapped to the part or to a part
// that holds it.
func (x checkResult) covers(part string) bool {
	for _, q := range x.Parts {
		if catalogs.PartCovers(q, part) {
			return true
		}
	}
	return false
}

// touches reports whether the check is mapped to the part, a part that
// holds it, or one of its items.
func (x checkResult) touches(part string) bool {
	for _, q := range x.Parts {
		if catalogs.PartCovers(q, part) || catalogs.PartCovers(part, q) {
			return true
		}
	}
	return false
}

// summarise is the status of a part with items: failed or undecided when
// an item is, evidenced when every item is, else needs-manual.
func summarise(part string, leaves map[string]string) string {
	all, some := true, false
	st := ""
	for id, s := range leaves {
		if !catalogs.PartCovers(part, id) {
			continue
		}
		some = true
		switch s {
		case assessment.PartFailed:
			st = assessment.PartFailed
		case assessment.PartUndecided:
			if st != assessment.PartFailed {
				st = assessment.PartUndecided
			}
		}
		if s != assessment.PartEvidenced {
			all = false
		}
	}
	switch {
	case st != "":
		return st
	case some && all:
		return assessment.PartEvidenced
	}
	return assessment.PartNeedsManual
}

func partSummary(evidenced, by, needs, methods []string) string {
	s := "; evidenced: "
	if len(evidenced) == 0 {
		s += "no part"
	} else {
		s += "parts " + strings.Join(evidenced, ", ") + " (" + strings.Join(by, ", ") + ")"
	}
	if len(needs) > 0 {
		s += "; still needs " + strings.Join(methods, "/") + " for parts " + strings.Join(needs, ", ")
	}
	return s
}

// manualMethodsOf is what a person does about what automation left open:
// the control's SP 800-53A methods other than TEST, EXAMINE and INTERVIEW
// when the catalog gives none.
func manualMethodsOf(methods []string) []string {
	var out []string
	for _, m := range methods {
		if m != "TEST" {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		out = []string{"EXAMINE", "INTERVIEW"}
	}
	return out
}

func checksWith(rs []checkResult, o outcome) []string {
	var out []string
	for _, x := range rs {
		if x.o == o {
			out = append(out, x.Check)
		}
	}
	sort.Strings(out)
	return out
}

func applyManual(r *assessment.ControlResult, me *assessment.ManualEvidence) {
	r.Manual = me
	switch {
	case r.Status == assessment.NotSatisfied:
		r.Reason += "; manual evidence recorded (" + string(me.Status) + ") does not lift a failing check"
	case me.Status == assessment.NotSatisfied || r.Status == assessment.NotAssessed:
		auto := r.Reason
		r.Status = me.Status
		r.Reason = fmt.Sprintf("manual evidence by %s on %s: %s", me.Assessor, me.Date, me.Statement)
		if r.Automated {
			r.Reason += "; automation: " + auto
		}
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
