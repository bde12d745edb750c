package sigstore

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	"google.golang.org/protobuf/encoding/protojson"

	corpus "github.com/pedigree-dev/pedigree/verify/testcorpus"
)

// keyBundle makes a key-signed v0.3 bundle over artifact (no tlog).
func keyBundle(t testing.TB, key *ecdsa.PrivateKey, claimed, signed []byte) []byte {
	t.Helper()
	d := sha256.Sum256(claimed)
	sd := sha256.Sum256(signed)
	sig, err := ecdsa.SignASN1(rand.Reader, key, sd[:])
	if err != nil {
		t.Fatal(err)
	}
	pb := &protobundle.Bundle{
		MediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
		VerificationMaterial: &protobundle.VerificationMaterial{
			Content: &protobundle.VerificationMaterial_PublicKey{PublicKey: &protocommon.PublicKeyIdentifier{Hint: "test"}},
		},
		Content: &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: d[:]},
			Signature:     sig,
		}},
	}
	b, err := protojson.Marshal(pb)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestKeyBundle(t *testing.T) {
	key := newKey(t)
	other := newKey(t)
	art := []byte("release artifact\n")
	good := keyBundle(t, key, art, art)
	keyPol := Policy{Keys: []crypto.PublicKey{&key.PublicKey}, WithoutTransparencyLogUnsafe: true}
	tests := []struct {
		name   string
		bundle []byte
		pol    Policy
		art    Artifact
		want   error // nil: verifies
	}{
		{"good", good, keyPol, ArtifactBytes(art), nil},
		{"good by digest", good, keyPol, digestOf(art), nil},
		{"other artifact", good, keyPol, ArtifactBytes([]byte("other")), ErrVerify},
		{"signature over a different artifact", keyBundle(t, key, art, []byte("other")), keyPol, ArtifactBytes(art), ErrVerify},
		{"wrong key", good, Policy{Keys: []crypto.PublicKey{&other.PublicKey}, WithoutTransparencyLogUnsafe: true}, ArtifactBytes(art), ErrVerify},
		{"tlog required, no trusted root", good, Policy{Keys: []crypto.PublicKey{&key.PublicKey}}, ArtifactBytes(art), ErrPolicy},
		{"no key", good, Policy{}, ArtifactBytes(art), ErrPolicy},
		{"no artifact", good, keyPol, Artifact{}, ErrPolicy},
		{"truncated", good[:len(good)/2], keyPol, ArtifactBytes(art), ErrBundle},
		{"wrong media type", bytes.Replace(good, []byte("bundle.v0.3+json"), []byte("bundle.v9.9+json"), 1), keyPol, ArtifactBytes(art), ErrBundle},
		{"not json", []byte("hello"), keyPol, ArtifactBytes(art), ErrBundle},
		{"deeply nested", []byte(strings.Repeat("[", 100000)), keyPol, ArtifactBytes(art), ErrBundle},
		{"huge", append([]byte(`{"x":"`), bytes.Repeat([]byte("a"), MaxBundleSize)...), keyPol, ArtifactBytes(art), ErrBundle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Verify(tt.bundle, tt.pol, tt.art)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("want OK, got %v", err)
				}
				if res.SignedWith != "key" || res.KeyAlgorithm != "ECDSA P-256" {
					t.Errorf("result %+v", res)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("want %v, got %v (result %+v)", tt.want, err, res)
			}
		})
	}
}

func digestOf(b []byte) Artifact {
	d := sha256.Sum256(b)
	return Artifact{Algorithm: "sha256", Digest: d[:]}
}

func TestParseArtifactDigest(t *testing.T) {
	for in, ok := range map[string]bool{
		"sha256:" + strings.Repeat("ab", 32): true,
		"sha512:" + strings.Repeat("ab", 64): true,
		"sha256:" + strings.Repeat("ab", 31): false,
		"sha256:zz":                          false,
		"md5:" + strings.Repeat("ab", 16):    false,
		"a.txt":                              false,
	} {
		if _, got := ParseArtifactDigest(in); got != ok {
			t.Errorf("%q: got %v", in, got)
		}
	}
}

