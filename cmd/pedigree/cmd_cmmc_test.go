package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

func cmmcExample(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "examples", "cmmc", name)
}

// TestCMMCExample runs the bundled CMMC example end to end: with the
// automated findings (an expired signing certificate fails SC.L2-3.13.10[b])
// and the assessor's evidence it is a conditional Level 2 result.
func TestCMMCExample(t *testing.T) {
	out := t.TempDir()
	r := pedigree(t, nil, "assess", "--config", cmmcExample("pedigree.yaml"), "--out", out, "--quiet")
	if r.code != 1 { // the control gate: some controls are not satisfied
		t.Fatalf("assess exit %d\n%s", r.code, r.stderr)
	}
	a := loadNative(t, filepath.Join(out, "pedigree.json"))
	c := a["cmmc"].(map[string]any)
	score := c["score"].(map[string]any)
	if score["score"] != 105.0 || score["status"] != "conditional" || score["complete"] != true {
		t.Errorf("score %v", score)
	}

	r = pedigree(t, nil, "cmmc", "score", filepath.Join(out, "pedigree.json"), "--json")
	if r.code != 1 {
		t.Fatalf("cmmc score exit %d, want 1 (conditional)\n%s", r.code, r.stderr)
	}
	var js map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &js); err != nil {
		t.Fatalf("--json: %v\n%s", err, r.stdout)
	}
	for _, k := range []string{"level", "score", "complete", "scoreIfUnassessedMet", "scoreIfUnassessedNotMet", "max", "status", "reasons", "practices"} {
		if _, ok := js[k]; !ok {
			t.Errorf("--json lacks %q", k)
		}
	}
	if js["level"] != 2.0 || js["score"] != 105.0 || js["max"] != 110.0 || js["scoreIfUnassessedMet"] != 105.0 || js["scoreIfUnassessedNotMet"] != 105.0 {
		t.Errorf("--json: %v", js)
	}
	ps := js["practices"].([]any)
	if len(ps) != 110 {
		t.Fatalf("%d practices", len(ps))
	}
	found := false
	for _, p := range ps {
		p := p.(map[string]any)
		if p["id"] == "SC.L2-3.13.10" {
			found = true
			obj := p["objectives"].(map[string]any)
			if p["requirement"] != "3.13.10" || p["status"] != "not-met" || p["value"] != 1.0 || p["deducted"] != 1.0 || p["poam"] != true || obj["met"] != 1.0 || obj["total"] != 2.0 {
				t.Errorf("SC.L2-3.13.10: %v", p)
			}
		}
	}
	if !found {
		t.Error("no SC.L2-3.13.10")
	}

	r = pedigree(t, nil, "cmmc", "score", filepath.Join(out, "pedigree.json"))
	if r.code != 1 || !strings.Contains(r.stdout, "SPRS score: 105/110") || !strings.Contains(r.stdout, "Status: conditional Level 2") ||
		!regexp.MustCompile(`closed out by \d{4}-\d{2}-\d{2} \(180 days\)`).MatchString(r.stdout) {
		t.Errorf("cmmc score: exit %d\n%s", r.code, r.stdout)
	}

	md, _ := os.ReadFile(filepath.Join(out, "pedigree.md"))
	if !strings.Contains(string(md), "SPRS score: 105/110\n") {
		t.Errorf("pedigree.md lacks the SPRS score line")
	}
	html, _ := os.ReadFile(filepath.Join(out, "pedigree.html"))
	for _, want := range []string{`id="sec-cmmc"`, `id="pr-SC.L2-3.13.10"`, `id="obj-SC.L2-3.13.10[b]"`, `href="#fd-`, `href="#ev-`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("pedigree.html lacks %s", want)
		}
	}
	ar, _ := os.ReadFile(filepath.Join(out, "assessment-results.json"))
	if !strings.Contains(string(ar), `"target-id": "SC.L2-3.13.10_obj.b"`) || !strings.Contains(string(ar), `"value": "SC.L2-3.13.10[b]"`) {
		t.Error("assessment results lack the objective verdicts")
	}
	if r := pedigree(t, nil, "oscal", "validate", filepath.Join(out, "assessment-results.json"), filepath.Join(out, "poam.json")); r.code != 0 {
		t.Errorf("oscal validate: %d %s %s", r.code, r.stdout, r.stderr)
	}
	// The evidence bundle is a FROM too.
	bundle := filepath.Join(t.TempDir(), "run.tar.gz")
	if r := pedigree(t, nil, "assess", "--config", cmmcExample("pedigree.yaml"), "--out", t.TempDir(), "--bundle", bundle, "--quiet", "--format", "json"); r.code != 1 {
		t.Fatalf("assess --bundle: %d %s", r.code, r.stderr)
	}
	if r := pedigree(t, nil, "cmmc", "score", bundle, "--json"); r.code != 1 || !strings.Contains(r.stdout, `"score": 105`) {
		t.Errorf("cmmc score of a bundle: %d %s %s", r.code, r.stdout, r.stderr)
	}
}

