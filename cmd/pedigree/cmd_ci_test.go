package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCIScanPaths runs the binary: a workflows folder (and `ci scan .`
// inside it) is scanned, a path without pipelines exits 2 saying so, and
// the GitHub Actions records of the configured OSV database are read.
func TestCIScanPaths(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("repo/.github/workflows/ci.yml", "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: some/action@v1.1.0\n")
	write("empty/README.md", "# nothing to scan\n")
	write("osv/GHSA-test.json", `{"id": "GHSA-test-0001", "summary": "test advisory", "affected": [{"package": {"ecosystem": "GitHub Actions", "name": "some/action"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]}]}`)
	write("pedigree.yaml", "vuln:\n  osv: [osv]\n  no-cache: true\n")
	wf := filepath.Join(dir, "repo", ".github", "workflows")

	r := pedigree(t, nil, "ci", "scan", wf)
	if r.code != 1 || !strings.Contains(r.stdout, "ci.yml:7:15:") || !strings.Contains(r.stdout, "[unpinned-uses]") {
		t.Errorf("ci scan of the workflows folder: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = pedigree(t, nil, "ci", "scan", filepath.Join(dir, "empty"), wf)
	if r.code != 2 || !strings.Contains(r.stderr, "empty: no pipeline file") || !strings.Contains(r.stdout, "[unpinned-uses]") {
		t.Errorf("a path without pipelines: exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	r = pedigree(t, nil, "ci", "scan", "--config", filepath.Join(dir, "pedigree.yaml"), wf)
	if r.code != 1 || !strings.Contains(r.stdout, "some/action@v1.1.0 is affected by GHSA-test-0001") {
		t.Errorf("OSV database not read: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
