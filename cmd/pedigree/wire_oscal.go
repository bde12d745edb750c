package main

import (
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/reports"
	"github.com/pedigree-dev/pedigree/reports/native"
	oscalreport "github.com/pedigree-dev/pedigree/reports/oscal"
)

func init() {
	registerWriter(oscalreport.FormatAR, func(*config.Config) reports.Writer { return oscalreport.NewAssessmentResults() })
	registerWriter(oscalreport.FormatAP, func(*config.Config) reports.Writer { return oscalreport.NewAssessmentPlan() })
	registerWriter(oscalreport.FormatPOAM, func(*config.Config) reports.Writer { return oscalreport.NewPOAM() })
	registerWriter(native.Format, func(*config.Config) reports.Writer { return native.New() })
}