// TestCMMCFinalAndLevel1: every practice met gives a final status and exit
// 0; --baseline cmmc-l1 assesses the 15 Level 1 practices.
func TestCMMCFinalAndLevel1(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(cmmcExample("cmmc-evidence.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, "partial:") || strings.Contains(l, "no-deduction:") || strings.Contains(l, "poam:") {
			continue
		}
		l = strings.Replace(l, "status: not-met", "status: met", 1)
		l = strings.Replace(l, "status: not-applicable", "status: met", 1)
		keep = append(keep, l)
	}
	os.WriteFile(filepath.Join(dir, "all-met.yaml"), []byte(strings.Join(keep, "\n")), 0o644)
	os.MkdirAll(filepath.Join(dir, "empty"), 0o755)
	os.WriteFile(filepath.Join(dir, "empty", "README"), []byte("nothing to assess\n"), 0o644)
	out := filepath.Join(dir, "out")
	r := pedigree(t, nil, "assess", filepath.Join(dir, "empty"), "--baseline", "cmmc-l2", "--manual", filepath.Join(dir, "all-met.yaml"), "--out", out, "--quiet", "--format", "json")
	if r.code != 0 && r.code != 1 {
		t.Fatalf("assess: %d %s", r.code, r.stderr)
	}
	r = pedigree(t, nil, "cmmc", "score", filepath.Join(out, "pedigree.json"))
	if r.code != 0 || !strings.Contains(r.stdout, "SPRS score: 110/110") || !strings.Contains(r.stdout, "final Level 2") {
		t.Errorf("final: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out1 := filepath.Join(dir, "out1")
	r = pedigree(t, nil, "assess", filepath.Join(dir, "empty"), "--baseline", "cmmc-l1", "--out", out1, "--quiet", "--format", "json,md")
	if r.code != 0 && r.code != 1 {
		t.Fatalf("assess L1: %d %s", r.code, r.stderr)
	}
	r = pedigree(t, nil, "cmmc", "score", filepath.Join(out1, "pedigree.json"), "--json")
	var js struct {
		Level     int
		Score     *int
		Status    string
		Practices []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &js); err != nil || r.code != 1 || js.Level != 1 || js.Score != nil || js.Status != "incomplete" || len(js.Practices) != 15 || js.Practices[0].ID != "AC.L1-b.1.i" {
		t.Errorf("Level 1: exit %d %+v %v", r.code, js, err)
	}
}

func TestCMMCBadInput(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "t"), 0o755)
	os.WriteFile(filepath.Join(dir, "t", "f"), []byte("x"), 0o644)
	entry := "  - practice: %s\n    status: %s\n    statement: s\n    assessor: a\n    date: %s\n"
	tests := []struct{ name, body, want string }{
		{"unknown practice", "practices:\n" + fmt.Sprintf(entry, "AC.L2-3.1.99", "met", "2026-01-01"), `m.yaml:2: unknown CMMC practice "AC.L2-3.1.99"`},
		{"unknown objective", "practices:\n  - objective: AC.L2-3.1.1[q]\n    status: met\n    statement: s\n    assessor: a\n    date: 2026-01-01\n", `m.yaml:2: unknown assessment objective "AC.L2-3.1.1[q]"`},
		{"partial not allowed", "practices:\n" + fmt.Sprintf(entry, "AC.L2-3.1.1", "not-met", "2026-01-01") + "    partial: true\n", "m.yaml:2: AC.L2-3.1.1: partial: true is allowed only on"},
		{"no-deduction not allowed", "practices:\n" + fmt.Sprintf(entry, "AC.L2-3.1.1", "not-met", "2026-01-01") + "    no-deduction: remote access not permitted\n", "m.yaml:2: AC.L2-3.1.1: no-deduction is allowed only where"},
		{"duplicate", "practices:\n" + fmt.Sprintf(entry, "AC.L2-3.1.1", "met", "2026-01-01") + fmt.Sprintf(entry, "AC.L2-3.1.1", "met", "2026-01-01"), "m.yaml:7: AC.L2-3.1.1 is recorded twice (first at line 2)"},
		{"future date", "practices:\n" + fmt.Sprintf(entry, "AC.L2-3.1.1", "met", "2999-01-01"), "m.yaml:2: AC.L2-3.1.1: date 2999-01-01 is in the future"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := filepath.Join(dir, "m.yaml")
			os.WriteFile(m, []byte(tt.body), 0o644)
			out := filepath.Join(t.TempDir(), "out")
			r := pedigree(t, nil, "assess", filepath.Join(dir, "t"), "--baseline", "cmmc-l2", "--manual", m, "--out", out, "--quiet")
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
				t.Errorf("exit %d, stderr %q, want 2 and %q on one line", r.code, r.stderr, tt.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("output written despite the error: %v", entries)
			}
		})
	}
	// cmmc score of a run without a CMMC scope, or of nothing.
	out := filepath.Join(dir, "plain")
	pedigree(t, nil, "assess", filepath.Join(dir, "t"), "--out", out, "--quiet", "--format", "json")
	if r := pedigree(t, nil, "cmmc", "score", filepath.Join(out, "pedigree.json")); r.code != 2 || !strings.Contains(r.stderr, "no CMMC assessment") {
		t.Errorf("no CMMC scope: %d %q", r.code, r.stderr)
	}
	if r := pedigree(t, nil, "cmmc", "score", filepath.Join(dir, "missing.json")); r.code != 2 {
		t.Errorf("missing file: %d %q", r.code, r.stderr)
	}
	if r := pedigree(t, nil, "cmmc", "objectives", "ZZ.L2-9.9.9"); r.code != 2 || !strings.Contains(r.stderr, "unknown CMMC practice") {
		t.Errorf("unknown practice: %d %q", r.code, r.stderr)
	}
	r := pedigree(t, nil, "cmmc", "objectives", "AC.L2-3.1.1")
	if r.code != 0 || !strings.Contains(r.stdout, "[f]  system access is limited to authorized devices (including other systems)") || !strings.Contains(r.stdout, "Examine:") {
		t.Errorf("objectives: %d %s", r.code, r.stdout)
	}
}

// TestControlsListCMMC: a CMMC baseline lists the controls its practices
// map to (Level 2: 122 distinct SP 800-53 Rev 5 controls, per the derived
// mapping's own count).
func TestControlsListCMMC(t *testing.T) {
	r := pedigree(t, nil, "controls", "list", "--baseline", "cmmc-l2", "--format", "json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || r.code != 0 || len(list) != 122 {
		t.Errorf("exit %d, %d controls, %v", r.code, len(list), err)
	}
	if r := pedigree(t, nil, "controls", "list", "--baseline", "cmmc-l3"); r.code != 2 {
		t.Errorf("unknown baseline: exit %d", r.code)
	}
}
