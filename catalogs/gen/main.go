// Command gen writes catalogs/index.json.gz, the control index pedigree
// embeds, from NIST's official OSCAL files and the derived CSVs in the
// shared catalogs folder. Run it with `go generate ./catalogs`.
//
// Both -src and -out are relative to the module root (the folder holding
// go.mod), so the command is the same wherever go generate runs it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/catalogs"
)

func main() {
	src := flag.String("src", "../shared/catalogs", "the catalogs folder, relative to the module root")
	out := flag.String("out", "catalogs/index.json.gz", "the index file to write, relative to the module root (empty: skip)")
	cmmcOut := flag.String("cmmc-out", "", "the CMMC assessment data file to write, relative to the module root (empty: skip)")
	flag.Parse()
	if err := run(*src, *out, catalogs.BuildIndex); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := run(*src, *cmmcOut, catalogs.BuildCMMC); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(src, out string, build func(string) ([]byte, error)) error {
	if out == "" {
		return nil
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if !filepath.IsAbs(src) {
		src = filepath.Join(root, src)
	}
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	data, err := build(src)
	if err != nil {
		return err
	}
	if err := catalogs.WriteFileAtomic(out, data); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gen: wrote %s (%d bytes)\n", filepath.Base(out), len(data))
	return nil
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
