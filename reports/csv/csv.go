// Package csv writes an assessment as two CSV tables: controls.csv (one row
// per control in scope) and findings.csv (one row per finding). A writer
// writes one file, so each table is its own format: csv and csv-findings.
package csv

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/reports/view"
)

// Controls writes controls.csv.
type Controls struct{}

func (Controls) Format() string   { return "csv" }
func (Controls) Filename() string { return "controls.csv" }

// ControlsHeader names the columns of controls.csv.
var ControlsHeader = []string{"control", "label", "title", "family", "family_title", "baselines", "cscrm", "status", "automated", "methods", "checks", "findings", "reason", "ssdf", "cmmc", "manual_status", "manual_assessor", "manual_date", "manual_statement"}

func (Controls) Write(ctx context.Context, w io.Writer, a *assessment.Assessment) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ControlsHeader); err != nil {
		return err
	}
	for i, c := range a.Controls {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		var ms, ma, md, mst string
		if m := c.Manual; m != nil {
			ms, ma, md, mst = string(m.Status), m.Assessor, m.Date, m.Statement
		}
		row := []string{c.ID, view.Label(c), c.Title, c.Family, view.FamilyTitle(c.Family), join(c.Baselines), strconv.FormatBool(c.CSCRM),
			string(c.Status), strconv.FormatBool(c.Automated), join(c.Methods), join(c.Checks), join(c.Findings), c.Reason,
			join(c.SSDF), join(c.CMMC), ms, ma, md, mst}
		if err := cw.Write(safe(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Findings writes findings.csv.
type Findings struct{}

func (Findings) Format() string   { return "csv-findings" }
func (Findings) Filename() string { return "findings.csv" }

// FindingsHeader names the columns of findings.csv.
var FindingsHeader = []string{"finding", "check", "check_title", "pillar", "status", "severity", "message", "path", "line", "column", "subjects", "controls", "evidence"}

func (Findings) Write(ctx context.Context, w io.Writer, a *assessment.Assessment) error {
	x := view.NewIndex(a)
	cw := csv.NewWriter(w)
	if err := cw.Write(FindingsHeader); err != nil {
		return err
	}
	for i := range a.Findings {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		f := &a.Findings[i]
		var path, line, col string
		if l := f.Location; l != nil {
			path = l.Path
			if l.Line > 0 {
				line = strconv.Itoa(l.Line)
			}
			if l.Column > 0 {
				col = strconv.Itoa(l.Column)
			}
		}
		var subj []string
		for _, s := range f.Subjects {
			subj = append(subj, s.Type+":"+s.Ref)
		}
		pillar := ""
		if c := x.Checks[f.CheckID]; c != nil {
			pillar = c.Pillar
		}
		row := []string{f.ID, f.CheckID, x.CheckTitle(f.CheckID), pillar, string(f.Status), string(f.Severity), f.Message, path, line, col,
			join(subj), join(x.ControlsOfFinding[f.ID]), join(f.Evidence)}
		if err := cw.Write(safe(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func join(s []string) string { return strings.Join(s, "; ") }

// safe defuses spreadsheet formula injection: a cell that starts with = + -
// @ or a control character gets a leading apostrophe, so that a spreadsheet
// opening the file shows text instead of evaluating it. Scanned content
// (messages, paths) is untrusted.
func safe(row []string) []string {
	for i, v := range row {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			row[i] = "'" + v
		}
	}
	return row
}
