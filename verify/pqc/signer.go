package pqc

import (
	"errors"
	"fmt"
	"io"

	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"
	"github.com/cloudflare/circl/sign/slhdsa"
)

// PrivateKey signs with ML-DSA or SLH-DSA. pedigree only verifies; signing
// exists for tests and for making the bundled example's own keys.
type PrivateKey struct {
	pub  *PublicKey
	sign func(msg, ctx []byte) ([]byte, error)
}

// Public returns the matching public key.
func (k *PrivateKey) Public() *PublicKey { return k.pub }

// Sign makes a deterministic pure signature over msg with context ctx.
func (k *PrivateKey) Sign(msg, ctx []byte) ([]byte, error) { return k.sign(msg, ctx) }

// GenerateKey makes a key pair, reading its seed from rand (deterministic
// for a deterministic reader).
func GenerateKey(alg *Algorithm, rand io.Reader) (*PrivateKey, error) {
	if alg == nil {
		return nil, ErrUnknownAlgorithm
	}
	switch alg.mldsa {
	case 44, 65, 87:
		var seed [32]byte
		if _, err := io.ReadFull(rand, seed[:]); err != nil {
			return nil, err
		}
		return mldsaKey(alg, &seed)
	}
	if !alg.slh.IsValid() {
		return nil, ErrUnknownAlgorithm
	}
	pub, priv, err := slhdsa.GenerateKey(rand, alg.slh)
	if err != nil {
		return nil, err
	}
	raw, err := pub.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return &PrivateKey{
		pub: &PublicKey{Algorithm: alg, Raw: raw},
		sign: func(msg, ctx []byte) ([]byte, error) {
			return slhdsa.SignDeterministic(&priv, slhdsa.NewMessage(msg), ctx)
		},
	}, nil
}

func mldsaKey(alg *Algorithm, seed *[32]byte) (*PrivateKey, error) {
	var (
		raw  []byte
		sign func(msg, ctx []byte) ([]byte, error)
	)
	switch alg.mldsa {
	case 44:
		pk, sk := mldsa44.NewKeyFromSeed(seed)
		raw = pk.Bytes()
		sign = func(msg, ctx []byte) ([]byte, error) {
			sig := make([]byte, mldsa44.SignatureSize)
			return sig, mldsa44.SignTo(sk, msg, ctx, false, sig)
		}
	case 65:
		pk, sk := mldsa65.NewKeyFromSeed(seed)
		raw = pk.Bytes()
		sign = func(msg, ctx []byte) ([]byte, error) {
			sig := make([]byte, mldsa65.SignatureSize)
			return sig, mldsa65.SignTo(sk, msg, ctx, false, sig)
		}
	case 87:
		pk, sk := mldsa87.NewKeyFromSeed(seed)
		raw = pk.Bytes()
		sign = func(msg, ctx []byte) ([]byte, error) {
			sig := make([]byte, mldsa87.SignatureSize)
			return sig, mldsa87.SignTo(sk, msg, ctx, false, sig)
		}
	default:
		return nil, fmt.Errorf("%w: %s", errors.ErrUnsupported, alg.Name)
	}
	return &PrivateKey{pub: &PublicKey{Algorithm: alg, Raw: raw}, sign: sign}, nil
}
