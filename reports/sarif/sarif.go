// Package sarif writes an assessment's failing findings as SARIF 2.1.0 for
// GitHub code scanning and other SARIF viewers: one rule per check (help
// text, severity, control tags) and one result per failing finding, anchored
// at the file and line the finding names.
package sarif

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"

	gosarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/reports/view"
)

// InformationURI is the tool's home page in every SARIF file.
const InformationURI = "https://github.com/pedigree-dev/pedigree"

// SourceRoot is the uriBaseId relative target paths are declared against:
// the folder pedigree ran in, which code scanning takes as the repository
// root.
const SourceRoot = "%SRCROOT%"

// FingerprintKey names the stable finding id in partialFingerprints, so that
// code scanning tracks one alert across runs.
const FingerprintKey = "pedigreeFindingId/v1"

// Writer writes pedigree.sarif.
type Writer struct {
	// IncludePass adds passing findings as results of kind "pass".
	IncludePass bool
}

func (*Writer) Format() string   { return "sarif" }
func (*Writer) Filename() string { return "pedigree.sarif" }

// Write renders a.
func (w *Writer) Write(ctx context.Context, out io.Writer, a *assessment.Assessment) error {
	rep, err := Build(ctx, a, w.IncludePass)
	if err != nil {
		return err
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	b, err = omitUnset(b)
	if err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	b = append(b, '\n')
	_, err = out.Write(b)
	return err
}

// sentinels are the SARIF properties whose value -1 means "unset" (§3.4,
// §3.27.24, §3.30): go-sarif writes them literally on every location, region
// and result, and the SARIF Multitool (SARIF2004) asks for them to be left
// out.
var sentinels = map[string]bool{
	"index": true, "ruleIndex": true, "parentIndex": true, "id": true, "rank": true,
	"byteOffset": true, "charOffset": true, "toolComponentIndex": true,
}

// omitUnset drops the unset sentinels and the empty arrays go-sarif writes
// for every optional list, outside property bags (whose values are data).
// results stays even when empty: an empty list says the run found nothing.
func omitUnset(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, c := range t {
				if m, ok := c.(map[string]any); ok && k == "properties" {
					if len(m) == 0 {
						delete(t, k)
					}
					continue
				}
				if n, ok := c.(json.Number); ok && sentinels[k] && n.String() == "-1" {
					delete(t, k)
					continue
				}
				if a, ok := c.([]any); ok && len(a) == 0 && k != "results" {
					delete(t, k)
					continue
				}
				if m, ok := c.(map[string]any); ok && len(m) == 0 {
					delete(t, k)
					continue
				}
				walk(c)
			}
		case []any:
			for _, c := range t {
				walk(c)
			}
		}
	}
	walk(doc)
	// The log's version and schema come first, as SARIF files usually
	// begin, whatever the map order.
	top, _ := doc.(map[string]any)
	return json.MarshalIndent(struct {
		Version string `json:"version"`
		Schema  any    `json:"$schema,omitempty"`
		Runs    any    `json:"runs"`
		Props   any    `json:"properties,omitempty"`
	}{fmt.Sprint(top["version"]), top["$schema"], top["runs"], top["properties"]}, "", "  ")
}

