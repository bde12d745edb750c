package cmmc

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/internal/sharedtest"
)

func guide(t testing.TB) *catalogs.CMMCGuide {
	t.Helper()
	g, err := catalogs.CMMC()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// level builds every practice of a level with one status.
func level(t testing.TB, n int, st assessment.PracticeStatus) []assessment.PracticeResult {
	var out []assessment.PracticeResult
	for _, p := range guide(t).Level(n) {
		out = append(out, assessment.PracticeResult{ID: p.ID, Requirements: p.Requirements171r2, Status: st})
	}
	return out
}

type change struct {
	id      string
	status  assessment.PracticeStatus
	partial bool
	noDed   string
	poam    bool
}

func apply(t *testing.T, ps []assessment.PracticeResult, cs []change) {
	t.Helper()
	for _, c := range cs {
		found := false
		for i := range ps {
			if ps[i].ID == c.id {
				ps[i].Status, ps[i].Partial, ps[i].NoDeduction, ps[i].POAM = c.status, c.partial, c.noDed, c.poam
				found = true
			}
		}
		if !found {
			t.Fatalf("no practice %s", c.id)
		}
	}
}

var assessedAt = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func intp(n int) *int { return &n }

// TestScore follows the DoD Assessment Methodology v1.2.1 and 32 CFR
// 170.21(a)(2) case by case.
func TestScore(t *testing.T) {
	nm, na, nas := assessment.NotMet, assessment.NotApplicable, assessment.PracticeNotAssessed
	tests := []struct {
		name     string
		changes  []change
		score    *int
		complete bool
		hi, lo   int
		status   string
		reason   string // a substring of one reason
		deadline string
	}{
		{name: "all met", score: intp(110), complete: true, hi: 110, lo: 110, status: assessment.CMMCFinal},
		{name: "not applicable counts as met", changes: []change{{id: "AC.L2-3.1.16", status: na}}, score: intp(110), complete: true, hi: 110, lo: 110, status: assessment.CMMCFinal},
		{name: "one 5-point requirement on a POA&M", changes: []change{{id: "AC.L2-3.1.1", status: nm, poam: true}},
			score: intp(105), complete: true, hi: 105, lo: 105, status: assessment.CMMCNotEligible, reason: "AC.L2-3.1.1 (5 points)"},
		{name: "1-point requirements on a POA&M: conditional", changes: []change{{id: "AC.L2-3.1.3", status: nm, poam: true}, {id: "CM.L2-3.4.9", status: nm, poam: true}},
			score: intp(108), complete: true, hi: 108, lo: 108, status: assessment.CMMCConditional, deadline: "2027-05-19"},
		{name: "3.13.11 at its partial value on a POA&M: conditional", changes: []change{{id: "SC.L2-3.13.11", status: nm, partial: true, poam: true}},
			score: intp(107), complete: true, hi: 107, lo: 107, status: assessment.CMMCConditional, deadline: "2027-05-19"},
		{name: "3.13.11 at its full value cannot be on a POA&M", changes: []change{{id: "SC.L2-3.13.11", status: nm, poam: true}},
			score: intp(105), complete: true, hi: 105, lo: 105, status: assessment.CMMCNotEligible, reason: "SC.L2-3.13.11 (5 points)"},
		{name: "3.5.3 partial deducts 3 and is not POA&M-eligible", changes: []change{{id: "IA.L2-3.5.3", status: nm, partial: true, poam: true}},
			score: intp(107), complete: true, hi: 107, lo: 107, status: assessment.CMMCNotEligible, reason: "IA.L2-3.5.3 (3 points)"},
		{name: "3.5.3 not implemented deducts 5", changes: []change{{id: "IA.L2-3.5.3", status: nm, poam: true}},
			score: intp(105), complete: true, hi: 105, lo: 105, status: assessment.CMMCNotEligible},
		{name: "no deduction when remote access is not permitted", changes: []change{{id: "AC.L2-3.1.12", status: nm, noDed: "remote access not permitted"}, {id: "AC.L2-3.1.13", status: na, noDed: "remote access not permitted"}},
			score: intp(110), complete: true, hi: 110, lo: 110, status: assessment.CMMCFinal},
		{name: "3.12.4 not met: no score", changes: []change{{id: "CA.L2-3.12.4", status: nm, poam: true}},
			score: nil, complete: true, hi: 110, lo: 110, status: assessment.CMMCNotEligible, reason: "no score without a system security plan"},
		{name: "barred from the POA&M: AC.L2-3.1.20", changes: []change{{id: "AC.L2-3.1.20", status: nm, poam: true}},
			score: intp(109), complete: true, hi: 109, lo: 109, status: assessment.CMMCNotEligible, reason: "not allowed on a POA&M (32 CFR 170.21(a)(2)(iii)): AC.L2-3.1.20"},
		{name: "barred from the POA&M: PE.L2-3.10.5", changes: []change{{id: "PE.L2-3.10.5", status: nm, poam: true}},
			score: intp(109), complete: true, hi: 109, lo: 109, status: assessment.CMMCNotEligible, reason: "PE.L2-3.10.5"},
		{name: "a not-met requirement on a POA&M still deducts, and one without a POA&M makes 3.12.2 not met", changes: []change{{id: "AC.L2-3.1.3", status: nm}},
			score: intp(106), complete: true, hi: 106, lo: 106, status: assessment.CMMCNotEligible, reason: "not met and not on the POA&M: AC.L2-3.1.3, CA.L2-3.12.2"},
		{name: "score below 88", changes: []change{
			{id: "AC.L2-3.1.1", status: nm, poam: true}, {id: "AC.L2-3.1.2", status: nm, poam: true}, {id: "AU.L2-3.3.1", status: nm, poam: true},
			{id: "AU.L2-3.3.5", status: nm, poam: true}, {id: "CM.L2-3.4.1", status: nm, poam: true}},
			score: intp(85), complete: true, hi: 85, lo: 85, status: assessment.CMMCNotEligible, reason: "below 0.8"},
		{name: "exactly 88 with 1-point items is conditional", changes: onepointers(22),
			score: intp(88), complete: true, hi: 88, lo: 88, status: assessment.CMMCConditional},
		{name: "87 is not", changes: onepointers(23),
			score: intp(87), complete: true, hi: 87, lo: 87, status: assessment.CMMCNotEligible, reason: "below 0.8"},
		{name: "not assessed gives a range", changes: []change{{id: "SI.L2-3.14.1", status: nas}, {id: "SC.L2-3.13.11", status: nas}, {id: "AC.L2-3.1.3", status: nm, poam: true}},
			score: nil, complete: false, hi: 109, lo: 99, status: assessment.CMMCIncomplete, reason: "between 99 and 109"},
		{name: "not eligible whatever the rest", changes: []change{{id: "SI.L2-3.14.1", status: nas}, {id: "AC.L2-3.1.22", status: nm, poam: true}},
			score: nil, complete: false, hi: 109, lo: 104, status: assessment.CMMCNotEligible, reason: "AC.L2-3.1.22"},
		{name: "3.12.4 not assessed", changes: []change{{id: "CA.L2-3.12.4", status: nas}},
			score: nil, complete: false, hi: 110, lo: 110, status: assessment.CMMCIncomplete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := level(t, 2, assessment.Met)
			apply(t, ps, tt.changes)
			s := Score(2, ps, guide(t), assessedAt)
			if (s.Score == nil) != (tt.score == nil) || s.Score != nil && *s.Score != *tt.score {
				t.Errorf("score = %v, want %v", deref(s.Score), deref(tt.score))
			}
			if s.Complete != tt.complete || s.IfUnassessedMet != tt.hi || s.IfUnassessedNotMet != tt.lo || s.Max != 110 {
				t.Errorf("complete %v range %d..%d max %d, want %v %d..%d", s.Complete, s.IfUnassessedNotMet, s.IfUnassessedMet, s.Max, tt.complete, tt.lo, tt.hi)
			}
			if s.Status != tt.status {
				t.Errorf("status %s, want %s (%v)", s.Status, tt.status, s.Reasons)
			}
			if tt.reason != "" && !strings.Contains(strings.Join(s.Reasons, "\n"), tt.reason) {
				t.Errorf("reasons %q lack %q", s.Reasons, tt.reason)
			}
			if s.POAMDeadline != tt.deadline && tt.deadline != "" {
				t.Errorf("deadline %s, want %s", s.POAMDeadline, tt.deadline)
			}
			if tt.status != assessment.CMMCConditional && s.POAMDeadline != "" {
				t.Errorf("deadline %s on a %s status", s.POAMDeadline, s.Status)
			}
			sum := 0
			for _, p := range ps {
				sum += p.Deducted
			}
			if s.Complete && sum != 110-s.IfUnassessedMet {
				t.Errorf("deductions sum to %d, score %d", sum, s.IfUnassessedMet)
			}
		})
	}
}

