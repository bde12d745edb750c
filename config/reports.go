package config

import (
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/pedigree-dev/pedigree/evidence"
)

// Reports is the `reports:` section of pedigree.yaml: what the human
// reports, the evidence bundle and the CI gate need beyond the assessment.
//
//	reports:
//	  organization: Example Corp
//	  poam-due-days: {critical: 15, high: 30, medium: 90, low: 180}
//	  sarif-include-pass: false
//	  markdown-max-findings: 50
//	  bundle: out/evidence.tar.gz
//	  sign-key: keys/bundle.key
type Reports struct {
	// Organization is shown in report headers.
	Organization string `yaml:"organization"`
	// POAMDueDays is the days from detection to the scheduled completion of
	// a POA&M item, per severity; severities left out keep their defaults.
	POAMDueDays DueDays `yaml:"poam-due-days"`
	// SARIFIncludePass adds passing results (kind "pass") to SARIF.
	SARIFIncludePass bool `yaml:"sarif-include-pass"`
	// MarkdownMaxFindings bounds the findings listed in the Markdown
	// report (default 50), so that it fits a pull-request comment.
	MarkdownMaxFindings int `yaml:"markdown-max-findings"`
	// Bundle is the evidence bundle assess writes (same as --bundle).
	Bundle string `yaml:"bundle"`
	// SignKey is the private key (PEM) that signs the bundle's manifest.
	SignKey string `yaml:"sign-key"`
}

func (s *Reports) resolve(c *Config) {
	s.Bundle = c.Abs(s.Bundle)
	s.SignKey = c.Abs(s.SignKey)
}

// DueDays maps a severity to days; the YAML keys are severity names.
type DueDays map[evidence.Severity]int

// UnmarshalYAML accepts only known severities and non-negative days.
func (d *DueDays) UnmarshalYAML(n *yaml.Node) error {
	var raw map[string]int
	if err := n.Decode(&raw); err != nil {
		return err
	}
	out := DueDays{}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sev, ok := evidence.ParseSeverity(k)
		if !ok {
			return fmt.Errorf("line %d: poam-due-days: unknown severity %q (want critical, high, medium, low or info)", n.Line, k)
		}
		if raw[k] < 0 {
			return fmt.Errorf("line %d: poam-due-days: %s is %d days; want 0 or more", n.Line, k, raw[k])
		}
		out[sev] = raw[k]
	}
	*d = out
	return nil
}
