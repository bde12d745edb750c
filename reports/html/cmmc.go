package html

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/reports/view"
)

// cmmcView is the CMMC section: the score, its range while incomplete, the
// status with its reasons, and one row a practice that drills down to its
// objectives, their findings and the evidence behind them.
type cmmcView struct {
	Level     int
	Score     string
	Status    string
	StatusKey string
	Reasons   []string
	Deadline  string
	Counts    []keyN
	Source    string
	Rows      template.HTML
	N         int
}

var practiceStatuses = []assessment.PracticeStatus{assessment.NotMet, assessment.PracticeNotAssessed, assessment.Met, assessment.NotApplicable}

func buildCMMC(a *assessment.Assessment, x *view.Index) *cmmcView {
	c := a.CMMC
	if c == nil {
		return nil
	}
	v := &cmmcView{
		Level: c.Level, Score: view.SPRSLine(c), Status: view.CMMCStatus(c), StatusKey: c.Score.Status,
		Reasons: c.Score.Reasons, Deadline: c.Score.POAMDeadline, Source: c.Source, N: len(c.Practices),
	}
	for _, s := range practiceStatuses {
		v.Counts = append(v.Counts, keyN{string(s), c.Score.Counts[s]})
	}
	var b rowWriter
	b.Grow(len(c.Practices) * 1500)
	for i := range c.Practices {
		p := &c.Practices[i]
		met, total := p.ObjectivesMet()
		b.raw(`<tr id="pr-`).esc(p.ID).raw(`" data-s="`).esc(string(p.Status)).raw(`"><td class="mono">`).esc(p.ID).
			raw(`</td><td>`).esc(strings.Join(p.Requirements, ", ")).raw(`</td><td>`).esc(p.Title).raw(`</td><td>`)
		if c.Level == 2 {
			b.raw(strconv.Itoa(p.Value))
		}
		b.raw(`</td><td><span class="badge s-`).esc(string(p.Status)).raw(`">`).esc(string(p.Status)).raw(`</span></td><td>`).
			raw(strconv.Itoa(met)).raw("/").raw(strconv.Itoa(total)).raw(`</td><td>`).raw(strconv.Itoa(p.Deducted)).raw(`</td><td>`)
		if p.POAM {
			b.raw("yes")
			if p.Planned != "" {
				b.raw(" (").esc(p.Planned).raw(")")
			}
		}
		b.raw(`</td><td><details><summary>`).esc(p.Reason).raw(`</summary><ul class="objs">`)
		for _, o := range p.Objectives {
			objective(&b, &o, x)
		}
		b.raw(`</ul>`)
		if m := p.Manual; m != nil {
			b.raw(`<p><small>Practice recorded by `).esc(m.Assessor + " on " + m.Date + ": " + m.Statement)
			manualRefs(&b, m)
			b.raw(`</small></p>`)
		}
		for _, mo := range []struct {
			name  string
			items []string
		}{{"Examine", p.Examine}, {"Interview", p.Interview}, {"Test", p.Test}} {
			if len(mo.items) > 0 {
				b.raw(`<p><small><b>`).esc(mo.name).raw(`:</b> `).esc(strings.Join(mo.items, "; ")).raw(`</small></p>`)
			}
		}
		b.raw("</details></td></tr>\n")
	}
	v.Rows = b.html()
	return v
}

// objective writes one objective: its verdict, then the control results,
// findings and evidence that decided it, or the manual evidence.
func objective(b *rowWriter, o *assessment.ObjectiveResult, x *view.Index) {
	b.raw(`<li id="obj-`).esc(o.ID).raw(`"><span class="badge s-`).esc(string(o.Status)).raw(`">`).esc(string(o.Status)).
		raw(`</span> <span class="mono">`).esc(o.ID).raw(`</span> `).esc(o.Text).raw(`<br><small>`).esc(o.Reason)
	for _, ctl := range o.Controls {
		b.raw(` · <a href="#ctl-`).esc(ctl).raw(`">`).esc(strings.ToUpper(ctl)).raw(`</a>`)
	}
	for _, fid := range o.Findings {
		f := x.Findings[fid]
		if f == nil {
			continue
		}
		b.raw(`<br>finding <a href="#fd-`).esc(fid).raw(`" class="mono">`).esc(short(fid)).raw(`</a> `).esc(f.CheckID).raw(` `).
			raw(`<span class="badge s-`).esc(string(f.Status)).raw(`">`).esc(string(f.Status)).raw(`</span> `).esc(view.Where(f))
		for _, eid := range f.Evidence {
			b.raw(` evidence <a href="#ev-`).esc(eid).raw(`" class="mono">`).esc(short(eid)).raw(`</a>`)
			if e := x.Evidence[eid]; e != nil {
				b.raw(` <span class="mono" title="SHA-256">`).esc(short(e.SHA256)).raw(`</span>`)
			}
		}
	}
	if m := o.Manual; m != nil {
		manualRefs(b, m)
	}
	for _, r := range o.Rationales {
		b.raw(`<br><i>`).esc(r).raw(`</i>`)
	}
	b.raw("</small></li>")
}

func manualRefs(b *rowWriter, m *assessment.PracticeManual) {
	b.raw(`<br>manual evidence `).esc(m.Source + ":" + strconv.Itoa(m.Line)).raw(` <span class="mono" title="SHA-256">`).esc(short(m.SHA256)).raw(`</span>`)
	if len(m.References) > 0 {
		b.raw(`: `).esc(strings.Join(m.References, ", "))
	}
}
