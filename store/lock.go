package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// lockName is the file in a SQLite data folder that the serving process
// holds locked.
const lockName = "serve.lock"

// HistoryLock is a data folder's lock, held while a process works its
// SQLite history. The kernel drops it when the process dies, however it
// dies, so a killed server never leaves it behind.
type HistoryLock struct {
	f *os.File
}

// LockedError says that another process holds a data folder's lock.
type LockedError struct {
	Dir string
	// PID is the holder's process id, 0 when it could not be read.
	PID int
}

func (e *LockedError) Error() string {
	who := "another pedigree serve"
	if e.PID > 0 {
		who += " (pid " + strconv.Itoa(e.PID) + ")"
	}
	return fmt.Sprintf("data dir %s: %s is serving this history; one server works a SQLite history at a time (stop it, or share PostgreSQL with --database-url)", e.Dir, who)
}

// LockHistory takes the data folder's lock without waiting, creating the
// folder if needed, and records this process's id in the lock file for
// the message another server gets. Only a server takes it: commands that
// write a few rows (token create) work beside a running server.
func LockHistory(dir string) (*HistoryLock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir %s: %w", dir, err)
	}
	p := filepath.Join(dir, lockName)
	f, err := openLockFile(p)
	if err != nil {
		return nil, fmt.Errorf("data dir %s: lock file: %w", dir, err)
	}
	if err := lockFile(f); err != nil {
		if errors.Is(err, errWouldBlock) {
			// Read from the file opened without following a link, not
			// from the path again.
			pid := readPID(f)
			f.Close()
			return nil, &LockedError{Dir: dir, PID: pid}
		}
		f.Close()
		return nil, fmt.Errorf("data dir %s: lock %s: %w", dir, lockName, err)
	}
	// The pid is a courtesy for the message; the lock is what counts.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &HistoryLock{f: f}, nil
}

// Release empties the lock file and releases the lock.
func (l *HistoryLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := l.f.Close() // closing the file releases the lock
	l.f = nil
	return err
}

// readPID reads the holder's pid from the open lock file; 0 when it has
// none (it has just taken the lock, or the file is not readable).
func readPID(f io.ReaderAt) int {
	b, _ := io.ReadAll(io.NewSectionReader(f, 0, 32))
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
