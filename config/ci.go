package config

// CI is the `ci:` section of pedigree.yaml.
type CI struct{}

func (s *CI) resolve(c *Config) {}
