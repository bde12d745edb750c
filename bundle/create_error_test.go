package bundle

import (
	"context"
	"path/filepath"
	"testing"
)

// A bundle that cannot be created is named as asked, not by its temporary file.
func TestCreateMissingFolderNamesTheBundle(t *testing.T) {
	a, outputs, sources := fixture(t)
	dst := filepath.Join(t.TempDir(), "nodir", "b.tar.gz")
	err := Create(context.Background(), dst, outputs, sources, a, nil)
	if err == nil || err.Error() != "bundle "+dst+": no such file or directory" {
		t.Fatalf("err = %v", err)
	}
}
