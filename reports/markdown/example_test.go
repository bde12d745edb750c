package markdown_test

import (
	"context"
	"log"
	"os"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/reports/markdown"
)

// The Markdown report fits a pull-request comment: verdict, tallies, the
// controls not satisfied and the worst failing findings, here capped at two.
func ExampleWriter_Write() {
	w := markdown.New(2)
	if err := w.Write(context.Background(), os.Stdout, assessmenttest.Small()); err != nil {
		log.Fatal(err)
	}
	// Output:
	// ## pedigree: Demo release assessment
	//
	// ❌ **FAIL** · 6 controls · 5 findings · 4 evidence · pedigree 0.1.0-test · run `11111111-2222-4333-8444-555555555555` · 2026-03-01 12:00:00Z
	//
	// Scope: baseline moderate · SP 800-53 Rev 5 catalog 5.1.1 · targets `app`, `lib`
	//
	// | Controls | not-satisfied | not-assessed | satisfied | total |
	// |---|--:|--:|--:|--:|
	// | all | 2 | 2 | 2 | 6 |
	//
	// | Findings | fail | error | not-assessed | pass | not-applicable | total |
	// |---|--:|--:|--:|--:|--:|--:|
	// | sbom | 1 | 0 | 0 | 0 | 0 | 1 |
	// | signing | 0 | 0 | 1 | 1 | 0 | 2 |
	// | build | 1 | 0 | 0 | 0 | 0 | 1 |
	// | engine | 0 | 1 | 0 | 0 | 0 | 1 |
	// | **all** | **2** | **1** | **1** | **1** | **0** | **5** |
	//
	// Failing findings by severity: critical 0 · high 1 · medium 1 · low 0 · info 0
	//
	// ### Controls not satisfied (2)
	//
	// | Control | Title | Why |
	// |---|---|---|
	// | CM-8 | System Component Inventory | SBOM-NTIA-MINIMUM failed |
	// | SA-11 | Developer Testing and Evaluation | CI-TEMPLATE-INJECTION failed |
	//
	// ### Findings to fix (3)
	//
	// | Severity | Status | Check | Where | Message |
	// |---|---|---|---|---|
	// | high | fail | `CI-TEMPLATE-INJECTION` | `.github/workflows/release.yml:42:14` | step "publish" expands ${{ github.event.issue.title }} into a run: script |
	// | medium | fail | `SBOM-NTIA-MINIMUM` | `dist/app.cdx.json` | 2 of 3 components lack a supplier |
	// | | | … 1 more in the full report | | |
	//
	// 2 controls are not assessed by automation and need an assessor (examine, interview); see the full report.
}
