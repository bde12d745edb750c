package keys_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"log"
	"time"

	"github.com/pedigree-dev/pedigree/collectors/keys"
)

// ScanFile describes every key in a file and classifies it against CNSA 2.0:
// classical keys are quantum-vulnerable, and a 1024-bit RSA key is weak
// even today.
func ExampleScanFile() {
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024) //nolint:gosec // a weak key on purpose
	var pemFile []byte
	for _, pub := range []crypto.PublicKey{p384.Public(), edPub, rsa1024.Public()} {
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			log.Fatal(err)
		}
		pemFile = append(pemFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})...)
	}

	m := keys.ScanFile("release/keys.pem", pemFile, time.Now())
	fmt.Println(m.Path, m.Format)
	for _, a := range m.Assets {
		fmt.Printf("%s %s %s: %s, CNSA 2.0 %s, weak %v\n", a.Location(), a.Algorithm, a.Size(), a.Class, a.CNSA2, a.Weak)
	}
	// Output:
	// release/keys.pem pem
	// release/keys.pem:1 ECDSA P-384: quantum-vulnerable, CNSA 2.0 transitional, weak []
	// release/keys.pem:6 Ed25519 Ed25519: quantum-vulnerable, CNSA 2.0 not-approved, weak []
	// release/keys.pem:9 RSA 1024: weak, CNSA 2.0 not-approved, weak [RSA-1024 key (below 2048 bits)]
}
