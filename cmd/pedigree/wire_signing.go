package main

import (
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/signingchecks"
)

func init() {
	registerPillar(pillar{
		name: "signing",
		collectors: func(cfg *config.Config) ([]collectors.Collector, error) {
			return []collectors.Collector{signing.NewCollector(signing.LoadTrust(cfg.Policy.Sigstore))}, nil
		},
		checks: func(*config.Config) ([]controls.Check, error) { return signingchecks.All(), nil },
	})
}
