package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func demoDir(parts ...string) string {
	return filepath.Join(append([]string{filepath.Dir(demoConfigPath())}, parts...)...)
}

func distTrustFlags() []string {
	return []string{
		"--keyring", demoDir("keys", "archive-keyring.asc"),
		"--key", demoDir("keys", "cosign.pub"),
		"--tuf-root", demoDir("keys", "tuf-root.json"),
		"--without-tlog-unsafe",
	}
}

func TestDistScanJSON(t *testing.T) {
	args := append([]string{"dist", "scan", demoDir("distribution"), "--json", "--at", "2026-08-20T00:00:00Z"}, distTrustFlags()...)
	r := pedigree(t, nil, args...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (a TUF target altered, a base image by tag)\n%s", r.code, r.stderr)
	}
	kinds := map[string]bool{}
	fails := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var f map[string]any
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		for _, k := range []string{"path", "kind", "check", "status", "message", "controls", "at"} {
			if _, ok := f[k]; !ok {
				t.Errorf("%s lacks %q", line, k)
			}
		}
		if f["at"] != "2026-08-20T00:00:00Z" {
			t.Errorf("at = %v", f["at"])
		}
		if len(f["controls"].([]any)) == 0 {
			t.Errorf("%s maps to no control", f["check"])
		}
		kinds[f["kind"].(string)] = true
		if f["status"] == "fail" {
			fails[f["check"].(string)] = true
		}
	}
	for _, k := range []string{"oci", "tuf", "apt"} {
		if !kinds[k] {
			t.Errorf("no %s finding", k)
		}
	}
	if len(fails) != 2 || !fails["DIST-TUF-TARGETS-MATCH"] || !fails["DIST-OCI-DIGEST-PINNED"] {
		t.Errorf("failed checks %v", fails)
	}
}

func TestDistScanExitCodes(t *testing.T) {
	// The apt repository alone passes: exit 0, a table with the instant.
	r := pedigree(t, nil, append([]string{"dist", "scan", demoDir("distribution", "apt"), "--at", "2026-08-20T00:00:00Z"}, distTrustFlags()...)...)
	if r.code != 0 || !strings.Contains(r.stdout, "DIST-APT-SIGNED") || !strings.Contains(r.stdout, "judged at 2026-08-20T00:00:00Z") {
		t.Errorf("apt: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// After Valid-Until: the same repository fails.
	r = pedigree(t, nil, append([]string{"dist", "scan", demoDir("distribution", "apt"), "--at", "2031-06-01T00:00:00Z"}, distTrustFlags()...)...)
	if r.code != 1 || !strings.Contains(r.stdout, "DIST-APT-VALID-UNTIL") {
		t.Errorf("expired apt: exit %d\n%s", r.code, r.stdout)
	}
	for _, args := range [][]string{
		{"dist", "scan", demoDir("distribution"), "--at", "yesterday"},
		{"dist", "scan", filepath.Join(t.TempDir(), "missing")},
		{"dist", "scan", demoDir("distribution"), "--keyring", demoDir("distribution", "apt", "dists", "stable", "InRelease")},
		{"dist", "scan"},
	} {
		r := pedigree(t, nil, args...)
		if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") > 1 {
			t.Errorf("%v: exit %d, stderr %q", args[2:], r.code, r.stderr)
		}
	}
}
