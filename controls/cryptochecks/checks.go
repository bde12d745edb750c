package cryptochecks

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/keys"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// All returns every crypto check.
func All() []controls.Check {
	return []controls.Check{
		NewQuantumVulnerable(), NewWeakAlgorithm(), NewExpiredOrRevoked(), NewPrivateKeyExposed(),
		NewUnreadableMaterial(), NewPGPVerified(), NewPQCVerified(),
	}
}

// payload is evidence.PayloadAs, short for the many uses here.
func payload[T any](e *evidence.Evidence) (*T, bool) { return evidence.PayloadAs[T](e) }

func materials(ev []evidence.Evidence) []struct {
	e *evidence.Evidence
	m *keys.Material
} {
	var out []struct {
		e *evidence.Evidence
		m *keys.Material
	}
	for i := range ev {
		if ev[i].Kind != keys.KindMaterial {
			continue
		}
		if m, ok := payload[keys.Material](&ev[i]); ok {
			out = append(out, struct {
				e *evidence.Evidence
				m *keys.Material
			}{&ev[i], m})
		}
	}
	return out
}

func finding(c controls.Check, status evidence.Status, msg string, e *evidence.Evidence, loc *evidence.Location) evidence.Finding {
	f := c.Finding(status, msg, e.Subject)
	f.Evidence = []string{e.ID}
	f.Location = loc
	f.Identify()
	return f
}

func fileLoc(a *keys.Asset) *evidence.Location {
	return &evidence.Location{Path: a.Path, Line: a.Line}
}

// signingAsset reports whether an asset is (part of) a signature scheme:
// every key kind pedigree meets in a signing infrastructure, except OpenPGP
// subkeys flagged for encryption only.
func signingAsset(a *keys.Asset) bool {
	if a.Kind == keys.AssetOpenPGPKey && strings.Contains(a.Role, "not for signing") {
		return false
	}
	return a.Error == "" && a.Kind != keys.AssetPrivateKey
}

// CNSA 2.0 (NSA Cybersecurity Advisory, "Announcing the Commercial National
// Security Algorithm Suite 2.0", September 2022, and the CNSA 2.0 FAQ):
// software and firmware signing should support and prefer CNSA 2.0 by 2025
// and use it exclusively by 2030.
var (
	cnsa2Prefer    = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	cnsa2Exclusive = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
)

// QuantumSeverity rises with the CNSA 2.0 software-signing timeline:
// low before 2025, medium from 2025 (CNSA 2.0 preferred), high from 2030
// (CNSA 2.0 exclusively).
func QuantumSeverity(at time.Time) evidence.Severity {
	switch {
	case !at.Before(cnsa2Exclusive):
		return evidence.High
	case !at.Before(cnsa2Prefer):
		return evidence.Medium
	}
	return evidence.Low
}

// NewQuantumVulnerable is CRYPTO-QUANTUM-VULNERABLE: a file of signing
// material whose keys a quantum computer breaks (RSA, ECDSA, EdDSA, DSA)
// and that offers no post-quantum key beside them fails; severity follows
// the CNSA 2.0 dates at collection time.
func NewQuantumVulnerable() controls.Check {
	c := controls.Check{
		ID:    "CRYPTO-QUANTUM-VULNERABLE",
		Title: "Signing keys have a post-quantum path (CNSA 2.0)",
		Rationale: "RSA and elliptic-curve signatures fall to a cryptographically relevant quantum computer. NSA's CNSA 2.0 " +
			"asks software and firmware signing to prefer ML-DSA-87 or LMS/XMSS by 2025 and use them exclusively by 2030.",
		Remediation: "Add an ML-DSA-87 (or LMS/XMSS for firmware) signing key alongside the classical one and sign releases with both; plan the cut-over before 2030.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSigning,
		Method:      "EXAMINE",
		Reads:       []string{keys.KindMaterial},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for _, x := range materials(ev) {
			var vuln, pq []string
			var first *keys.Asset
			for i := range x.m.Assets {
				a := &x.m.Assets[i]
				// Keys, certificates and roots are judged; a signature's
				// algorithm is its key's.
				if !signingAsset(a) || a.Kind == keys.AssetSignature || a.Kind == keys.AssetOpenPGPSignature {
					continue
				}
				switch a.Class {
				case keys.ClassPostQuantum:
					pq = append(pq, a.Algorithm)
				case keys.ClassQuantumVulnerable, keys.ClassWeak:
					if !a.PostQuantum {
						vuln = append(vuln, label(a))
						if first == nil {
							first = a
						}
					}
				}
			}
			switch {
			case len(vuln) == 0 && len(pq) == 0:
				continue
			case len(vuln) == 0:
				out = append(out, finding(c, evidence.Pass, fmt.Sprintf("%s: post-quantum signing material only (%s)", x.m.Path, summary(pq)), x.e, nil))
			case len(pq) > 0:
				out = append(out, finding(c, evidence.Pass, fmt.Sprintf("%s: hybrid: %s beside quantum-vulnerable %s", x.m.Path, summary(pq), summary(vuln)), x.e, nil))
			default:
				at := x.e.CollectedAt
				f := finding(c, evidence.Fail, fmt.Sprintf("%s: %d quantum-vulnerable signing asset(s) (%s) and no ML-DSA/SLH-DSA/LMS/XMSS key: CNSA 2.0 wants software signing to prefer CNSA 2.0 by 2025 and use it exclusively by 2030",
					x.m.Path, len(vuln), summary(vuln)), x.e, fileLoc(first))
				f.Severity = QuantumSeverity(at)
				out = append(out, f)
			}
		}
		return out
	}
	return c
}

