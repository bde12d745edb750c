package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/controls/sbomchecks"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/membudget"
)

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "sbom",
			Short: "Inspect SBOMs (CycloneDX, SPDX 2 and 3)",
		}
		cmd.AddCommand(newSBOMInspectCmd())
		return cmd
	})
}

func newSBOMInspectCmd() *cobra.Command {
	var (
		asJSON        bool
		maxSize       string
		maxAge        string
		schemaMaxSize string
	)
	cmd := &cobra.Command{
		Use:   "inspect FILE|DIR",
		Short: "Format, spec version, counts, minimum-element gaps and check verdicts of SBOMs",
		Long: "inspect reads one SBOM, or every SBOM under a directory (found by content, not name),\n" +
			"and prints its format, spec version, schema validity, component counts, the components\n" +
			"missing each NTIA element, and the findings of every SBOM check. With --json it prints\n" +
			"one JSON object per SBOM, one per line.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			limit, err := config.ParseSize(maxSize)
			if err != nil {
				return usageError(err)
			}
			age, err := config.ParseAge(maxAge)
			if err != nil {
				return usageError(err)
			}
			sc := config.SBOM{SchemaMaxSize: schemaMaxSize}
			schemaLimit, err := sc.SchemaMaxSizeBytes()
			if err != nil {
				return usageError(err)
			}
			return runSBOMInspect(cmd, args[0], inspectOptions{limit, schemaLimit, age, asJSON})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per SBOM, one per line")
	cmd.Flags().StringVar(&maxSize, "max-size", "512MiB", "refuse SBOM files larger than this (bytes, or KiB/MiB/GiB)")
	cmd.Flags().StringVar(&maxAge, "max-age", "", "fail SBOM-STALE for SBOMs older than this (e.g. 90d)")
	cmd.Flags().StringVar(&schemaMaxSize, "schema-max-size", "32MiB", "largest JSON SBOM validated against its schema, or unlimited")
	return cmd
}

type inspectOptions struct {
	maxSize, schemaMaxSize int64
	maxAge                 time.Duration
	asJSON                 bool
}

func runSBOMInspect(cmd *cobra.Command, path string, opts inspectOptions) error {
	limit, age, asJSON := opts.maxSize, opts.maxAge, opts.asJSON
	st, err := os.Stat(path)
	if err != nil {
		return usageError(fmt.Errorf("%s: %w", path, unwrapPath(err)))
	}
	t, err := collectors.OpenTarget(path, path)
	if err != nil {
		return usageError(err)
	}
	defer t.Close()
	t.MaxFileSize = limit
	membudget.ForInput(t.LargestFile(), len(t.Files))
	ctx := cmd.Context()
	col := sbom.NewCollector(limit)
	col.Options.SchemaMaxSize = opts.schemaMaxSize
	docs, err := col.Collect(ctx, t)
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		if st.IsDir() {
			fmt.Fprintf(cmd.ErrOrStderr(), "no SBOM found under %s\n", path)
			return nil
		}
		return usageError(fmt.Errorf("%s: %w", path, sbom.ErrNotSBOM))
	}
	var context []evidence.Evidence
	if st.IsDir() {
		// The artifact inventory lets SBOM-ARTIFACT-BINDING and SBOM-SIGNED
		// judge against the files beside the SBOMs.
		context, err = files.New(nil).Collect(ctx, t)
		if err != nil {
			return err
		}
	}
	o := sbomchecks.Options{MaxAge: age}
	out := cmd.OutOrStdout()
	for _, e := range docs {
		r := sbomchecks.Inspect(e, context, o)
		if asJSON {
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			fmt.Fprintln(out, string(b))
			continue
		}
		writeSBOMReport(out, r)
	}
	return nil
}

func writeSBOMReport(w io.Writer, r sbomchecks.Report) {
	valid := "schema valid"
	if !r.SchemaValid {
		valid = "schema INVALID"
	}
	fmt.Fprintf(w, "%s: %s %s (%s), %s\n", r.File, r.Format, r.SpecVersion, r.Encoding, valid)
	if r.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", r.Error)
	}
	fmt.Fprintf(w, "  components: %d  missing supplier %d, version %d, identifier %d, hash %d\n",
		r.Components, r.Missing.Supplier, r.Missing.Version, r.Missing.Identifier, r.Missing.Hash)
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	fmt.Fprintf(w, "  author %s, timestamp %s, dependencies %s\n", yn(r.HasAuthor), yn(r.HasTimestamp), yn(r.HasDependencies))
	switch r.NTIAMinimum {
	case "pass":
		fmt.Fprintln(w, "  NTIA minimum elements: PASS")
	case "fail":
		fmt.Fprintf(w, "  NTIA minimum elements: FAIL (first missing: %s)\n", r.FirstMissing)
	default:
		fmt.Fprintln(w, "  NTIA minimum elements: not judged")
	}
	for _, f := range r.Findings {
		fmt.Fprintf(w, "  %-12s %-24s %s\n", strings.ToUpper(string(f.Status)), f.Check, strings.TrimPrefix(f.Message, r.File+": "))
	}
}
