package gitrepo_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/gitrepo"
	"github.com/pedigree-dev/pedigree/collectors/gitrepo/gitrepotest"
)

// BenchmarkScan10kCommits is the figure: a clone with 10,000
// commits (every other one SSH-signed, the rest OpenPGP-signed) scanned
// with a signature window of 1,000 commits, every signature verified.
// Budget: 5 s.
func BenchmarkScan10kCommits(b *testing.B) {
	dir := b.TempDir()
	repo, err := gitrepotest.New(filepath.Join(dir, "repo"))
	if err != nil {
		b.Fatal(err)
	}
	sshSign, allowed, _ := gitrepotest.SSHKey(3, "dev@example.org")
	pgpSign, pub, _ := gitrepotest.OpenPGPKey("Release Manager")
	for i := range 10000 {
		sign := sshSign
		if i%2 == 1 {
			sign = pgpSign
		}
		if _, err := repo.Commit(fmt.Sprintf("change %d", i), map[string]string{"src/file.txt": fmt.Sprint(i)}, sign); err != nil {
			b.Fatal(err)
		}
		if i%1000 == 999 {
			repo.Tag(fmt.Sprintf("v1.%d.0", i/1000), true, pgpSign)
		}
	}
	os.WriteFile(filepath.Join(dir, "keys.asc"), pub, 0o644)
	os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte(allowed), 0o644)
	trust, err := gitrepo.LoadTrust([]string{filepath.Join(dir, "keys.asc")}, filepath.Join(dir, "allowed_signers"))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		h, _, p := payloads(collect(b, dir, trust, 1000))
		if p != nil || h.Window != 1000 || !h.Truncated {
			b.Fatalf("problem %+v, history window %d", p, h.Window)
		}
		for _, c := range h.Commits {
			if !c.Verified {
				b.Fatalf("commit %s not verified: %s", c.Ref, c.Reason)
			}
		}
	}
}
