package config

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/pedigree-dev/pedigree/evidence"
)

// Vuln is the `vuln:` section of pedigree.yaml: the offline vulnerability
// data that SBOM components are matched against. Nothing here is fetched.
//
//	vuln:
//	  osv: [vuln/osv]                 # folders of OSV JSON records and/or all.zip exports
//	  kev: vuln/known_exploited_vulnerabilities.json
//	  vex: [vuln/demo.openvex.json]   # OpenVEX, CycloneDX VEX, CSAF 2.0 VEX
//	  cache-dir: .pedigree-cache/osv  # index cache (default: the user cache folder)
//	  no-cache: false
//	  severity-threshold: high        # VULN-CRITICAL-HIGH-FIXABLE fails at or above this
//	  max-age: 168h                   # VULN-DB-STALE: newest record older than this fails
type Vuln struct {
	// OSV lists OSV database paths: folders of OSV JSON records, the
	// per-ecosystem all.zip exports, or single record files.
	OSV VulnPaths `yaml:"osv"`
	// KEV is the CISA Known Exploited Vulnerabilities catalog JSON.
	KEV string `yaml:"kev"`
	// VEX lists VEX documents applied to every target (VEX documents found
	// inside the targets are applied too).
	VEX VulnPaths `yaml:"vex"`
	// CacheDir stores the index cache, keyed by the SHA-256 of the
	// database inputs. Empty means <user cache dir>/pedigree/osv.
	CacheDir string `yaml:"cache-dir"`
	// NoCache builds the index in memory only.
	NoCache bool `yaml:"no-cache"`
	// SeverityThreshold is the lowest severity VULN-CRITICAL-HIGH-FIXABLE
	// fails on: critical, high (default), medium or low.
	SeverityThreshold string `yaml:"severity-threshold"`
	// MaxAge is how old the newest database record may be (a Go duration
	// or a number of days like "7d"); empty leaves VULN-DB-STALE
	// not-applicable.
	MaxAge string `yaml:"max-age"`
	// MaxRecordSize bounds one OSV record in bytes (default 16 MiB).
	MaxRecordSize int64 `yaml:"max-record-size"`
}

func (s *Vuln) resolve(c *Config) {
	for i := range s.OSV {
		s.OSV[i] = c.Abs(s.OSV[i])
	}
	for i := range s.VEX {
		s.VEX[i] = c.Abs(s.VEX[i])
	}
	s.KEV = c.Abs(s.KEV)
	s.CacheDir = c.Abs(s.CacheDir)
}

// Threshold returns the configured severity threshold (default high).
func (s *Vuln) Threshold() (evidence.Severity, error) {
	if strings.TrimSpace(s.SeverityThreshold) == "" {
		return evidence.High, nil
	}
	sev, ok := evidence.ParseSeverity(s.SeverityThreshold)
	if !ok || sev == evidence.Info {
		return "", fmt.Errorf("%w: vuln.severity-threshold: %q is not one of critical, high, medium, low", ErrInput, s.SeverityThreshold)
	}
	return sev, nil
}

// MaxAgeDuration parses max-age; zero when unset.
func (s *Vuln) MaxAgeDuration() (time.Duration, error) {
	v := strings.TrimSpace(s.MaxAge)
	if v == "" {
		return 0, nil
	}
	if d, ok := strings.CutSuffix(v, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(d, "%d", &n); err == nil && n > 0 && fmt.Sprint(n) == d {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	dur, err := time.ParseDuration(v)
	if err != nil || dur <= 0 {
		return 0, fmt.Errorf("%w: vuln.max-age: %q is not a positive duration (e.g. 168h or 7d)", ErrInput, s.MaxAge)
	}
	return dur, nil
}

// VulnPaths is a YAML sequence of paths that also accepts one scalar.
type VulnPaths []string

// UnmarshalYAML accepts `key: value` and `key: [a, b]`.
func (l *VulnPaths) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if n.Tag == "!!null" || n.Value == "" {
			*l = nil
			return nil
		}
		*l = VulnPaths{n.Value}
		return nil
	}
	var ss []string
	if err := n.Decode(&ss); err != nil {
		return err
	}
	*l = ss
	return nil
}
