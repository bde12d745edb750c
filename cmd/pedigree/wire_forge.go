package main

import (
	"os"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/forge"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/forgechecks"
)

// The forge collector is always registered: with repo.online off it asks
// nothing and its checks say not-assessed, never pass.
func init() {
	registerPillar(pillar{
		name: "forge",
		collectors: func(cfg *config.Config) ([]collectors.Collector, error) {
			c, err := newForgeCollector(cfg.Repo.Online)
			if err != nil {
				return nil, err
			}
			return []collectors.Collector{c}, nil
		},
		checks: func(*config.Config) ([]controls.Check, error) { return forgechecks.All(), nil },
	})
	onlineRepo = func(cfg *config.Config) ([]collectors.Collector, []controls.Check, error) {
		c, err := newForgeCollector(cfg.Repo.Online)
		if err != nil {
			return nil, nil, err
		}
		return []collectors.Collector{c}, forgechecks.All(), nil
	}
}

// newForgeCollector builds the forge collector from repo.online, reading
// the token from the variable it names only when the collector is enabled.
func newForgeCollector(online config.RepoOnline) (*forge.Collector, error) {
	token := ""
	if online.Enabled {
		token = os.Getenv(forge.TokenEnv(online))
	}
	c, err := forge.New(online, token, nil)
	if err != nil {
		return nil, usageError(err)
	}
	return c, nil
}
