package sbomchecks

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/evidence"
)

// TestDemoSBOM assesses the bundled example: the SBOM in examples/demo/release
// is bound by digest to the Linux tarball beside it, its
// embedded JSF signature verifies, and its deliberate gaps are found.
func TestDemoSBOM(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	demo := filepath.Join(filepath.Dir(file), "..", "..", "examples", "demo")
	if _, err := os.Stat(filepath.Join(demo, "release")); err != nil {
		t.Skip("examples/demo/release not present")
	}
	var ev []evidence.Evidence
	for _, tg := range []struct{ name, dir string }{{"release", "release"}} {
		target, err := collectors.OpenTarget(tg.name, filepath.Join(demo, tg.dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []collectors.Collector{files.New(nil), sbom.NewCollector(0)} {
			e, err := c.Collect(context.Background(), target)
			if err != nil {
				t.Fatal(err)
			}
			ev = append(ev, e...)
		}
		target.Close()
	}
	got := map[string][]evidence.Status{}
	for _, c := range All(Options{MaxAge: 3650 * 24 * time.Hour}) {
		var in []evidence.Evidence
		for _, e := range ev {
			for _, k := range c.Reads {
				if e.Kind == k {
					in = append(in, e)
				}
			}
		}
		for _, f := range c.Run(in) {
			got[c.ID] = append(got[c.ID], f.Status)
		}
	}
	want := map[string]evidence.Status{
		"SBOM-SCHEMA-VALID": evidence.Pass, "SBOM-SIGNED": evidence.Pass, "SBOM-ARTIFACT-BINDING": evidence.Pass,
		"SBOM-DEPENDENCY-GRAPH": evidence.Pass, "SBOM-IDENTIFIERS-VALID": evidence.Pass, "SBOM-PROVENANCE": evidence.Pass,
		"SBOM-NTIA-MINIMUM": evidence.Fail, "SBOM-SUPPLIER": evidence.Fail, "SBOM-HASH-STRENGTH": evidence.Fail,
		"SBOM-STALE": evidence.Pass,
	}
	for id, st := range want {
		if len(got[id]) != 1 || got[id][0] != st {
			t.Errorf("%s = %v, want [%s]", id, got[id], st)
		}
	}
	for _, st := range got["SBOM-PRESENT"] {
		if st != evidence.Pass {
			t.Errorf("SBOM-PRESENT = %v, want every target pass", got["SBOM-PRESENT"])
		}
	}
}
