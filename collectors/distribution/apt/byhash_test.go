package apt

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
)

// built is an apt tree made with Debian's own tools (apt-ftparchive with
// by-hash, dpkg-deb, dpkg-source, gpg), mirrored as apt fetches it: no
// plain Packages or Sources, Packages.xz and .lz4 by name, the Sources
// indexes only as by-hash copies (testdata/SOURCES.md).
const built = "testdata/ftparchive-byhash"

var builtAt = distribution.Options{At: time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC), Keyrings: []string{filepath.Join(built, "repo-archive-keyring.asc")}}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, _ := os.ReadFile(p)
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	return dst
}

func outcomes(fs []*distribution.Finding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[f.Outcome]++
	}
	return m
}

// TestBuiltRepository: apt-get update, download and source accept this
// tree with its keyring (Sources.xz through by-hash, Packages.xz by
// name); pedigree agrees on every observation.
func TestBuiltRepository(t *testing.T) {
	fs := scan(t, built, builtAt)
	if s := find(fs, CheckSigned, "dists/stable/InRelease"); len(s) != 1 || s[0].Outcome != distribution.Verified {
		t.Fatalf("signature: %s %s", s[0].Outcome, s[0].Message)
	}
	idx := find(fs, CheckIndexHashes, "")
	var standIns, byName, expanded int
	for _, f := range idx {
		if f.Outcome != distribution.Verified {
			t.Errorf("index %s: %s %s", f.Path, f.Outcome, f.Message)
		}
		switch {
		case strings.Contains(f.Message, "the by-hash copy of"):
			standIns++
		case strings.Contains(f.Message, "content hashes to its name"):
			byName++
		case strings.Contains(f.Message, "expands to"):
			expanded++
		}
	}
	// Packages.xz, Packages.lz4 by name; Sources.xz and Sources.bz2
	// through their SHA512 copies; the other six copies by their name;
	// the expansions of Packages.xz and of Sources.xz's copy.
	if len(idx) != 12 || standIns != 2 || byName != 6 || expanded != 2 {
		t.Errorf("%d index observations, %d stand-ins, %d by name, %d expansions", len(idx), standIns, byName, expanded)
	}
	deb := find(fs, CheckPackageHashes, "pool/main/p/pedigree-hello/pedigree-hello_1.0-1_all.deb")
	if len(deb) != 1 || deb[0].Outcome != distribution.Verified || !strings.HasSuffix(deb[0].Related[0], "Packages.xz") {
		t.Errorf("deb: %+v", deb)
	}
	src := find(fs, CheckSourceHashes, "")
	if o := outcomes(src); len(src) != 3 || o[distribution.Verified] != 3 {
		t.Errorf("source files: %+v", src)
	}
	for _, f := range src {
		if !strings.Contains(f.Message, "sha512") || f.Subject != "pedigree-hello 1.0-1" {
			t.Errorf("source %s: %s (%s)", f.Path, f.Message, f.Subject)
		}
	}
}

