package apt

import (
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
)

// MaxIndexExpanded bounds what one compressed index may expand to when the
// Release does not list the uncompressed index's size (when it does, as
// Debian's and Ubuntu's do, that size is the bound). Their largest
// Packages and Sources indexes are under 100 MB; a small file inflating
// past this is a bomb, and reading it costs CPU time, not memory.
const MaxIndexExpanded = 256 << 20

// maxZstdWindow bounds the window a zstd index may ask the decoder to
// hold: zstd -19 uses 8 MiB, --long 128 MiB.
const maxZstdWindow = 128 << 20

// indexBudget is MaxIndexExpanded, lowered by tests.
var indexBudget int64 = MaxIndexExpanded

// ErrExpandedTooLarge is a compressed index that expands past its bound.
var ErrExpandedTooLarge = errors.New("expands past its bound")

// compressions are the index compressions apt reads, in the order an index
// is preferred for reading: the plain file first (nothing to inflate).
var compressions = []string{"", ".xz", ".gz", ".bz2", ".lz4", ".zst"}

// splitCompression returns the uncompressed name of an index and its
// compression suffix ("" for none).
func splitCompression(name string) (family, ext string) {
	for _, e := range compressions[1:] {
		if strings.HasSuffix(name, e) {
			return strings.TrimSuffix(name, e), e
		}
	}
	return name, ""
}

// decompress streams what r holds, compressed as ext says, refusing to
// expand past limit bytes. close releases the decoder.
func decompress(ext string, r io.Reader, limit int64) (out io.Reader, close func(), err error) {
	close = func() {}
	if ext == "" {
		return r, close, nil
	}
	// The xz decoder reads its input a byte at a time: unbuffered, that
	// is a system call per byte.
	r = bufio.NewReaderSize(r, 64<<10)
	var d io.Reader
	switch ext {
	case ".gz":
		gz, err := gzip.NewReader(r)
		if err != nil {
			return nil, close, fmt.Errorf("gzip: %w", err)
		}
		d, close = gz, func() { gz.Close() }
	case ".xz":
		xr, err := xz.NewReader(r)
		if err != nil {
			err = unexpected(err)
			if !strings.HasPrefix(err.Error(), "xz:") {
				err = fmt.Errorf("xz: %w", err)
			}
			return nil, close, err
		}
		d = xr
	case ".bz2":
		d = bzip2.NewReader(r)
	case ".lz4":
		d = lz4.NewReader(r)
	case ".zst":
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(maxZstdWindow))
		if err != nil {
			return nil, close, fmt.Errorf("zstd: %w", err)
		}
		d, close = zr, zr.Close
	default:
		return nil, close, fmt.Errorf("unknown compression %q", ext)
	}
	return &bounded{r: d, left: limit, limit: limit, format: strings.TrimPrefix(ext, ".")}, close, nil
}

// unexpected names an end of input inside a stream for what it is.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// bounded passes at most limit bytes and fails, rather than truncating
// silently, when the stream holds more. Decoder errors are named with the
// format, so a truncated stream reads "xz: unexpected EOF".
type bounded struct {
	r      io.Reader
	left   int64
	limit  int64
	format string
}

func (b *bounded) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		for {
			n, err := b.r.Read(one[:])
			if n > 0 {
				return 0, fmt.Errorf("%w of %d bytes", ErrExpandedTooLarge, b.limit)
			}
			if err != nil {
				return 0, b.wrap(err)
			}
		}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, b.wrap(err)
}

func (b *bounded) wrap(err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	return fmt.Errorf("%s: %w", b.format, err)
}
