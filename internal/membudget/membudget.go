// Package membudget sets the Go runtime's soft memory limit from the size
// of what a command reads, so that its peak memory follows its input.
//
// pedigree holds the largest file it reads whole (an SBOM, a key store)
// and what it decodes from it. With the runtime's default (GOGC=100) the
// heap may grow to twice what is live before a collection, so a run whose
// live set is 1.5 times its input could peak at 3 times that. A soft limit
// at the budget, 3 times the largest input plus a fixed allowance, makes
// the collector run before the process passes it; below the budget it
// changes nothing. It is a limit on the heap's growth, not a cap: a run
// whose live set is larger goes over it and the runtime bounds the time it
// spends collecting.
package membudget

import (
	"math"
	"os"
	"runtime/debug"
	"sync"
)

// Fixed is the allowance on top of the input-proportional part: the
// program, the embedded catalogs and schemas, and the reports' encoders.
const Fixed = 150 << 20

// Factor is the multiple of the largest input the budget allows.
const Factor = 3

// headroom is left below the budget for what the limit does not count:
// the program's text (about 40 MiB of a 78 MB binary is paged in) and
// memory not allocated by the Go runtime.
const headroom = 64 << 20

var (
	mu  sync.Mutex
	set int64
)

// Budget is the peak memory allowed a run whose largest input has size
// bytes.
func Budget(size int64) int64 {
	if size < 0 {
		size = 0
	}
	if size > (math.MaxInt64-Fixed)/Factor {
		return math.MaxInt64
	}
	return Factor*size + Fixed
}

// ForInput sets the soft memory limit to Budget(largest) less a headroom,
// unless GOMEMLIMIT was set in the environment (the user's choice wins) or
// a larger limit was set already in this process. It returns the limit in
// force afterwards, or -1 when none was set by this package.
func ForInput(largest int64) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return -1
	}
	limit := Budget(largest) - headroom
	mu.Lock()
	defer mu.Unlock()
	if limit > set {
		set = limit
		debug.SetMemoryLimit(limit)
	}
	return set
}
