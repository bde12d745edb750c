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

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/disttest"
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci/ocitest"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/evidence"
)

const cdx = `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"component":{"type":"container","name":"app","version":"1.0"}},"components":[{"type":"library","name":"left-pad","version":"1.3.0","purl":"pkg:npm/left-pad@1.3.0"}]}`

const spdx = `{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"app","documentNamespace":"https://example.invalid/app","creationInfo":{"created":"2026-01-01T00:00:00Z","creators":["Tool: test"]},"packages":[{"SPDXID":"SPDXRef-app","name":"app","versionInfo":"1.0","downloadLocation":"NOASSERTION"}]}`

var slsaV1 = map[string]any{
	"buildDefinition": map[string]any{
		"buildType":          "https://example.invalid/build@v1",
		"externalParameters": map[string]any{"source": "git+https://github.com/o/app@refs/tags/v1.0"},
		"resolvedDependencies": []any{map[string]any{"uri": "git+https://github.com/o/app@refs/tags/v1.0",
			"digest": map[string]string{"gitCommit": strings.Repeat("a", 40)}}},
	},
	"runDetails": map[string]any{"builder": map[string]any{"id": "https://example.invalid/builder"}},
}

// collect runs the collector over dir and returns its evidence by kind.
func collect(t *testing.T, dir string, o distribution.Options) map[string][]evidence.Evidence {
	t.Helper()
	out := map[string][]evidence.Evidence{}
	for _, e := range disttest.Collect(t, func(tr *distribution.Trust) collectors.Collector { return New(tr) }, dir, o) {
		out[e.Kind] = append(out[e.Kind], e)
	}
	return out
}

// attLayout writes one image with a cosign .att artifact holding the given
// DSSE layers (predicate type to predicate), and optionally an unsigned
// cosign .sbom artifact.
func attLayout(t *testing.T, atts map[string]any, unsignedSBOM string) (string, v1.Hash) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "image")
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	img, err := ocitest.Image(0, ocitest.Options{LayerSize: 512})
	if err != nil {
		t.Fatal(err)
	}
	ref := "registry.example/demo/app:1.0"
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": ref})); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	tag := "registry.example/demo/app:sha256-" + d.Hex
	k := ocitest.Key("h")
	if len(atts) > 0 {
		a := empty.Image
		for pt, pred := range atts {
			a, err = mutate.Append(a, mutate.Addendum{Layer: static.NewLayer(ocitest.Envelope(k, d, pt, pred), mtDSSE),
				Annotations: map[string]string{annPredicate: pt}})
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := p.AppendImage(a, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": tag + ".att"})); err != nil {
			t.Fatal(err)
		}
	}
	if unsignedSBOM != "" {
		a, err := mutate.Append(empty.Image, mutate.Addendum{Layer: static.NewLayer([]byte(unsignedSBOM), types.MediaType("application/vnd.cyclonedx+json"))})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.AppendImage(a, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": tag + ".sbom"})); err != nil {
			t.Fatal(err)
		}
	}
	return dir, d
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

func TestHandoff(t *testing.T) {
	expect := config.SLSAExpectation{Artifacts: []string{"registry.example/demo/app"}, SourceURI: "github.com/o/app",
		BuilderID: "https://example.invalid/builder", SourceTag: "v1.0"}
	for _, tc := range []struct {
		name         string
		atts         map[string]any
		unsigned     string
		slsa         []config.SLSAExpectation
		sboms        []string // formats
		sbomError    bool
		prov         []string // statuses
		provContains string
	}{
		{name: "cyclonedx predicate", atts: map[string]any{"https://cyclonedx.org/bom": raw(cdx)}, sboms: []string{sbom.FormatCycloneDX}},
		{name: "spdx predicate", atts: map[string]any{"https://spdx.dev/Document": raw(spdx)}, sboms: []string{sbom.FormatSPDX}},
		{name: "predicate not an sbom", atts: map[string]any{"https://spdx.dev/Document": map[string]any{"hello": 1}}, sboms: []string{sbom.FormatSPDX}, sbomError: true},
		{name: "unsigned cosign sbom", unsigned: cdx, sboms: []string{sbom.FormatCycloneDX}},
		{name: "provenance meets the expectation", atts: map[string]any{"https://slsa.dev/provenance/v1": slsaV1}, slsa: []config.SLSAExpectation{expect},
			prov: []string{signing.StatusVerified}},
		{name: "provenance from another builder", atts: map[string]any{"https://slsa.dev/provenance/v1": slsaV1},
			slsa: []config.SLSAExpectation{func() config.SLSAExpectation { e := expect; e.BuilderID = "https://example.invalid/other"; return e }()},
			prov: []string{signing.StatusFailed}, provContains: "builder"},
		{name: "provenance without expectation", atts: map[string]any{"https://slsa.dev/provenance/v1": slsaV1},
			prov: []string{signing.StatusNotAssessed}, provContains: "policy.sigstore.slsa"},
		{name: "expectation for another image", atts: map[string]any{"https://slsa.dev/provenance/v1": slsaV1},
			slsa: []config.SLSAExpectation{func() config.SLSAExpectation { e := expect; e.Artifacts = []string{"other/*"}; return e }()},
			prov: []string{signing.StatusNotAssessed}},
		{name: "both", atts: map[string]any{"https://slsa.dev/provenance/v1": slsaV1, "https://cyclonedx.org/bom": raw(cdx)},
			slsa: []config.SLSAExpectation{expect}, sboms: []string{sbom.FormatCycloneDX}, prov: []string{signing.StatusVerified}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, d := attLayout(t, tc.atts, tc.unsigned)
			ev := collect(t, dir, distribution.Options{Keys: []string{writeKey(t, "h")}, WithoutTlogUnsafe: true, SLSA: tc.slsa})
			var formats []string
			for _, e := range ev[sbom.EvidenceKind] {
				doc, ok := evidence.PayloadAs[sbom.Document](&e)
				if !ok {
					t.Fatalf("payload %T", e.Payload)
				}
				formats = append(formats, doc.Format)
				if (doc.Error != "") != tc.sbomError {
					t.Errorf("error %q", doc.Error)
				}
				if e.Subject.Digest != d.String() || !strings.HasSuffix(e.Subject.Ref, "@"+d.String()) {
					t.Errorf("subject %+v, want the image %s", e.Subject, d)
				}
				if e.SHA256 == "" || e.Source == "" || e.SHA256 == strings.TrimPrefix(d.String(), "sha256:") {
					t.Errorf("source %s sha256 %s", e.Source, e.SHA256)
				}
				if !tc.sbomError && doc.ComponentCount == 0 {
					t.Errorf("no components parsed")
				}
			}
			if strings.Join(formats, ",") != strings.Join(tc.sboms, ",") {
				t.Errorf("sbom evidence %v, want %v", formats, tc.sboms)
			}
			var statuses []string
			for _, e := range ev[signing.KindProvenance] {
				p, ok := evidence.PayloadAs[signing.Provenance](&e)
				if !ok {
					t.Fatalf("payload %T", e.Payload)
				}
				statuses = append(statuses, p.Status)
				if !strings.Contains(p.Reason, tc.provContains) {
					t.Errorf("reason %q, want %q", p.Reason, tc.provContains)
				}
				if e.Subject.Digest != d.String() {
					t.Errorf("subject %+v", e.Subject)
				}
				if p.Status == signing.StatusVerified && p.BuilderID != expect.BuilderID {
					t.Errorf("builder %q", p.BuilderID)
				}
			}
			if strings.Join(statuses, ",") != strings.Join(tc.prov, ",") {
				t.Errorf("provenance %v, want %v", statuses, tc.prov)
			}
		})
	}
}

