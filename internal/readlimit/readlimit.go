// Package readlimit reads files named by users and configs with a size limit,
// so that a huge file, /dev/zero or a never-ending pipe is refused with a
// one-line error instead of exhausting memory.
package readlimit

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Limits of the small files pedigree reads whole: configuration, mappings,
// manual evidence, keys and other trust material.
const (
	Config = 16 << 20 // pedigree.yaml, mappings, manual evidence
	Trust  = 16 << 20 // keys, keyrings, allowed signers, trusted roots
	Data   = 64 << 20 // KEV catalogs, VEX documents
)

// ErrTooLarge is returned for a file above the limit.
var ErrTooLarge = errors.New("file exceeds the size limit")

// File reads the file at path whole, refusing one larger than limit bytes.
// A regular file that is too large is refused before anything is read; a
// pipe or device is read up to the limit and no further. Errors name path.
func File(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *PathError already names the file
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not a file", path)
	}
	if st.Mode().IsRegular() && st.Size() > limit {
		return nil, fmt.Errorf("%s: %w (%d bytes, limit %d)", path, ErrTooLarge, st.Size(), limit)
	}
	return Reader(path, f, limit)
}

// Reader reads r whole, refusing more than limit bytes; name is the file it
// comes from, for the error.
func Reader(name string, r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: %w (more than %d bytes)", name, ErrTooLarge, limit)
	}
	return b, nil
}

// Kind names what a non-regular file is, for errors: "a named pipe",
// "a device", "a socket", "a directory".
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsRegular():
		return "a regular file"
	}
	return "not a regular file"
}
