package pqc

import (
	"encoding/asn1"
	"fmt"
	"strings"

	"github.com/cloudflare/circl/sign/slhdsa"
)

// Family names a signature scheme family.
const (
	MLDSA  = "ML-DSA"
	SLHDSA = "SLH-DSA"
)

// Algorithm is one post-quantum signature parameter set.
type Algorithm struct {
	// Name is the FIPS name: ML-DSA-65, SLH-DSA-SHA2-128s.
	Name   string
	Family string
	// OID is the algorithm identifier used both for the public key in
	// SubjectPublicKeyInfo and for the (pure) signature algorithm.
	OID asn1.ObjectIdentifier
	// PublicKeySize and SignatureSize are in bytes (FIPS 204 table 2,
	// FIPS 205 table 2).
	PublicKeySize, SignatureSize int
	// Category is the NIST PQC security category (1, 2, 3 or 5).
	Category int
	// Hash is the hash function inside the scheme (SHAKE256, SHA2, ...).
	Hash string

	mldsa int       // 44, 65 or 87
	slh   slhdsa.ID // valid for SLH-DSA only
}

// The object identifiers are those NIST registered in the Computer Security
// Objects Register (CSOR, https://csrc.nist.gov/projects/computer-security-objects-register/algorithm-registration):
// sigAlgs = 2.16.840.1.101.3.4.3; id-ml-dsa-44/65/87 = sigAlgs.17/18/19;
// id-slh-dsa-sha2-128s..256f = sigAlgs.20..25 and id-slh-dsa-shake-128s..256f
// = sigAlgs.26..31. The IETF LAMPS documents use the same OIDs for X.509
// (draft-ietf-lamps-dilithium-certificates for ML-DSA,
// draft-ietf-lamps-x509-slhdsa for SLH-DSA) and CMS (RFC 9814 for SLH-DSA),
// each with absent parameters and the "pure" (not pre-hash) signature over
// the DER TBSCertificate with an empty context string.
var sigAlgs = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3}

func oid(n int) asn1.ObjectIdentifier {
	return append(append(asn1.ObjectIdentifier{}, sigAlgs...), n)
}

// Algorithms lists every supported parameter set, ML-DSA first.
var Algorithms = []*Algorithm{
	{Name: "ML-DSA-44", Family: MLDSA, OID: oid(17), PublicKeySize: 1312, SignatureSize: 2420, Category: 2, Hash: "SHAKE256", mldsa: 44},
	{Name: "ML-DSA-65", Family: MLDSA, OID: oid(18), PublicKeySize: 1952, SignatureSize: 3309, Category: 3, Hash: "SHAKE256", mldsa: 65},
	{Name: "ML-DSA-87", Family: MLDSA, OID: oid(19), PublicKeySize: 2592, SignatureSize: 4627, Category: 5, Hash: "SHAKE256", mldsa: 87},

	// SLH-DSA: the explicit mapping of each CSOR OID to circl's parameter
	// set id, with FIPS 205 table 2 sizes.
	{Name: "SLH-DSA-SHA2-128s", Family: SLHDSA, OID: oid(20), PublicKeySize: 32, SignatureSize: 7856, Category: 1, Hash: "SHA2", slh: slhdsa.SHA2_128s},
	{Name: "SLH-DSA-SHA2-128f", Family: SLHDSA, OID: oid(21), PublicKeySize: 32, SignatureSize: 17088, Category: 1, Hash: "SHA2", slh: slhdsa.SHA2_128f},
	{Name: "SLH-DSA-SHA2-192s", Family: SLHDSA, OID: oid(22), PublicKeySize: 48, SignatureSize: 16224, Category: 3, Hash: "SHA2", slh: slhdsa.SHA2_192s},
	{Name: "SLH-DSA-SHA2-192f", Family: SLHDSA, OID: oid(23), PublicKeySize: 48, SignatureSize: 35664, Category: 3, Hash: "SHA2", slh: slhdsa.SHA2_192f},
	{Name: "SLH-DSA-SHA2-256s", Family: SLHDSA, OID: oid(24), PublicKeySize: 64, SignatureSize: 29792, Category: 5, Hash: "SHA2", slh: slhdsa.SHA2_256s},
	{Name: "SLH-DSA-SHA2-256f", Family: SLHDSA, OID: oid(25), PublicKeySize: 64, SignatureSize: 49856, Category: 5, Hash: "SHA2", slh: slhdsa.SHA2_256f},
	{Name: "SLH-DSA-SHAKE-128s", Family: SLHDSA, OID: oid(26), PublicKeySize: 32, SignatureSize: 7856, Category: 1, Hash: "SHAKE256", slh: slhdsa.SHAKE_128s},
	{Name: "SLH-DSA-SHAKE-128f", Family: SLHDSA, OID: oid(27), PublicKeySize: 32, SignatureSize: 17088, Category: 1, Hash: "SHAKE256", slh: slhdsa.SHAKE_128f},
	{Name: "SLH-DSA-SHAKE-192s", Family: SLHDSA, OID: oid(28), PublicKeySize: 48, SignatureSize: 16224, Category: 3, Hash: "SHAKE256", slh: slhdsa.SHAKE_192s},
	{Name: "SLH-DSA-SHAKE-192f", Family: SLHDSA, OID: oid(29), PublicKeySize: 48, SignatureSize: 35664, Category: 3, Hash: "SHAKE256", slh: slhdsa.SHAKE_192f},
	{Name: "SLH-DSA-SHAKE-256s", Family: SLHDSA, OID: oid(30), PublicKeySize: 64, SignatureSize: 29792, Category: 5, Hash: "SHAKE256", slh: slhdsa.SHAKE_256s},
	{Name: "SLH-DSA-SHAKE-256f", Family: SLHDSA, OID: oid(31), PublicKeySize: 64, SignatureSize: 49856, Category: 5, Hash: "SHAKE256", slh: slhdsa.SHAKE_256f},
}

// AlgorithmByOID finds a parameter set by its object identifier.
func AlgorithmByOID(o asn1.ObjectIdentifier) (*Algorithm, bool) {
	for _, a := range Algorithms {
		if a.OID.Equal(o) {
			return a, true
		}
	}
	return nil, false
}

// AlgorithmByName finds a parameter set by name, in any case
// ("ml-dsa-65", "SLH-DSA-SHAKE-256f").
func AlgorithmByName(name string) (*Algorithm, error) {
	for _, a := range Algorithms {
		if strings.EqualFold(a.Name, name) {
			return a, nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownAlgorithm, name)
}

// String is the algorithm's name.
func (a *Algorithm) String() string { return a.Name }
