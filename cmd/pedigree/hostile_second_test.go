//go:build unix

package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The second hostile pass: amplification bombs (git objects, tree DAGs,
// archives), output destinations that are not regular files, files skipped
// for their size, huge quoted values, interrupts, attacker-chosen counts and
// environment values. Inputs are generated here, sized to prove each bound
// in seconds: a header that claims a gigabyte costs nothing to write and
// everything to believe.

// gitObject writes a loose object whose header says claim bytes (the body's
// length when claim is 0) and returns its id. Only the header and body
// written are compressed: a reader that believed the header would inflate
// far past what is there.
func gitObject(t *testing.T, gitDir, typ string, body []byte, claim int64) string {
	t.Helper()
	if claim == 0 {
		claim = int64(len(body))
	}
	raw := append([]byte(fmt.Sprintf("%s %d\x00", typ, claim)), body...)
	sum := sha1.Sum(raw)
	id := hex.EncodeToString(sum[:])
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw)
	zw.Close()
	p := filepath.Join(gitDir, "objects", id[:2], id[2:])
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, z.Bytes(), 0o444); err != nil {
		t.Fatal(err)
	}
	return id
}

// gitTree encodes tree entries (name → mode and id), sorted as git sorts.
func gitTree(entries [][3]string) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		id, _ := hex.DecodeString(e[2])
		b.WriteString(e[0] + " " + e[1] + "\x00")
		b.Write(id)
	}
	return b.Bytes()
}

// gitRepo makes dir a repository whose main branch points at the commit
// made by head (given the .git folder).
func gitRepo(t *testing.T, dir string, head func(gitDir string) string) {
	t.Helper()
	gitDir := filepath.Join(dir, ".git")
	for _, d := range []string{"objects", "refs/heads", "refs/tags"} {
		if err := os.MkdirAll(filepath.Join(gitDir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(gitDir, "HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
	os.WriteFile(filepath.Join(gitDir, "config"), []byte("[core]\n\trepositoryformatversion = 0\n\tbare = false\n"), 0o644)
	id := head(gitDir)
	os.WriteFile(filepath.Join(gitDir, "refs", "heads", "main"), []byte(id+"\n"), 0o644)
}

// gitDAGRepo makes dir a repository whose tree is eleven levels of ten
// entries, each level pointing ten times at the one below: a few objects
// that walk as 10^11 paths.
func gitDAGRepo(t *testing.T, dir string) {
	t.Helper()
	gitRepo(t, dir, func(g string) string {
		blob := gitObject(t, g, "blob", []byte("x\n"), 0)
		var es [][3]string
		for i := range 10 {
			es = append(es, [3]string{"100644", "f" + strconv.Itoa(i), blob})
		}
		sub := gitObject(t, g, "tree", gitTree(es), 0)
		for range 10 {
			es = es[:0]
			for i := range 10 {
				es = append(es, [3]string{"40000", "d" + strconv.Itoa(i), sub})
			}
			sub = gitObject(t, g, "tree", gitTree(es), 0)
		}
		return gitObject(t, g, "commit", commitBody(sub), 0)
	})
}

func commitBody(tree string) []byte {
	return []byte("tree " + tree + "\nauthor A <a@example.com> 1700000000 +0000\ncommitter A <a@example.com> 1700000000 +0000\n\nm\n")
}

// rawTarHeader is one ustar header block, for what archive/tar refuses to
// write (sparse entries).
func rawTarHeader(name string, typ byte, size int64) []byte {
	h := make([]byte, 512)
	copy(h, name)
	copy(h[100:], "0000644\x00")
	copy(h[108:], "0000000\x00")
	copy(h[116:], "0000000\x00")
	copy(h[124:], fmt.Sprintf("%011o\x00", size))
	copy(h[136:], "00000000000\x00")
	h[156] = typ
	copy(h[257:], "ustar\x0000")
	copy(h[148:], "        ")
	sum := 0
	for _, c := range h {
		sum += int(c)
	}
	copy(h[148:], fmt.Sprintf("%06o\x00 ", sum))
	return h
}

func pad512(b []byte) []byte {
	if r := len(b) % 512; r != 0 {
		b = append(b, make([]byte, 512-r)...)
	}
	return b
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

func tgzOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), ModTime: time.Unix(1700000000, 0)}); err != nil {
			t.Fatal(err)
		}
		tw.Write(body)
	}
	tw.Close()
	return gz(raw.Bytes())
}

