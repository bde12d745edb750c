package sbom

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/evidence"
)

// CollectorName is recorded in every evidence this collector emits.
const CollectorName = "sbom"

// DefaultMaxSize is the largest SBOM read when no limit is configured.
const DefaultMaxSize = 512 << 20

// headSize is how much of each file is read to recognise an SBOM.
const headSize = 256 << 10

// Collector finds SBOMs in a target by their content and emits one
// "sbom.document" evidence per SBOM, with a *Document payload. A malformed
// SBOM is evidence too (Document.Error set), never a collector error.
type Collector struct {
	// MaxSize refuses SBOMs larger than this many bytes before reading them
	// whole; zero means DefaultMaxSize.
	MaxSize int64
	Options Options
}

// NewCollector returns a collector with the given size limit.
func NewCollector(maxSize int64) *Collector { return &Collector{MaxSize: maxSize} }

// Name implements collectors.Collector.
func (c *Collector) Name() string { return CollectorName }

// Collect implements collectors.Collector.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	limit := c.MaxSize
	if limit <= 0 {
		limit = DefaultMaxSize
	}
	var out []evidence.Evidence
	// One buffer for every file's head: a folder of 100,000 small files
	// would otherwise allocate 25 GB of heads.
	buf := make([]byte, headSize)
	// An SBOM stored as a blob of an OCI layout is the image's: the
	// distribution collector hands it on with the image as its subject.
	ociBlob := t.OCIBlobFilter()
	for _, f := range t.Files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if f.Size == 0 || ociBlob(f.Path) {
			continue
		}
		head, err := readHead(t, f.Path, buf[:min(f.Size+1, headSize)])
		if err != nil {
			continue // unreadable files are the files collector's business
		}
		k, ok := Detect(head)
		if !ok {
			continue
		}
		subject := evidence.Subject{Type: "sbom", Ref: f.Path}
		if f.Size > limit {
			doc := &Document{File: f.Path, Format: k.Format, Encoding: k.Encoding, SpecVersion: k.SpecVersion,
				Error: TooLargeError(f.Size, limit).Error(), TooLarge: true}
			ev := t.Evidence(CollectorName, EvidenceKind, f.Path, nil, subject, doc)
			ev.SHA256, ev.Size = "", f.Size
			out = append(out, ev)
			continue
		}
		tt := *t
		tt.MaxFileSize = limit
		raw, err := tt.ReadFile(f.Path)
		if err != nil {
			if errors.Is(err, collectors.ErrTooLarge) {
				continue
			}
			return out, fmt.Errorf("sbom: %w", err)
		}
		// Hashed first, so that the bytes can go as soon as they are decoded.
		sum, size := evidence.SHA256Hex(raw), int64(len(raw))
		doc, err := ParseWith(f.Path, raw, c.Options)
		if err != nil {
			continue // changed between sniff and read
		}
		subject.Digest = "sha256:" + sum
		out = append(out, t.EvidenceOfSum(CollectorName, EvidenceKind, f.Path, sum, size, subject, doc))
	}
	return out, nil
}

// TooLargeError is the one-line refusal of an SBOM above the size limit.
func TooLargeError(size, limit int64) error {
	return fmt.Errorf("file is %d bytes, above the sbom max-size of %d bytes: refused without reading it (raise sbom.max-size to assess it)", size, limit)
}

// readHead reads the first len(buf) bytes of rel into buf. The buffer is
// sized by the file's listed size (one byte more, to see a file that grew),
// since the head is only sniffed.
func readHead(t *collectors.Target, rel string, buf []byte) ([]byte, error) {
	f, err := t.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:n], nil
}
