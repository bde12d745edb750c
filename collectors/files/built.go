package files

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

// Limits on reading an archive's headers for its build time: enough for
// any real release, small enough that a hostile archive costs little.
const (
	// MaxArchiveEntries bounds the members listed in one archive.
	MaxArchiveEntries = 100_000
	// MaxArchiveDecompressed bounds the bytes one tar.gz is inflated to.
	MaxArchiveDecompressed = 1 << 30
	// DefaultArchiveBudget bounds the bytes inflated over all the archives
	// of one target, so that many small archives cannot add up to minutes.
	DefaultArchiveBudget = 2 << 30
)

// archiveBudget is the decompressed bytes left for one target's archives,
// shared by the hashing workers.
type archiveBudget struct{ left atomic.Int64 }

func newArchiveBudget(n int64) *archiveBudget {
	b := &archiveBudget{}
	b.left.Store(n)
	return b
}

var errBudget = errors.New("the target's archive-reading budget is spent")

// builtAt reads when an archive says its contents were made: the newest
// member modification time of a zip or a gzip'd tar. A filesystem mtime is
// not used: copies, downloads and checkouts reset it, while the times
// inside an archive travel with it (reproducible builds pin them).
// It returns the zero time when the archive does not say, with the reason
// when a limit stopped the reading (so that it is never silent).
func builtAt(ctx context.Context, f *os.File, name string, size int64, budget *archiveBudget) (time.Time, string) {
	low := strings.ToLower(name)
	switch {
	case strings.HasSuffix(low, ".zip"), strings.HasSuffix(low, ".jar"), strings.HasSuffix(low, ".whl"), strings.HasSuffix(low, ".nupkg"), strings.HasSuffix(low, ".vsix"):
		n, err := readlimit.ZipEntries(f, size)
		if err != nil {
			return time.Time{}, ""
		}
		if n > MaxArchiveEntries {
			return time.Time{}, fmt.Sprintf("zip lists %d entries, above the limit of %d: build time not read", n, MaxArchiveEntries)
		}
		zr, err := zip.NewReader(f, size)
		if err != nil {
			return time.Time{}, ""
		}
		var newest time.Time
		for _, zf := range zr.File {
			if zf.Modified.After(newest) {
				newest = zf.Modified
			}
		}
		return newest.UTC(), ""
	case strings.HasSuffix(low, ".tar.gz"), strings.HasSuffix(low, ".tgz"):
		if budget.left.Load() <= 0 {
			return time.Time{}, errBudget.Error() + ": build time not read"
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return time.Time{}, ""
		}
		gz, err := gzip.NewReader(f)
		if err != nil {
			return time.Time{}, ""
		}
		defer gz.Close()
		tr := tar.NewReader(&capped{r: gz, left: MaxArchiveDecompressed, budget: budget})
		var newest time.Time
		for i := 0; ctx.Err() == nil; i++ {
			if i >= MaxArchiveEntries {
				return time.Time{}, fmt.Sprintf("tar has more than %d entries: build time not read", MaxArchiveEntries)
			}
			h, err := tr.Next()
			if err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				if errors.Is(err, errBudget) || errors.Is(err, errTooLarge) {
					return time.Time{}, err.Error() + ": build time not read"
				}
				return time.Time{}, "" // truncated or hostile: it says nothing reliable
			}
			if h.ModTime.After(newest) {
				newest = h.ModTime
			}
		}
		return newest.UTC(), ""
	}
	return time.Time{}, ""
}

var errTooLarge = fmt.Errorf("archive decompresses beyond %d bytes", MaxArchiveDecompressed)

// capped stops reading after a budget of decompressed bytes, its own and
// the target's.
type capped struct {
	r      io.Reader
	left   int64
	budget *archiveBudget
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errTooLarge
	}
	if c.budget.left.Load() <= 0 {
		return 0, errBudget
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	c.budget.left.Add(-int64(n))
	return n, err
}
