package sigstore

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"

	corpus "github.com/pedigree-dev/pedigree/verify/testcorpus"
)

// TestBatchCorpusAgrees verifies every sigstore-bundle row of the shared
// corpus through one Batch, twice (cold, then warm caches), and requires
// the verdict and the error of the plain verification.
func TestBatchCorpusAgrees(t *testing.T) {
	bt := NewBatch()
	for round := range 2 {
		for _, c := range corpus.Load(t, "sigstore-bundle") {
			pol, art, raw, err := corpusInputs(c)
			if err != nil {
				if c.Expected != "fail" {
					t.Errorf("%s: %v", c.Name, err)
				}
				continue
			}
			_, plainErr := Verify(raw, pol, art)
			_, batchErr := bt.Verify(raw, pol, art)
			if (plainErr == nil) != (batchErr == nil) || (plainErr != nil && plainErr.Error() != batchErr.Error()) {
				t.Errorf("round %d %s: plain %v, batch %v", round, c.Name, plainErr, batchErr)
			}
			if got := map[bool]string{true: "pass", false: "fail"}[batchErr == nil]; got != c.Expected {
				t.Errorf("round %d %s: batch %s (%v), want %s", round, c.Name, got, batchErr, c.Expected)
			}
		}
	}
	st := bt.Stats()
	if st.ChainHits == 0 {
		t.Errorf("no chain cache hits: %+v", st)
	}
	t.Logf("%+v", st)
}

func corpusInputs(c corpus.Case) (Policy, Artifact, []byte, error) {
	var p Policy
	tr, err := LoadTrustedRoot(c.Path("trusted-root"))
	if err != nil {
		return p, Artifact{}, nil, err
	}
	p.Trusted = tr
	if k := c.Path("key"); k != "" {
		b, err := os.ReadFile(k)
		if err != nil {
			return p, Artifact{}, nil, err
		}
		pub, err := ParsePublicKey(b)
		if err != nil {
			return p, Artifact{}, nil, err
		}
		p.Keys = []crypto.PublicKey{pub}
	} else {
		p.Identities = []Identity{{SAN: c.Policy["certificate-identity"], Issuer: c.Policy["certificate-oidc-issuer"]}}
	}
	art, err := os.ReadFile(c.Path("artifact"))
	if err != nil {
		return p, Artifact{}, nil, err
	}
	raw, err := os.ReadFile(c.Path("bundle"))
	return p, ArtifactBytes(art), raw, err
}

// mutate returns the bundle with one base64 field (found by path) changed
// by f, as valid JSON.
func mutate(t *testing.T, raw []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func flipB64(t *testing.T, s string, pos int) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	if pos < 0 {
		pos += len(b)
	}
	b[pos] ^= 0x01
	return base64.StdEncoding.EncodeToString(b)
}

func obj(m map[string]any, path ...string) map[string]any {
	for _, p := range path {
		m = m[p].(map[string]any)
	}
	return m
}

