package sbomchecks

import (
	"fmt"
	"path"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/collectors/keys"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// detachedSuffixes are the names of detached signatures and attestations
// that the signing pillar verifies.
var detachedSuffixes = []string{".sig", ".asc", ".sigstore", ".sigstore.json", ".bundle", ".p7s", ".jws", ".intoto.jsonl", ".att", ".pem"}

// NewSigned checks that the SBOM itself is signed: an embedded CycloneDX
// JSF signature is verified here; a detached one is verified by the signing
// pillar, whose verdict this check reads.
func NewSigned() controls.Check {
	c := controls.Check{
		ID:          "SBOM-SIGNED",
		Title:       "SBOM is signed and its embedded signature verifies",
		Rationale:   "An unsigned SBOM can be altered in transit or at rest without detection: its integrity needs a signature that verifies.",
		Remediation: "Sign the SBOM (CycloneDX JSF embedded signature, or a detached Sigstore/OpenPGP signature verified with `pedigree verify`).",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSBOM,
		Method:      "TEST",
		Reads:       []string{sbom.EvidenceKind, files.KindArtifact, signing.KindSignature, keys.KindSignatureCheck},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		arts := artifacts(ev)
		verdicts := detachedVerdicts(ev)
		var out []evidence.Finding
		for _, d := range docs(ev) {
			if !usable(d.doc) {
				continue
			}
			if s := d.doc.Signature; s != nil {
				switch {
				case s.Verified:
					out = append(out, finding(c, d, evidence.Pass, fmt.Sprintf("embedded JSF %s signature verifies with the embedded %s public key (whether that key is trusted is the signing pillar's trust policy)", s.Algorithm, s.KeyType)))
				case s.Unsupported:
					out = append(out, finding(c, d, evidence.NotAssessed, "embedded signature not verified here: "+s.Problem))
				default:
					out = append(out, finding(c, d, evidence.Fail, fmt.Sprintf("embedded JSF %s signature does not verify: %s", s.Algorithm, s.Problem)))
				}
				continue
			}
			if a := d.doc.Attached; a != nil {
				out = append(out, attachedSigned(c, d, a))
				continue
			}
			if v, ok := verdicts[d.ev.Target+"\x00"+d.doc.File]; ok {
				out = append(out, finding(c, d, v.status, v.msg, v.id))
				continue
			}
			if det, ids := detached(d, arts); det != "" {
				out = append(out, finding(c, d, evidence.NotAssessed, "no embedded signature; detached signature "+det+" is verified by the signing pillar (pedigree verify), not here", ids...))
				continue
			}
			out = append(out, finding(c, d, evidence.Fail, "not signed: no embedded JSF signature and no detached signature ("+strings.Join(detachedSuffixes[:4], ", ")+", ...) beside it"))
		}
		return out
	}
	return c
}

func detached(d docEv, arts []artifactEv) (string, []string) {
	for _, a := range arts {
		if a.ev.Target != d.ev.Target {
			continue
		}
		for _, suf := range detachedSuffixes {
			if a.a.Path == d.doc.File+suf || a.a.Path == strings.TrimSuffix(d.doc.File, path.Ext(d.doc.File))+suf {
				return a.a.Path, []string{a.ev.ID}
			}
		}
	}
	return "", nil
}

// detachedVerdict is what the signing pillar concluded about a detached
// signature over one file.
type detachedVerdict struct {
	status evidence.Status
	msg    string
	id     string
}

// detachedVerdicts reads the signing pillar's verifications (Sigstore
// bundles, DSSE, OpenPGP and ML-DSA/SLH-DSA signatures) by the file they
// cover, keyed "target\x00path". A verified signature wins over a failed
// one; a failed one over one that could not be checked.
func detachedVerdicts(ev []evidence.Evidence) map[string]detachedVerdict {
	out := map[string]detachedVerdict{}
	rank := map[evidence.Status]int{evidence.NotAssessed: 1, evidence.Fail: 2, evidence.Pass: 3}
	put := func(target, file string, v detachedVerdict) {
		k := target + "\x00" + file
		if old, ok := out[k]; !ok || rank[v.status] > rank[old.status] {
			out[k] = v
		}
	}
	for i := range ev {
		e := &ev[i]
		switch e.Kind {
		case signing.KindSignature:
			if s, ok := evidence.PayloadAs[signing.Signature](e); ok {
				for _, a := range s.Artifacts {
					put(e.Target, a.Path, verdictOf(s.Status == signing.StatusVerified, s.Status == signing.StatusFailed, s.Path, s.Reason, e.ID))
				}
			}
		case keys.KindSignatureCheck:
			if s, ok := evidence.PayloadAs[keys.SignatureCheck](e); ok && s.Data != "" {
				put(e.Target, s.Data, verdictOf(s.Status == keys.StatusVerified, s.Status == keys.StatusFailed, s.Signature, s.Reason, e.ID))
			}
		}
	}
	return out
}

func verdictOf(verified, failed bool, sig, reason, id string) detachedVerdict {
	switch {
	case verified:
		return detachedVerdict{evidence.Pass, "detached signature " + sig + " verifies against the trust policy", id}
	case failed:
		return detachedVerdict{evidence.Fail, "detached signature " + sig + " does not verify: " + reason, id}
	}
	return detachedVerdict{evidence.NotAssessed, "detached signature " + sig + " could not be verified: " + reason, id}
}

// attachedSigned judges an SBOM a distribution channel carried: its
// signature is the attestation's (or the missing one of a bare .sbom layer).
func attachedSigned(c controls.Check, d docEv, a *sbom.Attachment) evidence.Finding {
	switch {
	case a.Signature == "verified":
		return finding(c, d, evidence.Pass, "signed as an attestation whose signature verifies against the trust policy: "+a.Message)
	case a.Signature == "failed":
		return finding(c, d, evidence.Fail, "the attestation carrying it does not verify: "+a.Message)
	case !a.Subject:
		return finding(c, d, evidence.Fail, "not signed: attached with no signature over it ("+a.Message+")")
	}
	return finding(c, d, evidence.NotAssessed, "the attestation carrying it was not verified: "+a.Message)
}
