package html

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
)

// TestBrowserCMMC drills down in a real browser: practice → objective →
// finding → evidence, each click revealing the row it names.
func TestBrowserCMMC(t *testing.T) {
	b := newBrowser(t)
	_, page := writePage(t, assessmenttest.SmallCMMC())
	run := func(name, src string) string {
		t.Helper()
		if err := chromedp.Do(b.ctx, chromedp.Sleep(50*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		v, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return fmt.Sprint(v)
	}
	if err := chromedp.Do(b.ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#cmmc"))); err != nil {
		t.Fatal(err)
	}
	shown := func(table string) string { return fmt.Sprintf(visibleJS, table) }
	if n := run("load", shown("cmmc")); n != "3" {
		t.Errorf("practices shown: %s, want 3", n)
	}
	run("filter", `(function(){var e=document.querySelector('select[data-filter="cmmc"]');e.value="not-met";e.dispatchEvent(new Event("change"));})()`)
	if n := run("filtered", shown("cmmc")); n != "1" {
		t.Errorf("not-met practices shown: %s, want 1", n)
	}
	run("open", `document.querySelector('#pr-CM\\.L2-3\\.4\\.1 details summary').click()`)
	if open := run("opened", `document.querySelector('#pr-CM\\.L2-3\\.4\\.1 details').open`); open != "true" {
		t.Errorf("practice details not open: %s", open)
	}
	run("to finding", `document.getElementById("obj-CM.L2-3.4.1[e]").querySelector('a[href="#fd-f-ntia"]').click()`)
	if hl := run("finding", `document.getElementById("fd-f-ntia").classList.contains("hl") && document.getElementById("fd-f-ntia").offsetParent !== null`); hl != "true" {
		t.Errorf("finding row not revealed: %s", hl)
	}
	run("to evidence", `document.getElementById("obj-CM.L2-3.4.1[e]").querySelector('a[href="#ev-e1"]').click()`)
	if hl := run("evidence", `document.getElementById("ev-e1").classList.contains("hl")`); hl != "true" {
		t.Errorf("evidence row not revealed: %s", hl)
	}
	run("to practice", `location.hash="#pr-SI.L2-3.14.1"`)
	if hl := run("practice", `document.getElementById("pr-SI.L2-3.14.1").offsetParent !== null`); hl != "true" {
		t.Errorf("a link to a practice hidden by the filter does not reveal it: %s", hl)
	}
	if p := b.problems(page); len(p) > 0 {
		t.Fatalf("page problems:\n%s", strings.Join(p, "\n"))
	}
}

// TestBrowserNoCMMC: a page without a CMMC scope has no CMMC table, and a
// link to a row no table holds raises no error.
func TestBrowserNoCMMC(t *testing.T) {
	b := newBrowser(t)
	_, page := writePage(t, assessmenttest.Small())
	if err := chromedp.Do(b.ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#controls"))); err != nil {
		t.Fatal(err)
	}
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](`location.hash = "#pr-NOWHERE"; Object.keys(window.pedigree.tables).join(",")`))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(v); got != "controls,findings,evidence,poam,components,crypto" {
		t.Errorf("tables %s", got)
	}
	if err := chromedp.Do(b.ctx, chromedp.Sleep(100*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if p := b.problems(page); len(p) > 0 {
		t.Fatalf("page problems:\n%s", strings.Join(p, "\n"))
	}
}
