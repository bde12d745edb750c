// Package reports defines the one interface every report format implements.
// Writers read only the Assessment: they know nothing of collectors or checks.
package reports

import (
	"context"
	"io"

	"github.com/pedigree-dev/pedigree/assessment"
)

// Writer renders an assessment in one format.
type Writer interface {
	// Format is the --format name (oscal-ar, xlsx, html, ...).
	Format() string
	// Filename is the file the format is written to inside --out.
	Filename() string
	// Write renders a to w. The caller writes to a temporary file and
	// renames it into place only on success, so no half-written report is
	// ever left behind.
	Write(ctx context.Context, w io.Writer, a *assessment.Assessment) error
}
