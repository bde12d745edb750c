package cichecks

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/examples/*.out")

// TestExamples scans each file of testdata/examples and compares the output
// with its .out file (file:line:col: message [rule]); testdata/ok must give
// nothing.
func TestExamples(t *testing.T) {
	files, _ := filepath.Glob("testdata/examples/*.yml")
	more, _ := filepath.Glob("testdata/examples/.*.yml")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			rs, err := Scan(context.Background(), []string{f}, ScanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, r := range rs {
				fmt.Fprintf(&b, "%s:%d:%d: %s [%s]\n", filepath.Base(r.File), r.Line, r.Column, r.Message, r.Rule)
			}
			golden := f + ".out"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("output differs from %s\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
	ok, _ := filepath.Glob("testdata/ok/*.yml")
	okHidden, _ := filepath.Glob("testdata/ok/.*.yml")
	for _, f := range append(ok, okHidden...) {
		rs, err := Scan(context.Background(), []string{f}, ScanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			t.Errorf("%s:%d:%d: unexpected finding: %s [%s]", f, r.Line, r.Column, r.Message, r.Rule)
		}
	}
}
