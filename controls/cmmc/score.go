package cmmc

import (
	"fmt"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
)

// MaxScore is the SPRS score when every requirement is met.
const MaxScore = 110

// POAMCloseout is how long a conditional status lasts: the POA&M must be
// closed out within 180 days (32 CFR 170.21(b)).
const POAMCloseout = 180 * 24 * time.Hour

// Requirements that 32 CFR 170.21(a)(2)(iii) bars from a POA&M.
var noPOAM = map[string]bool{
	"AC.L2-3.1.20": true, "AC.L2-3.1.22": true, "CA.L2-3.12.4": true,
	"PE.L2-3.10.3": true, "PE.L2-3.10.4": true, "PE.L2-3.10.5": true,
}

const (
	reqSSP  = "3.12.4" // without a system security plan there is no score
	reqPOAM = "3.12.2" // plans of action
	// reqPartialPOAM may stay on a POA&M at its partial value.
	reqPartialPOAM = "3.13.11"
)

// Values gives the scoring row of an SP 800-171 Rev 2 requirement.
type Values interface {
	Value(requirement string) (*catalogs.SPRSValue, bool)
}

// Score applies the NIST SP 800-171 DoD Assessment Methodology v1.2.1 to
// the practices of one level and decides the conditional status of 32 CFR
// 170.21. It sets each practice's Deducted and, when a not-met requirement
// has no plan of action, marks 3.12.2 not met as the methodology says.
// assessed is the date of the assessment, from which a conditional
// status's POA&M closeout deadline runs.
func Score(level int, ps []assessment.PracticeResult, vals Values, assessed time.Time) assessment.SPRSScore {
	if level == 1 {
		return scoreLevel1(ps)
	}
	s := assessment.SPRSScore{Max: MaxScore, Counts: map[assessment.PracticeStatus]int{}}
	req := func(p *assessment.PracticeResult) string {
		if len(p.Requirements) == 0 {
			return ""
		}
		return p.Requirements[0]
	}
	// Methodology §5: a requirement not implemented without a plan of
	// action makes 3.12.2 not implemented.
	var unplanned []string
	var planIdx = -1
	for i := range ps {
		p := &ps[i]
		if req(p) == reqPOAM {
			planIdx = i
			continue
		}
		if p.Status == assessment.NotMet && p.NoDeduction == "" && !p.POAM {
			unplanned = append(unplanned, p.ID)
		}
	}
	if planIdx >= 0 && len(unplanned) > 0 && ps[planIdx].Status != assessment.NotMet {
		p := &ps[planIdx]
		p.Status = assessment.NotMet
		p.Reason = fmt.Sprintf("no plan of action for %s: the DoD Assessment Methodology scores 3.12.2 not implemented", strings.Join(unplanned, ", "))
	}

	decided, pending := 0, 0
	var noScore, notAssessed, poamTooBig, poamBarred, unplannedIDs []string
	for i := range ps {
		p := &ps[i]
		s.Counts[p.Status]++
		v, ok := vals.Value(req(p))
		if !ok {
			v = &catalogs.SPRSValue{}
		}
		p.Value = v.Value
		p.Deducted = 0
		cost := v.Value
		switch {
		case p.NoDeduction != "":
			cost = 0
		case p.Partial && v.Partial > 0:
			cost = v.Partial
		}
		switch p.Status {
		case assessment.NotMet:
			p.Deducted = cost
			decided += cost
			if req(p) == reqSSP {
				noScore = append(noScore, p.ID)
			}
			if cost == 0 && req(p) != reqSSP {
				break
			}
			if !p.POAM {
				unplannedIDs = append(unplannedIDs, p.ID)
				break
			}
			if noPOAM[p.ID] {
				poamBarred = append(poamBarred, p.ID)
			} else if cost > 1 && !(req(p) == reqPartialPOAM && p.Partial) {
				poamTooBig = append(poamTooBig, fmt.Sprintf("%s (%d points)", p.ID, cost))
			}
		case assessment.PracticeNotAssessed:
			pending += cost
			notAssessed = append(notAssessed, p.ID)
		}
	}
	s.IfUnassessedMet = MaxScore - decided
	s.IfUnassessedNotMet = MaxScore - decided - pending
	s.Complete = len(notAssessed) == 0
	var blockers []string
	if len(noScore) > 0 {
		blockers = append(blockers, "CA.L2-3.12.4 (system security plan) is not met: the methodology gives no score without a system security plan")
	}
	if s.IfUnassessedMet*10 < MaxScore*8 {
		blockers = append(blockers, fmt.Sprintf("score %d/110 is below 0.8 of the maximum (88)", s.IfUnassessedMet))
	}
	if len(poamBarred) > 0 {
		blockers = append(blockers, "not allowed on a POA&M (32 CFR 170.21(a)(2)(iii)): "+strings.Join(poamBarred, ", "))
	}
	if len(poamTooBig) > 0 {
		blockers = append(blockers, "only 1-point requirements, and SC.L2-3.13.11 at its partial value, may be on a POA&M: "+strings.Join(poamTooBig, ", "))
	}
	if len(unplannedIDs) > 0 {
		blockers = append(blockers, "not met and not on the POA&M: "+strings.Join(unplannedIDs, ", "))
	}
	switch {
	case len(blockers) > 0:
		s.Status = assessment.CMMCNotEligible
		s.Reasons = blockers
		if !s.Complete {
			s.Reasons = append(s.Reasons, rangeReason(notAssessed, s))
		}
	case !s.Complete:
		s.Status = assessment.CMMCIncomplete
		s.Reasons = []string{rangeReason(notAssessed, s)}
	case decided == 0:
		s.Status = assessment.CMMCFinal
		s.Reasons = []string{"every requirement is met (or not applicable, or exempt from deduction): final Level 2 status"}
	default:
		s.Status = assessment.CMMCConditional
		s.POAMDeadline = assessed.Add(POAMCloseout).UTC().Format(time.DateOnly)
		s.Reasons = []string{
			fmt.Sprintf("score %d/110 is at least 88 and every open requirement is on an allowed POA&M: conditional Level 2 status (32 CFR 170.21(a)(2))", s.IfUnassessedMet),
			"the POA&M must be closed out by " + s.POAMDeadline + " (180 days)",
		}
	}
	if s.Complete && len(noScore) == 0 {
		n := s.IfUnassessedMet
		s.Score = &n
	}
	return s
}

