package config

// SigstorePolicy is `policy.sigstore:`.
type SigstorePolicy struct{}

func (s *SigstorePolicy) resolve(c *Config) {}
