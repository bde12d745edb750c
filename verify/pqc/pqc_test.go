package pqc

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"
)

// seeded is a deterministic byte stream for test keys.
type seeded struct {
	state [32]byte
	buf   []byte
}

func newSeeded(s string) *seeded { return &seeded{state: sha256.Sum256([]byte(s))} }

func (r *seeded) Read(p []byte) (int, error) {
	for n := 0; n < len(p); {
		if len(r.buf) == 0 {
			r.state = sha256.Sum256(r.state[:])
			r.buf = append(r.buf[:0], r.state[:]...)
		}
		c := copy(p[n:], r.buf)
		r.buf = r.buf[c:]
		n += c
	}
	return len(p), nil
}

func key(t testing.TB, name string) *PrivateKey {
	t.Helper()
	alg, err := AlgorithmByName(name)
	if err != nil {
		t.Fatal(err)
	}
	k, err := GenerateKey(alg, newSeeded(name))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestAlgorithmTable(t *testing.T) {
	seen := map[string]bool{}
	for i, a := range Algorithms {
		if seen[a.OID.String()] {
			t.Errorf("duplicate OID %s", a.OID)
		}
		seen[a.OID.String()] = true
		if want := 17 + i; a.OID[len(a.OID)-1] != want {
			t.Errorf("%s: OID %s, want arc %d", a.Name, a.OID, want)
		}
		if a.Family == SLHDSA && a.slh.String() != a.Name {
			t.Errorf("%s mapped to circl parameter set %s", a.Name, a.slh)
		}
	}
	if len(Algorithms) != 15 {
		t.Errorf("%d algorithms, want 3 ML-DSA + 12 SLH-DSA", len(Algorithms))
	}
}

// TestSignVerifyAll signs and verifies with every parameter set, and
// tampers with message, signature, context and key. Under -short or the
// race detector only the two SLH-DSA-128f sets run (the others are the same
// code with other constants, and cost seconds each there); a plain
// `go test` runs all twelve.
func TestSignVerifyAll(t *testing.T) {
	msg := []byte("pedigree-demo_1.0.0_linux_amd64.tar.gz")
	for _, a := range Algorithms {
		t.Run(a.Name, func(t *testing.T) {
			t.Parallel()
			if (testing.Short() || raceEnabled) && a.Family == SLHDSA && !strings.HasSuffix(a.Name, "128f") {
				t.Skip("slow SLH-DSA parameter set skipped under -short or -race; covered by a plain go test")
			}
			k := key(t, a.Name)
			sig, err := k.Sign(msg, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(sig) != a.SignatureSize || len(k.Public().Raw) != a.PublicKeySize {
				t.Fatalf("sizes: sig %d pk %d", len(sig), len(k.Public().Raw))
			}
			pub, err := ParsePEM(k.Public().MarshalPEM())
			if err != nil || !pub.Equal(k.Public()) {
				t.Fatalf("PEM round trip: %v", err)
			}
			if err := pub.Verify(msg, sig, nil); err != nil {
				t.Fatalf("verify: %v", err)
			}
			bad := bytes.Clone(sig)
			bad[len(bad)/2] ^= 1
			for name, err := range map[string]error{
				"other message": pub.Verify(append(bytes.Clone(msg), '!'), sig, nil),
				"flipped bit":   pub.Verify(msg, bad, nil),
				"context":       pub.Verify(msg, sig, []byte("ctx")),
				"truncated":     pub.Verify(msg, sig[:len(sig)-1], nil),
			} {
				if !errors.Is(err, ErrVerification) {
					t.Errorf("%s: got %v, want ErrVerification", name, err)
				}
			}
		})
	}
}

func TestKeyTypeMismatch(t *testing.T) {
	k44, k65 := key(t, "ML-DSA-44"), key(t, "ML-DSA-65")
	sig, _ := k65.Sign([]byte("m"), nil)
	// A 65 signature checked with a 44 key must fail, not panic.
	if err := k44.Public().Verify([]byte("m"), sig, nil); err == nil {
		t.Fatal("ML-DSA-65 signature verified with an ML-DSA-44 key")
	}
	slh := key(t, "SLH-DSA-SHAKE-128f")
	// The same public-key bytes under another parameter set of equal size.
	other, err := NewPublicKey(Algorithms[3], slh.Public().Raw) // SLH-DSA-SHA2-128s
	if err != nil {
		t.Fatal(err)
	}
	ssig, _ := slh.Sign([]byte("m"), nil)
	if err := other.Verify([]byte("m"), ssig, nil); err == nil {
		t.Fatal("verified under the wrong parameter set")
	}
}

func TestParseSPKIBad(t *testing.T) {
	good := key(t, "ML-DSA-65").Public().MarshalSPKI()
	withParams := func() []byte {
		// AlgorithmIdentifier with NULL parameters.
		b, _ := asn1.Marshal(struct {
			Alg struct {
				O asn1.ObjectIdentifier
				N asn1.RawValue
			}
			K asn1.BitString
		}{Alg: struct {
			O asn1.ObjectIdentifier
			N asn1.RawValue
		}{Algorithms[1].OID, asn1.RawValue{Tag: 5}}, K: asn1.BitString{Bytes: make([]byte, 1952), BitLength: 1952 * 8}})
		return b
	}()
	tests := map[string]struct {
		der  []byte
		want error
	}{
		"empty":       {nil, ErrMalformed},
		"truncated":   {good[:100], ErrMalformed},
		"trailing":    {append(bytes.Clone(good), 0), ErrMalformed},
		"short key":   {(&PublicKey{Algorithm: Algorithms[1], Raw: make([]byte, 10)}).MarshalSPKI(), ErrMalformed},
		"params":      {withParams, ErrMalformed},
		"ed25519":     {mustHex("302a300506032b6570032100" + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), ErrUnknownAlgorithm},
		"huge":        {make([]byte, MaxSPKISize+1), ErrMalformed},
		"not der":     {[]byte("-----BEGIN PUBLIC KEY-----"), ErrMalformed},
		"unused bits": {append(append([]byte{}, good[:len(good)-1]...), good[len(good)-1]), nil},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParseSPKI(tt.der)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func mustHex(s string) []byte {
	b := make([]byte, len(s)/2)
	for i := range b {
		var v byte
		for _, c := range s[2*i : 2*i+2] {
			v <<= 4
			switch {
			case c >= '0' && c <= '9':
				v |= byte(c - '0')
			case c >= 'a' && c <= 'f':
				v |= byte(c-'a') + 10
			}
		}
		b[i] = v
	}
	return b
}

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func mkcert(t testing.TB, cn string, pub *PublicKey, parent *Certificate, signer *PrivateKey, ca bool, extra ...pkix.Extension) *Certificate {
	t.Helper()
	tmpl := &Template{
		SerialNumber: big.NewInt(int64(len(cn))), Subject: pkix.Name{CommonName: cn, Organization: []string{"pedigree test"}},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: now.Add(365 * 24 * time.Hour), IsCA: ca, ExtraExtensions: extra,
	}
	if ca {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	}
	der, err := CreateCertificate(tmpl, pub, parent, signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCertificateChain(t *testing.T) {
	rootKey := key(t, "ML-DSA-87")
	interKey := key(t, "SLH-DSA-SHA2-128f")
	leafKey := key(t, "ML-DSA-65")
	otherKey := key(t, "ML-DSA-87")
	otherKey2, _ := GenerateKey(Algorithms[2], newSeeded("other"))
	_ = otherKey

	root := mkcert(t, "Root CA", rootKey.Public(), nil, rootKey, true)
	inter := mkcert(t, "Intermediate CA", interKey.Public(), root, rootKey, true)
	leaf := mkcert(t, "release signing", leafKey.Public(), inter, interKey, false)

	if leaf.PublicKey == nil || leaf.PublicKey.Algorithm.Name != "ML-DSA-65" || leaf.SignatureAlgorithmName() != "SLH-DSA-SHA2-128f" {
		t.Fatalf("leaf parsed as key %v, signature %s", leaf.PublicKey, leaf.SignatureAlgorithmName())
	}
	if leaf.X509.PublicKey != nil {
		t.Fatalf("crypto/x509 now parses PQC keys (%T): revisit this package", leaf.X509.PublicKey)
	}
	chain, err := VerifyChain(leaf, []*Certificate{inter}, []*Certificate{root}, now)
	if err != nil || len(chain) != 3 {
		t.Fatalf("chain: %d, %v", len(chain), err)
	}

	// A look-alike root (same name, other key) must not verify.
	fakeRoot := mkcert(t, "Root CA", otherKey2.Public(), nil, otherKey2, true)
	if _, err := VerifyChain(leaf, []*Certificate{inter}, []*Certificate{fakeRoot}, now); err == nil {
		t.Fatal("verified against a look-alike root")
	}
	// Intermediate signed by the fake root under the real name.
	forged := mkcert(t, "Intermediate CA", interKey.Public(), fakeRoot, otherKey2, true)
	if _, err := VerifyChain(leaf, []*Certificate{forged}, []*Certificate{root}, now); err == nil {
		t.Fatal("verified through a forged intermediate")
	}
	// Tampered TBS.
	der := bytes.Clone(leaf.X509.Raw)
	i := bytes.Index(der, []byte("release signing"))
	der[i] = 'R'
	tampered, err := ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := tampered.CheckSignatureFrom(inter); !errors.Is(err, ErrVerification) {
		t.Fatalf("tampered: got %v", err)
	}
	// Expired at verification time.
	if _, err := VerifyChain(leaf, []*Certificate{inter}, []*Certificate{root}, now.Add(2*365*24*time.Hour)); !errors.Is(err, ErrCertValidity) {
		t.Fatalf("expired: got %v", err)
	}
	// A leaf cannot issue.
	sub := mkcert(t, "sub", leafKey.Public(), leaf, leafKey, false)
	if err := sub.CheckSignatureFrom(leaf); !errors.Is(err, ErrIssuer) {
		t.Fatalf("leaf as issuer: got %v", err)
	}
	// Unknown critical extension.
	crit := mkcert(t, "crit", leafKey.Public(), inter, interKey, false, pkix.Extension{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{5, 0}})
	if _, err := VerifyChain(crit, []*Certificate{inter}, []*Certificate{root}, now); !errors.Is(err, ErrCriticalExt) {
		t.Fatalf("critical extension: got %v", err)
	}
	// Bogus extension value that crypto/x509 rejects (basic constraints not
	// a SEQUENCE): a parse error, not a pass.
	tmpl := &Template{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "bogus"}, NotBefore: now, NotAfter: now.Add(time.Hour),
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 17}, Value: []byte{0xff, 0xff}}}}
	bogus, err := CreateCertificate(tmpl, leafKey.Public(), inter, interKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseCertificate(bogus); !errors.Is(err, ErrMalformed) {
		t.Fatalf("bogus SAN: got %v", err)
	}
}

func TestDecodeSignature(t *testing.T) {
	a := Algorithms[1]
	raw := make([]byte, a.SignatureSize)
	raw[0] = 7
	for _, in := range [][]byte{raw, []byte(" " + b64(raw) + "\n")} {
		got, err := DecodeSignature(a, in)
		if err != nil || !bytes.Equal(got, raw) {
			t.Errorf("DecodeSignature: %v", err)
		}
	}
	if _, err := DecodeSignature(a, []byte("short")); err == nil {
		t.Error("short input decoded")
	}
}
