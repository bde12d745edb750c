package bundle

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Signer signs a bundle's manifest; a dsse.SignerVerifier.
type Signer = dsse.SignerVerifier

// Verifier checks a bundle's signature with a public key.
type Verifier = dsse.Verifier

// oidMLDSA65 is id-ml-dsa-65 (NIST CSOR, FIPS 204).
var oidMLDSA65 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 18}

// maxKeyFile bounds a key file; ML-DSA-65 keys in PEM are under 10 KB.
const maxKeyFile = 1 << 20

// key is one signing or verifying key: ECDSA, Ed25519 or ML-DSA-65.
type key struct {
	priv  crypto.Signer       // ecdsa, ed25519
	mpriv *mldsa65.PrivateKey // ML-DSA-65
	pub   crypto.PublicKey
	id    string
	alg   string
}

// KeyID is the lower-case hex SHA-256 of the key's SubjectPublicKeyInfo.
func (k *key) KeyID() (string, error) { return k.id, nil }

func (k *key) Public() crypto.PublicKey { return k.pub }

// Algorithm names the key's algorithm: ECDSA-P256, Ed25519, ML-DSA-65, ...
func (k *key) Algorithm() string { return k.alg }

// Sign signs data (the DSSE pre-authentication encoding).
func (k *key) Sign(_ context.Context, data []byte) ([]byte, error) {
	switch {
	case k.mpriv != nil:
		sig := make([]byte, mldsa65.SignatureSize)
		if err := mldsa65.SignTo(k.mpriv, data, nil, true, sig); err != nil {
			return nil, err
		}
		return sig, nil
	case k.priv == nil:
		return nil, errors.New("public key cannot sign")
	}
	switch p := k.priv.(type) {
	case ed25519.PrivateKey:
		return ed25519.Sign(p, data), nil
	case *ecdsa.PrivateKey:
		h, digest := ecdsaHash(p.Curve, data)
		return ecdsa.SignASN1(rand.Reader, p, digest[:h.Size()])
	}
	return nil, fmt.Errorf("unsupported key type %T", k.priv)
}

// Verify checks sig over data.
func (k *key) Verify(_ context.Context, data, sig []byte) error {
	ok := false
	switch p := k.pub.(type) {
	case *mldsa65.PublicKey:
		ok = mldsa65.Verify(p, data, nil, sig)
	case ed25519.PublicKey:
		ok = ed25519.Verify(p, data, sig)
	case *ecdsa.PublicKey:
		h, digest := ecdsaHash(p.Curve, data)
		ok = ecdsa.VerifyASN1(p, digest[:h.Size()], sig)
	default:
		return fmt.Errorf("unsupported public key type %T", k.pub)
	}
	if !ok {
		return errors.New("signature does not verify")
	}
	return nil
}

// ecdsaHash picks the hash that matches the curve (P-256/SHA-256,
// P-384/SHA-384, P-521/SHA-512).
func ecdsaHash(c elliptic.Curve, data []byte) (crypto.Hash, []byte) {
	switch c.Params().BitSize {
	case 384:
		s := sha512.Sum384(data)
		return crypto.SHA384, s[:]
	case 521:
		s := sha512.Sum512(data)
		return crypto.SHA512, s[:]
	}
	s := sha256.Sum256(data)
	return crypto.SHA256, s[:]
}

func newKey(pub crypto.PublicKey) (*key, error) {
	der, err := marshalSPKI(pub)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(der)
	k := &key{pub: pub, id: hex.EncodeToString(sum[:])}
	switch p := pub.(type) {
	case *mldsa65.PublicKey:
		k.alg = "ML-DSA-65"
	case ed25519.PublicKey:
		k.alg = "Ed25519"
	case *ecdsa.PublicKey:
		k.alg = "ECDSA-" + p.Curve.Params().Name
	}
	return k, nil
}

