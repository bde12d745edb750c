// Package markdown writes a short Markdown report of an assessment that fits
// a pull-request comment or a CI job summary: the verdict, the tallies, the
// controls not satisfied and the most severe failing findings.
package markdown

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/reports/view"
)

// MaxBytes bounds the report: GitHub refuses comments over 65,536
// characters, so lists are cut to stay under it.
const MaxBytes = 60000

// Writer writes pedigree.md.
type Writer struct {
	// MaxFindings bounds the failing findings listed (default 50).
	MaxFindings int
}

// New returns a Markdown writer listing at most maxFindings findings
// (0 means 50).
func New(maxFindings int) *Writer { return &Writer{MaxFindings: maxFindings} }

func (*Writer) Format() string   { return "md" }
func (*Writer) Filename() string { return "pedigree.md" }

// Write renders a.
func (w *Writer) Write(ctx context.Context, out io.Writer, a *assessment.Assessment) error {
	max := w.MaxFindings
	if max <= 0 {
		max = 50
	}
	s := view.Summarize(a)
	var b strings.Builder
	title := a.Title
	if title == "" {
		title = "assessment"
	}
	fmt.Fprintf(&b, "## pedigree: %s\n\n", cell(title))
	mark := "✅"
	if s.Verdict != "PASS" {
		mark = "❌"
	}
	fmt.Fprintf(&b, "%s **%s** · %d controls · %d findings · %d evidence · %s %s · run %s · %s\n\n",
		mark, s.Verdict, s.ControlsTotal, s.FindingsTotal, s.Evidence, cell(a.Tool.Name), cell(a.Tool.Version), code(a.RunID), a.StartedAt.UTC().Format("2006-01-02 15:04:05Z"))
	if sc := scope(a); sc != "" {
		fmt.Fprintf(&b, "Scope: %s\n\n", sc)
	}
	cmmcSection(&b, a, max)

	b.WriteString("| Controls | not-satisfied | not-assessed | satisfied | total |\n|---|--:|--:|--:|--:|\n")
	fmt.Fprintf(&b, "| all | %d | %d | %d | %d |\n", s.Controls[assessment.NotSatisfied], s.Controls[assessment.NotAssessed], s.Controls[assessment.Satisfied], s.ControlsTotal)
	b.WriteString("\n| Findings | fail | error | not-assessed | pass | not-applicable | total |\n|---|--:|--:|--:|--:|--:|--:|\n")
	for _, p := range s.Pillars {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d |\n", cell(p.Key), p.Counts["fail"], p.Counts["error"], p.Counts["not-assessed"], p.Counts["pass"], p.Counts["not-applicable"], p.Total)
	}
	fmt.Fprintf(&b, "| **all** | **%d** | **%d** | **%d** | **%d** | **%d** | **%d** |\n\n", s.Findings[evidence.Fail], s.Findings[evidence.Error], s.Findings[evidence.NotAssessed], s.Findings[evidence.Pass], s.Findings[evidence.NotApplicable], s.FindingsTotal)
	var sev []string
	for _, v := range view.Severities {
		sev = append(sev, fmt.Sprintf("%s %d", v, s.OpenBySeverity[v]))
	}
	fmt.Fprintf(&b, "Failing findings by severity: %s\n", strings.Join(sev, " · "))

	// Controls not satisfied.
	var ns []assessment.ControlResult
	for _, c := range a.Controls {
		if c.Status == assessment.NotSatisfied {
			ns = append(ns, c)
		}
	}
	if len(ns) > 0 {
		fmt.Fprintf(&b, "\n### Controls not satisfied (%d)\n\n| Control | Title | Why |\n|---|---|---|\n", len(ns))
		for i, c := range ns {
			if i == max || b.Len() > MaxBytes/3 {
				fmt.Fprintf(&b, "| … | %d more in the full report | |\n", len(ns)-i)
				break
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(view.Label(c)), cell(c.Title), cell(c.Reason))
		}
	}

	// Failing and erroring findings, most severe first.
	var open []*evidence.Finding
	for _, f := range view.SortedFindings(a) {
		if f.Status == evidence.Fail || f.Status == evidence.Error {
			open = append(open, f)
		}
	}
	if len(open) > 0 {
		fmt.Fprintf(&b, "\n### Findings to fix (%d)\n\n| Severity | Status | Check | Where | Message |\n|---|---|---|---|---|\n", len(open))
		for i, f := range open {
			if err := ctx.Err(); err != nil {
				return err
			}
			if i == max || b.Len() > MaxBytes*9/10 {
				fmt.Fprintf(&b, "| | | … %d more in the full report | | |\n", len(open)-i)
				break
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", f.Severity, f.Status, code(f.CheckID), code(view.Where(f)), cell(f.Message))
		}
	}
	na := s.Controls[assessment.NotAssessed]
	if na > 0 {
		fmt.Fprintf(&b, "\n%d controls are not assessed by automation and need an assessor (examine, interview); see the full report.\n", na)
	}
	bw := bufio.NewWriter(out)
	if _, err := bw.WriteString(b.String()); err != nil {
		return err
	}
	return bw.Flush()
}

func scope(a *assessment.Assessment) string {
	var parts []string
	if a.Scope.Baseline != "" {
		parts = append(parts, "baseline "+cell(a.Scope.Baseline))
	}
	if a.Scope.ProfileTitle != "" {
		parts = append(parts, "profile "+cell(a.Scope.ProfileTitle))
	}
	if a.Scope.CatalogVersion != "" {
		parts = append(parts, "SP 800-53 Rev 5 catalog "+cell(a.Scope.CatalogVersion))
	}
	var ts []string
	for _, t := range a.Targets {
		if n := t.Note(); n != "" {
			ts = append(ts, code(t.Name)+" ("+cell(n)+")")
			continue
		}
		ts = append(ts, code(t.Name))
	}
	if len(ts) > 0 {
		parts = append(parts, "targets "+strings.Join(ts, ", "))
	}
	return strings.Join(parts, " · ")
}

// cell makes text safe inside a table cell: one line, no pipe, no HTML,
// no Markdown links or images, bounded length.
func cell(s string) string {
	s = truncate(s, 300)
	r := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", `\|`, "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "`", "'", "*", `\*`, "_", `\_`, "@", "@\u200b")
	return r.Replace(s)
}

// code is text in a code span: backticks removed so it cannot break out.
func code(s string) string {
	if s == "" {
		return ""
	}
	s = truncate(s, 200)
	s = strings.NewReplacer("`", "'", "\n", " ", "\r", " ", "|", `\|`).Replace(s)
	return "`" + s + "`"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
