package sigstore_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"log"

	"github.com/pedigree-dev/pedigree/verify/sigstore"
)

// Verify checks a bundle against a policy passed in as data. Here a release
// was signed with a long-lived key (cosign sign-blob --key) and the bundle
// has no transparency-log entry, which the policy must accept explicitly.
func ExampleVerify() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	artifact := []byte("app 1.0 release archive")
	digest := sha256.Sum256(artifact)
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		log.Fatal(err)
	}
	bundle := []byte(`{
	  "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
	  "verificationMaterial": {"publicKey": {"hint": "release-key"}},
	  "messageSignature": {
	    "messageDigest": {"algorithm": "SHA2_256", "digest": "` + base64.StdEncoding.EncodeToString(digest[:]) + `"},
	    "signature": "` + base64.StdEncoding.EncodeToString(sig) + `"
	  }
	}`)
	der, _ := x509.MarshalPKIXPublicKey(key.Public())
	pub, err := sigstore.ParsePublicKey(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	if err != nil {
		log.Fatal(err)
	}

	policy := sigstore.Policy{Keys: []crypto.PublicKey{pub}, WithoutTransparencyLogUnsafe: true}
	res, err := sigstore.Verify(bundle, policy, sigstore.ArtifactBytes(artifact))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Version, res.Content, "signed with", res.SignedWith, res.KeyAlgorithm, "tlog entries:", res.TlogEntries)

	_, err = sigstore.Verify(bundle, policy, sigstore.ArtifactBytes([]byte("app 1.0, patched")))
	fmt.Println("other artifact:", errors.Is(err, sigstore.ErrVerify))

	policy.WithoutTransparencyLogUnsafe = false
	_, err = sigstore.Verify(bundle, policy, sigstore.ArtifactBytes(artifact))
	fmt.Println("log required, no trusted root:", errors.Is(err, sigstore.ErrPolicy))
	// Output:
	// v0.3 message-signature signed with key ECDSA P-256 tlog entries: 0
	// other artifact: true
	// log required, no trusted root: true
}
