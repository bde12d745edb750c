package sbom

import "testing"

// BenchmarkCycloneDXSchemaLarge checks the 15,952-component CycloneDX 1.7
// SBOM of the shared corpus against its schema with the byte walker alone.
func BenchmarkCycloneDXSchemaLarge(b *testing.B) {
	raw := largeSBOM(b)
	c, err := compiledFor(schemaFile(FormatCycloneDX, EncodingJSON, "1.7"))
	if err != nil {
		b.Fatal(err)
	}
	c.validateRaw([]byte(`{}`)) // compile the walker outside the loop
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := c.validateRaw(raw); !ok {
			b.Fatal("not checked")
		}
	}
}

// BenchmarkCycloneDXDecodeLarge decodes the same SBOM into the model.
func BenchmarkCycloneDXDecodeLarge(b *testing.B) {
	raw := largeSBOM(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		var d Document
		if _, err := decodeSlim(&d, raw); err != nil {
			b.Fatal(err)
		}
	}
}
