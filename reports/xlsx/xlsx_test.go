package xlsx

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/reports/view"
)

func TestWorkbook(t *testing.T) {
	a := assessmenttest.Small()
	f := workbook(t, &Writer{Organization: "Example Corp"}, a)
	if got, want := f.GetSheetList(), []string{SheetSummary, SheetControls, SheetFindings, SheetEvidence, SheetPOAM, SheetComponents, SheetCrypto}; !equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	cell := func(sheet, ref string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct{ sheet, ref, want string }{
		{SheetSummary, "B3", "FAIL"},
		{SheetSummary, "B4", "Example Corp"},
		{SheetSummary, "B5", a.RunID},
		{SheetControls, "A1", "Control Acronym"},
		{SheetControls, "G1", "Compliance Status"},
		{SheetControls, "A2", "CM-8"},
		{SheetControls, "G2", "not-satisfied"},
		{SheetControls, "D2", "Configuration Management"},
		{SheetControls, "F2", "yes"},
		{SheetControls, "I2", "EXAMINE"},
		{SheetControls, "L2", "app:dist/app.cdx.json"},
		{SheetControls, "A5", "SR-4(3)"},
		{SheetControls, "P6", "J. Doe"},
		{SheetFindings, "B2", "CI-TEMPLATE-INJECTION"},
		{SheetFindings, "E2", "fail"},
		{SheetFindings, "H2", ".github/workflows/release.yml"},
		{SheetFindings, "I2", "42"},
		{SheetFindings, "L2", "SA-11"},
		{SheetEvidence, "D2", a.Evidence[0].SHA256},
		{SheetEvidence, "C2", "dist/app.cdx.json"},
		{SheetEvidence, "F2", "sbom"},
		{SheetEvidence, "I2", "2026-03-01 12:00:00"},
		{SheetPOAM, "A2", view.POAMID("cm-8")},
		{SheetPOAM, "B2", "CM-8"},
		{SheetPOAM, "F2", "medium"},
		{SheetPOAM, "G2", "2026-03-01 12:00:00"},
		{SheetPOAM, "H2", "2026-05-30 12:00:00"},
		{SheetPOAM, "J2", "open"},
		{SheetPOAM, "B3", "SA-11"},
		{SheetComponents, "E3", "pkg:npm/left-pad@1.3.0"},
		{SheetComponents, "I3", "GHSA-xxxx-yyyy-zzzz"},
		{SheetCrypto, "B3", "ML-DSA-65"},
		{SheetCrypto, "H3", "post-quantum"},
	}
	for _, tt := range tests {
		if got := cell(tt.sheet, tt.ref); got != tt.want {
			t.Errorf("%s!%s = %q, want %q", tt.sheet, tt.ref, got, tt.want)
		}
	}
	// Header frozen, filters on, statuses coloured.
	for _, sh := range []string{SheetControls, SheetFindings, SheetEvidence, SheetPOAM} {
		p, err := f.GetPanes(sh)
		if err != nil || !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s: header not frozen (%+v, %v)", sh, p, err)
		}
		tables, err := f.GetTables(sh)
		if err != nil || len(tables) != 1 {
			t.Errorf("%s: %d tables (%v), want one with filters", sh, len(tables), err)
		}
		w, err := f.GetColWidth(sh, "A")
		if err != nil || w < 10 {
			t.Errorf("%s: column A width %v (%v)", sh, w, err)
		}
	}
	fill := func(sheet, ref string) string {
		id, err := f.GetCellStyle(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil || len(st.Fill.Color) == 0 {
			return ""
		}
		return st.Fill.Color[0]
	}
	if got := fill(SheetControls, "G2"); got != "FFC7CE" {
		t.Errorf("not-satisfied fill %q, want red FFC7CE", got)
	}
	if got := fill(SheetControls, "G5"); got != "C6EFCE" {
		t.Errorf("satisfied fill %q, want green C6EFCE", got)
	}
}

func TestLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large workbook in -short mode; the benchmark covers it")
	}
	a := assessmenttest.Random(7, 2000, 200)
	f := workbook(t, &Writer{}, a)
	rows, err := f.Rows(SheetFindings)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	if n != 2001 {
		t.Fatalf("Findings sheet has %d rows, want 2,001", n)
	}
	ids := view.SortedFindings(a)
	if got, _ := f.GetCellValue(SheetFindings, "A2001"); got != ids[len(ids)-1].ID {
		t.Fatalf("last finding %q, want %q (rows out of order)", got, ids[len(ids)-1].ID)
	}
}