// Build makes the SARIF report.
func Build(ctx context.Context, a *assessment.Assessment, includePass bool) (*gosarif.Report, error) {
	x := view.NewIndex(a)
	rep := gosarif.NewReport()
	name := a.Tool.Name
	if name == "" {
		name = "pedigree"
	}
	run := gosarif.NewRunWithInformationURI(name, InformationURI)
	// SARIF viewers compare tool versions numerically (SARIF2005): a build
	// without a release version ("dev") is written as 0.0.0-dev.
	version := view.NumericVersion(a.Tool.Version)
	run.Tool.Driver.WithVersion(version)
	if semverish(version) {
		run.Tool.Driver.WithSemanticVersion(strings.TrimPrefix(version, "v"))
	}
	run.Tool.Driver.WithOrganization("pedigree")
	run.WithColumnKind("unicodeCodePoints")

	// Rules: every check that ran, then any check a finding names that the
	// run did not describe (the engine's own error findings).
	ids := make([]string, 0, len(a.Checks))
	seen := map[string]bool{}
	for _, c := range a.Checks {
		if !seen[c.ID] {
			seen[c.ID] = true
			ids = append(ids, c.ID)
		}
	}
	for _, f := range a.Findings {
		if !seen[f.CheckID] {
			seen[f.CheckID] = true
			ids = append(ids, f.CheckID)
		}
	}
	ruleIndex := map[string]int{}
	for i, id := range ids {
		ruleIndex[id] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule(id, x))
	}

	// Target roots, so that viewers can resolve paths relative to a target.
	// A target given as a relative path is relative to where pedigree ran
	// (in CI, the checkout): it is declared relative to %SRCROOT%, which
	// code scanning resolves to the repository root, rather than made into
	// a file URI that names a folder of the machine that ran it.
	run.OriginalUriBaseIds = map[string]gosarif.ArtifactLocation{}
	for _, t := range a.Targets {
		if t.Path == "" || t.Name == "" {
			continue
		}
		p := strings.TrimSuffix(toSlash(t.Path), "/") + "/"
		al := gosarif.NewArtifactLocation()
		switch {
		case strings.HasPrefix(p, "/") || len(p) > 2 && p[1] == ':':
			if !strings.HasPrefix(p, "/") {
				p = "/" + p
			}
			al.WithURI((&url.URL{Scheme: "file", Path: p}).String())
		case p == "./":
			continue
		default:
			al.WithURI(uriOf(p) + "/").WithURIBaseID(SourceRoot)
		}
		run.AddOriginalUriBaseId(baseID(t.Name), *al)
	}

	for i, f := range view.SortedFindings(a) {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var kind, level string
		switch {
		case f.Status == evidence.Fail:
			kind, level = "fail", levelOf(f.Severity)
		case f.Status == evidence.Pass && includePass:
			kind, level = "pass", "none"
		default:
			continue
		}
		res := gosarif.NewRuleResult(f.CheckID).WithRuleIndex(ruleIndex[f.CheckID]).WithKind(kind).WithLevel(level).
			WithMessage(gosarif.NewTextMessage(message(f))).WithRank(-1)
		res.WithPartialFingerprints(map[string]string{FingerprintKey: f.ID})
		res.WithLocations([]*gosarif.Location{location(f, x)})
		props := gosarif.NewPropertyBag()
		props.Add("severity", string(f.Severity)).Add("status", string(f.Status)).Add("findingId", f.ID)
		if cs := x.ControlsOfFinding[f.ID]; len(cs) > 0 {
			props.Add("controls", cs)
		}
		if len(f.Evidence) > 0 {
			props.Add("evidence", f.Evidence)
		}
		res.WithProperties(props)
		run.AddResult(res)
	}

	inv := gosarif.NewInvocation().WithExecutionSuccessful(true)
	if !a.StartedAt.IsZero() {
		inv.WithStartTimeUtc(a.StartedAt.UTC().Format(time.RFC3339))
	}
	if !a.FinishedAt.IsZero() {
		inv.WithEndTimeUtc(a.FinishedAt.UTC().Format(time.RFC3339))
	}
	// Findings with status error are problems of the run, not weaknesses
	// in the code: they are tool execution notifications.
	for _, f := range view.SortedFindings(a) {
		if f.Status != evidence.Error {
			continue
		}
		n := gosarif.NewNotification().WithLevel("error").WithMessage(gosarif.NewTextMessage(f.Message))
		n.WithAssociatedRule(gosarif.NewReportingDescriptorReference().WithID(f.CheckID).WithIndex(ruleIndex[f.CheckID]))
		inv.AddToolExecutionNotification(n)
	}
	run.AddInvocation(inv)
	run.WithAutomationDetails(gosarif.NewRunAutomationDetails().WithID("pedigree/" + a.RunID))
	rep.AddRun(run)
	return rep, nil
}

func rule(id string, x *view.Index) *gosarif.ReportingDescriptor {
	r := gosarif.NewRule(id)
	c := x.Checks[id]
	title, rationale, remediation, sev, pillar, method := id, "", "", evidence.Medium, "", ""
	if c != nil {
		title, rationale, remediation, sev, pillar, method = c.Title, c.Rationale, c.Remediation, c.Severity, c.Pillar, c.Method
	}
	r.WithName(ruleName(id))
	r.WithShortDescription(gosarif.NewMultiformatMessageString().WithText(title))
	if rationale != "" {
		r.WithFullDescription(gosarif.NewMultiformatMessageString().WithText(rationale))
	}
	controls := x.ControlsOfCheck[id]
	if len(controls) == 0 && c != nil {
		for _, ctl := range c.Controls {
			controls = append(controls, strings.ToUpper(ctl))
		}
	}
	var text, md strings.Builder
	fmt.Fprintf(&text, "%s\n\n", title)
	fmt.Fprintf(&md, "**%s**\n\n", title)
	if rationale != "" {
		fmt.Fprintf(&text, "Why: %s\n\n", rationale)
		fmt.Fprintf(&md, "**Why.** %s\n\n", rationale)
	}
	if remediation != "" {
		fmt.Fprintf(&text, "Fix: %s\n\n", remediation)
		fmt.Fprintf(&md, "**Fix.** %s\n\n", remediation)
	}
	if len(controls) > 0 {
		fmt.Fprintf(&text, "NIST SP 800-53 Rev 5: %s", strings.Join(controls, ", "))
		fmt.Fprintf(&md, "**NIST SP 800-53 Rev 5:** %s", strings.Join(controls, ", "))
	}
	r.WithHelp(gosarif.NewMultiformatMessageString().WithText(strings.TrimSpace(text.String())).WithMarkdown(strings.TrimSpace(md.String())))
	r.WithDefaultConfiguration(&gosarif.ReportingConfiguration{Enabled: true, Level: levelOf(sev), Rank: -1})
	tags := []string{"security", "supply-chain"}
	if pillar != "" {
		tags = append(tags, "pillar/"+pillar)
	}
	for _, ctl := range controls {
		tags = append(tags, "NIST-800-53/"+ctl)
	}
	tags = uniq(tags)
	props := gosarif.NewPropertyBag().WithTags(tags)
	props.Add("security-severity", securitySeverity(sev))
	props.Add("problem.severity", problemSeverity(sev))
	props.Add("precision", "high")
	if method != "" {
		props.Add("method", method)
	}
	r.WithProperties(props)
	return r
}

