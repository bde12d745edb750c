//go:build unix

package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The hostile-input tests run the built binary as an attacker (or an unlucky
// user) would: missing files, folders, empty, truncated, 10,000-deep and
// sparse 300 MB inputs, /dev/zero, named pipes, YAML alias bombs, XML
// entities, archives with ../ paths and links, symlinks out of the tree.
// Each must end quickly with the documented exit code and a one-line error
// naming the file, within bounded memory, writing nothing outside --out.

// hostileRun is what pedigree() returns, with the child's peak memory and
// whether it had to be killed at the deadline.
type hostileRun struct {
	result
	maxRSS int64 // bytes
	killed bool
}

// hostileFixture writes every hostile input once into dir.
func hostileFixture(t *testing.T, dir string) {
	t.Helper()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sparse := func(name string, size int64) {
		write(name, nil)
		if err := os.Truncate(filepath.Join(dir, name), size); err != nil {
			t.Fatal(err)
		}
	}
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	write("empty.json", nil)
	write("trunc.json", []byte(`{"a": [1,2`))
	write("deep.json", []byte(deep))
	write("deepobj.json", []byte(strings.Repeat(`{"a":`, 10000)+"1"+strings.Repeat("}", 10000)))
	write("badutf8.json", []byte("{\"a\":\"\xff\xfe\"}"))
	write("deep.yaml", []byte(deep))
	sparse("big.json", 300<<20)
	bomb := "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
	prev := "a"
	for _, c := range "bcdefghi" {
		bomb += string(c) + ": &" + string(c) + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",") + "]\n"
		prev = string(c)
	}
	write("bomb.yaml", []byte(bomb))
	laughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><metadata><component type="application"><name>&lol3;</name></component></metadata></bom>`
	write("laughs.cdx.xml", []byte(laughs))
	write("xxe.cdx.xml", []byte(`<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><metadata><component type="application"><name>&xxe;</name><version>1</version></component></metadata></bom>`))
	write("trunc.cdx.xml", []byte(`<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components><comp`))
	write("self.json", []byte(`{"profile":{"uuid":"11111111-1111-4111-8111-111111111111","metadata":{"title":"t","last-modified":"2026-01-01T00:00:00Z","version":"1","oscal-version":"1.1.3"},"imports":[{"href":"self.json","include-all":{}}]}}`))
	write("cat.json", []byte(`{"catalog":{"uuid":"22222222-2222-4222-8222-222222222222","metadata":{"title":"c","last-modified":"2026-01-01T00:00:00Z","version":"1","oscal-version":"1.1.3"},"groups":[{"id":"sr","title":"SR","controls":[{"id":"sr-1","title":"Policy"}]}]}}`))
	write("profile.json", []byte(`{"profile":{"uuid":"11111111-1111-4111-8111-111111111112","metadata":{"title":"p","last-modified":"2026-01-01T00:00:00Z","version":"1","oscal-version":"1.1.3"},"imports":[{"href":"cat.json","include-all":{}}]}}`))
	if err := os.Mkdir(filepath.Join(dir, "folder"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}

	// A target tree holding what a collector must skip or refuse to read
	// whole: a named pipe, a sparse 300 MB file, a link cycle, a dangling
	// link, an XML bomb.
	write("tree/sub/a.txt", []byte("a"))
	sparse("tree/big.bin", 300<<20)
	syscall.Mkfifo(filepath.Join(dir, "tree", "sub", "pipe"), 0o644)
	os.MkdirAll(filepath.Join(dir, "tree", ".github", "workflows"), 0o755)
	syscall.Mkfifo(filepath.Join(dir, "tree", ".github", "workflows", "pipe.yml"), 0o644)
	os.Symlink("../sub", filepath.Join(dir, "tree", "sub", "cycle"))
	os.Symlink("missing", filepath.Join(dir, "tree", "dangling"))
	write("tree/sub/laughs.cdx.xml", []byte(laughs))
	// A symlink leaving the tree.
	write("escape/a.txt", []byte("a"))
	os.Symlink("/etc/passwd", filepath.Join(dir, "escape", "leak"))
	// A .git that is a file pointing elsewhere.
	write("gitfile/.git", []byte("gitdir: /etc\n"))
	// A repository whose config is 300 MB.
	write("bigconfig/.git/HEAD", []byte("ref: refs/heads/main\n"))
	os.MkdirAll(filepath.Join(dir, "bigconfig", ".git", "objects"), 0o755)
	os.MkdirAll(filepath.Join(dir, "bigconfig", ".git", "refs", "heads"), 0o755)
	sparse("bigconfig/.git/config", 300<<20)
	// Workflows: an alias bomb and a 10,000-deep flow sequence.
	write("wf/.github/workflows/bomb.yml", []byte(bomb))
	write("wf/.github/workflows/deep.yml", []byte(deep))

	// Evidence bundles that try to escape, link or explode.
	entry := func(name string, typ byte, link string, body []byte, size int64) tarEntry {
		return tarEntry{name, typ, link, body, size}
	}
	pj := []byte("{}")
	writeTarGz(t, filepath.Join(dir, "b-dotdot.tar.gz"), entry("outputs/pedigree.json", tar.TypeReg, "", pj, 0), entry("../../pwned.txt", tar.TypeReg, "", []byte("x"), 0))
	writeTarGz(t, filepath.Join(dir, "b-abs.tar.gz"), entry("/tmp/pwned-abs.txt", tar.TypeReg, "", []byte("x"), 0))
	writeTarGz(t, filepath.Join(dir, "b-sym.tar.gz"), entry("outputs/pedigree.json", tar.TypeSymlink, "/etc/passwd", nil, 0))
	writeTarGz(t, filepath.Join(dir, "b-hard.tar.gz"), entry("outputs/pedigree.json", tar.TypeLink, "/etc/passwd", nil, 0))
	writeTarGz(t, filepath.Join(dir, "b-dup.tar.gz"), entry("outputs/pedigree.json", tar.TypeReg, "", pj, 0), entry("outputs/pedigree.json", tar.TypeReg, "", pj, 0))
	writeTarGz(t, filepath.Join(dir, "b-bomb.tar.gz"), entry("outputs/pedigree.json", tar.TypeReg, "", nil, 10<<30))
	write("b-notgz.tar.gz", []byte("hello"))
}

type tarEntry struct {
	name     string
	typ      byte
	link     string
	body     []byte
	fakeSize int64 // a header claiming this size, with no body (a bomb)
}

func writeTarGz(t *testing.T, p string, entries ...tarEntry) {
	t.Helper()
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: 0o644, Size: int64(len(e.body))}
		if e.fakeSize > 0 {
			h.Size = e.fakeSize
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if e.fakeSize > 0 {
			break // the header alone: a reader must refuse it from the size
		}
		tw.Write(e.body)
	}
	if entries[len(entries)-1].fakeSize == 0 {
		tw.Close()
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw.Bytes())
	zw.Close()
	if err := os.WriteFile(p, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tamperBundle copies a bundle, changing one byte of outputs/pedigree.json.
func tamperBundle(t *testing.T, src, dst string) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var entries []tarEntry
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		var b bytes.Buffer
		b.ReadFrom(tr)
		body := b.Bytes()
		if h.Name == "outputs/pedigree.json" {
			body = bytes.Replace(body, []byte(`"fail"`), []byte(`"pass"`), 1)
			body = append(body, ' ')
		}
		entries = append(entries, tarEntry{name: h.Name, typ: h.Typeflag, body: body})
	}
	writeTarGz(t, dst, entries...)
}

func TestHostileInputs(t *testing.T) {
	dir := t.TempDir()
	hostileFixture(t, dir)
	demo := filepath.Dir(demoConfigPath())
	release := filepath.Join(demo, "release")
	artifact := filepath.Join(release, "pedigree-demo_1.0.0_linux_amd64.tar.gz")
	key := filepath.Join(demo, "keys", "demo-signing.pub")
	sbomFile := filepath.Join(release, "pedigree-demo_1.0.0_linux_amd64.cdx.json")
	osv := filepath.Join(demo, "vuln", "osv")

	// A genuine bundle of a small run, and a tampered copy.
	good := filepath.Join(dir, "good.tar.gz")
	if r := runHostileIn(t, dir, "assess", filepath.Join(dir, "tree", "sub", "a.txt"), "--out", filepath.Join(dir, "goodout"), "--quiet", "--fail-on", "none", "--bundle", good); r.code != 0 {
		t.Fatalf("assess for the bundle fixture: exit %d: %s", r.code, r.stderr)
	}
	tamperBundle(t, good, filepath.Join(dir, "b-tamper.tar.gz"))
	pj := filepath.Join(dir, "goodout", "pedigree.json")
	// A JSON-lines file of one real Sigstore bundle and 200,000 lines more:
	// each line would be a signature observation of its own.
	bundleLine, err := os.ReadFile(filepath.Join("..", "..", "collectors", "distribution", "release", "testdata", "gh-attestation", "bundle.jsonl.txt"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "jsonl"), 0o755)
	os.WriteFile(filepath.Join(dir, "jsonl", "attestations.jsonl"), append(bundleLine, bytes.Repeat([]byte("{}\n"), 200000)...), 0o644)

	const (
		onStderr = iota // an error: exit 2, one line on stderr naming the input
		onStdout        // a verdict or report on stdout
	)
	tests := []struct {
		name  string
		args  []string
		code  int
		where int
		want  string
		// maxMiB bounds the peak memory (default 200 MiB).
		maxMiB int64
		// known marks a defect in a package being changed by others.
		known string
	}{
		// oscal validate
		{name: "oscal validate missing", args: []string{"oscal", "validate", "nope.json"}, code: 2, want: "nope.json: open nope.json: no such file or directory"},
		{name: "oscal validate folder", args: []string{"oscal", "validate", "folder"}, code: 2, want: "folder"},
		{name: "oscal validate empty", args: []string{"oscal", "validate", "empty.json"}, code: 2, want: "empty.json: invalid JSON at offset 0, line 1, column 1"},
		{name: "oscal validate truncated", args: []string{"oscal", "validate", "trunc.json"}, code: 2, want: "trunc.json: invalid JSON at offset 10, line 1, column 11"},
		{name: "oscal validate alias bomb", args: []string{"oscal", "validate", "bomb.yaml"}, code: 2, want: "bomb.yaml: invalid YAML at line 1"},
		{name: "oscal validate deep YAML", args: []string{"oscal", "validate", "deep.yaml"}, code: 2, want: "nested deeper than"},
		{name: "oscal validate deep JSON", args: []string{"oscal", "validate", "deep.json"}, code: 1, where: onStdout, want: "deep.json"},
		{name: "oscal validate 300 MB", args: []string{"oscal", "validate", "big.json"}, code: 2, want: "big.json: document too large"},
		{name: "oscal validate /dev/zero", args: []string{"oscal", "validate", "/dev/zero"}, code: 2, want: "/dev/zero: not a regular file (it is a device)"},

		// catalogs and controls
		{name: "catalog resolve truncated profile", args: []string{"catalog", "resolve", "--profile", "trunc.json"}, code: 2, want: "trunc.json: line 1, column 11"},
		{name: "catalog resolve alias bomb", args: []string{"catalog", "resolve", "--profile", "bomb.yaml"}, code: 2, want: "bomb.yaml: document contains excessive aliasing"},
		{name: "catalog resolve 300 MB", args: []string{"catalog", "resolve", "--profile", "big.json"}, code: 2, want: "big.json: larger than 64 MB", maxMiB: 300},
		{name: "catalog resolve self import", args: []string{"catalog", "resolve", "--profile", "self.json"}, code: 2, want: "self.json"},
		{name: "catalog resolve output folder missing", args: []string{"catalog", "resolve", "--profile", "profile.json", "-o", "nodir/x.json"}, code: 2, want: "nodir/x.json: folder nodir: no such file or directory"},
		{name: "controls list truncated catalog", args: []string{"controls", "list", "--catalog", "trunc.json"}, code: 2, want: "trunc.json: line 1, column 11"},
		{name: "controls show empty catalog", args: []string{"controls", "show", "sr-4", "--catalog", "empty.json"}, code: 2, want: "empty.json: empty document"},
		{name: "controls mapping empty", args: []string{"controls", "mapping", "--mapping", "empty.json"}, code: 2, want: "empty.json: no checks"},
		{name: "controls mapping 300 MB", args: []string{"controls", "mapping", "--mapping", "big.json"}, code: 2, want: "big.json: file exceeds the size limit"},
		{name: "controls mapping /dev/zero", args: []string{"controls", "mapping", "--mapping", "/dev/zero"}, code: 2, want: "/dev/zero: file exceeds the size limit"},
		{name: "controls mapping output folder missing", args: []string{"controls", "mapping", "-o", "nodir/m.yaml"}, code: 2, want: "nodir/m.yaml: folder nodir: no such file or directory"},

		// sbom inspect
		{name: "sbom inspect missing", args: []string{"sbom", "inspect", "nope.json"}, code: 2, want: "nope.json: no such file or directory"},
		{name: "sbom inspect /dev/zero", args: []string{"sbom", "inspect", "/dev/zero"}, code: 2, want: "/dev/zero: not a regular file or directory (it is a device)"},
		{name: "sbom inspect named pipe", args: []string{"sbom", "inspect", "fifo"}, code: 2, want: "fifo: not a regular file or directory (it is a named pipe)"},
		{name: "sbom inspect empty", args: []string{"sbom", "inspect", "empty.json"}, code: 2, want: "empty.json: not a recognised SBOM"},
		{name: "sbom inspect 300 MB", args: []string{"sbom", "inspect", "big.json"}, code: 2, want: "big.json: not a recognised SBOM"},
		{name: "sbom inspect billion laughs", args: []string{"sbom", "inspect", "laughs.cdx.xml"}, code: 0, where: onStdout, want: "entities are never expanded or resolved"},
		{name: "sbom inspect external entity", args: []string{"sbom", "inspect", "xxe.cdx.xml"}, code: 0, where: onStdout, want: "entities are never expanded or resolved"},
		{name: "sbom inspect truncated XML", args: []string{"sbom", "inspect", "trunc.cdx.xml"}, code: 0, where: onStdout, want: "XML syntax error on line 1: unexpected EOF"},

		// targets: crypto inventory, repo scan, ci scan, assess
		{name: "crypto inventory named pipe", args: []string{"crypto", "inventory", "fifo"}, code: 2, want: "target fifo: not a regular file or directory"},
		{name: "crypto inventory /dev/zero", args: []string{"crypto", "inventory", "/dev/zero"}, code: 2, want: "target /dev/zero: not a regular file or directory"},
		{name: "crypto inventory symlink out", args: []string{"crypto", "inventory", "escape"}, code: 2, want: "symlink leak -> /etc/passwd: path leaves the target tree"},
		{name: "repo scan /dev/zero", args: []string{"repo", "scan", "/dev/zero"}, code: 2, want: "target /dev/zero: not a regular file or directory"},
		{name: "repo scan .git file", args: []string{"repo", "scan", "gitfile"}, code: 0, where: onStdout, want: `.git is a file ("gitdir: /etc"), pointing at a repository elsewhere`},
		{name: "repo scan 300 MB config", args: []string{"repo", "scan", "bigconfig"}, code: 0, where: onStdout, want: ".git/config: 314572800 bytes, above the"},
		{name: "repo scan symlink out", args: []string{"repo", "scan", "escape"}, code: 2, want: "path leaves the target tree"},
		{name: "ci scan alias bomb and deep workflow", args: []string{"ci", "scan", "wf"}, code: 1, where: onStdout, want: "alias bomb"},
		{name: "ci scan tree with a pipe for a workflow", args: []string{"ci", "scan", "tree"}, code: 2, want: "tree: no pipeline file"},
		{name: "ci scan named pipe", args: []string{"ci", "scan", "fifo"}, code: 2, want: "fifo"},
		{name: "ci scan /dev/zero", args: []string{"ci", "scan", "/dev/zero"}, code: 2, want: "/dev/zero"},
		{name: "ci scan 300 MB", args: []string{"ci", "scan", "big.json"}, code: 2, want: "big.json"},
		{name: "assess hostile tree", args: []string{"assess", "tree", "--out", "out-tree", "--quiet"}, code: 1, want: "not-satisfied"},
		{name: "assess JSON lines of 200,000 documents", args: []string{"assess", "jsonl", "--out", "out-jsonl", "--quiet"}, code: 0, where: onStdout, want: "findings: 2 from"},
		{name: "assess /dev/zero", args: []string{"assess", "/dev/zero", "--out", "out-zero", "--quiet"}, code: 2, want: "target /dev/zero: not a regular file or directory"},
		{name: "assess config /dev/zero", args: []string{"assess", "--config", "/dev/zero", "--out", "out-zero", "--quiet"}, code: 2, want: "config: /dev/zero: file exceeds the size limit"},
		{name: "assess config alias bomb", args: []string{"assess", "--config", "bomb.yaml", "--out", "out-zero", "--quiet"}, code: 2, want: `bomb.yaml: line 1: unknown key "a"`},
		{name: "assess config invalid UTF-8", args: []string{"assess", "--config", "badutf8.json", "--out", "out-zero", "--quiet"}, code: 2, want: "badutf8.json: invalid leading UTF-8 octet"},
		{name: "assess manual /dev/zero", args: []string{"assess", "folder", "--manual", "/dev/zero", "--out", "out-zero", "--quiet"}, code: 2, want: "manual evidence: /dev/zero: file exceeds the size limit"},
		{name: "assess mapping 300 MB", args: []string{"assess", "folder", "--mapping", "big.json", "--out", "out-zero", "--quiet"}, code: 2, want: "mapping: big.json: file exceeds the size limit"},
		{name: "assess out is a file", args: []string{"assess", "folder", "--out", "empty.json", "--quiet"}, code: 2, want: "--out empty.json: not a directory"},
		{name: "assess bundle folder missing", args: []string{"assess", "folder", "--out", "out-zero", "--bundle", "nodir/b.tar.gz", "--quiet"}, code: 2, want: "--bundle nodir/b.tar.gz: folder nodir: no such file or directory"},
		{name: "assess negative max-file-size", args: []string{"assess", "folder", "--out", "out-zero", "--max-file-size", "-1", "--quiet"}, code: 2, want: "--max-file-size -1"},

		// verify
		{name: "verify bundle /dev/zero", args: []string{"verify", "bundle", "--bundle", "/dev/zero", "--key", key, "--without-tlog-unsafe", artifact}, code: 2, want: "--bundle: /dev/zero: file exceeds the size limit"},
		{name: "verify bundle artifact /dev/zero", args: []string{"verify", "bundle", "--bundle", artifact + ".sigstore.json", "--key", key, "--without-tlog-unsafe", "/dev/zero"}, code: 2, want: "artifact: /dev/zero: is a device, not a regular file"},
		{name: "verify bundle deep JSON", args: []string{"verify", "bundle", "--bundle", "deep.json", "--key", key, "--without-tlog-unsafe", artifact}, code: 1, where: onStdout, want: "FAIL: invalid bundle"},
		{name: "verify bundle truncated key", args: []string{"verify", "bundle", "--bundle", artifact + ".sigstore.json", "--key", "trunc.json", "--without-tlog-unsafe", artifact}, code: 1, where: onStdout, want: "FAIL: key trunc.json"},
		{name: "verify bundle key and identity", args: []string{"verify", "bundle", "--bundle", artifact + ".sigstore.json", "--key", key, "--certificate-identity", "x", "--certificate-oidc-issuer", "y", "--without-tlog-unsafe", artifact}, code: 2, want: "not both"},
		{name: "verify dsse /dev/zero", args: []string{"verify", "dsse", "--envelope", "/dev/zero", "--key", key}, code: 2, want: "--envelope: /dev/zero: file exceeds the size limit"},
		{name: "verify dsse deep JSON", args: []string{"verify", "dsse", "--envelope", "deep.json", "--key", key}, code: 1, where: onStdout, want: "FAIL: "},
		{name: "verify statement /dev/zero", args: []string{"verify", "statement", "/dev/zero"}, code: 2, want: "/dev/zero: file exceeds the size limit"},
		{name: "verify statement empty", args: []string{"verify", "statement", "empty.json"}, code: 1, where: onStdout, want: "FAIL: "},
		{name: "verify layout /dev/zero", args: []string{"verify", "layout", "--layout", "/dev/zero", "--layout-key", key}, code: 2, want: "/dev/zero: file exceeds the size limit"},
		{name: "verify provenance /dev/zero", args: []string{"verify", "provenance", "--provenance", "/dev/zero", "--source-uri", "github.com/o/r", "--key", key, artifact}, code: 2, want: "/dev/zero: file exceeds the size limit"},
		{name: "verify pgp keyring /dev/zero", args: []string{"verify", "pgp", "--keyring", "/dev/zero", "--signature", artifact + ".asc", artifact}, code: 2, want: "keyring: /dev/zero: above the"},
		{name: "verify pgp signature 300 MB", args: []string{"verify", "pgp", "--keyring", filepath.Join(demo, "keys", "release-keyring.asc"), "--signature", "big.json", artifact}, code: 2, want: "signature: big.json is above the"},
		{name: "verify pqc key /dev/zero", args: []string{"verify", "pqc", "--key", "/dev/zero", "--signature", artifact + ".mldsa65.sig", artifact}, code: 2, want: "key: /dev/zero is above the"},

		// vuln match
		{name: "vuln match KEV /dev/zero", args: []string{"vuln", "match", sbomFile, "--osv", osv, "--no-cache", "--kev", "/dev/zero"}, code: 2, want: "/dev/zero: file exceeds the size limit", maxMiB: 300},
		{name: "vuln match VEX /dev/zero", args: []string{"vuln", "match", sbomFile, "--osv", osv, "--no-cache", "--vex", "/dev/zero"}, code: 2, want: "/dev/zero: file exceeds the size limit", maxMiB: 300},
		{name: "vuln match empty SBOM", args: []string{"vuln", "match", "empty.json", "--osv", osv, "--no-cache"}, code: 2, want: "empty.json: not a recognised SBOM"},

		// report, diff, bundle verify: files from others
		{name: "report missing", args: []string{"report", "--from", "nope.json", "--out", "out-report"}, code: 2, want: "nope.json"},
		{name: "report truncated", args: []string{"report", "--from", "trunc.json", "--out", "out-report"}, code: 2, want: "trunc.json: invalid pedigree.json"},
		{name: "report deep", args: []string{"report", "--from", "deep.json", "--out", "out-report"}, code: 2, want: "deep.json: invalid pedigree.json"},
		{name: "report bundle ../", args: []string{"report", "--from", "b-dotdot.tar.gz", "--out", "out-report"}, code: 2, want: `b-dotdot.tar.gz: unsafe archive: entry "../../pwned.txt" is not a plain relative path`},
		{name: "report bundle absolute", args: []string{"report", "--from", "b-abs.tar.gz", "--out", "out-report"}, code: 2, want: "is not a plain relative path"},
		{name: "report bundle symlink", args: []string{"report", "--from", "b-sym.tar.gz", "--out", "out-report"}, code: 2, want: "is a symbolic link"},
		{name: "report bundle hard link", args: []string{"report", "--from", "b-hard.tar.gz", "--out", "out-report"}, code: 2, want: "is a hard link"},
		{name: "report bundle duplicate", args: []string{"report", "--from", "b-dup.tar.gz", "--out", "out-report"}, code: 2, want: "appears twice"},
		{name: "report bundle 10 GB entry", args: []string{"report", "--from", "b-bomb.tar.gz", "--out", "out-report"}, code: 2, want: "is 10737418240 bytes, more than the limit"},
		{name: "report bundle tampered", args: []string{"report", "--from", "b-tamper.tar.gz", "--out", "out-report"}, code: 2, want: "b-tamper.tar.gz: bundle does not verify"},
		{name: "diff bundle ../", args: []string{"diff", pj, "b-dotdot.tar.gz"}, code: 2, want: "b-dotdot.tar.gz: unsafe archive"},
		{name: "diff truncated", args: []string{"diff", pj, "trunc.json"}, code: 2, want: "trunc.json: not JSON"},
		{name: "diff folder", args: []string{"diff", pj, "folder"}, code: 2, want: "folder"},
		{name: "bundle verify ../", args: []string{"bundle", "verify", "b-dotdot.tar.gz"}, code: 2, where: onStdout, want: "FAIL: b-dotdot.tar.gz: unsafe archive"},
		{name: "bundle verify 10 GB entry", args: []string{"bundle", "verify", "b-bomb.tar.gz"}, code: 2, where: onStdout, want: "FAIL: b-bomb.tar.gz: unsafe archive"},
		{name: "bundle verify tampered", args: []string{"bundle", "verify", "b-tamper.tar.gz"}, code: 1, where: onStdout, want: "outputs/pedigree.json differs"},
		{name: "bundle verify not gzip", args: []string{"bundle", "verify", "b-notgz.tar.gz"}, code: 2, want: "b-notgz.tar.gz: not a gzip archive"},
		{name: "bundle verify /dev/zero", args: []string{"bundle", "verify", "/dev/zero"}, code: 2, want: "/dev/zero: not a gzip archive"},

		// usage
		{name: "unknown flag", args: []string{"verify", "dsse", "--frobnicate"}, code: 2, want: "unknown flag: --frobnicate"},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, want: `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.known != "" {
				t.Skip("known defect: " + tt.known)
			}
			r := runHostileIn(t, dir, tt.args...)
			if r.killed {
				t.Fatalf("did not finish within the deadline (hang)\nstderr: %s", r.stderr)
			}
			if strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine ") {
				t.Fatalf("panicked:\n%s", r.stderr)
			}
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %.400s\nstderr: %.400s", r.code, tt.code, r.stdout, r.stderr)
			}
			got := r.stderr
			if tt.where == onStdout {
				got = r.stdout
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("output lacks %q\nstdout: %.400s\nstderr: %.400s", tt.want, r.stdout, r.stderr)
			}
			if tt.where == onStderr && tt.code == 2 {
				checkRefusal(t, r.stderr)
			}
			limit := tt.maxMiB
			if limit == 0 {
				limit = 200
			}
			if r.maxRSS > limit<<20 {
				t.Errorf("peak memory %d MiB, want at most %d MiB", r.maxRSS>>20, limit)
			}
		})
	}

	// Nothing escaped: no file written by an archive's ../ or absolute
	// entries, no output from a refused run, no temporary files left.
	for _, p := range []string{filepath.Join(filepath.Dir(dir), "pwned.txt"), "/tmp/pwned-abs.txt", filepath.Join(dir, "out-zero"), filepath.Join(dir, "out-report"), filepath.Join(dir, "nodir")} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s exists after refused runs", p)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*", ".*.tmp*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// runHostileIn runs pedigree in dir with a deadline long enough for the
