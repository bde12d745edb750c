package main

import (
	"fmt"
	"sort"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/reports"
)

// A pillar plugs its collectors, checks and inventory tables into assess
// with one registerPillar call in a wire_<name>.go file of its own.
type pillar struct {
	name         string
	collectors   func(cfg *config.Config) ([]collectors.Collector, error)
	checks       func(cfg *config.Config) ([]controls.Check, error)
	inventoriers []controls.Inventorier
}

var pillars []pillar

func registerPillar(p pillar) { pillars = append(pillars, p) }

// Report formats register the same way, one registerWriter call each.
var writers = map[string]func(cfg *config.Config) reports.Writer{}

func registerWriter(format string, mk func(cfg *config.Config) reports.Writer) {
	if _, dup := writers[format]; dup {
		panic("report format registered twice: " + format)
	}
	writers[format] = mk
}

func writerFormats() []string {
	out := make([]string, 0, len(writers))
	for f := range writers {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

func buildPipeline(cfg *config.Config) ([]collectors.Collector, []controls.Check, []controls.Inventorier, error) {
	var (
		cs  []collectors.Collector
		ks  []controls.Check
		inv []controls.Inventorier
	)
	seen := map[string]bool{}
	for _, p := range pillars {
		if p.collectors != nil {
			c, err := p.collectors(cfg)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("%s: %w", p.name, err)
			}
			cs = append(cs, c...)
		}
		if p.checks != nil {
			k, err := p.checks(cfg)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("%s: %w", p.name, err)
			}
			for _, c := range k {
				if seen[c.ID] {
					return nil, nil, nil, fmt.Errorf("check id %s registered twice", c.ID)
				}
				seen[c.ID] = true
			}
			ks = append(ks, k...)
		}
		inv = append(inv, p.inventoriers...)
	}
	return cs, ks, inv, nil
}
