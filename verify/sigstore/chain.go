package sigstore

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"sync"
	"time"

	"github.com/digitorus/pkcs7"
	"github.com/digitorus/timestamp"
	"github.com/sigstore/sigstore-go/pkg/root"
)

// chainCache remembers certificate chains crypto/x509 verified, keyed by
// the SHA-256 of every certificate's DER that went into the verification
// (the certificate, the roots, the intermediates) and the key usage asked.
// Whether a chain holds at a time depends, given those bytes, only on the
// certificates' validity windows, so a cached chain is reused at a time
// only when every certificate in it is valid then; otherwise crypto/x509
// verifies again.
type chainCache struct {
	max int
	mu  sync.RWMutex
	m   map[[32]byte][][]*x509.Certificate
}

func newChainCache(max int) *chainCache {
	return &chainCache{max: max, m: map[[32]byte][][]*x509.Certificate{}}
}

// verify returns the chains of leaf valid at t: from the cache, or from
// crypto/x509 with the options opts builds (and then cached).
func (c *chainCache) verify(key [32]byte, leaf *x509.Certificate, opts func() x509.VerifyOptions, t time.Time, stats *batchCounters) ([][]*x509.Certificate, error) {
	c.mu.RLock()
	cached := c.m[key]
	c.mu.RUnlock()
	var valid [][]*x509.Certificate
	for _, ch := range cached {
		if validAt(ch, t) {
			valid = append(valid, ch)
		}
	}
	if len(valid) > 0 {
		stats.chainHits.Add(1)
		return valid, nil
	}
	stats.chainMisses.Add(1)
	o := opts()
	o.CurrentTime = t
	chains, err := leaf.Verify(o)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if _, ok := c.m[key]; ok || len(c.m) < c.max {
		c.m[key] = chains
	}
	c.mu.Unlock()
	return chains, nil
}

// chainKey hashes what a chain verification depends on besides time.
func chainKey(usage x509.ExtKeyUsage, leaf *x509.Certificate, groups ...[]*x509.Certificate) [32]byte {
	h := sha256.New()
	var n [8]byte
	put := func(v uint64) {
		binary.BigEndian.PutUint64(n[:], v)
		h.Write(n[:])
	}
	put(uint64(usage))
	put(uint64(len(leaf.Raw)))
	h.Write(leaf.Raw)
	for _, g := range groups {
		put(uint64(len(g)))
		for _, c := range g {
			if c == nil {
				put(0)
				continue
			}
			put(uint64(len(c.Raw)))
			h.Write(c.Raw)
		}
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

func certPool(certs ...*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		if c != nil {
			p.AddCert(c)
		}
	}
	return p
}

var (
	oidNameConstraints     = asn1.ObjectIdentifier{2, 5, 29, 30}
	oidPolicyMappings      = asn1.ObjectIdentifier{2, 5, 29, 33}
	oidPolicyConstraints   = asn1.ObjectIdentifier{2, 5, 29, 36}
	oidInhibitAnyPolicy    = asn1.ObjectIdentifier{2, 5, 29, 54}
	oidExtendedKeyUsage    = asn1.ObjectIdentifier{2, 5, 29, 37}
	codeSigningUsage       = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}
	timeStampingUsage      = []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}
	errFastPathUnsupported = errors.New("not handled by the batch fast path")
)

// constrained reports a certificate carrying name or policy constraints:
// the fast path leaves such chains to crypto/x509 whole, as their effect
// depends on every certificate of the chain at once.
func constrained(c *x509.Certificate) bool {
	for _, e := range c.Extensions {
		switch {
		case e.Id.Equal(oidNameConstraints), e.Id.Equal(oidPolicyMappings),
			e.Id.Equal(oidPolicyConstraints), e.Id.Equal(oidInhibitAnyPolicy):
			return true
		}
	}
	return false
}

// cachedCA verifies Fulcio leaf certificates as root.FulcioCertificateAuthority
// does (crypto/x509 path validation to the CA's root through its
// intermediates, code-signing usage, at the observer time), splitting the
// chain in two: the leaf to its issuer, verified for every leaf, and the
// issuer up to the root, trusted material verified once and cached.
//
// The split is exact for chains without name or policy constraints:
// signatures, validity at the time, the issuer being a CA, path lengths
// (checked here for the longer chain) and nested extended key usages (one
// usage asked, so it holds for the whole chain if it holds for both parts)
// are what crypto/x509 checks. Any other case, and any failure, goes to
// the wrapped authority, whose answer is returned unchanged.
type cachedCA struct {
	inner   *root.FulcioCertificateAuthority
	cache   *chainCache
	stats   *batchCounters
	roots   *x509.CertPool
	inters  *x509.CertPool
	issuers []caIssuer
}

