package config

// Vuln is the `vuln:` section of pedigree.yaml.
type Vuln struct{}

func (s *Vuln) resolve(c *Config) {}
