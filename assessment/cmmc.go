package assessment

// PracticeStatus is the verdict on a CMMC practice or assessment objective.
type PracticeStatus string

const (
	Met           PracticeStatus = "met"
	NotMet        PracticeStatus = "not-met"
	NotApplicable PracticeStatus = "not-applicable"
	// PracticeNotAssessed: neither automation nor the assessor decided it.
	PracticeNotAssessed PracticeStatus = "not-assessed"
)

// Conditional-status verdicts of a CMMC assessment (32 CFR 170.21).
const (
	CMMCFinal       = "final"
	CMMCConditional = "conditional"
	CMMCNotEligible = "not-eligible"
	CMMCIncomplete  = "incomplete"
)

// CMMC is the CMMC view of an assessment: the practices of one level, their
// assessment objectives, and the SPRS score. The CMMC stage computes it
// from the control results and the manual evidence; reports only read it.
type CMMC struct {
	// Level is 1 or 2.
	Level     int              `json:"level"`
	Practices []PracticeResult `json:"practices"`
	Score     SPRSScore        `json:"score"`
	// Source names the data the objectives and values come from.
	Source string `json:"source"`
}

// PracticeResult is the verdict on one practice.
type PracticeResult struct {
	ID    string `json:"id"` // AC.L2-3.1.1
	Title string `json:"title"`
	// Requirements are the SP 800-171 Rev 2 requirements (3.1.1; Level 1
	// PE.L1-b.1.ix carries three).
	Requirements []string       `json:"requirements"`
	Status       PracticeStatus `json:"status"`
	Reason       string         `json:"reason"`
	// Value is the SPRS value (Level 2); Deducted what this practice took
	// from the score (0 while not assessed).
	Value    int `json:"value,omitempty"`
	Deducted int `json:"deducted"`
	// Partial is set when the assessor recorded a partial implementation
	// (3.5.3, 3.13.11); NoDeduction holds the methodology's reason not to
	// deduct (remote access not permitted).
	Partial     bool   `json:"partial,omitempty"`
	NoDeduction string `json:"noDeduction,omitempty"`
	// POAM is set when the practice is on the plan of action; Planned is
	// the planned completion date.
	POAM       bool              `json:"poam"`
	Planned    string            `json:"poamPlanned,omitempty"`
	Objectives []ObjectiveResult `json:"objectives"`
	// Controls are the SP 800-53 Rev 5 controls the practice maps to.
	Controls []string `json:"controls,omitempty"`
	// Examine, Interview and Test are the assessment objects SP 800-171A
	// names, given while the practice is not assessed.
	Examine   []string        `json:"examine,omitempty"`
	Interview []string        `json:"interview,omitempty"`
	Test      []string        `json:"test,omitempty"`
	Manual    *PracticeManual `json:"manual,omitempty"`
}

// ObjectivesMet counts the objectives met and in all.
func (p *PracticeResult) ObjectivesMet() (met, total int) {
	for _, o := range p.Objectives {
		if o.Status == Met || o.Status == NotApplicable {
			met++
		}
	}
	return met, len(p.Objectives)
}

// ObjectiveResult is the verdict on one assessment objective.
type ObjectiveResult struct {
	ID     string         `json:"id"` // AC.L2-3.1.1[a]
	Text   string         `json:"text"`
	Status PracticeStatus `json:"status"`
	Reason string         `json:"reason"`
	// Controls and Checks are the control results and checks that decided
	// the objective; Findings the findings among them; Rationales why each
	// bears on the objective.
	Controls   []string        `json:"controls,omitempty"`
	Checks     []string        `json:"checks,omitempty"`
	Findings   []string        `json:"findings,omitempty"`
	Rationales []string        `json:"rationales,omitempty"`
	Manual     *PracticeManual `json:"manual,omitempty"`
}

// PracticeManual is what an assessor recorded for a practice or objective.
type PracticeManual struct {
	Status      PracticeStatus `json:"status"`
	Statement   string         `json:"statement"`
	References  []string       `json:"references,omitempty"`
	Assessor    string         `json:"assessor"`
	Date        string         `json:"date"`
	Partial     bool           `json:"partial,omitempty"`
	NoDeduction string         `json:"noDeduction,omitempty"`
	Planned     string         `json:"poamPlanned,omitempty"`
	Source      string         `json:"source"`
	Line        int            `json:"line"`
	SHA256      string         `json:"sha256"`
}

// SPRSScore is the NIST SP 800-171 DoD Assessment Methodology score and the
// conditional-status verdict.
type SPRSScore struct {
	// Score is nil when there is none: Level 1, 3.12.4 not met, or while
	// any practice is not assessed (then see the range).
	Score    *int `json:"score"`
	Complete bool `json:"complete"`
	// IfUnassessedMet and IfUnassessedNotMet bound the score while
	// practices are not assessed.
	IfUnassessedMet    int    `json:"scoreIfUnassessedMet"`
	IfUnassessedNotMet int    `json:"scoreIfUnassessedNotMet"`
	Max                int    `json:"max"`
	Status             string `json:"status"`
	// Reasons explain the status, one a line.
	Reasons []string `json:"reasons"`
	// POAMDeadline is the closeout date (180 days after the assessment)
	// of a conditional status.
	POAMDeadline string `json:"poamDeadline,omitempty"`
	// Counts of practices by status.
	Counts map[PracticeStatus]int `json:"counts"`
}
