package main

import (
	"context"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/bundle"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/reports"
	csvreport "github.com/pedigree-dev/pedigree/reports/csv"
	"github.com/pedigree-dev/pedigree/reports/hdf"
	htmlreport "github.com/pedigree-dev/pedigree/reports/html"
	"github.com/pedigree-dev/pedigree/reports/markdown"
	"github.com/pedigree-dev/pedigree/reports/sarif"
	"github.com/pedigree-dev/pedigree/reports/xlsx"
)

func init() {
	registerWriter("xlsx", func(c *config.Config) reports.Writer {
		return &xlsx.Writer{DueDays: dueDays(c), Organization: c.Reports.Organization}
	})
	registerWriter("html", func(c *config.Config) reports.Writer {
		return &htmlreport.Writer{DueDays: dueDays(c), Organization: c.Reports.Organization}
	})
	registerWriter("md", func(c *config.Config) reports.Writer { return markdown.New(c.Reports.MarkdownMaxFindings) })
	registerWriter("csv", func(*config.Config) reports.Writer { return csvreport.Controls{} })
	registerWriter("csv-findings", func(*config.Config) reports.Writer { return csvreport.Findings{} })
	registerWriter("sarif", func(c *config.Config) reports.Writer { return &sarif.Writer{IncludePass: c.Reports.SARIFIncludePass} })
	registerWriter("hdf", func(*config.Config) reports.Writer { return hdf.Writer{} })
}

// bundleSigner loads the key that signs the evidence bundle; called before
// the run so that a bad key fails fast.
func bundleSigner(signKey string) (bundle.Signer, error) {
	if signKey == "" {
		return nil, nil
	}
	s, err := bundle.LoadSigner(signKey)
	if err != nil {
		return nil, usageError(err)
	}
	return s, nil
}

// writeBundle writes the evidence bundle: every output, a copy of every
// evidence source, and the (signed) manifest.
func writeBundle(ctx context.Context, dst string, signer bundle.Signer, outputs []string, a *assessment.Assessment) error {
	return bundle.Create(ctx, dst, outputs, bundle.SourcesOf(a), a, signer)
}

func dueDays(c *config.Config) map[evidence.Severity]int {
	if c == nil || len(c.Reports.POAMDueDays) == 0 {
		return nil
	}
	return c.Reports.POAMDueDays
}