func BenchmarkWrite20k(b *testing.B) {
	a := assessmenttest.Random(7, 20000, 2000)
	w := &Writer{}
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := w.Write(context.Background(), &buf, a); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDimensionsAndPrint pins what readers that stream got wrong and what
// printing lacked: every sheet declares the range it really uses (openpyxl
// in read-only mode reads exactly that), the row iterator sees every row,
// and every sheet prints landscape, one page wide, with the header row
// repeated and a footer.
func TestDimensionsAndPrint(t *testing.T) {
	a := assessmenttest.Random(3, 700, 60)
	f := workbook(t, &Writer{}, a)
	want := map[string][2]int{
		SheetControls: {len(a.Controls) + 1, len(ControlsColumns)},
		SheetFindings: {len(a.Findings) + 1, len(FindingsColumns)},
		SheetEvidence: {len(a.Evidence) + 1, len(EvidenceColumns)},
		SheetPOAM:     {len(view.POAM(a, nil)) + 1, len(POAMColumns)},
	}
	for _, sh := range f.GetSheetList() {
		dim, err := f.GetSheetDimension(sh)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.Rows(sh)
		if err != nil {
			t.Fatal(err)
		}
		n, width := 0, 0
		for rows.Next() {
			n++
			cols, err := rows.Columns()
			if err != nil {
				t.Fatal(err)
			}
			width = max(width, len(cols))
		}
		_ = rows.Close()
		last, _ := excelize.CoordinatesToCellName(width, n)
		if dim != "A1:"+last {
			t.Errorf("%s: dimension %q, but the rows run to %s", sh, dim, last)
		}
		if w, ok := want[sh]; ok && (n != w[0] || width != w[1]) {
			t.Errorf("%s: the row iterator saw %d rows × %d columns, want %d × %d", sh, n, width, w[0], w[1])
		}
		pl, err := f.GetPageLayout(sh)
		if err != nil {
			t.Fatal(err)
		}
		if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
			t.Errorf("%s: page layout %+v, want landscape, one page wide", sh, pl)
		}
		props, err := f.GetSheetProps(sh)
		if err != nil {
			t.Fatal(err)
		}
		if props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: fit to page is off, so the page layout's fit is ignored", sh)
		}
		hf, err := f.GetHeaderFooter(sh)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(hf.OddFooter, "&P of &N") {
			t.Errorf("%s: footer %q has no page numbers", sh, hf.OddFooter)
		}
	}
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}
	for _, sh := range []string{SheetControls, SheetFindings, SheetEvidence, SheetPOAM, SheetComponents, SheetCrypto} {
		if got := titles[sh]; !strings.HasSuffix(got, "!$1:$1") {
			t.Errorf("%s: print titles %q, want the header row repeated", sh, got)
		}
	}
}

// TestFormulaTextStaysText: text from scanned files that looks like a
// formula is stored as a text cell, never as a formula.
func TestFormulaTextStaysText(t *testing.T) {
	a := assessmenttest.Small()
	hostile := []string{`=HYPERLINK("http://evil","click")`, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)"}
	for i, h := range hostile {
		a.Findings[i%len(a.Findings)].Message = h
	}
	a.Findings[0].Location.Path = hostile[0]
	f := workbook(t, &Writer{}, a)
	rows, err := f.GetRows(SheetFindings)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for r, row := range rows {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if formula, _ := f.GetCellFormula(SheetFindings, ref); formula != "" {
				t.Errorf("%s is a formula: %q", ref, formula)
			}
			if slices.Contains(hostile, v) {
				seen++
				if typ, _ := f.GetCellType(SheetFindings, ref); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
					t.Errorf("%s holding %q has type %v, want text", ref, v, typ)
				}
				// Formatted as Text, so that editing the cell keeps it text.
				id, err := f.GetCellStyle(SheetFindings, ref)
				if err != nil {
					t.Fatal(err)
				}
				if s, err := f.GetStyle(id); err != nil || s.NumFmt != 49 {
					t.Errorf("%s holding %q is not formatted as Text (number format 49)", ref, v)
				}
			}
		}
	}
	if seen < len(hostile) {
		t.Fatalf("found %d of the %d hostile texts as text cells", seen, len(hostile))
	}
}

// workbook writes a with w and opens the result, closed when the test ends.
func workbook(t *testing.T, w *Writer, a *assessment.Assessment) *excelize.File {
	t.Helper()
	var b bytes.Buffer
	if err := w.Write(context.Background(), &b, a); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}
