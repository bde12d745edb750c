package keys

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/verify/sigstore"
)

// Sigstore JSON (protobuf-specs, JSON form). Only the parts that carry
// cryptographic material are read.

type sigValidity struct {
	Start *time.Time `json:"start"`
	End   *time.Time `json:"end"`
}

type sigPublicKey struct {
	RawBytes   string      `json:"rawBytes"`
	KeyDetails string      `json:"keyDetails"`
	ValidFor   sigValidity `json:"validFor"`
}

type sigTlog struct {
	BaseURL       string       `json:"baseUrl"`
	HashAlgorithm string       `json:"hashAlgorithm"`
	PublicKey     sigPublicKey `json:"publicKey"`
	Operator      string       `json:"operator"`
}

type sigRawBytes struct {
	RawBytes string `json:"rawBytes"`
}

type sigCA struct {
	URI       string `json:"uri"`
	CertChain struct {
		Certificates []sigRawBytes `json:"certificates"`
	} `json:"certChain"`
	ValidFor sigValidity `json:"validFor"`
}

type sigTrustedRoot struct {
	MediaType              string    `json:"mediaType"`
	Tlogs                  []sigTlog `json:"tlogs"`
	CertificateAuthorities []sigCA   `json:"certificateAuthorities"`
	Ctlogs                 []sigTlog `json:"ctlogs"`
	TimestampAuthorities   []sigCA   `json:"timestampAuthorities"`
}

type sigBundle struct {
	MediaType            string `json:"mediaType"`
	VerificationMaterial *struct {
		Certificate          *sigRawBytes `json:"certificate"`
		X509CertificateChain *struct {
			Certificates []sigRawBytes `json:"certificates"`
		} `json:"x509CertificateChain"`
		PublicKey *struct {
			Hint string `json:"hint"`
		} `json:"publicKey"`
	} `json:"verificationMaterial"`
	MessageSignature *struct {
		MessageDigest *struct {
			Algorithm string `json:"algorithm"`
		} `json:"messageDigest"`
	} `json:"messageSignature"`
	DSSEEnvelope *struct {
		PayloadType string `json:"payloadType"`
		Signatures  []struct {
			KeyID string `json:"keyid"`
		} `json:"signatures"`
	} `json:"dsseEnvelope"`
}

// decodeB64 accepts standard and URL base64, padded or not (protobuf JSON
// parsers accept all four).
func decodeB64(s string) ([]byte, error) {
	var last error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(s)
		if err == nil {
			return b, nil
		}
		last = err
	}
	return nil, last
}

func scanJSON(name string, b []byte) *Material {
	head := b[:min(len(b), 1<<16)]
	switch {
	case bytes.Contains(head, []byte("vnd.dev.sigstore.trustedroot")) ||
		(bytes.Contains(b, []byte(`"tlogs"`)) && bytes.Contains(b, []byte(`"certificateAuthorities"`))):
		assets, err := ParseTrustedRoot(name, b)
		m := &Material{Path: name, Format: "sigstore-trusted-root", Assets: assets}
		if err != nil {
			m.Problem = oneLine(err)
		}
		return m
	case isTUF(b):
		assets, err := ParseTUF(name, b)
		m := &Material{Path: name, Format: "tuf-metadata", Assets: assets}
		if err != nil {
			m.Problem = oneLine(err)
		}
		return m
	case sigstore.LooksLikeCosignBlobBundle(head):
		assets, err := ParseCosignBundle(name, b)
		m := &Material{Path: name, Format: "cosign-bundle", Assets: assets}
		if err != nil {
			m.Problem = oneLine(err)
		}
		return m
	case bytes.Contains(head, []byte("vnd.dev.sigstore.bundle")):
		assets, err := ParseBundle(name, b)
		m := &Material{Path: name, Format: "sigstore-bundle", Assets: assets}
		if err != nil {
			m.Problem = oneLine(err)
		}
		return m
	}
	return nil
}

