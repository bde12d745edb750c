package distchecks_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls/sbomchecks"
	"github.com/pedigree-dev/pedigree/controls/signingchecks"
	"github.com/pedigree-dev/pedigree/engine"
	"github.com/pedigree-dev/pedigree/evidence"
)

// TestDemoImageHandoff runs the OCI collector over the demo's image layout
// (examples/demo/distribution/image, written by examples/demo/scripts/distdemo)
// and the SBOM and provenance checks over what it hands them: the CycloneDX
// attestation becomes an SBOM the SBOM-* checks judge (schema-valid, NTIA
// minimum met), and the SLSA provenance attestation is judged by
// SIGN-PROVENANCE-VERIFIED against the expectation naming the image in the
// demo's pedigree.yaml, both about the image's digest.
func TestDemoImageHandoff(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	demo := filepath.Join(filepath.Dir(file), "..", "..", "examples", "demo")
	dir := filepath.Join(demo, "distribution", "image")
	if _, err := os.Stat(filepath.Join(dir, "oci-layout")); err != nil {
		t.Skip("examples/demo/distribution/image not present")
	}
	cfg, err := config.Load(filepath.Join(demo, "pedigree.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	other := cfg.Policy.Sigstore.SLSA
	other = append([]config.SLSAExpectation{}, other...)
	for i := range other {
		other[i].BuilderID = "https://example.invalid/another-builder"
	}
	for _, tc := range []struct {
		name string
		slsa []config.SLSAExpectation
		prov evidence.Status
	}{
		{"the demo's expectation", cfg.Policy.Sigstore.SLSA, evidence.Pass},
		{"another builder expected", other, evidence.Fail},
		{"no expectation", nil, evidence.NotAssessed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := distribution.Load(distribution.Options{Keys: []string{filepath.Join(demo, "keys", "cosign.pub")}, WithoutTlogUnsafe: true, SLSA: tc.slsa})
			if err != nil {
				t.Fatal(err)
			}
			tg, err := collectors.OpenTarget("image", dir)
			if err != nil {
				t.Fatal(err)
			}
			defer tg.Close()
			ev, err := oci.New(tr).Collect(context.Background(), tg)
			if err != nil {
				t.Fatal(err)
			}
			var image string
			for i := range ev {
				if f, ok := evidence.PayloadAs[distribution.Finding](&ev[i]); ok && f.Check == oci.CheckAttested {
					if f.Outcome != distribution.Verified {
						t.Fatalf("attested: %s", f.Message)
					}
					image = "sha256:" + f.SHA256
				}
			}
			checks := append(sbomchecks.All(sbomchecks.Options{}), signingchecks.NewProvenanceVerified())
			got := map[string][]evidence.Finding{}
			for _, f := range engine.RunChecks(checks, ev) {
				got[f.CheckID] = append(got[f.CheckID], f)
			}
			sboms := 0
			for _, e := range ev {
				if e.Kind == sbom.EvidenceKind {
					sboms++
					if e.Subject.Digest != image {
						t.Errorf("sbom subject %+v, want %s", e.Subject, image)
					}
				}
				if e.Kind == signing.KindProvenance && e.Subject.Digest != image {
					t.Errorf("provenance subject %+v, want %s", e.Subject, image)
				}
			}
			if sboms != 1 {
				t.Fatalf("%d sbom evidence, want the image's one", sboms)
			}
			for _, id := range []string{"SBOM-SCHEMA-VALID", "SBOM-NTIA-MINIMUM", "SBOM-HASH-STRENGTH", "SBOM-IDENTIFIERS-VALID", "SBOM-SIGNED", "SBOM-ARTIFACT-BINDING"} {
				if len(got[id]) == 0 {
					t.Errorf("%s judged nothing", id)
				}
				for _, f := range got[id] {
					if f.Status != evidence.Pass {
						t.Errorf("%s %s: %s", id, f.Status, f.Message)
					}
					// The SBOM checks name the document, as for any SBOM
					// found in a target: the attestation's statement by its
					// digest, attached to the image.
					if len(f.Subjects) != 1 || !strings.Contains(f.Subjects[0].Ref, "@"+image) || f.Subjects[0].Digest == image {
						t.Errorf("%s about %+v", id, f.Subjects)
					}
				}
			}
			p := got["SIGN-PROVENANCE-VERIFIED"]
			if len(p) != 1 || p[0].Status != tc.prov || !about(p[0], image) {
				t.Fatalf("provenance findings %+v", p)
			}
			if tc.prov == evidence.Fail && !strings.Contains(p[0].Message, "builder") {
				t.Errorf("message %s", p[0].Message)
			}
		})
	}
}

func about(f evidence.Finding, digest string) bool {
	for _, s := range f.Subjects {
		if s.Digest == digest {
			return true
		}
	}
	return false
}
