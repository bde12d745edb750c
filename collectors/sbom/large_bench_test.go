package sbom

import (
	"bytes"
	"fmt"
	"testing"
)

func largeCycloneDX(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"component":{"type":"application","bom-ref":"app","name":"app"}},"components":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"library","bom-ref":"c%d","name":"comp%d","version":"1.0.%d","purl":"pkg:npm/comp%d@1.0.%d"}`, i, i, i%100, i, i%100)
	}
	b.WriteString(`],"dependencies":[{"ref":"app","dependsOn":["c0"]}]}`)
	return b.Bytes()
}

func largeSPDX(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"gen","documentNamespace":"https://example.com/gen","creationInfo":{"created":"2026-01-01T00:00:00Z","creators":["Tool: gen"]},"documentDescribes":["SPDXRef-P-0"],"packages":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"SPDXID":"SPDXRef-P-%d","name":"pkg%d","versionInfo":"1.0.%d","supplier":"Organization: ACME","downloadLocation":"NOASSERTION","filesAnalyzed":false,"externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:npm/pkg%d@1.0.%d"}]}`, i, i, i%100, i, i%100)
	}
	b.WriteString(`],"relationships":[`)
	for i := 1; i < n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"spdxElementId":"SPDXRef-P-0","relatedSpdxElement":"SPDXRef-P-%d","relationshipType":"DEPENDS_ON"}`, i)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// BenchmarkParseLarge decodes generated SBOMs of 100,000 CycloneDX
// components and 20,000 SPDX packages (schema validation off, as above
// sbom.schema-max-size), split element by element and, for comparison,
// whole. B/op is what one decode allocates; the split decoding holds one
// component's decode at a time besides the Document.
func BenchmarkParseLarge(b *testing.B) {
	for _, in := range []struct {
		name string
		raw  []byte
	}{{"cyclonedx-100k", largeCycloneDX(100_000)}, {"spdx-20k", largeSPDX(20_000)}} {
		for _, whole := range []bool{false, true} {
			name := in.name + "/split"
			if whole {
				name = in.name + "/whole"
			}
			b.Run(name, func(b *testing.B) {
				wholeDecode = whole
				defer func() { wholeDecode = false }()
				b.SetBytes(int64(len(in.raw)))
				b.ReportAllocs()
				for b.Loop() {
					d, err := ParseWith("bom.json", in.raw, Options{SkipSchema: true})
					if err != nil || d.Error != "" || len(d.Components) == 0 {
						b.Fatalf("%v %q", err, d.Error)
					}
				}
			})
		}
	}
}
