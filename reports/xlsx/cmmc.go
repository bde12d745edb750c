package xlsx

import (
	"context"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/reports/view"
)

// Sheets of a CMMC assessment.
const (
	SheetCMMC           = "CMMC"
	SheetCMMCObjectives = "CMMC Objectives"
)

// CMMCColumns are the CMMC sheet's columns: one row a practice.
var CMMCColumns = []column{
	{"Practice", 15}, {"Requirement", 12}, {"Title", 34}, {"Value", 7}, {"Status", 15},
	{"Objectives Met/Total", 12}, {"Deducted", 9}, {"POA&M", 12}, {"Evidence", 40}, {"Assessor", 16}, {"Date", 12},
	{"Reason", 60},
}

// CMMCObjectiveColumns are the CMMC Objectives sheet's columns.
var CMMCObjectiveColumns = []column{
	{"Objective", 18}, {"Practice", 15}, {"Status", 15}, {"Determine If", 50}, {"Reason", 60},
	{"Controls", 14}, {"Checks", 28}, {"Findings", 38}, {"Evidence", 40}, {"Assessor", 16}, {"Date", 12},
}

// cmmcSheets lists the CMMC sheets when the run had a CMMC scope.
func cmmcSheets(a *assessment.Assessment) []sheet {
	if a.CMMC == nil {
		return nil
	}
	objectives := 0
	for i := range a.CMMC.Practices {
		objectives += len(a.CMMC.Practices[i].Objectives)
	}
	return []sheet{
		{SheetCMMC, CMMCColumns, len(a.CMMC.Practices), cmmcSheet},
		{SheetCMMCObjectives, CMMCObjectiveColumns, objectives, cmmcObjectivesSheet},
	}
}

// practiceEvidence lists the evidence behind a practice: the evidence
// files of the findings that decided its objectives, and the manual
// evidence's references with the file they were recorded in.
func practiceEvidence(x *view.Index, findings []string, manual ...*assessment.PracticeManual) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, fid := range findings {
		if f := x.Findings[fid]; f != nil {
			for _, eid := range f.Evidence {
				if e := x.Evidence[eid]; e != nil {
					add(e.Target + ":" + e.Source)
				}
			}
		}
	}
	for _, m := range manual {
		if m == nil {
			continue
		}
		for _, r := range m.References {
			add(r)
		}
		add(fmt.Sprintf("manual:%s:%d", m.Source, m.Line))
	}
	return out
}

// manualDate is the day the assessor recorded, as written (YYYY-MM-DD):
// a day, not a moment, so it stays text rather than a timestamp cell.
func manualDate(m *assessment.PracticeManual) any {
	if m == nil {
		return ""
	}
	return m.Date
}

func cmmcSheet(ctx context.Context, sw *excelize.StreamWriter, st *styles, a *assessment.Assessment, x *view.Index) (int, error) {
	if err := begin(sw, st, CMMCColumns); err != nil {
		return 0, err
	}
	for i := range a.CMMC.Practices {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		p := &a.CMMC.Practices[i]
		met, total := p.ObjectivesMet()
		var fids []string
		mans := []*assessment.PracticeManual{p.Manual}
		assessor, date := "", any("")
		for _, o := range p.Objectives {
			fids = append(fids, o.Findings...)
			if o.Manual != nil && o.Manual != p.Manual {
				mans = append(mans, o.Manual)
			}
		}
		for _, m := range mans {
			if m != nil && assessor == "" {
				assessor, date = m.Assessor, manualDate(m)
			}
		}
		poam := ""
		if p.POAM {
			poam = "yes"
			if p.Planned != "" {
				poam = "planned " + p.Planned
			}
		}
		value := any(p.Value)
		if a.CMMC.Level == 1 {
			value = ""
		}
		row := []any{
			p.ID, strings.Join(p.Requirements, ", "), txt(p.Title), value, st.statusCell(string(p.Status)),
			fmt.Sprintf("%d/%d", met, total), p.Deducted, poam, join(practiceEvidence(x, fids, mans...)), txt(assessor), date,
			txt(p.Reason),
		}
		if err := setRow(sw, st, CMMCColumns, i+2, row); err != nil {
			return 0, err
		}
	}
	return len(a.CMMC.Practices), nil
}

func cmmcObjectivesSheet(ctx context.Context, sw *excelize.StreamWriter, st *styles, a *assessment.Assessment, x *view.Index) (int, error) {
	if err := begin(sw, st, CMMCObjectiveColumns); err != nil {
		return 0, err
	}
	n := 0
	for i := range a.CMMC.Practices {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		p := &a.CMMC.Practices[i]
		for _, o := range p.Objectives {
			var ctls []string
			for _, c := range o.Controls {
				ctls = append(ctls, strings.ToUpper(c))
			}
			assessor, date := "", any("")
			if o.Manual != nil {
				assessor, date = o.Manual.Assessor, manualDate(o.Manual)
			}
			row := []any{
				o.ID, p.ID, st.statusCell(string(o.Status)), txt(o.Text), txt(o.Reason),
				strings.Join(ctls, ", "), join(o.Checks), join(o.Findings), join(practiceEvidence(x, o.Findings, o.Manual)), txt(assessor), date,
			}
			n++
			if err := setRow(sw, st, CMMCObjectiveColumns, n+1, row); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// cmmcFacts are the Summary sheet's CMMC lines.
func cmmcFacts(a *assessment.Assessment) [][2]any {
	c := a.CMMC
	if c == nil {
		return nil
	}
	return [][2]any{
		{"CMMC level", fmt.Sprintf("Level %d", c.Level)},
		{"SPRS score", view.SPRSLine(c)},
		{"CMMC status", view.CMMCStatus(c)},
	}
}
