package main

// The reports as their readers' programs see them: the demo's (and a real
// repository's) reports opened in Heimdall Lite, the SARIF Multitool,
// openpyxl in read-only mode and LibreOffice. Each test skips, saying
// which script installs the reader, where the reader is absent.

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/pedigree-dev/pedigree/internal/readers"
)

// readerRuns holds one assessment per source, shared by the reader tests.
var readerRuns sync.Map // folder ("" for the demo) → *readerRun

// removeReaderRuns deletes the reports the reader tests wrote.
func removeReaderRuns() {
	readerRuns.Range(func(_, v any) bool {
		if d := v.(*readerRun).dir; d != "" {
			os.RemoveAll(d)
		}
		return true
	})
}

type readerRun struct {
	once sync.Once
	dir  string
	err  error
}

// readerFormats are the reports the reader tests open.
const readerFormats = "json,hdf,sarif,xlsx,csv,csv-findings,md,html"

// readerReports assesses the demo (config "") or a folder once per test binary
// and returns the folder its reports are in.
func readerReports(t *testing.T, folder string) string {
	t.Helper()
	v, _ := readerRuns.LoadOrStore(folder, &readerRun{})
	r := v.(*readerRun)
	r.once.Do(func() {
		r.dir, r.err = os.MkdirTemp("", "pedigree-readers")
		if r.err != nil {
			return
		}
		args := []string{"assess", "--out", r.dir, "--quiet", "--format", readerFormats, "--fail-on", "none"}
		if folder == "" {
			args = append(args, "--config", demoConfig(t))
		} else {
			// Assessed from inside, as CI assesses its checkout.
			args = append(args, ".")
		}
		cmd := exec.Command(pedigreeBin, args...)
		cmd.Dir = folder
		if out, err := cmd.CombinedOutput(); err != nil {
			r.err = fmt.Errorf("pedigree %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	})
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.dir
}

func realRepo() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata", "actions-checkout")
}

// TestHeimdallLoadsDemo loads the demo's HDF file in Heimdall Lite, served
// from loopback and driven in headless Chromium, and reads the status
// cards: no profile errors, and the counts are pedigree's own.
func TestHeimdallLoadsDemo(t *testing.T) {
	dist := readers.NodeTool(t, "@mitre/heimdall-lite", "dist")
	for _, src := range []struct{ name, folder string }{{"demo", ""}, {"actions-checkout", realRepo()}} {
		t.Run(src.name, func(t *testing.T) {
			dir := readerReports(t, src.folder)
			ctx := readers.Browser(t, 1400, 1000)
			base := readers.Serve(t, dist)
			hdf := filepath.Join(dir, "pedigree.hdf.json")
			text := ""
			err := chromedp.Do(ctx,
				chromedp.Navigate(base+"index.html"),
				chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := chromedp.Poll[bool](`document.querySelector("input[type=file]") !== null`)(ctx, tg)
					return err
				}),
				chromedp.SetUploadFiles(chromedp.CSS(`input[type=file]`), []string{hdf}),
			)
			if err != nil {
				t.Fatalf("loading %s in Heimdall Lite: %v", hdf, err)
			}
			// The results view shows the status cards once the file is read.
			for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
				text, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
				if err == nil && strings.Contains(text, "Not Reviewed:") && strings.Contains(text, "Passed:") {
					break
				}
			}
			shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err == nil {
				_ = os.WriteFile(filepath.Join(dir, "heimdall.png"), shot, 0o644)
			}
			got := map[string]int{}
			for _, m := range regexp.MustCompile(`(?m)^(Passed|Failed|Not Applicable|Not Reviewed|Profile Errors?): (\d+)`).FindAllStringSubmatch(text, -1) {
				n, _ := strconv.Atoi(m[2])
				got[strings.TrimSuffix(m[1], "s")] = n
			}
			if len(got) < 4 {
				t.Fatalf("Heimdall Lite did not show the status cards; page text:\n%.2000s", text)
			}
			if m := regexp.MustCompile(`(\d+) Profile Errors?`).FindStringSubmatch(text); m != nil {
				t.Errorf("Heimdall Lite reports %s profile errors", m[1])
			}
			want := ownCheckStatuses(t, filepath.Join(dir, "pedigree.json"))
			for _, k := range []string{"Passed", "Failed", "Not Applicable", "Not Reviewed", "Profile Error"} {
				if got[k] != want[k] {
					t.Errorf("Heimdall shows %s: %d, pedigree's findings give %d", k, got[k], want[k])
				}
			}
			t.Logf("Heimdall Lite: %v (pedigree: %v); screenshot %s", got, want, filepath.Join(dir, "heimdall.png"))
		})
	}
}

