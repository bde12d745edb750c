package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/controls/repochecks"
	"github.com/pedigree-dev/pedigree/engine"
	"github.com/pedigree-dev/pedigree/evidence"
)

// onlineRepo builds the opt-in forge collector and its checks; the forge
// wiring sets it.
var onlineRepo func(cfg *config.Config) ([]collectors.Collector, []controls.Check, error)

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{Use: "repo", Short: "Assess source repositories"}
		cmd.AddCommand(newRepoScanCmd())
		return cmd
	})
}

func newRepoScanCmd() *cobra.Command {
	var asJSON, online bool
	var tokenEnv string
	cmd := &cobra.Command{
		Use:   "scan PATH",
		Short: "Check a repository clone: signed commits and tags, CODEOWNERS, security policy, dependency updates, lockfiles, binaries",
		Long: `Read a git repository (a clone: PATH holds .git, or any folder below PATH
does) offline and judge its commit and tag signatures over the signature
window of the default branch and what its HEAD tree holds. Binaries and
manifests under test fixtures and vendored folders are not judged as the
product, as in assess (--exclude, --no-default-excludes).

Trusted keys come from the config (repo.openpgp-keyrings,
policy.keys.openpgp-keyrings, repo.allowed-signers). With --online, the
forge's settings (branch protection, Actions settings, secret scanning) are
read through its API with the token in the environment variable --token-env
names; without it those checks say not-assessed, never pass.

Prints one finding per line, "STATUS CHECK: message", or with --json one JSON
object per line. Exits 1 when a check fails, 2 on usage errors.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			col, err := newRepoCollector(cfg)
			if err != nil {
				return usageError(err)
			}
			cols := []collectors.Collector{col}
			checks := repochecks.All(minSignedShare(cfg))
			// The forge checks always run: without --online they say
			// not-assessed, never pass.
			if online {
				cfg.Repo.Online.Enabled = true
			}
			if tokenEnv != "" {
				cfg.Repo.Online.TokenEnv = tokenEnv
			}
			oc, ok, err := onlineRepo(cfg)
			if err != nil {
				return usageError(err)
			}
			cols = append(cols, oc...)
			checks = append(checks, ok...)
			t, err := collectors.OpenTarget(targetName(args[0]), args[0])
			if err != nil {
				return usageError(err)
			}
			defer t.Close()
			// The tree is judged as assess judges it, or the two verdicts on
			// one clone would differ on a fixture's binary.
			excludes, _ := cmd.Flags().GetStringArray("exclude")
			noDefaults, _ := cmd.Flags().GetBool("no-default-excludes")
			if err := t.Exclude(excludes, noDefaults); err != nil {
				return usageError(err)
			}
			t.MaxFileSize = cfg.MaxFileSize
			var ev []evidence.Evidence
			for _, c := range cols {
				e, err := c.Collect(cmd.Context(), t)
				if err != nil {
					return fmt.Errorf("%s: %w", c.Name(), err)
				}
				ev = append(ev, e...)
			}
			m, err := controls.DefaultMapping()
			if err != nil {
				return err
			}
			findings := engine.RunChecks(checks, ev)
			w := cmd.OutOrStdout()
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			failed := false
			for _, f := range findings {
				failed = failed || f.Status == evidence.Fail
				if asJSON {
					var labels []string
					for _, id := range m.ControlsOf(f.CheckID) {
						labels = append(labels, catalogs.Label(id))
					}
					if err := enc.Encode(repoFinding{Check: f.CheckID, Status: string(f.Status), Severity: string(f.Severity), Message: f.Message, Controls: labels}); err != nil {
						return err
					}
					continue
				}
				fmt.Fprintf(w, "%-13s %s: %s\n", f.Status, f.CheckID, f.Message)
			}
			if len(findings) == 0 && !asJSON {
				fmt.Fprintln(w, "no git repository found under "+args[0])
			}
			if failed {
				return withCode(exitFindings, nil)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per finding")
	cmd.Flags().BoolVar(&online, "online", false, "also read the forge's settings through its API (opt-in)")
	cmd.Flags().StringVar(&tokenEnv, "token-env", "", "environment variable holding the forge API token (e.g. GITHUB_TOKEN)")
	cmd.Flags().String("config", "", "pedigree.yaml to read the repo: and policy: sections from")
	cmd.Flags().StringArray("exclude", nil, "glob of files in the HEAD tree left out of product judgements (repeatable; testdata/, vendor/, node_modules/, ... always unless --no-default-excludes)")
	cmd.Flags().Bool("no-default-excludes", false, "judge test fixtures, vendored and third-party folders as the product too")
	return cmd
}

type repoFinding struct {
	Check    string   `json:"check"`
	Status   string   `json:"status"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
	Controls []string `json:"controls"`
}
