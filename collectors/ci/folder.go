package ci

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

// Folder reads the files of one directory through an os.Root, so that no
// symlink or ".." reaches outside it. `ci scan` opens one Folder for all the
// files it is given in a directory instead of one target per file.
type Folder struct {
	// Dir is the directory as given.
	Dir string
	// MaxFileSize bounds ReadFile; zero means collectors.DefaultMaxFileSize.
	MaxFileSize int64
	root        *os.Root
}

// OpenFolder opens dir for reading.
func OpenFolder(dir string) (*Folder, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &Folder{Dir: dir, root: r}, nil
}

// Close releases the folder's root.
func (f *Folder) Close() error { return f.root.Close() }

// ReadFile reads a file of the folder (a slash path), refusing one larger
// than the size limit, with the errors of collectors.Target.ReadFile. It
// reads into a buffer sized from the file's length: one allocation for
// the content in the common case.
func (f *Folder) ReadFile(rel string) ([]byte, error) {
	b, _, err := f.read(rel)
	return b, err
}

// ReadEntry is ReadFile that reports a directory (isDir, nothing read)
// instead of failing on it.
func (f *Folder) ReadEntry(rel string) (b []byte, isDir bool, err error) {
	return f.read(rel)
}

func (f *Folder) read(rel string) ([]byte, bool, error) {
	limit := f.MaxFileSize
	if limit <= 0 {
		limit = collectors.DefaultMaxFileSize
	}
	// Stat first: opening a named pipe would block until someone writes to
	// it, and a file too large is refused before a byte of it is read.
	if st, err := f.root.Stat(filepath.FromSlash(rel)); err == nil {
		switch {
		case st.IsDir():
			return nil, true, nil
		case !st.Mode().IsRegular():
			return nil, false, fmt.Errorf("%s: not a regular file (it is %s)", rel, readlimit.Kind(st.Mode()))
		case st.Size() > limit:
			return nil, false, fmt.Errorf("%s: %w (%d bytes, limit %d)", rel, collectors.ErrTooLarge, st.Size(), limit)
		}
	}
	file, err := f.root.Open(filepath.FromSlash(rel))
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		if strings.Contains(err.Error(), "escapes") {
			err = collectors.ErrOutsideTree
		}
		return nil, false, fmt.Errorf("%s: %w", rel, err)
	}
	defer file.Close()
	size := int64(0)
	if st, err := file.Stat(); err == nil {
		if st.IsDir() {
			return nil, true, nil
		}
		if st.Mode().IsRegular() {
			size = min(st.Size(), limit)
		}
	}
	// One byte more than the size, so that EOF is seen without growing.
	b := make([]byte, 0, size+1)
	r := io.LimitReader(file, limit+1)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", rel, err)
		}
	}
	if int64(len(b)) > limit {
		return nil, false, fmt.Errorf("%s: %w (%d bytes)", rel, collectors.ErrTooLarge, limit)
	}
	return b, false, nil
}
