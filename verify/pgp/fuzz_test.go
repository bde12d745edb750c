package pgp

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func seedFiles(f *testing.F, names ...string) {
	f.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "signing")
	for _, n := range names {
		if b, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("-----BEGIN PGP SIGNATURE-----\n\n-----END PGP SIGNATURE-----\n"))
	f.Add([]byte{0x88, 0x05, 0x04, 0x00, 0x01, 0x02, 0x03})
	f.Add([]byte{})
}

func FuzzReadSignatures(f *testing.F) {
	seedFiles(f, "openpgp-rekor-test-file/test_file.sig", "openpgp-node-v15.4.0-shasums-detached/SHASUMS256.txt.sig")
	f.Fuzz(func(t *testing.T, b []byte) {
		sigs, _, _, err := ReadSignatures(b)
		if err == nil && len(sigs) == 0 {
			t.Fatal("no error and no signature")
		}
	})
}

func FuzzParseKeyring(f *testing.F) {
	seedFiles(f, "openpgp-rekor-test-file/test_public_key.key", "openpgp-node-v15.4.0-shasums-detached/release-key.gpg")
	f.Fuzz(func(t *testing.T, b []byte) {
		el, err := ParseKeyring(b)
		if err == nil && len(el) == 0 {
			t.Fatal("no error and no key")
		}
		for _, e := range el {
			KeyAlgorithm(e.PrimaryKey)
		}
	})
}

// FuzzVerify never passes a mutated signature over fixed data with a
// keyring the fuzzer does not control, and never panics.
func FuzzVerify(f *testing.F) {
	seedFiles(f, "openpgp-rekor-test-file/test_file.sig", "openpgp-node-v15.4.0-clearsigned-wrong-key_fail/SHASUMS256.txt.asc")
	ring, err := LoadKeyring(filepath.Join("..", "..", "..", "shared", "corpus", "signing", "openpgp-rekor-test-file", "test_public_key.key"))
	if err != nil {
		f.Skip("shared corpus not present")
	}
	data, _ := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", "signing", "openpgp-rekor-test-file", "test_file.txt"))
	good, _ := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", "signing", "openpgp-rekor-test-file", "test_file.sig"))
	opts := Options{Keyring: ring.Entities, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := VerifyDetached(bytes.NewReader([]byte("not the data")), b, opts); err == nil {
			t.Fatal("signature verified over the wrong data")
		}
		_, err := VerifyDetached(bytes.NewReader(data), b, opts)
		if err == nil && !bytes.Equal(b, good) {
			sigs, _, _, _ := ReadSignatures(b)
			gs, _, _, _ := ReadSignatures(good)
			if len(sigs) == 0 || len(gs) == 0 || !bytes.Equal(sigs[0].RSASignature.Bytes(), gs[0].RSASignature.Bytes()) {
				t.Fatal("a different signature verified")
			}
		}
		VerifyMessage(b, opts)
	})
}
