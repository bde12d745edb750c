package tuf

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"strings"

	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// delegator returns root as a delegator whose keys go-tuf v2 can read.
// Roots written by go-tuf v0 (Sigstore's root versions 1 to 4 among them)
// hold ECDSA keys as hex-encoded uncompressed points, which go-tuf v2
// rejects ("PEM decoding failed"); the same key in PKIX PEM verifies the
// same signatures. Only the delegator's copy is converted: the signed
// bytes of the metadata being verified stay untouched.
func delegator(root *metadata.Metadata[metadata.RootType]) *metadata.Metadata[metadata.RootType] {
	var conv map[string]*metadata.Key
	for id, k := range root.Signed.Keys {
		if p, ok := legacyECDSA(k); ok {
			if conv == nil {
				conv = make(map[string]*metadata.Key, len(root.Signed.Keys))
				for i, kk := range root.Signed.Keys {
					conv[i] = kk
				}
			}
			c := *k
			c.Value.PublicKey = p
			conv[id] = &c
		}
	}
	if conv == nil {
		return root
	}
	cp := *root
	cp.Signed.Keys = conv
	return &cp
}

func legacyECDSA(k *metadata.Key) (string, bool) {
	if k.Type != metadata.KeyTypeECDSA_SHA2_P256 && k.Type != metadata.KeyTypeECDSA_SHA2_P256_COMPAT {
		return "", false
	}
	v := k.Value.PublicKey
	if strings.HasPrefix(v, "-----") || len(v) != 130 || !strings.HasPrefix(v, "04") {
		return "", false
	}
	raw, err := hex.DecodeString(v)
	if err != nil {
		return "", false
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		return "", false
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", false
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), true
}
