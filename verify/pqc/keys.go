package pqc

import (
	"bytes"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"
	"github.com/cloudflare/circl/sign/slhdsa"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Sentinel errors callers branch on.
var (
	ErrUnknownAlgorithm = errors.New("not an ML-DSA or SLH-DSA algorithm")
	ErrMalformed        = errors.New("malformed")
	ErrVerification     = errors.New("signature does not verify")
)

// PublicKey is an ML-DSA or SLH-DSA public key.
type PublicKey struct {
	Algorithm *Algorithm
	// Raw is the FIPS 204/205 encoding of the key.
	Raw []byte
}

// NewPublicKey checks raw's length and encoding for alg.
func NewPublicKey(alg *Algorithm, raw []byte) (*PublicKey, error) {
	if alg == nil {
		return nil, ErrUnknownAlgorithm
	}
	if len(raw) != alg.PublicKeySize {
		return nil, fmt.Errorf("%w: %s public key is %d bytes, want %d", ErrMalformed, alg.Name, len(raw), alg.PublicKeySize)
	}
	k := &PublicKey{Algorithm: alg, Raw: bytes.Clone(raw)}
	if _, err := k.unpack(); err != nil {
		return nil, err
	}
	return k, nil
}

// unpack decodes the key into circl's type for its parameter set.
func (k *PublicKey) unpack() (any, error) {
	var err error
	switch k.Algorithm.mldsa {
	case 44:
		var pk mldsa44.PublicKey
		err = pk.UnmarshalBinary(k.Raw)
		if err == nil {
			return &pk, nil
		}
	case 65:
		var pk mldsa65.PublicKey
		err = pk.UnmarshalBinary(k.Raw)
		if err == nil {
			return &pk, nil
		}
	case 87:
		var pk mldsa87.PublicKey
		err = pk.UnmarshalBinary(k.Raw)
		if err == nil {
			return &pk, nil
		}
	default:
		if !k.Algorithm.slh.IsValid() {
			return nil, ErrUnknownAlgorithm
		}
		pk := slhdsa.PublicKey{ID: k.Algorithm.slh}
		err = pk.UnmarshalBinary(k.Raw)
		if err == nil {
			return &pk, nil
		}
	}
	return nil, fmt.Errorf("%w: %s public key: %v", ErrMalformed, k.Algorithm.Name, err)
}

// Verify checks a pure ML-DSA or SLH-DSA signature over msg with the
// context string ctx (empty for X.509 and most uses; at most 255 bytes).
func (k *PublicKey) Verify(msg, sig, ctx []byte) error {
	if len(ctx) > 255 {
		return fmt.Errorf("%w: context is %d bytes, at most 255", ErrMalformed, len(ctx))
	}
	if len(sig) != k.Algorithm.SignatureSize {
		return fmt.Errorf("%w: %s signature is %d bytes, want %d", ErrVerification, k.Algorithm.Name, len(sig), k.Algorithm.SignatureSize)
	}
	pk, err := k.unpack()
	if err != nil {
		return err
	}
	var ok bool
	switch pk := pk.(type) {
	case *mldsa44.PublicKey:
		ok = mldsa44.Verify(pk, msg, ctx, sig)
	case *mldsa65.PublicKey:
		ok = mldsa65.Verify(pk, msg, ctx, sig)
	case *mldsa87.PublicKey:
		ok = mldsa87.Verify(pk, msg, ctx, sig)
	case *slhdsa.PublicKey:
		ok = slhdsa.Verify(pk, slhdsa.NewMessage(msg), sig, ctx)
	}
	if !ok {
		return fmt.Errorf("%w: %s", ErrVerification, k.Algorithm.Name)
	}
	return nil
}

// Equal reports whether two keys are the same.
func (k *PublicKey) Equal(o *PublicKey) bool {
	return o != nil && k.Algorithm == o.Algorithm && bytes.Equal(k.Raw, o.Raw)
}

// MaxSPKISize bounds a SubjectPublicKeyInfo (the largest, ML-DSA-87, is
// about 2.6 kB).
const MaxSPKISize = 64 << 10

// ParseAlgorithmIdentifier reads the OID of a DER SubjectPublicKeyInfo and
// whether parameters were present, without judging the algorithm. The
// inventory uses it to name keys no library parses.
func ParseAlgorithmIdentifier(der []byte) (asn1.ObjectIdentifier, []byte, error) {
	if len(der) > MaxSPKISize {
		return nil, nil, fmt.Errorf("%w: SubjectPublicKeyInfo is %d bytes", ErrMalformed, len(der))
	}
	input := cryptobyte.String(der)
	var spki, algID cryptobyte.String
	var o asn1.ObjectIdentifier
	var bits asn1.BitString
	if !input.ReadASN1(&spki, cbasn1.SEQUENCE) || !input.Empty() {
		return nil, nil, fmt.Errorf("%w: SubjectPublicKeyInfo: not one DER SEQUENCE", ErrMalformed)
	}
	if !spki.ReadASN1(&algID, cbasn1.SEQUENCE) {
		return nil, nil, fmt.Errorf("%w: SubjectPublicKeyInfo: no AlgorithmIdentifier", ErrMalformed)
	}
	if !algID.ReadASN1ObjectIdentifier(&o) {
		return nil, nil, fmt.Errorf("%w: SubjectPublicKeyInfo: AlgorithmIdentifier without an OID", ErrMalformed)
	}
	if !algID.Empty() {
		// RFC drafts for ML-DSA and SLH-DSA: parameters MUST be absent.
		if _, ok := AlgorithmByOID(o); ok {
			return nil, nil, fmt.Errorf("%w: SubjectPublicKeyInfo: %s parameters must be absent", ErrMalformed, o)
		}
	}
	if !spki.ReadASN1BitString(&bits) || !spki.Empty() {
		return nil, nil, fmt.Errorf("%w: SubjectPublicKeyInfo: bad subjectPublicKey BIT STRING", ErrMalformed)
	}
	if bits.BitLength%8 != 0 {
		return nil, nil, fmt.Errorf("%w: SubjectPublicKeyInfo: subjectPublicKey is not whole bytes", ErrMalformed)
	}
	return o, bits.Bytes, nil
}

// ParseSPKI parses a DER SubjectPublicKeyInfo holding an ML-DSA or SLH-DSA
// key. A key of another algorithm is ErrUnknownAlgorithm.
func ParseSPKI(der []byte) (*PublicKey, error) {
	o, raw, err := ParseAlgorithmIdentifier(der)
	if err != nil {
		return nil, err
	}
	alg, ok := AlgorithmByOID(o)
	if !ok {
		return nil, fmt.Errorf("%w: OID %s", ErrUnknownAlgorithm, o)
	}
	return NewPublicKey(alg, raw)
}

// MarshalSPKI encodes the key as a DER SubjectPublicKeyInfo.
func (k *PublicKey) MarshalSPKI() []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(k.Algorithm.OID)
		})
		b.AddASN1BitString(k.Raw)
	})
	return b.BytesOrPanic()
}