// TestHandoffSubjectMismatch: an attestation about another digest is
// handed to no check (DIST-OCI-ATTESTED fails it).
func TestHandoffSubjectMismatch(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "image")
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	img, _ := ocitest.Image(0, ocitest.Options{LayerSize: 512})
	if err := p.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	other := v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("c", 64)}
	a, _ := mutate.Append(empty.Image, mutate.Addendum{Layer: static.NewLayer(ocitest.Envelope(ocitest.Key("h"), other, "https://cyclonedx.org/bom", raw(cdx)), mtDSSE),
		Annotations: map[string]string{annPredicate: "https://cyclonedx.org/bom"}})
	if err := p.AppendImage(a, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": "r:sha256-" + d.Hex + ".att"})); err != nil {
		t.Fatal(err)
	}
	ev := collect(t, dir, distribution.Options{Keys: []string{writeKey(t, "h")}, WithoutTlogUnsafe: true})
	if n := len(ev[sbom.EvidenceKind]); n != 0 {
		t.Errorf("%d sbom evidence from an attestation about another digest", n)
	}
	if att := ev[distribution.Kind(CheckAttested)]; len(att) != 1 {
		t.Fatalf("%d attested", len(att))
	} else if f, _ := evidence.PayloadAs[distribution.Finding](&att[0]); f.Outcome != distribution.Failed {
		t.Errorf("attested %s", f.Message)
	}
}

// TestHandoffCosignSave: the real cosign layout (testdata/SOURCES.md)
// hands its `cosign attest --type spdxjson` SBOM to the SBOM parser and its
// slsaprovenance1 attestation to the provenance verifier, both about the
// image digest.
func TestHandoffCosignSave(t *testing.T) {
	const dir, key = "testdata/cosign-save", "testdata/cosign-save.pub"
	ev := collect(t, dir, distribution.Options{Keys: []string{key}, WithoutTlogUnsafe: true,
		SLSA: []config.SLSAExpectation{{SourceURI: "github.com/example/none"}}})
	att := ev[distribution.Kind(CheckAttested)]
	if len(att) != 1 {
		t.Fatalf("%d attested", len(att))
	}
	f, _ := evidence.PayloadAs[distribution.Finding](&att[0])
	image := "sha256:" + f.SHA256
	docs := ev[sbom.EvidenceKind]
	if len(docs) != 1 {
		t.Fatalf("%d sbom evidence", len(docs))
	}
	d, _ := evidence.PayloadAs[sbom.Document](&docs[0])
	if d.Format != sbom.FormatSPDX || d.Error != "" || docs[0].Subject.Digest != image {
		t.Errorf("sbom %s %q about %+v", d.Format, d.Error, docs[0].Subject)
	}
	prov := ev[signing.KindProvenance]
	if len(prov) != 1 || prov[0].Subject.Digest != image {
		t.Fatalf("provenance %+v", prov)
	}
	// The expectation names another source: the verifier refuses it.
	if p, _ := evidence.PayloadAs[signing.Provenance](&prov[0]); p.Status != signing.StatusFailed {
		t.Errorf("provenance %s %s", p.Status, p.Reason)
	} else {
		t.Log(p.Reason)
	}
}
