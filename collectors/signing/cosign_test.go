package signing_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/evidence"
)

// signatures are the signing.signature payloads collected.
func signatures(t *testing.T, ev []evidence.Evidence) []signing.Signature {
	var out []signing.Signature
	for _, e := range ev {
		if e.Kind != signing.KindSignature {
			continue
		}
		s, ok := evidence.PayloadAs[signing.Signature](&e)
		if !ok {
			t.Fatalf("%s: payload %T", e.ID, e.Payload)
		}
		out = append(out, *s)
	}
	return out
}

func copyFiles(t *testing.T, dir string, files map[string]string) {
	for to, from := range files {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, to), b, 0o644)
	}
}

// TestCosignBlobBundles: cosign's legacy blob bundles are verified like
// Sigstore bundles, over the artifact their Rekor entry records or they
// are named after: a real keyless one (verify/sigstore/testdata) for its
// signer and not for another identity or altered bytes, and a real
// key-signed one (collectors/distribution/release/testdata) with its key
// only when the missing Rekor entry is accepted.
func TestCosignBlobBundles(t *testing.T) {
	const keyless = "../../verify/sigstore/testdata/cosign-blob-bundle/"
	const keyed = "../distribution/release/testdata/"
	root := []string{keyless + "trusted_root_pgi.json"}
	oauth := "https://github.com/login/oauth"
	for _, tc := range []struct {
		name     string
		files    map[string]string
		altered  string
		pol      config.SigstorePolicy
		artifact string
		want     string
	}{
		{name: "keyless, the signer", files: map[string]string{"artifact.txt": keyless + "artifact.txt", "artifact.txt.bundle": keyless + "artifact.txt.bundle"},
			pol:      config.SigstorePolicy{TrustedRoots: root, Identities: []config.SigstoreIdentity{{SAN: "daniel.bevenius@gmail.com", Issuer: oauth}}},
			artifact: "artifact.txt", want: signing.StatusVerified},
		{name: "keyless, another identity", files: map[string]string{"artifact.txt": keyless + "artifact.txt", "artifact.txt.bundle": keyless + "artifact.txt.bundle"},
			pol:      config.SigstorePolicy{TrustedRoots: root, Identities: []config.SigstoreIdentity{{SAN: "someone@example.com", Issuer: oauth}}},
			artifact: "artifact.txt", want: signing.StatusFailed},
		{name: "keyless, found by its Rekor entry under another name", files: map[string]string{"data.bin": keyless + "artifact.txt", "sig.bundle": keyless + "artifact.txt.bundle"},
			pol:      config.SigstorePolicy{TrustedRoots: root, Identities: []config.SigstoreIdentity{{SAN: "daniel.bevenius@gmail.com", Issuer: oauth}}},
			artifact: "data.bin", want: signing.StatusVerified},
		{name: "keyless, artifact altered", files: map[string]string{"artifact.txt.bundle": keyless + "artifact.txt.bundle"}, altered: "artifact.txt",
			pol:      config.SigstorePolicy{TrustedRoots: root, Identities: []config.SigstoreIdentity{{SAN: "daniel.bevenius@gmail.com", Issuer: oauth}}},
			artifact: "artifact.txt", want: signing.StatusFailed},
		{name: "key, no tlog entry", files: map[string]string{"checksums.txt": keyed + "cosign-bundle/checksums.txt", "checksums.txt.bundle": keyed + "cosign-bundle/checksums.txt.bundle"},
			pol:      config.SigstorePolicy{TrustedRoots: root, Keys: []config.SigstoreKey{{Path: keyed + "cosign.pub"}}},
			artifact: "checksums.txt", want: signing.StatusFailed},
		{name: "key, no trusted root to check a tlog entry with", files: map[string]string{"checksums.txt": keyed + "cosign-bundle/checksums.txt", "checksums.txt.bundle": keyed + "cosign-bundle/checksums.txt.bundle"},
			pol:      config.SigstorePolicy{Keys: []config.SigstoreKey{{Path: keyed + "cosign.pub"}}},
			artifact: "checksums.txt", want: signing.StatusNotAssessed},
		{name: "the signer's key needs a log entry; only another key may skip it", files: map[string]string{"checksums.txt": keyed + "cosign-bundle/checksums.txt", "checksums.txt.bundle": keyed + "cosign-bundle/checksums.txt.bundle"},
			pol:      config.SigstorePolicy{TrustedRoots: root, Keys: []config.SigstoreKey{{Path: keyed + "cosign.pub"}, {Path: keyed + "other-cosign.pub", WithoutTlogUnsafe: true}}},
			artifact: "checksums.txt", want: signing.StatusFailed},
		{name: "key, without tlog", files: map[string]string{"checksums.txt": keyed + "cosign-bundle/checksums.txt", "checksums.txt.bundle": keyed + "cosign-bundle/checksums.txt.bundle"},
			pol:      config.SigstorePolicy{Keys: []config.SigstoreKey{{Path: keyed + "cosign.pub", WithoutTlogUnsafe: true}}},
			artifact: "checksums.txt", want: signing.StatusVerified},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyFiles(t, dir, tc.files)
			if tc.altered != "" {
				os.WriteFile(filepath.Join(dir, tc.altered), []byte("some datA\n"), 0o644)
			}
			sigs := signatures(t, collect(t, dir, tc.pol))
			if len(sigs) != 1 {
				t.Fatalf("%d signatures: %+v", len(sigs), sigs)
			}
			s := sigs[0]
			if s.Format != "cosign-bundle" || s.Status != tc.want || len(s.Artifacts) != 1 || s.Artifacts[0].Path != tc.artifact {
				t.Errorf("%+v", s)
			}
		})
	}
}

