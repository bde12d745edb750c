//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
)

var errWouldBlock = syscall.EWOULDBLOCK

func openLockFile(path string) (*os.File, error) {
	// A symbolic link planted in place of the lock file is not followed.
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
}

// lockFile takes flock's exclusive lock: advisory, on the open file, and
// released by the kernel when the last descriptor closes or the process
// dies.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		return err
	}
}