func label(a *keys.Asset) string {
	if s := a.Size(); s != "" && !strings.Contains(a.Algorithm, s) {
		return a.Algorithm + "-" + s
	}
	return a.Algorithm
}

// summary counts distinct labels: "ECDSA-P-256 x3, RSA-4096".
func summary(labels []string) string {
	n := map[string]int{}
	for _, l := range labels {
		n[l]++
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if n[k] > 1 {
			keys[i] = fmt.Sprintf("%s x%d", k, n[k])
		}
	}
	if len(keys) > 6 {
		keys = append(keys[:6], fmt.Sprintf("and %d more", len(keys)-6))
	}
	return strings.Join(keys, ", ")
}

// NewWeakAlgorithm is CRYPTO-WEAK-ALGORITHM: no RSA below 2048 bits, DSA,
// ElGamal, small curves, or SHA-1/MD5 digests in keys, certificates or
// signatures.
func NewWeakAlgorithm() controls.Check {
	c := controls.Check{
		ID:    "CRYPTO-WEAK-ALGORITHM",
		Title: "No weak algorithms in keys, certificates and signatures",
		Rationale: "SHA-1 and MD5 collisions let an attacker forge signatures; RSA below 2048 bits and DSA are disallowed " +
			"for signing by NIST SP 800-131A Rev 2 and FIPS 186-5.",
		Remediation: "Re-issue the key or certificate with RSA-3072+, ECDSA P-384 or ML-DSA-87 and sign with SHA-384/512; re-sign artifacts signed with SHA-1.",
		Severity:    evidence.High,
		Pillar:      controls.PillarSigning,
		Method:      "EXAMINE",
		Reads:       []string{keys.KindMaterial, keys.KindSignatureCheck},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for _, x := range materials(ev) {
			var weak []string
			var first *keys.Asset
			n := 0
			for i := range x.m.Assets {
				a := &x.m.Assets[i]
				if a.Error != "" {
					continue
				}
				n++
				for _, w := range a.Weak {
					weak = append(weak, a.Location()+": "+w)
				}
				if len(a.Weak) > 0 && first == nil {
					first = a
				}
			}
			switch {
			case n == 0:
				continue
			case len(weak) > 0:
				out = append(out, finding(c, evidence.Fail, fmt.Sprintf("%s: %s", x.m.Path, joinMax(weak, 5)), x.e, fileLoc(first)))
			default:
				out = append(out, finding(c, evidence.Pass, fmt.Sprintf("%s: %d asset(s), no weak algorithm", x.m.Path, n), x.e, nil))
			}
		}
		for i := range ev {
			if ev[i].Kind != keys.KindSignatureCheck {
				continue
			}
			sc, ok := payload[keys.SignatureCheck](&ev[i])
			if !ok || len(sc.Weak) == 0 {
				continue
			}
			out = append(out, finding(c, evidence.Fail, fmt.Sprintf("%s: signature uses %s", sc.Signature, strings.Join(sc.Weak, ", ")), &ev[i], &evidence.Location{Path: sc.Signature}))
		}
		return out
	}
	return c
}

func joinMax(s []string, n int) string {
	if len(s) > n {
		return strings.Join(s[:n], "; ") + fmt.Sprintf("; and %d more", len(s)-n)
	}
	return strings.Join(s, "; ")
}

