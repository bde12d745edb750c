// Command distdemo rebuilds the demo's distribution channels,
// examples/demo/distribution/, byte for byte from fixed seeds:
//
//   - image/: an OCI image layout holding one image, the Linux build of
//     the demo release (its program and README, the same bytes as in
//     release/pedigree-demo_1.0.0_linux_amd64.tar.gz), signed in cosign's
//     format (a simple-signing signature under the sha256-<digest>.sig tag)
//     with a CycloneDX 1.6 SBOM of what the image holds and a SLSA v1
//     provenance naming the source tag's commit and the release tarball,
//     both as DSSE attestations left as OCI 1.1 referrer blobs, as cosign
//     save writes them; its base image is named by tag only, so the
//     digest-pin check fails;
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
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/pedigree-dev/pedigree/collectors/distribution/oci/ocitest"
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf/tuftest"
)

var created = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)

func main() {
	out := flag.String("out", "examples/demo/distribution", "folder to write the image layout, TUF and apt repositories into")
	keys := flag.String("keys", "examples/demo/keys", "folder to write the trust material into")
	release := flag.String("release", "examples/demo/release", "the demo release folder (scripts/make-release.sh), whose Linux tarball the image's provenance names")
	flag.Parse()
	if err := os.RemoveAll(*out); err != nil {
		log.Fatal(err)
	}
	if err := run(*out, *keys, *release); err != nil {
		log.Fatal(err)
	}
}

