// Package view derives what every human report shows from an Assessment:
// tallies per status, family and pillar, the POA&M items of open
// weaknesses, and the lookups writers need. It is shared by the report
// writers and by the run-to-run diff, so all of them agree.
package view

import (
	"sort"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
)

// ControlStatuses in the order reports list them.
var ControlStatuses = []assessment.ControlStatus{assessment.NotSatisfied, assessment.NotAssessed, assessment.Satisfied}

// FindingStatuses in the order reports list them.
var FindingStatuses = []evidence.Status{evidence.Fail, evidence.Error, evidence.NotAssessed, evidence.Pass, evidence.NotApplicable}

// Severities from the most to the least severe.
var Severities = []evidence.Severity{evidence.Critical, evidence.High, evidence.Medium, evidence.Low, evidence.Info}

// familyTitles are the SP 800-53 Rev 5 family names.
var familyTitles = map[string]string{
	"ac": "Access Control", "at": "Awareness and Training", "au": "Audit and Accountability",
	"ca": "Assessment, Authorization, and Monitoring", "cm": "Configuration Management",
	"cp": "Contingency Planning", "ia": "Identification and Authentication", "ir": "Incident Response",
	"ma": "Maintenance", "mp": "Media Protection", "pe": "Physical and Environmental Protection",
	"pl": "Planning", "pm": "Program Management", "ps": "Personnel Security",
	"pt": "PII Processing and Transparency", "ra": "Risk Assessment", "sa": "System and Services Acquisition",
	"sc": "System and Communications Protection", "si": "System and Information Integrity",
	"sr": "Supply Chain Risk Management",
}

// FamilyTitle names an SP 800-53 family (cm → Configuration Management).
func FamilyTitle(f string) string {
	if t, ok := familyTitles[strings.ToLower(f)]; ok {
		return t
	}
	return strings.ToUpper(f)
}

// Tally counts statuses under one key (a family, a pillar).
type Tally struct {
	Key    string
	Title  string
	Counts map[string]int
	Total  int
}

// Summary is the head of every report.
type Summary struct {
	Controls      map[assessment.ControlStatus]int
	ControlsTotal int
	Findings      map[evidence.Status]int
	FindingsTotal int
	// OpenBySeverity counts failing findings by severity.
	OpenBySeverity map[evidence.Severity]int
	Families       []Tally // control statuses per family, family order
	Pillars        []Tally // finding statuses per pillar
	Evidence       int
	// Verdict is PASS when no control is not-satisfied and no finding failed.
	Verdict string
}

// Summarize tallies an assessment.
func Summarize(a *assessment.Assessment) Summary {
	s := Summary{
		Controls:       map[assessment.ControlStatus]int{},
		Findings:       map[evidence.Status]int{},
		OpenBySeverity: map[evidence.Severity]int{},
		Evidence:       len(a.Evidence),
	}
	fam := map[string]*Tally{}
	for _, c := range a.Controls {
		s.Controls[c.Status]++
		s.ControlsTotal++
		key := c.Family
		if key == "" {
			key = familyOf(c.ID)
		}
		t := fam[key]
		if t == nil {
			t = &Tally{Key: key, Title: FamilyTitle(key), Counts: map[string]int{}}
			fam[key] = t
		}
		t.Counts[string(c.Status)]++
		t.Total++
	}
	pillarOf := map[string]string{}
	for _, c := range a.Checks {
		pillarOf[c.ID] = c.Pillar
	}
	pil := map[string]*Tally{}
	for _, f := range a.Findings {
		s.Findings[f.Status]++
		s.FindingsTotal++
		if f.Status == evidence.Fail {
			s.OpenBySeverity[f.Severity]++
		}
		p := pillarOf[f.CheckID]
		if p == "" {
			p = "engine"
		}
		t := pil[p]
		if t == nil {
			t = &Tally{Key: p, Title: p, Counts: map[string]int{}}
			pil[p] = t
		}
		t.Counts[string(f.Status)]++
		t.Total++
	}
	for _, t := range fam {
		s.Families = append(s.Families, *t)
	}
	sort.Slice(s.Families, func(i, j int) bool { return s.Families[i].Key < s.Families[j].Key })
	for _, t := range pil {
		s.Pillars = append(s.Pillars, *t)
	}
	sort.Slice(s.Pillars, func(i, j int) bool { return pillarRank(s.Pillars[i].Key) < pillarRank(s.Pillars[j].Key) })
	s.Verdict = "PASS"
	if s.Controls[assessment.NotSatisfied] > 0 || s.Findings[evidence.Fail] > 0 {
		s.Verdict = "FAIL"
	}
	return s
}

