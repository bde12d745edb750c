package main

import (
	"os"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/vuln"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/vulnchecks"
)

func init() {
	registerPillar(pillar{
		name: "vuln",
		collectors: func(cfg *config.Config) ([]collectors.Collector, error) {
			c, err := vuln.New(vulnOptions(cfg))
			if err != nil {
				return nil, err
			}
			return []collectors.Collector{c}, nil
		},
		checks: func(cfg *config.Config) ([]controls.Check, error) {
			th, err := cfg.Vuln.Threshold()
			if err != nil {
				return nil, err
			}
			age, err := cfg.Vuln.MaxAgeDuration()
			if err != nil {
				return nil, err
			}
			return vulnchecks.All(vulnchecks.Options{Threshold: th, MaxAge: age}), nil
		},
	})
}

// vulnOptions turns the vuln: section into collector options; the index
// cache lives in the user cache folder unless configured or disabled.
func vulnOptions(cfg *config.Config) vuln.Options {
	v := cfg.Vuln
	o := vuln.Options{OSV: v.OSV, KEV: v.KEV, VEX: v.VEX, MaxFileSize: cfg.MaxFileSize,
		Load: vuln.LoadOptions{MaxRecordSize: v.MaxRecordSize, CacheDir: v.CacheDir}}
	if o.Load.CacheDir == "" && !v.NoCache {
		if dir, err := os.UserCacheDir(); err == nil {
			o.Load.CacheDir = filepath.Join(dir, "pedigree", "osv")
		}
	}
	if v.NoCache {
		o.Load.CacheDir = ""
	}
	return o
}