// TestCosignBareSignatures: a bare signature beside its artifact (real
// cosign v2.5.3 key signature, collectors/distribution/release/testdata)
// verifies with the key where the policy accepts no transparency log,
// fails with another key; beside a certificate it is not-assessed (its
// Rekor entry is only online); with its artifact missing, not-assessed.
func TestCosignBareSignatures(t *testing.T) {
	const keyed = "../distribution/release/testdata/"
	files := map[string]string{"checksums.txt": keyed + "cosign-sig/checksums.txt", "checksums.txt.sig": keyed + "cosign-sig/checksums.txt.sig"}
	key := func(p string) config.SigstorePolicy {
		return config.SigstorePolicy{Keys: []config.SigstoreKey{{Path: keyed + p, WithoutTlogUnsafe: true}}}
	}
	for _, tc := range []struct {
		name   string
		pol    config.SigstorePolicy
		extra  map[string]string
		remove string
		want   string
		reason string
	}{
		{name: "the key", pol: key("cosign.pub"), want: signing.StatusVerified},
		{name: "another key", pol: key("other-cosign.pub"), want: signing.StatusFailed},
		{name: "no policy", want: signing.StatusNotAssessed, reason: "no trusted root or key"},
		{name: "beside a certificate", pol: key("cosign.pub"), extra: map[string]string{"checksums.txt.pem": "../../verify/sigstore/testdata/cosign-blob-bundle/artifact.txt.pem"},
			want: signing.StatusNotAssessed, reason: "under checksums.txt.pem's certificate with no Rekor entry"},
		{name: "beside a file that is no certificate", pol: key("cosign.pub"), extra: map[string]string{"checksums.txt.pem": "../../verify/sigstore/testdata/cosign-blob-bundle/artifact.txt.bundle"},
			want: signing.StatusFailed, reason: "certificate checksums.txt.pem"},
		{name: "artifact missing", pol: key("cosign.pub"), remove: "checksums.txt", want: signing.StatusNotAssessed, reason: "not in the target"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyFiles(t, dir, files)
			copyFiles(t, dir, tc.extra)
			if tc.remove != "" {
				os.Remove(filepath.Join(dir, tc.remove))
			}
			var sigs []signing.Signature
			for _, s := range signatures(t, collect(t, dir, tc.pol)) {
				if s.Format == "cosign-signature" {
					sigs = append(sigs, s)
				}
			}
			if len(sigs) != 1 || sigs[0].Status != tc.want || !strings.Contains(sigs[0].Reason, tc.reason) {
				t.Fatalf("%+v", sigs)
			}
		})
	}
}

