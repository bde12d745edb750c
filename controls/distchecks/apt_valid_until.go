package distchecks

import (
	"fmt"
	"time"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/apt"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewAptValidUntil is apt.CheckValidUntil: the apt Release is within its validity at the assessment instant.
func NewAptValidUntil() controls.Check {
	c := check(apt.CheckValidUntil,
		"The apt Release is within its validity at the assessment instant",
		"Valid-Until bounds how long a captured Release can be replayed to hold clients on old, vulnerable packages; a Date in the future means a clock or signing error.",
		"Set Valid-Until on the archive (e.g. a week) and re-sign the Release before it passes.",
		evidence.Medium, "TEST")
	c.Run = judged(c, func(f *distribution.Finding) (evidence.Status, string) {
		at := f.At.UTC().Format(time.RFC3339)
		switch {
		case f.Outcome == distribution.Failed:
			return evidence.Fail, f.Path + ": " + f.Message
		case !f.Issued.IsZero() && f.Issued.After(f.At.Add(clockSkew)):
			return evidence.Fail, fmt.Sprintf("%s is dated %s, after the assessment instant %s", f.Path, f.Issued.Format(time.RFC3339), at)
		case f.Expires.IsZero():
			return evidence.NotAssessed, fmt.Sprintf("%s has no Valid-Until: a replayed (frozen) Release cannot be told from a current one", f.Path)
		}
		return expiry(f, "")
	})
	return c
}
