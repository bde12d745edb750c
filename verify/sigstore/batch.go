package sigstore

import (
	"context"
	"crypto/x509"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// Batch verifies many bundles and does once the work that is identical
// across them: trusted-root certificate chains (a Fulcio intermediate up to
// its root, a timestamping authority's certificate up to its root),
// verifiers built per trusted root and policy, and identity matchers.
// Every bundle's own evidence is still verified each time: its leaf
// certificate's signature, its signature over the artifact, its SCT, its
// transparency-log inclusion proof and checkpoint, and its RFC 3161
// timestamp's signature over its own signature.
//
// Cached results are keyed by the exact bytes they were computed from
// (SHA-256 of the certificates' DER), so a tampered bundle can never reuse
// a "valid" result; a cached chain is only reused at a time when every
// certificate in it is valid. Whenever the fast path cannot show a bundle
// valid, the bundle is verified again by sigstore-go's own code, so the
// verdict and its error are exactly sigstore-go's.
//
// A Batch is safe for concurrent use. Trusted material passed to it must
// not be modified afterwards. The zero value is not usable; use NewBatch.
// A nil *Batch verifies without caches (as Verify and VerifyBundle do).
type Batch struct {
	chains *chainCache

	mu        sync.Mutex
	trusts    map[string]*batchTrust
	verifiers map[verifierKey]*verify.Verifier
	idents    map[Identity]verify.PolicyOption

	stats batchCounters
}

// Limits on what a Batch remembers, so a huge or hostile batch cannot grow
// memory without bound: past them, work is done without caching.
const (
	maxCachedTrusts    = 64
	maxCachedVerifiers = 1024
	maxCachedIdents    = 1024
	maxCachedChains    = 4096
)

// NewBatch returns an empty batch verifier.
func NewBatch() *Batch {
	return &Batch{
		chains:    newChainCache(maxCachedChains),
		trusts:    map[string]*batchTrust{},
		verifiers: map[verifierKey]*verify.Verifier{},
		idents:    map[Identity]verify.PolicyOption{},
	}
}

// Verify verifies bundle bytes against the policy and the artifact, as the
// package-level Verify does, with the batch's caches.
func (bt *Batch) Verify(bundleJSON []byte, p Policy, a Artifact) (*Result, error) {
	b, err := ParseBundle(bundleJSON)
	if err != nil {
		return nil, err
	}
	return verifyBundle(bt, b, p, a)
}

// VerifyBundle verifies a parsed bundle with the batch's caches.
func (bt *Batch) VerifyBundle(b *bundle.Bundle, p Policy, a Artifact) (*Result, error) {
	return verifyBundle(bt, b, p, a)
}

// Job is one bundle of a batch: its bytes, the policy and the artifact.
type Job struct {
	Bundle   []byte
	Policy   Policy
	Artifact Artifact
}

// Outcome is the verification of one Job: a Result or an error.
type Outcome struct {
	Result *Result
	Err    error
}

// VerifyAll verifies the jobs on at most workers goroutines (0 or less:
// GOMAXPROCS) and returns one outcome per job, in the jobs' order. Jobs
// not started when ctx is done get ctx's error.
func (bt *Batch) VerifyAll(ctx context.Context, jobs []Job, workers int) []Outcome {
	out := make([]Outcome, len(jobs))
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(jobs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) {
					return
				}
				if err := ctx.Err(); err != nil {
					out[i].Err = err
					continue
				}
				j := &jobs[i]
				out[i].Result, out[i].Err = bt.Verify(j.Bundle, j.Policy, j.Artifact)
			}
		})
	}
	wg.Wait()
	return out
}

// BatchStats counts how often the batch's caches saved work.
type BatchStats struct {
	// ChainHits and ChainMisses count certificate chain segments (CA
	// intermediate to root, TSA certificate to root) found verified in the
	// cache or verified afresh.
	ChainHits, ChainMisses int64
	// Fallbacks counts verifications the fast path could not complete and
	// handed to sigstore-go's own code (every invalid bundle does).
	Fallbacks int64
}

type batchCounters struct {
	chainHits, chainMisses, fallbacks atomic.Int64
}

// Stats returns the batch's cache counters.
func (bt *Batch) Stats() BatchStats {
	if bt == nil {
		return BatchStats{}
	}
	return BatchStats{
		ChainHits:   bt.stats.chainHits.Load(),
		ChainMisses: bt.stats.chainMisses.Load(),
		Fallbacks:   bt.stats.fallbacks.Load(),
	}
}

// identity returns the policy option for an expected identity, compiled
// once per batch.
func (bt *Batch) identity(id Identity) (verify.PolicyOption, error) {
	if bt == nil {
		return newIdentity(id)
	}
	bt.mu.Lock()
	o, ok := bt.idents[id]
	bt.mu.Unlock()
	if ok {
		return o, nil
	}
	o, err := newIdentity(id)
	if err != nil {
		return nil, err
	}
	bt.mu.Lock()
	if len(bt.idents) < maxCachedIdents {
		bt.idents[id] = o
	}
	bt.mu.Unlock()
	return o, nil
}

type verifierKey struct {
	trust string // trustKey of the trusted material
	kind  string // "cert", "cert-plain", "key-tlog", "key"
	key   string // the key's SPKI DER, key id and validity window
}