// NewExpiredOrRevoked is CRYPTO-EXPIRED-OR-REVOKED: keys and certificates
// shipped in the tree are within their validity and not revoked.
// Trusted-root entries (whose validFor windows are history by design) and
// Sigstore bundle certificates (ten-minute Fulcio certificates, judged at
// signing time by the bundle verifier) are left out.
func NewExpiredOrRevoked() controls.Check {
	c := controls.Check{
		ID:          "CRYPTO-EXPIRED-OR-REVOKED",
		Title:       "Keys and certificates are within their validity and not revoked",
		Rationale:   "An expired or revoked key can no longer vouch for new releases; shipping it as trust material invites verifiers to accept what its owner withdrew.",
		Remediation: "Replace expired or revoked keys and certificates with current ones, publish the new keys, and remove the old ones from trust material.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSigning,
		Method:      "EXAMINE",
		Reads:       []string{keys.KindMaterial},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for _, x := range materials(ev) {
			at := x.e.CollectedAt
			var bad []string
			var first *keys.Asset
			n := 0
			for i := range x.m.Assets {
				a := &x.m.Assets[i]
				if a.Error != "" || a.Kind == keys.AssetTrustedRoot || a.Role == "bundle-certificate" ||
					a.Kind == keys.AssetSignature || a.Kind == keys.AssetOpenPGPSignature {
					continue
				}
				n++
				var why string
				switch {
				case a.Revoked:
					why = "revoked"
				case !a.NotAfter.IsZero() && at.After(a.NotAfter):
					why = "expired " + a.NotAfter.Format("2006-01-02")
				case !a.NotBefore.IsZero() && at.Before(a.NotBefore) && a.Kind == keys.AssetCertificate:
					why = "not valid before " + a.NotBefore.Format("2006-01-02")
				}
				if why != "" {
					bad = append(bad, fmt.Sprintf("%s %s %s", a.Location(), label(a), why))
					if first == nil {
						first = a
					}
				}
			}
			switch {
			case n == 0:
				continue
			case len(bad) > 0:
				out = append(out, finding(c, evidence.Fail, fmt.Sprintf("%s: %s (at %s)", x.m.Path, joinMax(bad, 5), at.UTC().Format("2006-01-02")), x.e, fileLoc(first)))
			default:
				out = append(out, finding(c, evidence.Pass, fmt.Sprintf("%s: %d key(s)/certificate(s) valid and not revoked", x.m.Path, n), x.e, nil))
			}
		}
		return out
	}
	return c
}

// NewPrivateKeyExposed is CRYPTO-PRIVATE-KEY-EXPOSED: no private key lies in
// the assessed tree.
func NewPrivateKeyExposed() controls.Check {
	c := controls.Check{
		ID:          "CRYPTO-PRIVATE-KEY-EXPOSED",
		Title:       "No private keys in the assessed tree",
		Rationale:   "A signing key shipped with a release or committed to a repository lets anyone sign as the producer.",
		Remediation: "Remove the private key, revoke it and rotate to a new key held in an HSM, KMS or keyless signing.",
		Severity:    evidence.Critical,
		Pillar:      controls.PillarSigning,
		Method:      "EXAMINE",
		Reads:       []string{keys.KindMaterial, collectors.KindSkipped},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		any := false
		// A key file too large to read may hold a private key: no pass
		// while one is unread.
		var unread []string
		var unreadIDs []string
		for i := range ev {
			if s, ok := payload[collectors.Skipped](&ev[i]); ok && ev[i].Kind == collectors.KindSkipped && s.Collector == keys.Name {
				unread = append(unread, s.Path)
				unreadIDs = append(unreadIDs, ev[i].ID)
			}
		}
		var last *evidence.Evidence
		for _, x := range materials(ev) {
			last = x.e
			for i := range x.m.Assets {
				a := &x.m.Assets[i]
				if a.Kind != keys.AssetPrivateKey {
					continue
				}
				any = true
				f := finding(c, evidence.Fail, fmt.Sprintf("%s: %s private key", a.Location(), label(a)), x.e, fileLoc(a))
				out = append(out, f)
			}
		}
		if !any && len(unread) > 0 {
			f := c.Finding(evidence.NotAssessed, fmt.Sprintf("no private key among the files read, but %d key file(s) were too large to read: %s", len(unread), joinMax(unread, 3)))
			f.Evidence = unreadIDs
			f.Identify()
			return append(out, f)
		}
		if !any && last != nil {
			ids := []string{}
			for _, x := range materials(ev) {
				ids = append(ids, x.e.ID)
			}
			f := c.Finding(evidence.Pass, fmt.Sprintf("no private key among %d file(s) of key material", len(ids)))
			f.Evidence = ids
			f.Identify()
			out = append(out, f)
		}
		return out
	}
	return c
}

