package csv_test

import (
	"bytes"
	"context"
	stdcsv "encoding/csv"
	"fmt"
	"log"
	"strings"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/reports/csv"
)

// Each table is its own format; a spreadsheet or any CSV reader takes the
// file as it is.
func ExampleFindings_Write() {
	var w csv.Findings
	var buf bytes.Buffer
	if err := w.Write(context.Background(), &buf, assessmenttest.Small()); err != nil {
		log.Fatal(err)
	}
	rows, err := stdcsv.NewReader(&buf).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(w.Format(), w.Filename(), len(rows)-1, "rows")
	for _, r := range rows {
		// finding, check, status, severity, controls
		fmt.Println(strings.Join([]string{r[0], r[1], r[4], r[5], r[11]}, ","))
	}
	// Output:
	// csv-findings findings.csv 5 rows
	// finding,check,status,severity,controls
	// f-inject,CI-TEMPLATE-INJECTION,fail,high,SA-11
	// f-ntia,SBOM-NTIA-MINIMUM,fail,medium,CM-8
	// f-sig,SIGN-ARTIFACT-VERIFIED,pass,critical,SI-7; SR-4(3)
	// f-sig-lib,SIGN-ARTIFACT-VERIFIED,not-assessed,critical,SI-7
	// f-err,ENGINE-COLLECTOR-ERROR,error,high,
}

// controls.csv has one row per control in scope.
func ExampleControls_Write() {
	var buf bytes.Buffer
	if err := (csv.Controls{}).Write(context.Background(), &buf, assessmenttest.Small()); err != nil {
		log.Fatal(err)
	}
	fmt.Print(buf.String())
	// Output:
	// control,label,title,family,family_title,baselines,cscrm,status,automated,methods,checks,findings,reason,ssdf,cmmc,manual_status,manual_assessor,manual_date,manual_statement
	// cm-8,CM-8,System Component Inventory,cm,Configuration Management,low; moderate; high,true,not-satisfied,true,,SBOM-NTIA-MINIMUM,f-ntia,SBOM-NTIA-MINIMUM failed,PS.3.2,CM.L2-3.4.1,,,,
	// sa-11,SA-11,Developer Testing and Evaluation,sa,System and Services Acquisition,moderate; high,true,not-satisfied,true,,CI-TEMPLATE-INJECTION,f-inject,CI-TEMPLATE-INJECTION failed,,,,,,
	// si-7,SI-7,"Software, Firmware, and Information Integrity",si,System and Information Integrity,moderate; high,true,not-assessed,true,,SIGN-ARTIFACT-VERIFIED,f-sig; f-sig-lib,SIGN-ARTIFACT-VERIFIED could not decide for lib,,,,,,
	// sr-4.3,SR-4(3),Validate as Genuine and Not Altered,sr,Supply Chain Risk Management,,true,satisfied,true,,SIGN-ARTIFACT-VERIFIED,f-sig,SIGN-ARTIFACT-VERIFIED passed,,,,,,
	// sr-3,SR-3,Supply Chain Controls and Processes,sr,Supply Chain Risk Management,low; moderate; high,true,satisfied,false,EXAMINE; INTERVIEW,,,manual evidence: interview with the release manager,,,satisfied,J. Doe,2026-02-20,Supply chain process documented in SCRM plan v3.
	// ac-2,AC-2,Account Management,ac,Access Control,low; moderate; high,false,not-assessed,false,EXAMINE; INTERVIEW,,,"no automated check assesses this control; it needs EXAMINE, INTERVIEW",,,,,,
}