// TestBatchTamperedOne puts one tampered bundle among valid copies of a
// real Fulcio + Rekor v2 + TSA bundle: exactly that one fails, with the
// error plain verification gives, whether the caches are cold or warm.
func TestBatchTamperedOne(t *testing.T) {
	raw, pol, art := rekor2Case(t)
	tampered := map[string]func(m map[string]any){
		"artifact signature": func(m map[string]any) {
			ms := obj(m, "messageSignature")
			ms["signature"] = flipB64(t, ms["signature"].(string), -3)
		},
		"leaf certificate signature": func(m map[string]any) {
			c := obj(m, "verificationMaterial", "certificate")
			c["rawBytes"] = flipB64(t, c["rawBytes"].(string), -5)
		},
		"leaf certificate extension": func(m map[string]any) {
			c := obj(m, "verificationMaterial", "certificate")
			c["rawBytes"] = flipB64(t, c["rawBytes"].(string), -200)
		},
		"timestamp signature": func(m map[string]any) {
			ts := obj(m, "verificationMaterial", "timestampVerificationData")["rfc3161Timestamps"].([]any)[0].(map[string]any)
			ts["signedTimestamp"] = flipB64(t, ts["signedTimestamp"].(string), -3)
		},
		"timestamp certificate": func(m map[string]any) {
			ts := obj(m, "verificationMaterial", "timestampVerificationData")["rfc3161Timestamps"].([]any)[0].(map[string]any)
			ts["signedTimestamp"] = flipB64(t, ts["signedTimestamp"].(string), 400)
		},
		"inclusion proof hash": func(m map[string]any) {
			e := obj(m, "verificationMaterial")["tlogEntries"].([]any)[0].(map[string]any)
			h := obj(e, "inclusionProof")["hashes"].([]any)
			h[0] = flipB64(t, h[0].(string), 0)
		},
		"checkpoint": func(m map[string]any) {
			cp := obj(m, "verificationMaterial")["tlogEntries"].([]any)[0].(map[string]any)
			c := obj(cp, "inclusionProof", "checkpoint")
			c["envelope"] = strings.Replace(c["envelope"].(string), "\n736\n", "\n737\n", 1)
		},
	}
	for name, f := range tampered {
		t.Run(name, func(t *testing.T) {
			bad := mutate(t, raw, f)
			_, plainErr := Verify(bad, pol, art)
			if plainErr == nil {
				t.Fatal("plain verification accepted the tampered bundle")
			}
			for _, at := range []int{0, 5} { // cold cache, then warm
				jobs := make([]Job, 8)
				for i := range jobs {
					jobs[i] = Job{Bundle: raw, Policy: pol, Artifact: art}
				}
				jobs[at].Bundle = bad
				for i, o := range NewBatch().VerifyAll(context.Background(), jobs, 2) {
					switch {
					case i == at && o.Err == nil:
						t.Errorf("tampered bundle %d verified", i)
					case i == at && o.Err.Error() != plainErr.Error():
						t.Errorf("tampered bundle %d: %v, plain: %v", i, o.Err, plainErr)
					case i != at && o.Err != nil:
						t.Errorf("valid bundle %d: %v", i, o.Err)
					}
				}
			}
		})
	}
}

