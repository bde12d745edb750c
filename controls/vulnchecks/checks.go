package vulnchecks

import (
	"time"

	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Options tune the checks; the zero value uses the defaults.
type Options struct {
	// Threshold is the lowest severity VULN-CRITICAL-HIGH-FIXABLE fails on
	// (default high).
	Threshold evidence.Severity
	// MaxAge is how old the newest database record may be before
	// VULN-DB-STALE fails; zero leaves that check not applicable.
	MaxAge time.Duration
}

// All returns every vuln check.
func All(o Options) []controls.Check {
	if o.Threshold.Rank() < 1 {
		o.Threshold = evidence.High
	}
	return []controls.Check{
		NewDBMissing(), NewDBMalformed(), NewDBStale(o.MaxAge),
		NewKnownExploited(), NewCriticalHighFixable(o.Threshold),
		NewUnmatchable(), NewUnknownSupplier(), NewVEXSuppressed(),
	}
}
