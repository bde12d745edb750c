// Package evidence is pedigree's shared vocabulary: what a collector observed
// (Evidence), about what (Subject), and what a check concluded (Finding).
// Every later stage reads these types; this package imports no other stage.
package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Status is the outcome of one check on one subject.
type Status string

const (
	Pass          Status = "pass"
	Fail          Status = "fail"
	NotApplicable Status = "not-applicable"
	// NotAssessed is a check that ran but could not decide (missing
	// trust material, an unsupported format, an opt-in collector left off).
	// It never counts as a pass.
	NotAssessed Status = "not-assessed"
	// Error is a check or collector that broke; the run goes on.
	Error Status = "error"
)

// Severity orders findings for gates and reports.
type Severity string

const (
	Info     Severity = "info"
	Low      Severity = "low"
	Medium   Severity = "medium"
	High     Severity = "high"
	Critical Severity = "critical"
)

// Rank orders severities from info (0) to critical (4); unknown ranks -1.
func (s Severity) Rank() int {
	switch s {
	case Info:
		return 0
	case Low:
		return 1
	case Medium:
		return 2
	case High:
		return 3
	case Critical:
		return 4
	}
	return -1
}

// ParseSeverity accepts the severity names in any case.
func ParseSeverity(s string) (Severity, bool) {
	sev := Severity(lower(s))
	return sev, sev.Rank() >= 0
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Subject is what was probed: a file, an artifact, an SBOM component, a
// repository, a workflow, a key.
type Subject struct {
	// Type is a short noun: file, artifact, sbom, component, repository,
	// workflow, image, key, certificate, signature, attestation.
	Type string `json:"type"`
	// Ref names the subject: a path relative to its target, a purl, a URL.
	Ref string `json:"ref"`
	// Digest is "sha256:<hex>" when the subject has content.
	Digest string `json:"digest,omitempty"`
}

// Location anchors a finding in a file: exact line and column where known.
type Location struct {
	Path   string `json:"path"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// Evidence is one typed, hashed, timestamped fact a collector observed.
type Evidence struct {
	// ID is stable across runs for unchanged input (see NewID).
	ID        string  `json:"id"`
	Collector string  `json:"collector"`
	Kind      string  `json:"kind"`
	Subject   Subject `json:"subject"`
	// Target is the name of the assessed target the source lies in.
	Target string `json:"target,omitempty"`
	// Source is the raw source's path relative to its target (or a URL for
	// online collectors); SHA256 and Size describe exactly those bytes.
	Source      string    `json:"source"`
	SHA256      string    `json:"sha256"`
	Size        int64     `json:"size"`
	CollectedAt time.Time `json:"collectedAt"`
	// Payload is the collector's typed fact. It must marshal to JSON; after
	// a round trip through pedigree.json it comes back as generic JSON.
	Payload any `json:"payload,omitempty"`
}

// Finding is one check's conclusion about one subject (or about the whole
// assessment when Subjects is empty).
type Finding struct {
	// ID is stable across runs: derived from check, subjects and location.
	ID       string    `json:"id"`
	CheckID  string    `json:"check"`
	Status   Status    `json:"status"`
	Severity Severity  `json:"severity"`
	Message  string    `json:"message"`
	Subjects []Subject `json:"subjects,omitempty"`
	// Evidence lists the ids of the evidence that decided this finding.
	Evidence []string  `json:"evidence,omitempty"`
	Location *Location `json:"location,omitempty"`
	// Folded counts the findings of this check and status that this one
	// stands for beyond the threshold (engine.FoldAbove): their evidence
	// ids are all in Evidence, so a run over 100,000 files stays readable.
	Folded int `json:"folded,omitempty"`
}

// SHA256Hex is the lower-case hex SHA-256 of b.
func SHA256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
