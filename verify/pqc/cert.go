package pqc

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Certificate errors callers branch on.
var (
	ErrNotPQC        = errors.New("certificate is not signed with ML-DSA or SLH-DSA")
	ErrIssuer        = errors.New("issuer does not match")
	ErrCertValidity  = errors.New("certificate not valid at the verification time")
	ErrCriticalExt   = errors.New("unhandled critical extension")
	ErrNoChain       = errors.New("no chain to a trusted root")
	maxChainDepth    = 8
	maxCertificateSz = 1 << 20
)

// Certificate is an X.509 certificate whose key or signature may be
// post-quantum: crypto/x509 parses the rest, this type adds what it leaves
// out.
type Certificate struct {
	X509 *x509.Certificate
	// SignatureAlgorithm is the OID of the issuer's signature (outer
	// AlgorithmIdentifier, equal to the TBS one: crypto/x509 checks that).
	SignatureAlgorithm asn1.ObjectIdentifier
	// PublicKey is the subject's key when it is ML-DSA or SLH-DSA, else nil
	// (then X509.PublicKey holds a classical key).
	PublicKey *PublicKey
}

// SignatureAlgorithmName names the signature algorithm (ML-DSA-65,
// ECDSA-SHA256, or the OID).
func (c *Certificate) SignatureAlgorithmName() string {
	if a, ok := AlgorithmByOID(c.SignatureAlgorithm); ok {
		return a.Name
	}
	if c.X509.SignatureAlgorithm != x509.UnknownSignatureAlgorithm {
		return c.X509.SignatureAlgorithm.String()
	}
	return c.SignatureAlgorithm.String()
}

// ParseCertificate parses one DER certificate.
func ParseCertificate(der []byte) (*Certificate, error) {
	if len(der) > maxCertificateSz {
		return nil, fmt.Errorf("%w: certificate is %d bytes", ErrMalformed, len(der))
	}
	xc, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	c := &Certificate{X509: xc}
	input := cryptobyte.String(der)
	var cert, algID cryptobyte.String
	if !input.ReadASN1(&cert, cbasn1.SEQUENCE) || !cert.SkipASN1(cbasn1.SEQUENCE) ||
		!cert.ReadASN1(&algID, cbasn1.SEQUENCE) || !algID.ReadASN1ObjectIdentifier(&c.SignatureAlgorithm) {
		return nil, fmt.Errorf("%w: certificate signature algorithm", ErrMalformed)
	}
	if a, ok := AlgorithmByOID(c.SignatureAlgorithm); ok && !algID.Empty() {
		return nil, fmt.Errorf("%w: %s signature algorithm parameters must be absent", ErrMalformed, a.Name)
	}
	if xc.PublicKeyAlgorithm == x509.UnknownPublicKeyAlgorithm {
		pk, err := ParseSPKI(xc.RawSubjectPublicKeyInfo)
		switch {
		case err == nil:
			c.PublicKey = pk
		case errors.Is(err, ErrUnknownAlgorithm):
		default:
			return nil, err
		}
	}
	return c, nil
}

// ParseCertificatesPEM reads every CERTIFICATE block of b (or b as one DER
// certificate).
func ParseCertificatesPEM(b []byte) ([]*Certificate, error) {
	var out []*Certificate
	rest := b
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %w", len(out)+1, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 && len(b) > 0 && b[0] == 0x30 {
		c, err := ParseCertificate(b)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no CERTIFICATE PEM block", ErrMalformed)
	}
	return out, nil
}

