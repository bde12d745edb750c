package oci

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
)

// TestCosignSave: a layout written by the real cosign save, signed and
// attested by cosign with a key and no transparency log (testdata/SOURCES.md).
func TestCosignSave(t *testing.T) {
	const dir, key = "testdata/cosign-save", "testdata/cosign-save.pub"
	fs := scan(t, dir, distribution.Options{Keys: []string{key}, WithoutTlogUnsafe: true})
	for check, want := range map[string]string{
		CheckIntegrity: distribution.Verified, CheckSigned: distribution.Verified,
		CheckAttested: distribution.Verified, CheckDigestPinned: distribution.Failed,
	} {
		got := find(fs, check)
		if len(got) != 1 || got[0].Outcome != want {
			t.Errorf("%s: %+v, want %s", check, got, want)
		}
	}
	// As cosign verify without --insecure-ignore-tlog: refused.
	if s := find(scan(t, dir, distribution.Options{Keys: []string{key}}), CheckSigned)[0]; s.Outcome != distribution.Failed || !strings.Contains(s.Message, "transparency-log") {
		t.Errorf("without tlog: %s", s.Message)
	}
	// The key alone accepted without a log (policy.sigstore.keys with
	// without-tlog-unsafe): verified; another key so accepted, while this
	// one needs a log entry: refused.
	if s := find(scan(t, dir, distribution.Options{KeysWithoutTlog: []string{key}}), CheckSigned)[0]; s.Outcome != distribution.Verified {
		t.Errorf("key accepted without tlog: %s %s", s.Outcome, s.Message)
	}
	if s := find(scan(t, dir, distribution.Options{Keys: []string{key}, KeysWithoutTlog: []string{writeKey(t, "other")}}), CheckSigned)[0]; s.Outcome != distribution.Failed {
		t.Errorf("only another key accepted without tlog: %s %s", s.Outcome, s.Message)
	}
	// Another key: fails.
	if s := find(scan(t, dir, distribution.Options{Keys: []string{writeKey(t, "other")}, WithoutTlogUnsafe: true}), CheckSigned)[0]; s.Outcome != distribution.Failed {
		t.Errorf("other key: %s", s.Message)
	}
	// One byte of the signed payload changed: integrity and signature fail.
	cp := t.TempDir()
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(cp, rel), 0o755)
		}
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), `"docker-manifest-digest"`) {
			b = []byte(strings.Replace(string(b), "cosign container image signature", "cosign container image signaturE", 1))
		}
		return os.WriteFile(filepath.Join(cp, rel), b, 0o644)
	})
	bad := scan(t, cp, distribution.Options{Keys: []string{key}, WithoutTlogUnsafe: true})
	if in := find(bad, CheckIntegrity); len(in) == 0 || in[0].Outcome != distribution.Failed {
		t.Errorf("tampered payload: integrity %+v", in)
	}
	if s := find(bad, CheckSigned)[0]; s.Outcome != distribution.Failed {
		t.Errorf("tampered payload: %s %s", s.Outcome, s.Message)
	}
}
