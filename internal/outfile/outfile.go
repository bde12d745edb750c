// Package outfile opens the files pedigree writes (reports, -o outputs,
// bundles) so that nothing but a regular file is ever replaced.
//
// A regular file (or a name not yet taken) is written to a temporary file
// beside it and renamed into place on Commit, so a reader never sees half a
// file and an error or an interrupt leaves nothing behind. A named pipe or
// a character device the user named (`-o /dev/stdout`, a FIFO read by
// another program) is written through, never replaced. "-" is standard
// output. A symbolic link to a regular file, a directory, a socket or a
// block device is refused with an error naming the path.
//
// Temporary files are registered until committed or aborted, so that the
// forced exit after an interrupt can remove them (RemoveTemps).
package outfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Stdout is the name that means standard output.
const Stdout = "-"

// File is a destination being written.
type File struct {
	ctx   context.Context
	name  string // the destination, as the user named it
	f     *os.File
	tmp   string // empty when writing through
	perm  fs.FileMode
	w     io.Writer
	close bool
	done  bool
}

// Check refuses, before any work is done, a destination that Create would
// refuse: a missing folder, a folder, a symbolic link to anything but a
// pipe or device, a socket or block device.
func Check(name string) error {
	if name == Stdout {
		return nil
	}
	_, err := classify(name)
	return err
}

type kind int

const (
	regular kind = iota // a regular file or nothing yet: replace atomically
	through             // a pipe or character device: write to it
)

func classify(name string) (kind, error) {
	dir := filepath.Dir(name)
	st, err := os.Stat(dir)
	if err != nil {
		return 0, fmt.Errorf("%s: folder %s: %w", name, dir, bare(err))
	}
	if !st.IsDir() {
		return 0, fmt.Errorf("%s: %s is not a folder", name, dir)
	}
	lst, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return regular, nil
	}
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, bare(err))
	}
	m := lst.Mode()
	if m&fs.ModeSymlink != 0 {
		// Follow the link only to a pipe or a device (/dev/stdout is a
		// link); replacing the link, or writing through it to a regular
		// file elsewhere, are both surprises.
		st, err := os.Stat(name)
		if err != nil {
			return 0, fmt.Errorf("%s: a symbolic link that cannot be followed: %w", name, bare(err))
		}
		if st.Mode()&(fs.ModeNamedPipe|fs.ModeCharDevice) == 0 {
			return 0, fmt.Errorf("%s: is a symbolic link to %s; pedigree does not replace links (name the file it points to)", name, kindOf(st.Mode()))
		}
		m = st.Mode()
	}
	switch {
	case m.IsRegular():
		return regular, nil
	case m.IsDir():
		return 0, fmt.Errorf("%s: is a folder, want a file", name)
	case m&fs.ModeNamedPipe != 0, m&fs.ModeCharDevice != 0:
		return through, nil
	}
	return 0, fmt.Errorf("%s: is %s; pedigree writes only to a regular file, a named pipe or a character device", name, kindOf(m))
}

func kindOf(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0 && m&fs.ModeCharDevice == 0:
		return "a block device"
	}
	return "not a regular file"
}

// Create opens name for writing with the permissions perm (applied on
// Commit to a regular file). Writes fail once ctx is done, so a writer
// stops at its next write after an interrupt. stdout is what "-" means.
func Create(ctx context.Context, name string, perm fs.FileMode, stdout io.Writer) (*File, error) {
	if name == Stdout {
		return &File{ctx: ctx, name: "standard output", w: stdout}, nil
	}
	k, err := classify(name)
	if err != nil {
		return nil, err
	}
	if k == through {
		f, err := os.OpenFile(name, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, bare(err))
		}
		return &File{ctx: ctx, name: name, f: f, w: f, close: true}, nil
	}
	reg.Lock()
	defer reg.Unlock()
	if reg.closed {
		return nil, fmt.Errorf("%s: %w", name, context.Canceled)
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, bare(err))
	}
	reg.temps[f.Name()] = true
	return &File{ctx: ctx, name: name, f: f, w: f, tmp: f.Name(), perm: perm, close: true}, nil
}

// Name is the destination as named.
func (o *File) Name() string { return o.name }

// Write writes to the destination, failing once the context is done.
// Errors name the destination, never the temporary file.
func (o *File) Write(p []byte) (int, error) {
	if err := o.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := o.w.Write(p)
	if err != nil {
		err = fmt.Errorf("%s: %w", o.name, bare(err))
	}
	return n, err
}

// Commit finishes the file: a temporary file is closed, given its
// permissions and renamed into place. After an error nothing is left.
func (o *File) Commit() error {
	if o.done {
		return nil
	}
	o.done = true
	if o.tmp == "" {
		if o.close {
			if err := o.f.Close(); err != nil {
				return fmt.Errorf("%s: %w", o.name, bare(err))
			}
		}
		return o.ctx.Err()
	}
	err := o.f.Chmod(o.perm)
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = o.ctx.Err()
	}
	reg.Lock()
	defer reg.Unlock()
	delete(reg.temps, o.tmp)
	if err == nil && reg.closed {
		err = context.Canceled
	}
	if err == nil {
		err = os.Rename(o.tmp, o.name)
	}
	if err != nil {
		os.Remove(o.tmp)
		return fmt.Errorf("%s: %w", o.name, bare(err))
	}
	return nil
}

// Abort drops the file: a temporary file is removed; a pipe or device is
// closed. It does nothing after Commit.
func (o *File) Abort() {
	if o.done {
		return
	}
	o.done = true
	if o.close {
		o.f.Close()
	}
	if o.tmp != "" {
		reg.Lock()
		delete(reg.temps, o.tmp)
		reg.Unlock()
		os.Remove(o.tmp)
	}
}

// WriteFile writes data to name as Create and Commit do.
func WriteFile(ctx context.Context, name string, data []byte, perm fs.FileMode, stdout io.Writer) error {
	o, err := Create(ctx, name, perm, stdout)
	if err != nil {
		return err
	}
	if _, err := o.Write(data); err != nil {
		o.Abort()
		return err
	}
	return o.Commit()
}

var reg = struct {
	sync.Mutex
	temps  map[string]bool
	closed bool
}{temps: map[string]bool{}}

// RemoveTemps removes every temporary file not yet committed and refuses
// new ones and renames from then on: the forced exit after an interrupt
// calls it, when the goroutines writing may never get to clean up.
func RemoveTemps() {
	reg.Lock()
	defer reg.Unlock()
	reg.closed = true
	for p := range reg.temps {
		os.Remove(p)
		delete(reg.temps, p)
	}
}

// bare drops the *PathError around err, whose path may be the temporary
// file's, so that messages name only what the user named.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
