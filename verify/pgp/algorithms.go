package pgp

import (
	"crypto"
	"fmt"
	"sort"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

var hashByName = map[string]crypto.Hash{
	"MD5": crypto.MD5, "SHA1": crypto.SHA1, "RIPEMD160": crypto.RIPEMD160,
	"SHA224": crypto.SHA224, "SHA256": crypto.SHA256, "SHA384": crypto.SHA384, "SHA512": crypto.SHA512,
	"SHA3-256": crypto.SHA3_256, "SHA3-512": crypto.SHA3_512,
}

func hashName(h crypto.Hash) string {
	switch h {
	case crypto.MD5:
		return "MD5"
	case crypto.SHA1:
		return "SHA-1"
	case crypto.RIPEMD160:
		return "RIPEMD-160"
	case crypto.SHA224:
		return "SHA-224"
	case crypto.SHA256:
		return "SHA-256"
	case crypto.SHA384:
		return "SHA-384"
	case crypto.SHA512:
		return "SHA-512"
	case crypto.SHA3_256:
		return "SHA3-256"
	case crypto.SHA3_512:
		return "SHA3-512"
	}
	return fmt.Sprintf("hash-%d", uint(h))
}

// HashName names an OpenPGP signature's digest algorithm (SHA-256, SHA-1).
func HashName(h crypto.Hash) string { return hashName(h) }

// WeakHash returns why h is weak for signatures ("SHA-1 digest"), or "".
// SHA-1, MD5 and RIPEMD-160 are collision-broken or deprecated for digital
// signatures (NIST SP 800-131A Rev 2, table 8; RFC 9580 section 9.5).
func WeakHash(h crypto.Hash) string {
	switch h {
	case crypto.MD5, crypto.SHA1, crypto.RIPEMD160:
		return hashName(h) + " digest"
	}
	return ""
}

// KeyInfo describes an OpenPGP public key's algorithm.
type KeyInfo struct {
	Algorithm string   `json:"algorithm"`
	Bits      int      `json:"bits,omitempty"`
	Curve     string   `json:"curve,omitempty"`
	Weak      []string `json:"weak,omitempty"`
	// PostQuantum is true for ML-DSA and SLH-DSA keys (RFC draft
	// draft-ietf-openpgp-pqc).
	PostQuantum bool `json:"postQuantum,omitempty"`
}

// KeyAlgorithm names pk's algorithm and size and says what is weak in it:
// DSA (withdrawn for signing in FIPS 186-5), ElGamal, RSA below 2048 bits
// (NIST SP 800-131A Rev 2), version 3 keys (MD5 fingerprints).
func KeyAlgorithm(pk *packet.PublicKey) (ki KeyInfo) {
	defer func() {
		if recover() != nil {
			ki.Weak = append(ki.Weak, "unreadable key material")
		}
	}()
	var bits uint16
	switch pk.PubKeyAlgo {
	case packet.PubKeyAlgoRSA, packet.PubKeyAlgoRSASignOnly, packet.PubKeyAlgoRSAEncryptOnly, packet.PubKeyAlgoDSA, packet.PubKeyAlgoElGamal:
		bits, _ = pk.BitLength()
	}
	switch pk.PubKeyAlgo {
	case packet.PubKeyAlgoRSA, packet.PubKeyAlgoRSASignOnly, packet.PubKeyAlgoRSAEncryptOnly:
		ki.Algorithm, ki.Bits = "RSA", int(bits)
		if bits < 2048 {
			ki.Weak = append(ki.Weak, fmt.Sprintf("RSA-%d key (below 2048 bits)", bits))
		}
	case packet.PubKeyAlgoDSA:
		ki.Algorithm, ki.Bits = "DSA", int(bits)
		ki.Weak = append(ki.Weak, fmt.Sprintf("DSA-%d key (DSA is withdrawn for signing by FIPS 186-5)", bits))
	case packet.PubKeyAlgoElGamal:
		ki.Algorithm, ki.Bits = "ElGamal", int(bits)
		ki.Weak = append(ki.Weak, "ElGamal key")
	case packet.PubKeyAlgoECDSA:
		ki.Algorithm = "ECDSA"
	case packet.PubKeyAlgoECDH:
		ki.Algorithm = "ECDH"
	case packet.PubKeyAlgoEdDSA:
		ki.Algorithm = "EdDSA"
	case packet.PubKeyAlgoEd25519:
		ki.Algorithm = "Ed25519"
	case packet.PubKeyAlgoEd448:
		ki.Algorithm = "Ed448"
	case packet.PubKeyAlgoX25519:
		ki.Algorithm = "X25519"
	case packet.PubKeyAlgoX448:
		ki.Algorithm = "X448"
	case packet.PubKeyAlgoMldsa65Ed25519:
		ki.Algorithm, ki.PostQuantum = "ML-DSA-65+Ed25519", true
	case packet.PubKeyAlgoMldsa87Ed448:
		ki.Algorithm, ki.PostQuantum = "ML-DSA-87+Ed448", true
	case packet.PubKeyAlgoSlhdsaShake128s:
		ki.Algorithm, ki.PostQuantum = "SLH-DSA-SHAKE-128s", true
	case packet.PubKeyAlgoSlhdsaShake128f:
		ki.Algorithm, ki.PostQuantum = "SLH-DSA-SHAKE-128f", true
	case packet.PubKeyAlgoSlhdsaShake256s:
		ki.Algorithm, ki.PostQuantum = "SLH-DSA-SHAKE-256s", true
	case packet.PubKeyAlgoMlkem768X25519:
		ki.Algorithm, ki.PostQuantum = "ML-KEM-768+X25519", true
	case packet.PubKeyAlgoMlkem1024X448:
		ki.Algorithm, ki.PostQuantum = "ML-KEM-1024+X448", true
	default:
		ki.Algorithm = fmt.Sprintf("algorithm-%d", pk.PubKeyAlgo)
	}
	if c, err := pk.Curve(); err == nil {
		ki.Curve = string(c)
	}
	if pk.Version == 3 {
		ki.Weak = append(ki.Weak, "version 3 key (MD5 fingerprint)")
	}
	return ki
}

func sortStrings(s []string) { sort.Strings(s) }

func moveFirst(s []string, v string) []string {
	for i, x := range s {
		if x == v {
			copy(s[1:i+1], s[:i])
			s[0] = v
			break
		}
	}
	return s
}