func rangeReason(notAssessed []string, s assessment.SPRSScore) string {
	return fmt.Sprintf("%d practice(s) not assessed (%s): the score lies between %d and %d",
		len(notAssessed), abbreviate(notAssessed, 8), s.IfUnassessedNotMet, s.IfUnassessedMet)
}

func abbreviate(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:n], ", ") + fmt.Sprintf(" and %d more", len(ids)-n)
}

// scoreLevel1: Level 1 has no SPRS score; every practice must be met and a
// POA&M is not allowed (32 CFR 170.15).
func scoreLevel1(ps []assessment.PracticeResult) assessment.SPRSScore {
	s := assessment.SPRSScore{Counts: map[assessment.PracticeStatus]int{}}
	var notMet, notAssessed []string
	for i := range ps {
		p := &ps[i]
		p.Deducted = 0
		s.Counts[p.Status]++
		switch p.Status {
		case assessment.NotMet:
			notMet = append(notMet, p.ID)
		case assessment.PracticeNotAssessed:
			notAssessed = append(notAssessed, p.ID)
		}
	}
	s.Complete = len(notAssessed) == 0
	switch {
	case len(notMet) > 0:
		s.Status = assessment.CMMCNotEligible
		s.Reasons = []string{"Level 1 allows no POA&M; not met: " + strings.Join(notMet, ", ")}
		if len(notAssessed) > 0 {
			s.Reasons = append(s.Reasons, fmt.Sprintf("%d practice(s) not assessed: %s", len(notAssessed), abbreviate(notAssessed, 8)))
		}
	case len(notAssessed) > 0:
		s.Status = assessment.CMMCIncomplete
		s.Reasons = []string{fmt.Sprintf("%d practice(s) not assessed: %s", len(notAssessed), abbreviate(notAssessed, 8))}
	default:
		s.Status = assessment.CMMCFinal
		s.Reasons = []string{"every Level 1 practice is met: final Level 1 status"}
	}
	return s
}