// TestBadInputCorpus mutates a real bundle: every mutation fails or still
// verifies for the right reason, never panics.
func TestBadInputCorpus(t *testing.T) {
	cs := corpus.Load(t, "sigstore-bundle")
	var c corpus.Case
	for _, x := range cs {
		if x.Name == "sigstore-happy-path-v0.3" {
			c = x
		}
	}
	if c.Name == "" {
		t.Skip("happy-path-v0.3 row missing")
	}
	raw, _ := os.ReadFile(c.Path("bundle"))
	art, _ := os.ReadFile(c.Path("artifact"))
	tr, err := LoadTrustedRoot(c.Path("trusted-root"))
	if err != nil {
		t.Fatal(err)
	}
	pol := Policy{Trusted: tr, Identities: []Identity{{SAN: c.Policy["certificate-identity"], Issuer: c.Policy["certificate-oidc-issuer"]}}}
	if _, err := Verify(raw, pol, ArtifactBytes(art)); err != nil {
		t.Fatalf("baseline: %v", err)
	}
	// Re-ordered keys: the same bundle, so it must still verify.
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	reordered, _ := json.Marshal(m) // encoding/json sorts keys
	if _, err := Verify(reordered, pol, ArtifactBytes(art)); err != nil {
		t.Errorf("re-ordered keys: %v", err)
	}
	// A bogus certificate: flip a byte inside the DER (extensions live at
	// the end of the TBS certificate).
	vm := m["verificationMaterial"].(map[string]any)
	cert := vm["certificate"].(map[string]any)
	der := cert["rawBytes"].(string)
	for _, pos := range []int{len(der) / 2, len(der) - 120, len(der) - 300} {
		mut := []byte(der)
		if mut[pos] == 'A' {
			mut[pos] = 'B'
		} else {
			mut[pos] = 'A'
		}
		cert["rawBytes"] = string(mut)
		b, _ := json.Marshal(m)
		if _, err := Verify(b, pol, ArtifactBytes(art)); err == nil {
			t.Errorf("certificate byte %d flipped: verified", pos)
		}
	}
	cert["rawBytes"] = der
	// Every truncation of the bundle fails.
	for n := 0; n < len(raw); n += len(raw) / 40 {
		if _, err := Verify(raw[:n], pol, ArtifactBytes(art)); err == nil {
			t.Errorf("truncated at %d: verified", n)
		}
	}
	// A log entry for another artifact: take the tlog entry of a different
	// bundle verified under the same root.
	for _, x := range cs {
		if x.Name == "sigstore-happy-path-v0.1" {
			other, _ := os.ReadFile(x.Path("bundle"))
			var om map[string]any
			_ = json.Unmarshal(other, &om)
			vm["tlogEntries"] = om["verificationMaterial"].(map[string]any)["tlogEntries"]
			b, _ := json.Marshal(m)
			if _, err := Verify(b, pol, ArtifactBytes(art)); err == nil {
				t.Errorf("log entry of another artifact: verified")
			}
		}
	}
}

func TestParsePublicKey(t *testing.T) {
	k := newKey(t)
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	p := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	if _, err := ParsePublicKey(p); err != nil {
		t.Fatal(err)
	}
	if _, err := ParsePublicKey([]byte("junk")); !errors.Is(err, ErrKey) {
		t.Fatalf("junk: %v", err)
	}
	// The corpus key that is not on the curve.
	if cs := corpus.Load(t, "sigstore-bundle"); len(cs) > 0 {
		b, err := os.ReadFile(filepath.Join(cs[0].Dir, "..", "sigstore-managed-key-wrong-key_fail", "key.pub"))
		if err == nil {
			if _, err := ParsePublicKey(b); !errors.Is(err, ErrKey) {
				t.Errorf("off-curve key: %v", err)
			}
		}
	}
}

func FuzzParseBundle(f *testing.F) {
	f.Add([]byte(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}`))
	f.Add([]byte(`[[[[`))
	if dir, err := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "signing", "sigstore-*", "bundle.sigstore.json")); err == nil {
		for _, p := range dir[:min(len(dir), 6)] {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	key := newKey(f)
	pol := Policy{Keys: []crypto.PublicKey{&key.PublicKey}, WithoutTransparencyLogUnsafe: true}
	f.Add(keyBundle(f, key, []byte("a"), []byte("a")))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := Verify(b, pol, ArtifactBytes([]byte("a"))); err == nil && !bytes.Contains(b, []byte("messageSignature")) {
			t.Errorf("verified without a message signature")
		}
	})
}

func FuzzParseTrustedRoot(f *testing.F) {
	f.Add([]byte(`{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}`))
	if dir, err := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "signing", "sigstore-*", "trusted_root.json")); err == nil {
		for _, p := range dir[:min(len(dir), 4)] {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) { _, _ = ParseTrustedRoot(b) })
}
