package config

// SBOM is the `sbom:` section of pedigree.yaml.
type SBOM struct{}

func (s *SBOM) resolve(c *Config) {}
