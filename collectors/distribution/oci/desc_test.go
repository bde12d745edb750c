package oci

import (
	"os"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

func mustDesc(t *testing.T, d string, size int64) v1.Descriptor {
	h, err := v1.NewHash(d)
	if err != nil {
		t.Fatal(err)
	}
	return v1.Descriptor{MediaType: types.OCIImageIndex, Digest: h, Size: size}
}

func writeFile(t testing.TB, p string, b []byte) {
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
