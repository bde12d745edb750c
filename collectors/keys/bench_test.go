package keys

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/internal/sharedtest"
)

// BenchmarkCollectCorpus inventories the whole shared signing corpus (68
// cases: ~600 keys, certificates, roots and signatures).
func BenchmarkCollectCorpus(b *testing.B) {
	tg, err := collectors.OpenTarget("corpus", sharedDir(b))
	if err != nil {
		b.Fatal(err)
	}
	defer tg.Close()
	c := New(Options{Now: func() time.Time { return now }})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Collect(context.Background(), tg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCollectManyCertificates inventories a folder of 5,000 small
// certificates; cert/op figures are per certificate (the case is
// 100,000 of them).
func BenchmarkCollectManyCertificates(b *testing.B) {
	const n = 5000
	dir := b.TempDir()
	sharedtest.CertFolder(b, dir, n, now.Add(-time.Hour))
	tg, err := collectors.OpenTarget("certs", dir)
	if err != nil {
		b.Fatal(err)
	}
	defer tg.Close()
	c := New(Options{Now: func() time.Time { return now }})
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	allocs, bytes := ms.Mallocs, ms.TotalAlloc
	start := time.Now()
	for b.Loop() {
		ev, err := c.Collect(context.Background(), tg)
		if err != nil || len(ev) != n {
			b.Fatalf("%d evidence, %v", len(ev), err)
		}
	}
	runtime.ReadMemStats(&ms)
	per := float64(b.N * n)
	b.ReportMetric(float64(time.Since(start).Microseconds())/per, "µs/cert")
	b.ReportMetric(float64(ms.TotalAlloc-bytes)/per, "B/cert")
	b.ReportMetric(float64(ms.Mallocs-allocs)/per, "allocs/cert")
}
