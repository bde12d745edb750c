package sigstore

import (
	"crypto"
	"os"
	"testing"

	corpus "github.com/pedigree-dev/pedigree/verify/testcorpus"
)

// TestCorpus runs every sigstore-bundle row of the shared signing corpus and
// agrees with its verdict.
func TestCorpus(t *testing.T) {
	for _, c := range corpus.Load(t, "sigstore-bundle") {
		t.Run(c.Name, func(t *testing.T) {
			err := verifyCase(c)
			got := "pass"
			if err != nil {
				got = "fail"
			}
			if got != c.Expected {
				t.Errorf("got %s (%v), want %s: %s", got, err, c.Expected, c.Reason)
			} else {
				t.Logf("%s: %v", got, err)
			}
		})
	}
}

func verifyCase(c corpus.Case) error {
	var p Policy
	tr, err := LoadTrustedRoot(c.Path("trusted-root"))
	if err != nil {
		return err
	}
	p.Trusted = tr
	if k := c.Path("key"); k != "" {
		b, err := os.ReadFile(k)
		if err != nil {
			return err
		}
		pub, err := ParsePublicKey(b)
		if err != nil {
			return err
		}
		p.Keys = []crypto.PublicKey{pub}
	} else {
		p.Identities = []Identity{{SAN: c.Policy["certificate-identity"], Issuer: c.Policy["certificate-oidc-issuer"]}}
	}
	art, err := os.ReadFile(c.Path("artifact"))
	if err != nil {
		return err
	}
	b, err := os.ReadFile(c.Path("bundle"))
	if err != nil {
		return err
	}
	_, err = Verify(b, p, ArtifactBytes(art))
	return err
}
