package collectors_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/evidence"
)

// licenseCollector is a minimal Collector: it records the first line of
// every LICENSE file in the target.
type licenseCollector struct{}

func (licenseCollector) Name() string { return "license" }

func (licenseCollector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	var out []evidence.Evidence
	for _, f := range t.Files {
		if path.Base(f.Path) != "LICENSE" {
			continue
		}
		raw, err := t.ReadFile(f.Path)
		if err != nil {
			return nil, err
		}
		first, _, _ := bytes.Cut(raw, []byte("\n"))
		subject := evidence.Subject{Type: "file", Ref: f.Path}
		out = append(out, t.Evidence("license", "license.file", f.Path, raw, subject, string(first)))
	}
	return out, nil
}

// A Collector walks the files of a Target and turns what it reads into
// Evidence; Target.Evidence hashes the raw source and derives a stable id.
func Example() {
	dir, err := os.MkdirTemp("", "pedigree-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.MkdirAll(filepath.Join(dir, "vendor", "lib"), 0o755)
	os.WriteFile(filepath.Join(dir, "LICENSE"), []byte("Apache License 2.0\n...\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "vendor", "lib", "LICENSE"), []byte("MIT License\n...\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n"), 0o644)

	t, err := collectors.OpenTarget("app", dir)
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	var c collectors.Collector = licenseCollector{}
	ev, err := c.Collect(context.Background(), t)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range ev {
		fmt.Printf("%s %s sha256:%s… %q\n", e.Kind, e.Source, e.SHA256[:12], e.Payload)
	}
	// Output:
	// license.file LICENSE sha256:2a4c4d2730ff… "Apache License 2.0"
	// license.file vendor/lib/LICENSE sha256:69848d3fedf1… "MIT License"
}

// OpenTarget inventories every regular file once, in lexical order, and
// keeps every read inside the target: a path that climbs out is refused, and
// a symlink that leaves the tree stops the target from opening at all.
func ExampleOpenTarget() {
	dir, err := os.MkdirTemp("", "pedigree-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.MkdirAll(filepath.Join(dir, "dist"), 0o755)
	os.WriteFile(filepath.Join(dir, "dist", "app.tar.gz"), []byte("archive"), 0o644)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("# app\n"), 0o644)

	t, err := collectors.OpenTarget("release", dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range t.Files {
		fmt.Println(f.Path, f.Size)
	}
	_, err = t.ReadFile("../outside.txt")
	fmt.Println("read ../outside.txt:", err != nil)
	t.Close()

	if err := os.Symlink(os.TempDir(), filepath.Join(dir, "escape")); err != nil {
		log.Fatal(err)
	}
	_, err = collectors.OpenTarget("release", dir)
	fmt.Println("escaping symlink:", errors.Is(err, collectors.ErrOutsideTree))
	// Output:
	// README.md 6
	// dist/app.tar.gz 7
	// read ../outside.txt: true
	// escaping symlink: true
}
