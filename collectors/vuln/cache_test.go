package vuln

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeCache observes cancellation: a cancelled write leaves neither the
// cache nor its temporary file, and an uncancelled one reads back.
func TestWriteCacheCancelled(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "osv-index-x.gob")
	cf := &cacheFile{Magic: cacheMagic, Format: cacheFormat, Digest: "d", Records: map[string]int{"a": 1}}
	for range 3000 {
		cf.Advisories = append(cf.Advisories, Advisory{ID: "GO-2099-0001", Summary: strings.Repeat("x", 400)})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := writeCache(ctx, file, cf); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled write: %v", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Fatalf("left behind: %v", es)
	}
	if err := writeCache(context.Background(), file, cf); err != nil {
		t.Fatal(err)
	}
	if got := readCache(file, "d"); got == nil || len(got.Advisories) != 3000 {
		t.Fatal("the cache does not read back")
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("cache mode %v, %v", st.Mode(), err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("folder holds %v", es)
	}
}
