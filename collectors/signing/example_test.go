package signing_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/verify/dsse"
)

// The collector recognises a DSSE envelope by its content, verifies it
// against the keys the policy pins, and matches the attested subjects to the
// target's artifacts.
func ExampleCollector_Collect() {
	dir, err := os.MkdirTemp("", "pedigree-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	release := filepath.Join(dir, "release")
	os.Mkdir(release, 0o755)

	// A release artifact and an attestation about it, signed with a key
	// whose public half the policy pins.
	artifact := []byte("app 1.0")
	sum := sha256.Sum256(artifact)
	os.WriteFile(filepath.Join(release, "app.tar.gz"), artifact, 0o644)
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	stmt := []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"app.tar.gz","digest":{"sha256":"` +
		hex.EncodeToString(sum[:]) + `"}}],"predicateType":"https://example.org/test-result/v1","predicate":{"passed":true}}`)
	const payloadType = "application/vnd.in-toto+json"
	digest := sha256.Sum256(dsse.PAE(payloadType, stmt))
	sig, err := ecdsa.SignASN1(rand.Reader, priv, digest[:])
	if err != nil {
		log.Fatal(err)
	}
	env, _ := json.Marshal(map[string]any{
		"payloadType": payloadType,
		"payload":     base64.StdEncoding.EncodeToString(stmt),
		"signatures":  []map[string]string{{"sig": base64.StdEncoding.EncodeToString(sig)}},
	})
	os.WriteFile(filepath.Join(release, "app.tar.gz.intoto.json"), env, 0o644)
	der, _ := x509.MarshalPKIXPublicKey(priv.Public())
	keyPath := filepath.Join(dir, "release.pub")
	os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o644)

	trust := signing.LoadTrust(config.SigstorePolicy{Keys: []config.SigstoreKey{{Path: keyPath}}})
	t, err := collectors.OpenTarget("release", release)
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	ev, err := signing.NewCollector(trust).Collect(context.Background(), t)
	if err != nil {
		log.Fatal(err)
	}
	for i := range ev {
		switch ev[i].Kind {
		case signing.KindSignature:
			s, _ := evidence.PayloadAs[signing.Signature](&ev[i])
			fmt.Printf("signature %s (%s): %s with %s %s\n", s.Path, s.Format, s.Status, s.SignedWith, s.Signer)
		case signing.KindAttestation:
			a, _ := evidence.PayloadAs[signing.Attestation](&ev[i])
			fmt.Printf("attestation %s signed=%v covers %d artifact(s): %s\n", a.PredicateType, a.Signed, len(a.Matched), a.Matched[0].Path)
		case signing.KindPolicy:
			p, _ := evidence.PayloadAs[signing.Policy](&ev[i])
			fmt.Printf("policy: %d key(s)\n", p.Keys)
		}
	}
	// Output:
	// signature app.tar.gz.intoto.json (dsse): verified with key ECDSA P-256
	// attestation https://example.org/test-result/v1 signed=true covers 1 artifact(s): app.tar.gz
	// policy: 1 key(s)
}
