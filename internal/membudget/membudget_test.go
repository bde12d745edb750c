package membudget

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestBudget(t *testing.T) {
	for _, tt := range []struct{ in, want int64 }{
		{0, 150 << 20},
		{-5, 150 << 20},
		{100 << 20, 450 << 20},
		{math.MaxInt64 / 2, math.MaxInt64},
	} {
		if got := Budget(tt.in); got != tt.want {
			t.Errorf("Budget(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestForInput(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	t.Setenv("GOMEMLIMIT", "")
	mu.Lock()
	set = 0
	mu.Unlock()
	if got, want := ForInput(100<<20), int64(450<<20-headroom); got != want || debug.SetMemoryLimit(-1) != want {
		t.Fatalf("ForInput(100 MiB) = %d (runtime %d), want %d", got, debug.SetMemoryLimit(-1), want)
	}
	// A smaller input later in the same process does not lower the limit
	// a larger one needed.
	if got := ForInput(1 << 20); got != int64(450<<20-headroom) {
		t.Fatalf("ForInput(1 MiB) after 100 MiB = %d, want the larger limit kept", got)
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	if got := ForInput(1 << 30); got != -1 {
		t.Fatalf("ForInput with GOMEMLIMIT set = %d, want -1 (the user's limit wins)", got)
	}
}
