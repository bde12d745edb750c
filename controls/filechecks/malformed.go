package filechecks

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewChecksumMalformed flags checksum lines that cannot be read and entries
// that name a file the release does not contain (or one outside it).
func NewChecksumMalformed() controls.Check {
	c := controls.Check{
		ID:          "FILES-CHECKSUM-MALFORMED",
		Title:       "Checksum lists are well-formed and complete",
		Rationale:   "A line nobody can parse, or a digest for a file that is not shipped, means the list does not describe the release it comes with.",
		Remediation: "Regenerate the checksum list from the artifacts actually published (sha256sum * > SHA256SUMS).",
		Severity:    evidence.Low,
		Pillar:      controls.PillarFiles,
		Method:      "EXAMINE",
		Reads:       []string{files.KindArtifact, files.KindChecksumFile},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding { return checkMalformed(c, ev) }
	return c
}

func checkMalformed(c controls.Check, ev []evidence.Evidence) []evidence.Finding {
	var out []evidence.Finding
	rels := byTarget(ev)
	for _, t := range sortedKeys(rels) {
		r := rels[t]
		for _, l := range r.lists {
			subj := evidence.Subject{Type: "checksum-file", Ref: l.cf.Path, Digest: "sha256:" + l.ev.SHA256}
			var problems []string
			firstLine := 0
			for _, e := range l.cf.Entries {
				if e.Path == "" {
					problems = append(problems, fmt.Sprintf("line %d: %q points outside the release", e.Line, e.Name))
				} else if _, ok := r.artifacts[e.Path]; !ok {
					problems = append(problems, fmt.Sprintf("line %d: %s is listed but not shipped", e.Line, e.Name))
				} else {
					continue
				}
				if firstLine == 0 {
					firstLine = e.Line
				}
			}
			problems = append(problems, l.cf.Problems...)
			var f evidence.Finding
			switch {
			case len(problems) > 0:
				f = c.Finding(evidence.Fail, fmt.Sprintf("%s: %d problem(s), first: %s", l.cf.Path, len(problems), problems[0]), subj)
				f.Location = &evidence.Location{Path: l.cf.Path, Line: firstLine}
			case len(l.cf.Entries) == 0:
				f = c.Finding(evidence.Fail, fmt.Sprintf("%s: no checksum entries", l.cf.Path), subj)
			default:
				f = c.Finding(evidence.Pass, fmt.Sprintf("%s: %s, all naming shipped files", l.cf.Path, entries(len(l.cf.Entries))), subj)
			}
			f.Evidence = []string{l.ev.ID}
			out = append(out, f)
		}
	}
	return out
}

func entries(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}
