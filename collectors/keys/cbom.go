package keys

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/pedigree-dev/pedigree/evidence"
)

// CBOMSpecVersion is the CycloneDX version CBOM writes.
const CBOMSpecVersion = cdx.SpecVersion1_6

// CBOMMeta describes the inventoried subject.
type CBOMMeta struct {
	Name, Version string
	// ToolVersion is pedigree's version.
	ToolVersion string
	Timestamp   time.Time
}

// CBOM renders materials as a CycloneDX 1.6 cryptography bill of materials:
// one "algorithm" component per distinct algorithm and parameter set, one
// "certificate" component per certificate, and one
// "related-crypto-material" component per key or signature, each with its
// location as an evidence occurrence and pedigree's classification as
// properties.
func CBOM(mats []*Material, meta CBOMMeta) *cdx.BOM {
	bom := cdx.NewBOM()
	ts := meta.Timestamp
	if ts.IsZero() {
		ts = time.Now()
	}
	name := meta.Name
	if name == "" {
		name = "crypto-inventory"
	}
	bom.SerialNumber = "urn:uuid:" + evidence.StableUUID(append([]string{"cbom", name, meta.Version}, fingerprints(mats)...)...)
	bom.Metadata = &cdx.Metadata{
		Timestamp: ts.UTC().Format(time.RFC3339),
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type: cdx.ComponentTypeApplication, Name: "pedigree", Version: meta.ToolVersion,
		}}},
		Component: &cdx.Component{BOMRef: "subject", Type: cdx.ComponentTypeApplication, Name: name, Version: meta.Version},
	}
	var comps []cdx.Component
	algRefs := map[string]bool{}
	seen := map[string]int{}
	ref := func(base string) string {
		seen[base]++
		if seen[base] == 1 {
			return base
		}
		return fmt.Sprintf("%s-%d", base, seen[base])
	}
	addAlg := func(a *Asset) string {
		id := algorithmID(a)
		r := "crypto/algorithm/" + id
		if algRefs[r] {
			return r
		}
		algRefs[r] = true
		props := &cdx.CryptoAlgorithmProperties{
			Primitive:                primitive(a),
			ParameterSetIdentifier:   parameterSet(a),
			Curve:                    curveName(a.Curve),
			CryptoFunctions:          &[]cdx.CryptoFunction{cdx.CryptoFunctionSign, cdx.CryptoFunctionVerify},
			NistQuantumSecurityLevel: intp(a.QuantumLevel),
			ExecutionEnvironment:     cdx.CryptoExecutionEnvironmentUnknown,
			ImplementationPlatform:   cdx.ImplementationPlatformUnknown,
		}
		if c := classicalLevel(a); c > 0 {
			props.ClassicalSecurityLevel = intp(c)
		}
		oid := a.OID
		comps = append(comps, cdx.Component{
			BOMRef: r, Type: cdx.ComponentTypeCryptographicAsset, Name: id,
			CryptoProperties: &cdx.CryptoProperties{AssetType: cdx.CryptoAssetTypeAlgorithm, AlgorithmProperties: props, OID: oid},
			Properties: &[]cdx.Property{
				{Name: "pedigree:class", Value: a.Class},
				{Name: "pedigree:cnsa2", Value: a.CNSA2},
			},
		})
		return r
	}
	for _, m := range mats {
		for i := range m.Assets {
			a := &m.Assets[i]
			if a.Algorithm == "" {
				continue
			}
			algRef := addAlg(a)
			props := []cdx.Property{
				{Name: "pedigree:kind", Value: a.Kind},
				{Name: "pedigree:class", Value: a.Class},
				{Name: "pedigree:cnsa2", Value: a.CNSA2},
			}
			if a.Role != "" {
				props = append(props, cdx.Property{Name: "pedigree:role", Value: a.Role})
			}
			if a.Hash != "" {
				props = append(props, cdx.Property{Name: "pedigree:hash", Value: a.Hash})
			}
			for _, w := range a.Weak {
				props = append(props, cdx.Property{Name: "pedigree:weak", Value: w})
			}
			if a.Error != "" {
				props = append(props, cdx.Property{Name: "pedigree:error", Value: a.Error})
			}
			c := cdx.Component{
				Type:       cdx.ComponentTypeCryptographicAsset,
				Evidence:   &cdx.Evidence{Occurrences: &[]cdx.EvidenceOccurrence{{Location: a.Location()}}},
				Properties: &props,
			}
			switch a.Kind {
			case AssetCertificate:
				c.BOMRef = ref("crypto/certificate/" + shortFP(a.Fingerprint))
				c.Name = firstNonEmpty(a.Subject, "certificate")
				c.CryptoProperties = &cdx.CryptoProperties{AssetType: cdx.CryptoAssetTypeCertificate, CertificateProperties: &cdx.CertificateProperties{
					SubjectName: a.Subject, IssuerName: a.Issuer, NotValidBefore: rfc3339(a.NotBefore), NotValidAfter: rfc3339(a.NotAfter),
					SubjectPublicKeyRef: cdx.BOMReference(algRef), CertificateFormat: "X.509", CertificateExtension: "crt",
				}}
				if a.SignatureAlgorithm != "" {
					sig := *a
					sig.Algorithm, sig.Bits, sig.Curve, sig.OID = a.SignatureAlgorithm, 0, "", ""
					classify(&sig)
					c.CryptoProperties.CertificateProperties.SignatureAlgorithmRef = cdx.BOMReference(addAlg(&sig))
				}
			case AssetTrustedRoot:
				if a.Subject != "" { // a CA or TSA certificate
					c.BOMRef = ref("crypto/certificate/" + shortFP(a.Fingerprint))
					c.Name = a.Subject
					c.CryptoProperties = &cdx.CryptoProperties{AssetType: cdx.CryptoAssetTypeCertificate, CertificateProperties: &cdx.CertificateProperties{
						SubjectName: a.Subject, IssuerName: a.Issuer, NotValidBefore: rfc3339(a.NotBefore), NotValidAfter: rfc3339(a.NotAfter),
						SubjectPublicKeyRef: cdx.BOMReference(algRef), CertificateFormat: "X.509",
					}}
					break
				}
				fallthrough
			default:
				typ := cdx.RelatedCryptoMaterialTypePublicKey
				switch a.Kind {
				case AssetPrivateKey:
					typ = cdx.RelatedCryptoMaterialTypePrivateKey
				case AssetSignature, AssetOpenPGPSignature:
					typ = cdx.RelatedCryptoMaterialTypeSignature
				}
				c.BOMRef = ref("crypto/" + string(typ) + "/" + firstNonEmpty(shortFP(a.Fingerprint), shortFP(evidence.SHA256Hex([]byte(a.Location())))))
				c.Name = firstNonEmpty(a.Identity, a.Role, a.Kind) + " (" + a.Algorithm + ")"
				rp := &cdx.RelatedCryptoMaterialProperties{
					Type: typ, ID: a.Fingerprint, AlgorithmRef: cdx.BOMReference(algRef),
					CreationDate: rfc3339(a.NotBefore), ExpirationDate: rfc3339(a.NotAfter), Format: formatOf(m.Format, a.Kind),
				}
				if a.Bits > 0 {
					rp.Size = intp(a.Bits)
				}
				if a.Revoked {
					rp.State = cdx.CryptoKeyStateDeactivated
				}
				c.CryptoProperties = &cdx.CryptoProperties{AssetType: cdx.CryptoAssetTypeRelatedCryptoMaterial, RelatedCryptoMaterialProperties: rp}
			}
			comps = append(comps, c)
		}
	}
	bom.Components = &comps
	return bom
}

