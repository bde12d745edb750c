package sbom

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/cyberphone/json-canonicalization/go/src/webpki.org/jsoncanonicalizer"
)

// verifyJSF verifies the document-level JSF (JSON Signature Format 0.82)
// signature of a CycloneDX JSON BOM, given the document decoded generically
// (objects as map[string]any, numbers as json.Number). Following JSF, the
// signature object's "value" is removed, properties named in "excludes" are
// left out, the rest of the document is canonicalised with RFC 8785 (JCS),
// and the value is verified with the embedded publicKey (JWK). Whether that
// key is trusted is not decided here.
func verifyJSF(generic any) *Signature {
	root, ok := generic.(map[string]any)
	if !ok {
		return &Signature{Problem: "document is not a JSON object"}
	}
	sigObj, ok := root["signature"].(map[string]any)
	if !ok {
		return &Signature{Problem: "signature is not a JSON object"}
	}
	s := &Signature{}
	for _, multi := range []string{"signers", "chain"} {
		if arr, ok := sigObj[multi].([]any); ok {
			s.Signers = len(arr)
			s.Unsupported = true
			s.Problem = fmt.Sprintf("JSF %s (multiple signatures) are not verified by pedigree; verify them with the signing pillar", multi)
			if len(arr) > 0 {
				if first, ok := arr[0].(map[string]any); ok {
					s.Algorithm, _ = first["algorithm"].(string)
				}
			}
			return s
		}
	}
	s.Signers = 1
	s.Algorithm, _ = sigObj["algorithm"].(string)
	s.KeyID, _ = sigObj["keyId"].(string)
	valueB64, _ := sigObj["value"].(string)
	if valueB64 == "" {
		s.Problem = "signature has no value"
		return s
	}
	sig, err := b64url(valueB64)
	if err != nil {
		s.Problem = "signature value is not base64url: " + err.Error()
		return s
	}
	jwk, ok := sigObj["publicKey"].(map[string]any)
	if !ok {
		s.Unsupported = true
		if _, has := sigObj["certificatePath"]; has {
			s.Problem = "signature carries a certificatePath but no publicKey; certificate-based JSF is left to the signing pillar"
		} else {
			s.Problem = "signature carries no publicKey (keyId only); the key must come from a trust policy (signing pillar)"
		}
		return s
	}
	pub, keyType, err := parseJWK(jwk)
	s.KeyType = keyType
	if err != nil {
		s.Problem = "publicKey: " + err.Error()
		return s
	}
	// Build the signed form: the document without signature.value and
	// without excluded properties.
	signed := make(map[string]any, len(root))
	for k, v := range root {
		signed[k] = v
	}
	if ex, ok := sigObj["excludes"].([]any); ok {
		for _, e := range ex {
			if name, ok := e.(string); ok && name != "signature" {
				delete(signed, name)
			}
		}
	}
	sigCopy := make(map[string]any, len(sigObj))
	for k, v := range sigObj {
		if k != "value" {
			sigCopy[k] = v
		}
	}
	signed["signature"] = sigCopy
	plain, err := json.Marshal(signed)
	if err != nil {
		s.Problem = "re-encode: " + err.Error()
		return s
	}
	canon, err := jsoncanonicalizer.Transform(plain)
	if err != nil {
		s.Problem = "canonicalise (RFC 8785): " + err.Error()
		return s
	}
	if err := verifyAlg(s.Algorithm, pub, canon, sig); err != nil {
		s.Problem = err.Error()
		if strings.HasPrefix(err.Error(), "unsupported") {
			s.Unsupported = true
		}
		return s
	}
	s.Verified = true
	return s
}

func b64url(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	return base64.RawURLEncoding.DecodeString(s)
}

