package main

import (
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/verify/pqc"
	corpus "github.com/pedigree-dev/pedigree/verify/testcorpus"
)

func pgpArgs(c corpus.Case) []string {
	args := []string{"verify", "pgp", "--keyring", c.Path("keyring")}
	if v := c.Policy["key-validity"]; v != "" {
		args = append(args, "--key-validity", v)
	}
	if c.Policy["signed-message"] != "" {
		return append(args, c.Path("signed-message"))
	}
	return append(args, "--signature", c.Path("signature"), c.Path("data"))
}

// TestVerifyPGPCorpus runs `pedigree verify pgp` over every openpgp row of
// the shared signing corpus and agrees with every verdict; the passing rows
// (keys expired since they signed) must fail with --key-validity now.
func TestVerifyPGPCorpus(t *testing.T) {
	cases := corpus.Load(t, "openpgp")
	if len(cases) < 7 {
		t.Fatalf("only %d openpgp rows found", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			checkVerdict(t, c, pedigree(t, nil, pgpArgs(c)...))
			if c.Expected == "pass" {
				args := pgpArgs(c)
				for i := range args {
					if args[i] == "signature-time" {
						args[i] = "now"
					}
				}
				r := pedigree(t, nil, args...)
				if r.code != 1 || !strings.Contains(r.stdout, "FAIL: signing key expired") {
					t.Errorf("key-validity now: exit %d %s", r.code, r.stdout)
				}
			}
		})
	}
}

// TestVerifyPGPOffline repeats the corpus verdicts in a network-less user
// namespace.
func TestVerifyPGPOffline(t *testing.T) {
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare not installed: cannot build a network-less namespace here")
	}
	if out, err := exec.Command(unshare, "-rn", "true").CombinedOutput(); err != nil {
		t.Skipf("unshare -rn is not permitted here (%v: %s)", err, strings.TrimSpace(string(out)))
	}
	for _, c := range corpus.Load(t, "openpgp") {
		cmd := exec.Command(unshare, append([]string{"-rn", pedigreeBin}, pgpArgs(c)...)...)
		out, _ := cmd.Output()
		code := cmd.ProcessState.ExitCode()
		checkVerdict(t, c, result{code: code, stdout: string(out)})
	}
}

func TestVerifyPGPUsage(t *testing.T) {
	cases := corpus.Load(t, "openpgp")
	c := cases[0]
	for name, args := range map[string][]string{
		"no keyring":     {"verify", "pgp", c.Path("keyring")},
		"bad validity":   {"verify", "pgp", "--keyring", c.Path("keyring"), "--key-validity", "tomorrow", c.Path("keyring")},
		"missing file":   {"verify", "pgp", "--keyring", c.Path("keyring"), "--signature", "/nonexistent.sig", c.Path("keyring")},
		"keyring broken": {"verify", "pgp", "--keyring", os.Args[0], c.Path("keyring")},
	} {
		if r := pedigree(t, nil, args...); r.code != 2 {
			t.Errorf("%s: exit %d, want 2 (%s%s)", name, r.code, r.stdout, r.stderr)
		}
	}
	// Garbage as a signature is a FAIL verdict, not a crash.
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.sig")
	os.WriteFile(junk, []byte("-----BEGIN PGP SIGNATURE-----\n\n@@@\n-----END PGP SIGNATURE-----\n"), 0o644)
	if r := pedigree(t, nil, "verify", "pgp", "--keyring", c.Path("keyring"), "--signature", junk, junk); r.code != 1 || !strings.HasPrefix(r.stdout, "FAIL: malformed") {
		t.Errorf("junk signature: exit %d %q", r.code, r.stdout)
	}
}

type seedReader struct{ s [32]byte }

func (r *seedReader) Read(p []byte) (int, error) {
	for i := range p {
		if i%32 == 0 {
			r.s = sha256.Sum256(r.s[:])
		}
		p[i] = r.s[i%32]
	}
	return len(p), nil
}

func TestVerifyPQCCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "artifact.bin")
	os.WriteFile(file, []byte("artifact\n"), 0o644)
	alg, _ := pqc.AlgorithmByName("ML-DSA-65")
	k, _ := pqc.GenerateKey(alg, &seedReader{})
	sig, _ := k.Sign([]byte("artifact\n"), nil)
	os.WriteFile(filepath.Join(dir, "artifact.bin.sig"), sig, 0o644)
	os.WriteFile(filepath.Join(dir, "key.pem"), k.Public().MarshalPEM(), 0o644)
	rootAlg, _ := pqc.AlgorithmByName("ML-DSA-87")
	root, _ := pqc.GenerateKey(rootAlg, &seedReader{s: [32]byte{9}})
	now := time.Now()
	tmpl := func(cn string, ca bool) *pqc.Template {
		return &pqc.Template{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: ca}
	}
	rootDER, _ := pqc.CreateCertificate(tmpl("root", true), root.Public(), nil, root)
	rc, _ := pqc.ParseCertificate(rootDER)
	leafDER, _ := pqc.CreateCertificate(tmpl("leaf", false), k.Public(), rc, root)
	writePEM := func(name string, der []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("-----BEGIN CERTIFICATE-----\n"+b64lines(der)+"-----END CERTIFICATE-----\n"), 0o644)
		return p
	}
	rootPEM, leafPEM := writePEM("root.pem", rootDER), writePEM("leaf.pem", leafDER)
	os.WriteFile(filepath.Join(dir, "other.bin"), []byte("other\n"), 0o644)

	for _, tt := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"key", []string{"--key", filepath.Join(dir, "key.pem"), "--signature", file + ".sig", file}, 0, "OK: good ML-DSA-65 signature"},
		{"wrong data", []string{"--key", filepath.Join(dir, "key.pem"), "--signature", file + ".sig", filepath.Join(dir, "other.bin")}, 1, "FAIL: signature does not verify"},
		{"certificate", []string{"--certificate", leafPEM, "--ca-bundle", rootPEM, "--signature", file + ".sig", file}, 0, "chains to"},
		{"chain only", []string{"--certificate", leafPEM, "--ca-bundle", rootPEM}, 0, "ML-DSA-87"},
		{"untrusted root", []string{"--certificate", leafPEM, "--ca-bundle", leafPEM}, 1, "FAIL:"},
		{"usage", []string{"--key", filepath.Join(dir, "key.pem")}, 2, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := pedigree(t, nil, append([]string{"verify", "pqc"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.out) {
				t.Errorf("exit %d %q %q, want %d %q", r.code, r.stdout, r.stderr, tt.code, tt.out)
			}
		})
	}
}

func b64lines(b []byte) string {
	s := encodeB64(b)
	var out strings.Builder
	for len(s) > 64 {
		out.WriteString(s[:64] + "\n")
		s = s[64:]
	}
	out.WriteString(s + "\n")
	return out.String()
}

func TestCryptoInventoryCommand(t *testing.T) {
	cases := corpus.Load(t, "openpgp")
	dir := filepath.Dir(cases[0].Dir)
	r := pedigree(t, nil, "crypto", "inventory", "--format", "cyclonedx", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var bom map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &bom); err != nil || bom["specVersion"] != "1.6" {
		t.Fatalf("not a CycloneDX 1.6 document: %v", err)
	}
	r = pedigree(t, nil, "crypto", "inventory", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "trusted-root/fulcio-ca") || !strings.Contains(r.stdout, "quantum-vulnerable") {
		t.Errorf("table: exit %d\n%s", r.code, firstLine(r.stdout))
	}
	if r := pedigree(t, nil, "crypto", "inventory", "--format", "xml", dir); r.code != 2 {
		t.Errorf("bad format: exit %d", r.code)
	}
}
