package apt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/disttest"
)

const real = "testdata/sample-apt-repo"

func scan(t testing.TB, dir string, o distribution.Options) []*distribution.Finding {
	t.Helper()
	return disttest.Scan(t, func(tr *distribution.Trust) collectors.Collector { return New(tr) }, dir, o)
}

func find(fs []*distribution.Finding, check, path string) []*distribution.Finding {
	var out []*distribution.Finding
	for _, f := range fs {
		if f.Check == check && (path == "" || f.Path == path) {
			out = append(out, f)
		}
	}
	return out
}

// copyTree copies the real fixture so a test can damage it.
func copyTree(t *testing.T) string { return copyDir(t, real) }

var keyring = filepath.Join(real, "repo-archive-keyring.asc")

// TestRealRepository: gpgv and apt accept this repository with its
// keyring; pedigree agrees on every observation.
func TestRealRepository(t *testing.T) {
	fs := scan(t, real, distribution.Options{Keyrings: []string{keyring}})
	// apt reads InRelease and ignores the Release beside it.
	sigs := find(fs, CheckSigned, "")
	if len(sigs) != 1 || sigs[0].Outcome != distribution.Verified {
		t.Fatalf("signature observations: %+v", sigs)
	}
	if s := find(fs, CheckSigned, "dists/stable/InRelease")[0]; !strings.Contains(s.Message, "8B7B1A68AF7F67E64AF717CE62C4921DFCBFEF49") {
		t.Errorf("signer: %s", s.Message)
	}
	idx := find(fs, CheckIndexHashes, "")
	ok := 0
	for _, f := range idx {
		if f.Outcome == distribution.Verified {
			ok++
		} else {
			t.Errorf("index %s: %s", f.Path, f.Message)
		}
	}
	if ok != 3 { // Packages, .gz, .xz
		t.Errorf("%d index files verified, want 3", ok)
	}
	debs := find(fs, CheckPackageHashes, "pool/main/app_0.0.1-1_amd64.deb")
	if len(debs) == 0 || debs[0].Outcome != distribution.Verified {
		t.Errorf("deb: %+v", debs)
	}
	if w := find(fs, CheckWeakHash, "dists/stable/InRelease")[0]; w.Outcome != distribution.Verified || len(w.Weak) != 2 {
		t.Errorf("weak: %+v", w)
	}
	v := find(fs, CheckValidUntil, "dists/stable/InRelease")[0]
	if !v.Issued.Equal(time.Date(2026, 1, 5, 4, 12, 58, 0, time.UTC)) || !v.Expires.IsZero() {
		t.Errorf("validity: %+v", v)
	}
}

func TestBadRepositories(t *testing.T) {
	const inrel = "dists/stable/InRelease"
	cases := []struct {
		name   string
		mutate func(t *testing.T, dir string)
		opts   distribution.Options
		check  string
		path   string
		want   string
		msg    string
	}{
		{name: "no keyring", check: CheckSigned, path: inrel, want: distribution.NotVerified, msg: "no keyring"},
		{name: "unknown key", opts: distribution.Options{Keyrings: []string{"testdata/other-key.asc"}}, check: CheckSigned, path: inrel, want: distribution.Failed, msg: "signer not in keyring"},
		{name: "tampered InRelease", mutate: func(t *testing.T, dir string) {
			p := filepath.Join(dir, inrel)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), "Label: app", "Label: evil", 1)), 0o644)
		}, check: CheckSigned, path: inrel, want: distribution.Failed, msg: "does not verify"},
		{name: "tampered Packages", mutate: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "dists/stable/main/binary-amd64/Packages")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, append(b, '\n'), 0o644)
		}, check: CheckIndexHashes, path: "dists/stable/main/binary-amd64/Packages", want: distribution.Failed, msg: "565 bytes"},
		{name: "Release without InRelease or Release.gpg", mutate: func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, inrel))
		}, check: CheckSigned, path: "dists/stable/Release", want: distribution.Failed, msg: "has no signature"},
		{name: "tampered deb", mutate: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "pool/main/app_0.0.1-1_amd64.deb")
			b, _ := os.ReadFile(p)
			b[100] ^= 1
			os.WriteFile(p, b, 0o644)
		}, check: CheckPackageHashes, path: "pool/main/app_0.0.1-1_amd64.deb", want: distribution.Failed, msg: "sha512"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyTree(t)
			if tc.mutate != nil {
				tc.mutate(t, dir)
			}
			o := tc.opts
			if o.Keyrings == nil && tc.name != "no keyring" {
				o.Keyrings = []string{keyring}
			}
			fs := find(scan(t, dir, o), tc.check, tc.path)
			if len(fs) == 0 {
				t.Fatal("no observation")
			}
			if fs[0].Outcome != tc.want || !strings.Contains(fs[0].Message, tc.msg) {
				t.Errorf("%s %q, want %s %q", fs[0].Outcome, fs[0].Message, tc.want, tc.msg)
			}
		})
	}
}

// TestHugeStanza: a Packages file with a 10 MB stanza is refused with a
// clear observation, in bounded memory.
func TestHugeStanza(t *testing.T) {
	var fields []string
	err := readStanzas(strings.NewReader("Package: x\nDescription: "+strings.Repeat("a", 10<<20)+"\n"), func(s stanza) error {
		fields = append(fields, s.get("Package"))
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "stanza exceeds the size limit") {
		t.Fatalf("err = %v", err)
	}
	var n int
	err = readStanzas(strings.NewReader("Package: a\nDescription: x\n more\n\nPackage: b\n"), func(s stanza) error {
		n++
		if n == 1 && s.get("description") != "x\nmore" {
			t.Errorf("continuation %q", s.get("description"))
		}
		return nil
	})
	if err != nil || n != 2 {
		t.Fatalf("n=%d err=%v", n, err)
	}
}

func FuzzStanzas(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join(real, "dists/stable/Release"))
	f.Add(b)
	f.Add([]byte("Package: a\n\n\n x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		readStanzas(strings.NewReader(string(b)), func(s stanza) error {
			for _, k := range []string{"MD5Sum", "SHA256"} {
				parseEntries(s.get(k))
			}
			return nil
		})
	})
}
