package engine_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/filechecks"
	"github.com/pedigree-dev/pedigree/engine"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Run assesses a release folder whose checksum list no longer matches its
// artifact: the files pillar finds the mismatch and SI-7 (software, firmware
// and information integrity) is not satisfied.
func ExampleRun() {
	dir, err := os.MkdirTemp("", "pedigree-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sum := sha256.Sum256([]byte("release 1.0"))
	os.WriteFile(filepath.Join(dir, "app-1.0.tar.gz"), []byte("release 1.0, tampered"), 0o644)
	os.WriteFile(filepath.Join(dir, "SHA256SUMS"), []byte(hex.EncodeToString(sum[:])+"  app-1.0.tar.gz\n"), 0o644)

	idx, err := catalogs.Default()
	if err != nil {
		log.Fatal(err)
	}
	mapping, err := controls.DefaultMapping()
	if err != nil {
		log.Fatal(err)
	}
	a, err := engine.Run(context.Background(), engine.Options{
		Title:      "example",
		Targets:    []engine.TargetSpec{{Name: "release", Path: dir}},
		Collectors: []collectors.Collector{files.New(nil)},
		Checks:     filechecks.All(),
		Mapping:    mapping,
		Index:      idx,
		Scope:      assessment.Scope{ControlIDs: []string{"si-7", "sc-13", "sr-1"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range a.Controls {
		fmt.Println(c.ID, c.Status)
	}
	for _, f := range a.Findings {
		if f.Status == evidence.Fail {
			fmt.Printf("%s: %s\n", f.CheckID, f.Message)
		}
	}
	// Output:
	// si-7 not-satisfied
	// sc-13 not-assessed
	// sr-1 not-assessed
	// FILES-CHECKSUM-MISMATCH: SHA256SUMS:1: sha256 digest of app-1.0.tar.gz does not match: listed db183fcc6e30f790217299767579e5c443d4474dd38f78ce8c9c189c8a2e778d, computed f1eef73be89fd4198d5781e6ba2b4c076a2368b06f0ef36c8f5c1e21348072f3
}