// TestBundleLines: a file of Sigstore bundles one a line (what `gh
// attestation download` writes) is every bundle verified, not one
// malformed document. The bundle is sigstore-conformance's (SLSA v1
// provenance in DSSE), twice.
func TestBundleLines(t *testing.T) {
	const c = "../../../shared/corpus/signing/sigstore-happy-path-intoto-in-dsse-v3/"
	if _, err := os.Stat(c + "trusted_root.json"); err != nil {
		t.Skip("the shared signing corpus is not beside the repository")
	}
	line, err := os.ReadFile("../distribution/release/testdata/gh-attestation/bundle.jsonl.txt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyFiles(t, dir, map[string]string{"a.txt": c + "artifact"})
	os.WriteFile(filepath.Join(dir, "attestations.jsonl"), append(append([]byte{}, line...), line...), 0o644)
	pol := config.SigstorePolicy{TrustedRoots: []string{c + "trusted_root.json"}, Identities: []config.SigstoreIdentity{{SANRegex: ".*", IssuerRegex: ".*"}}}
	sigs := signatures(t, collect(t, dir, pol))
	if len(sigs) != 2 {
		t.Fatalf("%d signatures: %+v", len(sigs), sigs)
	}
	for _, s := range sigs {
		if s.Status != signing.StatusVerified || len(s.Artifacts) != 1 || s.Artifacts[0].Path != "a.txt" {
			t.Errorf("%+v", s)
		}
	}
}

// TestEnvelopeLines: an in-toto bundle (.intoto.jsonl: DSSE envelopes one
// a line, as the attestation spec defines it) is every envelope
// verified. The demo's signed SLSA provenance, twice.
func TestEnvelopeLines(t *testing.T) {
	const rel = "../../examples/demo/release/"
	line, err := os.ReadFile(rel + "pedigree-demo_1.0.0_linux_amd64.tar.gz.intoto.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyFiles(t, dir, map[string]string{"pedigree-demo_1.0.0_linux_amd64.tar.gz": rel + "pedigree-demo_1.0.0_linux_amd64.tar.gz"})
	line = append(bytes.TrimSpace(line), '\n')
	os.WriteFile(filepath.Join(dir, "pedigree-demo_1.0.0_linux_amd64.tar.gz.intoto.jsonl"), append(append([]byte{}, line...), line...), 0o644)
	var dsse []signing.Signature
	for _, s := range signatures(t, collect(t, dir, demoPolicy(rel))) {
		if s.Format == "dsse" {
			dsse = append(dsse, s)
		}
	}
	if len(dsse) != 2 || dsse[0].Status != signing.StatusVerified || dsse[1].Status != signing.StatusVerified {
		t.Fatalf("%+v", dsse)
	}
}

// TestManyDocuments: a JSON-lines file of many bundles makes at most
// MaxDocumentsPerFile observations of them, and one more that says the
// rest were not verified.
func TestManyDocuments(t *testing.T) {
	line, err := os.ReadFile("../distribution/release/testdata/gh-attestation/bundle.jsonl.txt")
	if err != nil {
		t.Fatal(err)
	}
	line = append(bytes.TrimSpace(line), '\n')
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "many.jsonl"), bytes.Repeat(line, 3*signing.MaxDocumentsPerFile), 0o644)
	sigs := signatures(t, collect(t, dir, config.SigstorePolicy{}))
	if len(sigs) != signing.MaxDocumentsPerFile+1 || !strings.Contains(sigs[0].Reason, "300 documents, one a line: the first 100 are verified") {
		t.Fatalf("%d observations; first: %+v", len(sigs), sigs[0])
	}
}