func TestVerifyAllCancelled(t *testing.T) {
	raw, pol, art := rekor2Case(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := NewBatch().VerifyAll(ctx, []Job{{Bundle: raw, Policy: pol, Artifact: art}}, 0)
	if len(out) != 1 || !errors.Is(out[0].Err, context.Canceled) {
		t.Fatalf("got %+v", out)
	}
	if out := NewBatch().VerifyAll(context.Background(), nil, 4); len(out) != 0 {
		t.Fatalf("empty batch: %+v", out)
	}
}

// TestBatchKeyBundles runs key-signed bundles through a batch: same
// verdicts as plain verification, keys tried in turn.
func TestBatchKeyBundles(t *testing.T) {
	key, other := newKey(t), newKey(t)
	art := []byte("release artifact\n")
	good := keyBundle(t, key, art, art)
	bt := NewBatch()
	for _, tt := range []struct {
		name string
		pol  Policy
		art  Artifact
		ok   bool
	}{
		{"good", Policy{Keys: []crypto.PublicKey{&key.PublicKey}, WithoutTransparencyLogUnsafe: true}, ArtifactBytes(art), true},
		{"second key", Policy{Keys: []crypto.PublicKey{&other.PublicKey, &key.PublicKey}, WithoutTransparencyLogUnsafe: true}, ArtifactBytes(art), true},
		{"wrong key", Policy{Keys: []crypto.PublicKey{&other.PublicKey}, WithoutTransparencyLogUnsafe: true}, ArtifactBytes(art), false},
		{"other artifact", Policy{Keys: []crypto.PublicKey{&key.PublicKey}, WithoutTransparencyLogUnsafe: true}, ArtifactBytes([]byte("x")), false},
		{"tlog required", Policy{Keys: []crypto.PublicKey{&key.PublicKey}}, ArtifactBytes(art), false},
	} {
		for range 2 {
			_, perr := Verify(good, tt.pol, tt.art)
			_, berr := bt.Verify(good, tt.pol, tt.art)
			if (berr == nil) != tt.ok || (perr == nil) != tt.ok || (perr != nil && perr.Error() != berr.Error()) {
				t.Errorf("%s: plain %v, batch %v", tt.name, perr, berr)
			}
		}
	}
}

var (
	t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	t1 = t0.AddDate(1, 0, 0)
	t2 = t0.AddDate(2, 0, 0)
)

func p384Key(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mkCert(t *testing.T, tmpl *x509.Certificate, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) *x509.Certificate {
	t.Helper()
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var serial int64

func caTmpl(cn string, nb, na time.Time) *x509.Certificate {
	serial++
	return &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn, Organization: []string{"test"}},
		NotBefore: nb, NotAfter: na, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
}

func leafTmpl(nb, na time.Time) *x509.Certificate {
	serial++
	return &x509.Certificate{
		SerialNumber: big.NewInt(serial), NotBefore: nb, NotAfter: na,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		EmailAddresses: []string{"dev@example.com"},
	}
}

// TestCachedCAMatchesX509 compares the batch's certificate authority with
// sigstore-go's (crypto/x509 over the whole chain) on hierarchies where
// each of the rules the split relies on is broken once, at times inside
// and outside the validity windows, with the cache cold and warm.
func TestCachedCAMatchesX509(t *testing.T) {
	rootKey, inKey, leafKey, rogue := p384Key(t), p384Key(t), p384Key(t), p384Key(t)
	rootCert := mkCert(t, caTmpl("root", t0, t2), nil, &rootKey.PublicKey, rootKey)
	mkInter := func(edit func(*x509.Certificate)) *x509.Certificate {
		tm := caTmpl("intermediate", t0, t1)
		tm.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}
		tm.MaxPathLen, tm.MaxPathLenZero = 0, true
		if edit != nil {
			edit(tm)
		}
		return mkCert(t, tm, rootCert, &inKey.PublicKey, rootKey)
	}
	inter := mkInter(nil)
	rogueInter := mkCert(t, caTmpl("intermediate", t0, t1), rootCert, &rogue.PublicKey, rootKey)
	leafBy := func(parent *x509.Certificate, signer crypto.Signer, edit func(*x509.Certificate)) *x509.Certificate {
		tm := leafTmpl(t0.AddDate(0, 6, 0), t0.AddDate(0, 6, 1))
		tm.Subject = pkix.Name{}
		if edit != nil {
			edit(tm)
		}
		return mkCert(t, tm, parent, &leafKey.PublicKey, signer)
	}
	in := t0.AddDate(0, 6, 0).Add(time.Hour)
	cases := []struct {
		name  string
		root  *x509.Certificate
		inter []*x509.Certificate
		leaf  *x509.Certificate
		at    time.Time
		ok    bool
	}{
		{"valid", rootCert, []*x509.Certificate{inter}, leafBy(inter, inKey, nil), in, true},
		{"issued by the root", rootCert, nil, leafBy(rootCert, rootKey, nil), in, true},
		{"leaf not yet valid", rootCert, []*x509.Certificate{inter}, leafBy(inter, inKey, nil), t0, false},
		{"leaf expired", rootCert, []*x509.Certificate{inter}, leafBy(inter, inKey, nil), in.AddDate(0, 1, 0), false},
		{"forged issuer (same name, other key)", rootCert, []*x509.Certificate{inter}, leafBy(rogueInter, rogue, nil), in, false},
		{"leaf for server auth", rootCert, []*x509.Certificate{inter}, leafBy(inter, inKey, func(c *x509.Certificate) {
			c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		}), in, false},
		{"intermediate for server auth", rootCert, []*x509.Certificate{mkInter(func(c *x509.Certificate) {
			c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		})}, leafBy(inter, inKey, nil), in, false},
		{"intermediate not a CA", rootCert, []*x509.Certificate{mkInter(func(c *x509.Certificate) {
			c.IsCA, c.MaxPathLen, c.MaxPathLenZero = false, -1, false
		})}, leafBy(inter, inKey, nil), in, false},
		{"intermediate without certSign", rootCert, []*x509.Certificate{mkInter(func(c *x509.Certificate) {
			c.KeyUsage = x509.KeyUsageDigitalSignature
		})}, leafBy(inter, inKey, nil), in, false},
		{"intermediate with name constraints", rootCert, []*x509.Certificate{mkInter(func(c *x509.Certificate) {
			c.PermittedEmailAddresses = []string{"other.example"}
		})}, leafBy(inter, inKey, nil), in, false},
		{"intermediate with permitting name constraints", rootCert, []*x509.Certificate{mkInter(func(c *x509.Certificate) {
			c.PermittedEmailAddresses = []string{"example.com"}
		})}, leafBy(inter, inKey, nil), in, true},
	}
	// A root with path length 0 cannot have an intermediate under it.
	zeroRoot := func() *x509.Certificate {
		tm := caTmpl("root", t0, t2)
		tm.MaxPathLen, tm.MaxPathLenZero = 0, true
		return mkCert(t, tm, nil, &rootKey.PublicKey, rootKey)
	}()
	zeroInter := func() *x509.Certificate {
		tm := caTmpl("intermediate", t0, t1)
		return mkCert(t, tm, zeroRoot, &inKey.PublicKey, rootKey)
	}()
	cases = append(cases, struct {
		name  string
		root  *x509.Certificate
		inter []*x509.Certificate
		leaf  *x509.Certificate
		at    time.Time
		ok    bool
	}{"root path length 0", zeroRoot, []*x509.Certificate{zeroInter}, leafBy(zeroInter, inKey, nil), in, false})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &root.FulcioCertificateAuthority{Root: c.root, Intermediates: c.inter}
			var stats batchCounters
			cc := newCachedCA(f, newChainCache(16), &stats)
			_, want := f.Verify(c.leaf, c.at)
			if (want == nil) != c.ok {
				t.Fatalf("crypto/x509: %v, want ok=%v", want, c.ok)
			}
			defer func() {
				// Valid chains without constraints take the fast path.
				if c.ok && !strings.Contains(c.name, "constraints") && stats.fallbacks.Load() != 0 {
					t.Errorf("valid chain fell back to crypto/x509 %d times", stats.fallbacks.Load())
				}
			}()
			for round := range 2 {
				chains, err := cc.Verify(c.leaf, c.at)
				if (err == nil) != c.ok {
					t.Errorf("round %d: batch %v, crypto/x509 %v", round, err, want)
				}
				if err == nil && (len(chains) == 0 || chains[0][0] != c.leaf || !chains[0][len(chains[0])-1].Equal(c.root)) {
					t.Errorf("round %d: chains %v", round, chains)
				}
			}
		})
	}
}

