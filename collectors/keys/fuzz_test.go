package keys

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func seedCorpus(f *testing.F, names ...string) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "signing")
	for _, n := range names {
		if b, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
			f.Add(b)
		}
	}
}

func FuzzParseTrustedRoot(f *testing.F) {
	seedCorpus(f, "sigstore-happy-path-v0.3/trusted_root.json", "sigstore-rekor2-happy-path/trusted_root.json")
	f.Add([]byte(`{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","tlogs":[{"publicKey":{"rawBytes":"MAA="}}]}`))
	f.Add([]byte(`{"tlogs":[[[[[[[[]]]]]]]]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		assets, _ := ParseTrustedRoot("trusted_root.json", b)
		for _, a := range assets {
			if a.Class == "" || a.Pointer == "" {
				t.Fatalf("unclassified or unlocated asset %+v", a)
			}
		}
		ParseBundle("bundle.json", b)
	})
}

func FuzzScanFile(f *testing.F) {
	seedCorpus(f, "openpgp-rekor-test-file/test_public_key.key", "openpgp-node-v15.4.0-shasums-detached/SHASUMS256.txt.sig",
		"openpgp-node-v15.4.0-clearsigned-wrong-key_fail/SHASUMS256.txt.asc", "sigstore-managed-key-happy-path/key.pub",
		"sigstore-happy-path-v0.3/bundle.sigstore.json")
	f.Add([]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl demo"))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"))
	f.Add([]byte{0x30, 0x82, 0xff, 0xff})
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, name := range []string{"k.pem", "k.gpg", "k.json", "k.der", "id_x.pub"} {
			m := ScanFile(name, b, now)
			if m == nil {
				continue
			}
			for _, a := range m.Assets {
				if a.Class == "" || a.CNSA2 == "" {
					t.Fatalf("%s: unclassified asset %+v", name, a)
				}
			}
		}
	})
}
