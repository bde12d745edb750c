package collectors

import (
	"github.com/pedigree-dev/pedigree/evidence"
)

// KindSkipped is a file of a target that a collector did not read: too
// large, not a regular file, over a budget. Nothing is skipped silently:
// each becomes a not-assessed finding naming the file and the reason.
// Payload *Skipped; subject {Type: "file", Ref: path}.
const KindSkipped = "target.skipped"

// Skipped is one file left unread, and why.
type Skipped struct {
	Path      string `json:"path"`
	Collector string `json:"collector"`
	// Reason says what limit or rule kept it unread, with the numbers.
	Reason string `json:"reason"`
	Size   int64  `json:"size,omitempty"`
}

// SkippedEvidence records that collector left p unread. The evidence's
// digest is of the reason (nothing of the file was read).
func (t *Target) SkippedEvidence(collector, p string, size int64, reason string) evidence.Evidence {
	return t.Evidence(collector, KindSkipped, p, []byte(collector+"\x00"+p+"\x00"+reason),
		evidence.Subject{Type: "file", Ref: p},
		&Skipped{Path: p, Collector: collector, Reason: reason, Size: size})
}
