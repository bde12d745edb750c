package dsse_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/pedigree-dev/pedigree/verify/dsse"
)

// envelopeJSON writes a DSSE envelope as producers do.
func envelopeJSON(payloadType string, payload []byte, keyID string, sig []byte) []byte {
	raw, err := json.Marshal(map[string]any{
		"payloadType": payloadType,
		"payload":     base64.StdEncoding.EncodeToString(payload),
		"signatures":  []map[string]string{{"keyid": keyID, "sig": base64.StdEncoding.EncodeToString(sig)}},
	})
	if err != nil {
		log.Fatal(err)
	}
	return raw
}

// An envelope signed over the DSSE pre-authentication encoding verifies
// with its key; a copy whose payload was swapped does not.
func ExampleEnvelope_Verify() {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	const payloadType = "application/vnd.in-toto+json"
	payload := []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"app.tar.gz","digest":{"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{}}`)
	sig := ed25519.Sign(priv, dsse.PAE(payloadType, payload))
	trusted := dsse.Key{Public: pub, KeyID: "release-2026"}

	env, err := dsse.Parse(envelopeJSON(payloadType, payload, "release-2026", sig))
	if err != nil {
		log.Fatal(err)
	}
	res, err := env.Verify(trusted)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("OK: signature %d by %s (%s)\n", res.Index, res.KeyID, res.Algorithm)

	_, err = env.Verify(dsse.Key{Public: pub, KeyID: "someone-else"})
	fmt.Println("other key id:", errors.Is(err, dsse.ErrKeyID))

	swapped, err := dsse.Parse(envelopeJSON(payloadType, []byte(`{"_type":"https://in-toto.io/Statement/v1"}`), "release-2026", sig))
	if err != nil {
		log.Fatal(err)
	}
	_, err = swapped.Verify(trusted)
	fmt.Println("swapped payload:", errors.Is(err, dsse.ErrSignature))

	_, err = dsse.Parse([]byte(`{"payloadType":`))
	fmt.Println("truncated:", errors.Is(err, dsse.ErrMalformed))
	// Output:
	// OK: signature 0 by release-2026 (Ed25519)
	// other key id: true
	// swapped payload: true
	// truncated: true
}
