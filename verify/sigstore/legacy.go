package sigstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// CosignLegacy is the verification material cosign kept beside a
// signature before the Sigstore bundle: in an image signature's
// annotations, or in the file `cosign sign-blob --bundle` wrote without
// --new-bundle-format. It is turned into the bundle it amounts to, so one
// verifier judges both forms.
type CosignLegacy struct {
	// Certificates is PEM: the signing certificate, then its chain; empty
	// for a key signature.
	Certificates string
	// RekorBundle is cosign's Rekor bundle, JSON: the signed entry
	// timestamp with the entry's body, log index, log id and integrated
	// time. Empty when the signature was never logged.
	RekorBundle []byte
}

// MessageSignature is the signed part of a bundle over a blob: its
// SHA-256 digest and the signature (standard base64).
func MessageSignature(blob []byte, sigB64 string) map[string]any {
	sum := sha256.Sum256(blob)
	return MessageSignatureOf(sum[:], sigB64)
}

// MessageSignatureOf is MessageSignature given the blob's SHA-256 digest.
func MessageSignatureOf(sha256Digest []byte, sigB64 string) map[string]any {
	return map[string]any{"messageSignature": map[string]any{
		"messageDigest": map[string]any{"algorithm": "SHA2_256", "digest": base64.StdEncoding.EncodeToString(sha256Digest)},
		"signature":     sigB64,
	}}
}

// LoggedDigest is the SHA-256 digest (hex) of the blob a hashedrekord
// entry records, or "" when there is no such entry: it names the
// artifact a cosign blob bundle is about.
func (l CosignLegacy) LoggedDigest() string {
	var r struct {
		Payload struct {
			Body string `json:"body"`
		} `json:"Payload"`
	}
	if json.Unmarshal(l.RekorBundle, &r) != nil {
		return ""
	}
	body, err := base64.StdEncoding.DecodeString(r.Payload.Body)
	if err != nil {
		return ""
	}
	var e struct {
		Kind string `json:"kind"`
		Spec struct {
			Data struct {
				Hash struct {
					Algorithm string `json:"algorithm"`
					Value     string `json:"value"`
				} `json:"hash"`
			} `json:"data"`
		} `json:"spec"`
	}
	if json.Unmarshal(body, &e) != nil || e.Kind != "hashedrekord" || e.Spec.Data.Hash.Algorithm != "sha256" {
		return ""
	}
	return strings.ToLower(e.Spec.Data.Hash.Value)
}

// Bundle assembles the Sigstore bundle l amounts to around content (a
// MessageSignature, or a dsseEnvelope in protobuf-JSON form): with a
// Rekor entry, bundle v0.1 with the entry's signed entry timestamp as its
// inclusion promise; without one, v0.3 with no entry, which verifies only
// under WithoutTransparencyLogUnsafe.
func (l CosignLegacy) Bundle(content map[string]any) ([]byte, error) {
	vm := map[string]any{}
	var certs []map[string]any
	rest := []byte(l.Certificates)
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		certs = append(certs, map[string]any{"rawBytes": base64.StdEncoding.EncodeToString(blk.Bytes)})
	}
	if strings.TrimSpace(l.Certificates) != "" && len(certs) == 0 {
		return nil, errors.New("the certificate is not PEM")
	}
	version := "0.3"
	if len(bytes.TrimSpace(l.RekorBundle)) > 0 {
		var r struct {
			SET     string `json:"SignedEntryTimestamp"`
			Payload struct {
				Body           string `json:"body"`
				IntegratedTime int64  `json:"integratedTime"`
				LogIndex       int64  `json:"logIndex"`
				LogID          string `json:"logID"`
			} `json:"Payload"`
		}
		if err := json.Unmarshal(l.RekorBundle, &r); err != nil {
			return nil, fmt.Errorf("rekor bundle: %w", err)
		}
		body, err := base64.StdEncoding.DecodeString(r.Payload.Body)
		if err != nil {
			return nil, fmt.Errorf("rekor entry body is not base64: %w", err)
		}
		var kv struct {
			Kind       string `json:"kind"`
			APIVersion string `json:"apiVersion"`
		}
		if err := json.Unmarshal(body, &kv); err != nil {
			return nil, fmt.Errorf("rekor entry body: %w", err)
		}
		logID, err := hex.DecodeString(r.Payload.LogID)
		if err != nil {
			return nil, fmt.Errorf("rekor log id is not hex: %w", err)
		}
		vm["tlogEntries"] = []any{map[string]any{
			"logIndex":          fmt.Sprint(r.Payload.LogIndex),
			"logId":             map[string]any{"keyId": base64.StdEncoding.EncodeToString(logID)},
			"kindVersion":       map[string]any{"kind": kv.Kind, "version": kv.APIVersion},
			"integratedTime":    fmt.Sprint(r.Payload.IntegratedTime),
			"inclusionPromise":  map[string]any{"signedEntryTimestamp": r.SET},
			"canonicalizedBody": r.Payload.Body,
		}}
		version = "0.1"
	}
	switch {
	case len(certs) > 0 && version == "0.1":
		vm["x509CertificateChain"] = map[string]any{"certificates": certs}
	case len(certs) > 0:
		vm["certificate"] = certs[0]
	default:
		vm["publicKey"] = map[string]any{"hint": ""}
	}
	mt := "application/vnd.dev.sigstore.bundle.v0.3+json"
	if version == "0.1" {
		mt = "application/vnd.dev.sigstore.bundle+json;version=0.1"
	}
	b := map[string]any{"mediaType": mt, "verificationMaterial": vm}
	for k, v := range content {
		b[k] = v
	}
	return json.Marshal(b)
}

