//go:build !unix

package cichecks

import "time"

// cpuTime is not measured here; the CPU ratio is then not reported.
func cpuTime() time.Duration { return 0 }
