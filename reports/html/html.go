// Package html writes an assessment as one self-contained HTML page: a
// summary with inline SVG charts, a control table with search and filters,
// drill-down from a control to its findings and from a finding to its
// evidence, and a print stylesheet. The page loads nothing from the
// network; its Content-Security-Policy forbids it to.
package html

import (
	"bufio"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/reports/view"
)

var (
	//go:embed page.css
	pageCSS string
	//go:embed page.js
	pageJS string
	//go:embed page.html.tmpl
	pageTmpl string

	// The template is parsed when a page is first written, not at the
	// start of every command.
	tmpl = sync.OnceValue(func() *template.Template {
		return template.Must(template.New("page").Funcs(template.FuncMap{
			"short": short,
			"join":  func(s []string) string { return strings.Join(s, ", ") },
		}).Parse(pageTmpl))
	})

	// CSP allows exactly the page's own style and script, by hash, and
	// images from data: URLs; every other load is refused.
	CSP = fmt.Sprintf("default-src 'none'; style-src '%s'; script-src '%s'; img-src data:; base-uri 'none'; form-action 'none'",
		hash(pageCSS), hash(pageJS))
)

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// Writer writes pedigree.html.
type Writer struct {
	// DueDays overrides the POA&M days to remediate per severity.
	DueDays map[evidence.Severity]int
	// Organization is shown in the page header.
	Organization string
}

func (*Writer) Format() string   { return "html" }
func (*Writer) Filename() string { return "pedigree.html" }

type keyN struct {
	Key string
	N   int
}

type donutSeg struct {
	Key, Colour  string
	N            int
	Dash, Offset string
}

type famSeg struct {
	Key, Title string
	X, Y, W    string
}

type famBar struct {
	Label       string
	TextY, EndX string
	Total       int
	Segs        []famSeg
}

type link struct{ ID, Label string }

type page struct {
	A                               *assessment.Assessment
	S                               view.Summary
	CSP                             string
	Style                           template.CSS
	Script                          template.JS
	Title, Org, Targets             string
	Started, Finished               string
	ControlCards, Severity          []keyN
	FindingStatuses                 []string
	Donut                           []donutSeg
	FamBars                         []famBar
	FamHeight                       int
	ControlRows, FindingRows        template.HTML
	EvidenceRows                    template.HTML
	NControls, NFindings, NEvidence int
	Collectors                      []string
	POAM                            []view.POAMItem
	CMMC                            *cmmcView
}

var colours = map[assessment.ControlStatus]string{assessment.NotSatisfied: "#c00000", assessment.NotAssessed: "#ffc000", assessment.Satisfied: "#70ad47"}

// Write renders a.
func (w *Writer) Write(ctx context.Context, out io.Writer, a *assessment.Assessment) error {
	p := build(a, w)
	if err := ctx.Err(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<16)
	if err := tmpl().Execute(bw, p); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return bw.Flush()
}

