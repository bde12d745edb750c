package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/bundle"
)

func init() {
	addCommand(func() *cobra.Command {
		root := &cobra.Command{
			Use:   "bundle",
			Short: "Work with evidence bundles",
		}
		verify := &cobra.Command{
			Use:   "verify BUNDLE",
			Short: "Check every file of an evidence bundle against its manifest, and its signature with --key",
			Long: `Verify an evidence bundle offline: every file's SHA-256 against the manifest
(an in-toto Statement), and with --key the manifest's DSSE signature. The
archive is read with hard limits (no links, no paths leaving it, bounded
sizes) and nothing is extracted.

Prints one line "OK: ..." or "FAIL: <reason>" naming every file that
differs. Exit codes: 0 verified, 1 it does not verify, 2 usage error or an
unreadable or unsafe archive.`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				keyPath, _ := cmd.Flags().GetString("key")
				var opts bundle.Options
				if keyPath != "" {
					k, err := bundle.LoadVerifier(keyPath)
					if err != nil {
						return usageError(err)
					}
					opts.Key = k
				}
				res, err := bundle.VerifyFile(cmd.Context(), args[0], opts)
				out := cmd.OutOrStdout()
				switch {
				case errors.Is(err, bundle.ErrMismatch):
					fmt.Fprintf(out, "FAIL: %s\n", oneLineErr(err))
					return withCode(exitFindings, nil)
				case errors.Is(err, bundle.ErrUnsafe):
					fmt.Fprintf(out, "FAIL: %s\n", oneLineErr(err))
					return withCode(exitUsage, nil)
				case err != nil:
					return usageError(err)
				}
				sig := "unsigned"
				switch {
				case res.SignatureVerified:
					sig = "signature verified with key " + res.KeyID
				case res.Signed:
					sig = "signed, signature not checked (give --key to check it)"
				}
				p := res.Statement.Predicate
				fmt.Fprintf(out, "OK: %s: %d files match the manifest; %s; run %s, verdict %s\n", args[0], res.Files, sig, p.RunID, p.Verdict)
				return nil
			},
		}
		verify.Flags().String("key", "", "public key (PEM: ECDSA, Ed25519, ML-DSA-65) that must have signed the manifest")
		root.AddCommand(verify)
		return root
	})
}

func oneLineErr(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
