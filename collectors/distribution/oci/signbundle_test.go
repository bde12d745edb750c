package oci

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci/ocitest"
	"github.com/pedigree-dev/pedigree/verify/dsse"
)

// TestCosignSignBundle: cosign sign --new-bundle-format signs an image as a
// DSSE statement of predicate type https://sigstore.dev/cosign/sign/v1 in
// a Sigstore bundle attached as a referrer: DIST-OCI-SIGNED counts it as
// the image's signature (here key-signed without a log entry, so only
// with --without-tlog-unsafe), and another key fails it.
func TestCosignSignBundle(t *testing.T) {
	img, err := ocitest.Image(0, ocitest.Options{LayerSize: 256})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	env, err := dsse.Parse(ocitest.Envelope(ocitest.Key("s"), d, cosignSignPredicate, map[string]any{}))
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := legacyBundle(nil, dsseContent(env))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "image")
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": "registry.example/app:1.0"})); err != nil {
		t.Fatal(err)
	}
	put := func(b []byte) v1.Hash {
		h, _, _ := v1.SHA256(bytes.NewReader(b))
		if err := p.WriteBlob(h, nopCloser{bytes.NewReader(b)}); err != nil {
			t.Fatal(err)
		}
		return h
	}
	raw, _ := img.RawManifest()
	const bundleMT = "application/vnd.dev.sigstore.bundle.v0.3+json"
	m, _ := json.Marshal(map[string]any{
		"schemaVersion": 2, "mediaType": types.OCIManifestSchema1, "artifactType": bundleMT,
		"config":      v1.Descriptor{MediaType: "application/vnd.oci.empty.v1+json", Digest: put([]byte("{}")), Size: 2},
		"layers":      []v1.Descriptor{{MediaType: bundleMT, Digest: put(bundle), Size: int64(len(bundle))}},
		"annotations": map[string]string{"dev.sigstore.bundle.content": "dsse-envelope", annBundlePredicate: cosignSignPredicate},
		"subject":     v1.Descriptor{MediaType: types.OCIManifestSchema1, Digest: d, Size: int64(len(raw))},
	})
	put(m)
	for _, tc := range []struct {
		name string
		o    distribution.Options
		want string
	}{
		{"key, log entry waived", distribution.Options{Keys: []string{writeKey(t, "s")}, WithoutTlogUnsafe: true}, distribution.Verified},
		{"another key", distribution.Options{Keys: []string{writeKey(t, "other")}, WithoutTlogUnsafe: true}, distribution.Failed},
		{"no log entry", distribution.Options{Keys: []string{writeKey(t, "s")}}, distribution.Failed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := scan(t, dir, tc.o)
			s := find(fs, CheckSigned)
			if len(s) != 1 || s[0].Outcome != tc.want {
				t.Fatalf("signed %s %s, want %s", s[0].Outcome, s[0].Message, tc.want)
			}
			t.Log(s[0].Message)
			if a := find(fs, CheckAttested); len(a) != 1 || bytes.Contains([]byte(a[0].Message), []byte(cosignSignPredicate)) {
				t.Errorf("the signature counted as an attestation: %+v", a)
			}
		})
	}
}
