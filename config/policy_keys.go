package config

// KeysPolicy is `policy.keys:`: the OpenPGP keyrings, X.509 CA bundles and
// public keys (classical or ML-DSA/SLH-DSA) that signatures found in the
// targets are verified against. Nothing here is fetched: every file is
// pinned by the user.
//
//	policy:
//	  keys:
//	    openpgp-keyrings: [keys/release-keyring.asc]
//	    ca-bundles: [keys/pq-root-ca.pem]
//	    public-keys: [keys/mldsa65.pub.pem]
//	    key-validity: signature-time
type KeysPolicy struct {
	// OpenPGPKeyrings are keyring files (armored or binary); their keys are
	// the only trusted OpenPGP signers.
	OpenPGPKeyrings []string `yaml:"openpgp-keyrings"`
	// CABundles are PEM files of trusted CA certificates; certificates
	// signed with ML-DSA or SLH-DSA found in the targets must chain to one.
	CABundles []string `yaml:"ca-bundles"`
	// PublicKeys are PEM public keys trusted for raw detached signatures
	// (FILE.sig): ML-DSA-44/65/87 and SLH-DSA keys; classical keys here are
	// inventoried and used by the Sigstore key-based checks.
	PublicKeys []string `yaml:"public-keys"`
	// KeyValidity is when an OpenPGP key must have been valid:
	// signature-time (default, as gpgv) or now.
	KeyValidity string `yaml:"key-validity"`
}

func (s *KeysPolicy) resolve(c *Config) {
	for _, list := range [][]string{s.OpenPGPKeyrings, s.CABundles, s.PublicKeys} {
		for i := range list {
			list[i] = c.Abs(list[i])
		}
	}
}

// Empty reports whether no keys section was given.
func (s *KeysPolicy) Empty() bool {
	return len(s.OpenPGPKeyrings) == 0 && len(s.CABundles) == 0 && len(s.PublicKeys) == 0 && s.KeyValidity == ""
}