// CosignBlobBundle is what `cosign sign-blob --bundle` wrote before
// --new-bundle-format (cosign 1.x and 2.x by default).
type CosignBlobBundle struct {
	// Signature is the signature over the blob, standard base64.
	Signature string
	CosignLegacy
}

// LooksLikeCosignBlobBundle tells a cosign blob bundle by its first bytes.
func LooksLikeCosignBlobBundle(head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n\ufeff")
	return len(h) > 0 && h[0] == '{' && bytes.Contains(h, []byte(`"base64Signature"`))
}

// ParseCosignBlobBundle reads a cosign blob bundle:
// {"base64Signature": ..., "cert": <base64 of PEM>, "rekorBundle": {...}}.
// cert is absent for a key signature, rekorBundle when nothing was logged.
func ParseCosignBlobBundle(raw []byte) (*CosignBlobBundle, error) {
	if len(raw) > MaxBundleSize {
		return nil, fmt.Errorf("cosign bundle of %d bytes exceeds the limit of %d", len(raw), MaxBundleSize)
	}
	var b struct {
		Signature   string          `json:"base64Signature"`
		Cert        string          `json:"cert"`
		RekorBundle json.RawMessage `json:"rekorBundle"`
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("cosign bundle: %w", err)
	}
	if b.Signature == "" {
		return nil, errors.New("cosign bundle: no base64Signature")
	}
	if _, err := base64.StdEncoding.DecodeString(b.Signature); err != nil {
		return nil, fmt.Errorf("cosign bundle: base64Signature is not base64: %w", err)
	}
	certs, err := CosignCertificate([]byte(b.Cert))
	if err != nil {
		return nil, fmt.Errorf("cosign bundle: cert: %w", err)
	}
	out := &CosignBlobBundle{Signature: b.Signature, CosignLegacy: CosignLegacy{Certificates: certs}}
	if string(b.RekorBundle) != "null" {
		out.RekorBundle = b.RekorBundle
	}
	return out, nil
}

// CosignCertificate reads a certificate as cosign writes it beside a blob
// (--output-certificate, a bundle's cert): PEM, or PEM base64-encoded
// once more. Empty input is no certificate.
func CosignCertificate(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", nil
	}
	if !bytes.HasPrefix(b, []byte("-----BEGIN")) {
		d, err := base64.StdEncoding.DecodeString(string(b))
		if err != nil {
			return "", errors.New("neither PEM nor base64-encoded PEM")
		}
		b = bytes.TrimSpace(d)
	}
	if blk, _ := pem.Decode(b); blk == nil || blk.Type != "CERTIFICATE" {
		return "", errors.New("no PEM CERTIFICATE block")
	}
	return string(b), nil
}

// CosignSignature reads a signature as `cosign sign-blob
// --output-signature` writes it: the raw signature, base64, on one line.
// ok is false for anything else (an OpenPGP or minisign signature).
func CosignSignature(b []byte) (string, bool) {
	s := strings.TrimSpace(string(b))
	if s == "" || strings.ContainsAny(s, " \t\r\n-") {
		return "", false
	}
	d, err := base64.StdEncoding.DecodeString(s)
	// ECDSA (DER), Ed25519 and RSA signatures are 64 to 1024 bytes.
	if err != nil || len(d) < 64 || len(d) > 1024 {
		return "", false
	}
	return s, true
}

// cosignSidecars name, for a signature `cosign sign-blob
// --output-signature` wrote, the certificate `--output-certificate` wrote
// beside it: x.sig with x.pem (GoReleaser), x.cert (Kubernetes) or x.crt;
// x-keyless.sig with x-keyless.pem (cosign's own releases).
var cosignSidecars = []struct {
	sig   string
	certs []string
}{
	{"-keyless.sig", []string{"-keyless.pem", "-keyless.cert"}},
	{".sig", []string{".pem", ".cert", ".crt", ".sig.pem", ".sig.cert"}},
}

// CosignSignatureFiles tells, for the path of a cosign signature, the
// artifact it is named after (x for x.sig and x-keyless.sig) and the
// paths its certificate may have, most usual first. ok is false when the
// name is not a cosign signature's.
func CosignSignatureFiles(sig string) (artifact string, certs []string, ok bool) {
	for _, s := range cosignSidecars {
		base, found := strings.CutSuffix(sig, s.sig)
		if !found || base == "" || strings.HasSuffix(base, "/") {
			continue
		}
		for _, c := range s.certs {
			certs = append(certs, base+c)
		}
		return base, certs, true
	}
	return "", nil, false
}
