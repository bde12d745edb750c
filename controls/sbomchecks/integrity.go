package sbomchecks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewSupplier checks that every component names its supplier.
func NewSupplier() controls.Check {
	c := controls.Check{
		ID:          "SBOM-SUPPLIER",
		Title:       "Every SBOM component names its supplier or originator",
		Rationale:   "Supply chain risk is judged per supplier: a component whose supplier is unknown cannot be assessed, contracted for or monitored.",
		Remediation: "Record the supplier (CycloneDX supplier/manufacturer, SPDX PackageSupplier/PackageOriginator) of every component.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       sbomReads,
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		return perComponent(c, ev, "supplier", func(x *sbom.Component) bool { return x.HasSupplier() })
	}
	return c
}

// NewProvenance checks that where each component came from is recorded.
func NewProvenance() controls.Check {
	c := controls.Check{
		ID:          "SBOM-PROVENANCE",
		Title:       "SBOM records each component's provenance",
		Rationale:   "Provenance (CycloneDX pedigree: ancestors, patches, commits; SPDX originator and download location; a VCS or distribution reference) lets an assessor trace a component back to its origin and detect substitution.",
		Remediation: "Record download locations or VCS references for components, and CycloneDX pedigree for components that were patched or forked.",
		Severity:    evidence.Low,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       sbomReads,
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		return perComponent(c, ev, "provenance (pedigree, originator, download location or VCS)", func(x *sbom.Component) bool { return x.HasProvenance() })
	}
	return c
}

// perComponent passes a document when every component satisfies ok.
func perComponent(c controls.Check, ev []evidence.Evidence, what string, ok func(*sbom.Component) bool) []evidence.Finding {
	var out []evidence.Finding
	for _, d := range docs(ev) {
		if !usable(d.doc) {
			continue
		}
		if len(d.doc.Components) == 0 {
			out = append(out, finding(c, d, evidence.NotAssessed, "the SBOM lists no components"))
			continue
		}
		n, first := offenders(d.doc, func(x *sbom.Component) bool { return !ok(x) })
		if n == 0 {
			out = append(out, finding(c, d, evidence.Pass, fmt.Sprintf("all %d components record %s", len(d.doc.Components), what)))
			continue
		}
		out = append(out, finding(c, d, evidence.Fail, fmt.Sprintf("%d of %d components record no %s: %s", n, len(d.doc.Components), what, named(n, first))))
	}
	return out
}

// NewHashStrength checks that components carry strong digests.
func NewHashStrength() controls.Check {
	c := controls.Check{
		ID:          "SBOM-HASH-STRENGTH",
		Title:       "SBOM components carry SHA-256 or stronger hashes",
		Rationale:   "Component hashes are how a recipient verifies that what it received is what the SBOM describes; MD5 and SHA-1 collisions can be manufactured, so only SHA-256 or better protects that binding.",
		Remediation: "Record a SHA-256 (or SHA-512) hash for every component; keep MD5/SHA-1 only alongside a strong one.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       sbomReads,
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for _, d := range docs(ev) {
			if !usable(d.doc) {
				continue
			}
			n := len(d.doc.Components)
			if n == 0 {
				out = append(out, finding(c, d, evidence.NotAssessed, "the SBOM lists no components"))
				continue
			}
			var none, weakOnly []string
			nNone, nWeak := 0, 0
			weakAlgs := map[string]bool{}
			for i := range d.doc.Components {
				comp := &d.doc.Components[i]
				if len(comp.Hashes) == 0 {
					nNone++
					if len(none) < nameFirst {
						none = append(none, comp.Label())
					}
					continue
				}
				strong := false
				for _, h := range comp.Hashes {
					if sbom.StrongHash(h.Algorithm) {
						strong = true
					}
					if sbom.WeakHash(h.Algorithm) {
						weakAlgs[h.Algorithm] = true
					}
				}
				if !strong {
					nWeak++
					if len(weakOnly) < nameFirst {
						weakOnly = append(weakOnly, comp.Label())
					}
				}
			}
			if nNone == 0 && nWeak == 0 {
				msg := fmt.Sprintf("all %d components carry a SHA-256 or stronger hash", n)
				if len(weakAlgs) > 0 {
					msg += " (" + strings.Join(sortedKeys(weakAlgs), ", ") + " also present, alongside)"
				}
				out = append(out, finding(c, d, evidence.Pass, msg))
				continue
			}
			var parts []string
			if nWeak > 0 {
				parts = append(parts, fmt.Sprintf("%d of %d components have only weak hashes (%s): %s", nWeak, n, strings.Join(sortedKeys(weakAlgs), ", "), named(nWeak, weakOnly)))
			}
			if nNone > 0 {
				parts = append(parts, fmt.Sprintf("%d of %d components have no hash: %s", nNone, n, named(nNone, none)))
			}
			out = append(out, finding(c, d, evidence.Fail, strings.Join(parts, "; ")))
		}
		return out
	}
	return c
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