// ParseTrustedRoot lists the keys and certificates of a Sigstore
// trusted_root.json: Fulcio CA chains, Rekor log keys, CT log keys and
// timestamp authorities, each located by a JSON pointer.
func ParseTrustedRoot(name string, b []byte) ([]Asset, error) {
	if len(b) > MaxJSONFileSize {
		return nil, fmt.Errorf("trusted root is %d bytes, above the %d-byte limit", len(b), MaxJSONFileSize)
	}
	var tr sigTrustedRoot
	if err := json.Unmarshal(b, &tr); err != nil {
		return nil, fmt.Errorf("trusted root: %w", jsonError(b, err))
	}
	var out []Asset
	var problems []string
	logs := func(list []sigTlog, field, role string) {
		for i, l := range list {
			ptr := fmt.Sprintf("/%s/%d/publicKey", field, i)
			raw, err := decodeB64(l.PublicKey.RawBytes)
			if err != nil || len(raw) == 0 {
				problems = append(problems, ptr+"/rawBytes: not base64 key bytes")
				continue
			}
			a := spkiAsset(name, raw, AssetTrustedRoot, role)
			a.Pointer = ptr
			a.Identity = l.BaseURL
			a.Hash = protoHash(l.HashAlgorithm)
			if a.Hash == "" {
				a.Hash = keyDetailsHash(l.PublicKey.KeyDetails)
			}
			setValidity(&a, l.PublicKey.ValidFor)
			classify(&a)
			out = append(out, a)
		}
	}
	cas := func(list []sigCA, field, role string) {
		for i, ca := range list {
			for j, c := range ca.CertChain.Certificates {
				ptr := fmt.Sprintf("/%s/%d/certChain/certificates/%d", field, i, j)
				raw, err := decodeB64(c.RawBytes)
				if err != nil || len(raw) == 0 {
					problems = append(problems, ptr+"/rawBytes: not base64 certificate bytes")
					continue
				}
				a := certAsset(name, raw, AssetTrustedRoot, role)
				a.Pointer = ptr
				if a.Identity == "" {
					a.Identity = ca.URI
				}
				classify(&a)
				out = append(out, a)
			}
		}
	}
	cas(tr.CertificateAuthorities, "certificateAuthorities", "fulcio-ca")
	logs(tr.Tlogs, "tlogs", "rekor-log")
	logs(tr.Ctlogs, "ctlogs", "ct-log")
	cas(tr.TimestampAuthorities, "timestampAuthorities", "tsa")
	if len(out) == 0 && len(problems) == 0 {
		return nil, fmt.Errorf("trusted root: no key or certificate")
	}
	if len(problems) > 0 {
		return out, fmt.Errorf("trusted root: %s", strings.Join(problems, "; "))
	}
	return out, nil
}

// ParseBundle lists a Sigstore bundle's verification material: its signing
// certificate (chain) and its signature, with the digest algorithm.
func ParseBundle(name string, b []byte) ([]Asset, error) {
	if len(b) > MaxJSONFileSize {
		return nil, fmt.Errorf("bundle is %d bytes, above the %d-byte limit", len(b), MaxJSONFileSize)
	}
	var bu sigBundle
	if err := json.Unmarshal(b, &bu); err != nil {
		return nil, fmt.Errorf("bundle: %w", jsonError(b, err))
	}
	if bu.VerificationMaterial == nil {
		return parseAttestationList(name, b)
	}
	var out []Asset
	var leaf *Asset
	add := func(ptr, raw string) error {
		der, err := decodeB64(raw)
		if err != nil || len(der) == 0 {
			return fmt.Errorf("bundle: %s/rawBytes: not base64 certificate bytes", ptr)
		}
		a := certAsset(name, der, AssetCertificate, "bundle-certificate")
		a.Pointer = ptr
		classify(&a)
		out = append(out, a)
		if leaf == nil {
			leaf = &out[len(out)-1]
		}
		return nil
	}
	vm := bu.VerificationMaterial
	switch {
	case vm.Certificate != nil:
		if err := add("/verificationMaterial/certificate", vm.Certificate.RawBytes); err != nil {
			return out, err
		}
	case vm.X509CertificateChain != nil:
		for i, c := range vm.X509CertificateChain.Certificates {
			if err := add(fmt.Sprintf("/verificationMaterial/x509CertificateChain/certificates/%d", i), c.RawBytes); err != nil {
				return out, err
			}
		}
	}
	sig := Asset{Kind: AssetSignature, Path: name, Role: "sigstore-signature"}
	if leaf != nil {
		sig.Algorithm, sig.Bits, sig.Curve, sig.OID = leaf.Algorithm, leaf.Bits, leaf.Curve, leaf.OID
		sig.Identity = leaf.Identity
	} else if vm.PublicKey != nil {
		sig.Algorithm = "unknown (public key " + vm.PublicKey.Hint + ")"
		sig.Identity = vm.PublicKey.Hint
	}
	switch {
	case bu.MessageSignature != nil:
		sig.Pointer = "/messageSignature"
		if bu.MessageSignature.MessageDigest != nil {
			sig.Hash = protoHash(bu.MessageSignature.MessageDigest.Algorithm)
		}
	case bu.DSSEEnvelope != nil:
		sig.Pointer = "/dsseEnvelope"
		sig.Role = "dsse-signature"
		if sig.Curve == "P-384" {
			sig.Hash = "SHA-384"
		} else if sig.Algorithm == "ECDSA" {
			sig.Hash = "SHA-256"
		}
	default:
		return out, fmt.Errorf("bundle: neither messageSignature nor dsseEnvelope")
	}
	classify(&sig)
	out = append(out, sig)
	return out, nil
}