// caIssuer is a certificate of the CA that may issue leaves.
type caIssuer struct {
	cert   *x509.Certificate
	anchor *x509.CertPool // the issuer alone, as trust anchor for the leaf
	isRoot bool
	segKey [32]byte   // chain key of the issuer up to the root
	p384   *p384Point // the issuer's key when it is ECDSA P-384
}

func newCAIssuer(c *x509.Certificate, isRoot bool) caIssuer {
	is := caIssuer{cert: c, anchor: certPool(c), isRoot: isRoot}
	if pub, ok := c.PublicKey.(*ecdsa.PublicKey); ok && c.PublicKeyAlgorithm == x509.ECDSA && pub.Curve == elliptic.P384() {
		is.p384 = newP384Point(pub)
	}
	return is
}

var _ root.CertificateAuthority = (*cachedCA)(nil)

func newCachedCA(f *root.FulcioCertificateAuthority, cache *chainCache, stats *batchCounters) *cachedCA {
	c := &cachedCA{inner: f, cache: cache, stats: stats}
	if f.Root == nil {
		return c
	}
	c.roots = certPool(f.Root)
	c.inters = certPool(f.Intermediates...)
	c.issuers = append(c.issuers, newCAIssuer(f.Root, true))
	for _, i := range f.Intermediates {
		if i == nil {
			continue
		}
		is := newCAIssuer(i, bytes.Equal(i.Raw, f.Root.Raw))
		is.segKey = chainKey(x509.ExtKeyUsageCodeSigning, i, []*x509.Certificate{f.Root}, f.Intermediates)
		c.issuers = append(c.issuers, is)
	}
	return c
}

// Verify implements root.CertificateAuthority.
func (c *cachedCA) Verify(leaf *x509.Certificate, at time.Time) ([][]*x509.Certificate, error) {
	if err := c.outOfScope(leaf, at); err != nil {
		return nil, err
	}
	if chains := c.fast(leaf, at); len(chains) > 0 {
		return chains, nil
	}
	c.stats.fallbacks.Add(1)
	return c.inner.Verify(leaf, at)
}

// outOfScope answers, without any signature check, for a leaf this
// authority cannot have issued: the time is outside the authority's
// validity window (root.FulcioCertificateAuthority's own first checks), or
// no certificate of the authority has the leaf's issuer name (crypto/x509
// only tries parents by name, so it would find no chain).
func (c *cachedCA) outOfScope(leaf *x509.Certificate, at time.Time) error {
	ca := c.inner
	if !ca.ValidityPeriodStart.IsZero() && at.Before(ca.ValidityPeriodStart) {
		return errors.New("certificate is not valid yet")
	}
	if !ca.ValidityPeriodEnd.IsZero() && at.After(ca.ValidityPeriodEnd) {
		return errors.New("certificate is no longer valid")
	}
	if leaf == nil || len(c.issuers) == 0 {
		return nil // left to the wrapped authority
	}
	for _, is := range c.issuers {
		if bytes.Equal(is.cert.RawSubject, leaf.RawIssuer) {
			return nil
		}
	}
	return errors.New("x509: certificate signed by unknown authority")
}

func (c *cachedCA) fast(leaf *x509.Certificate, at time.Time) [][]*x509.Certificate {
	if leaf == nil || len(leaf.Raw) == 0 || len(leaf.UnhandledCriticalExtensions) > 0 ||
		at.IsZero() || len(c.issuers) == 0 || constrained(leaf) {
		return nil
	}
	var out [][]*x509.Certificate
	for _, is := range c.issuers {
		if !bytes.Equal(is.cert.RawSubject, leaf.RawIssuer) {
			continue
		}
		// The leaf's own part: its validity, its usage, its signature by
		// the issuer (what crypto/x509 checks of a chain leaf -> issuer).
		if !leafIssuedBy(leaf, is, at) {
			continue
		}
		segs := [][]*x509.Certificate{{is.cert}}
		if !is.isRoot {
			var err error
			segs, err = c.cache.verify(is.segKey, is.cert, func() x509.VerifyOptions {
				return x509.VerifyOptions{Roots: c.roots, Intermediates: c.inters, KeyUsages: codeSigningUsage}
			}, at, c.stats)
			if err != nil {
				continue
			}
		}
		for _, s := range segs {
			if segmentOK(s, is.isRoot) && !inChain(leaf, s) {
				out = append(out, append([]*x509.Certificate{leaf}, s...))
			}
		}
	}
	return out
}