func build(a *assessment.Assessment, w *Writer) *page {
	s := view.Summarize(a)
	x := view.NewIndex(a)
	p := &page{
		A: a, S: s, CSP: CSP, Style: template.CSS(pageCSS), Script: template.JS(pageJS),
		Title: a.Title, Org: w.Organization,
		Started: a.StartedAt.UTC().Format("2006-01-02 15:04:05Z"), Finished: a.FinishedAt.UTC().Format("15:04:05Z"),
		POAM: view.POAM(a, w.DueDays), NControls: len(a.Controls), NFindings: len(a.Findings), NEvidence: len(a.Evidence),
	}
	if p.Title == "" {
		p.Title = "assessment"
	}
	var ts []string
	for _, t := range a.Targets {
		if n := t.Note(); n != "" {
			ts = append(ts, t.Name+" ("+n+")")
			continue
		}
		ts = append(ts, t.Name)
	}
	p.Targets = strings.Join(ts, ", ")
	for _, cs := range view.ControlStatuses {
		p.ControlCards = append(p.ControlCards, keyN{string(cs), s.Controls[cs]})
	}
	for _, sv := range view.Severities {
		p.Severity = append(p.Severity, keyN{string(sv), s.OpenBySeverity[sv]})
	}
	for _, fs := range view.FindingStatuses {
		p.FindingStatuses = append(p.FindingStatuses, string(fs))
	}

	// Donut: circumference 100 (r = 15.915), segments by dash offsets.
	acc := 0.0
	for _, cs := range view.ControlStatuses {
		n := s.Controls[cs]
		if n == 0 || s.ControlsTotal == 0 {
			continue
		}
		pct := 100 * float64(n) / float64(s.ControlsTotal)
		p.Donut = append(p.Donut, donutSeg{Key: string(cs), Colour: colours[cs], N: n,
			Dash: fmt.Sprintf("%.3f %.3f", pct, 100-pct), Offset: fmt.Sprintf("%.3f", 25-acc)})
		acc += pct
	}

	// Family bars, scaled to the largest family.
	most := 1
	for _, f := range s.Families {
		most = max(most, f.Total)
	}
	const barX, barW = 40.0, 470.0
	for i, f := range s.Families {
		y := 4 + i*20
		b := famBar{Label: strings.ToUpper(f.Key), TextY: fmt.Sprint(y + 12), Total: f.Total}
		xpos := barX
		for _, cs := range view.ControlStatuses {
			n := f.Counts[string(cs)]
			if n == 0 {
				continue
			}
			wd := barW * float64(n) / float64(most)
			b.Segs = append(b.Segs, famSeg{Key: string(cs), Title: fmt.Sprintf("%s %s: %d %s", strings.ToUpper(f.Key), f.Title, n, cs),
				X: fmt.Sprintf("%.1f", xpos), Y: fmt.Sprint(y), W: fmt.Sprintf("%.1f", wd)})
			xpos += wd
		}
		b.EndX = fmt.Sprintf("%.1f", xpos+4)
		p.FamBars = append(p.FamBars, b)
	}
	p.FamHeight = 8 + 20*len(s.Families)

	var b rowWriter
	for _, c := range a.Controls {
		cscrm, auto := "", ""
		if c.CSCRM {
			cscrm = "1"
		}
		if c.Automated {
			auto = "1"
		}
		label := view.Label(c)
		b.raw(`<tr id="ctl-`).esc(c.ID).raw(`" data-s="`).esc(string(c.Status)).raw(`" data-fam="`).esc(c.Family).
			raw(`" data-cscrm="`).raw(cscrm).raw(`" data-auto="`).raw(auto).raw(`"><td>`).esc(label).raw(`</td><td>`).esc(c.Title)
		if len(c.Baselines) > 0 {
			b.raw(`<br><small>`).esc(strings.Join(c.Baselines, ", ")).raw(`</small>`)
		}
		b.raw(`</td><td>`).esc(view.FamilyTitle(c.Family)).raw(`</td><td><span class="badge s-`).esc(string(c.Status)).raw(`">`).esc(string(c.Status)).
			raw(`</span></td><td class="mono">`).esc(strings.Join(c.Checks, " ")).raw(`</td><td>`)
		if n := len(c.Findings); n > 0 {
			b.raw(`<a class="drill" href="#sec-findings" data-to="findings" data-attr="data-c" data-value="`).esc(c.ID).
				raw(`" data-label="control `).esc(label).raw(`">`).raw(strconv.Itoa(n)).raw(` findings</a>`)
		} else {
			b.raw("–")
		}
		b.raw(`</td><td>`).esc(c.Reason)
		if m := c.Manual; m != nil {
			b.raw(`<br><small>Assessor `).esc(strings.TrimSpace(m.Assessor + " " + m.Date + ": " + m.Statement)).raw(`</small>`)
		}
		b.raw("</td></tr>\n")
	}
	p.ControlRows = b.html()

	ctlOf := map[string][]link{}
	for _, c := range a.Controls {
		for _, f := range c.Findings {
			ctlOf[f] = append(ctlOf[f], link{c.ID, view.Label(c)})
		}
	}
	b = rowWriter{}
	b.Grow(len(a.Findings) * 600)
	for _, f := range view.SortedFindings(a) {
		pillar := "engine"
		if c := x.Checks[f.CheckID]; c != nil {
			pillar = c.Pillar
		}
		links := ctlOf[f.ID]
		b.raw(`<tr id="fd-`).esc(f.ID).raw(`" data-s="`).esc(string(f.Status)).raw(`" data-v="`).esc(string(f.Severity)).
			raw(`" data-p="`).esc(pillar).raw(`" data-c="`)
		for i, l := range links {
			if i > 0 {
				b.raw(" ")
			}
			b.esc(l.ID)
		}
		b.raw(`"><td class="mono" title="`).esc(f.ID).raw(`">`).esc(short(f.ID)).raw(`</td><td class="mono" title="`).esc(x.CheckTitle(f.CheckID)).
			raw(`">`).esc(f.CheckID).raw(`</td><td><span class="badge s-`).esc(string(f.Status)).raw(`">`).esc(string(f.Status)).
			raw(`</span></td><td><span class="badge s-`).esc(string(f.Severity)).raw(`">`).esc(string(f.Severity)).
			raw(`</span></td><td>`).esc(f.Message).raw(`</td><td class="mono">`).esc(view.Where(f)).raw(`</td><td>`)
		for _, l := range links {
			b.raw(`<a href="#ctl-`).esc(l.ID).raw(`">`).esc(l.Label).raw(`</a> `)
		}
		b.raw(`</td><td class="mono">`)
		for i, e := range f.Evidence {
			if i == shownLinks && len(f.Evidence) > shownLinks+1 {
				b.raw(`<details><summary>`).raw(strconv.Itoa(len(f.Evidence) - i)).raw(` more</summary>`)
			}
			b.raw(`<a href="#ev-`).esc(e).raw(`">`).esc(short(e)).raw(`</a> `)
		}
		if len(f.Evidence) > shownLinks+1 {
			b.raw(`</details>`)
		}
		b.raw("</td></tr>\n")
	}
	p.FindingRows = b.html()

	b = rowWriter{}
	b.Grow(len(a.Evidence) * 400)
	for i := range a.Evidence {
		e := &a.Evidence[i]
		b.raw(`<tr id="ev-`).esc(e.ID).raw(`" data-col="`).esc(e.Collector).raw(`"><td class="mono" title="`).esc(e.ID).raw(`">`).esc(short(e.ID)).
			raw(`</td><td>`).esc(e.Target).raw(`</td><td class="mono">`).esc(e.Source).raw(`</td><td class="mono">`).esc(e.SHA256).
			raw(`</td><td>`).raw(strconv.FormatInt(e.Size, 10)).raw(`</td><td>`).esc(e.Collector).raw(`</td><td>`).esc(e.Kind).
			raw(`</td><td>`).raw(e.CollectedAt.UTC().Format("2006-01-02 15:04:05")).raw("</td></tr>\n")
	}
	p.EvidenceRows = b.html()
	p.CMMC = buildCMMC(a, x)

	seen := map[string]bool{}
	for _, e := range a.Evidence {
		if !seen[e.Collector] {
			seen[e.Collector] = true
			p.Collectors = append(p.Collectors, e.Collector)
		}
	}
	sort.Strings(p.Collectors)
	return p
}

// shownLinks is how many evidence links a finding's cell shows before
// folding the rest: a finding over a whole release cites hundreds, one a
// line in their narrow column, and its row would be taller than any window.
const shownLinks = 8

// short shows the head of a long id; the full id is in the title.
func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// rowWriter builds the large tables' rows directly: html/template's
// reflection costs more than the rest of the page for 20,000 rows. Every
// value goes through esc, which escapes the five characters that matter in
// HTML text and in quoted attribute values; raw takes only constant markup.
type rowWriter struct{ strings.Builder }

func (b *rowWriter) raw(s string) *rowWriter { b.WriteString(s); return b }

func (b *rowWriter) esc(s string) *rowWriter {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case '&':
			r = "&amp;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		case '"':
			r = "&#34;"
		case '\'':
			r = "&#39;"
		case 0:
			r = "\uFFFD"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
	return b
}

func (b *rowWriter) html() template.HTML { return template.HTML(b.String()) }
