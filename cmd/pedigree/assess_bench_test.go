package main

import (
	"context"
	"testing"

	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/engine"
)

// BenchmarkAssessDemo is `pedigree assess` on examples/demo in-process:
// planning (catalog, mapping, scope), the run, and every default report.
// The budget is 2 s wall for the whole command.
func BenchmarkAssessDemo(b *testing.B) {
	cfgPath := demoConfigPath()
	out := b.TempDir()
	ctx := context.Background()
	for b.Loop() {
		cfg, err := config.Load(cfgPath)
		if err != nil {
			b.Fatal(err)
		}
		cfg.Out = out
		plan, err := planAssessment(cfg)
		if err != nil {
			b.Fatal(err)
		}
		a, err := engine.Run(ctx, plan.opts)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := writeReports(ctx, out, plan.writers, a); err != nil {
			b.Fatal(err)
		}
	}
}
