// Package diff compares two pedigree runs, keyed by the stable ids that
// runs over unchanged input share (finding ids, control ids, POA&M item
// ids): new, fixed and regressed findings, control status changes, and the
// POA&M items carried forward (still open) or closed by the newer run.
package diff

import (
	"sort"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
)

// RunInfo names a compared run.
type RunInfo struct {
	Source    string    `json:"source"`
	Kind      string    `json:"kind"`
	RunID     string    `json:"runId"`
	Title     string    `json:"title,omitempty"`
	StartedAt time.Time `json:"startedAt"`
}

// FindingChange is one finding whose standing changed.
type FindingChange struct {
	ID       string `json:"id"`
	Check    string `json:"check"`
	Old      string `json:"oldStatus,omitempty"`
	New      string `json:"newStatus,omitempty"`
	Severity string `json:"severity,omitempty"`
	Message  string `json:"message,omitempty"`
	Where    string `json:"where,omitempty"`
}

// ControlChange is one control whose status changed (or that entered or
// left the scope: the missing side is empty).
type ControlChange struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Title string `json:"title,omitempty"`
	Old   string `json:"oldStatus,omitempty"`
	New   string `json:"newStatus,omitempty"`
}

// POAMChange is one POA&M item across the two runs.
type POAMChange struct {
	ID       string    `json:"id"`
	Control  string    `json:"control"`
	Label    string    `json:"label"`
	Weakness string    `json:"weakness,omitempty"`
	Severity string    `json:"severity,omitempty"`
	Detected time.Time `json:"detected"`
	// Status is open (still open or newly opened) or closed.
	Status string `json:"status"`
	// ClosedBy is the run id that closed the item.
	ClosedBy string `json:"closedBy,omitempty"`
}

// Report is the difference between two runs.
type Report struct {
	Old RunInfo `json:"old"`
	New RunInfo `json:"new"`
	// NewFindings fail (or error) in the new run and were not in the old.
	NewFindings []FindingChange `json:"newFindings"`
	// Regressed were in the old run without failing and now fail.
	Regressed []FindingChange `json:"regressed"`
	// Fixed failed in the old run and no longer do (or are gone).
	Fixed []FindingChange `json:"fixed"`
	// Changed are other status changes (pass → not-assessed, ...).
	Changed  []FindingChange `json:"changed"`
	Controls []ControlChange `json:"controls"`
	// POAM items: StillOpen carry their first detection date forward.
	StillOpen []POAMChange `json:"poamStillOpen"`
	Opened    []POAMChange `json:"poamOpened"`
	Closed    []POAMChange `json:"poamClosed"`
	// CMMC compares the SPRS score, status and practices when both runs
	// assessed the same CMMC level.
	CMMC *CMMCChange `json:"cmmc,omitempty"`
}

// Worse is true when the new run has new or regressed failing findings, a
// control that became not satisfied, or a CMMC practice that became not
// met.
func (r *Report) Worse() bool {
	if len(r.NewFindings) > 0 || len(r.Regressed) > 0 {
		return true
	}
	for _, c := range r.Controls {
		if c.New == string(assessment.NotSatisfied) && c.Old != c.New {
			return true
		}
	}
	if r.CMMC != nil {
		for _, p := range r.CMMC.Practices {
			if p.New == string(assessment.NotMet) {
				return true
			}
		}
	}
	return false
}

func failing(s string) bool { return s == "fail" || s == "error" }

// observationKey is the id an OSCAL assessment-results file gives a
// finding: the UUID of its observation.
func observationKey(findingID string) string {
	return evidence.StableUUID("oscal", "observation", findingID)
}

func isAR(r *Run) bool { return strings.Contains(r.Kind, "oscal-ar") }

// byObservation re-keys a run's findings the way assessment-results does.
func byObservation(r *Run) *Run {
	c := *r
	c.Findings = make(map[string]Finding, len(r.Findings))
	for id, f := range r.Findings {
		f.ID = observationKey(id)
		c.Findings[f.ID] = f
	}
	return &c
}