func run(out, keys, release string) error {
	// The image: signed and attested; base named by tag.
	tarball, err := os.ReadFile(filepath.Join(release, releaseTarball))
	if err != nil {
		return fmt.Errorf("image: the provenance names the release tarball: %w", err)
	}
	files := imageFiles()
	if _, err := ocitest.Write(filepath.Join(out, "image"), ocitest.Options{Images: 1, Sign: true, Attest: true, Referrer: true,
		Seed: "demo", Base: "docker.io/library/alpine:3.20",
		Files:      func(int) []ocitest.File { return files },
		SBOM:       func(_ int, img v1.Image) (string, any) { return "https://cyclonedx.org/bom", imageSBOM(img, files) },
		Provenance: func(int, v1.Image) any { return imageProvenance(tarball) },
	}); err != nil {
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

// The image's names, as its index.json and the demo's policy give them.
const (
	imageRepo      = "registry.example/demo/app-0"
	imageTag       = "1.0"
	releaseTarball = "pedigree-demo_1.0.0_linux_amd64.tar.gz"
	// sourceCommit is the commit the demo source repository's v1.0.0 tag
	// names (scripts/repodemo).
	sourceCommit = "a968bb4bdea7eae147563fca2d43e08d9006ff13"
	sourceRef    = "git+https://github.com/pedigree-dev/pedigree-demo@refs/tags/v1.0.0"
	supplier     = "pedigree-demo maintainers"
)

// imageFiles are the Linux release's program and README, byte for byte as
// scripts/make-release.sh packs them, installed where an image puts them.
func imageFiles() []ocitest.File {
	return []ocitest.File{
		{Name: "usr/local/bin/pedigree-demo", Mode: 0o755, Data: []byte("#!/bin/sh\necho \"pedigree-demo 1.0.0 (linux_amd64)\"\n")},
		{Name: "usr/share/doc/pedigree-demo/README.txt", Mode: 0o644, Data: []byte("pedigree-demo is an example payload for pedigree.\n")},
	}
}

func hashes(b []byte) []any {
	s256, s512 := sha256.Sum256(b), sha512.Sum512(b)
	return []any{
		map[string]string{"alg": "SHA-256", "content": hex.EncodeToString(s256[:])},
		map[string]string{"alg": "SHA-512", "content": hex.EncodeToString(s512[:])},
	}
}

// imageSBOM is a CycloneDX 1.6 SBOM of what the image holds: the image as
// its primary component (purl by digest), the pedigree-demo application
// with the hashes of its program and where it lies in the image, and its
// README as a file of that application.
func imageSBOM(img v1.Image, files []ocitest.File) map[string]any {
	d, err := img.Digest()
	if err != nil {
		panic(err)
	}
	serial := sha256.Sum256([]byte("pedigree-demo image sbom " + d.String()))
	serial[6] = serial[6]&0x0f | 0x50 // a name-based (v5-shaped) UUID from the digest
	serial[8] = serial[8]&0x3f | 0x80
	u := hex.EncodeToString(serial[:16])
	sup := map[string]any{"name": supplier, "url": []string{"https://example.com/pedigree-demo"}}
	licence := []any{map[string]any{"license": map[string]string{"id": "Apache-2.0"}}}
	return map[string]any{
		"$schema":      "http://cyclonedx.org/schema/bom-1.6.schema.json",
		"bomFormat":    "CycloneDX",
		"specVersion":  "1.6",
		"serialNumber": fmt.Sprintf("urn:uuid:%s-%s-%s-%s-%s", u[:8], u[8:12], u[12:16], u[16:20], u[20:32]),
		"version":      1,
		"metadata": map[string]any{
			"timestamp":  created.Format(time.RFC3339),
			"lifecycles": []any{map[string]string{"phase": "build"}},
			"tools":      map[string]any{"components": []any{map[string]string{"type": "application", "name": "distdemo", "version": "1.0.0"}}},
			"authors":    []any{map[string]string{"name": supplier, "email": "security@example.com"}},
			"supplier":   sup,
			"component": map[string]any{
				"bom-ref": "image", "type": "container", "name": imageRepo, "version": imageTag, "supplier": sup,
				"purl":   "pkg:oci/app-0@" + strings.Replace(d.String(), ":", "%3A", 1) + "?repository_url=" + imageRepo + "&tag=" + imageTag,
				"hashes": []any{map[string]string{"alg": "SHA-256", "content": d.Hex}},
			},
		},
		"components": []any{map[string]any{
			"bom-ref": "pedigree-demo", "type": "application", "name": "pedigree-demo", "version": "1.0.0",
			"supplier": sup, "licenses": licence, "purl": "pkg:generic/pedigree-demo@1.0.0",
			"hashes":             hashes(files[0].Data),
			"externalReferences": []any{map[string]string{"type": "vcs", "url": "https://github.com/pedigree-dev/pedigree-demo"}},
			"evidence":           map[string]any{"occurrences": []any{map[string]string{"location": "/" + files[0].Name}}},
			"properties":         bsi("pedigree-demo", "executable", "structured"),
			"components": []any{map[string]any{
				"bom-ref": "pedigree-demo-readme", "type": "file", "name": "README.txt", "version": "1.0.0",
				"supplier": sup, "licenses": licence, "purl": "pkg:generic/pedigree-demo@1.0.0#" + files[1].Name,
				"hashes":             hashes(files[1].Data),
				"externalReferences": []any{map[string]string{"type": "vcs", "url": "https://github.com/pedigree-dev/pedigree-demo"}},
				"evidence":           map[string]any{"occurrences": []any{map[string]string{"location": "/" + files[1].Name}}},
				"properties":         bsi("README.txt", "non-executable", "unstructured"),
			}},
		}},
		"dependencies": []any{
			map[string]any{"ref": "image", "dependsOn": []string{"pedigree-demo"}},
			map[string]any{"ref": "pedigree-demo", "dependsOn": []string{}},
		},
	}
}

// bsi are the BSI TR-03183-2 component properties.
func bsi(filename, executable, structured string) []any {
	return []any{
		map[string]string{"name": "bsi:component:filename", "value": filename},
		map[string]string{"name": "bsi:component:executable", "value": executable},
		map[string]string{"name": "bsi:component:archive", "value": "no archive"},
		map[string]string{"name": "bsi:component:structured", "value": structured},
	}
}

// imageProvenance is the SLSA v1 provenance of the image build: the
// source tag and its commit, and the release tarball whose files the
// image holds; the demo policy's expectation for the image checks the
// builder, build type, source tag and version.
func imageProvenance(tarball []byte) map[string]any {
	sum := sha256.Sum256(tarball)
	return map[string]any{
		"buildDefinition": map[string]any{
			"buildType": "https://pedigree.dev/demo/image-build@v1",
			"externalParameters": map[string]any{
				"source":   sourceRef,
				"version":  "1.0.0",
				"image":    imageRepo + ":" + imageTag,
				"platform": "linux/amd64",
			},
			"resolvedDependencies": []any{
				map[string]any{"uri": sourceRef, "digest": map[string]string{"gitCommit": sourceCommit}},
				map[string]any{"uri": "https://github.com/pedigree-dev/pedigree-demo/releases/download/v1.0.0/" + releaseTarball,
					"name": releaseTarball, "digest": map[string]string{"sha256": hex.EncodeToString(sum[:])}},
			},
		},
		"runDetails": map[string]any{
			"builder": map[string]any{"id": "https://pedigree.dev/demo/builder@v1"},
			"metadata": map[string]any{"invocationId": "demo-image-build-1",
				"startedOn": created.Format(time.RFC3339), "finishedOn": created.Add(5 * time.Minute).Format(time.RFC3339)},
		},
	}
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
