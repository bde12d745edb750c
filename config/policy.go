package config

// Policy is the `policy:` section of pedigree.yaml: the trust policy that
// signatures, attestations and provenance are verified against. Trust is
// always data passed in, never ambient: nothing here is fetched.
type Policy struct {
	// Sigstore: trusted_root.json files, expected identities, public keys,
	// SLSA expectations, in-toto layouts (config/policy_sigstore.go).
	Sigstore SigstorePolicy `yaml:"sigstore"`
	// OpenPGP keyrings, X.509 CA bundles and post-quantum keys
	// (config/policy_keys.go).
	Keys KeysPolicy `yaml:"keys"`
}

func (s *Policy) resolve(c *Config) {
	s.Sigstore.resolve(c)
	s.Keys.resolve(c)
}