func marshalSPKI(pub crypto.PublicKey) ([]byte, error) {
	if p, ok := pub.(*mldsa65.PublicKey); ok {
		raw, err := p.MarshalBinary()
		if err != nil {
			return nil, err
		}
		return asn1.Marshal(spki{Algorithm: pkix.AlgorithmIdentifier{Algorithm: oidMLDSA65}, PublicKey: asn1.BitString{Bytes: raw, BitLength: 8 * len(raw)}})
	}
	return x509.MarshalPKIXPublicKey(pub)
}

type spki struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

// LoadSigner reads a PEM private key (PKCS #8; "EC PRIVATE KEY" too):
// ECDSA P-256/P-384/P-521, Ed25519 or ML-DSA-65.
func LoadSigner(path string) (Signer, error) {
	b, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	s, err := ParseSigner(b)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	return s, nil
}

// ParseSigner parses a PEM private key.
func ParseSigner(pemBytes []byte) (Signer, error) {
	blk, _ := pem.Decode(pemBytes)
	if blk == nil {
		return nil, errors.New("no PEM block found")
	}
	switch blk.Type {
	case "EC PRIVATE KEY":
		p, err := x509.ParseECPrivateKey(blk.Bytes)
		if err != nil {
			return nil, err
		}
		k, err := newKey(&p.PublicKey)
		if err != nil {
			return nil, err
		}
		k.priv = p
		return k, nil
	case "PRIVATE KEY":
	default:
		return nil, fmt.Errorf("PEM block %q is not a private key (want PRIVATE KEY)", blk.Type)
	}
	if sk, err := parseMLDSAPrivate(blk.Bytes); err == nil {
		k, err := newKey(sk.Public())
		if err != nil {
			return nil, err
		}
		k.mpriv = sk
		return k, nil
	} else if !errors.Is(err, errNotMLDSA) {
		return nil, err
	}
	p, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	var pub crypto.PublicKey
	switch p := p.(type) {
	case *ecdsa.PrivateKey:
		pub = &p.PublicKey
	case ed25519.PrivateKey:
		pub = p.Public()
	default:
		return nil, fmt.Errorf("unsupported key type %T (want ECDSA, Ed25519 or ML-DSA-65)", p)
	}
	k, err := newKey(pub)
	if err != nil {
		return nil, err
	}
	k.priv = p.(crypto.Signer)
	return k, nil
}

// LoadVerifier reads a PEM public key (SubjectPublicKeyInfo): ECDSA,
// Ed25519 or ML-DSA-65.
func LoadVerifier(path string) (Verifier, error) {
	b, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	v, err := ParseVerifier(b)
	if err != nil {
		return nil, fmt.Errorf("public key %s: %w", path, err)
	}
	return v, nil
}

// ParseVerifier parses a PEM public key. A private key is accepted too, and
// its public half used.
func ParseVerifier(pemBytes []byte) (Verifier, error) {
	blk, _ := pem.Decode(pemBytes)
	if blk == nil {
		return nil, errors.New("no PEM block found")
	}
	if blk.Type != "PUBLIC KEY" {
		s, err := ParseSigner(pemBytes)
		if err != nil {
			return nil, fmt.Errorf("PEM block %q is not a public key: %w", blk.Type, err)
		}
		k := *(s.(*key))
		k.priv, k.mpriv = nil, nil
		return &k, nil
	}
	var info spki
	if rest, err := asn1.Unmarshal(blk.Bytes, &info); err == nil && len(rest) == 0 && info.Algorithm.Algorithm.Equal(oidMLDSA65) {
		if len(info.PublicKey.Bytes) != mldsa65.PublicKeySize {
			return nil, fmt.Errorf("ML-DSA-65 public key is %d bytes, want %d", len(info.PublicKey.Bytes), mldsa65.PublicKeySize)
		}
		var pk mldsa65.PublicKey
		if err := pk.UnmarshalBinary(info.PublicKey.Bytes); err != nil {
			return nil, err
		}
		return newKey(&pk)
	}
	pub, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	switch pub.(type) {
	case *ecdsa.PublicKey, ed25519.PublicKey:
		return newKey(pub)
	}
	return nil, fmt.Errorf("unsupported public key type %T (want ECDSA, Ed25519 or ML-DSA-65)", pub)
}