func location(f *evidence.Finding, x *view.Index) *gosarif.Location {
	uri, base := "", ""
	var region *gosarif.Region
	if l := f.Location; l != nil && l.Path != "" {
		uri = l.Path
		if l.Line > 0 {
			region = gosarif.NewRegion().WithStartLine(l.Line)
			if l.Column > 0 {
				region.WithStartColumn(l.Column)
			}
		}
	}
	// The evidence says which target the path is relative to, and gives a
	// path when the finding has no location.
	var size int64 = -1
	for _, id := range f.Evidence {
		if e := x.Evidence[id]; e != nil {
			if base == "" && e.Target != "" {
				base = e.Target
			}
			if uri == "" && e.Source != "" && !strings.Contains(e.Source, "://") {
				uri = e.Source
			}
			if size < 0 && e.Source != "" && toSlash(e.Source) == toSlash(uri) {
				size = e.Size
			}
		}
	}
	// A finding about a whole file (an SBOM, an archive, a signature) is
	// anchored at the whole file: its bytes as the evidence measured them.
	// Code scanning places the alert at the file's first line.
	if region == nil && size >= 0 {
		region = gosarif.NewRegion().WithStartLine(1).WithByteOffset(0).WithByteLength(int(size))
	}
	if uri == "" {
		for _, s := range f.Subjects {
			if s.Ref != "" && !strings.Contains(s.Ref, "://") {
				uri = s.Ref
				break
			}
		}
	}
	if uri == "" {
		uri = "."
	}
	al := gosarif.NewArtifactLocation().WithURI(uriOf(uri)).WithIndex(-1)
	if base != "" {
		al.WithURIBaseID(baseID(base))
	}
	pl := gosarif.NewPhysicalLocation().WithArtifactLocation(al)
	if region != nil {
		pl.WithRegion(region)
	}
	loc := gosarif.NewLocationWithPhysicalLocation(pl)
	loc.ID = -1
	return loc
}

// uriOf makes a relative path a relative URI reference.
func uriOf(p string) string {
	p = path.Clean(toSlash(p))
	u := url.URL{Path: p}
	return u.String()
}

func toSlash(p string) string { return strings.ReplaceAll(p, `\`, "/") }

// baseID names a target's root as a SARIF uriBaseId.
func baseID(target string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(target) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return "TARGET_" + b.String()
}

func message(f *evidence.Finding) string {
	m := f.Message
	if m == "" {
		m = f.CheckID + " " + string(f.Status)
	}
	return m
}

func levelOf(s evidence.Severity) string {
	switch s {
	case evidence.Critical, evidence.High:
		return "error"
	case evidence.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is the CVSS-like score GitHub code scanning reads to
// rank alerts (critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low < 4.0).
func securitySeverity(s evidence.Severity) string {
	switch s {
	case evidence.Critical:
		return "9.5"
	case evidence.High:
		return "8.0"
	case evidence.Medium:
		return "5.5"
	case evidence.Low:
		return "3.0"
	}
	return "0.0"
}

func problemSeverity(s evidence.Severity) string {
	switch s {
	case evidence.Critical, evidence.High:
		return "error"
	case evidence.Medium:
		return "warning"
	}
	return "recommendation"
}

// ruleName turns CI-TEMPLATE-INJECTION into CiTemplateInjection.
func ruleName(id string) string {
	var b strings.Builder
	up := true
	for _, r := range strings.ToLower(id) {
		if r == '-' || r == '_' || r == '.' {
			up = true
			continue
		}
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	return b.String()
}

func semverish(v string) bool {
	v = strings.TrimPrefix(v, "v")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts[:2] {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out[2:])
	return out
}