// slowest legitimate case and short enough that a hang fails quickly.
func runHostileIn(t *testing.T, dir string, args ...string) hostileRun {
	t.Helper()
	return runHostileEnv(t, dir, nil, args...)
}

// runHostileEnv is runHostileIn with extra environment variables.
func runHostileEnv(t *testing.T, dir string, env []string, args ...string) hostileRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, pedigreeBin, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.WaitDelay = time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	var polled int64
	err := cmd.Start()
	if err == nil {
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
			for {
				if hwm := vmHWM(status); hwm > polled {
					polled = hwm
				}
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		}()
		err = cmd.Wait()
		close(stop)
		<-done
	}
	r := hostileRun{result: result{stdout: out.String(), stderr: errb.String()}}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.killed = true
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.maxRSS = int64(ru.Maxrss) * 1024 // kilobytes on Linux
		}
	}
	// Linux keeps a process's peak RSS across fork and exec, so a child
	// started by a large test process (the race detector's) reports the
	// parent's peak. When that explains the figure, the child's own
	// high-water mark, polled while it ran, is its peak.
	if self := vmHWM("/proc/self/status"); polled > 0 && r.maxRSS <= self {
		r.maxRSS = polled
	}
	return r
}

// vmHWM reads the peak resident set size (VmHWM) from a /proc status file,
// in bytes; 0 when it cannot.
func vmHWM(status string) int64 {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	_, rest, ok := strings.Cut(string(b), "VmHWM:")
	if !ok {
		return 0
	}
	f := strings.Fields(rest)
	if len(f) < 1 {
		return 0
	}
	kb, _ := strconv.ParseInt(f[0], 10, 64)
	return kb * 1024
}