func pillarRank(p string) string {
	for i, q := range []string{"files", "sbom", "signing", "build"} {
		if p == q {
			return string(rune('0' + i))
		}
	}
	return "9" + p
}

func familyOf(id string) string {
	if i := strings.IndexByte(id, '-'); i > 0 {
		return id[:i]
	}
	return id
}

// Index holds the lookups writers need, built once.
type Index struct {
	Checks   map[string]*assessment.Check
	Findings map[string]*evidence.Finding
	Evidence map[string]*evidence.Evidence
	// ControlsOfFinding lists the labels of the controls a finding decided.
	ControlsOfFinding map[string][]string
	// ControlsOfCheck lists the labels of the controls in scope a check maps to.
	ControlsOfCheck map[string][]string
}

// NewIndex indexes an assessment.
func NewIndex(a *assessment.Assessment) *Index {
	x := &Index{
		Checks:            make(map[string]*assessment.Check, len(a.Checks)),
		Findings:          a.FindingByID(),
		Evidence:          a.EvidenceByID(),
		ControlsOfFinding: map[string][]string{},
		ControlsOfCheck:   map[string][]string{},
	}
	for i := range a.Checks {
		x.Checks[a.Checks[i].ID] = &a.Checks[i]
	}
	for _, c := range a.Controls {
		label := Label(c)
		for _, f := range c.Findings {
			x.ControlsOfFinding[f] = append(x.ControlsOfFinding[f], label)
		}
		for _, k := range c.Checks {
			x.ControlsOfCheck[k] = append(x.ControlsOfCheck[k], label)
		}
	}
	return x
}

// Label is the control's display id (SR-4(3)), falling back to the OSCAL id.
func Label(c assessment.ControlResult) string {
	if c.Label != "" {
		return c.Label
	}
	return strings.ToUpper(c.ID)
}

// CheckTitle is the title of a check, or its id when it is unknown.
func (x *Index) CheckTitle(id string) string {
	if c := x.Checks[id]; c != nil && c.Title != "" {
		return c.Title
	}
	return id
}

