package pqc_test

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"log"
	"math/big"
	"time"

	"github.com/pedigree-dev/pedigree/verify/pqc"
)

// A public key read from PEM verifies an ML-DSA-65 signature, and rejects
// it over any other message.
func ExamplePublicKey_Verify() {
	alg, err := pqc.AlgorithmByName("ml-dsa-65")
	if err != nil {
		log.Fatal(err)
	}
	priv, err := pqc.GenerateKey(alg, rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	msg := []byte("app-1.0.tar.gz sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
	sig, err := priv.Sign(msg, nil)
	if err != nil {
		log.Fatal(err)
	}

	pub, err := pqc.ParsePEM(priv.Public().MarshalPEM())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s (NIST category %d): %d-byte key, %d-byte signature\n",
		pub.Algorithm, pub.Algorithm.Category, len(pub.Raw), len(sig))
	fmt.Println("verify:", pub.Verify(msg, sig, nil))
	err = pub.Verify([]byte("app-1.0.tar.gz sha256:0000"), sig, nil)
	fmt.Println("other message:", errors.Is(err, pqc.ErrVerification))
	// Output:
	// ML-DSA-65 (NIST category 3): 1952-byte key, 3309-byte signature
	// verify: <nil>
	// other message: true
}

// VerifyChain checks X.509 certificates whose keys and signatures are
// post-quantum, which crypto/x509 cannot: an ML-DSA-87 root signs an
// ML-DSA-65 code-signing leaf.
func ExampleVerifyChain() {
	mldsa87, _ := pqc.AlgorithmByName("ML-DSA-87")
	mldsa65, _ := pqc.AlgorithmByName("ML-DSA-65")
	rootKey, err := pqc.GenerateKey(mldsa87, rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	leafKey, err := pqc.GenerateKey(mldsa65, rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	notBefore := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rootDER, err := pqc.CreateCertificate(&pqc.Template{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Example PQC Root"},
		NotBefore: notBefore, NotAfter: notBefore.AddDate(10, 0, 0),
		IsCA: true, KeyUsage: x509.KeyUsageCertSign,
	}, rootKey.Public(), nil, rootKey)
	if err != nil {
		log.Fatal(err)
	}
	root, err := pqc.ParseCertificate(rootDER)
	if err != nil {
		log.Fatal(err)
	}
	leafDER, err := pqc.CreateCertificate(&pqc.Template{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Example Release Signing"},
		NotBefore: notBefore, NotAfter: notBefore.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature,
	}, leafKey.Public(), root, rootKey)
	if err != nil {
		log.Fatal(err)
	}
	leaf, err := pqc.ParseCertificate(leafDER)
	if err != nil {
		log.Fatal(err)
	}

	chain, err := pqc.VerifyChain(leaf, nil, []*pqc.Certificate{root}, notBefore.AddDate(0, 6, 0))
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range chain {
		fmt.Printf("%s: key %s, signed with %s\n", c.X509.Subject.CommonName, c.PublicKey.Algorithm, c.SignatureAlgorithmName())
	}
	_, err = pqc.VerifyChain(leaf, nil, []*pqc.Certificate{root}, notBefore.AddDate(2, 0, 0))
	fmt.Println("after the leaf expired:", errors.Is(err, pqc.ErrCertValidity))
	// Output:
	// Example Release Signing: key ML-DSA-65, signed with ML-DSA-87
	// Example PQC Root: key ML-DSA-87, signed with ML-DSA-87
	// after the leaf expired: true
}
