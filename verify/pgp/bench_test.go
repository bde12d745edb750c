package pgp

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkVerifyDetached verifies the Node.js v15.4.0 SHASUMS256.txt
// detached RSA-2048/SHA-256 signature of the shared corpus.
func BenchmarkVerifyDetached(b *testing.B) {
	dir := filepath.Join(sharedDir(b), "corpus", "signing", "openpgp-node-v15.4.0-shasums-detached")
	kr, err := LoadKeyring(filepath.Join(dir, "release-key.gpg"))
	if err != nil {
		b.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "SHASUMS256.txt"))
	sig, _ := os.ReadFile(filepath.Join(dir, "SHASUMS256.txt.sig"))
	opts := Options{Keyring: kr.Entities}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := VerifyDetached(bytes.NewReader(data), sig, opts); err != nil {
			b.Fatal(err)
		}
	}
}