// Where says where a finding points: path:line:col, else its first subject.
func Where(f *evidence.Finding) string {
	if l := f.Location; l != nil {
		s := l.Path
		if l.Line > 0 {
			s += ":" + itoa(l.Line)
			if l.Column > 0 {
				s += ":" + itoa(l.Column)
			}
		}
		return s
	}
	if len(f.Subjects) > 0 {
		return f.Subjects[0].Ref
	}
	return ""
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// SortedFindings returns the findings ordered for reading: status (fail
// first), then severity (critical first), then check id, then id.
func SortedFindings(a *assessment.Assessment) []*evidence.Finding {
	out := make([]*evidence.Finding, len(a.Findings))
	for i := range a.Findings {
		out[i] = &a.Findings[i]
	}
	sort.SliceStable(out, func(i, j int) bool {
		fi, fj := out[i], out[j]
		if si, sj := statusRank(fi.Status), statusRank(fj.Status); si != sj {
			return si < sj
		}
		if ri, rj := fi.Severity.Rank(), fj.Severity.Rank(); ri != rj {
			return ri > rj
		}
		if fi.CheckID != fj.CheckID {
			return fi.CheckID < fj.CheckID
		}
		return fi.ID < fj.ID
	})
	return out
}

func statusRank(s evidence.Status) int {
	for i, t := range FindingStatuses {
		if s == t {
			return i
		}
	}
	return len(FindingStatuses)
}

// DueDays is the default time to remediate, per severity, from detection
// (the FedRAMP continuous-monitoring timelines: high 30, moderate 90, low 180).
var DueDays = map[evidence.Severity]int{
	evidence.Critical: 15, evidence.High: 30, evidence.Medium: 90, evidence.Low: 180, evidence.Info: 365,
}

// POAMItem is one open weakness in the plan of action and milestones: a
// control not satisfied, as in the OSCAL POA&M (same item UUID).
type POAMItem struct {
	// ID is stable across runs and equal to the OSCAL poam-item UUID.
	ID      string `json:"id"`
	Control string `json:"control"` // OSCAL id: sr-4.3
	Label   string `json:"label"`   // SR-4(3)
	// Weakness is the one-line name of the weakness.
	Weakness    string `json:"weakness"`
	Description string `json:"description"`
	// Source names the detecting checks (or the assessor) and the evidence.
	Source   string            `json:"source"`
	Severity evidence.Severity `json:"severity"`
	// Findings are the ids of the findings that decided the control.
	Findings            []string  `json:"findings,omitempty"`
	Detected            time.Time `json:"detected"`
	ScheduledCompletion time.Time `json:"scheduledCompletion"`
	Milestones          []string  `json:"milestones"`
	// Status is open, or closed in a diff.
	Status string `json:"status"`
}

// POAMID is the stable id of the POA&M item of a control, the UUID the OSCAL
// POA&M gives it.
func POAMID(controlID string) string { return evidence.StableUUID("oscal", "poam-item", controlID) }

// POAM lists one item per control not satisfied, in control order. due
// gives the days to remediate per severity; nil or missing severities use
// DueDays. The severity of an item is the highest of the findings that
// decided the control (medium for a manual determination alone).
func POAM(a *assessment.Assessment, due map[evidence.Severity]int) []POAMItem {
	x := NewIndex(a)
	var out []POAMItem
	for _, c := range a.Controls {
		if c.Status != assessment.NotSatisfied {
			continue
		}
		label := Label(c)
		sev := evidence.Severity("")
		var checks, paths, msgs []string
		seenCheck, seenPath := map[string]bool{}, map[string]bool{}
		for _, fid := range c.Findings {
			f := x.Findings[fid]
			if f == nil {
				continue
			}
			if sev == "" || f.Severity.Rank() > sev.Rank() {
				sev = f.Severity
			}
			if f.Status != evidence.Fail {
				continue
			}
			if !seenCheck[f.CheckID] {
				seenCheck[f.CheckID] = true
				checks = append(checks, f.CheckID)
			}
			if len(msgs) < 5 {
				msgs = append(msgs, f.CheckID+": "+f.Message)
			}
			for _, id := range f.Evidence {
				if e := x.Evidence[id]; e != nil {
					p := e.Source
					if e.Target != "" {
						p = e.Target + ":" + p
					}
					if !seenPath[p] && len(paths) < 10 {
						seenPath[p] = true
						paths = append(paths, p)
					}
				}
			}
		}
		if sev == "" {
			sev = evidence.Medium
		}
		src := "pedigree"
		if len(checks) > 0 {
			src = "pedigree checks " + strings.Join(checks, ", ")
		}
		if c.Manual != nil && c.Manual.Status == assessment.NotSatisfied {
			src += "; manual evidence by " + c.Manual.Assessor + " (" + c.Manual.Source + ")"
		}
		if len(paths) > 0 {
			src += " (evidence: " + strings.Join(paths, ", ") + ")"
		}
		desc := c.Reason
		if len(msgs) > 0 {
			desc += ": " + strings.Join(msgs, "; ")
		}
		var ms []string
		for _, k := range checks {
			ms = append(ms, "Remediate "+k+": "+remediation(x, k))
		}
		ms = append(ms, "Re-assess "+label+" with pedigree assess and close the item when it is satisfied")
		days, ok := due[sev]
		if !ok {
			days = DueDays[sev]
		}
		out = append(out, POAMItem{
			ID: POAMID(c.ID), Control: c.ID, Label: label,
			Weakness: label + " " + c.Title + " is not satisfied", Description: desc, Source: src, Severity: sev,
			Findings: c.Findings, Detected: a.StartedAt, ScheduledCompletion: a.StartedAt.AddDate(0, 0, days),
			Milestones: ms, Status: "open",
		})
	}
	return out
}

func remediation(x *Index, check string) string {
	if c := x.Checks[check]; c != nil && c.Remediation != "" {
		return c.Remediation
	}
	return "fix the weakness " + check + " reports"
}

// NumericVersion is a tool version that readers can compare: a version
// that does not start with a digit (a development build's "dev", "(devel)")
// becomes 0.0.0-<it>, so SARIF viewers and Heimdall do not show or sort it
// as a name.
func NumericVersion(v string) string {
	t := strings.TrimPrefix(v, "v")
	if t != "" && t[0] >= '0' && t[0] <= '9' {
		return v
	}
	var b strings.Builder
	for _, r := range t {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "0.0.0"
	}
	return "0.0.0-" + b.String()
}
