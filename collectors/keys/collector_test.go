package keys

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/crypto/ssh"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/verify/pgp"
	"github.com/pedigree-dev/pedigree/verify/pqc"
)

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

type detRand struct{ s [32]byte }

func (r *detRand) Read(p []byte) (int, error) {
	for i := range p {
		if i%32 == 0 {
			r.s = sha256.Sum256(r.s[:])
		}
		p[i] = r.s[i%32]
	}
	return len(p), nil
}

func write(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

type fixture struct {
	dir  string
	opts Options
}

// newFixture lays out a release folder with real keys and signatures made
// in the test.
func newFixture(t *testing.T) fixture {
	t.Helper()
	dir := t.TempDir()
	trust := t.TempDir()
	artifact := []byte("pedigree demo artifact\n")
	write(t, dir, "app.tar.gz", artifact)
	write(t, dir, "other.txt", []byte("other\n"))

	// OpenPGP: a key, a good armored detached signature, and a signature
	// over other content placed next to other.txt.
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Time: func() time.Time { return now.Add(-time.Hour) }}
	e, err := openpgp.NewEntity("Demo Release", "", "release@example.org", cfg)
	if err != nil {
		t.Fatal(err)
	}
	var sig, bad, ring bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&sig, e, bytes.NewReader(artifact), cfg); err != nil {
		t.Fatal(err)
	}
	if err := openpgp.DetachSign(&bad, e, bytes.NewReader(artifact), cfg); err != nil {
		t.Fatal(err)
	}
	w, _ := armor.Encode(&ring, "PGP PUBLIC KEY BLOCK", nil)
	e.Serialize(w)
	w.Close()
	write(t, dir, "app.tar.gz.asc", sig.Bytes())
	write(t, dir, "other.txt.sig", bad.Bytes())
	write(t, trust, "ring.asc", ring.Bytes())
	write(t, dir, "keys/release.asc", ring.Bytes())

	// ML-DSA-65: a good raw signature, a base64 one, a tampered one.
	mk, _ := pqc.GenerateKey(pqc.Algorithms[1], &detRand{})
	ps, _ := mk.Sign(artifact, nil)
	write(t, dir, "app.tar.gz.mldsa65.sig", ps)
	write(t, dir, "other.txt.mldsa.sig", []byte(base64.StdEncoding.EncodeToString(ps)))
	write(t, trust, "mldsa.pub.pem", mk.Public().MarshalPEM())
	write(t, dir, "keys/mldsa65.pub.pem", mk.Public().MarshalPEM())

	// A post-quantum certificate chain: ML-DSA-87 root (trusted, outside the
	// target), SLH-DSA intermediate and ML-DSA-65 leaf (in the target).
	rootKey, _ := pqc.GenerateKey(pqc.Algorithms[2], &detRand{s: [32]byte{1}})
	interKey, _ := pqc.GenerateKey(mustAlg(t, "SLH-DSA-SHAKE-128f"), &detRand{s: [32]byte{2}})
	tmpl := func(cn string, ca bool) *pqc.Template {
		return &pqc.Template{SerialNumber: big.NewInt(int64(len(cn))), Subject: pkix.Name{CommonName: cn}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: ca}
	}
	rootDER, _ := pqc.CreateCertificate(tmpl("PQ Root", true), rootKey.Public(), nil, rootKey)
	root, _ := pqc.ParseCertificate(rootDER)
	interDER, _ := pqc.CreateCertificate(tmpl("PQ Intermediate", true), interKey.Public(), root, rootKey)
	inter, _ := pqc.ParseCertificate(interDER)
	leafDER, _ := pqc.CreateCertificate(tmpl("release", false), mk.Public(), inter, interKey)
	var chain bytes.Buffer
	pem.Encode(&chain, &pem.Block{Type: "CERTIFICATE", Bytes: leafDER})
	pem.Encode(&chain, &pem.Block{Type: "CERTIFICATE", Bytes: interDER})
	write(t, dir, "keys/release-chain.pem", chain.Bytes())
	write(t, trust, "root.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: rootDER}))

	// Classical material: an RSA-1024 public key (weak), an ECDSA private
	// key (exposed), an SSH key, a Sigstore trusted root.
	rk, _ := rsa.GenerateKey(rand.Reader, 1024)
	rder, _ := x509.MarshalPKIXPublicKey(&rk.PublicKey)
	write(t, dir, "keys/old-rsa.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: rder}))
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	eder, _ := x509.MarshalPKCS8PrivateKey(ek)
	write(t, dir, "keys/leaked.key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: eder}))
	sk, _ := ssh.NewPublicKey(&ek.PublicKey)
	write(t, dir, "keys/id_ecdsa.pub", append(bytes.TrimSpace(ssh.MarshalAuthorizedKey(sk)), []byte(" ci@example.org\n")...))
	epub, _ := x509.MarshalPKIXPublicKey(&ek.PublicKey)
	tr := map[string]any{
		"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
		"tlogs": []any{map[string]any{"baseUrl": "https://rekor.example", "hashAlgorithm": "SHA2_256",
			"publicKey": map[string]any{"rawBytes": base64.StdEncoding.EncodeToString(epub), "keyDetails": "PKIX_ECDSA_P256_SHA_256", "validFor": map[string]any{"start": "2024-01-01T00:00:00Z"}}}},
		"certificateAuthorities": []any{map[string]any{"uri": "https://fulcio.example", "certChain": map[string]any{"certificates": []any{map[string]any{"rawBytes": base64.StdEncoding.EncodeToString(rootDER)}}}}},
	}
	tb, _ := json.MarshalIndent(tr, "", "  ")
	write(t, dir, "trusted_root.json", tb)

	kr, err := pgp.LoadKeyring(filepath.Join(trust, "ring.asc"))
	if err != nil {
		t.Fatal(err)
	}
	return fixture{dir: dir, opts: Options{Keyring: kr, Validity: pgp.AtSignatureTime, PublicKeys: []*pqc.PublicKey{mk.Public()}, Roots: []*pqc.Certificate{root}, Now: func() time.Time { return now }}}
}

func mustAlg(t *testing.T, n string) *pqc.Algorithm {
	a, err := pqc.AlgorithmByName(n)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func collect(t *testing.T, dir string, opts Options) ([]*Material, map[string]*SignatureCheck) {
	t.Helper()
	tg, err := collectors.OpenTarget("demo", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	ev, err := New(opts).Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	var mats []*Material
	checks := map[string]*SignatureCheck{}
	ids := map[string]bool{}
	for _, e := range ev {
		if ids[e.ID] {
			t.Errorf("duplicate evidence id %s (%s %s)", e.ID, e.Kind, e.Source)
		}
		ids[e.ID] = true
		switch p := e.Payload.(type) {
		case *Material:
			mats = append(mats, p)
		case *SignatureCheck:
			checks[p.Signature] = p
		}
	}
	return mats, checks
}

func TestCollector(t *testing.T) {
	fx := newFixture(t)
	mats, checks := collect(t, fx.dir, fx.opts)

	wantChecks := map[string]string{
		"app.tar.gz.asc":         StatusVerified,
		"other.txt.sig":          StatusFailed,
		"app.tar.gz.mldsa65.sig": StatusVerified,
		"other.txt.mldsa.sig":    StatusFailed,
		"keys/release-chain.pem": StatusVerified,
	}
	for sig, want := range wantChecks {
		sc := checks[sig]
		if sc == nil {
			t.Errorf("%s: not checked", sig)
			continue
		}
		if sc.Status != want {
			t.Errorf("%s: %s (%s), want %s", sig, sc.Status, sc.Reason, want)
		}
	}
	if len(checks) != len(wantChecks) {
		t.Errorf("checks: %v", keysOf(checks))
	}

	byPath := map[string]*Material{}
	for _, m := range mats {
		byPath[m.Path] = m
	}
	asset := func(p string, i int) *Asset {
		m := byPath[p]
		if m == nil || len(m.Assets) <= i {
			t.Fatalf("%s: no asset %d (%+v)", p, i, m)
		}
		return &m.Assets[i]
	}
	if a := asset("keys/old-rsa.pem", 0); a.Class != ClassWeak || a.Bits != 1024 || a.Line != 1 {
		t.Errorf("RSA-1024: %+v", a)
	}
	if a := asset("keys/leaked.key", 0); a.Kind != AssetPrivateKey || a.Curve != "P-256" {
		t.Errorf("private key: %+v", a)
	}
	if a := asset("keys/id_ecdsa.pub", 0); a.Kind != AssetSSHKey || a.Identity != "ci@example.org" || a.Class != ClassQuantumVulnerable {
		t.Errorf("ssh: %+v", a)
	}
	if a := asset("keys/mldsa65.pub.pem", 0); a.Algorithm != "ML-DSA-65" || a.Class != ClassPostQuantum || a.QuantumLevel != 3 || a.CNSA2 != CNSANotApproved {
		t.Errorf("ML-DSA-65: %+v", a)
	}
	if a := asset("keys/release-chain.pem", 1); a.Algorithm != "SLH-DSA-SHAKE-128f" || a.SignatureAlgorithm != "ML-DSA-87" || !a.IsCA {
		t.Errorf("intermediate: %+v", a)
	}
	if a := asset("trusted_root.json", 0); a.Role != "fulcio-ca" || a.Pointer != "/certificateAuthorities/0/certChain/certificates/0" || a.CNSA2 != CNSAApproved {
		t.Errorf("fulcio CA: %+v", a)
	}
	if a := asset("trusted_root.json", 1); a.Role != "rekor-log" || a.Curve != "P-256" || a.Hash != "SHA-256" || a.Identity != "https://rekor.example" {
		t.Errorf("rekor key: %+v", a)
	}
	if a := asset("keys/release.asc", 0); a.Kind != AssetOpenPGPKey || !strings.Contains(a.Identity, "release@example.org") {
		t.Errorf("openpgp key: %+v", a)
	}

	// Without trust material nothing verifies: unverifiable, never verified.
	_, bare := collect(t, fx.dir, Options{Now: fx.opts.Now})
	for sig, sc := range bare {
		if sc.Status != StatusUnverifiable {
			t.Errorf("no trust: %s is %s (%s)", sig, sc.Status, sc.Reason)
		}
	}

	// The CBOM validates against the CycloneDX 1.6 schema.
	bom := CBOM(mats, CBOMMeta{Name: "demo", Version: "1.0.0", ToolVersion: "test", Timestamp: now})
	var buf bytes.Buffer
	if err := EncodeCBOM(&buf, bom); err != nil {
		t.Fatal(err)
	}
	validateCycloneDX16(t, buf.Bytes())
	for _, want := range []string{`"assetType": "algorithm"`, `"assetType": "certificate"`, `"assetType": "related-crypto-material"`,
		`"parameterSetIdentifier": "65"`, `"nistQuantumSecurityLevel": 5`, `"specVersion": "1.6"`} {
		if !bytes.Contains(buf.Bytes(), []byte(want)) {
			t.Errorf("CBOM lacks %s", want)
		}
	}
}

func keysOf(m map[string]*SignatureCheck) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v.Status)
	}
	return out
}

// validateCycloneDX16 checks a document against the official CycloneDX 1.6
// JSON schema (the copy the SBOM collector embeds).
func validateCycloneDX16(t *testing.T, doc []byte) {
	t.Helper()
	dir := filepath.Join("..", "sbom", "schemas")
	c := jsonschema.NewCompiler()
	for _, f := range []string{"bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Skipf("CycloneDX schemas not found next to this package (%v)", err)
		}
		s, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource("http://cyclonedx.org/schema/"+f, s); err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(f, s); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("CBOM does not validate against CycloneDX 1.6: %v", err)
	}
}
