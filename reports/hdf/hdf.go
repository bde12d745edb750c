// Package hdf writes an assessment in MITRE's Heimdall Data Format (the
// InSpec "exec JSON" layout that Heimdall and the SAF CLI load): one HDF
// control per check, tagged with the SP 800-53 controls it evidences, and
// one result per finding.
package hdf

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/reports/view"
)

// Writer writes pedigree.hdf.json.
type Writer struct{}

func (Writer) Format() string   { return "hdf" }
func (Writer) Filename() string { return "pedigree.hdf.json" }

// Exec is the top level of an HDF file.
type Exec struct {
	Platform   Platform   `json:"platform"`
	Version    string     `json:"version"`
	Statistics Statistics `json:"statistics"`
	Profiles   []Profile  `json:"profiles"`
}

// Platform names what ran.
type Platform struct {
	Name     string `json:"name"`
	Release  string `json:"release"`
	TargetID string `json:"target_id,omitempty"`
}

// Statistics are the run's duration and control tallies.
type Statistics struct {
	Duration float64        `json:"duration"`
	Controls map[string]any `json:"controls,omitempty"`
}

// Profile is the set of checks that ran.
type Profile struct {
	Name       string           `json:"name"`
	Title      string           `json:"title"`
	Version    string           `json:"version"`
	Maintainer string           `json:"maintainer"`
	Summary    string           `json:"summary"`
	SHA256     string           `json:"sha256"`
	Status     string           `json:"status"`
	Supports   []map[string]any `json:"supports"`
	Attributes []map[string]any `json:"attributes"`
	Groups     []Group          `json:"groups"`
	Controls   []Control        `json:"controls"`
}

// Group lists the controls of one pillar.
type Group struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Controls []string `json:"controls"`
}

// Control is one pedigree check.
type Control struct {
	ID             string         `json:"id"`
	Title          string         `json:"title"`
	Desc           string         `json:"desc"`
	Descriptions   []Description  `json:"descriptions"`
	Impact         float64        `json:"impact"`
	Refs           []Ref          `json:"refs"`
	Tags           map[string]any `json:"tags"`
	Code           string         `json:"code"`
	SourceLocation SourceLocation `json:"source_location"`
	Results        []Result       `json:"results"`
}

// Description is a labelled text (default, check, fix).
type Description struct {
	Label string `json:"label"`
	Data  string `json:"data"`
}

// Ref is a reference to an external document.
type Ref struct {
	URL string `json:"url"`
}

// SourceLocation is where a control is defined.
type SourceLocation struct {
	Ref  string `json:"ref"`
	Line int    `json:"line"`
}

// Result is one finding.
type Result struct {
	Status      string  `json:"status"`
	CodeDesc    string  `json:"code_desc"`
	StartTime   string  `json:"start_time"`
	RunTime     float64 `json:"run_time"`
	Message     string  `json:"message,omitempty"`
	SkipMessage string  `json:"skip_message,omitempty"`
	Resource    string  `json:"resource,omitempty"`
	ResourceID  string  `json:"resource_id,omitempty"`
}

