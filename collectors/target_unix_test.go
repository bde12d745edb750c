//go:build unix

package collectors

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestOpenTargetRefusesPipesAndDevices(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	for _, p := range []string{fifo, "/dev/zero"} {
		// Opening a pipe with no writer would block forever: the target
		// must be refused from its mode alone.
		_, err := OpenTarget("t", p)
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), p) {
			t.Errorf("OpenTarget(%s) = %v, want ErrNotRegular naming it", p, err)
		}
	}
	// Inside a directory target a pipe is skipped, never read.
	write(t, filepath.Join(dir, "a.txt"), "a")
	tg, err := OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if len(tg.Files) != 1 || tg.Files[0].Path != "a.txt" {
		t.Fatalf("files = %+v", tg.Files)
	}
}
