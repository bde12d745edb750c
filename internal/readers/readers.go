// Package readers finds and starts, for tests, the programs people open
// pedigree's reports with: headless Chromium (the HTML page, Heimdall Lite),
// the npm tools scripts/install-report-readers.sh puts in .cache/npm
// (Heimdall Lite, the SARIF Multitool), LibreOffice and Python's openpyxl.
// A test whose reader is absent skips and says which script installs it;
// when PEDIGREE_SKIPLOG names a file, the skip is also appended there so
// that scripts/test.sh can say how many reader tests did not run.
package readers

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/pedigree-dev/pedigree/internal/sharedtest"
)

// Skip skips t for want of a reader, and records it in PEDIGREE_SKIPLOG.
func Skip(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if p := os.Getenv("PEDIGREE_SKIPLOG"); p != "" {
		if f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			// One short write per line: O_APPEND keeps lines of parallel
			// test binaries whole.
			_, _ = f.WriteString(t.Name() + ": " + strings.ReplaceAll(msg, "\n", " ") + "\n")
			_ = f.Close()
		}
	}
	t.Skip(msg)
}

// NodeTool is the path of a file inside an npm package installed in the
// module's .cache/npm, or skips t.
func NodeTool(t testing.TB, pkg string, rel ...string) string {
	t.Helper()
	root, err := sharedtest.ModuleRoot()
	if err != nil {
		Skip(t, "cannot find the module root: %v", err)
	}
	p := filepath.Join(append([]string{root, ".cache", "npm", "node_modules", pkg}, rel...)...)
	if _, err := os.Stat(p); err != nil {
		Skip(t, "npm package %s is not installed in .cache/npm: run scripts/install-report-readers.sh (needs npm)", pkg)
	}
	return p
}

// Program is the path of the first of names on PATH, or skips t saying
// which Debian package provides it.
func Program(t testing.TB, debian string, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	Skip(t, "%s not on PATH: install Debian's %s (scripts/install-chromium.sh does)", names[0], debian)
	return ""
}

// Python is a python3 that imports mod, or skips t.
func Python(t testing.TB, debian, mod string) string {
	t.Helper()
	// Debian's python3 first: its python3-* packages are what the install
	// script provides, and another python3 on PATH may not see them.
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		exe, err := exec.LookPath(p)
		if err != nil {
			continue
		}
		if exec.Command(exe, "-c", "import "+mod).Run() == nil {
			return exe
		}
	}
	Skip(t, "no python3 with %s: install Debian's %s (scripts/install-chromium.sh does)", mod, debian)
	return ""
}

// Browser starts a headless Chromium with a window of w×h CSS pixels and a
// fresh profile, the flags this closed network needs (no background
// networking, no component updates, no QUIC), and returns its context,
// which ends with the test.
func Browser(t testing.TB, w, h int) context.Context {
	t.Helper()
	exe := Program(t, "chromium", "chromium", "chromium-browser", "google-chrome", "headless-shell")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(w, h),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 150*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		Skip(t, "cannot start Chromium %s: %v", exe, err)
	}
	return ctx
}

// Serve serves dir over HTTP on a loopback port until the test ends and
// returns its base URL (with a trailing slash).
func Serve(t testing.TB, dir string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir)), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + l.Addr().String() + "/"
}

// Console records what a page in Chromium reports as wrong (console errors
// and warnings, uncaught exceptions, error and warning log entries) and
// every request it makes.
type Console struct {
	mu       sync.Mutex
	errors   []string
	requests []string
}

// Record listens to the Chromium of ctx until the test ends.
func Record(t testing.TB, ctx context.Context) *Console {
	t.Helper()
	c := &Console{}
	err := chromedp.Listen(ctx, func(ev any) {
		c.mu.Lock()
		defer c.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == "error" || e.Type == "warning" || e.Type == "assert" {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				c.errors = append(c.errors, "console."+string(e.Type)+": "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			c.errors = append(c.errors, "exception: "+msg)
		case *log.EventEntryAdded:
			if e.Entry.Level == "error" || e.Entry.Level == "warning" {
				c.errors = append(c.errors, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			c.requests = append(c.requests, e.Request.URL)
		}
	})
	if err != nil {
		t.Fatalf("listen to Chromium: %v", err)
	}
	return c
}

// Problems are the errors recorded so far and every request for which
// foreign says the page should not have made it.
func (c *Console) Problems(foreign func(url string) bool) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := append([]string(nil), c.errors...)
	for _, r := range c.requests {
		if foreign(r) {
			out = append(out, "request: "+r)
		}
	}
	return out
}
