// Command keysdemo makes the demo's own OpenPGP key and ML-DSA keys and signs
// the demo release with them, writing examples/demo/keys/:
//
//	release-keyring.asc             the OpenPGP public key (trusted keyring)
//	mldsa65.pub.pem                 the ML-DSA-65 release-signing public key
//	pq-root-ca.pem                  an ML-DSA-87 root CA certificate (trusted CA bundle)
//	signed/pedigree-demo_1.0.0_linux_amd64.tar.gz{,.asc,.mldsa65.sig}
//	signed/SHA256SUMS{,.asc}        detached OpenPGP signature of the checksum list
//	signed/release-signing.pem      the ML-DSA-65 key's certificate, issued by the root
//	signed/pedigree-demo_1.0.0_darwin_arm64.tar.gz{,.asc}
//	                                the failing case: its .asc was made over the Linux tarball
//
// Keys come from fixed seeds and every signature here is deterministic, so a
// re-run gives the same bytes. No private key is written.
//
//	go run ./examples/demo/scripts/keysdemo
package main

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/pedigree-dev/pedigree/verify/pqc"
)

// seeded is a deterministic byte stream: SHA-256 in counter mode over a label.
type seeded struct {
	label string
	n     uint64
	buf   []byte
}

func (r *seeded) Read(p []byte) (int, error) {
	for i := range p {
		if len(r.buf) == 0 {
			s := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", r.label, r.n)))
			r.n++
			r.buf = s[:]
		}
		p[i], r.buf = r.buf[0], r.buf[1:]
	}
	return len(p), nil
}

var (
	keyTime = time.Date(2025, 1, 15, 9, 0, 0, 0, time.UTC)
	sigTime = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
)

func main() {
	demo := flag.String("demo", "examples/demo", "the demo folder")
	flag.Parse()
	if err := run(*demo); err != nil {
		fmt.Fprintln(os.Stderr, "keysdemo:", err)
		os.Exit(1)
	}
}

func run(demo string) error {
	release := filepath.Join(demo, "release")
	out := filepath.Join(demo, "keys")
	// Signatures ship beside the artifacts they sign; keys and CA
	// certificates are the trust policy's, kept apart.
	signed := release
	if err := os.MkdirAll(signed, 0o755); err != nil {
		return err
	}
	linux := "pedigree-demo_1.0.0_linux_amd64.tar.gz"
	darwin := "pedigree-demo_1.0.0_darwin_arm64.tar.gz"
	files := map[string][]byte{}
	for _, f := range []string{linux, darwin, "SHA256SUMS"} {
		b, err := os.ReadFile(filepath.Join(release, f))
		if err != nil {
			return err
		}
		files[f] = b
	}

	// OpenPGP: an EdDSA (Ed25519) key valid for three years.
	nonRandom := false
	cfg := &packet.Config{
		Rand: &seeded{label: "pedigree-demo openpgp"}, Time: func() time.Time { return keyTime },
		Algorithm: packet.PubKeyAlgoEdDSA, DefaultHash: crypto.SHA512, KeyLifetimeSecs: 3 * 365 * 24 * 3600,
		NonDeterministicSignaturesViaNotation: &nonRandom,
	}
	e, err := openpgp.NewEntity("pedigree demo release", "example key", "release@pedigree.example", cfg)
	if err != nil {
		return err
	}
	var ring bytes.Buffer
	w, _ := armor.Encode(&ring, "PGP PUBLIC KEY BLOCK", nil)
	if err := e.Serialize(w); err != nil {
		return err
	}
	w.Close()
	ring.WriteString("\n")
	if err := os.WriteFile(filepath.Join(out, "release-keyring.asc"), ring.Bytes(), 0o644); err != nil {
		return err
	}
	sigCfg := *cfg
	sigCfg.Time = func() time.Time { return sigTime }
	detach := func(name string, data []byte) error {
		var b bytes.Buffer
		if err := openpgp.ArmoredDetachSign(&b, e, bytes.NewReader(data), &sigCfg); err != nil {
			return err
		}
		b.WriteString("\n")
		return os.WriteFile(filepath.Join(signed, name), b.Bytes(), 0o644)
	}
	if err := detach(linux+".asc", files[linux]); err != nil {
		return err
	}
	if err := detach("SHA256SUMS.asc", files["SHA256SUMS"]); err != nil {
		return err
	}
	// The failing case: the darwin tarball's signature was made over the
	// Linux tarball.
	if err := detach(darwin+".asc", files[linux]); err != nil {
		return err
	}

	// ML-DSA-65 release key and an ML-DSA-87 root CA that certifies it.
	mk, err := pqc.GenerateKey(mustAlg("ML-DSA-65"), &seeded{label: "pedigree-demo ml-dsa-65"})
	if err != nil {
		return err
	}
	sig, err := mk.Sign(files[linux], nil)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(signed, linux+".mldsa65.sig"), sig, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "mldsa65.pub.pem"), mk.Public().MarshalPEM(), 0o644); err != nil {
		return err
	}
	rk, err := pqc.GenerateKey(mustAlg("ML-DSA-87"), &seeded{label: "pedigree-demo ml-dsa-87 root"})
	if err != nil {
		return err
	}
	rootDER, err := pqc.CreateCertificate(&pqc.Template{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "pedigree demo PQ root CA", Organization: []string{"pedigree demo"}},
		NotBefore: keyTime, NotAfter: keyTime.AddDate(10, 0, 0), IsCA: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, rk.Public(), nil, rk)
	if err != nil {
		return err
	}
	root, err := pqc.ParseCertificate(rootDER)
	if err != nil {
		return err
	}
	leafDER, err := pqc.CreateCertificate(&pqc.Template{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "pedigree demo release signing", Organization: []string{"pedigree demo"}},
		NotBefore: keyTime, NotAfter: keyTime.AddDate(5, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature,
	}, mk.Public(), root, rk)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "pq-root-ca.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: rootDER}), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(signed, "release-signing.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s (OpenPGP key %X, ML-DSA-65 and ML-DSA-87 keys)\n", out, e.PrimaryKey.Fingerprint)
	return nil
}

func mustAlg(name string) *pqc.Algorithm {
	a, err := pqc.AlgorithmByName(name)
	if err != nil {
		panic(err)
	}
	return a
}
