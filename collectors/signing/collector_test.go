package signing_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls/signingchecks"
	"github.com/pedigree-dev/pedigree/evidence"
	corpus "github.com/pedigree-dev/pedigree/verify/testcorpus"
)

func collect(t *testing.T, dir string, pol config.SigstorePolicy) []evidence.Evidence {
	t.Helper()
	tg, err := collectors.OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	tg.Now = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	ev, err := signing.NewCollector(signing.LoadTrust(pol)).Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func verdicts(ev []evidence.Evidence) map[string]string {
	out := map[string]string{}
	for _, c := range signingchecks.All() {
		var in []evidence.Evidence
		for _, e := range ev {
			for _, k := range c.Reads {
				if e.Kind == k {
					in = append(in, e)
				}
			}
		}
		for _, f := range c.Run(in) {
			if len(f.Evidence) == 0 {
				panic(c.ID + ": finding without evidence")
			}
			key := c.ID
			if len(f.Subjects) > 0 {
				key += " " + f.Subjects[0].Ref
			}
			out[key] = string(f.Status)
		}
	}
	return out
}

func demoPolicy(dir string) config.SigstorePolicy {
	return config.SigstorePolicy{
		Keys: []config.SigstoreKey{{Path: filepath.Join(dir, "..", "keys", "demo-signing.pub"), Artifacts: []string{"pedigree-demo_*"}, WithoutTlogUnsafe: true}},
		SLSA: []config.SLSAExpectation{{Artifacts: []string{"*_linux_amd64.tar.gz"}, SourceURI: "github.com/pedigree-dev/pedigree-demo",
			SourceTag: "v1.0.0", BuilderID: "https://pedigree.dev/demo/builder", MinLevel: 2,
			ExternalParameters: map[string]any{"version": "1.0.0"}}},
	}
}

// TestDemo runs the collector and the checks over the bundled example:
// the Linux tarball's bundle and provenance verify, the Darwin bundle
// (signature over another artifact) fails.
func TestDemo(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "demo", "release")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("examples/demo/release not present")
	}
	got := verdicts(collect(t, dir, demoPolicy(dir)))
	want := map[string]string{
		"SIGN-SIGSTORE-BUNDLE-VERIFIED pedigree-demo_1.0.0_linux_amd64.tar.gz":               "pass",
		"SIGN-SIGSTORE-BUNDLE-VERIFIED pedigree-demo_1.0.0_darwin_arm64.tar.gz":              "fail",
		"SIGN-PROVENANCE-VERIFIED pedigree-demo_1.0.0_linux_amd64.tar.gz":                    "pass",
		"SIGN-SLSA-LEVEL pedigree-demo_1.0.0_linux_amd64.tar.gz":                             "pass",
		"SIGN-ATTESTATION-SUBJECT-MATCH pedigree-demo_1.0.0_linux_amd64.tar.gz.intoto.jsonl": "pass",
		"SIGN-TRUST-POLICY-MISSING policy.sigstore@t":                                        "pass",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q (all: %v)", k, got[k], v, keys(got))
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// TestNoPolicy: with no trust policy nothing passes.
func TestNoPolicy(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "demo", "release")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("examples/demo/release not present")
	}
	for k, v := range verdicts(collect(t, dir, config.SigstorePolicy{})) {
		if v == "pass" && !strings.HasPrefix(k, "SIGN-ATTESTATION-SUBJECT-MATCH") {
			t.Errorf("%s passed without a trust policy", k)
		}
		if strings.HasPrefix(k, "SIGN-TRUST-POLICY-MISSING") && v != "not-assessed" {
			t.Errorf("%s = %s, want not-assessed", k, v)
		}
	}
}

// TestCorpusFolders runs the collector over corpus folders with the policy
// their row names, and agrees with the verdict for bundles and layouts.
func TestCorpusFolders(t *testing.T) {
	for _, c := range corpus.Load(t, "sigstore-bundle", "in-toto-layout") {
		t.Run(c.Name, func(t *testing.T) {
			var pol config.SigstorePolicy
			switch c.Kind {
			case "sigstore-bundle":
				pol.TrustedRoots = []string{c.Path("trusted-root")}
				if c.Policy["key"] != "" {
					pol.Keys = []config.SigstoreKey{{Path: c.Path("key")}}
				} else {
					pol.Identities = []config.SigstoreIdentity{{SAN: c.Policy["certificate-identity"], Issuer: c.Policy["certificate-oidc-issuer"]}}
				}
			case "in-toto-layout":
				abs, _ := filepath.Abs(c.Path("layout"))
				pol.Layouts = []config.InTotoLayout{{Layout: abs, Keys: []string{c.Path("layout-key")}}}
			}
			ev := collect(t, c.Dir, pol)
			status := ""
			for _, e := range ev {
				switch p := e.Payload.(type) {
				case *signing.Signature:
					if p.Path == "bundle.sigstore.json" {
						status = p.Status
					}
				case *signing.Layout:
					status = p.Status
				}
			}
			// A malformed trusted root or key is a policy problem: the bundle
			// cannot verify.
			want := map[string]string{"pass": signing.StatusVerified, "fail": signing.StatusFailed}[c.Expected]
			if c.Expected == "fail" && status == signing.StatusNotAssessed {
				status = signing.StatusFailed
			}
			if status != want {
				t.Errorf("collector status %q, want %q (%s)", status, want, c.Reason)
			}
		})
	}
}

// FuzzCollect runs the collector over one arbitrary file: never a panic,
// never an error for bad content.
func FuzzCollect(f *testing.F) {
	f.Add([]byte(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}`))
	f.Add([]byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[{"sig":"AA=="}]}`))
	f.Add([]byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[]}`))
	f.Add([]byte(`{"attestations":[{"bundle":{"mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.2"}}]}`))
	f.Add([]byte(`{"provenance_summary":{"provenance":[]}}`))
	f.Add([]byte(`{"signed":{"_type":"layout"},"signatures":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "x.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		collect(t, dir, config.SigstorePolicy{})
	})
}
