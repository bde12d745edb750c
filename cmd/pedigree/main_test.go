package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The integration tests run the built binary, as users and scripts do.
var pedigreeBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pedigree-bin")
	if err != nil {
		panic(err)
	}
	pedigreeBin = filepath.Join(dir, "pedigree")
	build := exec.Command("go", "build", "-o", pedigreeBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("build pedigree: " + err.Error())
	}
	code := m.Run()
	removeReaderRuns()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

func pedigree(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(pedigreeBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func demoConfigPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "examples", "demo", "pedigree.yaml")
}

func demoConfig(*testing.T) string { return demoConfigPath() }

func loadNative(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func controlStatuses(a map[string]any) map[string]string {
	out := map[string]string{}
	for _, c := range a["controls"].([]any) {
		c := c.(map[string]any)
		out[c["id"].(string)] = c["status"].(string)
	}
	return out
}

func TestAssessDemo(t *testing.T) {
	out := t.TempDir()
	r := pedigree(t, nil, "assess", "--config", demoConfig(t), "--out", out, "--quiet")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (the demo has a tampered artifact)\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if r.stderr != "pedigree: "+firstLine(r.stderr) {
		t.Errorf("stderr with --quiet should be the one-line verdict, got %q", r.stderr)
	}
	for _, f := range []string{"assessment-results.json", "assessment-plan.json", "poam.json", "pedigree.json"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(out, ".*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	st := controlStatuses(loadNative(t, filepath.Join(out, "pedigree.json")))
	for id, want := range map[string]string{
		"si-7":    "not-satisfied", // the tampered zip
		"sr-1":    "satisfied",     // manual evidence
		"sr-2":    "not-satisfied", // manual evidence
		"ac-2":    "not-assessed",  // nothing automated
		"ra-5.11": "satisfied",     // SECURITY.md: REPO-SECURITY-POLICY is sufficient for the whole statement
		"si-2.4":  "satisfied",     // a Dependabot configuration: REPO-DEPENDENCY-UPDATES is sufficient
		"sr-4.4":  "not-assessed",  // its primary check (an in-toto layout) had nothing to judge
		"sr-11":   "not-assessed",  // a process control: never satisfied by automation alone
		"ra-5":    "not-satisfied", // log4j-core 2.14.1 is known-exploited
		"cm-7.8":  "not-satisfied", // a binary committed to the source
		"cm-8.1":  "not-assessed",  // SBOM-STALE, partial, passes on both SBOMs (the image's attested one too)
	} {
		if st[id] != want {
			t.Errorf("%s = %q, want %q", id, st[id], want)
		}
	}
	if !strings.Contains(r.stdout, "satisfied") || !strings.Contains(r.stdout, "wrote ") {
		t.Errorf("summary missing from stdout: %q", r.stdout)
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return strings.TrimPrefix(l, "pedigree: ") + "\n"
}

func TestAssessFailOnAndPrecedence(t *testing.T) {
	out := t.TempDir()
	// none: never fail → exit 0 even with a not-satisfied control.
	if r := pedigree(t, nil, "assess", "--config", demoConfig(t), "--out", out, "--quiet", "--format", "json", "--fail-on", "none"); r.code != 0 {
		t.Fatalf("--fail-on none: exit %d: %s", r.code, r.stderr)
	}
	// The environment overrides the file; a flag overrides the environment.
	r := pedigree(t, []string{"PEDIGREE_BASELINE=low", "PEDIGREE_FAIL_ON=none"}, "assess", "--config", demoConfig(t), "--out", out, "--quiet", "--format", "json")
	if r.code != 0 {
		t.Fatalf("env fail-on none: exit %d: %s", r.code, r.stderr)
	}
	if got := loadNative(t, filepath.Join(out, "pedigree.json"))["scope"].(map[string]any)["baseline"]; got != "low" {
		t.Errorf("baseline from env = %v, want low", got)
	}
	r = pedigree(t, []string{"PEDIGREE_BASELINE=low", "PEDIGREE_FAIL_ON=none"}, "assess", "--config", demoConfig(t), "--out", out, "--quiet", "--format", "json", "--baseline", "high")
	if got := loadNative(t, filepath.Join(out, "pedigree.json"))["scope"].(map[string]any)["baseline"]; got != "high" || r.code != 0 {
		t.Errorf("baseline with flag = %v (exit %d), want high", got, r.code)
	}
	// severity gate: log4j-core is known-exploited and critical.
	if r := pedigree(t, nil, "assess", "--config", demoConfig(t), "--out", out, "--quiet", "--format", "json", "--fail-on", "severity>=critical"); r.code != 1 || !strings.Contains(r.stderr, "VULN-KNOWN-EXPLOITED") {
		t.Errorf("severity>=critical: exit %d: %s", r.code, r.stderr)
	}
	// A rule gate on a check that passes does not trip.
	if r := pedigree(t, nil, "assess", "--config", demoConfig(t), "--out", out, "--quiet", "--format", "json", "--fail-on", "rule=REPO-SECURITY-POLICY"); r.code != 0 {
		t.Errorf("rule=REPO-SECURITY-POLICY: exit %d, want 0: %s", r.code, r.stderr)
	}
	if r := pedigree(t, nil, "assess", "--config", demoConfig(t), "--out", out, "--quiet", "--format", "json", "--fail-on", "rule=FILES-CHECKSUM-MISMATCH"); r.code != 1 || !strings.Contains(r.stderr, "FILES-CHECKSUM-MISMATCH") {
		t.Errorf("rule gate: exit %d: %s", r.code, r.stderr)
	}
}

func TestAssessBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("rel/a.tar.gz", "A")
	escape := filepath.Join(dir, "escape")
	os.MkdirAll(escape, 0o755)
	os.Symlink("/etc/hostname", filepath.Join(escape, "evil"))
	selfProfile := write("self.json", `{"profile":{"uuid":"11111111-1111-4111-8111-111111111111","metadata":{"title":"t","last-modified":"2026-01-01T00:00:00Z","version":"1","oscal-version":"1.1.3"},"imports":[{"href":"self.json","include-all":{}}]}}`)

	tests := []struct {
		name   string
		config string
		args   []string
		want   string
	}{
		{"malformed yaml", "targets: [\n", nil, "bad.yaml: line"},
		{"unknown key", "targets:\n  - path: rel\ncolour: red\n", nil, `line 3: unknown key "colour"`},
		{"missing target", "targets:\n  - path: nope\n", nil, "nope"},
		{"symlink leaving the tree", "targets:\n  - path: escape\n", nil, "symlink evil -> /etc/hostname: path leaves the target tree"},
		{"unknown format", "targets:\n  - path: rel\n", []string{"--format", "pdf"}, `--format "pdf" is unknown`},
		{"unknown baseline", "targets:\n  - path: rel\n", []string{"--baseline", "extreme"}, "extreme"},
		{"unknown control in mapping", "targets:\n  - path: rel\nmapping: m.yaml\n", nil, `m.yaml:2: check FILES-CHECKSUM-MISMATCH: unknown control id "ZZ-1"`},
		{"unknown check in mapping", "targets:\n  - path: rel\nmapping: m2.yaml\n", nil, `unknown check id "NOPE"`},
		{"profile importing itself", "targets:\n  - path: rel\nprofile: self.json\n", nil, "self.json"},
		{"missing catalog", "targets:\n  - path: rel\ncatalog: nothere.json\n", nil, "nothere.json"},
		{"bad fail-on", "targets:\n  - path: rel\n", []string{"--fail-on", "sometimes"}, `--fail-on "sometimes"`},
		{"bad manual evidence", "targets:\n  - path: rel\nmanual: man.yaml\n", nil, `man.yaml: controls[0]: status "great" is invalid`},
	}
	write("m.yaml", "checks:\n  - check: FILES-CHECKSUM-MISMATCH\n    controls:\n      - {control: ZZ-1, rationale: x}\n")
	write("m2.yaml", "checks:\n  - check: NOPE\n    controls:\n      - {control: SI-7, rationale: x}\n")
	write("man.yaml", "controls:\n  - {control: SR-1, status: great, statement: s, assessor: a, date: 2026-01-01}\n")
	_ = selfProfile
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := write("bad.yaml", tt.config)
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"assess", "--config", cfg, "--out", out, "--quiet"}, tt.args...)
			r := pedigree(t, nil, args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\nstderr: %s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", r.stderr, tt.want)
			}
			if n := strings.Count(strings.TrimSpace(r.stderr), "\n"); n > 0 {
				t.Errorf("error is %d lines, want one: %q", n+1, r.stderr)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("output written despite the error: %v", entries)
			}
		})
	}
}

