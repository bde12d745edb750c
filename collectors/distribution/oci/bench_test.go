package oci

import (
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci/ocitest"
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

func byteSize(n int) string {
	if n >= 1<<20 {
		return itoa(n>>20) + "MiB"
	}
	return itoa(n) + "B"
}
