// Package membudget sets the Go runtime's soft memory limit from the size
// of what a command reads, so that its peak memory follows its input.
//
// pedigree holds the largest file it reads whole (an SBOM, a key store)
// and what it decodes from it, and keeps a record of every file it lists
// (evidence, findings, report entries). With the runtime's default
// (GOGC=100) the heap may grow to twice what is live before a collection,
// so a run whose live set is 1.5 times its input could peak at 3 times
// that. A soft limit at the budget, 3 times the largest input plus 4 KiB a
// file plus a fixed allowance, makes the collector run before the process
// passes it; below the budget it changes nothing. It is a limit on the
// heap's growth, not a cap: a run whose live set is larger goes over it,
// and the runtime bounds the time it spends collecting (at most half the
// CPU), so a run is slowed, never stopped, by it.
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

// PerFile is the allowance for each file of the targets: its evidence, its
// findings before they are folded, and its entries in the reports.
const PerFile = 4 << 10

// headroom is left below the budget for what the limit does not count:
// the program's text (about 40 MiB of a 78 MB binary is paged in) and
// memory not allocated by the Go runtime.
const headroom = 64 << 20

var (
	mu  sync.Mutex
	set int64
)

// Budget is the peak memory allowed a run whose largest input has size
// bytes, over files files.
func Budget(size int64, files int) int64 {
	size, n := max(size, 0), int64(max(files, 0))
	if size > (math.MaxInt64-Fixed)/(2*Factor) || n > math.MaxInt64/(4*PerFile) {
		return math.MaxInt64
	}
	return Factor*size + PerFile*n + Fixed
}

// ForInput sets the soft memory limit to Budget(largest, files) less a
// headroom, unless GOMEMLIMIT was set in the environment (the user's
// choice wins) or a larger limit was set already in this process. It
// returns the limit in force afterwards, or -1 when none was set by this
// package.
func ForInput(largest int64, files int) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return -1
	}
	limit := Budget(largest, files) - headroom
	mu.Lock()
	defer mu.Unlock()
	if limit > set {
		set = limit
		debug.SetMemoryLimit(limit)
	}
	return set
}
