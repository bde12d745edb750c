package sshsign

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

func read(t testing.TB, n string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + n)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestVerifyOpenSSH: signatures ssh-keygen made (testdata/SOURCES.md) get
// `ssh-keygen -Y verify`'s verdicts.
func TestVerifyOpenSSH(t *testing.T) {
	data := read(t, "data.txt")
	pub, err := ParsePublicKeys(read(t, "ssh-release.pub"))
	if err != nil {
		t.Fatal(err)
	}
	allowed, err := ParseAllowedSigners(read(t, "ssh-allowed_signers"))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := ParsePublicKeys(read(t, "ssh-other.pub"))
	gitOnly := []AllowedSigner{{Principals: []string{"release@example.org"}, Key: pub[0].Key, Namespaces: []string{"git"}}}
	for _, tc := range []struct {
		name    string
		data    []byte
		sig     string
		signers []AllowedSigner
		want    error
	}{
		{"public key", data, "data.txt.sig", pub, nil},
		{"allowed_signers", data, "data.txt.sig", allowed, nil},
		{"content changed", append([]byte("x"), data...), "data.txt.sig", pub, ErrBadSignature},
		{"another key", data, "data.txt.sig", other, ErrUnknownSigner},
		{"signer allowed for git only", data, "data.txt.sig", gitOnly, ErrUnknownSigner},
		{"signed for namespace git", data, "data.txt.git.sig", pub, ErrNamespace},
		{"not a signature", data, "data.txt", pub, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Verify(bytes.NewReader(tc.data), read(t, tc.sig), tc.signers, NamespaceFile)
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("err = %v", err)
			case tc.want == nil && (res.KeyID != "SHA256:v72Q/IwnwR/TVBdTbRTwYZbwsJp56BxOBnRPu/rfqfA" || res.Namespace != "file" || res.KeyType != "ssh-ed25519"):
				t.Errorf("%+v", res)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Errorf("err = %v, want %v", err, tc.want)
			case err != nil && strings.Contains(err.Error(), "\n"):
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
	if len(allowed) != 1 || allowed[0].Principals[0] != "release@example.org" || !allowed[0].Allows("file") || allowed[0].Allows("git") {
		t.Errorf("allowed_signers: %+v", allowed)
	}
}

func TestParseKeysBad(t *testing.T) {
	for _, in := range []string{"", "ssh-ed25519 !!!", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"} {
		if _, err := ParsePublicKeys([]byte(in)); err == nil {
			t.Errorf("%q: parsed", in)
		}
	}
	if _, err := ParseAllowedSigners([]byte("onlyprincipal\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("err = %v", err)
	}
}

// FuzzVerify: no signature text makes verification panic.
func FuzzVerify(f *testing.F) {
	f.Add(read(f, "data.txt.sig"))
	f.Add(read(f, "data.txt.git.sig"))
	f.Add([]byte("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n"))
	pub, _ := ParsePublicKeys(read(f, "ssh-release.pub"))
	data := read(f, "data.txt")
	f.Fuzz(func(t *testing.T, sig []byte) {
		Verify(bytes.NewReader(data), sig, pub, NamespaceFile)
		Signer(sig)
	})
}
