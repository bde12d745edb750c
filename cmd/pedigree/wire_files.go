package main

import (
	"fmt"

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
			c := files.New(cfg.Files.ReleasePatterns)
			if cfg.Files.ArchiveBudget != "" {
				n, err := config.ParseSize(cfg.Files.ArchiveBudget)
				if err != nil || n <= 0 {
					return nil, usageError(fmt.Errorf("--archive-budget %q: want a positive size (bytes, or KiB/MiB/GiB)", cfg.Files.ArchiveBudget))
				}
				c.ArchiveBudget = n
			}
			return []collectors.Collector{c}, nil
		},
		checks: func(*config.Config) ([]controls.Check, error) { return filechecks.All(), nil },
	})
}
