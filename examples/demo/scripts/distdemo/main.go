// Command distdemo rebuilds the demo's distribution channels,
// examples/demo/distribution/, byte for byte from fixed seeds:
//
//   - image/: an OCI image layout holding one image signed in cosign's
//     format (a simple-signing signature under the sha256-<digest>.sig tag)
//     with SPDX SBOM and SLSA provenance attestations left as OCI 1.1
//     referrer blobs, as cosign save writes them; its base image is named
//     by tag only, so the digest-pin check fails;
//
//   - tuf/: a TUF repository with three root versions (threshold 2), a
//     delegated role and four targets, one of them altered after signing;
//
//   - apt/: an apt repository (InRelease signed with an Ed25519 OpenPGP key,
//     Packages, Packages.gz, one .deb in pool/) with a Valid-Until;
//
//   - keys: the cosign public key, the archive keyring and TUF root 1 that
//     the demo's distribution: policy pins.
//
//     go run ./examples/demo/scripts/distdemo
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/pedigree-dev/pedigree/collectors/distribution/oci/ocitest"
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf/tuftest"
)

var created = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)

func main() {
	out := flag.String("out", "examples/demo/distribution", "folder to write the image layout, TUF and apt repositories into")
	keys := flag.String("keys", "examples/demo/keys", "folder to write the trust material into")
	flag.Parse()
	if err := os.RemoveAll(*out); err != nil {
		log.Fatal(err)
	}
	if err := run(*out, *keys); err != nil {
		log.Fatal(err)
	}
}

func run(out, keys string) error {
	// The image: signed and attested; base named by tag.
	if _, err := ocitest.Write(filepath.Join(out, "image"), ocitest.Options{Images: 1, LayerSize: 2048, Sign: true, Attest: true, Referrer: true,
		Seed: "demo", Base: "docker.io/library/alpine:3.20"}); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	if err := os.WriteFile(filepath.Join(keys, "cosign.pub"), ocitest.PublicPEM(ocitest.Key("demo")), 0o644); err != nil {
		return err
	}
	// The TUF repository, one target altered after signing.
	tufDir := filepath.Join(out, "tuf")
	if _, err := tuftest.Write(tufDir, tuftest.Options{Roots: 3, Targets: 4, Threshold: 2, Created: created, Expires: 2 * 365 * 24 * time.Hour, Seed: "demo"}); err != nil {
		return fmt.Errorf("tuf: %w", err)
	}
	if err := os.WriteFile(filepath.Join(tufDir, "targets", "file-0003.txt"), []byte("altered after signing\n"), 0o644); err != nil {
		return err
	}
	root1, err := os.ReadFile(filepath.Join(tufDir, "metadata", "root_history", "1.root.json"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(keys, "tuf-root.json"), root1, 0o644); err != nil {
		return err
	}
	return aptRepo(filepath.Join(out, "apt"), keys)
}

// seeded is a deterministic byte stream for key generation.
type seeded struct{ state [32]byte }

func (s *seeded) Read(p []byte) (int, error) {
	for i := range p {
		if i%32 == 0 {
			s.state = sha256.Sum256(s.state[:])
		}
		p[i] = s.state[i%32]
	}
	return len(p), nil
}

// deb is a minimal Debian package: an ar archive of debian-binary and two
// empty tarballs, enough for hashes (it is never installed).
func deb() []byte {
	var b bytes.Buffer
	b.WriteString("!<arch>\n")
	member := func(name string, data []byte) {
		fmt.Fprintf(&b, "%-16s%-12d%-6d%-6d%-8s%-10d`\n", name, 1768435200, 0, 0, "100644", len(data))
		b.Write(data)
		if len(data)%2 == 1 {
			b.WriteByte('\n')
		}
	}
	member("debian-binary", []byte("2.0\n"))
	member("control.tar.gz", gz(make([]byte, 1024)))
	member("data.tar.gz", gz(make([]byte, 1024)))
	return b.Bytes()
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

func aptRepo(dir, keys string) error {
	cfg := &packet.Config{Rand: &seeded{state: sha256.Sum256([]byte("pedigree demo apt"))}, Time: func() time.Time { return created },
		Algorithm: packet.PubKeyAlgoEdDSA, DefaultHash: 0}
	e, err := openpgp.NewEntity("pedigree-demo archive", "", "archive@pedigree-demo.example", cfg)
	if err != nil {
		return err
	}
	pkg := deb()
	debPath := "pool/main/p/pedigree-demo/pedigree-demo_1.0.0_amd64.deb"
	s256, s512 := sha256.Sum256(pkg), sha512.Sum512(pkg)
	packages := fmt.Sprintf("Package: pedigree-demo\nVersion: 1.0.0\nArchitecture: amd64\nMaintainer: Demo <demo@pedigree-demo.example>\nFilename: %s\nSize: %d\nSHA256: %s\nSHA512: %s\nDescription: example payload for pedigree\n\n",
		debPath, len(pkg), hex.EncodeToString(s256[:]), hex.EncodeToString(s512[:]))
	files := map[string][]byte{
		"dists/stable/main/binary-amd64/Packages":    []byte(packages),
		"dists/stable/main/binary-amd64/Packages.gz": gz([]byte(packages)),
		debPath: pkg,
	}
	for p, b := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, p), b, 0o644); err != nil {
			return err
		}
	}
	var rel strings.Builder
	fmt.Fprintf(&rel, "Origin: pedigree-demo\nLabel: pedigree-demo\nSuite: stable\nCodename: stable\nDate: %s\nValid-Until: %s\nArchitectures: amd64\nComponents: main\n",
		created.Format(time.RFC1123Z), created.Add(5*365*24*time.Hour).Format(time.RFC1123Z))
	for _, sec := range []struct {
		name string
		sum  func([]byte) string
	}{
		{"SHA256", func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }},
		{"SHA512", func(b []byte) string { s := sha512.Sum512(b); return hex.EncodeToString(s[:]) }},
	} {
		fmt.Fprintf(&rel, "%s:\n", sec.name)
		for _, n := range []string{"main/binary-amd64/Packages", "main/binary-amd64/Packages.gz"} {
			b := files["dists/stable/"+n]
			fmt.Fprintf(&rel, " %s %8d %s\n", sec.sum(b), len(b), n)
		}
	}
	var signed bytes.Buffer
	w, err := clearsign.Encode(&signed, e.PrivateKey, cfg)
	if err != nil {
		return err
	}
	io.WriteString(w, rel.String())
	if err := w.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "dists/stable/InRelease"), append(signed.Bytes(), '\n'), 0o644); err != nil {
		return err
	}
	var pub bytes.Buffer
	aw, err := armor.Encode(&pub, openpgp.PublicKeyType, nil)
	if err != nil {
		return err
	}
	if err := e.Serialize(aw); err != nil {
		return err
	}
	aw.Close()
	return os.WriteFile(filepath.Join(keys, "archive-keyring.asc"), append(pub.Bytes(), '\n'), 0o644)
}
