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
			limit, opts, err := sbomSettings(cfg)
			if err != nil {
				return nil, err
			}
			c := sbom.NewCollector(limit)
			c.Options = opts
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

// sbomSettings are the sbom: section's size limit and parser options, which
// the SBOM collector and the OCI collector (for SBOMs attached to images)
// both read.
func sbomSettings(cfg *config.Config) (int64, sbom.Options, error) {
	limit, err := cfg.SBOM.MaxSizeBytes()
	if err != nil {
		return 0, sbom.Options{}, usageError(err)
	}
	schemaLimit, err := cfg.SBOM.SchemaMaxSizeBytes()
	if err != nil {
		return 0, sbom.Options{}, usageError(err)
	}
	return limit, sbom.Options{SkipSchema: cfg.SBOM.SkipSchema, SchemaMaxSize: schemaLimit}, nil
}