// segmentOK checks, for the issuer-to-root part s of a leaf's chain, what
// crypto/x509 checks on the whole chain that the two parts did not: the
// issuer is a CA when it is an intermediate, and every certificate's path
// length allows the intermediates below it in the whole chain.
func segmentOK(s []*x509.Certificate, issuerIsRoot bool) bool {
	if !issuerIsRoot && (!s[0].BasicConstraintsValid || !s[0].IsCA) {
		return false
	}
	for j, c := range s {
		if constrained(c) {
			return false
		}
		// In the whole chain (leaf, s[0], s[1], ...) s[j] has j
		// intermediates below it.
		if c.BasicConstraintsValid && c.MaxPathLen >= 0 && j > c.MaxPathLen {
			return false
		}
	}
	return true
}

// leafIssuedBy checks leaf against its issuer as crypto/x509 does for the
// first link of a chain, for a code-signing leaf: both valid at t, both
// allowing code signing (nested extended key usage), the issuer allowed to
// sign certificates, and the leaf's signature. P-384 signatures (Fulcio's
// CAs) are verified with a faster implementation; the rest by crypto/x509.
func leafIssuedBy(leaf *x509.Certificate, is caIssuer, t time.Time) bool {
	issuer := is.cert
	if !bytes.Equal(leaf.RawIssuer, issuer.RawSubject) || !validAt([]*x509.Certificate{leaf, issuer}, t) ||
		!allowsUsage(leaf, x509.ExtKeyUsageCodeSigning) || !allowsUsage(issuer, x509.ExtKeyUsageCodeSigning) ||
		len(issuer.UnhandledCriticalExtensions) > 0 {
		return false
	}
	// CheckSignatureFrom's rules for the parent (RFC 5280 4.2.1.9, 4.2.1.3).
	if issuer.Version == 3 && !issuer.BasicConstraintsValid || issuer.BasicConstraintsValid && !issuer.IsCA {
		return false
	}
	if issuer.KeyUsage != 0 && issuer.KeyUsage&x509.KeyUsageCertSign == 0 {
		return false
	}
	if h := ecdsaHash(leaf.SignatureAlgorithm); h != 0 && is.p384 != nil {
		d := h.New()
		d.Write(leaf.RawTBSCertificate)
		return verifyP384(is.p384, d.Sum(nil), leaf.Signature)
	}
	return leaf.CheckSignatureFrom(issuer) == nil
}

func ecdsaHash(a x509.SignatureAlgorithm) crypto.Hash {
	switch a {
	case x509.ECDSAWithSHA256:
		return crypto.SHA256
	case x509.ECDSAWithSHA384:
		return crypto.SHA384
	case x509.ECDSAWithSHA512:
		return crypto.SHA512
	}
	return 0
}

// allowsUsage is crypto/x509's nested extended key usage rule for one
// usage: a certificate with no EKU, or with anyExtendedKeyUsage, or with
// the usage, allows it.
func allowsUsage(c *x509.Certificate, u x509.ExtKeyUsage) bool {
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return true
	}
	for _, e := range c.ExtKeyUsage {
		if e == u || e == x509.ExtKeyUsageAny {
			return true
		}
	}
	return false
}

// inChain reports a certificate of s with the leaf's subject and key:
// crypto/x509 never builds such a chain (it would loop), so neither may
// the fast path.
func inChain(leaf *x509.Certificate, s []*x509.Certificate) bool {
	for _, c := range s {
		if bytes.Equal(c.RawSubject, leaf.RawSubject) && bytes.Equal(c.RawSubjectPublicKeyInfo, leaf.RawSubjectPublicKeyInfo) {
			return true
		}
	}
	return false
}

// maxTSAPoolCerts bounds the certificates (trusted intermediates plus those
// the timestamp embeds) the fast path accepts when building a TSA chain;
// more go to the wrapped authority.
const maxTSAPoolCerts = 8

// cachedTSA verifies RFC 3161 timestamps as root.SigstoreTimestampingAuthority
// does (timestamp-authority's VerifyTimestampResponse, then the authority's
// validity window), with two savings: the token's signature is verified
// once (the library verifies it while parsing and again with the chain),
// and the signing certificate's chain to the TSA root is cached. The
// checks on the signing certificate and the message imprint are those of
// timestamp-authority v2 (pkg/verification/verify.go, Apache-2.0). Any
// failure goes to the wrapped authority, whose answer is returned
// unchanged.
type cachedTSA struct {
	inner *root.SigstoreTimestampingAuthority
	cache *chainCache
	stats *batchCounters
}

var _ root.TimestampingAuthority = (*cachedTSA)(nil)

func newCachedTSA(s *root.SigstoreTimestampingAuthority, cache *chainCache, stats *batchCounters) *cachedTSA {
	return &cachedTSA{inner: s, cache: cache, stats: stats}
}

