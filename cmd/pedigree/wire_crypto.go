package main

import (
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/keys"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/cryptochecks"
)

func init() {
	registerPillar(pillar{
		name: "crypto",
		collectors: func(cfg *config.Config) ([]collectors.Collector, error) {
			opts, err := keys.LoadTrust(cfg.Policy.Keys)
			if err != nil {
				return nil, usageError(err)
			}
			return []collectors.Collector{keys.New(opts)}, nil
		},
		checks:       func(*config.Config) ([]controls.Check, error) { return cryptochecks.All(), nil },
		inventoriers: []controls.Inventorier{cryptochecks.Inventory},
	})
}