func fingerprints(mats []*Material) []string {
	var out []string
	for _, m := range mats {
		for _, a := range m.Assets {
			out = append(out, a.Location(), a.Fingerprint)
		}
	}
	sort.Strings(out)
	return out
}

// algorithmID names an algorithm with its parameter set: ECDSA-P-256,
// RSA-3072, ML-DSA-65.
func algorithmID(a *Asset) string {
	switch {
	case a.Curve != "" && !strings.Contains(a.Algorithm, a.Curve):
		return a.Algorithm + "-" + a.Curve
	case a.Bits > 0 && (a.Algorithm == "RSA" || a.Algorithm == "DSA" || a.Algorithm == "ElGamal"):
		return fmt.Sprintf("%s-%d", a.Algorithm, a.Bits)
	}
	return strings.ReplaceAll(a.Algorithm, " ", "-")
}

func parameterSet(a *Asset) string {
	switch {
	case a.Curve != "":
		return ""
	case a.Bits > 0 && !a.PostQuantum:
		return fmt.Sprint(a.Bits)
	case strings.HasPrefix(a.Algorithm, "ML-DSA-"):
		return strings.TrimPrefix(a.Algorithm, "ML-DSA-")
	case strings.HasPrefix(a.Algorithm, "SLH-DSA-"):
		return strings.TrimPrefix(a.Algorithm, "SLH-DSA-")
	}
	return ""
}