// secondFixture writes the second pass's inputs into dir.
func secondFixture(t *testing.T, dir string) {
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

	// Git: a commit that claims 1 GiB, a tree that claims 1 GiB, a
	// CODEOWNERS blob that claims 1 GiB, and a 10-level DAG of trees each
	// naming one subtree ten times (10^11 paths in a few kilobytes).
	gitRepo(t, filepath.Join(dir, "git-commit-bomb"), func(g string) string {
		return gitObject(t, g, "commit", bytes.Repeat([]byte("x"), 4096), 1<<30)
	})
	gitRepo(t, filepath.Join(dir, "git-tree-bomb"), func(g string) string {
		tree := gitObject(t, g, "tree", make([]byte, 4096), 1<<30)
		return gitObject(t, g, "commit", commitBody(tree), 0)
	})
	gitRepo(t, filepath.Join(dir, "git-blob-bomb"), func(g string) string {
		blob := gitObject(t, g, "blob", []byte("* @owner\n"), 1<<30)
		gh := gitObject(t, g, "tree", gitTree([][3]string{{"100644", "CODEOWNERS", blob}}), 0)
		tree := gitObject(t, g, "tree", gitTree([][3]string{{"40000", ".github", gh}}), 0)
		return gitObject(t, g, "commit", commitBody(tree), 0)
	})
	gitDAGRepo(t, filepath.Join(dir, "git-dag"))

	// Archives: a zip listing more entries than the limit; tar.gz files
	// that together pass a (lowered) per-target budget.
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	for i := range 100_001 {
		zw.CreateHeader(&zip.FileHeader{Name: strconv.Itoa(i), Method: zip.Store})
	}
	zw.Close()
	write("zip-many/app-1.0.zip", z.Bytes())
	for _, n := range []string{"a", "b", "c"} {
		write("tgz-budget/"+n+"-1.0.tar.gz", tgzOf(t, map[string][]byte{"bin/" + n: make([]byte, 1<<20)}))
	}

	// A bundle whose entry is a PAX sparse file claiming 2 GiB of holes.
	var pax string
	for _, kv := range []string{"GNU.sparse.major=1", "GNU.sparse.minor=0", "GNU.sparse.name=outputs/pedigree.json", "GNU.sparse.realsize=2147483648"} {
		n := len(kv) + 2 // space and newline
		n += len(strconv.Itoa(n + len(strconv.Itoa(n))))
		pax += strconv.Itoa(n) + " " + kv + "\n"
	}
	var sp []byte
	sp = append(sp, rawTarHeader("PaxHeaders/x", 'x', int64(len(pax)))...)
	sp = append(sp, pad512([]byte(pax))...)
	sp = append(sp, rawTarHeader("outputs/pedigree.json", '0', 512)...)
	sp = append(sp, pad512([]byte("1\n0\n2147483648\n"))...)
	sp = append(sp, make([]byte, 1024)...)
	write("b-sparse.tar.gz", gz(sp))

	// A key file named like one, its RSA-1024 private key padded with 10 MB
	// of comment lines: too large to read, so it must be reported, not lost.
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	der := x509.MarshalPKCS1PrivateKey(k)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der})
	write("keys-padded/deploy/id_rsa", append(keyPEM, bytes.Repeat([]byte("# padding padding padding padding\n"), 10<<20/34)...))
	write("keys-padded/README.md", []byte("hello\n"))

	// A CycloneDX SBOM whose one component is named with 16 MB.
	name := strings.Repeat("n", 16<<20)
	sbomDoc := `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"timestamp":"2026-01-01T00:00:00Z","component":{"type":"application","name":"app","version":"1"}},` +
		`"components":[{"type":"library","bom-ref":"c1","name":"` + name + `","version":"` + name[:1<<20] + `","purl":"pkg:npm/` + name[:1<<20] + `"}]}`
	write("sbom-huge/app.cdx.json", []byte(sbomDoc))

	// 1,200 certificates: more findings of one check than are kept whole.
	ck, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1200 {
		tpl := &x509.Certificate{SerialNumber: big.NewInt(int64(i + 1)), Subject: pkix.Name{CommonName: "c" + strconv.Itoa(i)},
			NotBefore: time.Unix(1700000000, 0), NotAfter: time.Unix(1700000000, 0).Add(3 * 365 * 24 * time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &ck.PublicKey, ck)
		if err != nil {
			t.Fatal(err)
		}
		write(fmt.Sprintf("certs-many/c%04d.pem", i), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	}

	// A DSSE envelope with 10,000 signatures.
	var sigs []string
	for i := range 10_000 {
		sigs = append(sigs, fmt.Sprintf(`{"keyid":"k%d","sig":"%s"}`, i, strings.Repeat("QUFB", 128)))
	}
	write("dsse-10k.json", []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[`+strings.Join(sigs, ",")+`]}`))

	write("cat.json", []byte(`{"catalog":{"uuid":"22222222-2222-4222-8222-222222222222","metadata":{"title":"c","last-modified":"2026-01-01T00:00:00Z","version":"1","oscal-version":"1.1.3"},"groups":[{"id":"sr","title":"SR","controls":[{"id":"sr-1","title":"Policy"}]}]}}`))
	write("profile.json", []byte(`{"profile":{"uuid":"11111111-1111-4111-8111-111111111112","metadata":{"title":"p","last-modified":"2026-01-01T00:00:00Z","version":"1","oscal-version":"1.1.3"},"imports":[{"href":"cat.json","include-all":{}}]}}`))

	// Output destinations: a link to a file that must survive, a folder of
	// reports holding a link, a named pipe, a character device of our own.
	write("victim.txt", []byte("keep me\n"))
	os.Symlink("victim.txt", filepath.Join(dir, "out-link"))
	os.MkdirAll(filepath.Join(dir, "out-planted"), 0o755)
	os.Symlink("../victim.txt", filepath.Join(dir, "out-planted", "pedigree.json"))
	syscall.Mkfifo(filepath.Join(dir, "out-fifo"), 0o644)
	// A null device node (1,3) of our own: if a regression replaced it,
	// only this copy would be lost.
	syscall.Mknod(filepath.Join(dir, "out-null"), syscall.S_IFCHR|0o666, 1<<8|3)
}

func TestHostileSecondPass(t *testing.T) {
	dir := t.TempDir()
	secondFixture(t, dir)
	demo := filepath.Dir(demoConfigPath())
	key := filepath.Join(demo, "keys", "demo-signing.pub")
	victimIntact := func(t *testing.T, _ hostileRun) {
		t.Helper()
		if b, err := os.ReadFile(filepath.Join(dir, "victim.txt")); err != nil || string(b) != "keep me\n" {
			t.Errorf("the link's target changed: %q, %v", b, err)
		}
		stillA(filepath.Join(dir, "out-link"), os.ModeSymlink)(t, hostileRun{})
	}

	// A genuine bundle with a second gzip member appended holding ../.
	good := filepath.Join(dir, "good.tar.gz")
	if r := runHostileIn(t, dir, "assess", "victim.txt", "--out", "goodout", "--quiet", "--fail-on", "none", "--bundle", good); r.code != 0 {
		t.Fatalf("assess for the bundle fixture: exit %d: %s", r.code, r.stderr)
	}
	gb, _ := os.ReadFile(good)
	var evil bytes.Buffer
	tw := tar.NewWriter(&evil)
	tw.WriteHeader(&tar.Header{Name: "../../pwned2.txt", Mode: 0o644, Size: 1})
	tw.Write([]byte("x"))
	tw.Close()
	os.WriteFile(filepath.Join(dir, "b-appended.tar.gz"), append(gb, gz(evil.Bytes())...), 0o644)

	const (
		onStderr = iota
		onStdout
		inFile // want is looked for in the file named by file
	)
	tests := []struct {
		name   string
		env    []string
		args   []string
		code   int
		where  int
		file   string
		want   string
		maxMiB int64
		after  func(t *testing.T, r hostileRun)
	}{
		// 1. Amplification: objects, trees, archives.
		{name: "repo scan commit claiming 1 GiB", args: []string{"repo", "scan", "git-commit-bomb"}, where: onStdout, want: "commit object", code: 0,
			after: wants("inflates to 1073741824 bytes, above the")},
		{name: "repo scan tree claiming 1 GiB", args: []string{"repo", "scan", "git-tree-bomb"}, where: onStdout, want: "tree object", code: 0,
			after: wants("inflates to 1073741824 bytes, above the")},
		{name: "repo scan blob claiming 1 GiB", args: []string{"repo", "scan", "git-blob-bomb"}, where: onStdout, want: "REPO-CODEOWNERS: .: .github/CODEOWNERS is too large to read", code: 1,
			after: wants(".github/CODEOWNERS in HEAD is above the file size limit: not read")},
		{name: "repo scan tree DAG of 10^11 paths", args: []string{"repo", "scan", "git-dag"}, where: onStdout, want: "HEAD tree not assessed: walk budget exceeded: more than 1000000 paths", code: 0},
		{name: "assess tree DAG", args: []string{"assess", "git-dag", "--out", "out-dag", "--quiet", "--fail-on", "none"}, where: inFile, file: "out-dag/pedigree.json", want: "more than 1000000 paths"},
		{name: "assess zip of 100,001 entries", args: []string{"assess", "zip-many", "--out", "out-zip", "--quiet", "--fail-on", "none"}, where: inFile, file: "out-zip/pedigree.json", want: "zip lists 100001 entries, above the limit of 100000"},
		{name: "assess archives past the target's budget", args: []string{"assess", "tgz-budget", "--out", "out-tgz", "--quiet", "--fail-on", "none", "--archive-budget", "1MiB"}, where: inFile, file: "out-tgz/pedigree.json", want: "archive-reading budget is spent"},
		{name: "report bundle sparse 2 GiB entry", args: []string{"report", "--from", "b-sparse.tar.gz", "--out", "out-sparse"}, code: 2, want: `b-sparse.tar.gz: unsafe archive: entry "outputs/pedigree.json" is a sparse file`},
		{name: "bundle verify sparse entry", args: []string{"bundle", "verify", "b-sparse.tar.gz"}, code: 2, where: onStdout, want: "is a sparse file"},

		// 2. Output destinations.
		{name: "controls mapping -o link to a file", args: []string{"controls", "mapping", "-o", "out-link"}, code: 2, want: "out-link: is a symbolic link to a regular file", after: victimIntact},
		{name: "catalog resolve -o link to a file", args: []string{"catalog", "resolve", "--profile", "profile.json", "-o", "out-link"}, code: 2, want: "out-link: is a symbolic link to a regular file", after: victimIntact},
		{name: "crypto inventory -o link to a file", args: []string{"crypto", "inventory", "victim.txt", "-o", "out-link"}, code: 2, want: "--output out-link: is a symbolic link to a regular file", after: victimIntact},
		{name: "controls mapping -o character device", args: []string{"controls", "mapping", "-o", "out-null"}, code: 0, where: onStdout, want: "", after: stillA(filepath.Join(dir, "out-null"), os.ModeCharDevice)},
		{name: "controls mapping -o folder", args: []string{"controls", "mapping", "-o", "goodout"}, code: 2, want: "goodout: is a folder, want a file"},
		{name: "controls mapping -o -", args: []string{"controls", "mapping", "-o", "-"}, code: 0, where: onStdout, want: "checks:"},
		{name: "assess --bundle link to a file", args: []string{"assess", "victim.txt", "--out", "out-b", "--quiet", "--bundle", "out-link"}, code: 2, want: "--bundle out-link: is a symbolic link to a regular file", after: victimIntact},
		{name: "assess --out holding a planted link", args: []string{"assess", "victim.txt", "--out", "out-planted", "--quiet"}, code: 2, want: "--out out-planted/pedigree.json: is a symbolic link to a regular file", after: victimIntact},
		{name: "assess --bundle character device", args: []string{"assess", "victim.txt", "--out", "out-nb", "--quiet", "--fail-on", "none", "--bundle", "out-null"}, code: 0, where: onStdout, want: "wrote out-null", after: stillA(filepath.Join(dir, "out-null"), os.ModeCharDevice)},

		// 3. Nothing skipped silently.
		{name: "assess padded private key", args: []string{"assess", "keys-padded", "--out", "out-keys", "--quiet", "--fail-on", "none"}, where: inFile, file: "out-keys/pedigree.json", want: "deploy/id_rsa: 1", after: func(t *testing.T, r hostileRun) {
			if !strings.Contains(r.stdout, "skipped: 1 file(s) not read") {
				t.Errorf("summary does not count the skipped file: %s", r.stdout)
			}
			b, _ := os.ReadFile(filepath.Join(dir, "out-keys", "pedigree.json"))
			for _, w := range []string{"TARGET-FILE-SKIPPED", "above the 8388608-byte limit for key material: not read", "key file(s) were too large to read: deploy/id_rsa"} {
				if !bytes.Contains(b, []byte(w)) {
					t.Errorf("pedigree.json lacks %q", w)
				}
			}
		}},

		// 4. Untrusted text copied into outputs.
		{name: "sbom inspect 16 MB component name", args: []string{"sbom", "inspect", "sbom-huge/app.cdx.json"}, code: 0, where: onStdout, want: "more bytes)", maxMiB: 400,
			after: func(t *testing.T, r hostileRun) {
				if len(r.stdout) > 64<<10 {
					t.Errorf("printed %d bytes for a 1-component SBOM", len(r.stdout))
				}
			}},
		{name: "assess 16 MB component name", args: []string{"assess", "sbom-huge", "--out", "out-huge", "--quiet", "--fail-on", "none", "--format", "oscal-ar,json,md,sarif,csv,html,hdf"}, where: inFile, file: "out-huge/pedigree.json", want: "more bytes)", maxMiB: 512,
			after: reportsBoundedBy(filepath.Join(dir, "out-huge"), 20<<20)},

		// 7. Memory and report size proportional to the work.
		{name: "assess 1,200 certificates", args: []string{"assess", "certs-many", "--out", "out-certs", "--quiet", "--fail-on", "none"}, where: inFile, file: "out-certs/pedigree.json", want: `"folded": 1100`,
			after: func(t *testing.T, _ hostileRun) {
				b, _ := os.ReadFile(filepath.Join(dir, "out-certs", "pedigree.json"))
				if !bytes.Contains(b, []byte("1100 more ")) {
					t.Error("pedigree.json has no folded summary finding")
				}
				reportsBoundedBy(filepath.Join(dir, "out-certs"), 16<<20)(t, hostileRun{})
			}},

		// 6. CPU: attacker-chosen counts.
		{name: "verify dsse 10,000 signatures", args: []string{"verify", "dsse", "--envelope", "dsse-10k.json", "--key", key}, code: 1, where: onStdout, want: "10000 signatures, above the limit of 32"},

		// 8. Small: environment parsed like flags, data after an archive.
		{name: "env max-file-size not a number", env: []string{"PEDIGREE_MAX_FILE_SIZE=abc"}, args: []string{"assess", "victim.txt", "--out", "out-env", "--quiet"}, code: 2, want: `PEDIGREE_MAX_FILE_SIZE="abc": invalid value for --max-file-size`},
		{name: "env quiet not a boolean", env: []string{"PEDIGREE_QUIET=maybe"}, args: []string{"ci", "scan", "victim.txt"}, code: 2, want: `PEDIGREE_QUIET="maybe": invalid value for --quiet`},
		{name: "env fail-on for a command without it", env: []string{"PEDIGREE_FAIL_ON=bogus"}, args: []string{"controls", "mapping", "-o", "-"}, code: 0, where: onStdout, want: "checks:"},
		{name: "bundle verify gzip member appended", args: []string{"bundle", "verify", "b-appended.tar.gz"}, code: 2, where: onStdout, want: "data after the end of the archive"},
		{name: "report bundle gzip member appended", args: []string{"report", "--from", "b-appended.tar.gz", "--out", "out-appended"}, code: 2, want: "b-appended.tar.gz: unsafe archive: data after the end of the archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := runHostileEnv(t, dir, tt.env, tt.args...)
			if r.killed {
				t.Fatalf("did not finish within the deadline (hang)\nstderr: %s", r.stderr)
			}
			if strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "fatal error") {
				t.Fatalf("crashed:\n%.2000s", r.stderr)
			}
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %.600s\nstderr: %.600s", r.code, tt.code, r.stdout, r.stderr)
			}
			var got string
			switch tt.where {
			case onStderr:
				got = r.stderr
			case onStdout:
				got = r.stdout
			case inFile:
				b, err := os.ReadFile(filepath.Join(dir, tt.file))
				if err != nil {
					t.Fatal(err)
				}
				got = string(b)
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("output lacks %q\nstdout: %.600s\nstderr: %.600s", tt.want, r.stdout, r.stderr)
			}
			if tt.code == 2 && tt.where == onStderr {
				checkRefusal(t, r.stderr)
			}
			limit := tt.maxMiB
			if limit == 0 {
				limit = 300
			}
			if r.maxRSS > limit<<20 {
				t.Errorf("peak memory %d MiB, want at most %d MiB", r.maxRSS>>20, limit)
			}
			if tt.after != nil {
				tt.after(t, r)
			}
			t.Logf("%v, %d MiB", time.Since(start).Round(time.Millisecond), r.maxRSS>>20)
		})
	}

	// Nothing escaped, nothing half-written, no temporary file anywhere.
	for _, p := range []string{filepath.Join(filepath.Dir(dir), "pwned2.txt"), filepath.Join(dir, "out-b"), filepath.Join(dir, "out-env"), filepath.Join(dir, "out-sparse"), filepath.Join(dir, "out-appended")} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s exists after refused runs", p)
		}
	}
	noTempFiles(t, dir)
}

// A FIFO named as an output is written through, not replaced.
func TestHostileOutputFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	got := make(chan []byte, 1)
	go func() {
		b, _ := os.ReadFile(fifo) // blocks until pedigree opens it
		got <- b
	}()
	r := runHostileIn(t, dir, "controls", "mapping", "-o", "fifo")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if b := <-got; !bytes.Contains(b, []byte("checks:")) {
		t.Fatalf("the pipe's reader got %q", b)
	}
	stillA(fifo, os.ModeNamedPipe)(t, hostileRun{})
	noTempFiles(t, dir)
}

// Interrupted at any moment, a command exits 130 (or finished first), never
// reports the cancellation as a finding, and leaves no temporary file.
func TestHostileInterrupts(t *testing.T) {
	dir := t.TempDir()
	gitDAGRepo(t, filepath.Join(dir, "dag"))
	demoCfg := demoConfigPath()
	for i, delay := range []time.Duration{50, 150, 300, 500, 800, 1200} {
		delay *= time.Millisecond
		for _, c := range []struct {
			name string
			args []string
		}{
			{"repo scan", []string{"repo", "scan", "dag"}},
			{"assess", []string{"assess", "--config", demoCfg, "--out", "out" + strconv.Itoa(i), "--quiet", "--format", "oscal-ar,json,md,sarif,csv,html,xlsx", "--bundle", "b" + strconv.Itoa(i) + ".tar.gz"}},
		} {
			t.Run(fmt.Sprintf("%s after %v", c.name, delay), func(t *testing.T) {
				cmd := exec.Command(pedigreeBin, c.args...)
				cmd.Dir = dir
				var out, errb bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &errb
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				done := make(chan struct{})
				go func() { cmd.Wait(); close(done) }()
				interrupted := false
				select {
				case <-done:
				case <-time.After(delay):
					cmd.Process.Signal(syscall.SIGINT)
					interrupted = true
				}
				select {
				case <-done:
				case <-time.After(interruptGrace + 5*time.Second):
					cmd.Process.Kill()
					<-done
					t.Fatal("still running after SIGINT")
				}
				code := cmd.ProcessState.ExitCode()
				if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGINT {
					// Interrupted in the first milliseconds, before
					// internal/startup installed the handler: the default
					// action, which a shell reports as 130, and nothing was
					// written yet (TestHostileInterruptAtStartup).
					code = exitInterrupted
				}
				if interrupted && code != exitInterrupted && code != exitOK && code != exitFindings {
					t.Errorf("exit %d after SIGINT: %s", code, errb.String())
				}
				if code == exitInterrupted && (strings.Contains(out.String(), "canceled") || strings.Contains(out.String(), "corrupt")) {
					t.Errorf("cancellation reported as a finding: %s", out.String())
				}
				if code == exitOK && strings.Contains(out.String(), "context canceled") {
					t.Errorf("exit 0 with a cancelled result: %s", out.String())
				}
			})
		}
	}
	noTempFiles(t, dir)
}

func wants(s string) func(*testing.T, hostileRun) {
	return func(t *testing.T, r hostileRun) {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q: %.600s", s, r.stdout)
		}
	}
}

// stillA fails unless p is still of the given kind (not replaced).
func stillA(p string, mode os.FileMode) func(*testing.T, hostileRun) {
	return func(t *testing.T, _ hostileRun) {
		t.Helper()
		st, err := os.Lstat(p)
		if err != nil || st.Mode()&mode == 0 {
			t.Errorf("%s was replaced: %v, %v", p, st.Mode(), err)
		}
	}
}

func reportsBoundedBy(dir string, limit int64) func(*testing.T, hostileRun) {
	return func(t *testing.T, _ hostileRun) {
		t.Helper()
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			info, _ := e.Info()
			if info.Size() > limit {
				t.Errorf("%s is %d bytes, more than %d for a %d-byte input", e.Name(), info.Size(), limit, 18<<20)
			}
		}
	}
}

// checkRefusal checks that a refused run's error is one line and does not
// name the temporary file the output was being written to.
func checkRefusal(t *testing.T, stderr string) {
	t.Helper()
	if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 0 {
		t.Errorf("error is %d lines, want one: %q", n+1, stderr)
	}
	if strings.Contains(stderr, ".tmp") {
		t.Errorf("error names a temporary file: %q", stderr)
	}
}

// noTempFiles fails for any temporary file left under dir.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && (strings.HasSuffix(d.Name(), ".tmp") || strings.Contains(d.Name(), ".tmp-") || strings.HasPrefix(d.Name(), ".pedigree-bundle-")) {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}