// ownCheckStatuses tallies the checks of a pedigree.json by their findings,
// as pedigree reads them: any error, else any failure, else any pass, else
// all not applicable, else not reviewed (not assessed, or no finding).
func ownCheckStatuses(t *testing.T, path string) map[string]int {
	t.Helper()
	a := loadNative(t, path)
	statuses := map[string]map[string]bool{}
	for _, c := range a["checks"].([]any) {
		statuses[c.(map[string]any)["id"].(string)] = map[string]bool{}
	}
	for _, f := range a["findings"].([]any) {
		f := f.(map[string]any)
		id := f["check"].(string)
		if statuses[id] == nil {
			statuses[id] = map[string]bool{}
		}
		statuses[id][f["status"].(string)] = true
	}
	out := map[string]int{}
	for _, has := range statuses {
		switch {
		case has["error"]:
			out["Profile Error"]++
		case has["fail"]:
			out["Failed"]++
		case has["pass"]:
			out["Passed"]++
		case len(has) == 1 && has["not-applicable"]:
			out["Not Applicable"]++
		default:
			out["Not Reviewed"]++
		}
	}
	return out
}

// TestSARIFMultitool validates the demo's and a real repository's SARIF
// with the SARIF Multitool's SARIF and GitHub rules: no errors, no
// warnings.
func TestSARIFMultitool(t *testing.T) {
	tool := readers.NodeTool(t, "@microsoft/sarif-multitool-"+runtime.GOOS, "Sarif.Multitool")
	for _, src := range []struct{ name, folder string }{{"demo", ""}, {"actions-checkout", realRepo()}} {
		t.Run(src.name, func(t *testing.T) {
			dir := readerReports(t, src.folder)
			out := filepath.Join(t.TempDir(), "validation.sarif")
			cmd := exec.Command(tool, "validate", "--rule-kind", "Sarif;Gh", "--output", out, filepath.Join(dir, "pedigree.sarif"))
			// The multitool is a self-contained .NET program; without ICU
			// libraries it needs invariant globalization.
			cmd.Env = append(os.Environ(), "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1", "DOTNET_CLI_TELEMETRY_OPTOUT=1")
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("multitool: %v\n%s", err, b)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var log struct {
				Runs []struct {
					Results []struct {
						RuleID  string `json:"ruleId"`
						Level   string `json:"level"`
						Message struct {
							ID        string   `json:"id"`
							Arguments []string `json:"arguments"`
						} `json:"message"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(b, &log); err != nil {
				t.Fatal(err)
			}
			for _, r := range log.Runs[0].Results {
				t.Errorf("%s %s: %s %v", r.Level, r.RuleID, r.Message.ID, r.Message.Arguments)
			}
			var rep struct {
				Runs []struct {
					Results []any `json:"results"`
				} `json:"runs"`
			}
			sb, _ := os.ReadFile(filepath.Join(dir, "pedigree.sarif"))
			if err := json.Unmarshal(sb, &rep); err != nil || len(rep.Runs[0].Results) == 0 {
				t.Fatalf("the SARIF file has no results to validate (%v)", err)
			}
			t.Logf("SARIF Multitool: %d results validated, %d warnings or errors", len(rep.Runs[0].Results), len(log.Runs[0].Results))
		})
	}
}

// TestXLSXReadOnlyOpenpyxl reads the demo's workbook with openpyxl in
// read-only mode, which trusts each sheet's declared dimension: every row
// of every sheet must come through.
func TestXLSXReadOnlyOpenpyxl(t *testing.T) {
	py := readers.Python(t, "python3-openpyxl", "openpyxl")
	dir := readerReports(t, "")
	const script = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
print(json.dumps({ws.title: sum(1 for row in ws.iter_rows(values_only=True) if any(v is not None for v in row)) for ws in wb.worksheets}))
`
	out, err := exec.Command(py, "-c", script, filepath.Join(dir, "pedigree.xlsx")).Output()
	if err != nil {
		t.Fatalf("openpyxl: %v", err)
	}
	var got map[string]int
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("openpyxl printed %q: %v", out, err)
	}
	a := loadNative(t, filepath.Join(dir, "pedigree.json"))
	want := map[string]int{
		"Controls": len(a["controls"].([]any)) + 1,
		"Findings": len(a["findings"].([]any)) + 1,
		"Evidence": len(a["evidence"].([]any)) + 1,
	}
	for sh, n := range want {
		if got[sh] != n {
			t.Errorf("openpyxl (read-only) sees %d rows on %s, want %d", got[sh], sh, n)
		}
	}
	t.Logf("openpyxl read-only rows per sheet: %v", got)
}

// TestXLSXPrintsInLibreOffice converts the demo's workbook to PDF with
// LibreOffice and checks the pages: landscape, and the Controls sheet no
// longer split across pages by column (before: 92 portrait pages).
func TestXLSXPrintsInLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion in -short mode")
	}
	soffice := readers.Program(t, "libreoffice-calc-nogui", "soffice", "libreoffice")
	pdfinfo := readers.Program(t, "poppler-utils", "pdfinfo")
	dir := readerReports(t, "")
	out := t.TempDir()
	convert(t, soffice, out, "pdf", filepath.Join(dir, "pedigree.xlsx"))
	info, err := exec.Command(pdfinfo, filepath.Join(out, "pedigree.pdf")).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	pages := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(info)
	size := regexp.MustCompile(`(?m)^Page size:\s+([\d.]+) x ([\d.]+)`).FindSubmatch(info)
	if pages == nil || size == nil {
		t.Fatalf("pdfinfo printed:\n%s", info)
	}
	n, _ := strconv.Atoi(string(pages[1]))
	w, _ := strconv.ParseFloat(string(size[1]), 64)
	h, _ := strconv.ParseFloat(string(size[2]), 64)
	if w <= h {
		t.Errorf("pages are %.0f×%.0f pt, want landscape", w, h)
	}
	// One page wide: the 304 controls, 195 findings and 92 evidence rows
	// of the demo fit in a few dozen pages; split by column they took 92.
	if n > 40 {
		t.Errorf("the workbook prints on %d pages, want at most 40 (one page wide per sheet)", n)
	}
	t.Logf("LibreOffice PDF: %d pages of %.0f×%.0f pt", n, w, h)
}

// TestCSVInLibreOffice opens the demo's findings.csv, with a hostile
// message planted in the assessment, in LibreOffice: it reads as the same
// table, and the formula-looking cell stays text.
func TestCSVInLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion in -short mode")
	}
	soffice := readers.Program(t, "libreoffice-calc-nogui", "soffice", "libreoffice")
	dir := readerReports(t, "")
	a := loadNative(t, filepath.Join(dir, "pedigree.json"))
	hostile := `=HYPERLINK("http://attacker.example/","click")`
	a["findings"].([]any)[0].(map[string]any)["message"] = hostile
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "pedigree.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := pedigree(t, nil, "report", "--from", filepath.Join(work, "pedigree.json"), "--format", "csv-findings", "--out", work, "--quiet"); r.code != 0 {
		t.Fatalf("report: exit %d: %s", r.code, r.stderr)
	}
	// LibreOffice imports the CSV (UTF-8, comma, with formula detection
	// as a user opening it gets) and saves it as a workbook, read back here
	// cell by cell: the hostile cell must be text, not a formula.
	out := t.TempDir()
	convert(t, soffice, out, "xlsx", filepath.Join(work, "findings.csv"), "--infilter=CSV:44,34,76,1")
	orig := readCSV(t, filepath.Join(work, "findings.csv"))
	wb, err := excelize.OpenFile(filepath.Join(out, "findings.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	sheet := wb.GetSheetList()[0]
	rows, err := wb.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(orig) || len(rows[0]) != len(orig[0]) {
		t.Fatalf("LibreOffice reads %d rows × %d columns, pedigree wrote %d × %d", len(rows), len(rows[0]), len(orig), len(orig[0]))
	}
	found := false
	for r, row := range rows {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if f, _ := wb.GetCellFormula(sheet, ref); f != "" {
				t.Errorf("LibreOffice made %s a formula: %q", ref, f)
			}
			if strings.Contains(v, "HYPERLINK") {
				found = true
				if !strings.HasSuffix(v, hostile) {
					t.Errorf("LibreOffice shows the hostile cell as %q, want the text %q", v, hostile)
				}
			}
		}
	}
	if !found {
		t.Fatal("the hostile message is not in LibreOffice's table")
	}
}

func convert(t *testing.T, soffice, out, to, file string, flags ...string) {
	t.Helper()
	profile := t.TempDir()
	args := append([]string{"-env:UserInstallation=file://" + filepath.ToSlash(profile), "--headless", "--norestore"}, flags...)
	cmd := exec.Command(soffice, append(args, "--convert-to", to, "--outdir", out, file)...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to %s %s: %v\n%s", to, file, err, b)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}
