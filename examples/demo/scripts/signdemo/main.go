// Command signdemo signs the demo release with the example's own keys and
// writes examples/demo/signing/: a Sigstore key-based bundle over the Linux
// tarball, a DSSE-wrapped SLSA v1 provenance for it, one failing case (a
// bundle whose signature was made over a different artifact), the public key
// and the release artifacts it covers. The key is derived from a fixed seed
// and Ed25519 signatures are deterministic, so re-running it gives the same
// bytes.
//
//	go run ./examples/demo/scripts/signdemo
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
)

// seed is public on purpose: these are demo keys, never trust them.
var seed = sha256.Sum256([]byte("pedigree demo signing key - public, for the example only"))

func main() {
	release := flag.String("release", "examples/demo/release", "folder of the demo release")
	out := flag.String("out", "examples/demo/release", "folder to write the bundles and provenance to (beside the artifacts they sign)")
	keyDir := flag.String("keys", "examples/demo/keys", "folder to write the public key to")
	flag.Parse()
	if err := run(*release, *out, *keyDir); err != nil {
		fmt.Fprintln(os.Stderr, "signdemo:", err)
		os.Exit(1)
	}
}

func run(release, out, keyDir string) error {
	priv := ed25519.NewKeyFromSeed(seed[:])
	pub := priv.Public().(ed25519.PublicKey)
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	write := func(name string, b []byte) error { return os.WriteFile(filepath.Join(out, name), b, 0o644) }
	if err := os.MkdirAll(keyDir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(keyDir, "demo-signing.pub"), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o644); err != nil {
		return err
	}
	hint := sha256.Sum256(der)
	keyHint := base64.StdEncoding.EncodeToString(hint[:])

	linux := "pedigree-demo_1.0.0_linux_amd64.tar.gz"
	darwin := "pedigree-demo_1.0.0_darwin_arm64.tar.gz"
	windows := "pedigree-demo_1.0.0_windows_amd64.zip"
	arts := map[string][]byte{}
	for _, n := range []string{linux, darwin, windows} {
		b, err := os.ReadFile(filepath.Join(release, n))
		if err != nil {
			return err
		}
		arts[n] = b
		// A separate output folder carries the artifacts it signs, byte for
		// byte, since signatures are judged within one target.
		if n != windows && filepath.Clean(out) != filepath.Clean(release) {
			if err := write(n, b); err != nil {
				return err
			}
		}
	}

	// 1. Key-based Sigstore bundle (v0.3, message signature) over the Linux
	// tarball. No transparency log: the policy accepts it for this key only
	// (without-tlog-unsafe), as an air-gapped signer would.
	b, err := messageBundle(priv, keyHint, arts[linux], arts[linux])
	if err != nil {
		return err
	}
	if err := write(linux+".sigstore.json", b); err != nil {
		return err
	}
	// 2. The failing case: a bundle for the Darwin tarball whose signature
	// was made over the Windows zip (a signature over a different artifact).
	b, err = messageBundle(priv, keyHint, arts[darwin], arts[windows])
	if err != nil {
		return err
	}
	if err := write(darwin+".sigstore.json", b); err != nil {
		return err
	}
	// 3. DSSE-wrapped SLSA v1 provenance for the Linux tarball.
	sum := sha256.Sum256(arts[linux])
	stmt := map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"predicateType": "https://slsa.dev/provenance/v1",
		"subject":       []any{map[string]any{"name": linux, "digest": map[string]string{"sha256": hex.EncodeToString(sum[:])}}},
		"predicate": map[string]any{
			"buildDefinition": map[string]any{
				"buildType": "https://pedigree.dev/demo/make-release@v1",
				"externalParameters": map[string]any{
					"source":  "git+https://github.com/pedigree-dev/pedigree-demo@refs/tags/v1.0.0",
					"target":  "linux/amd64",
					"version": "1.0.0",
				},
				"resolvedDependencies": []any{map[string]any{
					"uri":    "git+https://github.com/pedigree-dev/pedigree-demo@refs/tags/v1.0.0",
					"digest": map[string]string{"gitCommit": "0123456789abcdef0123456789abcdef01234567"},
				}},
			},
			"runDetails": map[string]any{
				"builder":  map[string]any{"id": "https://pedigree.dev/demo/builder@v1"},
				"metadata": map[string]any{"invocationId": "demo-build-1"},
			},
		},
	}
	payload, err := json.Marshal(stmt)
	if err != nil {
		return err
	}
	env := dsse.Envelope{PayloadType: "application/vnd.in-toto+json", Payload: base64.StdEncoding.EncodeToString(payload),
		Signatures: []dsse.Signature{{KeyID: keyHint, Sig: base64.StdEncoding.EncodeToString(ed25519.Sign(priv, dsse.PAE("application/vnd.in-toto+json", payload)))}}}
	eb, err := json.Marshal(env)
	if err != nil {
		return err
	}
	return write(linux+".intoto.jsonl", append(eb, '\n'))
}

// messageBundle builds a v0.3 key-signed bundle whose message digest is of
// claimed and whose signature is over signed.
func messageBundle(priv ed25519.PrivateKey, hint string, claimed, signed []byte) ([]byte, error) {
	d := sha256.Sum256(claimed)
	pb := &protobundle.Bundle{
		MediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
		VerificationMaterial: &protobundle.VerificationMaterial{
			Content: &protobundle.VerificationMaterial_PublicKey{PublicKey: &protocommon.PublicKeyIdentifier{Hint: hint}},
		},
		Content: &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: d[:]},
			Signature:     ed25519.Sign(priv, signed),
		}},
	}
	b, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(pb)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
