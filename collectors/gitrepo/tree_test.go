package gitrepo

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/gitrepo/gitrepotest"
)

// A manifest above the size limit is read more than once (as the root of
// a workspace it might declare, then as itself) but is skipped once: one
// not-assessed finding, not one per read.
func TestOversizedManifestIsSkippedOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo")
	b, err := gitrepotest.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("x", 200)
	if _, err := b.Commit("init", map[string]string{
		"package.json": `{"dependencies": {"left-pad": "1"}, "description": "` + pad + `"}`,
		"Cargo.toml":   "[package]\nname = \"big\"\ndescription = \"" + pad + "\"\n\n[dependencies]\nserde = \"1\"\n",
		"README.md":    "# small\n",
	}, nil); err != nil {
		t.Fatal(err)
	}
	tr, err := scanTree(context.Background(), b.Repo, dir, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tr.SkippedTooLarge, ", "); got != "Cargo.toml, package.json" {
		t.Errorf("skipped too large = %s", got)
	}
}
