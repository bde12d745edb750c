package xlsx

import (
	"testing"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
)

func TestCMMCSheets(t *testing.T) {
	f := workbook(t, &Writer{}, assessmenttest.SmallCMMC())
	want := []string{SheetSummary, SheetControls, SheetFindings, SheetEvidence, SheetPOAM, SheetComponents, SheetCrypto, SheetCMMC, SheetCMMCObjectives}
	if got := f.GetSheetList(); !equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	row := func(sheet string, n int) []string {
		t.Helper()
		rows, err := f.GetRows(sheet)
		if err != nil || len(rows) <= n {
			t.Fatalf("%s row %d: %v", sheet, n, err)
		}
		return rows[n]
	}
	head := []string{"Practice", "Requirement", "Title", "Value", "Status", "Objectives Met/Total", "Deducted", "POA&M", "Evidence", "Assessor", "Date", "Reason"}
	if got := row(SheetCMMC, 0); !equal(got, head) {
		t.Errorf("CMMC header %q", got)
	}
	cm := row(SheetCMMC, 2)
	for i, want := range []string{"CM.L2-3.4.1", "3.4.1", "System Baselining", "5", "not-met", "1/2", "5", "planned 2026-06-30"} {
		if cm[i] != want {
			t.Errorf("CMMC!%d = %q, want %q", i, cm[i], want)
		}
	}
	if cm[8] != "app:dist/app.cdx.json\naccounts-2026-02.xlsx\nmanual:manual.yaml:9\nmanual:manual.yaml:16" || cm[9] != "J. Doe" || cm[10] != "2026-02-20" {
		t.Errorf("evidence/assessor/date: %q", cm[8:11])
	}
	if ac := row(SheetCMMC, 1); ac[4] != "met" || ac[8] != "accounts-2026-02.xlsx\nmanual:manual.yaml:9" {
		t.Errorf("AC row %q", ac)
	}
	if o := row(SheetCMMCObjectives, 4); o[0] != "CM.L2-3.4.1[e]" || o[2] != "not-met" || o[5] != "CM-8" || o[6] != "SBOM-NTIA-MINIMUM" || o[7] != "f-ntia" {
		t.Errorf("objective row %q", o)
	}
	facts := map[string]string{}
	rows, _ := f.GetRows(SheetSummary)
	for _, r := range rows {
		if len(r) >= 2 {
			facts[r[0]] = r[1]
		}
	}
	if facts["SPRS score"] != "100 to 105/110 (incomplete: 1 practice(s) not assessed)" || facts["CMMC status"] != "Incomplete" || facts["CMMC level"] != "Level 2" {
		t.Errorf("summary facts %v", facts)
	}
}