// A PEDIGREE_* variable for a setting a command reads but has no flag for
// (ci, repo and dist take no --max-file-size) is refused when it does not
// parse, as the flag would be, not read as zero.
func TestEnvRefusedWithoutFlag(t *testing.T) {
	dir := t.TempDir()
	wf := filepath.Join(dir, ".github", "workflows")
	if err := os.MkdirAll(wf, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(wf, "a.yml"), []byte("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		env  string
		args []string
		want string
	}{
		{"PEDIGREE_MAX_FILE_SIZE=abc", []string{"ci", "scan", dir}, `PEDIGREE_MAX_FILE_SIZE="abc": invalid value for --max-file-size`},
		{"PEDIGREE_MAX_FILE_SIZE=1e3", []string{"repo", "scan", dir}, `PEDIGREE_MAX_FILE_SIZE="1e3": invalid value for --max-file-size`},
		{"PEDIGREE_MAX_FILE_SIZE=abc", []string{"dist", "scan", dir}, `PEDIGREE_MAX_FILE_SIZE="abc": invalid value for --max-file-size`},
		{"PEDIGREE_INCLUDE_MAPPED=maybe", []string{"ci", "scan", dir}, `PEDIGREE_INCLUDE_MAPPED="maybe": invalid value for --include-mapped`},
	} {
		r := pedigree(t, []string{tt.env}, tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%s pedigree %s: exit %d, stderr %q; want 2 and %q", tt.env, strings.Join(tt.args[:2], " "), r.code, r.stderr, tt.want)
		}
	}
	// A good value still applies.
	if r := pedigree(t, []string{"PEDIGREE_MAX_FILE_SIZE=10"}, "ci", "scan", dir); !strings.Contains(r.stdout, "exceeds the size limit (10 bytes)") {
		t.Errorf("PEDIGREE_MAX_FILE_SIZE=10 not applied: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	if r := pedigree(t, nil, "assess", "--no-such-flag"); r.code != 2 {
		t.Errorf("unknown flag: exit %d", r.code)
	}
	if r := pedigree(t, nil, "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "pedigree ") {
		t.Errorf("version: %+v", r)
	}
}

func TestRepoScanDemo(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "p.yaml")
	signers, _ := filepath.Abs(filepath.Join(filepath.Dir(demoConfigPath()), "source", "allowed_signers"))
	os.WriteFile(cfg, []byte("repo:\n  allowed-signers: "+signers+"\n"), 0o644)
	r := pedigree(t, nil, "repo", "scan", filepath.Join(filepath.Dir(demoConfigPath()), "source"), "--config", cfg, "--json")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var f struct{ Check, Status string }
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		got[f.Check] = f.Status
	}
	for check, want := range map[string]string{
		"REPO-COMMITS-SIGNED": "fail", "REPO-TAGS-SIGNED": "pass", "REPO-CODEOWNERS": "pass",
		"REPO-BINARIES": "fail", "REPO-BRANCH-PROTECTION": "not-assessed",
	} {
		if got[check] != want {
			t.Errorf("%s = %q, want %q", check, got[check], want)
		}
	}
}
