package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// cleanWorkflow is a 20-line GitHub Actions workflow every CI rule passes:
// actions pinned by commit SHA, a read-only token, no untrusted input in
// scripts, credentials not persisted, provenance and an SBOM published.
const cleanWorkflow = `name: release
on:
  push:
    tags: ["v*"]
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
      id-token: write
      attestations: write
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - run: make dist sbom
      - uses: actions/attest-build-provenance@c074443f1aee8d4aeeae555aebba3282517141b2 # v2.2.3
        with:
          subject-path: dist/*
`

// TestCleanWorkflowSatisfiesNoControl: one clean workflow file as the only
// target judges a pipeline definition, which is no control's whole
// statement: nothing is satisfied, and what passed is reported as evidence
// for parts that still need an assessor.
func TestCleanWorkflowSatisfiesNoControl(t *testing.T) {
	dir := t.TempDir()
	wf := filepath.Join(dir, "repo", ".github", "workflows")
	if err := os.MkdirAll(wf, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(wf, "release.yml"), []byte(cleanWorkflow), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	r := pedigree(t, nil, "assess", filepath.Join(dir, "repo"), "--out", out, "--quiet", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d, want 0 (nothing fails)\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	a := loadNative(t, filepath.Join(out, "pedigree.json"))
	passed := 0
	for _, f := range a["findings"].([]any) {
		f := f.(map[string]any)
		if strings.HasPrefix(f["check"].(string), "CI-") && f["status"] == "pass" {
			passed++
		}
	}
	if passed == 0 {
		t.Fatal("no CI rule passed on the workflow: the test no longer exercises what it claims")
	}
	var satisfied, automated []string
	for _, c := range a["controls"].([]any) {
		c := c.(map[string]any)
		if c["status"] == "satisfied" {
			satisfied = append(satisfied, c["label"].(string)+": "+c["reason"].(string))
		}
		if c["automated"] == true {
			automated = append(automated, c["label"].(string))
		}
	}
	if len(satisfied) > 0 {
		sort.Strings(satisfied)
		t.Errorf("a clean workflow file satisfies %d control(s):\n%s", len(satisfied), strings.Join(satisfied, "\n"))
	}
	// The controls the workflow informs are there, not assessed, saying
	// what is left to an assessor.
	st := controlStatuses(a)
	for _, id := range []string{"si-10.6", "cm-2", "ac-6"} {
		if st[id] != "not-assessed" {
			t.Errorf("%s = %q, want not-assessed", id, st[id])
		}
	}
	if len(automated) == 0 {
		t.Error("no control is informed by the CI rules")
	}
}
