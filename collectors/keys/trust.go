package keys

import (
	"errors"
	"fmt"

	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
	"github.com/pedigree-dev/pedigree/verify/pgp"
	"github.com/pedigree-dev/pedigree/verify/pqc"
)

// maxTrustFile bounds a CA bundle or public-key file.
const maxTrustFile = 16 << 20

// LoadTrust reads the files policy.keys names. Any file that cannot be read
// or parsed is an error naming it: a trust policy is never half loaded.
func LoadTrust(p config.KeysPolicy) (Options, error) {
	var o Options
	v, err := pgp.ParseValidity(p.KeyValidity)
	if err != nil {
		return o, fmt.Errorf("policy.keys.key-validity: %w", err)
	}
	o.Validity = v
	if len(p.OpenPGPKeyrings) > 0 {
		kr, err := pgp.LoadKeyring(p.OpenPGPKeyrings...)
		if err != nil {
			return o, fmt.Errorf("policy.keys.openpgp-keyrings: %w", err)
		}
		o.Keyring = kr
	}
	for _, f := range p.CABundles {
		b, err := readTrust(f)
		if err != nil {
			return o, fmt.Errorf("policy.keys.ca-bundles: %w", err)
		}
		certs, err := pqc.ParseCertificatesPEM(b)
		if err != nil {
			return o, fmt.Errorf("policy.keys.ca-bundles: %s: %w", f, err)
		}
		o.Roots = append(o.Roots, certs...)
	}
	for _, f := range p.PublicKeys {
		b, err := readTrust(f)
		if err != nil {
			return o, fmt.Errorf("policy.keys.public-keys: %w", err)
		}
		k, err := pqc.ParsePEM(b)
		switch {
		case err == nil:
			o.PublicKeys = append(o.PublicKeys, k)
		case errors.Is(err, pqc.ErrUnknownAlgorithm):
			// A classical key: the Sigstore key-based checks use it.
		default:
			return o, fmt.Errorf("policy.keys.public-keys: %s: %w", f, err)
		}
	}
	return o, nil
}

func readTrust(p string) ([]byte, error) {
	return readlimit.File(p, maxTrustFile)
}
