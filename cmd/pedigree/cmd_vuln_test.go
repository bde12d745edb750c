package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestVulnMatch(t *testing.T) {
	demo := filepath.Join("..", "..", "examples", "demo", "vuln")
	sbomFile := filepath.Join("..", "..", "controls", "vulnchecks", "testdata", "release", "app.cdx.json")
	args := []string{"vuln", "match", sbomFile, "--osv", filepath.Join(demo, "osv"), "--kev", filepath.Join(demo, "known_exploited_vulnerabilities.json"),
		"--vex", filepath.Join(demo, "pedigree-demo.openvex.json"), "--no-cache"}

	r := pedigree(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"log4j-core@2.14.1", "GHSA-jfh8-c2jp-5v3q CVE-2021-44228", "critical", "10.0 (v3.1)", "2.15.0", "not_affected (suppressed)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}

	r = pedigree(t, nil, append(args, "--json", "--fail-on", "critical")...)
	if r.code != 1 {
		t.Fatalf("--fail-on critical: exit %d, want 1", r.code)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d JSON lines, want one per component (6)", len(lines))
	}
	var first struct {
		Component struct{ Name string } `json:"component"`
		Matches   []struct {
			ID  string         `json:"id"`
			KEV map[string]any `json:"kev"`
		} `json:"matches"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first.Component.Name != "log4j-core" || first.Matches[0].KEV == nil {
		t.Errorf("first line %s: %v", lines[0], err)
	}

	r = pedigree(t, nil, "vuln", "match", sbomFile)
	if r.code != 2 || !strings.Contains(r.stderr, "--osv") {
		t.Errorf("no --osv: exit %d %s", r.code, r.stderr)
	}
	r = pedigree(t, nil, "vuln", "match", sbomFile, "--osv", "no/such/dir")
	if r.code != 2 || !strings.Contains(r.stderr, "no/such/dir") {
		t.Errorf("missing db: exit %d %s", r.code, r.stderr)
	}
}
