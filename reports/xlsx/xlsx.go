// Package xlsx writes an assessment as an Excel workbook for compliance
// officers: a Summary sheet with tallies and charts, an eMASS-style Controls
// sheet, and Findings, Evidence, POA&M, Components and Crypto sheets. Large
// sheets are streamed; every sheet has a frozen header, filters and set
// column widths, and statuses are colour-coded.
package xlsx

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/reports/view"
)

// Sheet names, in workbook order.
const (
	SheetSummary    = "Summary"
	SheetControls   = "Controls"
	SheetFindings   = "Findings"
	SheetEvidence   = "Evidence"
	SheetPOAM       = "POA&M"
	SheetComponents = "Components"
	SheetCrypto     = "Crypto"
)

// maxCell is below Excel's limit of 32,767 characters per cell.
const maxCell = 32000

// Writer writes pedigree.xlsx.
type Writer struct {
	// DueDays overrides the POA&M days to remediate per severity.
	DueDays map[evidence.Severity]int
	// Organization is shown on the Summary sheet.
	Organization string
}

func (*Writer) Format() string   { return "xlsx" }
func (*Writer) Filename() string { return "pedigree.xlsx" }

type styles struct {
	header, title, bold, date, wrap, cell int
	// text is for text cells: the Text number format ("@") keeps a value
	// that looks like a formula (=, +, -, @ from a scanned file) text even
	// when a user edits the cell, the workbook's counterpart of the CSV's
	// leading apostrophe.
	text   int
	status map[string]int
}

// column is one column of a streamed sheet.
type column struct {
	name  string
	width float64
}

// Write renders a.
func (w *Writer) Write(ctx context.Context, out io.Writer, a *assessment.Assessment) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	x := view.NewIndex(a)
	sum := view.Summarize(a)
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	if err := w.summary(f, st, a, sum); err != nil {
		return fmt.Errorf("xlsx summary: %w", err)
	}
	poam := view.POAM(a, w.DueDays)
	sheets := []sheet{
		{SheetControls, ControlsColumns, len(a.Controls), controlsSheet},
		{SheetFindings, FindingsColumns, len(a.Findings), findingsSheet},
		{SheetEvidence, EvidenceColumns, len(a.Evidence), evidenceSheet},
		{SheetPOAM, POAMColumns, len(poam), poamSheet(poam)},
		{SheetComponents, ComponentsColumns, len(a.Inventory.Components), componentsSheet},
		{SheetCrypto, CryptoColumns, len(a.Inventory.Crypto), cryptoSheet},
	}
	for _, s := range append(sheets, cmmcSheets(a)...) {
		if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
		// The table has at least one data row, so the used range does too.
		last, _ := excelize.CoordinatesToCellName(len(s.cols), max(s.rows, 1)+1)
		// The stream writer writes the sheet's dimension and page setup as
		// they are when it is made, so both are set first: the dimension
		// is the real used range (readers that trust it, such as openpyxl
		// in read-only mode, read exactly that much).
		if err := f.SetSheetDimension(s.name, "A1:"+last); err != nil {
			return fmt.Errorf("xlsx %s: %w", s.name, err)
		}
		if err := pageSetup(f, s.name, a.Title, true); err != nil {
			return fmt.Errorf("xlsx %s page setup: %w", s.name, err)
		}
		sw, err := f.NewStreamWriter(s.name)
		if err != nil {
			return err
		}
		rows, err := s.fn(ctx, sw, st, a, x)
		if err != nil {
			return fmt.Errorf("xlsx %s: %w", s.name, err)
		}
		if rows != s.rows {
			return fmt.Errorf("xlsx %s: wrote %d rows, expected %d", s.name, rows, s.rows)
		}
		// A table gives every header a filter button.
		no := false
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: tableName(s.name), StyleName: "TableStyleLight1", ShowRowStripes: &no}); err != nil {
			return fmt.Errorf("xlsx %s table: %w", s.name, err)
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("xlsx %s: %w", s.name, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = f.WriteTo(out)
	return err
}

// sheet is one streamed sheet: its columns, the rows it will hold, and the
// function that fills it.
type sheet struct {
	name string
	cols []column
	rows int
	fn   func(context.Context, *excelize.StreamWriter, *styles, *assessment.Assessment, *view.Index) (int, error)
}

// pageSetup makes a sheet print readably: landscape, fitted to one page
// wide (as many pages long as it takes), narrow margins, the header row
// repeated on every page, and a footer naming the sheet and the page.
// Gridlines print as the cells' thin borders.
func pageSetup(f *excelize.File, sheet, title string, header bool) error {
	yes := true
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0),
	}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: ptr(0.25), Right: ptr(0.25), Top: ptr(0.5), Bottom: ptr(0.5), Header: ptr(0.2), Footer: ptr(0.2),
	}); err != nil {
		return err
	}
	// Header and footer codes: & is their escape, so the title's own
	// ampersands are doubled.
	t := strings.ReplaceAll("pedigree assessment: "+title, "&", "&&")
	if len(t) > 120 {
		t = t[:120]
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + t, OddFooter: "&L&A&RPage &P of &N",
	}); err != nil {
		return err
	}
	if !header {
		return nil
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: "'" + strings.ReplaceAll(sheet, "'", "''") + "'!$1:$1", Scope: sheet,
	})
}

