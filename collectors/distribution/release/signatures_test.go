package release

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
)

// TestCosignBlobSignatures: checksum lists signed by the real cosign
// (v2.5.3, `sign-blob --key --tlog-upload=false`; testdata/SOURCES.md),
// as a legacy bundle (list.bundle) and as a bare signature (list.sig),
// give cosign verify-blob's verdicts: verified with the key only when the
// missing transparency-log entry is accepted (--insecure-ignore-tlog,
// here --without-tlog-unsafe), failed with another key, not verified
// without one, and never judged as OpenPGP.
func TestCosignBlobSignatures(t *testing.T) {
	key, other := "testdata/cosign.pub", "testdata/other-cosign.pub"
	kr := filepath.Join(t.TempDir(), "keys.asc")
	_, pub := testKey(t)
	os.WriteFile(kr, []byte(pub), 0o644)
	for _, dir := range []string{"testdata/cosign-bundle", "testdata/cosign-sig"} {
		for _, tc := range []struct {
			name string
			o    distribution.Options
			want string
			msg  string
		}{
			{"key, tlog entry required", distribution.Options{Keys: []string{key}}, distribution.Failed, "no transparency-log entry"},
			{"key, without tlog", distribution.Options{Keys: []string{key}, WithoutTlogUnsafe: true}, distribution.Verified, "cosign signature verified, signed by key ECDSA"},
			{"another key", distribution.Options{Keys: []string{other}, WithoutTlogUnsafe: true}, distribution.Failed, "cosign signature does not verify"},
			{"the key accepted without tlog", distribution.Options{KeysWithoutTlog: []string{key}}, distribution.Verified, "cosign signature verified"},
			{"only another key accepted without tlog", distribution.Options{Keys: []string{key}, KeysWithoutTlog: []string{other}}, distribution.Failed, "cosign signature does not verify"},
			{"no key", distribution.Options{}, distribution.NotVerified, "no trusted root or key"},
			{"an OpenPGP keyring only", distribution.Options{Keyrings: []string{kr}}, distribution.NotVerified, "cosign signature not verified"},
		} {
			t.Run(filepath.Base(dir)+"/"+tc.name, func(t *testing.T) {
				f := pick(scan(t, dir, tc.o), CheckChecksumsSigned)
				if f == nil || f.Outcome != tc.want || !strings.Contains(f.Message, tc.msg) {
					t.Fatalf("%+v", f)
				}
				if tc.want == distribution.Verified && !strings.Contains(f.Message, "covers all 1 artifact") {
					t.Errorf("coverage: %s", f.Message)
				}
			})
		}
	}
}

// TestCosignKeylessSignatureOffline: a keyless signature beside its
// certificate (GoReleaser's list.sig and list.pem, the certificate
// base64-encoded PEM) but no Rekor entry cannot be judged offline: not
// verified, naming the certificate, never passed or failed.
func TestCosignKeylessSignatureOffline(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"checksums.txt", "hello-1.0.tar.gz", "checksums.txt.sig"} {
		b, _ := os.ReadFile(filepath.Join("testdata/cosign-sig", n))
		os.WriteFile(filepath.Join(dir, n), b, 0o644)
	}
	// A real Fulcio certificate, base64 of PEM as cosign writes it.
	const real = "../../../verify/sigstore/testdata/cosign-blob-bundle/"
	cert, _ := os.ReadFile(real + "artifact.txt.pem")
	os.WriteFile(filepath.Join(dir, "checksums.txt.pem"), cert, 0o644)
	root := real + "trusted_root_pgi.json"
	f := pick(scan(t, dir, distribution.Options{TrustedRoots: []string{root}}), CheckChecksumsSigned)
	if f == nil || f.Outcome != distribution.NotVerified || !strings.Contains(f.Message, "certificate checksums.txt.pem but no Rekor entry") {
		t.Fatalf("%+v", f)
	}
	// A certificate file that is not one fails, naming it.
	os.WriteFile(filepath.Join(dir, "checksums.txt.pem"), []byte("not a certificate"), 0o644)
	f = pick(scan(t, dir, distribution.Options{TrustedRoots: []string{root}}), CheckChecksumsSigned)
	if f == nil || f.Outcome != distribution.Failed || !strings.Contains(f.Message, "checksums.txt.pem") {
		t.Fatalf("%+v", f)
	}
}

// TestAttestationsFoundByContent: provenance is found in files named
// freely, by what they hold: a real Sigstore bundle with SLSA v1
// provenance (sigstore-conformance; testdata/SOURCES.md) as `gh
// attestation download` names it (sha256:<hex>.jsonl, one bundle a line)
// and written indented under a name of no known suffix.
func TestAttestationsFoundByContent(t *testing.T) {
	const src = "testdata/gh-attestation/"
	for _, tc := range []struct{ name, from, to, want string }{
		{"gh attestation download", "bundle.jsonl.txt", "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf.jsonl", "has no SBOM beside it"},
		{"indented bundle, any name", "bundle.indented.txt", "attestation.json", "has no SBOM beside it"},
		{"none", "", "", "has no provenance and no SBOM beside it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"a-1.0.bin": "a-1.0.bin", "SHA256SUMS": "SHA256SUMS"}
			if tc.from != "" {
				files[tc.to] = tc.from
			}
			for to, from := range files {
				b, err := os.ReadFile(src + from)
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(dir, to), b, 0o644)
			}
			f := pick(scan(t, dir, distribution.Options{}), CheckAttestations)
			if f == nil || f.Outcome != distribution.Failed || !strings.HasSuffix(f.Message, tc.want) {
				t.Fatalf("%+v", f)
			}
			if tc.from != "" && (len(f.Related) != 1 || f.Related[0] != tc.to) {
				t.Errorf("related %v", f.Related)
			}
		})
	}
}

// TestKeyNamedSignature: a list signed only under a key-named signature
// (HashiCorp's terraform_1.6.0_SHA256SUMS.72D7468F.sig, binary OpenPGP)
// is found and verified, not called unsigned.
func TestKeyNamedSignature(t *testing.T) {
	e, pub := testKey(t)
	dir, list := release(t, nil)
	var sig bytes.Buffer
	if err := openpgp.DetachSign(&sig, e, bytes.NewReader(list), nil); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "SHA256SUMS.72D7468F.sig"), sig.Bytes(), 0o644)
	kr := filepath.Join(t.TempDir(), "keys.asc")
	os.WriteFile(kr, []byte(pub), 0o644)
	f := pick(scan(t, dir, distribution.Options{Keyrings: []string{kr}}), CheckChecksumsSigned)
	if f == nil || f.Outcome != distribution.Verified || !strings.Contains(f.Message, "SHA256SUMS.72D7468F.sig: good detached signature") || !strings.Contains(f.Message, "covers all 1") {
		t.Fatalf("%+v", f)
	}
}
