package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/bundle"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/internal/membudget"
	"github.com/pedigree-dev/pedigree/reports"
	"github.com/pedigree-dev/pedigree/reports/native"
)

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "report --from out/pedigree.json --format html,xlsx --out out2/",
			Short: "Re-render reports from a saved run (pedigree.json or an evidence bundle) without re-assessing",
			Long: `Render reports from a run saved as pedigree.json, or from the pedigree.json
inside an evidence bundle (checked against the bundle's manifest). Nothing is
re-assessed, and nothing is written outside --out.

Formats: ` + strings.Join(writerFormats(), ", ") + `.`,
			Args: cobra.NoArgs,
			RunE: runReport,
		}
		f := cmd.Flags()
		f.String("from", "", "pedigree.json or evidence bundle (.tar.gz) to render")
		f.StringSlice("format", []string{"html"}, "report formats, comma-separated")
		f.StringP("out", "o", "", "folder the reports are written to (required)")
		f.StringP("config", "c", "", "config file whose reports: section applies (organization, poam-due-days, ...)")
		return cmd
	})
}

func runReport(cmd *cobra.Command, _ []string) error {
	ctx := cmd.Context()
	from, _ := cmd.Flags().GetString("from")
	out, _ := cmd.Flags().GetString("out")
	formats, _ := cmd.Flags().GetStringSlice("format")
	cfgPath, _ := cmd.Flags().GetString("config")
	if from == "" {
		return usageError(errors.New("report: --from is required (a pedigree.json or an evidence bundle)"))
	}
	if out == "" {
		return usageError(errors.New("report: --out is required"))
	}
	cfg := &config.Config{}
	if cfgPath != "" {
		c, err := config.Load(cfgPath)
		if err != nil {
			return usageError(err)
		}
		cfg = c
	}
	var ws []reports.Writer
	seen := map[string]bool{}
	for _, f := range formats {
		f = strings.TrimSpace(f)
		if f == "" || seen[f] {
			continue
		}
		seen[f] = true
		mk, ok := writers[f]
		if !ok {
			return usageError(fmt.Errorf("report: unknown --format %q (known: %s)", f, strings.Join(writerFormats(), ", ")))
		}
		ws = append(ws, mk(cfg))
	}
	if len(ws) == 0 {
		return usageError(errors.New("report: no --format given"))
	}
	a, err := loadRun(ctx, from)
	if err != nil {
		return usageError(err)
	}
	written, err := writeReports(ctx, out, ws, a)
	if err != nil {
		return err
	}
	for _, p := range written {
		fmt.Fprintln(cmd.OutOrStdout(), p)
	}
	return nil
}

// loadRun reads a saved run: a pedigree.json, or the one inside a bundle.
func loadRun(ctx context.Context, path string) (*assessment.Assessment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 2)
	n, _ := f.Read(head)
	f.Close()
	if n == 2 && head[0] == 0x1f && head[1] == 0x8b {
		b, err := bundle.ReadFile(ctx, path, bundle.OutputsDir+native.Filename, bundle.Limits{
			MaxFiles: bundle.DefaultLimits.MaxFiles, MaxFileSize: bundle.DefaultLimits.MaxFileSize,
			MaxTotal: bundle.DefaultLimits.MaxTotal, MaxManifest: native.MaxSize,
		})
		if err != nil {
			return nil, err
		}
		membudget.ForInput(int64(len(b)), 1)
		a, err := native.Decode(b)
		if err != nil {
			return nil, fmt.Errorf("%s!%s%s: %w", path, bundle.OutputsDir, native.Filename, err)
		}
		return a, nil
	}
	if st, err := os.Stat(path); err == nil {
		membudget.ForInput(st.Size(), 1)
	}
	return native.Load(path)
}