// Verify implements root.TimestampingAuthority.
func (c *cachedTSA) Verify(signedTimestamp, signatureBytes []byte) (*root.Timestamp, error) {
	if ts, err := c.fast(signedTimestamp, signatureBytes); err == nil {
		return ts, nil
	}
	c.stats.fallbacks.Add(1)
	return c.inner.Verify(signedTimestamp, signatureBytes)
}

func (c *cachedTSA) fast(tsr, signed []byte) (*root.Timestamp, error) {
	tsa := c.inner
	if tsa.Root == nil {
		return nil, errFastPathUnsupported
	}
	// Parsing verifies the token's signature when it embeds certificates.
	ts, err := timestamp.ParseResponse(tsr)
	if err != nil {
		return nil, err
	}
	switch ts.HashAlgorithm {
	case crypto.SHA256, crypto.SHA384, crypto.SHA512:
	default:
		return nil, errFastPathUnsupported
	}
	p7, err := pkcs7.Parse(ts.RawToken)
	if err != nil {
		return nil, err
	}
	if len(p7.Certificates) == 0 {
		// Not verified while parsing: verify with the trusted TSA
		// certificate, as the library does.
		if p7.Certificates == nil {
			if tsa.Leaf == nil {
				return nil, errFastPathUnsupported
			}
			p7.Certificates = []*x509.Certificate{tsa.Leaf}
		}
		if err := p7.Verify(); err != nil {
			return nil, err
		}
	}
	signer := p7.GetOnlySigner()
	if signer == nil || (tsa.Leaf != nil && !tsa.Leaf.Equal(signer)) {
		return nil, errFastPathUnsupported
	}
	if len(tsa.Intermediates)+len(p7.Certificates) > maxTSAPoolCerts || ts.Time.IsZero() {
		return nil, errFastPathUnsupported
	}
	key := chainKey(x509.ExtKeyUsageTimeStamping, signer, []*x509.Certificate{tsa.Root}, tsa.Intermediates, p7.Certificates)
	chains, err := c.cache.verify(key, signer, func() x509.VerifyOptions {
		inter := certPool(tsa.Intermediates...)
		for _, ce := range p7.Certificates {
			if ce != nil {
				inter.AddCert(ce)
			}
		}
		return x509.VerifyOptions{Roots: certPool(tsa.Root), Intermediates: inter, KeyUsages: timeStampingUsage}
	}, ts.Time, c.stats)
	if err != nil {
		return nil, err
	}
	if err := tsaSignerOK(signer, chains, tsa.Leaf); err != nil {
		return nil, err
	}
	h := ts.HashAlgorithm.New()
	h.Write(signed)
	if !bytes.Equal(h.Sum(nil), ts.HashedMessage) {
		return nil, errors.New("hashed messages don't match")
	}
	if !tsa.ValidityPeriodStart.IsZero() && ts.Time.Before(tsa.ValidityPeriodStart) {
		return nil, errFastPathUnsupported
	}
	if !tsa.ValidityPeriodEnd.IsZero() && ts.Time.After(tsa.ValidityPeriodEnd) {
		return nil, errFastPathUnsupported
	}
	return &root.Timestamp{Time: ts.Time, URI: tsa.URI}, nil
}

// tsaSignerOK is timestamp-authority's verifyLeafCert (no common name or
// nonce expected): an end-entity certificate with a critical extended key
// usage of time stamping only, matching the trusted TSA certificate's
// issuer and serial, under intermediates that allow time stamping.
func tsaSignerOK(signer *x509.Certificate, chains [][]*x509.Certificate, trusted *x509.Certificate) error {
	if signer.IsCA {
		return errFastPathUnsupported
	}
	critical := false
	for _, e := range signer.Extensions {
		if e.Id.Equal(oidExtendedKeyUsage) {
			critical = e.Critical
			break
		}
	}
	if !critical {
		return errFastPathUnsupported
	}
	if trusted != nil && (!bytes.Equal(trusted.RawIssuer, signer.RawIssuer) || trusted.SerialNumber.Cmp(signer.SerialNumber) != 0) {
		return errFastPathUnsupported
	}
	if len(signer.ExtKeyUsage)+len(signer.UnknownExtKeyUsage) != 1 || len(signer.ExtKeyUsage) != 1 || signer.ExtKeyUsage[0] != x509.ExtKeyUsageTimeStamping {
		return errFastPathUnsupported
	}
	for _, chain := range chains {
		ok := true
		for i := 1; i < len(chain)-1; i++ {
			if !allowsTimeStamping(chain[i]) {
				ok = false
				break
			}
		}
		if ok {
			return nil
		}
	}
	return errFastPathUnsupported
}

func allowsTimeStamping(c *x509.Certificate) bool {
	if len(c.ExtKeyUsage) == 0 {
		return true
	}
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageTimeStamping || u == x509.ExtKeyUsageAny {
			return true
		}
	}
	return false
}
