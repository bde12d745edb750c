package distchecks_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci"
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci/ocitest"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/distchecks"
	"github.com/pedigree-dev/pedigree/controls/sbomchecks"
	"github.com/pedigree-dev/pedigree/engine"
	"github.com/pedigree-dev/pedigree/evidence"
)

// TestHandoffLargeSBOM: an SBOM attestation above the 4 MiB kept for JSON
// documents, in an oci-layout folder, an OCI tarball and a gzip-compressed
// one, reaches the SBOM checks (read on a second pass over an archive);
// above the SBOM size limit it is a not-assessed finding naming the blob
// and the limit, and DIST-OCI-ATTESTED cannot decide.
func TestHandoffLargeSBOM(t *testing.T) {
	const n = 25000
	root := t.TempDir()
	layout := filepath.Join(root, "layout", "image")
	var blob []byte
	if _, err := ocitest.Write(layout, ocitest.Options{Images: 1, LayerSize: 512, Sign: true, Attest: true, Referrer: true, Seed: "large",
		SBOM: func(int, v1.Image) (string, any) { return "https://cyclonedx.org/bom", ocitest.CycloneDX(n) }}); err != nil {
		t.Fatal(err)
	}
	// The SBOM attestation's envelope is the largest blob.
	blobs, _ := filepath.Glob(filepath.Join(layout, "blobs", "sha256", "*"))
	var name string
	for _, p := range blobs {
		if b, _ := os.ReadFile(p); len(b) > len(blob) {
			blob, name = b, filepath.Base(p)
		}
	}
	if len(blob) <= oci.MaxJSONBlob {
		t.Fatalf("largest blob %d bytes, want above %d", len(blob), oci.MaxJSONBlob)
	}
	for _, gz := range []bool{false, true} {
		dir := filepath.Join(root, fmt.Sprint("tar-", gz))
		os.MkdirAll(dir, 0o755)
		if err := ocitest.WriteTar(filepath.Join(dir, map[bool]string{false: "image.tar", true: "image.tar.gz"}[gz]), layout, gz); err != nil {
			t.Fatal(err)
		}
	}
	key := filepath.Join(root, "cosign.pub")
	os.WriteFile(key, ocitest.PublicPEM(ocitest.Key("large")), 0o644)
	tr, err := distribution.Load(distribution.Options{Keys: []string{key}, WithoutTlogUnsafe: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, where := range []string{"layout", "tar-false", "tar-true"} {
		for _, limit := range []int64{0, 6 << 20} {
			t.Run(fmt.Sprintf("%s limit %d", where, limit), func(t *testing.T) {
				tg, err := collectors.OpenTarget(where, filepath.Join(root, where))
				if err != nil {
					t.Fatal(err)
				}
				defer tg.Close()
				c := oci.New(tr)
				c.SBOMMaxSize = limit
				ev, err := c.Collect(context.Background(), tg)
				if err != nil {
					t.Fatal(err)
				}
				var docs []evidence.Evidence
				for _, e := range ev {
					if e.Kind == sbom.EvidenceKind {
						docs = append(docs, e)
					}
				}
				if len(docs) != 1 {
					t.Fatalf("%d sbom evidence, want 1", len(docs))
				}
				d, _ := evidence.PayloadAs[sbom.Document](&docs[0])
				if d.Attached == nil || docs[0].Subject.Type != "oci-image" || docs[0].SHA256 == "" {
					t.Errorf("evidence %+v attached %+v", docs[0], d.Attached)
				}
				schema := engine.RunChecks([]controls.Check{sbomchecks.NewSchemaValid()}, ev)
				attested := engine.RunChecks([]controls.Check{distchecks.NewOCIAttested()}, ev)
				if len(schema) != 1 || len(attested) != 1 {
					t.Fatalf("%d schema, %d attested findings", len(schema), len(attested))
				}
				if limit == 0 {
					if d.Error != "" || d.ComponentCount != n {
						t.Fatalf("error %q, %d components, want %d", d.Error, d.ComponentCount, n)
					}
					if schema[0].Status != evidence.Pass || attested[0].Status != evidence.Pass {
						t.Errorf("schema %s %s; attested %s %s", schema[0].Status, schema[0].Message, attested[0].Status, attested[0].Message)
					}
					return
				}
				if !d.TooLarge || docs[0].SHA256 != name {
					t.Errorf("too large %v, sha256 %s want the blob's %s", d.TooLarge, docs[0].SHA256, name)
				}
				msg := schema[0].Message
				if schema[0].Status != evidence.NotAssessed || !strings.Contains(msg, "blobs/sha256/"+name) || !strings.Contains(msg, "6291456-byte limit") {
					t.Errorf("schema %s: %s", schema[0].Status, msg)
				}
				if attested[0].Status != evidence.NotAssessed {
					t.Errorf("attested %s: %s", attested[0].Status, attested[0].Message)
				}
			})
		}
	}
}
