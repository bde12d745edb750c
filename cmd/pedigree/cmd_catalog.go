package main

import (
	"encoding/json"
	"errors"
	"fmt"

	oscal "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"
	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/internal/outfile"
	oscalschema "github.com/pedigree-dev/pedigree/oscal"
)

type (
	oscalGroup   = oscal.Group
	oscalControl = oscal.Control
)

// oscalDocument is a top-level OSCAL JSON document with one model.
type oscalDocument struct {
	Catalog             *oscal.Catalog             `json:"catalog,omitempty"`
	ComponentDefinition *oscal.ComponentDefinition `json:"component-definition,omitempty"`
}

// validateOSCAL checks a document against the OSCAL 1.1.3 schema before it
// is written; a failure is a bug in pedigree, not in the input.
func validateOSCAL(data []byte) error {
	doc, err := oscalschema.DecodeJSON(data)
	if err != nil {
		return err
	}
	if err := oscalschema.Validate(doc); err != nil {
		return fmt.Errorf("internal error: the document pedigree made is invalid OSCAL: %w", err)
	}
	return nil
}

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "catalog",
			Short: "Work with OSCAL catalogs and profiles",
		}
		cmd.AddCommand(newCatalogResolveCmd())
		return cmd
	})
}

func newCatalogResolveCmd() *cobra.Command {
	var profile, catalogFile, out string
	cmd := &cobra.Command{
		Use:   "resolve",
		Short: "Resolve an OSCAL profile (FedRAMP, a tailored baseline) into an OSCAL 1.1.3 catalog",
		Example: `  pedigree catalog resolve --profile FedRAMP_rev5_HIGH-baseline_profile.json \
      --catalog NIST_SP-800-53_rev5_catalog.json -o fedramp-high-resolved.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if profile == "" {
				return usageError(errors.New("--profile is required"))
			}
			res, err := catalogs.ResolveProfile(profile, catalogs.ResolveOptions{Catalog: catalogFile})
			if err != nil {
				return usageError(err)
			}
			data, err := json.MarshalIndent(oscalDocument{Catalog: res.Catalog}, "", "  ")
			if err != nil {
				return err
			}
			data = append(data, '\n')
			if err := validateOSCAL(data); err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			quiet, _ := cmd.Flags().GetBool("quiet") // the root's --quiet
			if !quiet {
				for _, w := range res.Warnings {
					fmt.Fprintln(stderr, "warning: "+w)
				}
			}
			if out == "" {
				out = outfile.Stdout
			}
			if err := outfile.WriteFile(cmd.Context(), out, data, 0o644, cmd.OutOrStdout()); err != nil {
				return usageError(err)
			}
			if !quiet {
				fmt.Fprintf(stderr, "resolved %q: %d controls selected, %d in the catalog\n", res.Title, len(res.ControlIDs), len(res.AllIDs))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&profile, "profile", "", "the OSCAL profile to resolve (JSON or YAML)")
	f.StringVar(&catalogFile, "catalog", "", "the catalog to use when an import names one that is remote or absent")
	f.StringVarP(&out, "output", "o", "", "write the resolved catalog to this file (default stdout)")
	return cmd
}
