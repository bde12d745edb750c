package release

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
)

// TestSSHSignedList: a checksum list signed with the real ssh-keygen
// (`-Y sign -n file`; testdata/SOURCES.md) gives `ssh-keygen -Y verify`'s
// verdicts: good with the signer's public key or an allowed_signers file
// naming it for namespace file; refused with another key, or when the
// signature was made for namespace git; not verified without a key, and
// never judged as OpenPGP.
func TestSSHSignedList(t *testing.T) {
	const dir = "testdata/ssh-signed"
	_, pub := testKey(t)
	kr := filepath.Join(t.TempDir(), "keys.asc")
	os.WriteFile(kr, []byte(pub), 0o644)
	gitNS := t.TempDir()
	for _, n := range []string{"checksums.txt", "hello-1.0.tar.gz"} {
		b, _ := os.ReadFile(filepath.Join(dir, n))
		os.WriteFile(filepath.Join(gitNS, n), b, 0o644)
	}
	b, _ := os.ReadFile("testdata/ssh-git-namespace.sig")
	os.WriteFile(filepath.Join(gitNS, "checksums.txt.sig"), b, 0o644)
	for _, tc := range []struct {
		name string
		dir  string
		o    distribution.Options
		want string
		msg  string
	}{
		{"the signer's public key", dir, distribution.Options{Keys: []string{"testdata/ssh-release.pub"}}, distribution.Verified, "SSH signature by ssh-ed25519 key SHA256:"},
		{"allowed_signers", dir, distribution.Options{Keys: []string{"testdata/ssh-allowed_signers"}}, distribution.Verified, "(release@example.org) verified for namespace file"},
		{"another key", dir, distribution.Options{Keys: []string{"testdata/ssh-other.pub"}}, distribution.Failed, "a key the allowed signers do not hold"},
		{"signed for namespace git", gitNS, distribution.Options{Keys: []string{"testdata/ssh-release.pub"}}, distribution.Failed, `signed for namespace "git", not "file"`},
		{"no key", dir, distribution.Options{}, distribution.NotVerified, "no OpenSSH public key"},
		{"an OpenPGP keyring only", dir, distribution.Options{Keyrings: []string{kr}}, distribution.NotVerified, "SSH signature not verified"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := pick(scan(t, tc.dir, tc.o), CheckChecksumsSigned)
			if f == nil || f.Outcome != tc.want || !strings.Contains(f.Message, tc.msg) {
				t.Fatalf("%+v", f)
			}
		})
	}
}
