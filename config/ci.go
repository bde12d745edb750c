package config

// CI is the `ci:` section of pedigree.yaml: how CI/CD pipeline files are
// found and judged.
//
//	ci:
//	  skip: [vendor/, third_party/]
//	  allow-unpinned: [actions/]
//	  slsa-build-level: 2
//	  advisories: data/actions-osv.json
//	  disable: [self-hosted-runner]
type CI struct {
	// Skip lists path prefixes (relative to a target) not to scan.
	Skip []string `yaml:"skip"`
	// AllowUnpinned lists action or image name prefixes the pinning rules
	// accept by tag (e.g. "actions/" for GitHub's own actions).
	AllowUnpinned []string `yaml:"allow-unpinned"`
	// SLSABuildLevel is the SLSA build level publishing pipelines must reach
	// (1-3, default 1).
	SLSABuildLevel int `yaml:"slsa-build-level"`
	// Advisories replaces the shipped known-vulnerable-action snapshot with
	// a file of OSV records of the GitHub Actions ecosystem (or the older
	// hand-written YAML list). The GitHub Actions records of the vuln: osv
	// database are read as well.
	Advisories string `yaml:"advisories"`
	// Disable lists rule ids (template-injection, ...) not to run.
	Disable []string `yaml:"disable"`
}

func (s *CI) resolve(c *Config) {
	s.Advisories = c.Abs(s.Advisories)
}