// certVerifier returns the verifier for certificate-signed bundles over
// tm: over the batch's caching view of tm, or over tm itself when plain.
func (bt *Batch) certVerifier(tm root.TrustedMaterial, plain bool) (*verify.Verifier, error) {
	if bt == nil {
		return newCertVerifier(tm)
	}
	if plain {
		return bt.verifier(verifierKey{trust: trustKey(tm), kind: "cert-plain"}, func() (*verify.Verifier, error) {
			return newCertVerifier(tm)
		})
	}
	view := bt.trust(tm)
	return bt.verifier(verifierKey{trust: trustKey(tm), kind: "cert"}, func() (*verify.Verifier, error) {
		return newCertVerifier(view)
	})
}

// keyVerifier returns the verifier for bundles signed by tk.
func (bt *Batch) keyVerifier(tm root.TrustedMaterial, tk TimedKey, withTlog bool) (*verify.Verifier, error) {
	if bt == nil {
		return newKeyVerifier(tm, tk, withTlog)
	}
	var view root.TrustedMaterial
	if tm != nil {
		view = bt.trust(tm)
	}
	kind := "key"
	if withTlog {
		kind = "key-tlog"
	}
	k := verifierKey{trust: trustKey(tm), kind: kind}
	der, err := x509.MarshalPKIXPublicKey(tk.Public)
	if err == nil {
		k.key = fmt.Sprintf("%x|%s|%d|%d", der, tk.KeyID, tk.NotBefore.UnixNano(), tk.NotAfter.UnixNano())
	}
	if k.key == "" || (tm != nil && k.trust == "") {
		return newKeyVerifier(view, tk, withTlog)
	}
	return bt.verifier(k, func() (*verify.Verifier, error) { return newKeyVerifier(view, tk, withTlog) })
}

func (bt *Batch) verifier(k verifierKey, build func() (*verify.Verifier, error)) (*verify.Verifier, error) {
	if k.trust == "" {
		return build()
	}
	bt.mu.Lock()
	v, ok := bt.verifiers[k]
	bt.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := build()
	if err != nil {
		return nil, err
	}
	bt.mu.Lock()
	if len(bt.verifiers) < maxCachedVerifiers {
		bt.verifiers[k] = v
	}
	bt.mu.Unlock()
	return v, nil
}

// trust returns the batch's caching view of tm, built once per trusted
// material.
func (bt *Batch) trust(tm root.TrustedMaterial) *batchTrust {
	k := trustKey(tm)
	if k == "" {
		return newBatchTrust(tm, bt.chains, &bt.stats)
	}
	bt.mu.Lock()
	t, ok := bt.trusts[k]
	bt.mu.Unlock()
	if ok {
		return t
	}
	t = newBatchTrust(tm, bt.chains, &bt.stats)
	bt.mu.Lock()
	if old, ok := bt.trusts[k]; ok {
		t = old
	} else if len(bt.trusts) < maxCachedTrusts {
		bt.trusts[k] = t
	}
	bt.mu.Unlock()
	return t
}

// trustKey identifies trusted material by the identity of the objects it
// is made of: a pointer (a *root.TrustedRoot), or a collection of them.
// Cached entries keep a reference to those objects, so an address cannot
// be reused by other material while the entry lives. "" means the
// material cannot be identified and is not cached.
func trustKey(tm root.TrustedMaterial) string {
	if tm == nil {
		return "nil"
	}
	if c, ok := tm.(root.TrustedMaterialCollection); ok {
		parts := make([]string, 0, len(c))
		for _, e := range c {
			k := trustKey(e)
			if k == "" {
				return ""
			}
			parts = append(parts, k)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	v := reflect.ValueOf(tm)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return ""
	}
	return fmt.Sprintf("%T@%x", tm, v.Pointer())
}

// batchTrust is a view of trusted material whose certificate authorities
// and timestamping authorities verify through the batch's chain cache.
// Transparency and CT logs and public keys are the material's own.
type batchTrust struct {
	inner root.TrustedMaterial
	cas   []root.CertificateAuthority
	tsas  []root.TimestampingAuthority
	rekor map[string]*root.TransparencyLog
	ct    map[string]*root.TransparencyLog
}

var _ root.TrustedMaterial = (*batchTrust)(nil)

func newBatchTrust(tm root.TrustedMaterial, cache *chainCache, stats *batchCounters) *batchTrust {
	t := &batchTrust{inner: tm, rekor: tm.RekorLogs(), ct: tm.CTLogs()}
	for _, ca := range tm.FulcioCertificateAuthorities() {
		if f, ok := ca.(*root.FulcioCertificateAuthority); ok && f != nil {
			ca = newCachedCA(f, cache, stats)
		}
		t.cas = append(t.cas, ca)
	}
	for _, tsa := range tm.TimestampingAuthorities() {
		if s, ok := tsa.(*root.SigstoreTimestampingAuthority); ok && s != nil {
			tsa = newCachedTSA(s, cache, stats)
		}
		t.tsas = append(t.tsas, tsa)
	}
	return t
}

func (t *batchTrust) TimestampingAuthorities() []root.TimestampingAuthority { return t.tsas }

func (t *batchTrust) FulcioCertificateAuthorities() []root.CertificateAuthority { return t.cas }

func (t *batchTrust) RekorLogs() map[string]*root.TransparencyLog { return t.rekor }

func (t *batchTrust) CTLogs() map[string]*root.TransparencyLog { return t.ct }

func (t *batchTrust) PublicKeyVerifier(id string) (root.TimeConstrainedVerifier, error) {
	return t.inner.PublicKeyVerifier(id)
}

// validAt reports whether every certificate of chain is valid at t, as
// crypto/x509 judges validity (NotBefore <= t <= NotAfter).
func validAt(chain []*x509.Certificate, t time.Time) bool {
	for _, c := range chain {
		if t.Before(c.NotBefore) || t.After(c.NotAfter) {
			return false
		}
	}
	return true
}