// TestChainCacheTime warms the cache at a time the intermediate is valid,
// then asks at a time it has expired: the cached chain must not be reused.
func TestChainCacheTime(t *testing.T) {
	rootKey, inKey, leafKey := p384Key(t), p384Key(t), p384Key(t)
	rootCert := mkCert(t, caTmpl("root", t0, t2), nil, &rootKey.PublicKey, rootKey)
	inter := mkCert(t, caTmpl("intermediate", t0, t1), rootCert, &inKey.PublicKey, rootKey)
	lt := leafTmpl(t0, t2) // outlives the intermediate
	leaf := mkCert(t, lt, inter, &leafKey.PublicKey, inKey)
	f := &root.FulcioCertificateAuthority{Root: rootCert, Intermediates: []*x509.Certificate{inter}}
	var stats batchCounters
	cc := newCachedCA(f, newChainCache(16), &stats)
	if _, err := cc.Verify(leaf, t0.AddDate(0, 6, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := cc.Verify(leaf, t1.AddDate(0, 1, 0)); err == nil {
		t.Fatal("verified after the intermediate expired")
	}
	if _, err := f.Verify(leaf, t1.AddDate(0, 1, 0)); err == nil {
		t.Fatal("crypto/x509 verified after the intermediate expired")
	}
	if stats.fallbacks.Load() != 1 {
		t.Errorf("fallbacks %d, want 1", stats.fallbacks.Load())
	}
}

// TestVerifyP384MatchesCryptoECDSA: the fast P-384 verification agrees with
// crypto/ecdsa on valid, malleated, tampered and malformed signatures.
func TestVerifyP384MatchesCryptoECDSA(t *testing.T) {
	for i := range 20 {
		k := p384Key(t)
		pt := newP384Point(&k.PublicKey)
		msg := []byte{byte(i), 'm'}
		for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
			d := h.New()
			d.Write(msg)
			digest := d.Sum(nil)
			sig, err := ecdsa.SignASN1(rand.Reader, k, digest)
			if err != nil {
				t.Fatal(err)
			}
			for name, s := range p384Variants(sig) {
				for _, dg := range [][]byte{digest, append([]byte{1}, digest[1:]...)} {
					if got, want := verifyP384(pt, dg, s), ecdsa.VerifyASN1(&k.PublicKey, dg, s); got != want {
						t.Errorf("%v %s: fast %v, crypto/ecdsa %v", h, name, got, want)
					}
				}
			}
		}
	}
	if newP384Point(&newKey(t).PublicKey) != nil {
		t.Error("P-256 key taken as P-384")
	}
}

// p384Variants derives signatures from a valid one: itself, high-s, a
// flipped bit, trailing data, a non-minimal integer, r = 0.
func p384Variants(sig []byte) map[string][]byte {
	var rs struct{ R, S *big.Int }
	_, _ = asn1Unmarshal(sig, &rs)
	n := elliptic.P384().Params().N
	enc := func(r, s *big.Int) []byte { b, _ := asn1Marshal(struct{ R, S *big.Int }{r, s}); return b }
	flipped := append([]byte(nil), sig...)
	flipped[len(flipped)-1] ^= 1
	nonMin := append([]byte{0x30, byte(len(sig) - 1)}, sig[2:]...)
	nonMin[3]++
	nonMin = append(nonMin[:4], append([]byte{0}, nonMin[4:]...)...)
	return map[string][]byte{
		"valid":    sig,
		"high-s":   enc(rs.R, new(big.Int).Sub(n, rs.S)),
		"flipped":  flipped,
		"trailing": append(append([]byte(nil), sig...), 0),
		"non-min":  nonMin,
		"r=0":      enc(big.NewInt(0), rs.S),
		"s=n":      enc(rs.R, n),
		"empty":    nil,
	}
}

func FuzzVerifyP384(f *testing.F) {
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	digest := sha512.Sum384([]byte("fuzz"))
	sig, _ := ecdsa.SignASN1(rand.Reader, k, digest[:])
	for _, v := range p384Variants(sig) {
		f.Add(v, digest[:])
	}
	pt := newP384Point(&k.PublicKey)
	f.Fuzz(func(t *testing.T, sig, digest []byte) {
		if got, want := verifyP384(pt, digest, sig), ecdsa.VerifyASN1(&k.PublicKey, digest, sig); got != want {
			t.Fatalf("fast %v, crypto/ecdsa %v", got, want)
		}
	})
}

func asn1Unmarshal(b []byte, v any) ([]byte, error) { return asn1.Unmarshal(b, v) }

func asn1Marshal(v any) ([]byte, error) { return asn1.Marshal(v) }
