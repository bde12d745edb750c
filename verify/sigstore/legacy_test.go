package sigstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const cosignBlobDir = "testdata/cosign-blob-bundle"

// TestCosignBlobBundleReal: a real bundle `cosign sign-blob --bundle`
// wrote (cosign 1.x, keyless: a public-good Fulcio certificate, Rekor
// entry 11074687; testdata/cosign-blob-bundle/SOURCES.md) is turned into
// the Sigstore bundle v0.1 it amounts to and gives cosign verify-blob's
// verdicts: it verifies for the signer's identity, and fails for another
// identity and for other bytes.
func TestCosignBlobBundleReal(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(cosignBlobDir, "artifact.txt.bundle"))
	if err != nil {
		t.Fatal(err)
	}
	artifact, _ := os.ReadFile(filepath.Join(cosignBlobDir, "artifact.txt"))
	tr, err := LoadTrustedRoot(filepath.Join(cosignBlobDir, "trusted_root_pgi.json"))
	if err != nil {
		t.Fatal(err)
	}
	cb, err := ParseCosignBlobBundle(raw)
	if err != nil {
		t.Fatal(err)
	}
	if d := cb.LoggedDigest(); d != "5aa03f96c77536579166fba147929626cc3a97960e994057a9d80271a736d10f" {
		t.Errorf("logged digest %q", d)
	}
	const oauth = "https://github.com/login/oauth"
	for _, tc := range []struct {
		name     string
		identity Identity
		data     []byte
		err      string
	}{
		{"signer", Identity{SAN: "daniel.bevenius@gmail.com", Issuer: oauth}, artifact, ""},
		{"another identity", Identity{SAN: "someone@example.com", Issuer: oauth}, artifact, "identity"},
		{"other bytes", Identity{SAN: "daniel.bevenius@gmail.com", Issuer: oauth}, []byte("some datA\n"), "digest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := cb.Bundle(MessageSignature(tc.data, cb.Signature))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Verify(b, Policy{Trusted: tr, Identities: []Identity{tc.identity}}, ArtifactBytes(tc.data))
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("does not verify: %v", err)
			case tc.err == "" && (res.Version != "v0.1" || res.TlogEntries != 1 || res.Certificate.SubjectAlternativeName != "daniel.bevenius@gmail.com"):
				t.Errorf("%+v", res)
			case tc.err != "" && (err == nil || !strings.Contains(strings.ToLower(err.Error()), tc.err)):
				t.Errorf("err = %v, want one about %s", err, tc.err)
			}
		})
	}
}

func TestParseCosignBlobBundleBad(t *testing.T) {
	for _, tc := range []struct{ name, raw, err string }{
		{"not JSON", `{"base64Signature":`, "cosign bundle"},
		{"no signature", `{"base64Signature":"","cert":""}`, "no base64Signature"},
		{"signature not base64", `{"base64Signature":"!!"}`, "not base64"},
		{"cert neither PEM nor base64", `{"base64Signature":"AAAA","cert":"%%%"}`, "neither PEM"},
		{"cert not a certificate", `{"base64Signature":"AAAA","cert":"LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KQUFBQQotLS0tLUVORCBQVUJMSUMgS0VZLS0tLS0K"}`, "no PEM CERTIFICATE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseCosignBlobBundle([]byte(tc.raw)); err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("err = %v, want %q", err, tc.err)
			}
		})
	}
	// A Rekor bundle whose body is not base64 fails when assembled.
	l := CosignLegacy{RekorBundle: []byte(`{"SignedEntryTimestamp":"AA==","Payload":{"body":"%%"}}`)}
	if _, err := l.Bundle(MessageSignature([]byte("x"), "AAAA")); err == nil || !strings.Contains(err.Error(), "not base64") {
		t.Errorf("err = %v", err)
	}
}

func TestCosignSignature(t *testing.T) {
	sig := "MEUCIBbfVr0rREgk2yXfENMzTduXnSRc2GkJEUOb5tBncFgSAiEAtC4f1CA4Yio9N3wjdMAbY6hCerCKwyM+hn8L1kn33GE="
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{sig + "\n", true},
		{"-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----\n", false},
		{"untrusted comment: signature\nRWQ=\n", false},
		{"AAAA", false}, // too short for any signature
		{"\x89\x01\x33\x04", false},
	} {
		if _, ok := CosignSignature([]byte(tc.in)); ok != tc.ok {
			t.Errorf("%q: ok = %v", tc.in, ok)
		}
	}
}

// FuzzParseCosignBlobBundle: no input makes parsing or assembling panic,
// and what parses assembles into a bundle that parses or fails cleanly.
func FuzzParseCosignBlobBundle(f *testing.F) {
	if raw, err := os.ReadFile(filepath.Join(cosignBlobDir, "artifact.txt.bundle")); err == nil {
		f.Add(raw)
	}
	f.Add([]byte(`{"base64Signature":"AAAA","rekorBundle":null}`))
	f.Add([]byte(`{"base64Signature":"AAAA","rekorBundle":{"Payload":{"body":"e30=","logID":"zz"}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		cb, err := ParseCosignBlobBundle(raw)
		if err != nil {
			return
		}
		_ = cb.LoggedDigest()
		if b, err := cb.Bundle(MessageSignature([]byte("x"), cb.Signature)); err == nil {
			_, _ = ParseBundle(b)
		}
	})
}
