package keys

import (
	"os"
	"strings"
	"testing"
)

// TestParseCosignBundle: a real keyless cosign blob bundle
// (verify/sigstore/testdata) gives its Fulcio certificate and an ECDSA
// P-256 signature with pointers into the file; a real key-signed one
// (collectors/distribution/release/testdata) gives the signature alone.
func TestParseCosignBundle(t *testing.T) {
	b, err := os.ReadFile("../../verify/sigstore/testdata/cosign-blob-bundle/artifact.txt.bundle")
	if err != nil {
		t.Fatal(err)
	}
	m := scanJSON("artifact.txt.bundle", b)
	if m == nil || m.Format != "cosign-bundle" || m.Problem != "" || len(m.Assets) != 2 {
		t.Fatalf("%+v", m)
	}
	cert, sig := m.Assets[0], m.Assets[1]
	if cert.Kind != AssetCertificate || cert.Pointer != "/cert" || cert.Curve != "P-256" || !strings.Contains(cert.Identity, "daniel.bevenius@gmail.com") {
		t.Errorf("certificate: %+v", cert)
	}
	if sig.Kind != AssetSignature || sig.Role != "cosign-signature" || sig.Pointer != "/base64Signature" || sig.Algorithm != "ECDSA" || sig.Hash != "SHA-256" || sig.Class != ClassQuantumVulnerable {
		t.Errorf("signature: %+v", sig)
	}
	b, _ = os.ReadFile("../distribution/release/testdata/cosign-bundle/checksums.txt.bundle")
	m = scanJSON("checksums.txt.bundle", b)
	if m == nil || len(m.Assets) != 1 || m.Assets[0].Kind != AssetSignature || m.Assets[0].Role != "cosign-signature" {
		t.Fatalf("key-signed: %+v", m)
	}
	if m := scanJSON("x.bundle", []byte(`{"base64Signature":"AAAA","cert":"%%"}`)); m == nil || !strings.Contains(m.Problem, "neither PEM") {
		t.Errorf("bad cert: %+v", m)
	}
}
