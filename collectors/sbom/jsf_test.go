package sbom

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/cyberphone/json-canonicalization/go/src/webpki.org/jsoncanonicalizer"
)

// TestJSFVectors verifies independent JSF test vectors (the JSF author's
// own), and that changing one signed byte breaks them.
func TestJSFVectors(t *testing.T) {
	for _, f := range []string{"p256-es256-jwk.json", "ed25519-jwk-kid.json", "r2048-rs256-jwk.json"} {
		t.Run(f, func(t *testing.T) {
			raw, err := os.ReadFile("testdata/jsf/" + f)
			if err != nil {
				t.Fatal(err)
			}
			g, err := decodeGeneric(raw)
			if err != nil {
				t.Fatal(err)
			}
			if s := verifyJSF(g); !s.Verified {
				t.Fatalf("not verified: %+v", s)
			}
			tampered, _ := decodeGeneric([]byte(strings.Replace(string(raw), `"Joe"`, `"Jim"`, 1)))
			if s := verifyJSF(tampered); s.Verified || s.Problem == "" {
				t.Fatalf("tampered document verified: %+v", s)
			}
		})
	}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// signCDX signs a CycloneDX document the way JSF specifies, independently
// of verifyJSF's own code path where possible.
func signCDX(t *testing.T, alg string, jwk map[string]any, sign func([]byte) []byte) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(minimalCDX), &doc); err != nil {
		t.Fatal(err)
	}
	doc["signature"] = map[string]any{"algorithm": alg, "publicKey": jwk}
	plain, _ := json.Marshal(doc)
	canon, err := jsoncanonicalizer.Transform(plain)
	if err != nil {
		t.Fatal(err)
	}
	doc["signature"].(map[string]any)["value"] = b64(sign(canon))
	out, _ := json.MarshalIndent(doc, "", "  ")
	return out
}

func TestJSFSignedCycloneDX(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	fixed := func(n *big.Int, size int) []byte { b := make([]byte, size); n.FillBytes(b); return b }
	ecJWK := map[string]any{"kty": "EC", "crv": "P-384", "x": b64(fixed(ec.X, 48)), "y": b64(fixed(ec.Y, 48))}
	rsaJWK := map[string]any{"kty": "RSA", "n": b64(rk.N.Bytes()), "e": "AQAB"}
	edJWK := map[string]any{"kty": "OKP", "crv": "Ed25519", "x": b64(edPriv.Public().(ed25519.PublicKey))}
	tests := []struct {
		alg  string
		jwk  map[string]any
		sign func([]byte) []byte
	}{
		{"ES384", ecJWK, func(b []byte) []byte {
			h := sha512.Sum384(b)
			r, s, _ := ecdsa.Sign(rand.Reader, ec, h[:])
			return append(fixed(r, 48), fixed(s, 48)...)
		}},
		{"PS512", rsaJWK, func(b []byte) []byte {
			h := sha512.Sum512(b)
			sig, _ := rsa.SignPSS(rand.Reader, rk, crypto.SHA512, h[:], nil)
			return sig
		}},
		{"Ed25519", edJWK, func(b []byte) []byte { return ed25519.Sign(edPriv, b) }},
	}
	for _, tt := range tests {
		t.Run(tt.alg, func(t *testing.T) {
			raw := signCDX(t, tt.alg, tt.jwk, tt.sign)
			d, err := Parse("signed.json", raw)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Signed || d.Signature == nil || !d.Signature.Verified {
				t.Fatalf("signature = %+v (error %q, schema %v)", d.Signature, d.Error, d.SchemaErrors)
			}
			if !d.SchemaValid {
				t.Errorf("signed BOM invalid: %v", d.SchemaErrors)
			}
			bad := []byte(strings.Replace(string(raw), `"name": "inner"`, `"name": "evil"`, 1))
			d, _ = Parse("signed.json", bad)
			if d.Signature == nil || d.Signature.Verified || !strings.Contains(d.Signature.Problem, "does not verify") {
				t.Fatalf("tampered: %+v", d.Signature)
			}
		})
	}
}

func TestJSFUnsupported(t *testing.T) {
	for name, sig := range map[string]string{
		"signers":          `{"signers":[{"algorithm":"ES256","value":"AA"}]}`,
		"certificate path": `{"algorithm":"ES256","certificatePath":["MII"],"value":"AA"}`,
	} {
		g, _ := decodeGeneric([]byte(`{"a":1,"signature":` + sig + `}`))
		if s := verifyJSF(g); s.Verified || !s.Unsupported {
			t.Errorf("%s: %+v", name, s)
		}
	}
	g, _ := decodeGeneric([]byte(`{"signature":{"algorithm":"ES256","publicKey":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"},"value":"AA"}}`))
	if s := verifyJSF(g); s.Verified || s.Unsupported || !strings.Contains(s.Problem, "publicKey") {
		t.Errorf("bad key: %+v", s)
	}
}

// FuzzJSF: the JSF signature of a BOM is attacker-chosen JSON; verifying it
// must end with a verdict or a problem, never a panic.
func FuzzJSF(f *testing.F) {
	for _, name := range []string{"p256-es256-jwk.json", "ed25519-jwk-kid.json", "r2048-rs256-jwk.json"} {
		if raw, err := os.ReadFile("testdata/jsf/" + name); err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte(`{"signature":{"algorithm":"ES256","publicKey":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"},"value":"AA"}}`))
	f.Add([]byte(`{"signature":{"algorithm":"RS256","publicKey":{"kty":"RSA","n":"AQ","e":"AQAB"},"value":"AA"}}`))
	f.Add([]byte(`{"signature":{"signers":[{"algorithm":"Ed25519"}]}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		g, err := decodeGeneric(raw)
		if err != nil {
			return
		}
		s := verifyJSF(g)
		if s == nil {
			t.Fatal("nil signature")
		}
		if s.Verified && s.Problem != "" {
			t.Fatalf("verified with a problem: %q", s.Problem)
		}
	})
}
