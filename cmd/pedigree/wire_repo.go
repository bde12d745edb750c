package main

import (
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/gitrepo"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/repochecks"
)

func init() {
	registerPillar(pillar{
		name: "repo",
		collectors: func(cfg *config.Config) ([]collectors.Collector, error) {
			c, err := newRepoCollector(cfg)
			if err != nil {
				return nil, err
			}
			return []collectors.Collector{c}, nil
		},
		checks: func(cfg *config.Config) ([]controls.Check, error) {
			return repochecks.All(minSignedShare(cfg)), nil
		},
	})
}

// newRepoCollector builds the offline repository collector with the keys
// the config trusts for commit and tag signatures: repo.openpgp-keyrings,
// policy.keys.openpgp-keyrings, repo.allowed-signers and, as a forge's
// keys, repo.forge-keyrings.
func newRepoCollector(cfg *config.Config) (*gitrepo.Collector, error) {
	keyrings := append(append([]string{}, cfg.Repo.OpenPGPKeyrings...), cfg.Policy.Keys.OpenPGPKeyrings...)
	trust, err := gitrepo.LoadTrust(keyrings, cfg.Repo.AllowedSigners)
	if err != nil {
		return nil, err
	}
	if err := trust.AddForgeKeys(cfg.Repo.ForgeKeyrings); err != nil {
		return nil, err
	}
	return gitrepo.New(trust, cfg.Repo.SignatureWindow), nil
}

func minSignedShare(cfg *config.Config) float64 {
	if cfg.Repo.MinSignedShare != nil {
		return *cfg.Repo.MinSignedShare
	}
	return 1
}
