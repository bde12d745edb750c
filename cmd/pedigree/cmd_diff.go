package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/diff"
	"github.com/pedigree-dev/pedigree/internal/membudget"
)

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "diff OLD NEW",
			Short: "Compare two runs: new, fixed and regressed findings, control changes, POA&M carried forward",
			Long: `Compare two runs, each given as an OSCAL assessment-results file, a
pedigree.json or an evidence bundle. Findings, controls and POA&M items are
matched by their stable ids.

Exit codes: 0 compared (with --fail-on-regression: and nothing got worse);
1 --fail-on-regression and a new or regressed failure or a control newly not
satisfied; 2 usage or input error.`,
			Args: cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				format, _ := cmd.Flags().GetString("format")
				gate, _ := cmd.Flags().GetBool("fail-on-regression")
				if format != "md" && format != "json" {
					return usageError(fmt.Errorf("diff: --format %q: want md or json", format))
				}
				ctx := cmd.Context()
				var largest int64
				for _, p := range args {
					if st, err := os.Stat(p); err == nil {
						largest = max(largest, st.Size())
					}
				}
				membudget.ForInput(largest, len(args))
				old, err := diff.Load(ctx, args[0])
				if err != nil {
					return usageError(err)
				}
				cur, err := diff.Load(ctx, args[1])
				if err != nil {
					return usageError(err)
				}
				rep := diff.Compare(old, cur)
				if format == "json" {
					err = diff.WriteJSON(cmd.OutOrStdout(), rep)
				} else {
					err = diff.WriteMarkdown(cmd.OutOrStdout(), rep)
				}
				if err != nil {
					return err
				}
				if gate && rep.Worse() {
					return withCode(exitFindings, errors.New("diff: the newer run has new or regressed failures"))
				}
				return nil
			},
		}
		cmd.Flags().String("format", "md", "output format: md or json")
		cmd.Flags().Bool("fail-on-regression", false, "exit 1 when the newer run has new or regressed failures")
		return cmd
	})
}
