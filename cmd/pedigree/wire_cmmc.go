package main

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls/cmmc"
)

// planCMMC sets up the CMMC stage when --baseline names a CMMC level, and
// reads the `practices:` list of the manual evidence (manualFile, the
// contents of cfg.Manual). A bad entry stops the run before anything is
// written.
func planCMMC(cfg *config.Config, idx *catalogs.Index, manualFile []byte) (*cmmc.Plan, error) {
	level := cmmc.LevelOf(cfg.Baseline)
	var manual *cmmc.Manual
	if cfg.Manual != "" {
		g, err := catalogs.CMMC()
		if err != nil {
			return nil, fmt.Errorf("embedded CMMC data: %w", err)
		}
		if manual, err = cmmc.ParseManual(cfg.Manual, manualFile, g, time.Now()); err != nil {
			return nil, usageError(err)
		}
	}
	if level == 0 {
		if !manual.Empty() {
			slog.Warn("manual evidence lists CMMC practices, but the baseline is not cmmc-l1 or cmmc-l2: they are not assessed", "file", cfg.Manual)
		}
		return nil, nil
	}
	if cfg.Profile != "" {
		return nil, usageError(fmt.Errorf("--baseline %s and --profile choose the scope two ways: give one", strings.ToLower(cfg.Baseline)))
	}
	cfg.Baseline = strings.ToLower(strings.TrimSpace(cfg.Baseline))
	p, err := cmmc.NewPlan(level, idx, manual)
	if err != nil {
		return nil, fmt.Errorf("embedded CMMC data: %w", err)
	}
	return p, nil
}
