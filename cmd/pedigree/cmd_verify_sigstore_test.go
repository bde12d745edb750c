package main

import (
	"os/exec"
	"strings"
	"testing"

	corpus "github.com/pedigree-dev/pedigree/verify/testcorpus"
)

// signingArgs turns a corpus row's policy into the matching verify command.
func signingArgs(t *testing.T, c corpus.Case) []string {
	t.Helper()
	p := c.Policy
	switch c.Kind {
	case "sigstore-bundle":
		args := []string{"verify", "bundle", "--bundle", c.Path("bundle"), "--trusted-root", c.Path("trusted-root")}
		if p["key"] != "" {
			args = append(args, "--key", c.Path("key"))
		} else {
			args = append(args, "--certificate-identity", p["certificate-identity"], "--certificate-oidc-issuer", p["certificate-oidc-issuer"])
		}
		return append(args, c.Path("artifact"))
	case "slsa-provenance":
		prov := firstSet(p, "provenance", "attestation", "attestations")
		args := []string{"verify", "provenance", "--provenance", c.Path(prov), "--source-uri", p["source-uri"]}
		for _, k := range []string{"builder-id", "source-tag", "source-branch", "source-versioned-tag", "package-name", "package-version"} {
			if p[k] != "" {
				args = append(args, "--"+k, p[k])
			}
		}
		for _, k := range []string{"trusted-root", "npm-keys", "gcb-keys"} {
			if p[k] != "" {
				args = append(args, "--"+k, c.Path(k))
			}
		}
		switch {
		case p["artifact"] != "":
			args = append(args, c.Path("artifact"))
		case p["artifact-sha256"] != "":
			args = append(args, "sha256:"+p["artifact-sha256"])
		case p["artifact-sha512"] != "":
			args = append(args, "sha512:"+p["artifact-sha512"])
		case p["image"] != "":
			args = append(args, p["image"])
		default:
			t.Fatalf("%s: no artifact in policy", c.Name)
		}
		return args
	case "dsse":
		args := []string{"verify", "dsse", "--envelope", c.Path("envelope"), "--key", c.Path("key")}
		if p["key-id"] != "" {
			args = append(args, "--key-id", p["key-id"])
		}
		if p["key-scheme"] != "" {
			args = append(args, "--key-scheme", p["key-scheme"])
		}
		if p["mode"] == "verify-vsa" {
			args = append(args, "--vsa-subject-digest", p["subject-digest"], "--vsa-verifier-id", p["verifier-id"], "--vsa-resource-uri", p["resource-uri"])
			for _, l := range strings.Split(p["verified-levels"], ",") {
				args = append(args, "--vsa-verified-level", l)
			}
		}
		return args
	case "in-toto-layout":
		return []string{"verify", "layout", "--layout", c.Path("layout"), "--layout-key", c.Path("layout-key"), "--link-dir", c.Path("link-dir")}
	case "in-toto-statement":
		return []string{"verify", "statement", c.Path("statement")}
	}
	t.Fatalf("%s: unknown kind %s", c.Name, c.Kind)
	return nil
}

func firstSet(p map[string]string, keys ...string) string {
	for _, k := range keys {
		if p[k] != "" {
			return k
		}
	}
	return ""
}

var signingKinds = []string{"sigstore-bundle", "slsa-provenance", "dsse", "in-toto-layout", "in-toto-statement"}

// TestVerifySigningCorpus runs the matching verify command over every
// sigstore, SLSA, DSSE, in-toto layout and statement row of the shared
// signing corpus and agrees with every verdict: exit 0 and "OK: " for pass,
// exit 1 and "FAIL: " for fail.
func TestVerifySigningCorpus(t *testing.T) {
	cases := corpus.Load(t, signingKinds...)
	if len(cases) < 61 {
		t.Fatalf("only %d signing rows found", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			r := pedigree(t, nil, signingArgs(t, c)...)
			checkVerdict(t, c, r)
		})
	}
}

func checkVerdict(t *testing.T, c corpus.Case, r result) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 1 {
		t.Errorf("want one line of output, got %q (stderr %q)", r.stdout, r.stderr)
	}
	switch c.Expected {
	case "pass":
		if r.code != 0 || !strings.HasPrefix(r.stdout, "OK: ") {
			t.Errorf("want pass (%s), got exit %d: %s%s", c.Reason, r.code, r.stdout, r.stderr)
		}
	case "fail":
		if r.code != 1 || !strings.HasPrefix(r.stdout, "FAIL: ") {
			t.Errorf("want fail (%s), got exit %d: %s%s", c.Reason, r.code, r.stdout, r.stderr)
		}
	}
	t.Logf("%s", strings.TrimSpace(r.stdout))
}

// TestVerifySigningOffline runs the same commands in a network-less user
// namespace (unshare -rn): every verdict must be the same, proving that no
// verifier reaches the network.
func TestVerifySigningOffline(t *testing.T) {
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare not installed: cannot build a network-less namespace here")
	}
	if out, err := exec.Command(unshare, "-rn", "true").CombinedOutput(); err != nil {
		t.Skipf("unshare -rn is not permitted here (%v: %s)", err, strings.TrimSpace(string(out)))
	}
	cases := corpus.Load(t, signingKinds...)
	if testing.Short() {
		// One row of each kind and verdict still covers every verifier.
		seen := map[string]bool{}
		var keep []corpus.Case
		for _, c := range cases {
			if k := c.Kind + c.Expected; !seen[k] {
				seen[k] = true
				keep = append(keep, c)
			}
		}
		cases = keep
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"-rn", pedigreeBin}, signingArgs(t, c)...)
			cmd := exec.Command(unshare, args...)
			var out, errb strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			checkVerdict(t, c, result{code, out.String(), errb.String()})
		})
	}
}

// BenchmarkVerifyBundleCLI execs `pedigree verify bundle` once per bundle:
// the per-process cost a CLI-per-bundle workflow pays (start-up, trusted
// root load, verification), to compare with the in-process batch in
// verify/sigstore (BenchmarkVerifyBatch1000).
func BenchmarkVerifyBundleCLI(b *testing.B) {
	var c corpus.Case
	for _, x := range corpus.Load(b, "sigstore-bundle") {
		if x.Name == "sigstore-rekor2-happy-path" {
			c = x
		}
	}
	if c.Name == "" {
		b.Skip("corpus row missing")
	}
	args := []string{"verify", "bundle", "--bundle", c.Path("bundle"), "--trusted-root", c.Path("trusted-root"),
		"--certificate-identity", c.Policy["certificate-identity"], "--certificate-oidc-issuer", c.Policy["certificate-oidc-issuer"], c.Path("artifact")}
	for b.Loop() {
		if out, err := exec.Command(pedigreeBin, args...).CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
	b.ReportMetric(1/(b.Elapsed().Seconds()/float64(b.N)), "bundles/s")
}