// NewUnreadableMaterial is CRYPTO-UNREADABLE-MATERIAL: key, certificate,
// trusted-root and bundle files parse.
func NewUnreadableMaterial() controls.Check {
	c := controls.Check{
		ID:          "CRYPTO-UNREADABLE-MATERIAL",
		Title:       "Key, certificate and trust-root files are well formed",
		Rationale:   "Trust material that does not parse cannot be verified against; a corrupted key or root hides whether the signature infrastructure is sound.",
		Remediation: "Replace the file with an intact copy from its source and check it with the tool that consumes it.",
		Severity:    evidence.Low,
		Pillar:      controls.PillarSigning,
		Method:      "TEST",
		Reads:       []string{keys.KindMaterial},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for _, x := range materials(ev) {
			var bad []string
			if x.m.Problem != "" {
				bad = append(bad, x.m.Problem)
			}
			for i := range x.m.Assets {
				if e := x.m.Assets[i].Error; e != "" {
					bad = append(bad, x.m.Assets[i].Location()+": "+e)
				}
			}
			if len(bad) > 0 {
				out = append(out, finding(c, evidence.Fail, fmt.Sprintf("%s: %s", x.m.Path, joinMax(bad, 3)), x.e, &evidence.Location{Path: x.m.Path}))
			} else {
				out = append(out, finding(c, evidence.Pass, fmt.Sprintf("%s: %d asset(s) read", x.m.Path, len(x.m.Assets)), x.e, nil))
			}
		}
		return out
	}
	return c
}

func signatureCheck(id, title, rationale, remediation string, methods ...string) controls.Check {
	c := controls.Check{
		ID: id, Title: title, Rationale: rationale, Remediation: remediation,
		Severity: evidence.High, Pillar: controls.PillarSigning, Method: "TEST",
		Reads: []string{keys.KindSignatureCheck},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for i := range ev {
			if ev[i].Kind != keys.KindSignatureCheck {
				continue
			}
			sc, ok := payload[keys.SignatureCheck](&ev[i])
			if !ok || !contains(methods, sc.Method) {
				continue
			}
			status := evidence.NotAssessed
			switch sc.Status {
			case keys.StatusVerified:
				status = evidence.Pass
			case keys.StatusFailed:
				status = evidence.Fail
			}
			what := sc.Signature
			if sc.Data != "" && sc.Data != sc.Signature {
				what = sc.Signature + " over " + sc.Data
			}
			out = append(out, finding(c, status, what+": "+sc.Reason, &ev[i], &evidence.Location{Path: sc.Signature}))
		}
		return out
	}
	return c
}

// NewPGPVerified is SIGN-PGP-VERIFIED: OpenPGP signatures found next to
// artifacts (FILE.asc, FILE.sig, FILE.gpg, SHA256SUMS.asc) verify against the
// configured keyrings; without a keyring they are not assessed.
func NewPGPVerified() controls.Check {
	return signatureCheck("SIGN-PGP-VERIFIED", "OpenPGP signatures verify against the trusted keyrings",
		"A detached or cleartext OpenPGP signature proves origin and integrity only when it verifies against a key the organisation pinned, valid when it signed.",
		"Sign with a key in the published keyring (policy.keys.openpgp-keyrings), re-sign with a current key, or fix the artifact that no longer matches its signature.",
		"openpgp")
}

// NewPQCVerified is SIGN-PQC-VERIFIED: ML-DSA and SLH-DSA signatures and
// certificate chains found in the target verify against the configured
// post-quantum keys and CA bundles.
func NewPQCVerified() controls.Check {
	return signatureCheck("SIGN-PQC-VERIFIED", "Post-quantum (ML-DSA, SLH-DSA) signatures and certificates verify",
		"Post-quantum signatures (FIPS 204, FIPS 205) only add assurance when they verify against keys and roots the organisation trusts.",
		"Sign with a key listed in policy.keys.public-keys, or issue the certificate from a CA in policy.keys.ca-bundles.",
		"ml-dsa", "slh-dsa", "x509")
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
