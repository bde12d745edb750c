package files

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"time"
)

// Limits on reading an archive's headers for its build time: enough for
// any real release, small enough that a hostile archive costs little.
const (
	maxArchiveEntries      = 100_000
	maxArchiveDecompressed = 2 << 30
)

// builtAt reads when an archive says its contents were made: the newest
// member modification time of a zip or a gzip'd tar. A filesystem mtime is
// not used: copies, downloads and checkouts reset it, while the times
// inside an archive travel with it (reproducible builds pin them).
// It returns the zero time when the archive does not say.
func builtAt(ctx context.Context, f *os.File, name string, size int64) time.Time {
	low := strings.ToLower(name)
	switch {
	case strings.HasSuffix(low, ".zip"), strings.HasSuffix(low, ".jar"), strings.HasSuffix(low, ".whl"), strings.HasSuffix(low, ".nupkg"), strings.HasSuffix(low, ".vsix"):
		zr, err := zip.NewReader(f, size)
		if err != nil {
			return time.Time{}
		}
		var newest time.Time
		for i, zf := range zr.File {
			if i >= maxArchiveEntries {
				break
			}
			if zf.Modified.After(newest) {
				newest = zf.Modified
			}
		}
		return newest.UTC()
	case strings.HasSuffix(low, ".tar.gz"), strings.HasSuffix(low, ".tgz"):
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return time.Time{}
		}
		gz, err := gzip.NewReader(f)
		if err != nil {
			return time.Time{}
		}
		defer gz.Close()
		tr := tar.NewReader(&capped{r: gz, left: maxArchiveDecompressed})
		var newest time.Time
		for i := 0; i < maxArchiveEntries && ctx.Err() == nil; i++ {
			h, err := tr.Next()
			if err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				return time.Time{} // truncated or hostile: it says nothing reliable
			}
			if h.ModTime.After(newest) {
				newest = h.ModTime
			}
		}
		return newest.UTC()
	}
	return time.Time{}
}

// capped stops reading after a budget of decompressed bytes.
type capped struct {
	r    io.Reader
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errors.New("archive decompresses beyond the limit")
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
