package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

// Server is what `pedigree serve` reads: a server.yaml with systems and a
// server section, or a plain pedigree.yaml served as one system.
type Server struct {
	Systems []ServerSystem `yaml:"systems"`
	Server  ServerSection  `yaml:"server"`
	// Dir is the folder of the file; File its path.
	Dir  string `yaml:"-"`
	File string `yaml:"-"`
	// Plain is true when the file was a pedigree.yaml.
	Plain bool `yaml:"-"`
}

// ServerSystem is one assessed system.
type ServerSystem struct {
	Name     string `yaml:"name"`
	Config   string `yaml:"config"`
	Schedule string `yaml:"schedule"`
}

// ServerSection configures the server itself.
type ServerSection struct {
	Listen      string    `yaml:"listen"`
	DataDir     string    `yaml:"data-dir"`
	DatabaseURL string    `yaml:"database-url"`
	Retention   Retention `yaml:"retention"`
	TLSCert     string    `yaml:"tls-cert"`
	TLSKey      string    `yaml:"tls-key"`
	// Concurrency is how many runs one process works at once.
	Concurrency int `yaml:"concurrency"`
	// MaxAttempts is how many times a failing run is tried.
	MaxAttempts int `yaml:"max-attempts"`
	// JobTimeout cancels a run that takes longer (Go duration: 30m).
	JobTimeout string `yaml:"job-timeout"`
}

// Retention keeps the newest KeepRuns runs of each system and those of the
// last KeepDays days (0 turns a limit off); the latest result is never
// deleted.
type Retention struct {
	KeepRuns int `yaml:"keep-runs"`
	KeepDays int `yaml:"keep-days"`
}

// DefaultSchedule is the schedule of a plain pedigree.yaml served alone.
const DefaultSchedule = "@daily"

// LoadServer reads a server.yaml, or a pedigree.yaml (one system named
// after its folder, scheduled daily). Paths are resolved against the
// file's folder.
func LoadServer(path string) (*Server, error) {
	b, err := readlimit.File(path, readlimit.Config)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var top map[string]yaml.Node
	if err := yaml.Unmarshal(b, &top); err != nil {
		return nil, fmt.Errorf("%s: %s", path, yamlError(err))
	}
	dir := filepath.Dir(path)
	_, hasSystems := top["systems"]
	_, hasServer := top["server"]
	if !hasSystems && !hasServer {
		if _, err := Load(path); err != nil {
			return nil, err
		}
		return &Server{Dir: dir, File: path, Plain: true, Systems: []ServerSystem{{Name: systemName(path), Config: path, Schedule: DefaultSchedule}}}, nil
	}
	s := &Server{}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(s); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %s", path, yamlError(err))
	}
	s.Dir, s.File = dir, path
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	seen := map[string]bool{}
	for i := range s.Systems {
		sys := &s.Systems[i]
		switch {
		case sys.Name == "":
			return nil, fmt.Errorf("%s: systems[%d]: no name", path, i)
		case !validName(sys.Name):
			return nil, fmt.Errorf("%s: systems[%d]: name %q: use letters, digits, '.', '_' and '-' only", path, i, sys.Name)
		case seen[sys.Name]:
			return nil, fmt.Errorf("%s: systems[%d]: name %q is used twice", path, i, sys.Name)
		case sys.Config == "":
			return nil, fmt.Errorf("%s: systems[%d] %s: no config", path, i, sys.Name)
		}
		seen[sys.Name] = true
		sys.Config = abs(sys.Config)
	}
	if len(s.Systems) == 0 {
		return nil, fmt.Errorf("%s: no systems: list them under `systems:` with name, config and schedule", path)
	}
	s.Server.DataDir = abs(s.Server.DataDir)
	s.Server.TLSCert = abs(s.Server.TLSCert)
	s.Server.TLSKey = abs(s.Server.TLSKey)
	if s.Server.JobTimeout != "" {
		if d, err := time.ParseDuration(s.Server.JobTimeout); err != nil || d <= 0 {
			return nil, fmt.Errorf("%s: server.job-timeout %q: want a duration such as 30m", path, s.Server.JobTimeout)
		}
	}
	if s.Server.Retention.KeepRuns < 0 || s.Server.Retention.KeepDays < 0 {
		return nil, fmt.Errorf("%s: server.retention: keep-runs and keep-days cannot be negative", path)
	}
	return s, nil
}

// systemName names the one system of a plain pedigree.yaml: the file's
// base name, or its folder's when the file is called pedigree.yaml.
func systemName(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	base := strings.TrimSuffix(filepath.Base(abs), filepath.Ext(abs))
	if base == "pedigree" {
		base = filepath.Base(filepath.Dir(abs))
	}
	var b strings.Builder
	for _, r := range base {
		if validRune(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "default"
	}
	return b.String()
}

func validName(s string) bool {
	if len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !validRune(r) {
			return false
		}
	}
	return true
}

func validRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
}
