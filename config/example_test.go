package config_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/config"
)

// Parse decodes pedigree.yaml strictly: a misspelt key is an error that
// names the key and its line, not a setting silently ignored.
func ExampleParse() {
	c, err := config.Parse("pedigree.yaml", []byte(`title: Release 1.0
targets:
  - name: release
    path: dist
baseline: moderate
format: [oscal-ar, markdown, sarif]
files:
  release-patterns: ["*.bin"]
policy:
  sigstore:
    keys:
      - path: keys/release.pub
`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Title, c.Baseline, c.Format)
	fmt.Println(c.Targets[0].Name, c.Targets[0].Path, c.Files.ReleasePatterns, c.Policy.Sigstore.Keys[0].Path)

	_, err = config.Parse("pedigree.yaml", []byte("title: x\ntargets:\n  - name: release\n    pth: dist\n"))
	fmt.Println(err)
	// Output:
	// Release 1.0 moderate [oscal-ar markdown sarif]
	// release dist [*.bin] keys/release.pub
	// pedigree.yaml: line 4: unknown key "pth"
}

// Load resolves the relative paths a config names against the config
// file's own folder, so a run does not depend on the working directory.
func ExampleLoad() {
	dir, err := os.MkdirTemp("", "pedigree-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "pedigree.yaml")
	os.WriteFile(p, []byte("targets:\n  - path: dist\nout: reports\n"), 0o644)

	c, err := config.Load(p)
	if err != nil {
		log.Fatal(err)
	}
	for _, q := range []string{c.Targets[0].Path, c.Out} {
		rel, _ := filepath.Rel(dir, q)
		fmt.Println(filepath.IsAbs(q), filepath.ToSlash(rel))
	}

	_, err = config.Load(filepath.Join(dir, "missing.yaml"))
	fmt.Println(errors.Is(err, os.ErrNotExist))
	// Output:
	// true dist
	// true reports
	// true
}
