package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// MaxListed bounds each Markdown list so the report fits a PR comment.
const MaxListed = 50

// WriteMarkdown writes the report as Markdown.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## pedigree diff\n\n")
	fmt.Fprintf(&b, "Old: %s (%s) run %s %s  \nNew: %s (%s) run %s %s\n\n",
		cell(r.Old.Source), r.Old.Kind, code(r.Old.RunID), r.Old.StartedAt.UTC().Format("2006-01-02 15:04Z"),
		cell(r.New.Source), r.New.Kind, code(r.New.RunID), r.New.StartedAt.UTC().Format("2006-01-02 15:04Z"))
	verdict := "no new or regressed failures"
	if r.Worse() {
		verdict = "**worse**: new or regressed failures"
	}
	fmt.Fprintf(&b, "| new | regressed | fixed | other changes | controls changed | POA&M still open | opened | closed |\n|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %d | %d |\n\n%s.\n", len(r.NewFindings), len(r.Regressed), len(r.Fixed), len(r.Changed), len(r.Controls), len(r.StillOpen), len(r.Opened), len(r.Closed), verdict)
	findings := func(title string, l []FindingChange) {
		if len(l) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n\n| Severity | Check | Status | Where | Message |\n|---|---|---|---|---|\n", title, len(l))
		for i, f := range l {
			if i == MaxListed {
				fmt.Fprintf(&b, "| | … %d more | | | |\n", len(l)-i)
				break
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", f.Severity, code(f.Check), arrow(f.Old, f.New), code(f.Where), cell(f.Message))
		}
	}
	writeCMMC(&b, r.CMMC)
	findings("New findings", r.NewFindings)
	findings("Regressed", r.Regressed)
	findings("Fixed", r.Fixed)
	findings("Other status changes", r.Changed)
	if len(r.Controls) > 0 {
		fmt.Fprintf(&b, "\n### Control status changes (%d)\n\n| Control | Title | Status |\n|---|---|---|\n", len(r.Controls))
		for i, c := range r.Controls {
			if i == MaxListed {
				fmt.Fprintf(&b, "| … %d more | | |\n", len(r.Controls)-i)
				break
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(c.Label), cell(c.Title), arrow(c.Old, c.New))
		}
	}
	poam := func(title string, l []POAMChange) {
		if len(l) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### POA&M %s (%d)\n\n| Control | Weakness | Detected | Status |\n|---|---|---|---|\n", title, len(l))
		for i, p := range l {
			if i == MaxListed {
				fmt.Fprintf(&b, "| … %d more | | | |\n", len(l)-i)
				break
			}
			st := p.Status
			if p.ClosedBy != "" {
				st += " by run " + code(p.ClosedBy)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", cell(p.Label), cell(p.Weakness), p.Detected.UTC().Format("2006-01-02"), st)
		}
	}
	poam("items still open", r.StillOpen)
	poam("items opened", r.Opened)
	poam("items closed", r.Closed)
	_, err := io.WriteString(w, b.String())
	return err
}

func arrow(o, n string) string {
	if o == "" {
		o = "—"
	}
	if n == "" {
		n = "gone"
	}
	return o + " → " + n
}

func cell(s string) string {
	if len(s) > 300 {
		cut := 300
		for cut > 0 && (s[cut]&0xC0) == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strings.NewReplacer("\r", " ", "\n", " ", "|", `\|`, "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "`", "'", "@", "@\u200b").Replace(s)
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.NewReplacer("`", "'", "\n", " ", "|", `\|`).Replace(s) + "`"
}
