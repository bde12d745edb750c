package store

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLockHistory: one holder at a time; the second is told the folder
// and the holder's pid; released (as the kernel releases it when the
// holder dies), the lock is free again.
func TestLockHistory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	l, err := LockHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, lockName))
	if strings.TrimSpace(string(b)) != strconv.Itoa(os.Getpid()) {
		t.Errorf("lock file holds %q, want this pid", b)
	}
	// flock locks belong to the open file, so a second open in this
	// process is refused as another process would be.
	_, err = LockHistory(dir)
	var le *LockedError
	if !errors.As(err, &le) || le.PID != os.Getpid() || le.Dir != dir {
		t.Fatalf("second lock = %v, want a LockedError naming %s and pid %d", err, dir, os.Getpid())
	}
	if msg := err.Error(); !strings.Contains(msg, dir) || !strings.Contains(msg, "pid "+strconv.Itoa(os.Getpid())) || strings.Contains(msg, "\n") {
		t.Errorf("message = %q", msg)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l2, err := LockHistory(dir)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	defer l2.Release()
}

func TestLockedErrorWithoutPID(t *testing.T) {
	dir := t.TempDir()
	l, err := LockHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	// A holder that has not written its pid yet, or a file of junk.
	for _, content := range []string{"", "not a pid\n", "-4\n"} {
		os.WriteFile(filepath.Join(dir, lockName), []byte(content), 0o600)
		_, err := LockHistory(dir)
		var le *LockedError
		if !errors.As(err, &le) || le.PID != 0 || strings.Contains(err.Error(), "pid") {
			t.Errorf("lock file %q: %v", content, err)
		}
	}
}

func TestLockHistoryNotAFolder(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o600)
	_, err := LockHistory(f)
	var le *LockedError
	if err == nil || errors.As(err, &le) || !strings.Contains(err.Error(), f) {
		t.Fatalf("data dir that is a file: %v", err)
	}
}
