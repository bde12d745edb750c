package distchecks

import (
	"fmt"
	"time"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/evidence"
)

// clockSkew tolerates a signer's clock a little ahead of the assessor's.
const clockSkew = 24 * time.Hour

// expiry judges an observed expiry at the instant the observation
// recorded (the run's time, or --at). The message names the instant only
// when the user pinned it: the run's own time is in the assessment, and a
// message that changed with the clock would make two runs over the same
// input differ.
func expiry(f *distribution.Finding, what string) (evidence.Status, string) {
	name := f.Path
	if f.Subject != "" && what != "" {
		name = f.Subject + " " + what + " (" + f.Path + ")"
	}
	expires := f.Expires.UTC().Format(time.RFC3339)
	if !f.Expires.After(f.At) {
		if f.AtGiven {
			return evidence.Fail, fmt.Sprintf("%s expired %s, before the assessment instant %s", name, expires, f.At.UTC().Format(time.RFC3339))
		}
		return evidence.Fail, fmt.Sprintf("%s expired %s, before this assessment", name, expires)
	}
	if f.AtGiven {
		return evidence.Pass, fmt.Sprintf("%s valid until %s (judged at %s)", name, expires, f.At.UTC().Format(time.RFC3339))
	}
	return evidence.Pass, fmt.Sprintf("%s valid until %s", name, expires)
}
