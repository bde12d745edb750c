package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/cichecks"
)

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "ci",
			Short: "Analyse CI/CD pipeline definitions (GitHub Actions, GitLab CI)",
		}
		cmd.AddCommand(newCIScanCmd())
		return cmd
	})
}

func newCIScanCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "scan PATH...",
		Short: "Lint workflow files or repository directories for pipeline security problems",
		Long: `Scan GitHub Actions workflows (.github/workflows/*.yml), action.yml files and
GitLab CI files (.gitlab-ci.yml and its local includes) for supply-chain
weaknesses. A directory is searched for those files; a file named on its own
is scanned whatever its name. A folder is searched by location (a
.github/workflows folder, itself or below) and by content (YAML files with
on: and jobs:, or an action's runs:); a path that holds no pipeline file is
reported on stderr and exits 2.

Prints one finding per line, "file:line:col: message [rule]", or with --json
one JSON object per line with file, line, column, rule, severity, message and
the SP 800-53 controls the rule maps to. Exits 1 when there are findings, 2
on usage errors. Rules are described in docs/ci-rules.md.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			rules, opts, err := ciRules(cfg)
			if err != nil {
				return err
			}
			// The mapping is read when the first finding needs its controls:
			// a clean file, the common case in an editor or a pre-commit
			// hook, never pays for it. A user's mapping file is read first,
			// so that its errors are reported whatever the scan finds.
			mapping := sync.OnceValues(func() (*controls.Mapping, error) {
				// Only the embedded files that map a CI rule are read.
				ids := make([]string, len(rules))
				for i, r := range rules {
					ids[i] = r.CheckID()
				}
				m, err := controls.DefaultMappingFor(ids...)
				if err != nil {
					return nil, err
				}
				if cfg.Mapping != "" {
					if err := m.Override(cfg.Mapping); err != nil {
						return nil, usageError(err)
					}
				}
				return m, nil
			})
			if cfg.Mapping != "" {
				if _, err := mapping(); err != nil {
					return err
				}
			}
			results, err := cichecks.Scan(cmd.Context(), args, cichecks.ScanOptions{
				Rules: rules, Opts: opts, Skip: cfg.CI.Skip, MaxFileSize: cfg.MaxFileSize,
				Controls: func(id string) []string {
					m, err := mapping()
					if err != nil {
						return nil
					}
					ids := m.ControlsOf(id)
					out := make([]string, len(ids))
					for i, c := range ids {
						out[i] = catalogs.Label(c)
					}
					return out
				},
			})
			// A path without a pipeline file still lets the others' findings
			// print; the exit code then says the input was wrong.
			var noPipeline error
			if errors.Is(err, cichecks.ErrNoPipeline) {
				noPipeline, err = err, nil
			}
			if err != nil {
				return usageError(err)
			}
			if len(results) > 0 {
				if _, err := mapping(); err != nil {
					return err
				}
			}
			w := cmd.OutOrStdout()
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			for _, r := range results {
				if asJSON {
					if err := enc.Encode(r); err != nil {
						return err
					}
					continue
				}
				fmt.Fprintf(w, "%s:%d:%d: %s [%s]\n", r.File, r.Line, r.Column, r.Message, r.Rule)
			}
			if noPipeline != nil {
				return usageError(noPipeline)
			}
			if len(results) > 0 {
				return withCode(exitFindings, nil)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per finding")
	cmd.Flags().String("config", "", "pedigree.yaml to read the ci: section from")
	return cmd
}
