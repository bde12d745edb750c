// Package startup pauses the garbage collector while the program's packages
// initialise. The binary links several libraries whose package
// initialisation allocates megabytes it keeps (JSON meta-schemas, spreadsheet
// function tables, validator patterns): with the collector's first goal at
// 4 MB, that start-up alone ran three collections, a quarter of the time of
// a short command such as `pedigree version`. Nothing allocated then is
// garbage worth collecting. main calls Done first thing, which restores the
// collector as the environment (GOGC) set it.
//
// The package has no imports but the runtime's, so that it is initialised
// before the heavy libraries: Go initialises packages in import-path order
// as soon as their imports are, and this one's are ready first.
package startup

import "runtime/debug"

var gcPercent = debug.SetGCPercent(-1)

// Done restores the collector. Later calls do nothing.
func Done() {
	if gcPercent != -2 {
		debug.SetGCPercent(gcPercent)
		gcPercent = -2
	}
}
