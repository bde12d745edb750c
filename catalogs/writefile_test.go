package catalogs

import (
	"path/filepath"
	"strings"
	"testing"
)

// The error names the file asked for, never the temporary file.
func TestWriteFileAtomicMissingFolder(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nodir", "resolved.json")
	err := WriteFileAtomic(p, []byte("{}"))
	if err == nil || !strings.HasPrefix(err.Error(), p+": ") || strings.Contains(err.Error(), ".tmp-") {
		t.Fatalf("err = %v, want it to name %s", err, p)
	}
}
