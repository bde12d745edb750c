package controls

import (
	"testing"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/evidence"
)

// BenchmarkAggregate decides every control of the catalog with the
// embedded mapping, part by part, from 20 findings per mapped check.
func BenchmarkAggregate(b *testing.B) {
	m, err := DefaultMapping()
	if err != nil {
		b.Fatal(err)
	}
	idx, err := catalogs.Default()
	if err != nil {
		b.Fatal(err)
	}
	var scope []string
	for _, c := range idx.Controls() {
		if !c.Withdrawn {
			scope = append(scope, c.ID)
		}
	}
	var ran []Check
	var fs []evidence.Finding
	for _, e := range m.Sorted() {
		ran = append(ran, Check{ID: e.Check})
		for i := 0; i < 20; i++ {
			st := evidence.Pass
			if i == 7 && len(e.Check)%3 == 0 {
				st = evidence.Fail
			}
			fs = append(fs, evidence.Finding{ID: e.Check + string(rune('a'+i)), CheckID: e.Check, Status: st})
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if res := Aggregate(scope, idx, m, ran, fs, nil); len(res) != len(scope) {
			b.Fatal(len(res))
		}
	}
}

// BenchmarkDefaultMapping reads the embedded mapping files, as every
// command that names controls does once (ci scan on its first finding).
func BenchmarkDefaultMapping(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DefaultMapping(); err != nil {
			b.Fatal(err)
		}
	}
}
