package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SBOM is the `sbom:` section of pedigree.yaml.
//
//	sbom:
//	  max-size: 512MiB        # refuse larger SBOMs before reading them
//	  max-age: 90d            # SBOM-STALE fails older SBOMs (h, d, w units)
//	  schema-max-size: 32MiB  # larger JSON SBOMs are not schema-validated
//	  skip-schema: false      # leave out JSON schema validation
type SBOM struct {
	// MaxSize is the largest SBOM file read, in bytes or with a unit
	// (KiB, MiB, GiB, KB, MB, GB). Empty means 512 MiB.
	MaxSize string `yaml:"max-size"`
	// MaxAge is the oldest an SBOM's timestamp may be (e.g. 90d, 2160h, 12w);
	// empty means no age limit (SBOM-STALE then only rejects timestamps
	// that are unparseable or in the future).
	MaxAge string `yaml:"max-age"`
	// SchemaMaxSize is the largest JSON SBOM validated against its official
	// schema (validation costs about ten times a decode); empty means
	// 32 MiB, "unlimited" validates every document.
	SchemaMaxSize string `yaml:"schema-max-size"`
	// SkipSchema leaves out validation against the official JSON schemas
	// (SBOM-SCHEMA-VALID is then not assessed).
	SkipSchema bool `yaml:"skip-schema"`
}

func (s *SBOM) resolve(c *Config) {}

// MaxSizeBytes parses MaxSize; zero means the default.
func (s *SBOM) MaxSizeBytes() (int64, error) { return ParseSize(s.MaxSize) }

// SchemaMaxSizeBytes parses SchemaMaxSize: zero means the default,
// negative means no limit.
func (s *SBOM) SchemaMaxSizeBytes() (int64, error) {
	if strings.EqualFold(strings.TrimSpace(s.SchemaMaxSize), "unlimited") {
		return -1, nil
	}
	n, err := ParseSize(s.SchemaMaxSize)
	if err != nil {
		return 0, fmt.Errorf("sbom.schema-max-size: %q is not a size (e.g. 64MiB, or unlimited)", s.SchemaMaxSize)
	}
	return n, nil
}

// MaxAgeDuration parses MaxAge; zero means no limit.
func (s *SBOM) MaxAgeDuration() (time.Duration, error) { return ParseAge(s.MaxAge) }

// ParseSize reads a byte count with an optional unit.
func ParseSize(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	units := []struct {
		suffix string
		mult   int64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
		{"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
		{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1},
	}
	mult := int64(1)
	num := v
	for _, u := range units {
		if strings.HasSuffix(v, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(v, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("sbom.max-size: %q is not a size (e.g. 512MiB, 2GB, 1048576)", v)
	}
	return n * mult, nil
}

// ParseAge reads a duration that may also use d (days) and w (weeks).
func ParseAge(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(v, suffix); ok {
			k, err := strconv.Atoi(strings.TrimSpace(n))
			if err != nil || k < 0 || k > 100*365 {
				return 0, fmt.Errorf("sbom.max-age: %q is not a duration (e.g. 90d, 12w, 2160h)", v)
			}
			return time.Duration(k) * unit, nil
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("sbom.max-age: %q is not a duration (e.g. 90d, 12w, 2160h)", v)
	}
	return d, nil
}
