package main

import (
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/apt"
	"github.com/pedigree-dev/pedigree/collectors/distribution/oci"
	"github.com/pedigree-dev/pedigree/collectors/distribution/release"
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/distchecks"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
	"github.com/pedigree-dev/pedigree/verify/sigstore"
)

func init() {
	registerPillar(pillar{
		name: "distribution",
		collectors: func(cfg *config.Config) ([]collectors.Collector, error) {
			trust, err := distributionTrust(cfg)
			if err != nil {
				return nil, err
			}
			return distributionCollectors(cfg, trust)
		},
		checks: func(cfg *config.Config) ([]controls.Check, error) {
			return distchecks.All(distchecks.Options{MinThreshold: cfg.Distribution.MinThreshold}), nil
		},
	})
}

// distributionTrust loads the distribution: section with the trust policy
// the other pillars share (policy.keys keyrings, policy.sigstore roots,
// identities and keys).
func distributionTrust(cfg *config.Config) (*distribution.Trust, error) {
	d := cfg.Distribution
	at, err := d.Instant()
	if err != nil {
		return nil, usageError(err)
	}
	o := distribution.Options{
		At:                at,
		TUFRoot:           d.TUFRoot,
		Keyrings:          append(append([]string{}, d.Keyrings...), cfg.Policy.Keys.OpenPGPKeyrings...),
		Keys:              append([]string{}, d.Keys...),
		WithoutTlogUnsafe: d.WithoutTlogUnsafe,
		TrustedRoots:      append(append([]string{}, d.TrustedRoots...), cfg.Policy.Sigstore.TrustedRoots...),
		SLSA:              cfg.Policy.Sigstore.SLSA,
		Identities:        cfg.Policy.Sigstore.Identities,
	}
	// policy.sigstore.keys sign releases and images too; a key scoped to
	// some artifacts stays with the signing pillar, which matches them. A
	// key that does not load is the signing pillar's to report (as a trust
	// policy problem), not a reason to stop the run.
	for _, k := range cfg.Policy.Sigstore.Keys {
		switch {
		case len(k.Artifacts) > 0 || !loadsAsPublicKey(k.Path):
		case k.WithoutTlogUnsafe:
			o.KeysWithoutTlog = append(o.KeysWithoutTlog, k.Path)
		default:
			o.Keys = append(o.Keys, k.Path)
		}
	}
	t, err := distribution.Load(o)
	if err != nil {
		return nil, usageError(err)
	}
	return t, nil
}

// distributionCollectors builds the channel collectors; the OCI one reads
// attached SBOMs under the SBOM collector's limits (sbom: section).
func distributionCollectors(cfg *config.Config, t *distribution.Trust) ([]collectors.Collector, error) {
	limit, opts, err := sbomSettings(cfg)
	if err != nil {
		return nil, err
	}
	o := oci.New(t)
	o.SBOMMaxSize, o.SBOM = limit, opts
	return []collectors.Collector{o, tuf.New(t), apt.New(t), release.New(t)}, nil
}

func loadsAsPublicKey(p string) bool {
	b, err := readlimit.File(p, readlimit.Trust)
	if err != nil {
		return false
	}
	_, err = sigstore.ParsePublicKey(b)
	return err == nil
}
