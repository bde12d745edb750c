package oci

import (
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/disttest"
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci/ocitest"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/evidence"
)

// BenchmarkLayout1000Images judges an OCI layout of 1,000 images, each
// with a cosign signature and SBOM and provenance attestations stored as
// referrer blobs (issue: <= 5 s).
func BenchmarkLayout1000Images(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "layout")
	if _, err := ocitest.Write(dir, ocitest.Options{Images: 1000, LayerSize: 1024, Sign: true, Attest: true, Referrer: true, Seed: "bench"}); err != nil {
		b.Fatal(err)
	}
	key := filepath.Join(b.TempDir(), "cosign.pub")
	writeFile(b, key, ocitest.PublicPEM(ocitest.Key("bench")))
	o := distribution.Options{Keys: []string{key}, WithoutTlogUnsafe: true}
	b.ReportAllocs()
	for b.Loop() {
		fs := scan(b, dir, o)
		if n := len(find(fs, CheckSigned)); n != 1000 {
			b.Fatalf("%d images judged", n)
		}
	}
}

// BenchmarkLayerSize shows memory does not grow with blob size: the same
// layout with 1 MiB and 64 MiB layers allocates about the same.
func BenchmarkLayerSize(b *testing.B) {
	for _, size := range []int{1 << 20, 64 << 20} {
		b.Run(byteSize(size), func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "layout")
			if _, err := ocitest.Write(dir, ocitest.Options{Images: 1, LayerSize: size, Seed: "size"}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if fs := scan(b, dir, distribution.Options{}); find(fs, CheckIntegrity)[0].Outcome != distribution.Verified {
					b.Fatal("integrity")
				}
			}
		})
	}
}

// BenchmarkLargeSBOMAttestation hands a 25,000-component SBOM attestation
// (a 7.6 MB DSSE envelope, above the 4 MiB kept for JSON documents) on to
// the SBOM parser, from a layout folder and from an OCI tarball (read on a
// second pass): allocations per op against the envelope's size.
func BenchmarkLargeSBOMAttestation(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "layout")
	if _, err := ocitest.Write(dir, ocitest.Options{Images: 1, LayerSize: 512, Sign: true, Attest: true, Referrer: true, Seed: "bench",
		SBOM: func(int, v1.Image) (string, any) { return "https://cyclonedx.org/bom", ocitest.CycloneDX(25000) }}); err != nil {
		b.Fatal(err)
	}
	tarDir := b.TempDir()
	if err := ocitest.WriteTar(filepath.Join(tarDir, "image.tar"), dir, false); err != nil {
		b.Fatal(err)
	}
	key := filepath.Join(b.TempDir(), "cosign.pub")
	writeFile(b, key, ocitest.PublicPEM(ocitest.Key("bench")))
	o := distribution.Options{Keys: []string{key}, WithoutTlogUnsafe: true}
	for name, target := range map[string]string{"layout": dir, "tarball": tarDir} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ev := disttest.Collect(b, func(tr *distribution.Trust) collectors.Collector { return New(tr) }, target, o)
				n := 0
				for i := range ev {
					if d, ok := evidence.PayloadAs[sbom.Document](&ev[i]); ok && d.ComponentCount == 25000 {
						n++
					}
				}
				if n != 1 {
					b.Fatalf("%d SBOMs of 25000 components handed on", n)
				}
			}
		})
	}
}

func byteSize(n int) string {
	if n >= 1<<20 {
		return itoa(n>>20) + "MiB"
	}
	return itoa(n) + "B"
}
