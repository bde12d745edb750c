package filechecks

import (
	"fmt"
	"sort"

	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewChecksumMismatch recomputes the digest of every file a checksum list
// names and compares it with the list.
func NewChecksumMismatch() controls.Check {
	c := controls.Check{
		ID:          "FILES-CHECKSUM-MISMATCH",
		Title:       "Shipped checksums match the artifacts",
		Rationale:   "A digest that does not match its artifact means the artifact or the list was altered after release, or the release is broken.",
		Remediation: "Rebuild or re-download the artifact from its origin and regenerate the checksum list; investigate how the mismatch arose before trusting either.",
		Severity:    evidence.High,
		Pillar:      controls.PillarFiles,
		Method:      "TEST",
		Reads:       []string{files.KindArtifact, files.KindChecksumFile},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding { return checkMismatch(c, ev) }
	return c
}

func checkMismatch(c controls.Check, ev []evidence.Evidence) []evidence.Finding {
	var out []evidence.Finding
	rels := byTarget(ev)
	for _, t := range sortedKeys(rels) {
		r := rels[t]
		for _, l := range r.lists {
			for _, e := range l.cf.Entries {
				art, ok := r.artifacts[e.Path]
				if e.Path == "" || !ok {
					continue // FILES-CHECKSUM-MALFORMED reports entries naming nothing
				}
				got, computed := art.a.Digests[e.Algorithm]
				subj := evidence.Subject{Type: "artifact", Ref: art.a.Path, Digest: "sha256:" + art.a.SHA256}
				loc := &evidence.Location{Path: l.cf.Path, Line: e.Line}
				var f evidence.Finding
				switch {
				case !computed:
					f = c.Finding(evidence.NotAssessed, fmt.Sprintf("%s:%d: %s uses %s, which pedigree cannot compute", l.cf.Path, e.Line, e.Name, e.Algorithm), subj)
				case got == e.Digest:
					f = c.Finding(evidence.Pass, fmt.Sprintf("%s:%d: %s digest of %s matches", l.cf.Path, e.Line, e.Algorithm, e.Name), subj)
				default:
					f = c.Finding(evidence.Fail, fmt.Sprintf("%s:%d: %s digest of %s does not match: listed %s, computed %s", l.cf.Path, e.Line, e.Algorithm, e.Name, e.Digest, got), subj)
				}
				f.Location = loc
				f.Evidence = []string{l.ev.ID, art.ev.ID}
				out = append(out, f)
			}
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