func tableName(sheet string) string {
	return strings.NewReplacer("&", "", " ", "").Replace(sheet) + "Table"
}

func newStyles(f *excelize.File) (*styles, error) {
	st := &styles{status: map[string]int{}}
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	// Data cells wrap and carry thin borders: excelize cannot switch on
	// printed gridlines, and borders print the same grid in every reader.
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	var grid []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		grid = append(grid, excelize.Border{Type: side, Color: "BFBFBF", Style: 1})
	}
	st.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F3864"}}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: grid})
	st.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}})
	st.bold = mk(&excelize.Style{Font: &excelize.Font{Bold: true}})
	st.date = mk(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss"), Alignment: top, Border: grid})
	st.wrap = mk(&excelize.Style{Alignment: top, Border: grid})
	st.cell = st.wrap
	st.text = mk(&excelize.Style{Alignment: top, Border: grid, NumFmt: 49})
	colour := func(fill, font string) int {
		return mk(&excelize.Style{Font: &excelize.Font{Color: font, Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}, Alignment: top, Border: grid})
	}
	green, red, amber, grey, orange := colour("C6EFCE", "006100"), colour("FFC7CE", "9C0006"), colour("FFEB9C", "9C5700"), colour("E7E6E6", "3A3838"), colour("F8CBAD", "843C0C")
	for k, v := range map[string]int{
		"satisfied": green, "pass": green, "closed": green, "met": green,
		"not-satisfied": red, "fail": red, "open": red, "not-met": red, "critical": red, "high": orange,
		"not-assessed": amber, "error": orange, "medium": amber,
		"not-applicable": grey, "low": grey, "info": grey,
	} {
		st.status[k] = v
	}
	return st, err
}

func ptr[T any](v T) *T { return &v }

// statusCell colours a status (or severity) by its value.
func (st *styles) statusCell(s string) excelize.Cell {
	return excelize.Cell{StyleID: st.status[s], Value: s}
}

