package main

import (
	"strings"
	"testing"

	corpus "github.com/pedigree-dev/pedigree/verify/testcorpus"
)

// TestVerifyNPMRunnerBuilderEquivalence verifies real npm attestations (one
// with the SLSA v0.2 predicate, whose builder is the bare runner id, one with
// v1, which names github-hosted) under policies written with either builder
// id, as slsa-verifier accepts them; a self-hosted policy still fails.
func TestVerifyNPMRunnerBuilderEquivalence(t *testing.T) {
	byName := map[string]corpus.Case{}
	for _, c := range corpus.Load(t, "slsa-provenance") {
		byName[c.Name] = c
	}
	v02, ok1 := byName["slsa-npm-supreme-goggles-version-mismatch_fail"]
	v1, ok2 := byName["slsa-npm-gundam-visor-1.0.1"]
	if !ok1 || !ok2 {
		t.Fatal("npm provenance rows missing from the signing corpus")
	}
	v02.Policy["package-version"] = "1.0.5" // the version it attests
	const (
		bare   = "https://github.com/actions/runner"
		hosted = "https://github.com/actions/runner/github-hosted"
		self   = "https://github.com/actions/runner/self-hosted"
	)
	for _, tc := range []struct {
		name    string
		c       corpus.Case
		builder string
		code    int
		want    string
	}{
		{"v0.2 predicate, hosted policy", v02, hosted, 0, "OK: "},
		{"v0.2 predicate, bare policy", v02, bare, 0, "OK: "},
		{"v0.2 predicate, self-hosted policy", v02, self, 1, "FAIL: provenance verification failed: untrusted builder"},
		{"v1 predicate, hosted policy", v1, hosted, 0, "OK: "},
		{"v1 predicate, bare policy", v1, bare, 0, "OK: "},
		{"v1 predicate, self-hosted policy", v1, self, 1, "FAIL: provenance verification failed: untrusted builder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			p := map[string]string{}
			for k, v := range c.Policy {
				p[k] = v
			}
			p["builder-id"] = tc.builder
			c.Policy = p
			r := pedigree(t, nil, signingArgs(t, c)...)
			if r.code != tc.code || !strings.HasPrefix(r.stdout, tc.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d and %q", r.code, r.stdout, r.stderr, tc.code, tc.want)
			}
		})
	}
}
