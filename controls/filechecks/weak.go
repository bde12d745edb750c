package filechecks

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewChecksumWeak flags checksum lists that rely on MD5 or SHA-1, whose
// collisions can be manufactured, so a matching digest proves little.
func NewChecksumWeak() controls.Check {
	c := controls.Check{
		ID:          "FILES-CHECKSUM-WEAK-ALGORITHM",
		Title:       "Checksum lists use a collision-resistant hash",
		Rationale:   "MD5 and SHA-1 collisions are practical: an attacker can ship a different file with the same digest.",
		Remediation: "Publish SHA-256 or SHA-512 digests; keep MD5/SHA-1 lists only alongside them for old clients.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarFiles,
		Method:      "EXAMINE",
		Reads:       []string{files.KindChecksumFile},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding { return checkWeak(c, ev) }
	return c
}

func checkWeak(c controls.Check, ev []evidence.Evidence) []evidence.Finding {
	var out []evidence.Finding
	for i := range ev {
		cf, ok := ev[i].Payload.(*files.ChecksumFile)
		if !ok || len(cf.Entries) == 0 {
			continue
		}
		subj := evidence.Subject{Type: "checksum-file", Ref: cf.Path, Digest: "sha256:" + ev[i].SHA256}
		var weak *files.ChecksumEntry
		for j := range cf.Entries {
			if !strong(cf.Entries[j].Algorithm) {
				weak = &cf.Entries[j]
				break
			}
		}
		var f evidence.Finding
		if weak != nil {
			f = c.Finding(evidence.Fail, fmt.Sprintf("%s:%d: %s digest for %s: %s is not collision-resistant", cf.Path, weak.Line, weak.Algorithm, weak.Name, weak.Algorithm), subj)
			f.Location = &evidence.Location{Path: cf.Path, Line: weak.Line}
		} else {
			f = c.Finding(evidence.Pass, fmt.Sprintf("%s: every digest uses %s", cf.Path, cf.Entries[0].Algorithm), subj)
		}
		f.Evidence = []string{ev[i].ID}
		out = append(out, f)
	}
	return out
}
