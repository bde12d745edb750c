//go:build !unix && !windows

package store

import (
	"errors"
	"os"
	"runtime"
)

var errWouldBlock = errors.New("locked")

func openLockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}

func lockFile(*os.File) error {
	return errors.New("file locks are not supported on " + runtime.GOOS)
}
