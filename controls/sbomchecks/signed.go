package sbomchecks

import (
	"fmt"
	"path"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// detachedSuffixes are the names of detached signatures and attestations
// that the signing pillar verifies.
var detachedSuffixes = []string{".sig", ".asc", ".sigstore", ".sigstore.json", ".bundle", ".p7s", ".jws", ".intoto.jsonl", ".att", ".pem"}

// NewSigned checks that the SBOM itself is signed: an embedded CycloneDX
// JSF signature is verified here; a detached one is the signing pillar's.
func NewSigned() controls.Check {
	c := controls.Check{
		ID:          "SBOM-SIGNED",
		Title:       "SBOM is signed and its embedded signature verifies",
		Rationale:   "An unsigned SBOM can be altered in transit or at rest without detection: its integrity needs a signature that verifies.",
		Remediation: "Sign the SBOM (CycloneDX JSF embedded signature, or a detached Sigstore/OpenPGP signature verified with `pedigree verify`).",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSBOM,
		Method:      "TEST",
		Reads:       []string{sbom.EvidenceKind, files.KindArtifact},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		arts := artifacts(ev)
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
