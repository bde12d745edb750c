package oci

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/verify/sigstore"
)

const (
	keylessBundle = "testdata/cosign-keyless/oci-attestation.sigstore.json"
	keylessRoot   = "testdata/cosign-keyless/trusted_root_pgi.json"
	// keylessSubject is the digest the real bundle's statement names:
	// go-containerregistry's empty.Image.
	keylessSubject = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4"
)

// keylessLayout writes img and attaches bundle to it as an OCI 1.1
// referrer, as cosign's WriteAttestationNewBundleFormat writes one, left
// as blobs outside index.json (what cosign save writes) or listed in it.
func keylessLayout(t *testing.T, img v1.Image, bundle []byte, listed bool) string {
	const bundleMT = "application/vnd.dev.sigstore.bundle.v0.3+json"
	return referrerLayout(t, img, bundleMT, bundleMT, bundle, map[string]string{"org.opencontainers.image.created": "2025-02-28T19:18:11Z",
		"dev.sigstore.bundle.content": "dsse-envelope", annBundlePredicate: "https://cosign.sigstore.dev/attestation/v1"}, listed)
}

// referrerLayout writes img and attaches to it an OCI 1.1 referrer of
// artifactType holding one layer of layerMT.
func referrerLayout(t *testing.T, img v1.Image, artifactType, layerMT string, content []byte, ann map[string]string, listed bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "image")
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": "127.0.0.1:60943/repo:tag"})); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	raw, _ := img.RawManifest()
	mt, _ := img.MediaType()
	put := func(b []byte) v1.Hash {
		h, _, _ := v1.SHA256(bytes.NewReader(b))
		if err := p.WriteBlob(h, nopCloser{bytes.NewReader(b)}); err != nil {
			t.Fatal(err)
		}
		return h
	}
	cfg := []byte("{}")
	m, _ := json.Marshal(map[string]any{
		"schemaVersion": 2, "mediaType": types.OCIManifestSchema1, "artifactType": artifactType,
		"config":      v1.Descriptor{MediaType: "application/vnd.oci.empty.v1+json", Digest: put(cfg), Size: int64(len(cfg))},
		"layers":      []v1.Descriptor{{MediaType: types.MediaType(layerMT), Digest: put(content), Size: int64(len(content))}},
		"annotations": ann,
		"subject":     v1.Descriptor{MediaType: mt, Digest: d, Size: int64(len(raw))},
	})
	h := put(m)
	if listed {
		if err := p.AppendDescriptor(v1.Descriptor{MediaType: types.OCIManifestSchema1, Digest: h, Size: int64(len(m)), ArtifactType: artifactType}); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// TestKeylessBundleReferrer: a real keyless cosign bundle (Fulcio
// certificate, public-good Rekor entry; testdata/SOURCES.md) attached as a
// referrer of the image whose manifest digest it signs verifies against
// the public-good trusted root, for any identity or for the signer's
// identity pinned in policy.sigstore.identities, and fails for another
// pinned identity; without a root it is not verified, a changed signature
// or the same bundle on another image fails.
func TestKeylessBundleReferrer(t *testing.T) {
	bundle, err := os.ReadFile(keylessBundle)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := empty.Image.Digest(); d.String() != keylessSubject {
		t.Fatalf("empty.Image is %s, the bundle signs %s", d, keylessSubject)
	}
	other, _ := random.Image(64, 1)
	var sig struct {
		DSSE struct {
			Signatures []struct {
				Sig string `json:"sig"`
			} `json:"signatures"`
		} `json:"dsseEnvelope"`
	}
	json.Unmarshal(bundle, &sig)
	s := sig.DSSE.Signatures[0].Sig
	flipped := s[:10] + map[bool]string{true: "A", false: "B"}[s[10] != 'A'] + s[11:]
	tampered := bytes.Replace(bundle, []byte(s), []byte(flipped), 1)
	withRoot := distribution.Options{TrustedRoots: []string{keylessRoot}}
	// policy.sigstore.identities naming images by their reference name.
	withIdentity := func(image, san string) distribution.Options {
		o := withRoot
		o.Identities = []config.SigstoreIdentity{{Artifacts: []string{image}, SAN: san, Issuer: "https://github.com/login/oauth"}}
		return o
	}
	for _, tc := range []struct {
		name    string
		img     v1.Image
		bundle  []byte
		listed  bool
		o       distribution.Options
		outcome string
		says    string
	}{
		{"referrer blob", empty.Image, bundle, false, withRoot, distribution.Verified, "cody@soyland.com (https://github.com/login/oauth), 1 transparency-log entr"},
		{"referrer in index.json", empty.Image, bundle, true, withRoot, distribution.Verified, "cody@soyland.com"},
		{"the signer's identity pinned for the image", empty.Image, bundle, false, withIdentity("127.0.0.1:60943/repo", "cody@soyland.com"), distribution.Verified, "cody@soyland.com"},
		{"another identity pinned for the image", empty.Image, bundle, false, withIdentity("127.0.0.1:60943/repo", "someone@example.com"), distribution.Failed, "someone@example.com"},
		{"an identity pinned for other images only", empty.Image, bundle, false, withIdentity("registry.example/*", "someone@example.com"), distribution.Verified, "cody@soyland.com"},
		{"no trusted root", empty.Image, bundle, false, distribution.Options{}, distribution.NotVerified, "no key or trusted root"},
		{"signature changed", empty.Image, tampered, false, withRoot, distribution.Failed, ""},
		{"attached to another image", other, bundle, false, withRoot, distribution.Failed, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := keylessLayout(t, tc.img, tc.bundle, tc.listed)
			fs := scan(t, dir, tc.o)
			if in := find(fs, CheckIntegrity); len(in) != 1 || in[0].Outcome != distribution.Verified {
				t.Fatalf("integrity %+v", in)
			}
			att := find(fs, CheckAttested)
			if len(att) != 1 {
				t.Fatalf("%d attested", len(att))
			}
			// No SBOM, no provenance: the attestation is a custom
			// predicate, so the image is not attested as the check asks
			// (cosign verify-attestation --type spdxjson finds none).
			msg := att[0].Message
			t.Log(msg)
			if att[0].Outcome != distribution.Failed {
				t.Errorf("attested %s: %s", att[0].Outcome, msg)
			}
			switch tc.outcome {
			case distribution.Verified:
				if !strings.Contains(msg, "other verified attestations: https://cosign.sigstore.dev/attestation/v1 (signed by "+tc.says) {
					t.Errorf("message %s", msg)
				}
			default:
				if strings.Contains(msg, "other verified") || !strings.Contains(msg, "not verified: ") || !strings.Contains(msg, tc.says) {
					t.Errorf("message %s", msg)
				}
				if tc.outcome == distribution.NotVerified && strings.Contains(msg, "failed") {
					t.Errorf("message %s", msg)
				}
			}
			// The attestation is not a signature of the image (cosign
			// verify finds none).
			if sg := find(fs, CheckSigned); len(sg) != 1 || sg[0].Outcome != distribution.Failed || !strings.Contains(sg[0].Message, "carries no signature") {
				t.Errorf("signed %+v", sg)
			}
		})
	}

	// The same bundle with a certificate-identity policy, as cosign
	// verify-attestation --certificate-identity/--certificate-oidc-issuer.
	tr, err := sigstore.LoadTrustedRoot(keylessRoot)
	if err != nil {
		t.Fatal(err)
	}
	hx, _ := hex.DecodeString(strings.TrimPrefix(keylessSubject, "sha256:"))
	art := sigstore.Artifact{Algorithm: "sha256", Digest: hx}
	for _, tc := range []struct {
		id sigstore.Identity
		ok bool
	}{
		{sigstore.Identity{SAN: "cody@soyland.com", Issuer: "https://github.com/login/oauth"}, true},
		{sigstore.Identity{SAN: "cody@soyland.com", Issuer: "https://accounts.google.com"}, false},
		{sigstore.Identity{SANRegex: "wrong", IssuerRegex: ".*"}, false},
	} {
		res, err := sigstore.Verify(bundle, sigstore.Policy{Trusted: tr, Identities: []sigstore.Identity{tc.id}}, art)
		if (err == nil) != tc.ok {
			t.Errorf("identity %s: %v", tc.id, err)
		}
		if err == nil && (res.TlogEntries != 1 || res.Certificate == nil || res.Certificate.SubjectAlternativeName != "cody@soyland.com") {
			t.Errorf("result %+v", res)
		}
	}
}

// TestNotationSignature: an image whose only signature is a Notary Project
// referrer (notation's artifact type, a JWS layer) is not called unsigned,
// and not passed either: not verified, naming the format.
func TestNotationSignature(t *testing.T) {
	jws := []byte(`{"payload":"e30","protected":"e30","header":{"x5c":[]},"signature":"AA"}`)
	for _, listed := range []bool{false, true} {
		dir := referrerLayout(t, empty.Image, "application/vnd.cncf.notary.signature", "application/jose+json", jws,
			map[string]string{"io.cncf.notary.x509chain.thumbprint#S256": `["abc"]`}, listed)
		sg := find(scan(t, dir, distribution.Options{}), CheckSigned)
		if len(sg) != 1 || sg[0].Outcome != distribution.NotVerified || !strings.Contains(sg[0].Message, "a Notary Project signature (application/jose+json), which pedigree does not verify") {
			t.Fatalf("listed=%v: %+v", listed, sg)
		}
	}
}
