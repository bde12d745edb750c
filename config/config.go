// Package config reads pedigree.yaml strictly (an unknown key is an error
// that names the key and its line) and resolves the paths it names against
// the file's own folder.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

// Config is the whole of pedigree.yaml. Each pillar owns its section type in
// a file of its own in this package.
type Config struct {
	// Title names the assessment in reports.
	Title string `yaml:"title"`
	// Targets are the directories or files to assess.
	Targets []Target `yaml:"targets"`
	// Out is the folder reports are written to.
	Out string `yaml:"out"`
	// Format lists the report formats to write.
	Format []string `yaml:"format"`
	// Baseline is low, moderate, high or privacy.
	Baseline string `yaml:"baseline"`
	// Profile is an OSCAL profile choosing the controls (FedRAMP, tailored).
	Profile string `yaml:"profile"`
	// Catalog is the official SP 800-53 catalog to take control text from.
	Catalog string `yaml:"catalog"`
	// IncludeMapped adds to the scope every control an automated check
	// evidences, even outside the baseline (SR-4 is in no 53B baseline).
	IncludeMapped *bool `yaml:"include-mapped"`
	// Mapping overrides the embedded check-to-control mapping.
	Mapping string `yaml:"mapping"`
	// Manual is a manual-evidence file recorded by an assessor.
	Manual string `yaml:"manual"`
	// FailOn sets what makes the exit code 1 (see the README).
	FailOn []string `yaml:"fail-on"`
	// MaxFileSize bounds what a collector reads of one file, in bytes.
	MaxFileSize int64  `yaml:"max-file-size"`
	Quiet       bool   `yaml:"quiet"`
	LogFormat   string `yaml:"log-format"`

	Files   Files   `yaml:"files"`
	SBOM    SBOM    `yaml:"sbom"`
	Vuln    Vuln    `yaml:"vuln"`
	Policy  Policy  `yaml:"policy"`
	CI      CI      `yaml:"ci"`
	Repo    Repo    `yaml:"repo"`
	Reports Reports `yaml:"reports"`

	// Dir is the folder of the config file; relative paths are resolved
	// against it.
	Dir string `yaml:"-"`
	// File is the config file's path, empty when none was read.
	File string `yaml:"-"`
}

// Target is one path to assess.
type Target struct {
	Name string `yaml:"name"`
	Path string `yaml:"path"`
	// Role is what the target is: release, source, keys, distribution or
	// detected (the default), and so which collectors judge it.
	Role string `yaml:"role"`
	// Exclude are globs (relative to the target, "**" for any folders, a
	// trailing "/" for a folder) of files left out of product judgements;
	// they are still inventoried and counted as excluded.
	Exclude []string `yaml:"exclude"`
	// DefaultExcludes turns the built-in excludes (testdata/, vendor/,
	// node_modules/, ...) off when false.
	DefaultExcludes *bool `yaml:"default-excludes"`
}

// ErrInput marks errors in what the user supplied (exit code 2).
var ErrInput = errors.New("input error")

// Load reads a config file strictly. Relative paths in it are resolved
// against the file's folder.
func Load(path string) (*Config, error) {
	b, err := readlimit.File(path, readlimit.Config)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(path, b)
	if err != nil {
		return nil, err
	}
	c.File = path
	c.Dir = filepath.Dir(path)
	c.resolvePaths()
	return c, nil
}

// Parse decodes config bytes; name is used in errors.
func Parse(name string, b []byte) (*Config, error) {
	c := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %s", name, yamlError(err))
	}
	return c, nil
}

func yamlError(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, len(te.Errors))
		for i, m := range te.Errors {
			// yaml.v3 says "line 4: field colour not found in type config.Config"
			// and the type name means nothing to a user.
			if k, ok := strings.CutPrefix(m[strings.Index(m, ":")+2:], "field "); ok && strings.Contains(k, " not found in type") {
				key := k[:strings.Index(k, " not found")]
				m = m[:strings.Index(m, ":")] + ": unknown key " + fmt.Sprintf("%q", key)
			}
			msgs[i] = m
		}
		return strings.Join(msgs, "; ")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// Abs resolves p against the config file's folder.
func (c *Config) Abs(p string) string {
	if p == "" || filepath.IsAbs(p) || c.Dir == "" {
		return p
	}
	return filepath.Join(c.Dir, p)
}

func (c *Config) resolvePaths() {
	for i := range c.Targets {
		c.Targets[i].Path = c.Abs(c.Targets[i].Path)
	}
	for _, p := range []*string{&c.Out, &c.Profile, &c.Catalog, &c.Mapping, &c.Manual} {
		*p = c.Abs(*p)
	}
	c.SBOM.resolve(c)
	c.Vuln.resolve(c)
	c.Policy.resolve(c)
	c.CI.resolve(c)
	c.Repo.resolve(c)
	c.Reports.resolve(c)
}
