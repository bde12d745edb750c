package distchecks

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewTUFThreshold is tuf.CheckThreshold: every role's threshold can be met
// by its keys, and root and targets need at least min signatures.
func NewTUFThreshold(min int) controls.Check {
	c := check(tuf.CheckThreshold,
		"Role thresholds are reachable and root and targets need more than one key",
		"A threshold of 1 on root or targets lets one stolen key rewrite the trust of every client; a threshold above the key count can never be met.",
		"Raise root and targets thresholds to at least two keys held by different people, and keep thresholds at or below the number of keys.",
		evidence.High, "EXAMINE")
	c.Run = judged(c, func(f *distribution.Finding) (evidence.Status, string) {
		switch {
		case f.Threshold < 1:
			return evidence.Fail, fmt.Sprintf("%s: threshold %d cannot protect anything", f.Message, f.Threshold)
		case f.Threshold > f.Keys:
			return evidence.Fail, fmt.Sprintf("%s: the threshold exceeds the keys, so no metadata can ever verify", f.Message)
		case (f.Subject == "root" || f.Subject == "targets") && f.Threshold < min:
			return evidence.Fail, fmt.Sprintf("%s: %s needs at least %d signatures (one stolen key suffices now)", f.Message, f.Subject, min)
		}
		return evidence.Pass, f.Message
	})
	return c
}
