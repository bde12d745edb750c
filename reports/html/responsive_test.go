package html

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/internal/readers"
	"github.com/pedigree-dev/pedigree/reports/view"
)

// TestResponsive opens the page, with a CMMC section, at phone widths
// (360–430 px) and on a desktop (1400 px): the page never scrolls sideways,
// the family chart fits the width, table headers do not break letter by
// letter, badges stay inside their cell or card, no findings row is taller
// than the window, and a jump to a section lands with its heading below the
// sticky bar. Screenshots are left in PEDIGREE_SCREENSHOTS when it names a
// folder.
func TestResponsive(t *testing.T) {
	a := assessmenttest.Random(7, 600, 80)
	a.Findings[0].Message = "a-very-long-unbroken-token-" + "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	// A finding over a whole release cites hundreds of evidence items; it
	// sorts first, among the rows shown.
	f := view.SortedFindings(a)[0]
	for len(f.Evidence) < 300 {
		f.Evidence = append(f.Evidence, a.Evidence[len(f.Evidence)%len(a.Evidence)].ID)
	}
	// A CMMC section whose status is a sentence, not a word.
	a.CMMC = assessmenttest.SmallCMMC().CMMC
	a.CMMC.Score.Status, a.CMMC.Score.POAMDeadline = assessment.CMMCConditional, "2027-06-02"
	_, page := writePage(t, a)
	const probe = `(function(){
	  var d = document.documentElement;
	  var chart = document.querySelector("svg[aria-label='Controls by family']").getBoundingClientRect();
	  // A header broken inside a word is narrower than that word.
	  var ctx = document.createElement("canvas").getContext("2d"), broken = [];
	  document.querySelectorAll("th").forEach(function(th){
	    if (!th.offsetParent) return;
	    var cs = getComputedStyle(th);
	    ctx.font = cs.fontWeight + " " + cs.fontSize + " " + cs.fontFamily;
	    var room = th.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
	    th.textContent.trim().split(/\s+|(?<=-)/).forEach(function(w){ if (ctx.measureText(w).width > room + 1) broken.push(w + " in " + Math.round(room) + "px"); });
	  });
	  // A badge wider than its cell spills over the next one.
	  var spilled = 0;
	  document.querySelectorAll("td .badge").forEach(function(b){
	    if (!b.offsetParent) return;
	    var td = b.closest("td").getBoundingClientRect(), r = b.getBoundingClientRect();
	    if (r.right > td.right + 0.5) spilled++;
	  });
	  // What a card holds stays inside the card.
	  document.querySelectorAll(".card *").forEach(function(e){
	    if (e.getBoundingClientRect().right > e.closest(".card").getBoundingClientRect().right + 0.5) spilled++;
	  });
	  // A findings row taller than the window cannot be read whole.
	  var tall = [];
	  document.querySelectorAll("#findings tbody tr").forEach(function(tr){
	    if (!tr.offsetParent) return;
	    var h = tr.getBoundingClientRect().height;
	    if (h > window.innerHeight) tall.push(tr.id + " " + Math.round(h) + "px");
	  });
	  return {scroll: d.scrollWidth, inner: window.innerWidth, chartRight: chart.right, brokenTH: broken, spilledBadges: spilled, tallRows: tall};
	})()`
	type layout struct {
		Scroll, Inner, ChartRight float64
		BrokenTH                  []string
		SpilledBadges             int
		TallRows                  []string
	}
	for _, w := range []int{360, 390, 430, 1400} {
		t.Run(fmt.Sprintf("%dpx", w), func(t *testing.T) {
			ctx := readers.Browser(t, w, 900)
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), 900), chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#findings"))); err != nil {
				t.Fatal(err)
			}
			l, err := chromedp.Run(ctx, chromedp.Evaluate[layout](probe))
			if err != nil {
				t.Fatal(err)
			}
			if l.Scroll > l.Inner {
				t.Errorf("the page is %v px wide in a %v px window: it scrolls sideways", l.Scroll, l.Inner)
			}
			if l.ChartRight > l.Inner {
				t.Errorf("the family chart ends at %v px, past the %v px window", l.ChartRight, l.Inner)
			}
			if l.SpilledBadges > 0 {
				t.Errorf("%d status badges spill over their cell or card", l.SpilledBadges)
			}
			if len(l.TallRows) > 0 {
				t.Errorf("findings rows taller than the 900 px window: %v", l.TallRows)
			}
			if len(l.BrokenTH) > 0 {
				t.Errorf("table headers break inside words: %v", l.BrokenTH)
			}
			for _, sec := range []string{"sec-cmmc", "sec-controls", "sec-findings", "sec-evidence"} {
				// The bar's bottom is read after the jump, when it is stuck
				// to the top of the window.
				got, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`(function(){location.hash="#%s"; return [document.querySelector("#%s h2").getBoundingClientRect().top, document.querySelector("nav").getBoundingClientRect().bottom]})()`, sec, sec)))
				if err != nil {
					t.Fatal(err)
				}
				if got[0] < got[1] {
					t.Errorf("after a jump to #%s its heading is at %v px, under the sticky bar (bottom %v px)", sec, got[0], got[1])
				}
			}
			if dir := os.Getenv("PEDIGREE_SCREENSHOTS"); dir != "" {
				if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#findings"))); err != nil {
					t.Fatal(err)
				}
				for _, at := range []string{"", "sec-findings"} {
					if at != "" {
						if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`location.hash="#`+at+`"`)); err != nil {
							t.Fatal(err)
						}
					}
					shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("pedigree-%dpx%s.png", w, at)), shot, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}
