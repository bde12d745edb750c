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
		Name: name, Title: "pedigree supply-chain assessment: " + a.Title, Version: a.Tool.Version, Maintainer: "pedigree",
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
		worst := ""
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
			worst = worse(worst, r.Status)
			ctl.Results = append(ctl.Results, r)
		}
		if worst != "" {
			tally[worst]++
		}
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
	return &Exec{
		Platform: Platform{Name: name, Release: a.Tool.Version, TargetID: strings.Join(targets, ",")},
		Version:  a.Tool.Version,
		Statistics: Statistics{Duration: dur, Controls: map[string]any{
			"passed": map[string]int{"total": tally["passed"]}, "failed": map[string]int{"total": tally["failed"] + tally["error"]},
			"skipped": map[string]int{"total": tally["skipped"]},
		}},
		Profiles: []Profile{p},
	}, nil
}

func worse(a, b string) string {
	rank := map[string]int{"": 0, "passed": 1, "skipped": 2, "failed": 3, "error": 4}
	if rank[b] > rank[a] {
		return b
	}
	return a
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
