package html

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
)

// TestCMMCSection: practice → objective → finding → evidence, each a link
// to the row the page already has; nothing when the run had no CMMC scope.
func TestCMMCSection(t *testing.T) {
	a := assessmenttest.SmallCMMC()
	a.CMMC.Practices[1].Objectives[1].Text = `<img src=x onerror=alert(1)>`
	var b bytes.Buffer
	if err := (&Writer{}).Write(context.Background(), &b, a); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`<a href="#sec-cmmc">CMMC</a>`, `<section id="sec-cmmc">`, `<b>100 to 105/110 (incomplete: 1 practice(s) not assessed)</b>`,
		`id="pr-CM.L2-3.4.1" data-s="not-met"`, `id="obj-CM.L2-3.4.1[e]"`, `<a href="#ctl-cm-8">CM-8</a>`,
		`<a href="#fd-f-ntia" class="mono">f-ntia</a>`, `<a href="#ev-e1" class="mono">e1</a>`, `manual evidence manual.yaml:16`,
		`<b>Examine:</b> System and information integrity policy`, `yes (2026-06-30)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(out, "<img src=x") {
		t.Error("objective text not escaped")
	}
	b.Reset()
	if err := (&Writer{}).Write(context.Background(), &b, assessmenttest.Small()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "sec-cmmc") {
		t.Error("CMMC section without a CMMC scope")
	}
}
