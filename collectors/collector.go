// Package collectors defines the one small interface every kind of system
// probe implements, and the read-only view of an assessed target they share.
// Collectors know systems and nothing of controls.
package collectors

import (
	"context"

	"github.com/pedigree-dev/pedigree/evidence"
)

// Collector probes one kind of system and reports what it observed. It only
// reads; it never runs code from what it scans and never reaches the network
// unless it is an online collector the user enabled.
type Collector interface {
	// Name is the stable collector name recorded in every Evidence.
	Name() string
	// Collect returns the evidence found in the target. An error means the
	// collector itself failed; the engine records it as an error finding and
	// the run goes on. Problems with what was scanned (a malformed SBOM) are
	// evidence, not errors.
	Collect(ctx context.Context, t *Target) ([]evidence.Evidence, error)
}