// CheckSignatureFrom verifies that issuer signed c: names chain, the issuer
// may sign certificates, and the TBS signature verifies with the issuer's
// ML-DSA or SLH-DSA key (or, for a classical signature, with crypto/x509).
func (c *Certificate) CheckSignatureFrom(issuer *Certificate) error {
	if !bytes.Equal(c.X509.RawIssuer, issuer.X509.RawSubject) {
		return fmt.Errorf("%w: certificate issuer %q, candidate subject %q", ErrIssuer, c.X509.Issuer, issuer.X509.Subject)
	}
	self := bytes.Equal(c.X509.Raw, issuer.X509.Raw)
	if !self && (!issuer.X509.BasicConstraintsValid || !issuer.X509.IsCA) {
		return fmt.Errorf("%w: %q is not a CA", ErrIssuer, issuer.X509.Subject)
	}
	if issuer.X509.KeyUsage != 0 && issuer.X509.KeyUsage&x509.KeyUsageCertSign == 0 {
		return fmt.Errorf("%w: %q may not sign certificates (key usage)", ErrIssuer, issuer.X509.Subject)
	}
	alg, ok := AlgorithmByOID(c.SignatureAlgorithm)
	if !ok {
		if issuer.PublicKey != nil {
			return fmt.Errorf("%w: issuer key is %s but the signature is %s", ErrVerification, issuer.PublicKey.Algorithm.Name, c.SignatureAlgorithmName())
		}
		if err := c.X509.CheckSignatureFrom(issuer.X509); err != nil {
			return fmt.Errorf("%w: %v", ErrVerification, err)
		}
		return nil
	}
	if issuer.PublicKey == nil {
		return fmt.Errorf("%w: signature is %s but the issuer key is %s", ErrVerification, alg.Name, issuer.X509.PublicKeyAlgorithm)
	}
	if issuer.PublicKey.Algorithm != alg {
		return fmt.Errorf("%w: signature is %s but the issuer key is %s", ErrVerification, alg.Name, issuer.PublicKey.Algorithm.Name)
	}
	if err := issuer.PublicKey.Verify(c.X509.RawTBSCertificate, c.X509.Signature, nil); err != nil {
		return fmt.Errorf("certificate %q: %w", c.X509.Subject, err)
	}
	return nil
}

