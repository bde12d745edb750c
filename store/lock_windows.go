//go:build windows

package store

import (
	"os"

	"golang.org/x/sys/windows"
)

var errWouldBlock = windows.ERROR_LOCK_VIOLATION

func openLockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}

// lockFile locks one byte far past the pid written at the file's start:
// Windows locks are mandatory, and another server must still read the pid
// for its message. The lock goes with the handle when the process dies.
func lockFile(f *os.File) error {
	ol := &windows.Overlapped{Offset: 0, OffsetHigh: 1}
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
}
