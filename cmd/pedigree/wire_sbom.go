package main

import (
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/sbomchecks"
)

func init() {
	registerPillar(pillar{
		name: "sbom",
		collectors: func(cfg *config.Config) ([]collectors.Collector, error) {
			limit, err := cfg.SBOM.MaxSizeBytes()
			if err != nil {
				return nil, usageError(err)
			}
			schemaLimit, err := cfg.SBOM.SchemaMaxSizeBytes()
			if err != nil {
				return nil, usageError(err)
			}
			c := sbom.NewCollector(limit)
			c.Options.SkipSchema = cfg.SBOM.SkipSchema
			c.Options.SchemaMaxSize = schemaLimit
			return []collectors.Collector{c}, nil
		},
		checks: func(cfg *config.Config) ([]controls.Check, error) {
			age, err := cfg.SBOM.MaxAgeDuration()
			if err != nil {
				return nil, usageError(err)
			}
			return sbomchecks.All(sbomchecks.Options{MaxAge: age}), nil
		},
		inventoriers: []controls.Inventorier{sbomchecks.Inventory},
	})
}