// checkAt refuses a certificate outside its validity window or with a
// critical extension nobody handles.
func (c *Certificate) checkAt(at time.Time) error {
	if at.Before(c.X509.NotBefore) || at.After(c.X509.NotAfter) {
		return fmt.Errorf("%w: %q valid %s to %s, checked at %s", ErrCertValidity, c.X509.Subject,
			c.X509.NotBefore.UTC().Format(time.RFC3339), c.X509.NotAfter.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
	}
	if len(c.X509.UnhandledCriticalExtensions) > 0 {
		return fmt.Errorf("%w: %s in %q", ErrCriticalExt, c.X509.UnhandledCriticalExtensions[0], c.X509.Subject)
	}
	return nil
}

// VerifyChain builds a chain from leaf through intermediates to one of
// roots, every certificate valid at at, and returns it leaf first.
func VerifyChain(leaf *Certificate, intermediates, roots []*Certificate, at time.Time) ([]*Certificate, error) {
	if err := leaf.checkAt(at); err != nil {
		return nil, err
	}
	var lastErr error
	var walk func(c *Certificate, chain []*Certificate) []*Certificate
	walk = func(c *Certificate, chain []*Certificate) []*Certificate {
		if len(chain) > maxChainDepth {
			lastErr = fmt.Errorf("%w: chain longer than %d", ErrNoChain, maxChainDepth)
			return nil
		}
		for _, r := range roots {
			if !bytes.Equal(c.X509.RawIssuer, r.X509.RawSubject) {
				continue
			}
			if err := r.checkAt(at); err != nil {
				lastErr = err
				continue
			}
			if err := c.CheckSignatureFrom(r); err != nil {
				lastErr = err
				continue
			}
			if bytes.Equal(c.X509.Raw, r.X509.Raw) {
				return chain
			}
			return append(chain, r)
		}
		for _, in := range intermediates {
			if bytes.Equal(c.X509.Raw, in.X509.Raw) || !bytes.Equal(c.X509.RawIssuer, in.X509.RawSubject) {
				continue
			}
			if err := in.checkAt(at); err != nil {
				lastErr = err
				continue
			}
			if err := c.CheckSignatureFrom(in); err != nil {
				lastErr = err
				continue
			}
			if got := walk(in, append(chain, in)); got != nil {
				return got
			}
		}
		return nil
	}
	chain := walk(leaf, []*Certificate{leaf})
	if chain == nil {
		if lastErr != nil {
			return nil, lastErr
		}
		return nil, fmt.Errorf("%w: no root names issuer %q", ErrNoChain, leaf.X509.Issuer)
	}
	return chain, nil
}

// Template holds what CreateCertificate puts in a certificate.
type Template struct {
	SerialNumber        *big.Int
	Subject             pkix.Name
	NotBefore, NotAfter time.Time
	IsCA                bool
	KeyUsage            x509.KeyUsage
	// ExtraExtensions are added as they are (tests use them for bogus ones).
	ExtraExtensions []pkix.Extension
}

// CreateCertificate makes a DER X.509 v3 certificate for pub, signed by
// signer with the signer's ML-DSA or SLH-DSA algorithm. A nil parent makes
// it self-signed. crypto/x509.CreateCertificate cannot do this: it refuses
// keys it does not know.
func CreateCertificate(tmpl *Template, pub *PublicKey, parent *Certificate, signer *PrivateKey) ([]byte, error) {
	subject, err := asn1.Marshal(tmpl.Subject.ToRDNSequence())
	if err != nil {
		return nil, err
	}
	issuer := subject
	if parent != nil {
		issuer = parent.X509.RawSubject
	}
	var exts []pkix.Extension
	bc := struct {
		IsCA bool `asn1:"optional"`
	}{tmpl.IsCA}
	bcDER, err := asn1.Marshal(bc)
	if err != nil {
		return nil, err
	}
	exts = append(exts, pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 19}, Critical: true, Value: bcDER})
	if tmpl.KeyUsage != 0 {
		ku, err := marshalKeyUsage(tmpl.KeyUsage)
		if err != nil {
			return nil, err
		}
		exts = append(exts, pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 15}, Critical: true, Value: ku})
	}
	exts = append(exts, tmpl.ExtraExtensions...)
	extDER, err := asn1.Marshal(exts)
	if err != nil {
		return nil, err
	}
	sigAlg := signer.Public().Algorithm.OID
	var tbs cryptobyte.Builder
	tbs.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { b.AddASN1Int64(2) })
		b.AddASN1BigInt(tmpl.SerialNumber)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(sigAlg) })
		b.AddBytes(issuer)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			addTime(b, tmpl.NotBefore)
			addTime(b, tmpl.NotAfter)
		})
		b.AddBytes(subject)
		b.AddBytes(pub.MarshalSPKI())
		b.AddASN1(cbasn1.Tag(3).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(extDER) })
	})
	tbsDER, err := tbs.Bytes()
	if err != nil {
		return nil, err
	}
	sig, err := signer.Sign(tbsDER, nil)
	if err != nil {
		return nil, err
	}
	var cert cryptobyte.Builder
	cert.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbsDER)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(sigAlg) })
		b.AddASN1BitString(sig)
	})
	return cert.Bytes()
}

// addTime writes UTCTime through 2049 and GeneralizedTime after (RFC 5280
// section 4.1.2.5).
func addTime(b *cryptobyte.Builder, t time.Time) {
	t = t.UTC().Truncate(time.Second)
	if t.Year() < 2050 {
		b.AddASN1UTCTime(t)
	} else {
		b.AddASN1GeneralizedTime(t)
	}
}

func marshalKeyUsage(ku x509.KeyUsage) ([]byte, error) {
	var a [2]byte
	a[0] = reverseBits(byte(ku))
	a[1] = reverseBits(byte(ku >> 8))
	n := 1
	if a[1] != 0 {
		n = 2
	}
	bs := a[:n]
	bitLen := n * 8
	for i := n - 1; i >= 0 && bitLen > 0; i-- {
		for j := 0; j < 8; j++ {
			if bs[i]>>uint(j)&1 == 1 {
				return asn1.Marshal(asn1.BitString{Bytes: bs, BitLength: bitLen})
			}
			bitLen--
		}
	}
	return asn1.Marshal(asn1.BitString{Bytes: bs, BitLength: bitLen})
}

func reverseBits(b byte) byte {
	var r byte
	for i := 0; i < 8; i++ {
		r = r<<1 | b&1
		b >>= 1
	}
	return r
}
