package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/pedigree-dev/pedigree/collectors/distribution/oci/ocitest"
)

func demoDir(parts ...string) string {
	return filepath.Join(append([]string{filepath.Dir(demoConfigPath())}, parts...)...)
}

func distTrustFlags() []string {
	return []string{
		"--keyring", demoDir("keys", "archive-keyring.asc"),
		"--key", demoDir("keys", "cosign.pub"),
		"--tuf-root", demoDir("keys", "tuf-root.json"),
		"--without-tlog-unsafe",
	}
}

func TestDistScanJSON(t *testing.T) {
	args := append([]string{"dist", "scan", demoDir("distribution"), "--json", "--at", "2026-08-20T00:00:00Z"}, distTrustFlags()...)
	r := pedigree(t, nil, args...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (a TUF target altered, a base image by tag)\n%s", r.code, r.stderr)
	}
	kinds := map[string]bool{}
	fails := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var f map[string]any
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		for _, k := range []string{"path", "kind", "check", "status", "message", "controls", "at"} {
			if _, ok := f[k]; !ok {
				t.Errorf("%s lacks %q", line, k)
			}
		}
		if f["at"] != "2026-08-20T00:00:00Z" {
			t.Errorf("at = %v", f["at"])
		}
		if len(f["controls"].([]any)) == 0 {
			t.Errorf("%s maps to no control", f["check"])
		}
		kinds[f["kind"].(string)] = true
		if f["status"] == "fail" {
			fails[f["check"].(string)] = true
		}
	}
	for _, k := range []string{"oci", "tuf", "apt"} {
		if !kinds[k] {
			t.Errorf("no %s finding", k)
		}
	}
	if len(fails) != 2 || !fails["DIST-TUF-TARGETS-MATCH"] || !fails["DIST-OCI-DIGEST-PINNED"] {
		t.Errorf("failed checks %v", fails)
	}
}

func TestDistScanExitCodes(t *testing.T) {
	// The apt repository alone passes: exit 0, a table with the instant.
	r := pedigree(t, nil, append([]string{"dist", "scan", demoDir("distribution", "apt"), "--at", "2026-08-20T00:00:00Z"}, distTrustFlags()...)...)
	if r.code != 0 || !strings.Contains(r.stdout, "DIST-APT-SIGNED") || !strings.Contains(r.stdout, "judged at 2026-08-20T00:00:00Z") {
		t.Errorf("apt: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// After Valid-Until: the same repository fails.
	r = pedigree(t, nil, append([]string{"dist", "scan", demoDir("distribution", "apt"), "--at", "2031-06-01T00:00:00Z"}, distTrustFlags()...)...)
	if r.code != 1 || !strings.Contains(r.stdout, "DIST-APT-VALID-UNTIL") {
		t.Errorf("expired apt: exit %d\n%s", r.code, r.stdout)
	}
	for _, args := range [][]string{
		{"dist", "scan", demoDir("distribution"), "--at", "yesterday"},
		{"dist", "scan", filepath.Join(t.TempDir(), "missing")},
		{"dist", "scan", demoDir("distribution"), "--keyring", demoDir("distribution", "apt", "dists", "stable", "InRelease")},
		{"dist", "scan"},
	} {
		r := pedigree(t, nil, args...)
		if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") > 1 {
			t.Errorf("%v: exit %d, stderr %q", args[2:], r.code, r.stderr)
		}
	}
}

// TestAssessLargeAttestedSBOMInTarball: the built binary assesses an OCI
// tarball whose SBOM attestation is above the 4 MiB kept on the first pass:
// the SBOM reaches SBOM-SCHEMA-VALID; with sbom.max-size below its size
// the finding is not-assessed, naming the archive entry and the limit.
func TestAssessLargeAttestedSBOMInTarball(t *testing.T) {
	root := t.TempDir()
	layout := filepath.Join(root, "layout")
	if _, err := ocitest.Write(layout, ocitest.Options{Images: 1, LayerSize: 512, Sign: true, Attest: true, Referrer: true, Seed: "cli",
		SBOM: func(int, v1.Image) (string, any) { return "https://cyclonedx.org/bom", ocitest.CycloneDX(25000) }}); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(root, "target"), 0o755)
	if err := ocitest.WriteTar(filepath.Join(root, "target", "image.tar"), layout, false); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "cosign.pub"), ocitest.PublicPEM(ocitest.Key("cli")), 0o644)
	for _, tc := range []struct{ maxSize, status, says string }{
		{"", "pass", "valid against the official JSON schema"},
		{"sbom: {max-size: 5MiB}\n", "not-assessed", "image.tar!blobs/sha256/"},
	} {
		cfg := filepath.Join(root, "pedigree.yaml")
		os.WriteFile(cfg, []byte("targets:\n  - {name: image, path: target, role: distribution}\nformat: [json]\n"+tc.maxSize+
			"distribution:\n  keys: [cosign.pub]\n  without-tlog-unsafe: true\n"), 0o644)
		out := t.TempDir()
		if r := pedigree(t, nil, "assess", "--config", cfg, "--out", out, "--quiet", "--fail-on", "none"); r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		var found []string
		for _, f := range loadNative(t, filepath.Join(out, "pedigree.json"))["findings"].([]any) {
			f := f.(map[string]any)
			if f["check"] == "SBOM-SCHEMA-VALID" {
				found = append(found, f["status"].(string)+": "+f["message"].(string))
			}
		}
		if len(found) != 1 || !strings.HasPrefix(found[0], tc.status+": ") || !strings.Contains(found[0], tc.says) {
			t.Errorf("max-size %q: SBOM-SCHEMA-VALID %q", tc.maxSize, found)
		}
		if tc.status == "not-assessed" && !strings.Contains(found[0], "5242880-byte limit") {
			t.Errorf("the limit is not named: %s", found[0])
		}
	}
}
