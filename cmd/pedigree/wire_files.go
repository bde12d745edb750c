package main

import (
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/filechecks"
)

func init() {
	registerPillar(pillar{
		name: "files",
		collectors: func(cfg *config.Config) ([]collectors.Collector, error) {
			return []collectors.Collector{files.New(cfg.Files.ReleasePatterns)}, nil
		},
		checks: func(*config.Config) ([]controls.Check, error) { return filechecks.All(), nil },
	})
}
