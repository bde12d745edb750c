package markdown

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
)

func TestGoldenCMMC(t *testing.T) {
	var b bytes.Buffer
	if err := New(0).Write(context.Background(), &b, assessmenttest.SmallCMMC()); err != nil {
		t.Fatal(err)
	}
	assessmenttest.Golden(t, "testdata/small-cmmc.md", b.Bytes())
}

// TestSPRSLine: the summary line is the score, the range while incomplete,
// or why there is none.
func TestSPRSLine(t *testing.T) {
	n := 96
	for _, tt := range []struct {
		score assessment.SPRSScore
		level int
		want  string
	}{
		{assessment.SPRSScore{Score: &n, Complete: true, Max: 110}, 2, "SPRS score: 96/110\n"},
		{assessment.SPRSScore{Complete: false, IfUnassessedMet: 101, IfUnassessedNotMet: 60, Max: 110}, 2, "SPRS score: 60 to 101/110 (incomplete"},
		{assessment.SPRSScore{Complete: true, Max: 110}, 2, "SPRS score: none (CA.L2-3.12.4"},
		{assessment.SPRSScore{Complete: true}, 1, "SPRS score: none (Level 1"},
	} {
		a := assessmenttest.SmallCMMC()
		a.CMMC.Level, a.CMMC.Score = tt.level, tt.score
		var b bytes.Buffer
		if err := New(0).Write(context.Background(), &b, a); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("want %q in\n%s", tt.want, b.String()[:400])
		}
	}
}
