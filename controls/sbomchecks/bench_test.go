package sbomchecks

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	gojson "github.com/goccy/go-json"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/sharedtest"
)

// largeCopies replicates the real 15,952-component corpus SBOM into one of
// more than 100,000 components (each copy with its own bom-refs and purls,
// dependencies rewired within the copy, all under one primary component).
const largeCopies = 7

var (
	largeOnce sync.Once
	largeRaw  []byte
	largeErr  error
)

func largeSBOM(b testing.TB) []byte {
	b.Helper()
	largeOnce.Do(func() { largeRaw, largeErr = buildLarge(largeCopies) })
	if largeErr != nil {
		b.Skip(largeErr.Error())
	}
	return largeRaw
}

func buildLarge(copies int) ([]byte, error) {
	raw, err := loadRealLarge()
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	return replicate(doc, copies)
}

// loadRealLarge decompresses the corpus's real syft SBOM.
func loadRealLarge() ([]byte, error) {
	dir, err := sharedtest.ModuleRoot()
	if err != nil {
		return nil, fmt.Errorf("repository root not found: %w", err)
	}
	f, err := os.Open(filepath.Join(dir, "..", "shared", "corpus", "sbom-large", "gomodcache-syft.cdx.json.gz"))
	if err != nil {
		return nil, fmt.Errorf("large corpus SBOM not present beside the repository: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

func replicate(doc map[string]any, copies int) ([]byte, error) {
	comps, _ := doc["components"].([]any)
	deps, _ := doc["dependencies"].([]any)
	var allComps, allDeps []any
	var primaryDeps []any
	for k := 0; k < copies; k++ {
		suffix := fmt.Sprintf("-copy%d", k)
		for _, c := range comps {
			m := cloneMap(c.(map[string]any))
			if r, ok := m["bom-ref"].(string); ok {
				m["bom-ref"] = r + suffix
				primaryDeps = append(primaryDeps, r+suffix)
			}
			if p, ok := m["purl"].(string); ok && k > 0 {
				m["purl"] = p + fmt.Sprintf("?copy=%d", k)
			}
			allComps = append(allComps, m)
		}
		for _, d := range deps {
			m := cloneMap(d.(map[string]any))
			m["ref"] = m["ref"].(string) + suffix
			if on, ok := m["dependsOn"].([]any); ok {
				n := make([]any, len(on))
				for i, x := range on {
					n[i] = x.(string) + suffix
				}
				m["dependsOn"] = n
			}
			allDeps = append(allDeps, m)
		}
	}
	md, _ := doc["metadata"].(map[string]any)
	if md != nil {
		if pc, ok := md["component"].(map[string]any); ok {
			if r, ok := pc["bom-ref"].(string); ok {
				allDeps = append(allDeps, map[string]any{"ref": r, "dependsOn": primaryDeps})
			}
		}
	}
	doc["components"] = allComps
	doc["dependencies"] = allDeps
	return json.Marshal(doc)
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// peakHeap runs op while sampling the heap, and returns the peak heap in
// use above the baseline before op.
func peakHeap(op func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > base && m.HeapAlloc-base > peak.Load() {
					peak.Store(m.HeapAlloc - base)
				}
			}
		}
	}()
	op()
	close(done)
	wg.Wait()
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > base && ms.HeapAlloc-base > peak.Load() {
		peak.Store(ms.HeapAlloc - base)
	}
	return peak.Load()
}

func parseAndCheck(b testing.TB, raw []byte, o sbom.Options) int {
	d, err := sbom.ParseWith("large.cdx.json", raw, o)
	if err != nil || d.Error != "" {
		b.Fatalf("parse: %v %s", err, d.Error)
	}
	ev := []evidence.Evidence{{ID: "e", Kind: sbom.EvidenceKind, Source: d.File, Target: "t", CollectedAt: time.Now(), Payload: d}}
	n := 0
	for _, c := range All(Options{MaxAge: 365 * 24 * time.Hour}) {
		n += len(c.Run(ev))
	}
	_ = Inventory(ev)
	return n
}

// BenchmarkLargeSBOM compares, in one run, merely decoding a >100,000
// component CycloneDX JSON SBOM with goccy/go-json into cyclonedx-go's BOM
// with pedigree's parse (decode, normalise, schema validation, JSF) plus
// every SBOM check and the inventory. Report the ns/op ratio; peak-heap/file
// is the peak heap in use during one op divided by the file size.
func BenchmarkLargeSBOM(b *testing.B) {
	raw := largeSBOM(b)
	var n int
	{
		var bom cdx.BOM
		if err := gojson.Unmarshal(raw, &bom); err != nil {
			b.Fatal(err)
		}
		n = len(*bom.Components)
	}
	if n < 100000 {
		b.Fatalf("only %d components", n)
	}
	b.Logf("%d components, %d bytes", n, len(raw))
	b.Run("decode-goccy", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var bom cdx.BOM
			if err := gojson.Unmarshal(raw, &bom); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(peakHeap(func() {
			var bom cdx.BOM
			_ = gojson.Unmarshal(raw, &bom)
		}))/float64(len(raw)), "peak-heap/file")
	})
	b.Run("schema-only", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := sbom.ValidateJSON(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, v := range []struct {
		name string
		o    sbom.Options
	}{{"parse+checks", sbom.Options{}}, {"parse+checks-noschema", sbom.Options{SkipSchema: true}}} {
		b.Run(v.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				parseAndCheck(b, raw, v.o)
			}
			b.ReportMetric(float64(peakHeap(func() { parseAndCheck(b, raw, v.o) }))/float64(len(raw)), "peak-heap/file")
		})
	}
}

// TestRealLargeSBOMChecks runs parse and every check once over the real
// 15,952-component corpus SBOM (the benchmark uses seven copies of it).
func TestRealLargeSBOMChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("large SBOM in -short mode; BenchmarkLargeSBOM covers it")
	}
	raw, err := loadRealLarge()
	if err != nil {
		t.Skip(err.Error())
	}
	if !bytes.Contains(raw[:2000], []byte("CycloneDX")) {
		t.Fatal("not CycloneDX")
	}
	if n := parseAndCheck(t, raw, sbom.Options{}); n < 12 {
		t.Errorf("%d findings", n)
	}
	d, _ := sbom.Parse("x", raw)
	if len(d.Components) != 15952 || d.SpecVersion != "1.7" {
		t.Errorf("components %d, spec %s (corpus EXPECTED: 15952, 1.7)", len(d.Components), d.SpecVersion)
	}
}