func txt(s string) excelize.Cell {
	if len(s) > maxCell {
		cut := maxCell
		for cut > 0 && (s[cut]&0xC0) == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return excelize.Cell{Value: s}
}

func join(s []string) excelize.Cell { return txt(strings.Join(s, "\n")) }

// begin sets widths, freezes the header and writes it.
func begin(sw *excelize.StreamWriter, st *styles, cols []column) error {
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := make([]any, len(cols))
	lines := 2
	for i, c := range cols {
		row[i] = excelize.Cell{StyleID: st.header, Value: c.name}
		lines = max(lines, wrappedLines(c.name, c.width))
	}
	// Tall enough for every wrapped header, so none prints clipped.
	return sw.SetRow("A1", row, excelize.RowOpts{Height: float64(lines) * lineHeight})
}

// setRow writes a data row; cells without a style get the bordered one.
// The row's height is set for its wrapped text: readers do not fit the
// height of a row they load (LibreOffice printed wrapped lines over the
// next rows), so the height is estimated from the text and column widths.
func setRow(sw *excelize.StreamWriter, st *styles, cols []column, n int, row []any) error {
	lines := 1
	for i, v := range row {
		c, ok := v.(excelize.Cell)
		if !ok {
			c = excelize.Cell{Value: v}
		}
		if c.StyleID == 0 {
			c.StyleID = st.cell
			if _, ok := c.Value.(string); ok {
				c.StyleID = st.text
			}
		}
		row[i] = c
		if s, ok := c.Value.(string); ok && i < len(cols) {
			lines = max(lines, wrappedLines(s, cols[i].width))
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, n)
	return sw.SetRow(cell, row, excelize.RowOpts{Height: min(float64(lines)*lineHeight, maxRowHeight)})
}

// lineHeight is one line of 11-point text in points; maxRowHeight is
// Excel's limit.
const (
	lineHeight   = 15.0
	maxRowHeight = 409.0
)

// wrappedLines estimates how many lines s takes in a column width
// characters wide: each line of s wraps every width-1 characters.
func wrappedLines(s string, width float64) int {
	per := max(int(width)-1, 1)
	n := 0
	for line := range strings.SplitSeq(s, "\n") {
		n += max(1, (utf8.RuneCountInString(line)+per-1)/per)
		if float64(n)*lineHeight > maxRowHeight {
			break
		}
	}
	return n
}

// ControlsColumns are the Controls sheet's columns, after an eMASS control
// workbook's.
var ControlsColumns = []column{
	{"Control Acronym", 13}, {"OSCAL ID", 11}, {"Control Title", 36}, {"Family", 24}, {"Baselines", 16},
	{"SP 800-161 C-SCRM", 12}, {"Compliance Status", 16}, {"Automated", 11}, {"Test Method", 16},
	{"Checks", 30}, {"Findings", 12}, {"Evidence", 40}, {"Test Result Description", 60},
	{"SSDF Tasks", 14}, {"CMMC Practices", 16}, {"Tested By", 16}, {"Test Date", 20},
}

func controlsSheet(ctx context.Context, sw *excelize.StreamWriter, st *styles, a *assessment.Assessment, x *view.Index) (int, error) {
	if err := begin(sw, st, ControlsColumns); err != nil {
		return 0, err
	}
	for i, c := range a.Controls {
		if i%512 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		methods := map[string]bool{}
		for _, k := range c.Checks {
			if chk := x.Checks[k]; chk != nil && chk.Method != "" {
				methods[chk.Method] = true
			}
		}
		if !c.Automated {
			for _, m := range c.Methods {
				methods[m] = true
			}
		}
		var ms []string
		for m := range methods {
			ms = append(ms, m)
		}
		sort.Strings(ms)
		var evs []string
		seen := map[string]bool{}
		for _, fid := range c.Findings {
			if f := x.Findings[fid]; f != nil {
				for _, eid := range f.Evidence {
					if e := x.Evidence[eid]; e != nil && !seen[eid] {
						seen[eid] = true
						evs = append(evs, e.Target+":"+e.Source)
					}
				}
			}
		}
		testedBy, date := a.Tool.Name+" "+a.Tool.Version, any(a.StartedAt.UTC())
		if m := c.Manual; m != nil {
			testedBy = m.Assessor
			if d, err := time.Parse(time.DateOnly, m.Date); err == nil {
				date = d
			} else {
				date = m.Date
			}
			evs = append(evs, "manual:"+m.Source)
		}
		cscrm := "no"
		if c.CSCRM {
			cscrm = "yes"
		}
		auto := "no"
		if c.Automated {
			auto = "yes"
		}
		reason := c.Reason
		if c.Manual != nil && c.Manual.Statement != "" {
			reason += "\nAssessor: " + c.Manual.Statement
		}
		row := []any{
			view.Label(c), c.ID, txt(c.Title), view.FamilyTitle(c.Family), strings.Join(c.Baselines, ", "), cscrm,
			st.statusCell(string(c.Status)), auto, strings.Join(ms, ", "), join(c.Checks), len(c.Findings), join(evs),
			txt(reason), strings.Join(c.SSDF, ", "), strings.Join(c.CMMC, ", "), testedBy, excelize.Cell{StyleID: st.date, Value: date},
		}
		if err := setRow(sw, st, ControlsColumns, i+2, row); err != nil {
			return 0, err
		}
	}
	return len(a.Controls), nil
}

// FindingsColumns are the Findings sheet's columns.
var FindingsColumns = []column{
	{"Finding ID", 38}, {"Check", 26}, {"Check Title", 36}, {"Pillar", 9}, {"Status", 14}, {"Severity", 10},
	{"Message", 60}, {"Path", 36}, {"Line", 7}, {"Column", 8}, {"Subjects", 36}, {"Controls", 16}, {"Evidence", 38},
}

func findingsSheet(ctx context.Context, sw *excelize.StreamWriter, st *styles, a *assessment.Assessment, x *view.Index) (int, error) {
	if err := begin(sw, st, FindingsColumns); err != nil {
		return 0, err
	}
	for i, f := range view.SortedFindings(a) {
		if i%1024 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		var path string
		var line, col any = "", ""
		if l := f.Location; l != nil {
			path = l.Path
			if l.Line > 0 {
				line = l.Line
			}
			if l.Column > 0 {
				col = l.Column
			}
		}
		subj := make([]string, 0, len(f.Subjects))
		for _, s := range f.Subjects {
			subj = append(subj, s.Type+":"+s.Ref)
		}
		pillar := ""
		if c := x.Checks[f.CheckID]; c != nil {
			pillar = c.Pillar
		}
		row := []any{f.ID, f.CheckID, txt(x.CheckTitle(f.CheckID)), pillar, st.statusCell(string(f.Status)), st.statusCell(string(f.Severity)),
			txt(f.Message), txt(path), line, col, join(subj), strings.Join(x.ControlsOfFinding[f.ID], ", "), join(f.Evidence)}
		if err := setRow(sw, st, FindingsColumns, i+2, row); err != nil {
			return 0, err
		}
	}
	return len(a.Findings), nil
}

// EvidenceColumns are the Evidence sheet's columns.
var EvidenceColumns = []column{
	{"Evidence ID", 38}, {"Target", 12}, {"Path", 44}, {"SHA-256", 66}, {"Size (bytes)", 12}, {"Collector", 12},
	{"Kind", 20}, {"Subject", 40}, {"Collected At (UTC)", 20},
}

func evidenceSheet(ctx context.Context, sw *excelize.StreamWriter, st *styles, a *assessment.Assessment, _ *view.Index) (int, error) {
	if err := begin(sw, st, EvidenceColumns); err != nil {
		return 0, err
	}
	for i, e := range a.Evidence {
		if i%1024 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		subj := e.Subject.Type + ":" + e.Subject.Ref
		if e.Subject.Digest != "" {
			subj += " (" + e.Subject.Digest + ")"
		}
		row := []any{e.ID, e.Target, txt(e.Source), e.SHA256, e.Size, e.Collector, e.Kind, txt(subj), excelize.Cell{StyleID: st.date, Value: e.CollectedAt.UTC()}}
		if err := setRow(sw, st, EvidenceColumns, i+2, row); err != nil {
			return 0, err
		}
	}
	return len(a.Evidence), nil
}

// POAMColumns are the POA&M sheet's columns, after the FedRAMP POA&M
// template's.
var POAMColumns = []column{
	{"POA&M ID", 38}, {"Control", 11}, {"Weakness Name", 40}, {"Weakness Description", 60}, {"Weakness Detector Source", 40},
	{"Severity", 10}, {"Original Detection Date", 20}, {"Scheduled Completion Date", 20}, {"Milestones", 60}, {"Status", 9}, {"Findings", 38},
}

func poamSheet(items []view.POAMItem) func(context.Context, *excelize.StreamWriter, *styles, *assessment.Assessment, *view.Index) (int, error) {
	return func(ctx context.Context, sw *excelize.StreamWriter, st *styles, a *assessment.Assessment, x *view.Index) (int, error) {
		return poamRows(ctx, sw, st, items)
	}
}

func poamRows(ctx context.Context, sw *excelize.StreamWriter, st *styles, items []view.POAMItem) (int, error) {
	if err := begin(sw, st, POAMColumns); err != nil {
		return 0, err
	}
	for i, p := range items {
		if i%512 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		ms := make([]string, len(p.Milestones))
		for j, m := range p.Milestones {
			ms[j] = fmt.Sprintf("%d. %s", j+1, m)
		}
		row := []any{p.ID, p.Label, txt(p.Weakness), txt(p.Description), txt(p.Source), st.statusCell(string(p.Severity)),
			excelize.Cell{StyleID: st.date, Value: p.Detected.UTC()}, excelize.Cell{StyleID: st.date, Value: p.ScheduledCompletion.UTC()},
			join(ms), st.statusCell(p.Status), join(p.Findings)}
		if err := setRow(sw, st, POAMColumns, i+2, row); err != nil {
			return 0, err
		}
	}
	return len(items), nil
}

// ComponentsColumns are the Components sheet's columns.
var ComponentsColumns = []column{
	{"SBOM", 30}, {"Name", 30}, {"Version", 14}, {"Supplier", 24}, {"PURL", 50}, {"CPE", 30},
	{"Hashes", 40}, {"Licenses", 20}, {"Vulnerabilities", 24},
}

func componentsSheet(ctx context.Context, sw *excelize.StreamWriter, st *styles, a *assessment.Assessment, _ *view.Index) (int, error) {
	if err := begin(sw, st, ComponentsColumns); err != nil {
		return 0, err
	}
	for i, c := range a.Inventory.Components {
		if i%1024 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		row := []any{txt(c.SBOM), txt(c.Name), txt(c.Version), txt(c.Supplier), txt(c.PURL), txt(c.CPE), join(c.Hashes), join(c.Licenses), join(c.Vulnerabilities)}
		if err := setRow(sw, st, ComponentsColumns, i+2, row); err != nil {
			return 0, err
		}
	}
	return len(a.Inventory.Components), nil
}

// CryptoColumns are the Crypto sheet's columns.
var CryptoColumns = []column{
	{"Kind", 14}, {"Algorithm", 16}, {"Size", 10}, {"Hash", 10}, {"Not Before", 20}, {"Not After", 20},
	{"Location", 44}, {"Class", 20}, {"CNSA 2.0", 24},
}

func cryptoSheet(ctx context.Context, sw *excelize.StreamWriter, st *styles, a *assessment.Assessment, _ *view.Index) (int, error) {
	if err := begin(sw, st, CryptoColumns); err != nil {
		return 0, err
	}
	for i, c := range a.Inventory.Crypto {
		class := excelize.Cell{Value: c.Class}
		switch c.Class {
		case "post-quantum":
			class.StyleID = st.status["pass"]
		case "weak":
			class.StyleID = st.status["fail"]
		case "quantum-vulnerable":
			class.StyleID = st.status["not-assessed"]
		}
		row := []any{c.Kind, c.Algorithm, c.Size, c.Hash, c.NotBefore, c.NotAfter, txt(c.Location), class, c.CNSA2}
		if err := setRow(sw, st, CryptoColumns, i+2, row); err != nil {
			return 0, err
		}
	}
	return len(a.Inventory.Crypto), nil
}

// summary fills the Summary sheet: run facts, tallies and two charts.
func (w *Writer) summary(f *excelize.File, st *styles, a *assessment.Assessment, s view.Summary) error {
	sh := SheetSummary
	set := func(cell string, v any) {
		_ = f.SetCellValue(sh, cell, v)
	}
	style := func(from, to string, id int) { _ = f.SetCellStyle(sh, from, to, id) }
	for col, wd := range map[string]float64{"A": 26, "B": 40, "C": 14, "D": 14, "E": 14, "F": 10} {
		if err := f.SetColWidth(sh, col, col, wd); err != nil {
			return err
		}
	}
	set("A1", "pedigree assessment: "+a.Title)
	style("A1", "A1", st.title)
	facts := [][2]any{
		{"Verdict", s.Verdict},
		{"Organization", w.Organization},
		{"Run ID", a.RunID},
		{"Tool", strings.TrimSpace(a.Tool.Name + " " + a.Tool.Version)},
		{"Started (UTC)", a.StartedAt.UTC()},
		{"Finished (UTC)", a.FinishedAt.UTC()},
		{"Baseline", a.Scope.Baseline},
		{"Profile", a.Scope.ProfileTitle},
		{"Catalog", a.Scope.CatalogVersion},
		{"Targets", targets(a)},
		{"Controls in scope", s.ControlsTotal},
		{"Findings", s.FindingsTotal},
		{"Evidence", s.Evidence},
	}
	facts = append(facts, cmmcFacts(a)...)
	r := 3
	for _, kv := range facts {
		set(fmt.Sprintf("A%d", r), kv[0])
		style(fmt.Sprintf("A%d", r), fmt.Sprintf("A%d", r), st.bold)
		set(fmt.Sprintf("B%d", r), kv[1])
		if _, ok := kv[1].(time.Time); ok {
			style(fmt.Sprintf("B%d", r), fmt.Sprintf("B%d", r), st.date)
		}
		r++
	}
	verdict := "pass"
	if s.Verdict != "PASS" {
		verdict = "fail"
	}
	style("B3", "B3", st.status[verdict])

	// Control statuses.
	r++
	ctlHead := r
	set(fmt.Sprintf("A%d", r), "Control status")
	set(fmt.Sprintf("B%d", r), "Controls")
	style(fmt.Sprintf("A%d", r), fmt.Sprintf("B%d", r), st.header)
	for _, cs := range view.ControlStatuses {
		r++
		set(fmt.Sprintf("A%d", r), string(cs))
		style(fmt.Sprintf("A%d", r), fmt.Sprintf("A%d", r), st.status[string(cs)])
		set(fmt.Sprintf("B%d", r), s.Controls[cs])
	}
	ctlLast := r

	// Finding statuses.
	// counts writes a two-column table: a header, then one coloured key and
	// its count a row.
	counts := func(title string, keys []string, n func(string) int) {
		r += 2
		set(fmt.Sprintf("A%d", r), title)
		set(fmt.Sprintf("B%d", r), "Findings")
		style(fmt.Sprintf("A%d", r), fmt.Sprintf("B%d", r), st.header)
		for _, k := range keys {
			r++
			set(fmt.Sprintf("A%d", r), k)
			style(fmt.Sprintf("A%d", r), fmt.Sprintf("A%d", r), st.status[k])
			set(fmt.Sprintf("B%d", r), n(k))
		}
	}
	var statuses, severities []string
	for _, fs := range view.FindingStatuses {
		statuses = append(statuses, string(fs))
	}
	for _, sv := range view.Severities {
		severities = append(severities, string(sv))
	}
	counts("Finding status", statuses, func(k string) int { return s.Findings[evidence.Status(k)] })
	counts("Failing findings by severity", severities, func(k string) int { return s.OpenBySeverity[evidence.Severity(k)] })

	// Per pillar.
	r += 2
	hdr := []string{"Pillar", "", "fail", "error", "not-assessed", "pass", "not-applicable", "total"}
	for i, h := range hdr {
		c, _ := excelize.CoordinatesToCellName(i+1, r)
		set(c, h)
	}
	style(fmt.Sprintf("A%d", r), fmt.Sprintf("H%d", r), st.header)
	for _, p := range s.Pillars {
		r++
		set(fmt.Sprintf("A%d", r), p.Key)
		for i, k := range hdr[2:7] {
			c, _ := excelize.CoordinatesToCellName(i+3, r)
			set(c, p.Counts[k])
		}
		set(fmt.Sprintf("H%d", r), p.Total)
	}

	// Per family.
	r += 2
	famHead := r
	for i, h := range []string{"Family", "Title", "not-satisfied", "not-assessed", "satisfied", "total"} {
		c, _ := excelize.CoordinatesToCellName(i+1, r)
		set(c, h)
	}
	style(fmt.Sprintf("A%d", r), fmt.Sprintf("F%d", r), st.header)
	for _, fm := range s.Families {
		r++
		set(fmt.Sprintf("A%d", r), strings.ToUpper(fm.Key))
		set(fmt.Sprintf("B%d", r), fm.Title)
		set(fmt.Sprintf("C%d", r), fm.Counts[string(assessment.NotSatisfied)])
		set(fmt.Sprintf("D%d", r), fm.Counts[string(assessment.NotAssessed)])
		set(fmt.Sprintf("E%d", r), fm.Counts[string(assessment.Satisfied)])
		set(fmt.Sprintf("F%d", r), fm.Total)
	}
	famLast := r

	// Charts.
	q := "'" + sh + "'!"
	if err := f.AddChart(sh, "H3", &excelize.Chart{
		Type: Pie,
		Series: []excelize.ChartSeries{{
			Name: "Controls", Categories: fmt.Sprintf("%s$A$%d:$A$%d", q, ctlHead+1, ctlLast), Values: fmt.Sprintf("%s$B$%d:$B$%d", q, ctlHead+1, ctlLast),
			DataPoint: []excelize.ChartDataPoint{
				{Index: 0, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C00000"}}},
				{Index: 1, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC000"}}},
				{Index: 2, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"70AD47"}}},
			},
		}},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Controls by status"}}},
		Format: excelize.GraphicOptions{OffsetX: 10, OffsetY: 10},
		Legend: excelize.ChartLegend{Position: "right"},
	}); err != nil {
		return err
	}
	if len(s.Families) > 0 {
		var series []excelize.ChartSeries
		colours := []string{"C00000", "FFC000", "70AD47"}
		for i, col := range []string{"C", "D", "E"} {
			series = append(series, excelize.ChartSeries{
				Name:       fmt.Sprintf("%s$%s$%d", q, col, famHead),
				Categories: fmt.Sprintf("%s$A$%d:$A$%d", q, famHead+1, famLast),
				Values:     fmt.Sprintf("%s$%s$%d:$%s$%d", q, col, famHead+1, col, famLast),
				Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colours[i]}},
			})
		}
		if err := f.AddChart(sh, "H22", &excelize.Chart{
			Type: ColStacked, Series: series,
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Controls by family"}}},
			Format:    excelize.GraphicOptions{OffsetX: 10, OffsetY: 10},
			Dimension: excelize.ChartDimension{Width: 720, Height: 320},
			Legend:    excelize.ChartLegend{Position: "bottom"},
		}); err != nil {
			return err
		}
	}
	last := "H"
	if err := f.SetSheetDimension(sh, fmt.Sprintf("A1:%s%d", last, r)); err != nil {
		return err
	}
	if err := pageSetup(f, sh, a.Title, false); err != nil {
		return err
	}
	return f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// Chart types used here.
const (
	Pie        = excelize.Pie
	ColStacked = excelize.ColStacked
)

func targets(a *assessment.Assessment) string {
	var ts []string
	for _, t := range a.Targets {
		ts = append(ts, t.Name)
	}
	return strings.Join(ts, ", ")
}
