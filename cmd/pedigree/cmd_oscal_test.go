package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOscalValidate(t *testing.T) {
	td := filepath.Join("..", "..", "oscal", "testdata")
	dir := t.TempDir()
	trunc := filepath.Join(dir, "trunc.json")
	if err := os.WriteFile(trunc, []byte(`{"assessment-results": {"uuid": `), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"valid yaml", []string{filepath.Join(td, "minimal-ar.yaml")}, 0, []string{"minimal-ar.yaml: valid"}, ""},
		{"invalid, sorted", []string{filepath.Join(td, "minimal-ar.yaml"), filepath.Join(td, "bad-ar.yaml")}, 1, []string{
			"minimal-ar.yaml: valid",
			"bad-ar.yaml: /assessment-results/metadata/version: got number, want string",
			"bad-ar.yaml: /assessment-results/results: minItems: got 0, want 1",
		}, ""},
		{"truncated", []string{trunc}, 2, nil, "trunc.json: invalid JSON at offset 32, line 1, column 33: unexpected end of JSON input"},
		{"missing", []string{filepath.Join(dir, "nope.json")}, 2, nil, "nope.json: open "},
		{"no args", nil, 2, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := pedigree(t, nil, append([]string{"oscal", "validate"}, c.args...)...)
			if r.code != c.code {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, c.code, r.stderr)
			}
			lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
			if len(c.stdout) > 0 && len(lines) != len(c.stdout) {
				t.Fatalf("stdout:\n%s", r.stdout)
			}
			for i, want := range c.stdout {
				if !strings.HasSuffix(lines[i], want) {
					t.Errorf("line %d = %q, want suffix %q", i+1, lines[i], want)
				}
			}
			if c.stderr != "" && (!strings.Contains(r.stderr, c.stderr) || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0) {
				t.Errorf("stderr = %q, want one line containing %q", r.stderr, c.stderr)
			}
		})
	}
}
