package membudget

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestBudget(t *testing.T) {
	for _, tt := range []struct {
		in    int64
		files int
		want  int64
	}{
		{0, 0, 150 << 20},
		{-5, -1, 150 << 20},
		{100 << 20, 1, 450<<20 + 4<<10},
		{424, 100_000, 3*424 + 100_000*4<<10 + 150<<20},
		{math.MaxInt64 / 2, 1, math.MaxInt64},
		{1, math.MaxInt, math.MaxInt64},
	} {
		if got := Budget(tt.in, tt.files); got != tt.want {
			t.Errorf("Budget(%d, %d) = %d, want %d", tt.in, tt.files, got, tt.want)
		}
	}
}

func TestForInput(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	t.Setenv("GOMEMLIMIT", "")
	mu.Lock()
	set = 0
	mu.Unlock()
	if got, want := ForInput(100<<20, 0), int64(450<<20-headroom); got != want || debug.SetMemoryLimit(-1) != want {
		t.Fatalf("ForInput(100 MiB) = %d (runtime %d), want %d", got, debug.SetMemoryLimit(-1), want)
	}
	// A smaller input later in the same process does not lower the limit
	// a larger one needed.
	if got := ForInput(1<<20, 1); got != int64(450<<20-headroom) {
		t.Fatalf("ForInput(1 MiB) after 100 MiB = %d, want the larger limit kept", got)
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	if got := ForInput(1<<30, 1); got != -1 {
		t.Fatalf("ForInput with GOMEMLIMIT set = %d, want -1 (the user's limit wins)", got)
	}
}
