package oscal

import (
	"testing"

	oscalschema "github.com/pedigree-dev/pedigree/oscal"
)

// The stages of BenchmarkAssessmentResults20k, apart.

func BenchmarkBuild20k(b *testing.B) {
	a := synthetic(20000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		AssessmentResults(a)
	}
}

func BenchmarkEncode20k(b *testing.B) {
	doc := AssessmentResults(synthetic(20000))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, _, err := encode(doc)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}

func BenchmarkValidate20k(b *testing.B) {
	out, arrays, err := encode(AssessmentResults(synthetic(20000)))
	if err != nil {
		b.Fatal(err)
	}
	for _, bench := range []struct {
		name   string
		arrays oscalschema.Arrays
	}{{"chunked", arrays}, {"sequential", nil}} {
		b.Run(bench.name, func(b *testing.B) {
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := oscalschema.ValidateJSONChunked(out, bench.arrays); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
