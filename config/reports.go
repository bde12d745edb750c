package config

// Reports is the `reports:` section of pedigree.yaml.
type Reports struct{}

func (s *Reports) resolve(c *Config) {}
