package keys

import (
	//lint:ignore SA1019 DSA keys are recognised only to be reported as weak.
	"crypto/dsa"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/verify/pqc"
)

// The judgement below follows NSA's "Announcing the Commercial National
// Security Algorithm Suite 2.0" (Cybersecurity Advisory, September 2022,
// U/OO/194427-22, and its CNSA 2.0 FAQ). CNSA 2.0 lists, for public-key
// signatures, ML-DSA-87 (FIPS 204, all classification levels) and, for
// software and firmware signing, LMS or XMSS (NIST SP 800-208); for key
// establishment ML-KEM-1024; symmetric AES-256; hashing SHA-384 or SHA-512.
// Its timeline for software and firmware signing: begin transitioning
// immediately, support and prefer CNSA 2.0 by 2025, use CNSA 2.0
// exclusively by 2030. CNSA 1.0 algorithms (RSA >= 3072 bits, ECDSA P-384,
// SHA-384) remain acceptable only until then; every other classical
// algorithm is outside both suites. See classify and the CNSA2* constants.

// describePublic names a Go public key's algorithm and size.
func describePublic(pub any) (alg string, bits int, curve string, weak []string) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		bits = k.N.BitLen()
		if bits < 2048 {
			weak = append(weak, fmt.Sprintf("RSA-%d key (below 2048 bits)", bits))
		}
		return "RSA", bits, "", weak
	case *ecdsa.PublicKey:
		if k.Curve == nil {
			return "ECDSA", 0, "", nil
		}
		p := k.Curve.Params()
		if p.BitSize < 224 {
			weak = append(weak, fmt.Sprintf("ECDSA %s (below 224 bits)", p.Name))
		}
		return "ECDSA", p.BitSize, p.Name, weak
	case ed25519.PublicKey:
		return "Ed25519", 256, "Ed25519", nil
	case *dsa.PublicKey:
		bits = k.P.BitLen()
		return "DSA", bits, "", []string{fmt.Sprintf("DSA-%d key (DSA is withdrawn for signing by FIPS 186-5)", bits)}
	case *ecdh.PublicKey:
		return "ECDH", 0, fmt.Sprint(k.Curve()), nil
	case *pqc.PublicKey:
		return k.Algorithm.Name, 0, "", nil
	}
	return fmt.Sprintf("%T", pub), 0, "", nil
}

// classify sets Class, QuantumLevel, CNSA2 and PostQuantum from the
// algorithm, size, curve, hash and weaknesses already on a.
func classify(a *Asset) {
	if a.Error != "" && a.Algorithm == "" {
		a.Class, a.CNSA2 = ClassUnknown, CNSANotApproved
		return
	}
	alg := strings.ToUpper(a.Algorithm)
	if w := weakHash(a.Hash); w != "" && !contains(a.Weak, w) {
		a.Weak = append(a.Weak, w)
	}
	switch {
	case strings.HasPrefix(alg, "ML-DSA"), strings.HasPrefix(alg, "SLH-DSA"), strings.HasPrefix(alg, "ML-KEM"),
		strings.HasPrefix(alg, "LMS"), strings.HasPrefix(alg, "HSS"), strings.HasPrefix(alg, "XMSS"):
		a.PostQuantum = true
		a.QuantumLevel = quantumLevel(alg)
	}
	switch {
	case len(a.Weak) > 0:
		a.Class = ClassWeak
	case a.PostQuantum:
		a.Class = ClassPostQuantum
	case a.Algorithm == "" || strings.HasPrefix(alg, "OID ") || strings.HasPrefix(alg, "UNKNOWN"):
		a.Class = ClassUnknown
	default:
		a.Class = ClassQuantumVulnerable
	}
	a.CNSA2 = cnsa2(a, alg)
}

func quantumLevel(alg string) int {
	if p, err := pqc.AlgorithmByName(alg); err == nil {
		return p.Category
	}
	// OpenPGP composites (ML-DSA-65+Ed25519) take the ML-DSA category.
	for _, p := range pqc.Algorithms {
		if strings.HasPrefix(alg, strings.ToUpper(p.Name)+"+") {
			return p.Category
		}
	}
	switch {
	case strings.HasPrefix(alg, "ML-KEM-512"):
		return 1
	case strings.HasPrefix(alg, "ML-KEM-768"):
		return 3
	case strings.HasPrefix(alg, "ML-KEM-1024"):
		return 5
	case strings.HasPrefix(alg, "LMS"), strings.HasPrefix(alg, "HSS"), strings.HasPrefix(alg, "XMSS"):
		return 5 // SP 800-208 parameter sets with n=32 (SHA-256/192 gives 3)
	}
	return 0
}

func cnsa2(a *Asset, alg string) string {
	if len(a.Weak) > 0 {
		return CNSANotApproved
	}
	switch {
	case strings.HasPrefix(alg, "ML-DSA-87"), strings.HasPrefix(alg, "LMS"), strings.HasPrefix(alg, "HSS"), strings.HasPrefix(alg, "XMSS"):
		return CNSAApproved
	case alg == "RSA" && a.Bits >= 3072:
		return CNSATransitional
	case alg == "ECDSA" && (a.Curve == "P-384" || a.Curve == "secp384r1" || a.Curve == "NIST P-384"):
		return CNSATransitional
	}
	return CNSANotApproved
}

// weakHash flags digests broken or deprecated for signatures (NIST SP
// 800-131A Rev 2: SHA-1 is disallowed for digital signature generation).
func weakHash(h string) string {
	switch strings.ToUpper(strings.ReplaceAll(h, "_", "-")) {
	case "MD5":
		return "MD5 digest"
	case "SHA-1", "SHA1":
		return "SHA-1 digest"
	case "RIPEMD-160", "RIPEMD160":
		return "RIPEMD-160 digest"
	}
	return ""
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