// Compare diffs two runs. When one run comes from assessment-results and
// the other from pedigree.json, findings are matched by observation UUID.
func Compare(old, cur *Run) *Report {
	if isAR(old) && !isAR(cur) {
		cur = byObservation(cur)
	} else if isAR(cur) && !isAR(old) {
		old = byObservation(old)
	}
	rep := &Report{
		Old: RunInfo{Source: old.Source, Kind: old.Kind, RunID: old.RunID, Title: old.Title, StartedAt: old.StartedAt},
		New: RunInfo{Source: cur.Source, Kind: cur.Kind, RunID: cur.RunID, Title: cur.Title, StartedAt: cur.StartedAt},
	}
	for id, n := range cur.Findings {
		o, had := old.Findings[id]
		ch := FindingChange{ID: id, Check: n.Check, Old: o.Status, New: n.Status, Severity: n.Severity, Message: n.Message, Where: n.Where}
		switch {
		case !had && failing(n.Status):
			rep.NewFindings = append(rep.NewFindings, ch)
		case had && !failing(o.Status) && failing(n.Status):
			rep.Regressed = append(rep.Regressed, ch)
		case had && failing(o.Status) && !failing(n.Status):
			rep.Fixed = append(rep.Fixed, ch)
		case had && o.Status != n.Status:
			rep.Changed = append(rep.Changed, ch)
		}
	}
	for id, o := range old.Findings {
		if _, ok := cur.Findings[id]; !ok && failing(o.Status) {
			rep.Fixed = append(rep.Fixed, FindingChange{ID: id, Check: o.Check, Old: o.Status, Severity: o.Severity, Message: o.Message, Where: o.Where})
		}
	}
	for id, n := range cur.Controls {
		o, had := old.Controls[id]
		if !had || o.Status != n.Status {
			rep.Controls = append(rep.Controls, ControlChange{ID: id, Label: n.Label, Title: n.Title, Old: o.Status, New: n.Status})
		}
	}
	for id, o := range old.Controls {
		if _, ok := cur.Controls[id]; !ok {
			rep.Controls = append(rep.Controls, ControlChange{ID: id, Label: o.Label, Title: o.Title, Old: o.Status})
		}
	}
	for id, n := range cur.POAM {
		c := POAMChange{ID: id, Control: n.Control, Label: n.Label, Weakness: n.Weakness, Severity: string(n.Severity), Detected: n.Detected, Status: "open"}
		if o, ok := old.POAM[id]; ok {
			if !o.Detected.IsZero() && (c.Detected.IsZero() || o.Detected.Before(c.Detected)) {
				c.Detected = o.Detected
			}
			rep.StillOpen = append(rep.StillOpen, c)
		} else {
			rep.Opened = append(rep.Opened, c)
		}
	}
	for id, o := range old.POAM {
		if _, ok := cur.POAM[id]; !ok {
			rep.Closed = append(rep.Closed, POAMChange{ID: id, Control: o.Control, Label: o.Label, Weakness: o.Weakness, Severity: string(o.Severity), Detected: o.Detected, Status: "closed", ClosedBy: cur.RunID})
		}
	}
	rep.CMMC = compareCMMC(old.CMMC, cur.CMMC)
	for _, l := range [][]FindingChange{rep.NewFindings, rep.Regressed, rep.Fixed, rep.Changed} {
		sortFindings(l)
	}
	sort.Slice(rep.Controls, func(i, j int) bool { return rep.Controls[i].ID < rep.Controls[j].ID })
	for _, l := range [][]POAMChange{rep.StillOpen, rep.Opened, rep.Closed} {
		sort.Slice(l, func(i, j int) bool { return l[i].Control < l[j].Control })
	}
	return rep
}

func sevRank(s string) int {
	switch s {
	case "critical":
		return 0
	case "high":
		return 1
	case "medium":
		return 2
	case "low":
		return 3
	}
	return 4
}

func sortFindings(l []FindingChange) {
	sort.Slice(l, func(i, j int) bool {
		if a, b := sevRank(l[i].Severity), sevRank(l[j].Severity); a != b {
			return a < b
		}
		if l[i].Check != l[j].Check {
			return l[i].Check < l[j].Check
		}
		return l[i].ID < l[j].ID
	})
}
