package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/jobs"
	"github.com/pedigree-dev/pedigree/reports/native"
	"github.com/pedigree-dev/pedigree/server"
)

// serveConfig loads a system's config for a scheduled run: the file as
// `pedigree assess --config` reads it, reports into outDir, pedigree.json
// always among them (the history, diffs and every other format come from
// it).
func serveConfig(cfgPath, outDir string) (*config.Config, error) {
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return nil, err
	}
	cfg.Out = outDir
	cfg.Quiet = true
	if len(cfg.Format) == 0 {
		cfg.Format = slices.Clone(defaultFormats)
	}
	if !slices.Contains(cfg.Format, native.Format) {
		cfg.Format = append(cfg.Format, native.Format)
	}
	return cfg, nil
}

// serveAssess is one scheduled or manual run: the same plan and the same
// runPlan as `pedigree assess`, so both write the same pedigree.json for
// the same inputs.
func serveAssess(ctx context.Context, cfgPath, outDir string, log *slog.Logger) (*assessment.Assessment, []jobs.Output, error) {
	cfg, err := serveConfig(cfgPath, outDir)
	if err != nil {
		return nil, nil, err
	}
	plan, err := planAssessment(cfg)
	if err != nil {
		return nil, nil, err
	}
	plan.opts.Logger = log
	a, written, err := runPlan(ctx, plan, nil)
	if err != nil {
		return nil, nil, err
	}
	outs := make([]jobs.Output, len(written))
	for i, p := range written {
		outs[i] = jobs.Output{Format: plan.writers[i].Format(), Path: p}
	}
	return a, outs, nil
}

// checkSystem says why a system cannot run, or "" when it can: its config
// must load and plan as `pedigree assess` would, and its schedule parse.
func checkSystem(s config.ServerSystem) string {
	if s.Schedule != "" {
		if _, err := jobs.ParseSchedule(s.Schedule); err != nil {
			return err.Error()
		}
	}
	cfg, err := serveConfig(s.Config, "")
	if err != nil {
		return err.Error()
	}
	if _, err := planAssessment(cfg); err != nil {
		return err.Error()
	}
	return ""
}

// serveRender renders a report format from a stored pedigree.json, with
// the system's config (organisation, POA&M due days) when it loads.
func serveRender(configs map[string]string) server.RenderFunc {
	return func(ctx context.Context, system, format string, b []byte) ([]byte, string, error) {
		mk, ok := writers[format]
		if !ok {
			return nil, "", fmt.Errorf("format %q is unknown", format)
		}
		a, err := native.Decode(b)
		if err != nil {
			return nil, "", err
		}
		cfg := &config.Config{}
		if p, ok := configs[system]; ok {
			if c, err := config.Load(p); err == nil {
				cfg = c
			}
		}
		w := mk(cfg)
		var buf bytes.Buffer
		if err := w.Write(ctx, &buf, a); err != nil {
			return nil, "", err
		}
		return buf.Bytes(), w.Filename(), nil
	}
}
