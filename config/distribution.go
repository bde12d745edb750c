package config

import (
	"fmt"
	"time"
)

// Distribution is the `distribution:` section of pedigree.yaml: how the
// distribution channels found in the targets (OCI image layouts, TUF
// repositories, apt repositories, release pages) are judged. The same
// options are the flags of `pedigree dist scan`.
//
//	distribution:
//	  at: 2026-08-20T00:00:00Z        # judge expiry at this instant (default: now)
//	  tuf-root: trust/1.root.json     # pinned TUF root (else trust on first use)
//	  keyrings: [keys/archive-keyring.gpg]
//	  keys: [keys/cosign.pub]
//	  without-tlog-unsafe: false
//	  trusted-roots: [trust/trusted_root.json]
//	  min-threshold: 2               # root and targets thresholds below this fail
type Distribution struct {
	// At is the RFC 3339 instant every expiry and validity window is
	// evaluated at; empty means the time of the run.
	At string `yaml:"at"`
	// TUFRoot is a trusted TUF root.json the root chain must start from.
	TUFRoot string `yaml:"tuf-root"`
	// Keyrings are OpenPGP keyrings trusted to sign apt Release files and
	// release checksum lists (in addition to policy.keys.openpgp-keyrings).
	Keyrings []string `yaml:"keyrings"`
	// Keys are PEM public keys (cosign, minisign, signify keys too) trusted
	// for image signatures and checksum lists.
	Keys []string `yaml:"keys"`
	// WithoutTlogUnsafe accepts key-signed signatures without a
	// transparency-log entry, as `verify bundle --without-tlog-unsafe`.
	WithoutTlogUnsafe bool `yaml:"without-tlog-unsafe"`
	// TrustedRoots are Sigstore trusted_root.json files (in addition to
	// policy.sigstore.trusted-roots).
	TrustedRoots []string `yaml:"trusted-roots"`
	// MinThreshold is the signature threshold root and targets roles need
	// (default 2: a threshold of 1 lets one stolen key sign anything).
	MinThreshold int `yaml:"min-threshold"`
}

// Instant parses At; zero when At is empty.
func (s *Distribution) Instant() (time.Time, error) {
	if s.At == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s.At)
	if err != nil {
		return time.Time{}, fmt.Errorf("distribution: at %q is not an RFC 3339 time (2026-08-20T00:00:00Z): %w", s.At, ErrInput)
	}
	return t.UTC(), nil
}

func (s *Distribution) resolve(c *Config) {
	s.TUFRoot = c.Abs(s.TUFRoot)
	for _, l := range [][]string{s.Keyrings, s.Keys, s.TrustedRoots} {
		for i := range l {
			l[i] = c.Abs(l[i])
		}
	}
}