// A command blocked reading a named pipe that no one writes to still stops
// on SIGTERM (after a short grace period for cleanup), and at once on a
// second signal.
func TestHostileSignalsStopABlockedRead(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	for _, tt := range []struct {
		name    string
		signals int
		within  time.Duration
	}{
		{"one SIGTERM", 1, interruptGrace + 3*time.Second},
		{"two SIGTERMs", 2, 2 * time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(pedigreeBin, "oscal", "validate", fifo)
			var errb bytes.Buffer
			cmd.Stderr = &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			waitBlockedInOpen(t, cmd.Process.Pid)
			start := time.Now()
			for i := 0; i < tt.signals; i++ {
				cmd.Process.Signal(syscall.SIGTERM)
				time.Sleep(100 * time.Millisecond)
			}
			select {
			case <-done:
			case <-time.After(tt.within):
				cmd.Process.Kill()
				<-done
				t.Fatalf("still running %v after SIGTERM", time.Since(start))
			}
			if tt.signals == 1 {
				if code := cmd.ProcessState.ExitCode(); code != exitInterrupted || !strings.Contains(errb.String(), "pedigree: interrupted") {
					t.Errorf("exit %d, stderr %q; want %d and an interrupted message", code, errb.String(), exitInterrupted)
				}
			}
		})
	}
}

// waitBlockedInOpen waits until one of pid's threads sits in openat(2), so a
// signal sent next meets the installed handler, not Go's default action; a
// fixed sleep lost that race on a loaded machine. Without /proc it falls
// back to a generous sleep.
func waitBlockedInOpen(t *testing.T, pid int) {
	t.Helper()
	const sysOpenat = "257 " // the x86-64 number; other architectures use the fallback
	deadline := time.Now().Add(20 * time.Second)
	for runtime.GOARCH == "amd64" && time.Now().Before(deadline) {
		tasks, err := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "syscall"))
		if err != nil || len(tasks) == 0 {
			break
		}
		for _, task := range tasks {
			if b, err := os.ReadFile(task); err == nil && strings.HasPrefix(string(b), sysOpenat) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(2 * time.Second)
}
