package keys

import (
	"context"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
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
