package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/collectors/vuln"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/cichecks"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

func init() {
	registerPillar(pillar{
		name: "ci",
		collectors: func(cfg *config.Config) ([]collectors.Collector, error) {
			return []collectors.Collector{ci.New(cfg.CI.Skip...)}, nil
		},
		checks: func(cfg *config.Config) ([]controls.Check, error) {
			rules, opts, err := ciRules(cfg)
			if err != nil {
				return nil, err
			}
			out := make([]controls.Check, len(rules))
			for i, r := range rules {
				out[i] = r.Check(opts)
			}
			return out, nil
		},
	})
}

// ciRules builds the CI rules and their options from the ci: section.
func ciRules(cfg *config.Config) ([]*cichecks.Rule, *cichecks.Options, error) {
	opts := &cichecks.Options{
		AllowUnpinned:  cfg.CI.AllowUnpinned,
		SLSABuildLevel: cfg.CI.SLSABuildLevel,
		Disabled:       cfg.CI.Disable,
	}
	if l := cfg.CI.SLSABuildLevel; l < 0 || l > 3 {
		return nil, nil, usageError(fmt.Errorf("ci: slsa-build-level %d is not 0-3", l))
	}
	rules := cichecks.Rules()
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	for _, d := range cfg.CI.Disable {
		if !known[d] {
			return nil, nil, usageError(fmt.Errorf("ci: disable: unknown rule %q", d))
		}
	}
	// Advisories: the shipped OSV snapshot, or a file replacing it, and the
	// GitHub Actions records of the OSV database the vuln: section names.
	dbs := []*cichecks.ActionDB{cichecks.DefaultActionDB()}
	if cfg.CI.Advisories != "" {
		b, err := readlimit.File(cfg.CI.Advisories, readlimit.Data)
		if err != nil {
			return nil, nil, usageError(fmt.Errorf("ci: advisories: %w", err))
		}
		db, err := cichecks.ParseAdvisories(cfg.CI.Advisories, b)
		if err != nil {
			return nil, nil, usageError(fmt.Errorf("ci: advisories: %w", err))
		}
		dbs = []*cichecks.ActionDB{db}
	}
	if len(cfg.Vuln.OSV) > 0 && !disabled(cfg.CI.Disable, "known-vulnerable-action") {
		o := vulnOptions(cfg)
		vdb, err := vuln.LoadDatabase(context.Background(), o.OSV, o.Load)
		if err != nil {
			return nil, nil, usageError(fmt.Errorf("vuln: osv: %w", err))
		}
		dbs = append(dbs, cichecks.ActionDBFromIndex(vdb.Index, "OSV database "+strings.Join(o.OSV, ", ")))
	}
	for i, r := range rules {
		if r.ID == "known-vulnerable-action" {
			rules[i] = cichecks.NewKnownVulnerableActionWith(dbs...)
		}
	}
	return rules, opts, nil
}

func disabled(list []string, id string) bool {
	for _, d := range list {
		if d == id {
			return true
		}
	}
	return false
}