// MarshalPEM encodes the key as a "PUBLIC KEY" PEM block.
func (k *PublicKey) MarshalPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: k.MarshalSPKI()})
}

// ParsePEM reads the first "PUBLIC KEY" PEM block of b (or b itself as
// DER) as an ML-DSA or SLH-DSA key.
func ParsePEM(b []byte) (*PublicKey, error) {
	rest := b
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type == "PUBLIC KEY" {
			return ParseSPKI(block.Bytes)
		}
	}
	if len(b) > 0 && b[0] == 0x30 {
		return ParseSPKI(b)
	}
	return nil, fmt.Errorf("%w: no PUBLIC KEY PEM block", ErrMalformed)
}

// DecodeSignature accepts a raw signature or its base64 (standard or URL,
// padded or not, surrounding white space ignored) for alg.
func DecodeSignature(alg *Algorithm, b []byte) ([]byte, error) {
	if len(b) == alg.SignatureSize {
		return b, nil
	}
	s := bytes.TrimSpace(b)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if enc.DecodedLen(len(s)) < alg.SignatureSize || enc.DecodedLen(len(s)) > alg.SignatureSize+3 {
			continue
		}
		if out, err := enc.DecodeString(string(s)); err == nil && len(out) == alg.SignatureSize {
			return out, nil
		}
	}
	return nil, fmt.Errorf("%w: %d bytes is neither a raw nor a base64 %s signature (%d bytes)", ErrMalformed, len(b), alg.Name, alg.SignatureSize)
}
