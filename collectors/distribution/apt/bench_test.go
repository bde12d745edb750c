package apt

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
)

// bigRepo writes a Release listing a Packages index of about size bytes.
func bigRepo(b *testing.B, size int) (string, string) {
	dir := b.TempDir()
	idx := filepath.Join(dir, "dists/stable/main/binary-amd64/Packages")
	os.MkdirAll(filepath.Dir(idx), 0o755)
	f, _ := os.Create(idx)
	bw := bufio.NewWriter(f)
	h256, h512 := sha256.New(), sha512.New()
	w := io.MultiWriter(bw, h256, h512)
	n := 0
	for i := 0; n < size; i++ {
		k, _ := fmt.Fprintf(w, "Package: pkg%d\nVersion: 1.%d\nArchitecture: amd64\nFilename: pool/main/p/pkg%d_1.%d_amd64.deb\nSize: %d\nSHA256: %064x\nDescription: package %d of a large index\n with a continuation line\n\n", i, i, i, i, 1000+i, i, i)
		n += k
	}
	bw.Flush()
	f.Close()
	rel := fmt.Sprintf("Suite: stable\nCodename: stable\nDate: Thu, 15 Jan 2026 00:00:00 +0000\nSHA256:\n %s %d main/binary-amd64/Packages\nSHA512:\n %s %d main/binary-amd64/Packages\n",
		hex.EncodeToString(h256.Sum(nil)), n, hex.EncodeToString(h512.Sum(nil)), n)
	os.WriteFile(filepath.Join(dir, "dists/stable/Release"), []byte(rel), 0o644)
	return dir, idx
}

// collectLoop runs the collector over dir once per iteration, each
// giving at least least observations.
func collectLoop(b *testing.B, dir string, tr *distribution.Trust, least int) {
	b.ReportAllocs()
	for b.Loop() {
		t, err := collectors.OpenTarget("t", dir)
		if err != nil {
			b.Fatal(err)
		}
		ev, err := New(tr).Collect(context.Background(), t)
		t.Close()
		if err != nil || len(ev) < least {
			b.Fatalf("%d evidence, %v", len(ev), err)
		}
	}
}

// BenchmarkPackagesIndex50MB verifies a 50 MB Packages index against its
// Release; the sha256sum sub-benchmark is the yardstick (issue: <= 1.5x).
func BenchmarkPackagesIndex50MB(b *testing.B) {
	dir, idx := bigRepo(b, 50<<20)
	tr, _ := distribution.Load(distribution.Options{})
	b.Run("pedigree", func(b *testing.B) { collectLoop(b, dir, tr, 3) })
	if _, err := exec.LookPath("sha256sum"); err != nil {
		b.Skip("sha256sum not installed")
	}
	b.Run("sha256sum", func(b *testing.B) {
		for b.Loop() {
			if err := exec.Command("sha256sum", idx).Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPackagesXZ50MB reads a 50 MB Packages index present only as
// Packages.xz (a .deb present, so every stanza is parsed, the expansion
// hashed against the Release's Packages entry); `xz -dc` on it is the
// yardstick.
func BenchmarkPackagesXZ50MB(b *testing.B) {
	if _, err := exec.LookPath("xz"); err != nil {
		b.Skip("xz not installed")
	}
	dir, idx := bigRepo(b, 50<<20)
	if err := exec.Command("xz", "-0", "-k", idx).Run(); err != nil {
		b.Fatal(err)
	}
	z, _ := os.ReadFile(idx + ".xz")
	plain, _ := os.ReadFile(idx)
	os.Remove(idx)
	rel := fmt.Sprintf("Suite: stable\nCodename: stable\nDate: Thu, 15 Jan 2026 00:00:00 +0000\nSHA256:\n %s %d main/binary-amd64/Packages\n %s %d main/binary-amd64/Packages.xz\n",
		sha(plain), len(plain), sha(z), len(z))
	os.WriteFile(filepath.Join(dir, "dists/stable/Release"), []byte(rel), 0o644)
	deb := filepath.Join(dir, "pool/main/p/pkg7/pkg7_1.7_amd64.deb")
	os.MkdirAll(filepath.Dir(deb), 0o755)
	os.WriteFile(deb, []byte("not the package"), 0o644)
	tr, _ := distribution.Load(distribution.Options{})
	b.Run("pedigree", func(b *testing.B) { collectLoop(b, dir, tr, 5) })
	b.Run("xz-dc", func(b *testing.B) {
		for b.Loop() {
			if err := exec.Command("xz", "-dc", idx+".xz").Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
