package main

import (
	"testing"

	"github.com/pedigree-dev/pedigree/config"
)

// TestDistributionTrustSharesSigstoreKeys: policy.sigstore.keys verify
// releases and images too, those marked without-tlog-unsafe without a log
// entry; a key scoped to some artifacts stays with the signing pillar.
func TestDistributionTrustSharesSigstoreKeys(t *testing.T) {
	const dir = "../../collectors/distribution/release/testdata/"
	cfg := &config.Config{}
	cfg.Policy.Sigstore.Keys = []config.SigstoreKey{
		{Path: dir + "cosign.pub"},
		{Path: dir + "other-cosign.pub", WithoutTlogUnsafe: true},
		{Path: dir + "other-cosign.pub", Artifacts: []string{"app_*"}},
		// Reported by the signing pillar as a trust-policy problem; the run
		// goes on without it.
		{Path: dir + "no-such.pub"},
		{Path: dir + "SOURCES.md", WithoutTlogUnsafe: true},
	}
	tr, err := distributionTrust(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Keys) != 2 || len(tr.KeysWithoutTlog) != 1 || tr.WithoutTlogUnsafe || !tr.TlogOptional() {
		t.Fatalf("keys %d, without tlog %d, global %v", len(tr.Keys), len(tr.KeysWithoutTlog), tr.WithoutTlogUnsafe)
	}
}
