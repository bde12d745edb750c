package pqc

import (
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"
)

func FuzzParseSPKI(f *testing.F) {
	for _, a := range []string{"ML-DSA-44", "SLH-DSA-SHAKE-128f"} {
		alg, _ := AlgorithmByName(a)
		k, _ := GenerateKey(alg, newSeeded(a))
		f.Add(k.Public().MarshalSPKI())
	}
	f.Add(mustHex("302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
	f.Fuzz(func(t *testing.T, der []byte) {
		k, err := ParseSPKI(der)
		if err == nil {
			if len(k.Raw) != k.Algorithm.PublicKeySize {
				t.Fatal("accepted a key of the wrong size")
			}
			if k.Verify([]byte("m"), make([]byte, k.Algorithm.SignatureSize), nil) == nil {
				t.Fatal("zero signature verified")
			}
		}
	})
}

func FuzzParseCertificate(f *testing.F) {
	k, _ := GenerateKey(Algorithms[0], newSeeded("fuzz"))
	der, _ := CreateCertificate(&Template{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fuzz"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<31, 0), IsCA: true}, k.Public(), nil, k)
	f.Add(der)
	root, err := ParseCertificate(der)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCertificate(b)
		if err != nil {
			return
		}
		if c.CheckSignatureFrom(root) == nil && string(c.X509.RawTBSCertificate) != string(root.X509.RawTBSCertificate) {
			t.Fatal("a modified certificate verified")
		}
	})
}