func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, maxKeyFile+1)
	n, err := readFull(f, b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if n > maxKeyFile {
		return nil, fmt.Errorf("%s: more than %d bytes, not a key file", path, maxKeyFile)
	}
	return b[:n], nil
}

var errNotMLDSA = errors.New("not an ML-DSA-65 key")

// parseMLDSAPrivate parses a PKCS #8 ML-DSA-65 private key in any of the
// three forms of the IETF LAMPS profile: the 32-byte seed ([0] IMPLICIT),
// the expanded key (OCTET STRING), or both (SEQUENCE).
func parseMLDSAPrivate(der []byte) (*mldsa65.PrivateKey, error) {
	in := cryptobyte.String(der)
	var p8, alg, priv cryptobyte.String
	var version int
	var oid asn1.ObjectIdentifier
	if !in.ReadASN1(&p8, cbasn1.SEQUENCE) || !in.Empty() ||
		!p8.ReadASN1Integer(&version) ||
		!p8.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) {
		return nil, errNotMLDSA
	}
	if !oid.Equal(oidMLDSA65) {
		return nil, errNotMLDSA
	}
	if !p8.ReadASN1(&priv, cbasn1.OCTET_STRING) {
		return nil, errors.New("ML-DSA-65 key: malformed PKCS #8 privateKey")
	}
	var seed, expanded cryptobyte.String
	switch {
	case priv.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific()):
		if !priv.ReadASN1(&seed, cbasn1.Tag(0).ContextSpecific()) {
			return nil, errors.New("ML-DSA-65 key: malformed seed")
		}
	case priv.PeekASN1Tag(cbasn1.OCTET_STRING):
		if !priv.ReadASN1(&expanded, cbasn1.OCTET_STRING) {
			return nil, errors.New("ML-DSA-65 key: malformed expanded key")
		}
	case priv.PeekASN1Tag(cbasn1.SEQUENCE):
		var both cryptobyte.String
		if !priv.ReadASN1(&both, cbasn1.SEQUENCE) || !both.ReadASN1(&seed, cbasn1.OCTET_STRING) || !both.ReadASN1(&expanded, cbasn1.OCTET_STRING) {
			return nil, errors.New("ML-DSA-65 key: malformed seed and expanded key")
		}
	default:
		return nil, errors.New("ML-DSA-65 key: unknown private key form")
	}
	if len(seed) > 0 {
		if len(seed) != mldsa65.SeedSize {
			return nil, fmt.Errorf("ML-DSA-65 seed is %d bytes, want %d", len(seed), mldsa65.SeedSize)
		}
		var s [mldsa65.SeedSize]byte
		copy(s[:], seed)
		_, sk := mldsa65.NewKeyFromSeed(&s)
		if len(expanded) > 0 {
			packed, _ := sk.MarshalBinary()
			if string(packed) != string(expanded) {
				return nil, errors.New("ML-DSA-65 key: seed and expanded key disagree")
			}
		}
		return sk, nil
	}
	if len(expanded) != mldsa65.PrivateKeySize {
		return nil, fmt.Errorf("ML-DSA-65 expanded key is %d bytes, want %d", len(expanded), mldsa65.PrivateKeySize)
	}
	var sk mldsa65.PrivateKey
	if err := sk.UnmarshalBinary(expanded); err != nil {
		return nil, err
	}
	return &sk, nil
}

// MarshalMLDSA65PrivateKey writes an ML-DSA-65 private key as PKCS #8 in
// the seed form, PEM-encoded.
func MarshalMLDSA65PrivateKey(seed [mldsa65.SeedSize]byte) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(0)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidMLDSA65) })
		b.AddASN1(cbasn1.OCTET_STRING, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(seed[:]) })
		})
	})
	der := b.BytesOrPanic()
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// MarshalPublicKey writes a public key (ECDSA, Ed25519, ML-DSA-65) as PEM.
func MarshalPublicKey(pub crypto.PublicKey) ([]byte, error) {
	der, err := marshalSPKI(pub)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}
