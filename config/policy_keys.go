package config

// KeysPolicy is `policy.keys:`.
type KeysPolicy struct{}

func (s *KeysPolicy) resolve(c *Config) {}
