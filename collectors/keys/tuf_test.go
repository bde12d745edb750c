package keys

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf/tuftest"
)

// TUF keys go into the inventory: Sigstore's root (PEM ECDSA, TUF 1.0),
// its first root (go-tuf v0 hex ECDSA points) and an Ed25519 repository.
func TestTUFKeys(t *testing.T) {
	const real = "../distribution/tuf/testdata/sigstore-root-signing/metadata"
	dir := t.TempDir()
	if _, err := tuftest.Write(dir, tuftest.Options{Roots: 1, Targets: 1, Threshold: 2, Delegate: true, Seed: "k"}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		file      string
		n         int
		alg, role string
	}{
		{filepath.Join(real, "root.json"), 6, "ECDSA", "root,targets"},
		{filepath.Join(real, "root_history/1.root.json"), 5, "ECDSA", "root"},
		{filepath.Join(dir, "metadata/root.json"), 7, "Ed25519", "root"},
		{filepath.Join(dir, "metadata/targets.json"), 1, "Ed25519", "delegated:delegated"},
		// A TAP 15 hash-bin delegation written by python-tuf: one key for every bin.
		{"../distribution/tuf/testdata/python-tuf-bins/metadata/1.targets.json", 1, "Ed25519", "delegated:bins-*"},
	}
	for _, tc := range cases {
		b, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		m := ScanFile(filepath.Base(tc.file), b, time.Now())
		if m == nil || m.Format != "tuf-metadata" || m.Problem != "" {
			t.Fatalf("%s: %+v", tc.file, m)
		}
		roles := 0
		for _, a := range m.Assets {
			if a.Kind != AssetTUFKey || a.Algorithm != tc.alg || a.Class != ClassQuantumVulnerable || a.Error != "" {
				t.Errorf("%s: asset %+v", tc.file, a)
			}
			if strings.Contains(a.Role, tc.role) {
				roles++
			}
		}
		if len(m.Assets) < tc.n || roles == 0 {
			t.Errorf("%s: %d assets (%d with role %s), want >= %d", tc.file, len(m.Assets), roles, tc.role, tc.n)
		}
	}
}
