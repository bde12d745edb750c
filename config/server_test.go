package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadServer(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("pedigree.yaml", "title: t\ntargets: [{path: .}]\n")
	tests := []struct {
		name, file, want string
	}{
		{"server", "systems:\n  - {name: web, config: web/pedigree.yaml, schedule: \"0 3 * * *\"}\nserver:\n  listen: 127.0.0.1:9090\n  retention: {keep-runs: 10}\n", ""},
		{"unknown key", "systems:\n  - {name: web, config: a.yaml, colour: red}\n", `line 2: unknown key "colour"`},
		{"no name", "systems:\n  - {config: a.yaml}\n", "systems[0]: no name"},
		{"bad name", "systems:\n  - {name: ../x, config: a.yaml}\n", `name "../x"`},
		{"dup", "systems:\n  - {name: a, config: a.yaml}\n  - {name: a, config: b.yaml}\n", "used twice"},
		{"no config", "systems:\n  - {name: a}\n", "no config"},
		{"no systems", "server: {listen: ':80'}\n", "no systems"},
		{"timeout", "systems: [{name: a, config: a.yaml}]\nserver: {job-timeout: soon}\n", "job-timeout"},
		{"retention", "systems: [{name: a, config: a.yaml}]\nserver: {retention: {keep-days: -1}}\n", "negative"},
		{"malformed", "systems: [\n", "did not find"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := write("server.yaml", tc.file)
			s, err := LoadServer(p)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if s.Systems[0].Config != filepath.Join(dir, "web/pedigree.yaml") || s.Server.Listen != "127.0.0.1:9090" || s.Server.Retention.KeepRuns != 10 || s.Plain {
					t.Fatalf("got %+v", s)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "server.yaml") {
				t.Fatalf("err = %v, want %q naming the file", err, tc.want)
			}
		})
	}
	s, err := LoadServer(filepath.Join(dir, "pedigree.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Plain || len(s.Systems) != 1 || s.Systems[0].Name != filepath.Base(dir) || s.Systems[0].Schedule != DefaultSchedule {
		t.Fatalf("plain = %+v", s)
	}
	if _, err := LoadServer(write("bad.yaml", "targets: [{path: .}]\ncolour: red\n")); err == nil || !strings.Contains(err.Error(), "colour") {
		t.Fatalf("plain with unknown key: %v", err)
	}
}
