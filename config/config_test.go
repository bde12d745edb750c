package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseRejectsUnknownKeys(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"top level", "title: x\ncolour: red\n", `line 2: unknown key "colour"`},
		{"nested", "targets:\n  - path: a\n    nmae: b\n", `line 3: unknown key "nmae"`},
		{"wrong type", "targets: yes\n", "line 1: cannot unmarshal"},
		{"malformed", "title: [\n", "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "p.yaml: ") {
				t.Fatalf("err = %v, want p.yaml: …%s…", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestLoadResolvesPathsAgainstTheFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pedigree.yaml")
	os.WriteFile(p, []byte("targets:\n  - path: release\n  - path: /abs/x\nout: out\nmanual: m.yaml\n"), 0o644)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Targets[0].Path != filepath.Join(dir, "release") || c.Targets[1].Path != "/abs/x" {
		t.Errorf("targets = %+v", c.Targets)
	}
	if c.Out != filepath.Join(dir, "out") || c.Manual != filepath.Join(dir, "m.yaml") {
		t.Errorf("out = %q manual = %q", c.Out, c.Manual)
	}
}

func TestEmptyFileIsValid(t *testing.T) {
	if _, err := Parse("e.yaml", nil); err != nil {
		t.Fatal(err)
	}
}

func TestLoadRefusesHugeAndEndlessFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pedigree.yaml")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Truncate(p, 300<<20) // sparse: refused before it is read
	paths := []string{p}
	if _, err := os.Stat("/dev/zero"); err == nil {
		paths = append(paths, "/dev/zero") // never ends: cut off at the limit
	}
	for _, path := range paths {
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), path+": file exceeds the size limit") {
			t.Errorf("Load(%s) = %v", path, err)
		}
	}
}
