package bundle

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// Limits bound what reading a bundle may cost. Bundles come from others:
// a hostile one must fail with a clear error, never exhaust memory or disk.
type Limits struct {
	// MaxFiles is the most entries an archive may hold.
	MaxFiles int
	// MaxFileSize is the largest one file may be.
	MaxFileSize int64
	// MaxTotal bounds the decompressed size of the whole archive (tar
	// headers and padding included): a decompression bomb stops here.
	MaxTotal int64
	// MaxManifest bounds the manifest and the signature envelope, which are
	// read into memory.
	MaxManifest int64
}

// DefaultLimits allow real bundles (every output and evidence source of a
// large run) and refuse anything near 10 GB.
var DefaultLimits = Limits{MaxFiles: 200000, MaxFileSize: 2 << 30, MaxTotal: 8 << 30, MaxManifest: 256 << 20}

// ErrUnsafe marks an archive refused for safety: traversal, links, device
// files, duplicate names, or sizes over the limits.
var ErrUnsafe = errors.New("unsafe archive")

// countingReader fails once more than max bytes came through.
type countingReader struct {
	r   io.Reader
	n   int64
	max int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n >= c.max {
		return 0, fmt.Errorf("%w: decompresses to more than %d bytes", ErrUnsafe, c.max)
	}
	if rem := c.max - c.n; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// checkName accepts only plain relative slash paths: no absolute path, no
// "..", no "." or empty elements, no backslash or NUL.
func checkName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.ContainsAny(name, "\\\x00") {
		return fmt.Errorf("%w: entry %q is not a plain relative path", ErrUnsafe, name)
	}
	return nil
}

// walk reads a tar.gz stream and calls fn for each regular file, with a
// reader of exactly its bytes. Directories are skipped; symlinks, hard
// links, devices and unsafe names are refused.
func walk(r io.Reader, lim Limits, fn func(name string, size int64, r io.Reader) error) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("not a gzip archive: %w", err)
	}
	defer gz.Close()
	cr := &countingReader{r: gz, max: lim.MaxTotal}
	tr := tar.NewReader(cr)
	seen := map[string]bool{}
	var total int64
	for n := 0; ; n++ {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return trailing(cr)
		}
		if err != nil {
			return fmt.Errorf("read archive: %w", truncated(err))
		}
		if n >= lim.MaxFiles {
			return fmt.Errorf("%w: more than %d entries", ErrUnsafe, lim.MaxFiles)
		}
		name := strings.TrimSuffix(h.Name, "/")
		switch h.Typeflag {
		case tar.TypeReg:
		case tar.TypeDir:
			if err := checkName(name); err != nil {
				return err
			}
			continue
		case tar.TypeXGlobalHeader:
			continue
		case tar.TypeSymlink:
			return fmt.Errorf("%w: entry %q is a symbolic link (to %q)", ErrUnsafe, h.Name, h.Linkname)
		case tar.TypeLink:
			return fmt.Errorf("%w: entry %q is a hard link (to %q)", ErrUnsafe, h.Name, h.Linkname)
		default:
			return fmt.Errorf("%w: entry %q has type %q; only regular files are allowed", ErrUnsafe, h.Name, string(h.Typeflag))
		}
		if err := checkName(name); err != nil {
			return err
		}
		// A sparse entry's holes read as zeros: a few bytes of header could
		// claim gigabytes. Bundles pedigree writes are never sparse.
		for k := range h.PAXRecords {
			if strings.HasPrefix(k, "GNU.sparse.") {
				return fmt.Errorf("%w: entry %q is a sparse file", ErrUnsafe, name)
			}
		}
		if seen[name] {
			return fmt.Errorf("%w: entry %q appears twice", ErrUnsafe, name)
		}
		seen[name] = true
		if h.Size < 0 || h.Size > lim.MaxFileSize {
			return fmt.Errorf("%w: entry %q is %d bytes, more than the limit of %d", ErrUnsafe, name, h.Size, lim.MaxFileSize)
		}
		total += h.Size
		if total > lim.MaxTotal {
			return fmt.Errorf("%w: files add up to more than %d bytes", ErrUnsafe, lim.MaxTotal)
		}
		if err := fn(name, h.Size, tr); err != nil {
			return fmt.Errorf("%s: %w", name, truncated(err))
		}
	}
}

// trailing checks what follows the tar's end-of-archive marker: only the
// zero padding of its last record may. Anything else (another gzip member
// appended to the file, garbage) could hold entries a reader other than
// pedigree would extract, so it is an error.
func trailing(r io.Reader) error {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		for _, c := range buf[:n] {
			if c != 0 {
				return fmt.Errorf("%w: data after the end of the archive", ErrUnsafe)
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: after the end of the archive: %v", ErrUnsafe, err)
		}
	}
}

func truncated(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("archive is truncated: %w", err)
	}
	return err
}

func readFull(r io.Reader, b []byte) (int, error) {
	n, err := io.ReadFull(r, b)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = nil
	}
	return n, err
}

// readAll reads r, failing beyond max bytes.
func readAll(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrUnsafe, max)
	}
	return b, nil
}
