// Package startup runs first of the program's own code: it pauses the
// garbage collector while the program's packages initialise, and it starts
// catching SIGINT and SIGTERM, so that an interrupt during the rest of
// start-up is seen by main rather than taking Go's default action.
//
// The binary links several libraries whose package initialisation
// allocates megabytes it keeps (JSON meta-schemas, spreadsheet function
// tables, validator patterns): with the collector's first goal at 4 MB,
// start-up alone ran three collections, a fifth of the time of a short
// command such as `pedigree version`. Nothing allocated then is garbage
// worth collecting. main calls Done first thing, which restores the
// collector as the environment (GOGC) set it.
//
// The package imports nothing heavy, so that it is initialised before the
// libraries that allocate most: Go initialises packages in import-path
// order as soon as their imports are, and this one's are ready early.
// cmd/pedigree's start-up tests check that it still is.
package startup

import (
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
)

var gcPercent = debug.SetGCPercent(-1)

// Signals receives SIGINT and SIGTERM from the moment this package is
// initialised; main reads it. No package writes anything before main, so a
// signal queued here loses nothing: main sees it at once and exits 130.
var Signals = notify()

func notify() chan os.Signal {
	c := make(chan os.Signal, 2)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	return c
}

// Done restores the collector. Later calls do nothing.
//
// Restored at once, the collector would start a cycle at the next
// allocation: its first goal (4 MB at the default GOGC of 100) is below what
// initialisation kept. A short command (`version`, a one-file `ci scan`)
// would pay for a collection of nothing but that. So the first cycle's goal
// is three times the usual, and the setting itself comes back as soon as
// that cycle has run (a finalizer runs after it); from then on the collector
// works as GOGC says.
func Done() {
	if gcPercent == -2 {
		return
	}
	p := gcPercent
	gcPercent = -2
	if p <= 0 {
		debug.SetGCPercent(p)
		return
	}
	debug.SetGCPercent(3 * p)
	s := new(sentinel)
	runtime.SetFinalizer(s, func(*sentinel) { debug.SetGCPercent(p) })
}

// sentinel is large enough not to share a tiny-allocator block, whose
// finalizers could wait for its neighbours.
type sentinel struct{ _ [32]byte }