// ParseCosignBundle lists the certificate and the signature of a cosign
// blob bundle (`cosign sign-blob --bundle` before --new-bundle-format),
// read as the Sigstore bundle it amounts to, with pointers into the file.
func ParseCosignBundle(name string, b []byte) ([]Asset, error) {
	if len(b) > MaxJSONFileSize {
		return nil, fmt.Errorf("cosign bundle is %d bytes, above the %d-byte limit", len(b), MaxJSONFileSize)
	}
	cb, err := sigstore.ParseCosignBlobBundle(b)
	if err != nil {
		return nil, err
	}
	// Only the signature's shape matters here, not what it is over.
	bu, err := cb.Bundle(sigstore.MessageSignatureOf(make([]byte, 32), cb.Signature))
	if err != nil {
		return nil, fmt.Errorf("cosign bundle: %w", err)
	}
	assets, err := ParseBundle(name, bu)
	for i := range assets {
		switch assets[i].Kind {
		case AssetSignature:
			assets[i].Pointer, assets[i].Role = "/base64Signature", "cosign-signature"
		default:
			assets[i].Pointer = "/cert"
		}
	}
	return assets, err
}

func setValidity(a *Asset, v sigValidity) {
	if v.Start != nil {
		a.NotBefore = v.Start.UTC()
	}
	if v.End != nil {
		a.NotAfter = v.End.UTC()
	}
}

// protoHash maps Sigstore HashAlgorithm enum names.
func protoHash(s string) string {
	switch s {
	case "SHA2_256":
		return "SHA-256"
	case "SHA2_384":
		return "SHA-384"
	case "SHA2_512":
		return "SHA-512"
	case "SHA3_256":
		return "SHA3-256"
	case "SHA3_384":
		return "SHA3-384"
	}
	return ""
}

// keyDetailsHash reads the hash from a PublicKeyDetails enum name
// (PKIX_ECDSA_P384_SHA_384 -> SHA-384).
func keyDetailsHash(s string) string {
	switch {
	case strings.HasSuffix(s, "SHA_256"), strings.HasSuffix(s, "SHA256"):
		return "SHA-256"
	case strings.HasSuffix(s, "SHA_384"), strings.HasSuffix(s, "SHA384"):
		return "SHA-384"
	case strings.HasSuffix(s, "SHA_512"), strings.HasSuffix(s, "SHA512"):
		return "SHA-512"
	}
	return ""
}

// jsonError adds the line of a syntax error.
func jsonError(b []byte, err error) error {
	if se, ok := err.(*json.SyntaxError); ok {
		return fmt.Errorf("line %d: %v", lineAt(b, int(min(se.Offset, int64(len(b))))), err)
	}
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return fmt.Errorf("/%s: %v", strings.ReplaceAll(te.Field, ".", "/"), err)
	}
	return err
}

// parseAttestationList reads the npm registry's attestation list, whose
// entries each hold a Sigstore bundle: {"attestations":[{"bundle":{...}}]}.
func parseAttestationList(name string, b []byte) ([]Asset, error) {
	var list struct {
		Attestations []struct {
			Bundle json.RawMessage `json:"bundle"`
		} `json:"attestations"`
	}
	if err := json.Unmarshal(b, &list); err != nil || len(list.Attestations) == 0 {
		return nil, fmt.Errorf("bundle: no verificationMaterial")
	}
	var out []Asset
	for i, a := range list.Attestations {
		assets, err := ParseBundle(name, a.Bundle)
		prefix := fmt.Sprintf("/attestations/%d/bundle", i)
		for j := range assets {
			assets[j].Pointer = prefix + assets[j].Pointer
		}
		out = append(out, assets...)
		if err != nil {
			return out, fmt.Errorf("%s: %w", prefix, err)
		}
	}
	return out, nil
}