func TestBuiltRepositoryDamaged(t *testing.T) {
	const bh = "dists/stable/main/binary-all/by-hash/"
	const sbh = "dists/stable/main/source/by-hash/"
	const pool = "pool/main/p/pedigree-hello/"
	cases := []struct {
		name   string
		mutate func(t *testing.T, dir string)
		check  string
		path   string
		want   string
		msg    string
	}{
		{name: "dsc altered", mutate: func(t *testing.T, dir string) {
			appendTo(t, filepath.Join(dir, pool, "pedigree-hello_1.0-1.dsc"), "\n")
		}, check: CheckSourceHashes, path: pool + "pedigree-hello_1.0-1.dsc", want: distribution.Failed, msg: "781 bytes"},
		{name: "orig tarball replaced", mutate: func(t *testing.T, dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, pool, "pedigree-hello_1.0.orig.tar.xz"))
			b[50] ^= 0xff
			os.WriteFile(filepath.Join(dir, pool, "pedigree-hello_1.0.orig.tar.xz"), b, 0o644)
		}, check: CheckSourceHashes, path: pool + "pedigree-hello_1.0.orig.tar.xz", want: distribution.Failed, msg: "sha512"},
		{name: "by-hash copy altered", mutate: func(t *testing.T, dir string) {
			appendTo(t, filepath.Join(dir, bh, "SHA256/2efbc5b73788a16e7583909f0f2ca94a7128425f3f680752e7c3596c1bfbfe4a"), "x")
		}, check: CheckIndexHashes, path: bh + "SHA256/2efbc5b73788a16e7583909f0f2ca94a7128425f3f680752e7c3596c1bfbfe4a", want: distribution.Failed, msg: "not the digest it is named by"},
		{name: "stand-in altered", mutate: func(t *testing.T, dir string) {
			appendTo(t, filepath.Join(dir, sbh, "SHA512/81e250149ccb37295975d05b739c67c4ffea409e9d49683ae010de5c2cedd18c3cc008e6d2133b648d9150cdd12be7764d9c9f62d7164b903f8b0187b5b416da"), "x")
		}, check: CheckIndexHashes, path: sbh + "SHA512/81e250149ccb37295975d05b739c67c4ffea409e9d49683ae010de5c2cedd18c3cc008e6d2133b648d9150cdd12be7764d9c9f62d7164b903f8b0187b5b416da", want: distribution.Failed, msg: "the by-hash copy of dists/stable/main/source/Sources.xz"},
		{name: "name not hex", mutate: func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, bh, "SHA256/Packages"), []byte("x"), 0o644)
		}, check: CheckIndexHashes, path: bh + "SHA256/Packages", want: distribution.Failed, msg: "is not a SHA256 digest"},
		{name: "name too short", mutate: func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, bh, "SHA512/2efbc5b73788a16e7583909f0f2ca94a7128425f3f680752e7c3596c1bfbfe4a"), []byte("x"), 0o644)
		}, check: CheckIndexHashes, path: bh + "SHA512/2efbc5b73788a16e7583909f0f2ca94a7128425f3f680752e7c3596c1bfbfe4a", want: distribution.Failed, msg: "128 lower-case hex digits"},
		{name: "unknown algorithm folder", mutate: func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, bh, "BLAKE3"), 0o755)
			os.WriteFile(filepath.Join(dir, bh, "BLAKE3/00"), []byte("x"), 0o644)
		}, check: CheckIndexHashes, path: bh + "BLAKE3/00", want: distribution.NotVerified, msg: "names no algorithm"},
		{name: "nested below an algorithm", mutate: func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, bh, "SHA256/x"), 0o755)
			os.WriteFile(filepath.Join(dir, bh, "SHA256/x/y"), []byte("x"), 0o644)
		}, check: CheckIndexHashes, path: bh + "SHA256/x/y", want: distribution.Failed, msg: "not a by-hash copy"},
		{name: "Sources Directory leaves the repository", mutate: func(t *testing.T, dir string) {
			// An index the Release vouches for may still name a path
			// outside the tree: it is never followed.
			rel := "dists/stable/main/source/Sources"
			os.WriteFile(filepath.Join(dir, rel), []byte("Package: evil\nVersion: 1\nDirectory: ../../etc\nChecksums-Sha256:\n 00 1 passwd\n"), 0o644)
			relist(t, dir, rel)
		}, check: CheckSourceHashes, path: "dists/stable/main/source/Sources", want: distribution.Failed, msg: "leaves its folder"},
		{name: "Sources file name with a slash", mutate: func(t *testing.T, dir string) {
			rel := "dists/stable/main/source/Sources"
			os.WriteFile(filepath.Join(dir, rel), []byte("Package: evil\nVersion: 1\nDirectory: pool\nChecksums-Sha256:\n 00 1 ../dists/stable/Release\n"), 0o644)
			relist(t, dir, rel)
		}, check: CheckSourceHashes, path: "dists/stable/main/source/Sources", want: distribution.Failed, msg: "leaves its folder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyDir(t, built)
			tc.mutate(t, dir)
			fs := find(scan(t, dir, builtAt), tc.check, tc.path)
			if len(fs) == 0 {
				t.Fatal("no observation")
			}
			if fs[0].Outcome != tc.want || !strings.Contains(fs[0].Message, tc.msg) {
				t.Errorf("%s %q, want %s %q", fs[0].Outcome, fs[0].Message, tc.want, tc.msg)
			}
		})
	}
}

func appendTo(t *testing.T, p, s string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, append(b, s...), 0o644)
}

// relist replaces the signed InRelease with an unsigned Release listing
// rel with its new digest, so the index is read (signature aside).
func relist(t *testing.T, dir, rel string) {
	t.Helper()
	b, _ := os.ReadFile(filepath.Join(dir, rel))
	os.Remove(filepath.Join(dir, "dists/stable/InRelease"))
	r := "Origin: t\nSuite: stable\nSHA256:\n " + sha(b) + " " + itoa(len(b)) + " " + strings.TrimPrefix(rel, "dists/stable/") + "\n"
	os.WriteFile(filepath.Join(dir, "dists/stable/Release"), []byte(r), 0o644)
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestRealCompressedOnly: a real third-party repository (ethrex's, built
// by its publishing workflow), mirrored with only Packages.xz: the
// signature, the .xz indexes and their expansions verify (gpgv and
// `xz -dc | sha256sum` agree), and a .deb that is not the published one
// (the fixture holds no package, the test writes one) fails against the
// stanza read from Packages.xz.
func TestRealCompressedOnly(t *testing.T) {
	const src = "testdata/ethrex-apt"
	dir := copyDir(t, src)
	deb := filepath.Join(dir, "pool/main/e/ethrex/ethrex_9.0.0_amd64.deb")
	os.MkdirAll(filepath.Dir(deb), 0o755)
	os.WriteFile(deb, []byte("not the real package\n"), 0o644)
	o := distribution.Options{At: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Keyrings: []string{filepath.Join(src, "KEY.asc")}}
	fs := scan(t, dir, o)
	if s := find(fs, CheckSigned, "dists/stable/InRelease"); len(s) != 1 || s[0].Outcome != distribution.Verified || !strings.Contains(s[0].Message, "35D7611A5CCA543EF1092D13B7D816F92C831EED") {
		t.Fatalf("signature: %+v", s)
	}
	idx := find(fs, CheckIndexHashes, "")
	expanded := 0
	for _, f := range idx {
		if f.Outcome != distribution.Verified {
			t.Errorf("%s: %s", f.Path, f.Message)
		}
		if strings.Contains(f.Message, "expands to the sha512") {
			expanded++
		}
	}
	if len(idx) != 4 || expanded != 2 {
		t.Errorf("%d index observations, %d expansions", len(idx), expanded)
	}
	d := find(fs, CheckPackageHashes, "pool/main/e/ethrex/ethrex_9.0.0_amd64.deb")
	if len(d) != 1 || d[0].Outcome != distribution.Failed || !strings.Contains(d[0].Message, "Packages.xz says 35168550") {
		t.Errorf("deb: %+v", d)
	}
}
