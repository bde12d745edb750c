package tuf

import (
	"crypto"

	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf/tuftest"
)

func signerFor(seed string, n int) (signature.Signer, error) {
	return signature.LoadSigner(tuftest.Key(seed, n), crypto.Hash(0))
}
