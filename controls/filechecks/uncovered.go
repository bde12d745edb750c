package filechecks

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewChecksumUncovered flags release artifacts that no checksum list with a
// strong algorithm covers: nobody receiving them can check they are intact.
func NewChecksumUncovered() controls.Check {
	c := controls.Check{
		ID:          "FILES-CHECKSUM-UNCOVERED",
		Title:       "Every release artifact is covered by a strong checksum",
		Rationale:   "An artifact with no published digest cannot be checked for alteration by those who receive it.",
		Remediation: "Publish a SHA256SUMS (or SHA512SUMS) list covering every release artifact, and sign it.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarFiles,
		Method:      "EXAMINE",
		Reads:       []string{files.KindArtifact, files.KindChecksumFile},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding { return checkUncovered(c, ev) }
	return c
}

func checkUncovered(c controls.Check, ev []evidence.Evidence) []evidence.Finding {
	var out []evidence.Finding
	rels := byTarget(ev)
	for _, t := range sortedKeys(rels) {
		r := rels[t]
		covered := map[string]listEv{}
		for _, l := range r.lists {
			for _, e := range l.cf.Entries {
				if strong(e.Algorithm) && e.Path != "" {
					covered[e.Path] = l
				}
			}
		}
		for _, p := range sortedKeys(r.artifacts) {
			art := r.artifacts[p]
			if !art.a.Release {
				continue
			}
			subj := evidence.Subject{Type: "artifact", Ref: p, Digest: "sha256:" + art.a.SHA256}
			if l, ok := covered[p]; ok {
				f := c.Finding(evidence.Pass, fmt.Sprintf("%s is covered by %s", p, l.cf.Path), subj)
				f.Evidence = []string{art.ev.ID, l.ev.ID}
				out = append(out, f)
				continue
			}
			f := c.Finding(evidence.Fail, fmt.Sprintf("%s: no checksum list with a strong algorithm covers this release artifact", p), subj)
			f.Evidence = []string{art.ev.ID}
			out = append(out, f)
		}
	}
	return out
}