func primitive(a *Asset) cdx.CryptoPrimitive {
	u := strings.ToUpper(a.Algorithm)
	switch {
	case strings.HasPrefix(u, "ML-KEM"):
		return cdx.CryptoPrimitiveKEM
	case u == "ECDH" || u == "X25519" || u == "X448":
		return cdx.CryptoPrimitiveKeyAgree
	case u == "ELGAMAL":
		return cdx.CryptoPrimitivePKE
	case strings.HasPrefix(u, "OID ") || strings.HasPrefix(u, "UNKNOWN"):
		return cdx.CryptoPrimitiveUnknown
	}
	return cdx.CryptoPrimitiveSignature
}

func curveName(c string) string {
	switch c {
	case "P-256":
		return "secp256r1"
	case "P-384":
		return "secp384r1"
	case "P-521":
		return "secp521r1"
	}
	return strings.ToLower(c)
}

// classicalLevel is the classical security strength in bits (NIST SP
// 800-57 Part 1 Rev 5, table 2).
func classicalLevel(a *Asset) int {
	switch a.Algorithm {
	case "RSA", "DSA", "ElGamal":
		switch {
		case a.Bits >= 15360:
			return 256
		case a.Bits >= 7680:
			return 192
		case a.Bits >= 3072:
			return 128
		case a.Bits >= 2048:
			return 112
		case a.Bits >= 1024:
			return 80
		}
	case "ECDSA", "Ed25519", "EdDSA", "Ed448":
		if a.Bits > 0 {
			return a.Bits / 2
		}
		if a.Algorithm == "Ed448" {
			return 224
		}
		return 128
	}
	return 0
}

func formatOf(fileFormat, kind string) string {
	switch fileFormat {
	case "pem":
		return "PEM"
	case "der":
		return "DER"
	case "openpgp":
		return "OpenPGP"
	case "ssh":
		return "OpenSSH"
	case "cosign-bundle":
		if kind == AssetSignature {
			return "cosign bundle"
		}
		return "DER (Sigstore JSON)"
	case "sigstore-trusted-root", "sigstore-bundle":
		if kind == AssetSignature {
			return "Sigstore bundle"
		}
		return "DER (Sigstore JSON)"
	}
	return fileFormat
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func shortFP(fp string) string {
	fp = strings.TrimPrefix(fp, "sha256:")
	fp = strings.TrimPrefix(fp, "SHA256:")
	if len(fp) > 16 {
		fp = fp[:16]
	}
	return fp
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func intp(n int) *int { return &n }

// EncodeCBOM writes the CBOM as CycloneDX 1.6 JSON.
func EncodeCBOM(w io.Writer, bom *cdx.BOM) error {
	return cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON).SetPretty(true).EncodeVersion(bom, CBOMSpecVersion)
}