// onepointers puts the first n 1-point requirements (other than the ones
// barred from a POA&M) on the POA&M.
func onepointers(n int) []change {
	g, _ := catalogs.CMMC()
	var out []change
	for _, p := range g.Level(2) {
		v, _ := g.Value(p.Requirements171r2[0])
		if v.Value == 1 && !noPOAM[p.ID] && len(out) < n {
			out = append(out, change{id: p.ID, status: assessment.NotMet, poam: true})
		}
	}
	return out
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestScoreLevel1(t *testing.T) {
	ps := level(t, 1, assessment.Met)
	if s := Score(1, ps, guide(t), assessedAt); s.Status != assessment.CMMCFinal || s.Score != nil || !s.Complete {
		t.Errorf("all met: %+v", s)
	}
	ps[0].Status, ps[0].POAM = assessment.NotMet, true
	if s := Score(1, ps, guide(t), assessedAt); s.Status != assessment.CMMCNotEligible || !strings.Contains(s.Reasons[0], "no POA&M") {
		t.Errorf("not met on a POA&M: %+v", s)
	}
	ps[0].Status = assessment.PracticeNotAssessed
	if s := Score(1, ps, guide(t), assessedAt); s.Status != assessment.CMMCIncomplete || s.Complete {
		t.Errorf("not assessed: %+v", s)
	}
}

// TestScoreAgainstScoringTable decides every practice from the shared
// scoring CSV itself: the score must be 110 minus the sum of the values of
// the requirements not met, read straight from the methodology's table.
func TestScoreAgainstScoringTable(t *testing.T) {
	dir := sharedtest.Dir(t, "catalogs", "cmmc-2.0")
	f, err := os.Open(filepath.Join(dir, "dod-assessment-scoring-v1.2.1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]int{}
	for _, r := range rows[1:] {
		v, _ := strconv.Atoi(r[1])
		values[r[0]] = v
	}
	ps := level(t, 2, assessment.Met)
	want := 110
	// Every third requirement not met (on a POA&M), except 3.12.4.
	for i := range ps {
		if i%3 == 0 && ps[i].Requirements[0] != "3.12.4" {
			ps[i].Status, ps[i].POAM = assessment.NotMet, true
			want -= values[ps[i].Requirements[0]]
		}
	}
	s := Score(2, ps, guide(t), assessedAt)
	if s.Score == nil || *s.Score != want {
		t.Fatalf("score %v, want %d", deref(s.Score), want)
	}
	// And the whole table: every requirement not met gives 110 - 313.
	for i := range ps {
		if ps[i].Requirements[0] != "3.12.4" {
			ps[i].Status, ps[i].POAM = assessment.NotMet, true
		}
	}
	if s := Score(2, ps, guide(t), assessedAt); s.Score == nil || *s.Score != -203 {
		t.Errorf("lowest score %v, want -203", deref(s.Score))
	}
}
