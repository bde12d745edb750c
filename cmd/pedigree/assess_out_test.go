package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAssessBundleInFreshOut: the bundle may go into any folder the run
// creates for --out (the folder itself or a parent it creates on the way);
// a folder nothing creates is still refused before the run.
func TestAssessBundleInFreshOut(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "tree")
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "a.txt"), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, out, bundle string
		code              int
		want              string
	}{
		{"bundle in the new out folder", "o1", "o1/evidence.tar.gz", 0, ""},
		{"bundle in a new nested out folder", "o2/a/b", "o2/a/b/evidence.tar.gz", 0, ""},
		{"bundle in a parent the out folder creates", "o3/a", "o3/evidence.tar.gz", 0, ""},
		{"bundle in a folder nothing creates", "o4", "elsewhere/evidence.tar.gz", 2, "--bundle elsewhere/evidence.tar.gz: folder elsewhere"},
		{"bundle below the out folder", "o5", "o5/sub/evidence.tar.gz", 2, "folder o5/sub"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runHostileIn(t, dir, "assess", target, "--out", tc.out, "--bundle", tc.bundle, "--quiet", "--fail-on", "none")
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.code, r.stderr)
			}
			if tc.code != 0 {
				if !strings.Contains(r.stderr, tc.want) {
					t.Fatalf("stderr %q does not contain %q", r.stderr, tc.want)
				}
				return
			}
			if st, err := os.Stat(filepath.Join(dir, tc.bundle)); err != nil || st.Size() == 0 {
				t.Fatalf("bundle not written: %v", err)
			}
			if _, err := os.Stat(filepath.Join(dir, tc.out, "pedigree.json")); err != nil {
				t.Fatalf("reports not written: %v", err)
			}
		})
	}
}
