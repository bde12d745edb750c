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
// recorded (the run's time, or --at).
func expiry(f *distribution.Finding, what string) (evidence.Status, string) {
	at := f.At.UTC().Format(time.RFC3339)
	name := f.Path
	if f.Subject != "" && what != "" {
		name = f.Subject + " " + what + " (" + f.Path + ")"
	}
	if !f.Expires.After(f.At) {
		return evidence.Fail, fmt.Sprintf("%s expired %s, before the assessment instant %s", name, f.Expires.UTC().Format(time.RFC3339), at)
	}
	return evidence.Pass, fmt.Sprintf("%s valid until %s (judged at %s)", name, f.Expires.UTC().Format(time.RFC3339), at)
}
