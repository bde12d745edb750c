package oci

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci/ocitest"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/evidence"
)

// buildkitLayout writes what docker buildx build --sbom=true
// --provenance=true --output type=oci (or docker save from the containerd
// image store) holds: an image index of the platform image and an
// attestation manifest of unsigned in-toto statements about it.
func buildkitLayout(t *testing.T, about func(v1.Hash) v1.Hash) (string, v1.Hash) {
	t.Helper()
	img, err := ocitest.Image(0, ocitest.Options{LayerSize: 512})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	stmt := func(pt string, pred any) []byte {
		b, _ := json.Marshal(map[string]any{"_type": "https://in-toto.io/Statement/v0.1", "predicateType": pt,
			"subject":   []any{map[string]any{"name": "pkg:docker/registry.example/app@1.0?platform=linux%2Famd64", "digest": map[string]string{"sha256": about(d).Hex}}},
			"predicate": pred})
		return b
	}
	att := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	att = mutate.ConfigMediaType(att, types.OCIConfigJSON)
	for pt, pred := range map[string]any{"https://spdx.dev/Document": raw(spdx), "https://slsa.dev/provenance/v1": slsaV1} {
		att, err = mutate.Append(att, mutate.Addendum{Layer: static.NewLayer(stmt(pt, pred), mtInToto), Annotations: map[string]string{annInTotoPredicate: pt}})
		if err != nil {
			t.Fatal(err)
		}
	}
	idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex),
		mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: att, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "unknown", Architecture: "unknown"},
			Annotations: map[string]string{annRefType: refTypeAttestation, annRefDigest: d.String()}}})
	dir := filepath.Join(t.TempDir(), "image")
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendIndex(idx, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": "registry.example/app:1.0"})); err != nil {
		t.Fatal(err)
	}
	return dir, d
}

// TestBuildKitAttestations: the SBOM and provenance BuildKit attaches in an
// attestation manifest are handed on about the platform image, as
// unsigned: SBOM-SIGNED and DIST-OCI-ATTESTED cannot count them as signed,
// and a provenance expectation fails on them; the attestation manifest is
// not judged as a platform image. In an OCI tarball too.
func TestBuildKitAttestations(t *testing.T) {
	dir, d := buildkitLayout(t, func(h v1.Hash) v1.Hash { return h })
	tarDir := t.TempDir()
	if err := ocitest.WriteTar(filepath.Join(tarDir, "app.tar"), dir, false); err != nil {
		t.Fatal(err)
	}
	expect := []config.SLSAExpectation{{Artifacts: []string{"registry.example/app"}, SourceURI: "github.com/o/app", BuilderID: "https://example.invalid/builder"}}
	for _, target := range []string{dir, tarDir} {
		ev := collect(t, target, distribution.Options{SLSA: expect})
		docs := ev[sbom.EvidenceKind]
		if len(docs) != 1 {
			t.Fatalf("%s: %d sbom evidence", target, len(docs))
		}
		doc, _ := evidence.PayloadAs[sbom.Document](&docs[0])
		if doc.Error != "" || doc.Format != sbom.FormatSPDX || docs[0].Subject.Digest != d.String() || doc.Attached.Subject || doc.Attached.Signature != "not-verified" {
			t.Errorf("%s: sbom %+v about %+v, attached %+v", target, doc.Error, docs[0].Subject, doc.Attached)
		}
		prov := ev[signing.KindProvenance]
		if len(prov) != 1 {
			t.Fatalf("%s: %d provenance", target, len(prov))
		}
		if p, _ := evidence.PayloadAs[signing.Provenance](&prov[0]); p.Status != signing.StatusFailed || !strings.Contains(p.Reason, "unsigned") {
			t.Errorf("%s: provenance %s %s", target, p.Status, p.Reason)
		}
		fs := scan(t, target, distribution.Options{})
		if a := find(fs, CheckAttested); len(a) != 1 || a[0].Outcome != distribution.Failed || !strings.Contains(a[0].Message, "unsigned in-toto statement") {
			t.Errorf("%s: attested %+v", target, a)
		}
		if pins := find(fs, CheckDigestPinned); len(pins) != 1 {
			t.Errorf("%s: %d pin findings, want the platform image's only", target, len(pins))
		}
		if in := find(fs, CheckIntegrity); len(in) != 1 || in[0].Outcome != distribution.Verified {
			t.Errorf("%s: integrity %+v", target, in)
		}
	}
	// A statement about another digest is handed to no check.
	other, _ := buildkitLayout(t, func(v1.Hash) v1.Hash { return v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("d", 64)} })
	ev := collect(t, other, distribution.Options{})
	if len(ev[sbom.EvidenceKind])+len(ev[signing.KindProvenance]) != 0 {
		t.Errorf("statements about another digest handed on")
	}
}
