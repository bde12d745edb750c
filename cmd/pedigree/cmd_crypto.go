package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/keys"
	"github.com/pedigree-dev/pedigree/internal/outfile"
)

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "crypto",
			Short: "Inventory the cryptography of a signing infrastructure",
		}
		var format, output string
		inv := &cobra.Command{
			Use:   "inventory PATH [--format table|json|cyclonedx]",
			Short: "List every key, certificate, trusted root and signature under PATH, classified for CNSA 2.0",
			Long: "Walk PATH (a folder or one file) and list every key, certificate, Sigstore trusted root and bundle,\n" +
				"OpenPGP key and signature, SSH key and post-quantum key found: algorithm, size or curve, hash,\n" +
				"validity, location, class (quantum-vulnerable, post-quantum, weak) and CNSA 2.0 verdict.\n" +
				"--format cyclonedx writes a CycloneDX 1.6 CBOM.",
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				switch format {
				case "table", "json", "cyclonedx":
				default:
					return usageError(fmt.Errorf("--format %q: want table, json or cyclonedx", format))
				}
				mats, err := cryptoInventory(cmd.Context(), args[0])
				if err != nil {
					return usageError(err)
				}
				if output == "" {
					output = outfile.Stdout
				}
				w, err := outfile.Create(cmd.Context(), output, 0o644, cmd.OutOrStdout())
				if err != nil {
					return usageError(fmt.Errorf("--output %w", err))
				}
				switch format {
				case "json":
					enc := json.NewEncoder(w)
					enc.SetIndent("", "  ")
					err = enc.Encode(mats)
				case "cyclonedx":
					abs, _ := filepath.Abs(args[0])
					bom := keys.CBOM(mats, keys.CBOMMeta{Name: filepath.Base(abs), ToolVersion: toolVersion(), Timestamp: time.Now()})
					err = keys.EncodeCBOM(w, bom)
				default:
					err = cryptoTable(w, mats)
				}
				if err != nil {
					w.Abort()
					return err
				}
				return w.Commit()
			},
		}
		inv.Flags().StringVar(&format, "format", "table", "output format: table, json or cyclonedx (CycloneDX 1.6 CBOM)")
		inv.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of stdout")
		cmd.AddCommand(inv)
		return cmd
	})
}

func cryptoInventory(ctx context.Context, p string) ([]*keys.Material, error) {
	t, err := collectors.OpenTarget(filepath.Base(p), p)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	ev, err := keys.New(keys.Options{}).Collect(ctx, t)
	if err != nil {
		return nil, err
	}
	var mats []*keys.Material
	for _, e := range ev {
		if m, ok := e.Payload.(*keys.Material); ok {
			mats = append(mats, m)
		}
	}
	return mats, nil
}

func cryptoTable(w io.Writer, mats []*keys.Material) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tALGORITHM\tSIZE\tHASH\tCLASS\tCNSA 2.0\tNOT AFTER\tLOCATION")
	n := 0
	for _, m := range mats {
		for i := range m.Assets {
			a := &m.Assets[i]
			kind := a.Kind
			if a.Role != "" && len(a.Role) < 24 {
				kind += "/" + a.Role
			}
			na := ""
			if !a.NotAfter.IsZero() {
				na = a.NotAfter.Format("2006-01-02")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", kind, a.Algorithm, a.Size(), a.Hash, a.Class, a.CNSA2, na, a.Location())
			n++
		}
		if m.Problem != "" {
			fmt.Fprintf(tw, "problem\t\t\t\t\t\t\t%s: %s\n", m.Path, m.Problem)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d asset(s) in %d file(s)\n", n, len(mats))
	return err
}
