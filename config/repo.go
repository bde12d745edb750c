package config

// Repo is the `repo:` section of pedigree.yaml.
type Repo struct{}

func (s *Repo) resolve(c *Config) {}
