package csv

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/reports"
)

func TestGolden(t *testing.T) {
	for _, w := range []reports.Writer{Controls{}, Findings{}} {
		var b bytes.Buffer
		if err := w.Write(context.Background(), &b, assessmenttest.Small()); err != nil {
			t.Fatal(err)
		}
		assessmenttest.Golden(t, "testdata/small-"+w.Filename(), b.Bytes())
	}
}

func TestFormulaInjection(t *testing.T) {
	a := assessmenttest.Small()
	a.Findings[0].Message = "=HYPERLINK(\"http://evil\",\"click\")"
	var b bytes.Buffer
	if err := (Findings{}).Write(context.Background(), &b, a); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(a.Findings)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(a.Findings)+1)
	}
	if got := rows[1][6]; got != "'=HYPERLINK(\"http://evil\",\"click\")" {
		t.Fatalf("message cell %q, want it defused with a leading apostrophe", got)
	}
	if rows[1][7] != ".github/workflows/release.yml" || rows[1][8] != "42" || rows[1][9] != "14" {
		t.Fatalf("location cells %q, want path, line 42, column 14", rows[1][7:10])
	}
}
