package sigstore

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"math/big"

	"github.com/cloudflare/circl/ecc/p384"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// p384Point is a P-384 public key's affine coordinates.
type p384Point struct{ x, y *big.Int }

// newP384Point takes the coordinates of a P-384 key (nil for another key
// or one that does not encode).
func newP384Point(pub *ecdsa.PublicKey) *p384Point {
	if pub == nil || pub.Curve != elliptic.P384() {
		return nil
	}
	b, err := pub.Bytes()
	if err != nil || len(b) != 97 || b[0] != 4 {
		return nil
	}
	return &p384Point{x: new(big.Int).SetBytes(b[1:49]), y: new(big.Int).SetBytes(b[49:])}
}

// verifyP384 verifies an ASN.1 DER ECDSA signature by a P-384 key over a
// digest, as crypto/ecdsa.VerifyASN1 does (same DER strictness, r and s in
// [1, n-1], the digest truncated to the order's length), computing
// u1*G + u2*Q in one variable-time double-scalar multiplication
// (cloudflare/circl's assembly P-384), about twice as fast as crypto/ecdsa's
// constant-time code. Verification handles only public values, so variable
// time is safe here.
func verifyP384(pub *p384Point, digest, sig []byte) bool {
	if pub == nil {
		return false
	}
	r, s := new(big.Int), new(big.Int)
	var inner cryptobyte.String
	in := cryptobyte.String(sig)
	if !in.ReadASN1(&inner, cbasn1.SEQUENCE) || !in.Empty() ||
		!inner.ReadASN1Integer(r) || !inner.ReadASN1Integer(s) || !inner.Empty() {
		return false
	}
	n := elliptic.P384().Params().N
	if r.Sign() <= 0 || s.Sign() <= 0 || r.Cmp(n) >= 0 || s.Cmp(n) >= 0 {
		return false
	}
	if len(digest) > 48 {
		digest = digest[:48]
	}
	e := new(big.Int).SetBytes(digest)
	w := new(big.Int).ModInverse(s, n)
	if w == nil {
		return false
	}
	u1 := new(big.Int).Mul(e, w)
	u1.Mod(u1, n)
	u2 := w.Mul(r, w)
	u2.Mod(u2, n)
	x, y := p384.P384().CombinedMult(pub.x, pub.y, u1.FillBytes(make([]byte, 48)), u2.FillBytes(make([]byte, 48)))
	if x == nil || y == nil || (x.Sign() == 0 && y.Sign() == 0) {
		return false
	}
	x.Mod(x, n)
	return x.Cmp(r) == 0
}
