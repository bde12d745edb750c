package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/internal/readers"
)

// browser is a headless Chromium recording console errors, exceptions and
// every request.
type browser struct {
	ctx     context.Context
	console *readers.Console
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	ctx := readers.Browser(t, 1280, 900)
	return &browser{ctx: ctx, console: readers.Record(t, ctx)}
}

// problems are console errors, CSP violations and requests leaving the
// server.
func (b *browser) problems(origin string) []string {
	return b.console.Problems(func(u string) bool { return !strings.HasPrefix(u, origin+"/") })
}

func (b *browser) eval(t *testing.T, js string) string {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return fmt.Sprint(v)
}

// waitFor polls js until it yields want.
func (b *browser) waitFor(t *testing.T, js, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		if got = b.eval(t, js); got == want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s = %q, want %q", js, got, want)
}

func (b *browser) shot(t *testing.T, name string) {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		t.Fatal(err)
	}
	if len(png) < 2000 {
		t.Fatalf("screenshot %s is %d bytes", name, len(png))
	}
	dir := os.Getenv("PEDIGREE_SCREENSHOTS") // to look at them
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDashboard drives the dashboard in real headless Chromium: log in,
// systems with trend, start a run and watch it finish, reports, diff, a
// control across systems, cancel a run, and the phone-width layout.
func TestDashboard(t *testing.T) {
	b := newBrowser(t)
	f := newFixture(t)
	first := f.runToEnd(t, "web")
	f.runToEnd(t, "api")
	f.next = func() *assessment.Assessment {
		a := assessmenttest.Small()
		a.Controls[0].Status = assessment.Satisfied
		a.Findings[1].Status = "pass"
		return a
	}
	u := f.ts.URL
	rows := func(table string) string {
		return b.eval(t, fmt.Sprintf(`document.querySelectorAll('#%s tbody tr').length`, table))
	}
	if err := chromedp.Do(b.ctx,
		chromedp.Navigate(u+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#token")),
		chromedp.SendKeys(chromedp.CSS("#token"), f.tokens["admin"]),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#systems")),
	); err != nil {
		t.Fatal(err)
	}
	if n := rows("systems"); n != "3" {
		t.Fatalf("%s systems listed, want 3", n)
	}
	if n := b.eval(t, `document.querySelectorAll('#systems svg.trend rect').length`); n != "6" {
		t.Fatalf("trend bars: %s rects, want 6 (two runs, three parts each)", n)
	}
	if n := b.eval(t, `document.querySelector('tr[data-system="broken"]').textContent.includes('colour')`); n != "true" {
		t.Fatal("the broken system does not say why")
	}
	b.shot(t, "systems")

	// Run now on web: the run page follows it to the end.
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`tr[data-system="web"] button`)), chromedp.WaitVisible(chromedp.CSS("#status"))); err != nil {
		t.Fatal(err)
	}
	b.waitFor(t, `document.getElementById('status') && document.getElementById('status').textContent`, "succeeded")
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS("#reports"))); err != nil {
		t.Fatal(err)
	}
	if n := b.eval(t, `document.querySelectorAll('#reports a').length`); n != "3" {
		t.Fatalf("%s report links, want 3 (json, md, oscal-ar)", n)
	}
	second := b.eval(t, `location.pathname.split('/')[2]`)
	b.shot(t, "run")

	// Diff the new run with the first through the form.
	if err := chromedp.Do(b.ctx, chromedp.SetValue(chromedp.CSS("#old"), fmt.Sprint(first)), chromedp.Click(chromedp.CSS(`form[action="/diff"] button`)), chromedp.WaitVisible(chromedp.CSS("#controls"))); err != nil {
		t.Fatal(err)
	}
	if p := b.eval(t, `location.pathname`); p != "/runs/"+second+"/diff/"+fmt.Sprint(first) {
		t.Fatalf("diff page %s", p)
	}
	if n := rows("controls"); n != "1" {
		t.Fatalf("%s control changes, want 1 (cm-8)", n)
	}
	b.shot(t, "diff")

	if err := chromedp.Do(b.ctx, chromedp.Navigate(u+"/controls/CM-8"), chromedp.WaitVisible(chromedp.CSS("#across"))); err != nil {
		t.Fatal(err)
	}
	if n := rows("across"); n != "2" {
		t.Fatalf("cm-8 across %s systems, want 2", n)
	}
	if n := rows("history"); n != "3" {
		t.Fatalf("cm-8 history %s runs, want 3", n)
	}

	// Cancel a run that is held running.
	f.gate = make(chan struct{})
	defer close(f.gate)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(u+"/systems/web"), chromedp.WaitVisible(chromedp.CSS("#runs")),
		chromedp.Click(chromedp.CSS(`form[action="/runs"] button`)), chromedp.WaitVisible(chromedp.CSS("#cancel"))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS("#cancel"))); err != nil {
		t.Fatal(err)
	}
	b.waitFor(t, `document.getElementById('status') && document.getElementById('status').textContent`, "cancelled")

	// Phone width: nothing wider than the screen but the scrolling tables.
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(u+"/"), chromedp.WaitVisible(chromedp.CSS("#systems"))); err != nil {
		t.Fatal(err)
	}
	if w := b.eval(t, `document.documentElement.scrollWidth <= window.innerWidth`); w != "true" {
		t.Fatalf("page wider than the phone: %s > %s", b.eval(t, `document.documentElement.scrollWidth`), b.eval(t, `window.innerWidth`))
	}
	b.shot(t, "systems-phone")
	if err := chromedp.Do(b.ctx, chromedp.Navigate(u+"/runs/"+second), chromedp.WaitVisible(chromedp.CSS("#reports"))); err != nil {
		t.Fatal(err)
	}
	if w := b.eval(t, `document.documentElement.scrollWidth <= window.innerWidth`); w != "true" {
		t.Fatal("run page wider than the phone")
	}
	b.shot(t, "run-phone")
	if p := b.problems(u); len(p) > 0 {
		t.Fatalf("browser problems:\n%s", strings.Join(p, "\n"))
	}
}
