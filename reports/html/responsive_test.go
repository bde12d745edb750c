package html

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/internal/readers"
)

// TestResponsive opens the page at phone widths (360–430 px) and on a
// desktop (1400 px): the page never scrolls sideways, the family chart fits
// the width, table headers do not break letter by letter, and a jump to a
// section lands with its heading below the sticky bar. Screenshots are
// left in PEDIGREE_SCREENSHOTS when it names a folder.
func TestResponsive(t *testing.T) {
	a := assessmenttest.Random(7, 600, 80)
	a.Findings[0].Message = "a-very-long-unbroken-token-" + "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	_, page := writePage(t, a)
	const probe = `(function(){
	  var d = document.documentElement;
	  var chart = document.querySelector("svg[aria-label='Controls by family']").getBoundingClientRect();
	  var narrowest = 1e9;
	  document.querySelectorAll("th").forEach(function(th){ if (th.offsetParent) narrowest = Math.min(narrowest, th.getBoundingClientRect().width); });
	  return {scroll: d.scrollWidth, inner: window.innerWidth, chartRight: chart.right, narrowestTH: narrowest};
	})()`
	type layout struct {
		Scroll, Inner, ChartRight, NarrowestTH float64
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
			// Letter-by-letter headers are a few pixels wide.
			if l.NarrowestTH < 40 {
				t.Errorf("the narrowest table header is %v px wide", l.NarrowestTH)
			}
			for _, sec := range []string{"sec-controls", "sec-findings", "sec-evidence"} {
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
				shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("pedigree-%dpx.png", w)), shot, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
