package cmmc

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/catalogs"
)

func guideOnce() (*catalogs.CMMCGuide, error) { return catalogs.CMMC() }

func writeTemp(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "manual.yaml")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
