package sbom

import (
	"fmt"
	"strings"
	"testing"
)

// syntheticSPDX3 writes an SPDX 3.0.1 document of n packages, each
// depending on the next.
func syntheticSPDX3(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[`)
	b.WriteString(`{"type":"CreationInfo","@id":"_:ci","created":"2025-03-01T12:00:00Z","createdBy":["https://example.com/p"],"specVersion":"3.0.1"},`)
	b.WriteString(`{"type":"Person","spdxId":"https://example.com/p","creationInfo":"_:ci","name":"p"},`)
	b.WriteString(`{"type":"SpdxDocument","spdxId":"https://example.com/doc","creationInfo":"_:ci","rootElement":["https://example.com/pkg/0"]}`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `,{"type":"software_Package","spdxId":"https://example.com/pkg/%d","creationInfo":"_:ci","name":"p%d","software_packageVersion":"1.%d.0","software_packageUrl":"pkg:npm/p%d@1.%d.0","verifiedUsing":[{"type":"Hash","algorithm":"sha256","hashValue":"%064x"}]}`, i, i, i, i, i, i)
		if i+1 < n {
			fmt.Fprintf(&b, `,{"type":"Relationship","spdxId":"https://example.com/rel/%d","creationInfo":"_:ci","from":"https://example.com/pkg/%d","relationshipType":"dependsOn","to":["https://example.com/pkg/%d"]}`, i, i, i+1)
		}
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func BenchmarkSPDX3Schema(b *testing.B) {
	raw := syntheticSPDX3(1000)
	if _, err := compiledFor(spdx3SchemaFile); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := Parse("x", raw)
		if err != nil || !d.SchemaValid {
			b.Fatal(err, d.SchemaErrors)
		}
	}
}

func BenchmarkSPDX3NoSchema(b *testing.B) {
	raw := syntheticSPDX3(1000)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseWith("x", raw, Options{SkipSchema: true}); err != nil {
			b.Fatal(err)
		}
	}
}
