package cichecks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const unpinned = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-go@v5\n"

// Files named one by one share their folder's root; a folder and a file in
// it give each finding once; a missing path is an error naming it.
func TestScanPaths(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		".github/workflows/a.yml": unpinned,
		".github/workflows/b.yml": unpinned,
		".gitlab-ci.yml":          "include:\n  - local: /ci/job.yml\n",
		"ci/job.yml":              "build:\n  image: golang:1.26\n  script: [make]\n",
	})
	wf := filepath.Join(dir, ".github", "workflows")
	a, b := filepath.Join(wf, "a.yml"), filepath.Join(wf, "b.yml")

	rs, err := Scan(context.Background(), []string{a, b}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].File != a || rs[1].File != b || rs[0].Rule != "unpinned-uses" || rs[0].Line != 7 || rs[0].Column != 15 {
		t.Fatalf("two files: %+v", rs)
	}

	// The repository, one of its files again (spelt differently) and the
	// folder: every finding once.
	all, err := Scan(context.Background(), []string{dir, a, wf + string(filepath.Separator)}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range all {
		k := r.File + ":" + r.Rule + ":" + r.Message
		if seen[k] {
			t.Errorf("duplicate finding %+v", r)
		}
		seen[k] = true
	}
	var images int
	for _, r := range all {
		if r.Rule == "unpinned-images" && r.File == filepath.Join(dir, "ci", "job.yml") {
			images++
		}
	}
	if images != 1 {
		t.Errorf("the GitLab include was not scanned once: %+v", all)
	}

	// A GitLab file named on its own still follows its local includes.
	gl, err := Scan(context.Background(), []string{filepath.Join(dir, ".gitlab-ci.yml")}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(gl) == 0 || gl[len(gl)-1].File != filepath.Join(dir, "ci", "job.yml") {
		t.Errorf("include of a file named alone: %+v", gl)
	}

	missing := filepath.Join(dir, "nope.yml")
	if _, err := Scan(context.Background(), []string{a, missing}, ScanOptions{}); err == nil || !strings.Contains(err.Error(), "ci scan: target "+missing) {
		t.Errorf("missing path: %v", err)
	}
	if rs, err := Scan(context.Background(), nil, ScanOptions{}); err != nil || rs != nil {
		t.Errorf("no paths: %v %v", rs, err)
	}
}

// A file named directly that is a symlink out of its folder is not read:
// the folder's root refuses it, and the scan says so.
func TestScanSymlinkOutOfFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	outside, dir := t.TempDir(), t.TempDir()
	writeFiles(t, outside, map[string]string{"w.yml": unpinned})
	link := filepath.Join(dir, "w.yml")
	if err := os.Symlink(filepath.Join(outside, "w.yml"), link); err != nil {
		t.Fatal(err)
	}
	rs, err := Scan(context.Background(), []string{link}, ScanOptions{})
	if err == nil || !strings.Contains(err.Error(), "path leaves the target tree") {
		t.Fatalf("err = %v, want the link refused", err)
	}
	for _, r := range rs {
		if r.Rule == "unpinned-uses" {
			t.Fatalf("the file outside the folder was read: %+v", rs)
		}
	}
}

// The control labels of a rule are looked up once per scan, not per
// finding, and only for a rule that found something: a clean file never
// reads the mapping.
func TestScanControlsLookedUpOnce(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, n := range []string{"a", "b", "c", "d"} {
		writeFiles(t, dir, map[string]string{n + ".yml": unpinned})
		paths = append(paths, filepath.Join(dir, n+".yml"))
	}
	var calls atomic.Int64
	rs, err := Scan(context.Background(), paths, ScanOptions{Controls: func(id string) []string {
		calls.Add(1)
		if id == "CI-UNPINNED-USES" {
			return []string{"CM-2"}
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 4 || rs[0].Controls[0] != "CM-2" {
		t.Fatalf("results %+v", rs)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("Controls called %d times for the one rule that found something", n)
	}
	clean := filepath.Join(dir, "clean.yml")
	writeFiles(t, dir, map[string]string{"clean.yml": "on: push\npermissions: {}\njobs:\n  b:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n"})
	calls.Store(0)
	rs, err = Scan(context.Background(), []string{clean}, ScanOptions{Controls: func(string) []string {
		calls.Add(1)
		return nil
	}})
	if err != nil || len(rs) != 0 {
		t.Fatalf("clean file: %v %+v", err, rs)
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("a clean scan looked up controls %d times", n)
	}
}

// TestScanNoPipeline: whatever the path names (a workflows folder, the
// folder it is in, a file), pipelines are found; a path with none is an
// ErrNoPipeline naming it, returned with the other paths' findings.
func TestScanNoPipeline(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"repo/.github/workflows/a.yml": unpinned,
		"repo/README.md":               "# x\n",
		"docs/index.md":                "# x\n",
		"notes.txt":                    "on: push\n",
	})
	wf := filepath.Join(dir, "repo", ".github", "workflows")
	for _, p := range []string{wf, filepath.Dir(wf), filepath.Join(dir, "repo")} {
		rs, err := Scan(context.Background(), []string{p}, ScanOptions{})
		if err != nil || len(rs) != 1 || rs[0].Rule != "unpinned-uses" {
			t.Errorf("%s: %v %+v", p, err, rs)
		}
	}
	t.Chdir(wf)
	if rs, err := Scan(context.Background(), []string{"."}, ScanOptions{}); err != nil || len(rs) != 1 || rs[0].File != "a.yml" {
		t.Errorf("scan . inside the workflows folder: %v %+v", err, rs)
	}
	for _, p := range []string{filepath.Join(dir, "docs"), filepath.Join(dir, "notes.txt")} {
		rs, err := Scan(context.Background(), []string{wf, p}, ScanOptions{})
		if !errors.Is(err, ErrNoPipeline) || !strings.Contains(err.Error(), p) || len(rs) != 1 {
			t.Errorf("%s: %v, %d findings", p, err, len(rs))
		}
	}
}
