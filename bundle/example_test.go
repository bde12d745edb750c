package bundle_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/bundle"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Create packs a run's reports and evidence sources with a signed manifest;
// VerifyFile checks every digest and the signature offline, and names the
// file that was changed afterwards.
func ExampleCreate() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "pedigree-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// A report the run wrote, and the evidence source it read.
	report := filepath.Join(dir, "pedigree.md")
	os.WriteFile(report, []byte("# Demo release assessment\n\nVerdict: FAIL\n"), 0o644)
	target := filepath.Join(dir, "release")
	os.Mkdir(target, 0o755)
	sums := []byte("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  app.tar.gz\n")
	os.WriteFile(filepath.Join(target, "SHA256SUMS"), sums, 0o644)
	sources := []bundle.Source{{Target: "release", Dir: target, Rel: "SHA256SUMS", SHA256: evidence.SHA256Hex(sums)}}

	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(priv)
	signer, err := bundle.ParseSigner(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	if err != nil {
		log.Fatal(err)
	}
	// ParseVerifier takes the public half of a private key too.
	verifier, err := bundle.ParseVerifier(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	if err != nil {
		log.Fatal(err)
	}

	dst := filepath.Join(dir, "evidence.tar.gz")
	if err := bundle.Create(ctx, dst, []string{report}, sources, assessmenttest.Small(), signer); err != nil {
		log.Fatal(err)
	}
	res, err := bundle.VerifyFile(ctx, dst, bundle.Options{Key: verifier})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("OK: %d files, signature verified %v, verdict %s\n", res.Files, res.SignatureVerified, res.Statement.Predicate.Verdict)
	for _, s := range res.Statement.Subject {
		fmt.Println(" ", s.Name)
	}

	// Change the copied checksum list inside the archive and verify again.
	tampered := repack(dst, "sources/release/SHA256SUMS", []byte("0000  app.tar.gz\n"))
	res, err = bundle.Verify(ctx, bytes.NewReader(tampered), bundle.Options{Key: verifier})
	fmt.Println("tampered:", errors.Is(err, bundle.ErrMismatch))
	if res != nil {
		fmt.Println(res.Problems)
	}
	// Output:
	// OK: 2 files, signature verified true, verdict FAIL
	//   outputs/pedigree.md
	//   sources/release/SHA256SUMS
	// tampered: true
	// [sources/release/SHA256SUMS differs: sha256 d877469706c339be70810f568797c8e6934d0618d19dccb40f361dc8e4880594, manifest says bdf268dfe4ce9503c1677f76fc20d597235f29aad0314c58cfb31e37d62ddb6a]
}

// repack rewrites a bundle with one file's content replaced.
func repack(path, name string, content []byte) []byte {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	tr, tw := tar.NewReader(zr), tar.NewWriter(zw)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		if h.Name == name {
			b = content
		}
		h.Size = int64(len(b))
		tw.WriteHeader(h)
		tw.Write(b)
	}
	tw.Close()
	zw.Close()
	return out.Bytes()
}
