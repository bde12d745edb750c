package provenance_test

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/pedigree-dev/pedigree/verify/dsse"
	"github.com/pedigree-dev/pedigree/verify/provenance"
)

// Verify checks a key-signed SLSA v1 provenance: the signature, that it
// describes the artifact, and that the builder and source are the ones the
// policy expects.
func ExampleVerify() {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	sum := sha256.Sum256([]byte("app 1.0"))
	digest := hex.EncodeToString(sum[:])
	stmt, _ := json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"predicateType": provenance.PredicateV1,
		"subject":       []any{map[string]any{"name": "app.tar.gz", "digest": map[string]string{"sha256": digest}}},
		"predicate": map[string]any{
			"buildDefinition": map[string]any{
				"buildType":            "https://builder.example/go@v1",
				"externalParameters":   map[string]any{"target": "./cmd/app"},
				"resolvedDependencies": []any{map[string]any{"uri": "git+https://github.com/example/app@refs/tags/v1.0.0"}},
			},
			"runDetails": map[string]any{"builder": map[string]any{"id": "https://builder.example/go@v1"}},
		},
	})
	sig := ed25519.Sign(priv, dsse.PAE("application/vnd.in-toto+json", stmt))
	raw, _ := json.Marshal(map[string]any{
		"payloadType": "application/vnd.in-toto+json",
		"payload":     base64.StdEncoding.EncodeToString(stmt),
		"signatures":  []any{map[string]string{"sig": base64.StdEncoding.EncodeToString(sig)}},
	})

	trust := provenance.Trust{Keys: []crypto.PublicKey{pub}}
	expect := provenance.Expect{SourceURI: "github.com/example/app", BuilderID: "https://builder.example/go", SourceVersionedTag: "v1"}
	artifact := provenance.Artifact{Digests: map[string]string{"sha256": digest}}
	res, err := provenance.Verify(raw, trust, expect, artifact)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Format, res.BuilderID, res.Claims.SourceRef, "SLSA build level", res.LevelShown)
	fmt.Println(res.Summary())

	expect.SourceURI = "github.com/example/fork"
	_, err = provenance.Verify(raw, trust, expect, artifact)
	fmt.Println(errors.Is(err, provenance.ErrFailed), err)
	// Output:
	// key https://builder.example/go@v1 refs/tags/v1.0.0 SLSA build level 2
	// key provenance from builder https://builder.example/go@v1 for github.com/example/app@refs/tags/v1.0.0 (SLSA build level 2 shown)
	// true provenance verification failed: source repository does not match: expected github.com/example/fork, got git+https://github.com/example/app
}