// parseJWK reads the public key JWKs JSF allows: EC (P-256/384/521), RSA
// and OKP Ed25519.
func parseJWK(m map[string]any) (crypto.PublicKey, string, error) {
	str := func(k string) string { v, _ := m[k].(string); return v }
	switch str("kty") {
	case "EC":
		var curve elliptic.Curve
		switch str("crv") {
		case "P-256":
			curve = elliptic.P256()
		case "P-384":
			curve = elliptic.P384()
		case "P-521":
			curve = elliptic.P521()
		default:
			return nil, "EC " + str("crv"), fmt.Errorf("unsupported EC curve %q", str("crv"))
		}
		x, err := b64url(str("x"))
		if err != nil {
			return nil, "EC", fmt.Errorf("x: %w", err)
		}
		y, err := b64url(str("y"))
		if err != nil {
			return nil, "EC", fmt.Errorf("y: %w", err)
		}
		size := (curve.Params().BitSize + 7) / 8
		if len(x) != size || len(y) != size {
			return nil, "EC " + str("crv"), fmt.Errorf("coordinates are not %d bytes", size)
		}
		uncompressed := append(append([]byte{4}, x...), y...)
		pk, err := ecdsa.ParseUncompressedPublicKey(curve, uncompressed)
		if err != nil {
			return nil, "EC " + str("crv"), fmt.Errorf("point: %w", err)
		}
		return pk, "EC " + str("crv"), nil
	case "RSA":
		n, err := b64url(str("n"))
		if err != nil || len(n) == 0 {
			return nil, "RSA", fmt.Errorf("n is missing or not base64url")
		}
		e, err := b64url(str("e"))
		if err != nil || len(e) == 0 || len(e) > 8 {
			return nil, "RSA", fmt.Errorf("e is missing or not base64url")
		}
		eInt := new(big.Int).SetBytes(e)
		if !eInt.IsInt64() || eInt.Int64() < 3 || eInt.Int64() > 1<<31-1 {
			return nil, "RSA", fmt.Errorf("e is out of range")
		}
		pk := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(eInt.Int64())}
		bits := pk.N.BitLen()
		if bits < 2048 {
			return nil, fmt.Sprintf("RSA %d", bits), fmt.Errorf("RSA modulus of %d bits is below 2048", bits)
		}
		return pk, fmt.Sprintf("RSA %d", bits), nil
	case "OKP":
		if str("crv") != "Ed25519" {
			return nil, "OKP " + str("crv"), fmt.Errorf("unsupported OKP curve %q", str("crv"))
		}
		x, err := b64url(str("x"))
		if err != nil || len(x) != ed25519.PublicKeySize {
			return nil, "Ed25519", fmt.Errorf("x is not a 32-byte base64url key")
		}
		return ed25519.PublicKey(x), "Ed25519", nil
	}
	return nil, str("kty"), fmt.Errorf("unsupported key type %q", str("kty"))
}

func verifyAlg(alg string, pub crypto.PublicKey, data, sig []byte) error {
	digest := func(h crypto.Hash) []byte {
		switch h {
		case crypto.SHA384:
			s := sha512.Sum384(data)
			return s[:]
		case crypto.SHA512:
			s := sha512.Sum512(data)
			return s[:]
		}
		s := sha256.Sum256(data)
		return s[:]
	}
	bad := fmt.Errorf("signature does not verify (algorithm %s)", alg)
	switch alg {
	case "ES256", "ES384", "ES512":
		h := map[string]crypto.Hash{"ES256": crypto.SHA256, "ES384": crypto.SHA384, "ES512": crypto.SHA512}[alg]
		pk, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return fmt.Errorf("algorithm %s needs an EC key", alg)
		}
		size := (pk.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return fmt.Errorf("%s signature is %d bytes, want %d (r||s)", alg, len(sig), 2*size)
		}
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		if !ecdsa.Verify(pk, digest(h), r, s) {
			return bad
		}
		return nil
	case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
		h := map[byte]crypto.Hash{'2': crypto.SHA256, '3': crypto.SHA384, '5': crypto.SHA512}[alg[2]]
		pk, ok := pub.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("algorithm %s needs an RSA key", alg)
		}
		var err error
		if alg[0] == 'R' {
			err = rsa.VerifyPKCS1v15(pk, h, digest(h), sig)
		} else {
			err = rsa.VerifyPSS(pk, h, digest(h), sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
		}
		if err != nil {
			return bad
		}
		return nil
	case "Ed25519", "EdDSA":
		pk, ok := pub.(ed25519.PublicKey)
		if !ok {
			return fmt.Errorf("algorithm %s needs an Ed25519 key", alg)
		}
		if !ed25519.Verify(pk, data, sig) {
			return bad
		}
		return nil
	}
	return fmt.Errorf("unsupported JSF algorithm %q", alg)
}
