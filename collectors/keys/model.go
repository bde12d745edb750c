package keys

import "time"

// Evidence kinds of the keys collector.
const (
	// KindMaterial is one file holding cryptographic material; payload
	// *Material. Subject {Type: "file", Ref: path, Digest: "sha256:<hex>"}.
	KindMaterial = "keys.material"
	// KindSignatureCheck is one detached or cleartext signature found in the
	// target and checked against the trust policy; payload *SignatureCheck.
	// Subject {Type: "artifact", Ref: signed file, Digest}.
	KindSignatureCheck = "keys.signature-check"
)

// Asset kinds.
const (
	AssetKey              = "key"
	AssetPrivateKey       = "private-key"
	AssetCertificate      = "certificate"
	AssetTrustedRoot      = "trusted-root"
	AssetSignature        = "signature"
	AssetOpenPGPKey       = "openpgp-key"
	AssetOpenPGPSignature = "openpgp-signature"
	AssetSSHKey           = "ssh-key"
)

// Classes (Asset.Class).
const (
	ClassWeak              = "weak"
	ClassPostQuantum       = "post-quantum"
	ClassQuantumVulnerable = "quantum-vulnerable"
	ClassUnknown           = "unknown"
)

// CNSA 2.0 verdicts (Asset.CNSA2).
const (
	// CNSAApproved: on the CNSA 2.0 list (ML-DSA-87; LMS/XMSS for firmware;
	// SHA-384/512).
	CNSAApproved = "approved"
	// CNSATransitional: CNSA 1.0 (RSA >= 3072, ECDSA P-384): allowed only
	// until the CNSA 2.0 dates.
	CNSATransitional = "transitional"
	// CNSANotApproved: neither.
	CNSANotApproved = "not-approved"
)

// Material is the cryptographic material found in one file.
type Material struct {
	Path string `json:"path"`
	// Format is pem, der, openpgp, ssh, sigstore-trusted-root,
	// sigstore-bundle or cosign-bundle.
	Format string  `json:"format"`
	Assets []Asset `json:"assets"`
	// Problem says why (part of) the file could not be read; the assets
	// read before it are kept.
	Problem string `json:"problem,omitempty"`
}

// Asset is one key, certificate or signature.
type Asset struct {
	Kind string `json:"kind"`
	// Role says what a trusted-root entry or bundle part is for:
	// fulcio-ca, tsa, rekor-log, ct-log, bundle-certificate, ...
	Role string `json:"role,omitempty"`
	// Path and Pointer (a JSON pointer) or Line locate the asset.
	Path    string `json:"path"`
	Pointer string `json:"pointer,omitempty"`
	Line    int    `json:"line,omitempty"`
	// Algorithm is the public-key or signature algorithm (RSA, ECDSA,
	// Ed25519, ML-DSA-65, SLH-DSA-SHA2-128s, ...); OID its object
	// identifier where known.
	Algorithm string `json:"algorithm"`
	OID       string `json:"oid,omitempty"`
	Bits      int    `json:"bits,omitempty"`
	Curve     string `json:"curve,omitempty"`
	// Hash is the digest the signature (or key's usage) binds to.
	Hash string `json:"hash,omitempty"`
	// SignatureAlgorithm is a certificate's issuer signature algorithm.
	SignatureAlgorithm string    `json:"signatureAlgorithm,omitempty"`
	NotBefore          time.Time `json:"notBefore,omitzero"`
	NotAfter           time.Time `json:"notAfter,omitzero"`
	Subject            string    `json:"subject,omitempty"`
	Issuer             string    `json:"issuer,omitempty"`
	Serial             string    `json:"serial,omitempty"`
	IsCA               bool      `json:"isCA,omitempty"`
	// Identity is who the key speaks for: OpenPGP user ids, an SSH comment,
	// a certificate's SAN.
	Identity string `json:"identity,omitempty"`
	// Fingerprint: SHA-256 of the SPKI (keys) or DER (certificates), the
	// OpenPGP fingerprint, or the SSH SHA256 fingerprint.
	Fingerprint string `json:"fingerprint,omitempty"`
	Revoked     bool   `json:"revoked,omitempty"`
	// PostQuantum, Class, QuantumLevel and CNSA2 are the classification.
	PostQuantum bool   `json:"postQuantum,omitempty"`
	Class       string `json:"class"`
	// QuantumLevel is the NIST PQC security category (1-5); 0 for an
	// algorithm a quantum computer breaks.
	QuantumLevel int    `json:"quantumLevel"`
	CNSA2        string `json:"cnsa2"`
	// Weak lists why the asset is weak (RSA below 2048 bits, SHA-1, DSA).
	Weak []string `json:"weak,omitempty"`
	// Error is set when the asset was found but could not be read.
	Error string `json:"error,omitempty"`
}

// Location renders where the asset is: path#/pointer or path:line.
func (a *Asset) Location() string {
	switch {
	case a.Pointer != "":
		return a.Path + "#" + a.Pointer
	case a.Line > 0:
		return a.Path + ":" + itoa(a.Line)
	}
	return a.Path
}

// Size renders the key size: bits, or the curve.
func (a *Asset) Size() string {
	switch {
	case a.Curve != "":
		return a.Curve
	case a.Bits > 0:
		return itoa(a.Bits)
	}
	return ""
}

// SignatureCheck is the verification of one signature file found in the
// target.
type SignatureCheck struct {
	// Method is openpgp, ml-dsa, slh-dsa or x509 (a certificate chain).
	Method    string `json:"method"`
	Signature string `json:"signature"`
	// Data is the signed file ("" for a cleartext-signed message, which
	// carries its content).
	Data string `json:"data,omitempty"`
	// Status is verified, failed or unverifiable (no trust material
	// configured for it).
	Status    string    `json:"status"`
	Reason    string    `json:"reason,omitempty"`
	Signer    string    `json:"signer,omitempty"`
	Algorithm string    `json:"algorithm,omitempty"`
	Hash      string    `json:"hash,omitempty"`
	Created   time.Time `json:"created,omitzero"`
	Weak      []string  `json:"weak,omitempty"`
}

// SignatureCheck statuses.
const (
	StatusVerified     = "verified"
	StatusFailed       = "failed"
	StatusUnverifiable = "unverifiable"
)

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
