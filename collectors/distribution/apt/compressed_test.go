package apt

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
)

// compress returns b compressed as ext says, with the real encoders
// (bzip2 through the bzip2 command: Go has no bzip2 writer).
func compress(t testing.TB, ext string, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	switch ext {
	case "":
		return b
	case ".gz":
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
	case ".xz":
		w, err := xz.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
		w.Close()
	case ".lz4":
		w := lz4.NewWriter(&buf)
		w.Write(b)
		w.Close()
	case ".zst":
		w, _ := zstd.NewWriter(&buf)
		w.Write(b)
		w.Close()
	case ".bz2":
		if _, err := exec.LookPath("bzip2"); err != nil {
			t.Skip("bzip2 not installed")
		}
		cmd := exec.Command("bzip2", "-c")
		cmd.Stdin = bytes.NewReader(b)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return out
	default:
		t.Fatalf("no encoder for %q", ext)
	}
	return buf.Bytes()
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// repo is a small unsigned apt tree written by a test: dists/stable with
// the index files given, a Release listing them (and the uncompressed
// indexes it names in listed), and pool files.
type repo struct {
	indexes map[string][]byte // path under dists/stable -> bytes
	listed  map[string][]byte // Release entries for files not written
	pool    map[string][]byte // path under the root
	extra   string            // Release fields
}

func (r repo) write(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	put := func(p string, b []byte) {
		full := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var rel strings.Builder
	fmt.Fprintf(&rel, "Origin: test\nSuite: stable\nCodename: stable\nDate: Thu, 15 Jan 2026 00:00:00 +0000\n%sSHA256:\n", r.extra)
	all := map[string][]byte{}
	for n, b := range r.listed {
		all[n] = b
	}
	for n, b := range r.indexes {
		all[n] = b
		put("dists/stable/"+n, b)
	}
	for n, b := range all {
		fmt.Fprintf(&rel, " %s %d %s\n", sha(b), len(b), n)
	}
	put("dists/stable/Release", []byte(rel.String()))
	for n, b := range r.pool {
		put(n, b)
	}
	return dir
}

const debPath = "pool/main/h/hello/hello_1.0_amd64.deb"

var debBytes = []byte("!<arch>\ndebian-binary   a fake package body for the index tests\n")

func packagesIndex(deb []byte) []byte {
	return []byte(fmt.Sprintf("Package: hello\nVersion: 1.0\nArchitecture: amd64\nFilename: %s\nSize: %d\nSHA256: %s\nDescription: hi\n\n", debPath, len(deb), sha(deb)))
}

// TestCompressedOnlyIndex: with only a compressed Packages present, the
// .deb is compared with its stanza, for every compression apt reads, and
// the expansion is compared with the Release's entry for Packages.
func TestCompressedOnlyIndex(t *testing.T) {
	idx := packagesIndex(debBytes)
	for _, ext := range compressions[1:] {
		t.Run(ext, func(t *testing.T) {
			z := compress(t, ext, idx)
			dir := repo{
				indexes: map[string][]byte{"main/binary-amd64/Packages" + ext: z},
				listed:  map[string][]byte{"main/binary-amd64/Packages": idx},
				pool:    map[string][]byte{debPath: debBytes},
			}.write(t)
			fs := scan(t, dir, distribution.Options{})
			deb := find(fs, CheckPackageHashes, debPath)
			if len(deb) != 1 || deb[0].Outcome != distribution.Verified || !strings.Contains(deb[0].Message, "Packages"+ext) {
				t.Fatalf("deb: %+v", deb)
			}
			exp := find(fs, CheckIndexHashes, "dists/stable/main/binary-amd64/Packages"+ext)
			if len(exp) != 2 || exp[1].Outcome != distribution.Verified || !strings.Contains(exp[1].Message, "expands to the sha256") {
				t.Fatalf("index: %+v", exp)
			}
			// The same tree with the .deb altered fails it.
			os.WriteFile(filepath.Join(dir, debPath), append([]byte("x"), debBytes[1:]...), 0o644)
			deb = find(scan(t, dir, distribution.Options{}), CheckPackageHashes, debPath)
			if len(deb) != 1 || deb[0].Outcome != distribution.Failed {
				t.Fatalf("altered deb: %+v", deb)
			}
		})
	}
}

// TestPlainPreferred: with Packages and Packages.xz both present, one is
// read (the plain one), so every .deb is judged once.
func TestPlainPreferred(t *testing.T) {
	idx := packagesIndex(debBytes)
	dir := repo{
		indexes: map[string][]byte{"main/binary-amd64/Packages": idx, "main/binary-amd64/Packages.xz": compress(t, ".xz", idx)},
		pool:    map[string][]byte{debPath: debBytes},
	}.write(t)
	deb := find(scan(t, dir, distribution.Options{}), CheckPackageHashes, debPath)
	if len(deb) != 1 || !strings.HasSuffix(deb[0].Related[0], "binary-amd64/Packages") {
		t.Fatalf("deb: %+v", deb)
	}
}

// TestCompressedBadInput: bombs, truncated and corrupt streams, and an
// expansion the Release does not list are clear findings naming the file.
func TestCompressedBadInput(t *testing.T) {
	old := indexBudget
	indexBudget = 1 << 20
	defer func() { indexBudget = old }()
	idx := packagesIndex(debBytes)
	// Bombs are valid stanzas, so only the bound stops them.
	zeros := bytes.Repeat([]byte("Package: x\n\n"), 120_000)
	xzIdx := compress(t, ".xz", idx)
	cases := []struct {
		name  string
		r     repo
		check string
		path  string
		want  string
		msg   string
	}{
		{name: "xz bomb under the default budget", r: repo{indexes: map[string][]byte{"main/binary-amd64/Packages.xz": compress(t, ".xz", zeros)}},
			check: CheckPackageHashes, path: "dists/stable/main/binary-amd64/Packages.xz", want: distribution.Failed, msg: "expands past the 1048576-byte limit for an index"},
		{name: "lz4 bomb under the Release's size", r: repo{indexes: map[string][]byte{"main/binary-amd64/Packages.lz4": compress(t, ".lz4", append(append([]byte{}, idx...), zeros...))},
			listed: map[string][]byte{"main/binary-amd64/Packages": idx}},
			check: CheckPackageHashes, path: "dists/stable/main/binary-amd64/Packages.lz4", want: distribution.Failed, msg: fmt.Sprintf("expands past the %d bytes dists/stable/Release gives Packages", len(idx))},
		{name: "zstd bomb", r: repo{indexes: map[string][]byte{"main/binary-amd64/Packages.zst": compress(t, ".zst", zeros)}},
			check: CheckPackageHashes, path: "dists/stable/main/binary-amd64/Packages.zst", want: distribution.Failed, msg: "expands past"},
		{name: "gzip bomb", r: repo{indexes: map[string][]byte{"main/binary-amd64/Packages.gz": compress(t, ".gz", zeros)}},
			check: CheckPackageHashes, path: "dists/stable/main/binary-amd64/Packages.gz", want: distribution.Failed, msg: "expands past"},
		{name: "truncated xz the Release lists", r: repo{indexes: map[string][]byte{"main/binary-amd64/Packages.xz": xzIdx[:len(xzIdx)-20]}},
			check: CheckPackageHashes, path: "dists/stable/main/binary-amd64/Packages.xz", want: distribution.Failed, msg: "xz:"},
		{name: "truncated gzip", r: repo{indexes: map[string][]byte{"main/binary-amd64/Packages.gz": compress(t, ".gz", idx)[:30]}},
			check: CheckPackageHashes, path: "dists/stable/main/binary-amd64/Packages.gz", want: distribution.Failed, msg: "unexpected EOF"},
		{name: "truncated lz4", r: repo{indexes: map[string][]byte{"main/binary-amd64/Packages.lz4": compress(t, ".lz4", idx)[:20]}},
			check: CheckPackageHashes, path: "dists/stable/main/binary-amd64/Packages.lz4", want: distribution.Failed, msg: "lz4"},
		{name: "not xz at all", r: repo{indexes: map[string][]byte{"main/binary-amd64/Packages.xz": idx}},
			check: CheckPackageHashes, path: "dists/stable/main/binary-amd64/Packages.xz", want: distribution.Failed, msg: "xz:"},
		{name: "expansion differs from the Release's Packages", r: repo{indexes: map[string][]byte{"main/binary-amd64/Packages.xz": xzIdx},
			listed: map[string][]byte{"main/binary-amd64/Packages": bytes.Replace(idx, []byte("hello"), []byte("HELLO"), 1)}},
			check: CheckIndexHashes, path: "dists/stable/main/binary-amd64/Packages.xz", want: distribution.Failed, msg: "expands to"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.r.pool = map[string][]byte{debPath: debBytes}
			dir := tc.r.write(t)
			fs := find(scan(t, dir, distribution.Options{}), tc.check, tc.path)
			var got *distribution.Finding
			for _, f := range fs {
				if f.Outcome == tc.want {
					got = f
				}
			}
			if got == nil || !strings.Contains(got.Message, tc.msg) || !strings.Contains(got.Message, tc.path) {
				for _, f := range fs {
					t.Logf("%s %s", f.Outcome, f.Message)
				}
				t.Fatalf("want %s %q naming the file", tc.want, tc.msg)
			}
			t.Log(got.Message)
			if strings.Contains(got.Message, "\n") {
				t.Errorf("message not one line: %q", got.Message)
			}
		})
	}
}

// TestBombBounded: a 1 GiB xz bomb of a few hundred KB stops at the
// budget instead of inflating whole.
func TestDecompressBound(t *testing.T) {
	z := compress(t, ".xz", make([]byte, 2<<20))
	r, done, err := decompress(".xz", bytes.NewReader(z), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	n, err := io.Copy(io.Discard, r)
	if !errors.Is(err, ErrExpandedTooLarge) || n != 1<<20 {
		t.Fatalf("read %d, err %v", n, err)
	}
	if _, _, err := decompress(".rar", nil, 1); err == nil {
		t.Error("unknown compression accepted")
	}
}

// FuzzDecompress: any bytes under any compression apt reads give content
// or an error within the bound, never a panic.
func FuzzDecompress(f *testing.F) {
	idx := packagesIndex(debBytes)
	for i, ext := range compressions[1:] {
		if ext == ".bz2" {
			continue
		}
		z := compress(f, ext, idx)
		f.Add(byte(i+1), z)
		f.Add(byte(i+1), z[:len(z)/2])
	}
	f.Fuzz(func(t *testing.T, sel byte, data []byte) {
		ext := compressions[int(sel)%len(compressions)]
		r, done, err := decompress(ext, bytes.NewReader(data), 1<<20)
		if err != nil {
			return
		}
		defer done()
		n, _ := io.Copy(io.Discard, r)
		if n > 1<<20 {
			t.Fatalf("%s expanded %d bytes past the bound", ext, n)
		}
		readStanzas(bytes.NewReader(data), func(stanza) error { return nil })
	})
}

// TestOpenTargetRefusesEscapingByHash: a by-hash entry that is a link out
// of the tree is refused when the target is opened, naming the link.
func TestOpenTargetRefusesEscapingByHash(t *testing.T) {
	dir := repo{indexes: map[string][]byte{"main/binary-amd64/Packages": packagesIndex(debBytes)}}.write(t)
	bh := filepath.Join(dir, "dists/stable/main/binary-amd64/by-hash/SHA256")
	os.MkdirAll(bh, 0o755)
	if err := os.Symlink("/etc/passwd", filepath.Join(bh, strings.Repeat("a", 64))); err != nil {
		t.Skip(err)
	}
	_, err := collectors.OpenTarget("t", dir)
	if err == nil || !strings.Contains(err.Error(), "by-hash/SHA256/aaaa") || !errors.Is(err, collectors.ErrOutsideTree) {
		t.Fatalf("err = %v", err)
	}
}

// TestRepeatedFilename: an index listing one .deb over and over (what a
// bomb of repeated stanzas is) judges it once, so observations and memory
// stay bounded by the files present, not by the index's length.
func TestRepeatedFilename(t *testing.T) {
	idx := bytes.Repeat(packagesIndex(debBytes), 5000)
	dir := repo{
		indexes: map[string][]byte{"main/binary-amd64/Packages.xz": compress(t, ".xz", idx)},
		pool:    map[string][]byte{debPath: debBytes},
	}.write(t)
	if deb := find(scan(t, dir, distribution.Options{}), CheckPackageHashes, debPath); len(deb) != 1 || deb[0].Outcome != distribution.Verified {
		t.Fatalf("%d observations of the .deb", len(deb))
	}
}

// TestFileInSeveralIndexes: apt lists an Architecture: all package in
// every binary-<arch>/Packages. Each stanza is compared with the one
// file, and the observation stays one: it passes when they all agree and
// fails, naming the index, when one of them describes another file.
func TestFileInSeveralIndexes(t *testing.T) {
	good := packagesIndex(debBytes)
	other := packagesIndex([]byte("a different build of the package"))
	for _, tc := range []struct {
		name  string
		arm64 []byte
		want  string
		msg   string
	}{
		{"agree", good, distribution.Verified, "size in dists/stable/main/binary-amd64/Packages, dists/stable/main/binary-arm64/Packages"},
		{"the second disagrees", other, distribution.Failed, "dists/stable/main/binary-arm64/Packages says 32"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := repo{
				indexes: map[string][]byte{"main/binary-amd64/Packages": good, "main/binary-arm64/Packages": tc.arm64},
				pool:    map[string][]byte{debPath: debBytes},
			}.write(t)
			deb := find(scan(t, dir, distribution.Options{}), CheckPackageHashes, debPath)
			if len(deb) != 1 || deb[0].Outcome != tc.want || !strings.Contains(deb[0].Message, tc.msg) || len(deb[0].Related) != 2 {
				t.Fatalf("%+v", deb)
			}
		})
	}
}
