package main

import "github.com/spf13/cobra"

var verifySubcommands []func() *cobra.Command

// addVerifyCommand registers a `pedigree verify <kind>` subcommand; each
// verifier's file calls it from init. Every verify prints one line
// "OK: ..." or "FAIL: <reason>" and exits 0 or 1 (2 for usage errors).
func addVerifyCommand(mk func() *cobra.Command) { verifySubcommands = append(verifySubcommands, mk) }

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "verify",
			Short: "Verify signatures, attestations and provenance offline against a trust policy",
		}
		for _, mk := range verifySubcommands {
			cmd.AddCommand(mk())
		}
		return cmd
	})
}