// Write renders a.
func (Writer) Write(ctx context.Context, w io.Writer, a *assessment.Assessment) error {
	e, err := Build(ctx, a)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("hdf: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Build makes the HDF document.
func Build(ctx context.Context, a *assessment.Assessment) (*Exec, error) {
	x := view.NewIndex(a)
	name := a.Tool.Name
	if name == "" {
		name = "pedigree"
	}
	var targets []string
	for _, t := range a.Targets {
		targets = append(targets, t.Name)
	}
	start := a.StartedAt.UTC().Format(time.RFC3339)
	byCheck := map[string][]*evidence.Finding{}
	for i := range a.Findings {
		f := &a.Findings[i]
		byCheck[f.CheckID] = append(byCheck[f.CheckID], f)
	}
	checks := append([]assessment.Check(nil), a.Checks...)
	known := map[string]bool{}
	for _, c := range checks {
		known[c.ID] = true
	}
	for _, f := range a.Findings {
		if !known[f.CheckID] {
			known[f.CheckID] = true
			checks = append(checks, assessment.Check{ID: f.CheckID, Title: f.CheckID, Severity: f.Severity, Pillar: "engine"})
		}
	}
	groups := map[string]*Group{}
	var order []string
	tally := map[string]int{}
	p := Profile{
		Name: name, Title: "pedigree supply-chain assessment: " + a.Title, Version: view.NumericVersion(a.Tool.Version), Maintainer: "pedigree",
		Summary: "Checks of software supply-chain integrity mapped to NIST SP 800-53 Rev 5 and SP 800-161 Rev 1.",
		Status:  "loaded", Supports: []map[string]any{}, Attributes: []map[string]any{},
	}
	for i, c := range checks {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ctl := Control{
			ID: c.ID, Title: c.Title, Desc: c.Rationale, Impact: impact(c.Severity), Refs: []Ref{},
			Code: "", SourceLocation: SourceLocation{Ref: "pedigree check " + c.ID}, Results: []Result{},
		}
		ctl.Descriptions = []Description{{Label: "default", Data: c.Rationale}}
		if c.Remediation != "" {
			ctl.Descriptions = append(ctl.Descriptions, Description{Label: "fix", Data: c.Remediation})
		}
		if c.Method != "" {
			ctl.Descriptions = append(ctl.Descriptions, Description{Label: "check", Data: "pedigree " + strings.ToLower(c.Method) + " of collected evidence"})
		}
		nist := []string{}
		for _, l := range x.ControlsOfCheck[c.ID] {
			nist = append(nist, nistTag(l))
		}
		if len(nist) == 0 {
			for _, id := range c.Controls {
				nist = append(nist, nistTag(strings.ToUpper(id)))
			}
		}
		sort.Strings(nist)
		ctl.Tags = map[string]any{"nist": uniq(nist), "severity": severityName(c.Severity), "pillar": c.Pillar}
		if c.Method != "" {
			ctl.Tags["method"] = c.Method
		}
		fs := byCheck[c.ID]
		sort.Slice(fs, func(i, j int) bool { return fs[i].ID < fs[j].ID })
		for _, f := range fs {
			r := Result{CodeDesc: codeDesc(f), StartTime: start, ResourceID: f.ID}
			if len(f.Subjects) > 0 {
				r.Resource = f.Subjects[0].Type
			}
			switch f.Status {
			case evidence.Pass:
				r.Status = "passed"
			case evidence.Fail:
				r.Status, r.Message = "failed", f.Message
			case evidence.Error:
				r.Status, r.Message = "error", f.Message
			case evidence.NotApplicable:
				r.Status, r.SkipMessage = "skipped", "not applicable: "+f.Message
			default:
				r.Status, r.SkipMessage = "skipped", "not assessed: "+f.Message
			}
			ctl.Results = append(ctl.Results, r)
		}
		// Heimdall calls a control without results a profile error: a
		// check that produced no finding is written as one skipped result,
		// which Heimdall shows as Not Reviewed.
		if len(ctl.Results) == 0 {
			ctl.Results = append(ctl.Results, Result{
				Status: "skipped", CodeDesc: c.ID + " not-assessed", StartTime: start,
				SkipMessage: "not assessed: the check produced no finding in this run (no evidence of the kind it reads was collected)",
			})
		}
		st := Status(fs)
		switch {
		case st == NotApplicable:
			// Heimdall (and InSpec) read impact 0 as "not applicable"; a
			// check that applied nowhere is written so.
			ctl.Impact = 0
			ctl.Tags["severity"] = "none"
		case ctl.Impact == 0:
			// An informational check that did run must not read as not
			// applicable: it gets the least impact Heimdall counts, and
			// keeps severity "none" through tags.severity, which Heimdall
			// prefers to the impact.
			ctl.Impact = 0.1
		}
		tally[st]++
		p.Controls = append(p.Controls, ctl)
		g := groups[c.Pillar]
		if g == nil {
			g = &Group{ID: "pillar/" + c.Pillar, Title: "pedigree " + c.Pillar + " checks", Controls: []string{}}
			groups[c.Pillar] = g
			order = append(order, c.Pillar)
		}
		g.Controls = append(g.Controls, c.ID)
	}
	for _, k := range order {
		p.Groups = append(p.Groups, *groups[k])
	}
	if p.Controls == nil {
		p.Controls = []Control{}
	}
	if p.Groups == nil {
		p.Groups = []Group{}
	}
	// The profile digest covers its controls, so two runs of the same
	// checks over the same findings agree.
	cb, err := json.Marshal(p.Controls)
	if err != nil {
		return nil, err
	}
	p.SHA256 = evidence.SHA256Hex(cb)
	dur := a.FinishedAt.Sub(a.StartedAt).Seconds()
	if dur < 0 {
		dur = 0
	}
	// Heimdall shows the platform as name and release run together; what
	// was assessed is the product named by the run's title, so it is the
	// name, and the release is left empty rather than glued to it.
	platform := a.Title
	if platform == "" {
		platform = "software supply chain"
	}
	return &Exec{
		Platform: Platform{Name: platform, Release: "", TargetID: strings.Join(targets, ",")},
		Version:  view.NumericVersion(a.Tool.Version),
		Statistics: Statistics{Duration: dur, Controls: map[string]any{
			"passed": map[string]int{"total": tally[Passed]}, "failed": map[string]int{"total": tally[Failed] + tally[ProfileError]},
			"skipped": map[string]int{"total": tally[NotReviewed] + tally[NotApplicable]},
		}},
		Profiles: []Profile{p},
	}, nil
}

// The statuses Heimdall gives an HDF control.
const (
	Passed        = "Passed"
	Failed        = "Failed"
	NotApplicable = "Not Applicable"
	NotReviewed   = "Not Reviewed"
	ProfileError  = "Profile Error"
)

// Status is the status Heimdall shows for the HDF control of a check with
// these findings, decided as Heimdall decides it (an error result first,
// then not applicable, failed, passed, skipped): any error is a profile
// error, any failure fails, any pass passes, findings that are all not
// applicable are not applicable, and anything else (not assessed, or no
// finding at all) is not reviewed.
func Status(fs []*evidence.Finding) string {
	has := map[evidence.Status]bool{}
	for _, f := range fs {
		has[f.Status] = true
	}
	switch {
	case has[evidence.Error]:
		return ProfileError
	case len(fs) > 0 && len(has) == 1 && has[evidence.NotApplicable]:
		return NotApplicable
	case has[evidence.Fail]:
		return Failed
	case has[evidence.Pass]:
		return Passed
	}
	return NotReviewed
}

func codeDesc(f *evidence.Finding) string {
	s := f.CheckID + " " + string(f.Status)
	if w := view.Where(f); w != "" {
		s += " at " + w
	}
	if f.Message != "" {
		s += ": " + f.Message
	}
	return s
}

// impact is HDF's 0–1 severity: Heimdall reads 0.7 as high, 0.5 as medium,
// 0.3 as low, ≥ 0.9 as critical, and 0 as none.
func impact(s evidence.Severity) float64 {
	switch s {
	case evidence.Critical:
		return 0.9
	case evidence.High:
		return 0.7
	case evidence.Medium:
		return 0.5
	case evidence.Low:
		return 0.3
	}
	return 0
}

func severityName(s evidence.Severity) string {
	if s == evidence.Info {
		return "none"
	}
	if s == "" {
		return "medium"
	}
	return string(s)
}

// nistTag writes a control label the way InSpec profiles tag NIST
// controls: SR-4(3) → "SR-4 (3)".
func nistTag(label string) string {
	if i := strings.IndexByte(label, '('); i > 0 && label[i-1] != ' ' {
		return label[:i] + " " + label[i:]
	}
	return label
}

func uniq(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
