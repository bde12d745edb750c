package sigstore

import (
	"context"
	"crypto"
	"os"
	"runtime"
	"sync"
	"testing"

	corpus "github.com/pedigree-dev/pedigree/verify/testcorpus"
)

// BenchmarkVerifyBatch1000 verifies a batch of 1,000 Sigstore bundles in
// process: a real Fulcio-certificate bundle (Rekor v2 entry with inclusion
// proof and checkpoint, RFC 3161 timestamp, SCT) from the corpus, verified
// 1,000 times against its trusted root, as a batch assessment would.
func BenchmarkVerifyBatch1000(b *testing.B) {
	var c corpus.Case
	for _, x := range corpus.Load(b, "sigstore-bundle") {
		if x.Name == "sigstore-rekor2-happy-path" {
			c = x
		}
	}
	if c.Name == "" {
		b.Skip("corpus row sigstore-rekor2-happy-path missing")
	}
	raw, _ := os.ReadFile(c.Path("bundle"))
	art, _ := os.ReadFile(c.Path("artifact"))
	tr, err := LoadTrustedRoot(c.Path("trusted-root"))
	if err != nil {
		b.Fatal(err)
	}
	pol := Policy{Trusted: tr, Identities: []Identity{{SAN: c.Policy["certificate-identity"], Issuer: c.Policy["certificate-oidc-issuer"]}}}
	batch(b, raw, pol, ArtifactBytes(art))
}

// BenchmarkVerifyBatch1000Key is the same with key-signed bundles (ECDSA
// P-256, no log): the floor of per-bundle cost.
func BenchmarkVerifyBatch1000Key(b *testing.B) {
	key := newKey(b)
	art := []byte("release artifact\n")
	raw := keyBundle(b, key, art, art)
	batch(b, raw, Policy{Keys: []crypto.PublicKey{&key.PublicKey}, WithoutTransparencyLogUnsafe: true}, ArtifactBytes(art))
}

// BenchmarkParseBundle is parsing alone, to split parse from verify cost.
func BenchmarkParseBundle(b *testing.B) {
	var raw []byte
	for _, x := range corpus.Load(b, "sigstore-bundle") {
		if x.Name == "sigstore-rekor2-happy-path" {
			raw, _ = os.ReadFile(x.Path("bundle"))
		}
	}
	if raw == nil {
		b.Skip("corpus missing")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseBundle(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func batch(b *testing.B, raw []byte, pol Policy, art Artifact) {
	const n = 1000
	b.ReportAllocs()
	for b.Loop() {
		for range n {
			if _, err := Verify(raw, pol, art); err != nil {
				b.Fatal(err)
			}
		}
	}
	perBatch := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(n/perBatch, "bundles/s")
}

// BenchmarkVerifyBatch1000Parallel verifies the same batch on every core,
// as the collector's engine runs targets concurrently.
func BenchmarkVerifyBatch1000Parallel(b *testing.B) {
	var c corpus.Case
	for _, x := range corpus.Load(b, "sigstore-bundle") {
		if x.Name == "sigstore-rekor2-happy-path" {
			c = x
		}
	}
	if c.Name == "" {
		b.Skip("corpus row sigstore-rekor2-happy-path missing")
	}
	raw, _ := os.ReadFile(c.Path("bundle"))
	art, _ := os.ReadFile(c.Path("artifact"))
	tr, err := LoadTrustedRoot(c.Path("trusted-root"))
	if err != nil {
		b.Fatal(err)
	}
	pol := Policy{Trusted: tr, Identities: []Identity{{SAN: c.Policy["certificate-identity"], Issuer: c.Policy["certificate-oidc-issuer"]}}}
	const n = 1000
	workers := runtime.GOMAXPROCS(0)
	b.ReportAllocs()
	for b.Loop() {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < n; i += workers {
					if _, err := Verify(raw, pol, ArtifactBytes(art)); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(n/(b.Elapsed().Seconds()/float64(b.N)), "bundles/s")
}

// rekor2Case loads the corpus's real Fulcio + Rekor v2 + TSA bundle, its
// artifact and the policy to verify it.
func rekor2Case(b testing.TB) (raw []byte, pol Policy, art Artifact) {
	var c corpus.Case
	for _, x := range corpus.Load(b, "sigstore-bundle") {
		if x.Name == "sigstore-rekor2-happy-path" {
			c = x
		}
	}
	if c.Name == "" {
		b.Skip("corpus row sigstore-rekor2-happy-path missing")
	}
	raw, err := os.ReadFile(c.Path("bundle"))
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(c.Path("artifact"))
	if err != nil {
		b.Fatal(err)
	}
	tr, err := LoadTrustedRoot(c.Path("trusted-root"))
	if err != nil {
		b.Fatal(err)
	}
	pol = Policy{Trusted: tr, Identities: []Identity{{SAN: c.Policy["certificate-identity"], Issuer: c.Policy["certificate-oidc-issuer"]}}}
	return raw, pol, ArtifactBytes(data)
}

// BenchmarkBatchVerify1000 verifies the same 1,000 bundles as
// BenchmarkVerifyBatch1000 through a Batch on one goroutine: each bundle is
// parsed and its leaf signature, artifact signature, SCT, inclusion proof,
// checkpoint and timestamp verified; the trusted root's chains (Fulcio
// intermediate to root, TSA certificate to root) once per batch.
func BenchmarkBatchVerify1000(b *testing.B) {
	raw, pol, art := rekor2Case(b)
	const n = 1000
	b.ReportAllocs()
	for b.Loop() {
		bt := NewBatch()
		for range n {
			if _, err := bt.Verify(raw, pol, art); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(n/(b.Elapsed().Seconds()/float64(b.N)), "bundles/s")
}

// BenchmarkBatchVerifyAll1000 is the batch on a bounded worker pool of
// GOMAXPROCS goroutines (run with -cpu 1,2 for the 1- and 2-core figures).
func BenchmarkBatchVerifyAll1000(b *testing.B) {
	raw, pol, art := rekor2Case(b)
	jobs := make([]Job, 1000)
	for i := range jobs {
		jobs[i] = Job{Bundle: raw, Policy: pol, Artifact: art}
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, o := range NewBatch().VerifyAll(context.Background(), jobs, 0) {
			if o.Err != nil {
				b.Fatalf("bundle %d: %v", i, o.Err)
			}
		}
	}
	b.ReportMetric(float64(len(jobs))/(b.Elapsed().Seconds()/float64(b.N)), "bundles/s")
}
