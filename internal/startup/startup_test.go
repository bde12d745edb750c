package startup

import (
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

func gogc() int64 {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// Done gives the collector back: paused while packages initialise, three
// times GOGC until the first cycle, GOGC itself after it.
func TestDone(t *testing.T) {
	if os.Getenv("GOGC") != "" {
		t.Skip("GOGC is set")
	}
	if gcPercent == -2 {
		t.Skip("Done already ran in this process (-count)")
	}
	if p := gcPercent; p != 100 {
		t.Fatalf("the setting found at initialisation is %d, want 100", p)
	}
	Done()
	if p := gogc(); p != 300 {
		t.Fatalf("GOGC after Done is %d, want 300 until the first cycle", p)
	}
	Done() // a second call changes nothing
	deadline := time.Now().Add(10 * time.Second)
	for gogc() != 100 {
		if time.Now().After(deadline) {
			t.Fatalf("GOGC still %d after collections", gogc())
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}
