package oci

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/disttest"
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci/ocitest"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/evidence"
)

// TestHandoffLargeUnsignedSBOMAndProvenance: a cosign .sbom layer and a
// SLSA provenance attestation, each above the 4 MiB kept for JSON
// documents, are handed on from a layout folder and from an OCI tarball
// (before, the unsigned SBOM was skipped without a word); with
// sbom.max-size between the two, the SBOM is read and the provenance is
// not-assessed, naming its blob and the limit.
func TestHandoffLargeUnsignedSBOMAndProvenance(t *testing.T) {
	const n = 22000
	doc, _ := json.Marshal(ocitest.CycloneDX(n))
	prov := map[string]any{}
	for k, v := range slsaV1 {
		prov[k] = v
	}
	bd := map[string]any{}
	for k, v := range slsaV1["buildDefinition"].(map[string]any) {
		bd[k] = v
	}
	bd["internalParameters"] = map[string]any{"log": strings.Repeat("build output line\n", 300000)}
	prov["buildDefinition"] = bd
	dir, d := attLayout(t, map[string]any{"https://slsa.dev/provenance/v1": prov}, string(doc))
	tarDir := t.TempDir()
	if err := ocitest.WriteTar(filepath.Join(tarDir, "image.tar"), dir, false); err != nil {
		t.Fatal(err)
	}
	if len(doc) <= MaxJSONBlob || len(doc) >= 6<<20 {
		t.Fatalf("SBOM of %d bytes, want between 4 and 6 MiB", len(doc))
	}
	o := distribution.Options{Keys: []string{writeKey(t, "h")}, WithoutTlogUnsafe: true,
		SLSA: []config.SLSAExpectation{{Artifacts: []string{"registry.example/demo/app"}, SourceURI: "github.com/o/app", BuilderID: "https://example.invalid/builder", SourceTag: "v1.0"}}}
	for _, target := range []string{dir, tarDir} {
		for _, limit := range []int64{0, 6 << 20} {
			ev := map[string][]evidence.Evidence{}
			for _, e := range disttest.Collect(t, func(tr *distribution.Trust) collectors.Collector {
				c := New(tr)
				c.SBOMMaxSize = limit
				c.SBOM.SkipSchema = true // the schema check of a large SBOM is another test's
				return c
			}, target, o) {
				ev[e.Kind] = append(ev[e.Kind], e)
			}
			docs := ev[sbom.EvidenceKind]
			if len(docs) != 1 {
				t.Fatalf("%s limit %d: %d sbom evidence", target, limit, len(docs))
			}
			if sd, _ := evidence.PayloadAs[sbom.Document](&docs[0]); sd.Error != "" || sd.ComponentCount != n || docs[0].Subject.Digest != d.String() || sd.Attached.Subject {
				t.Errorf("%s limit %d: sbom %q, %d components, about %+v", target, limit, sd.Error, sd.ComponentCount, docs[0].Subject)
			}
			ps := ev[signing.KindProvenance]
			if len(ps) != 1 {
				t.Fatalf("%s limit %d: %d provenance", target, limit, len(ps))
			}
			p, _ := evidence.PayloadAs[signing.Provenance](&ps[0])
			want := signing.StatusVerified
			if limit != 0 {
				want = signing.StatusNotAssessed
				if !strings.Contains(p.Reason, "blobs/sha256/") || !strings.Contains(p.Reason, "6291456-byte limit") || ps[0].SHA256 == "" {
					t.Errorf("%s: reason %q sha256 %q", target, p.Reason, ps[0].SHA256)
				}
			}
			if p.Status != want {
				t.Errorf("%s limit %d: provenance %s %s", target, limit, p.Status, p.Reason)
			}
		}
	}
}
