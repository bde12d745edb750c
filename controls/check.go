// Package controls holds what turns evidence into control verdicts: the
// Check type every check implements, the check-to-control mapping (data,
// embedded and overridable), manual evidence, and control aggregation.
// Checks know controls and nothing of how evidence was gathered.
package controls

import (
	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Pillars group checks the way MITRE's "Deliver Uncompromised" does.
const (
	PillarFiles   = "files"
	PillarSBOM    = "sbom"
	PillarSigning = "signing"
	PillarBuild   = "build"
)

// Check is a pure function from evidence to findings, with what a reader
// needs to understand it. Construct checks with their own constructors
// (NewChecksumMismatch, ...) that carry id, title and rationale.
type Check struct {
	// ID is stable and upper-case, e.g. FILES-CHECKSUM-MISMATCH.
	ID          string
	Title       string
	Rationale   string
	Remediation string
	// Severity is the severity of this check's failures.
	Severity evidence.Severity
	Pillar   string
	// Method is the OSCAL observation method: TEST (the tool exercised
	// something: a signature verified, a digest recomputed) or EXAMINE (the
	// tool read a document).
	Method string
	// Reads lists the evidence kinds Run receives. Run sees only those.
	Reads []string
	// Run judges the evidence. It must not do I/O. It returns at least one
	// finding when it saw evidence it reads; with none it may return nil,
	// and the check counts as not applicable.
	Run func(ev []evidence.Evidence) []evidence.Finding
}

// Info is the check as the assessment records it.
func (c Check) Info(controls []string) assessment.Check {
	return assessment.Check{
		ID: c.ID, Title: c.Title, Rationale: c.Rationale, Remediation: c.Remediation,
		Severity: c.Severity, Pillar: c.Pillar, Method: c.Method, Controls: controls,
	}
}

// Finding starts a finding of this check with its severity.
func (c Check) Finding(status evidence.Status, msg string, subjects ...evidence.Subject) evidence.Finding {
	sev := c.Severity
	if status != evidence.Fail {
		sev = evidence.Info
	}
	// Messages and subjects quote what was assessed, which an attacker
	// controls: each is bounded here, once for every check.
	for i := range subjects {
		if len(subjects[i].Ref) > evidence.MaxRef {
			subjects = append([]evidence.Subject(nil), subjects...) // the caller's stay whole
			for j := range subjects {
				subjects[j].Ref = evidence.Clip(subjects[j].Ref, evidence.MaxRef)
			}
			break
		}
	}
	return evidence.Finding{CheckID: c.ID, Status: status, Severity: sev, Message: evidence.Clip(msg, evidence.MaxMessage), Subjects: subjects}
}

// Inventorier derives report tables (SBOM components, crypto assets) from
// evidence. Like a check, it is pure.
type Inventorier func(ev []evidence.Evidence) assessment.Inventory

// EachPayload builds a Check.Run for the common shape: one finding per
// evidence whose payload is a *T (after a pedigree.json round trip too),
// judged by judge, which gets the evidence for its subject and id. The
// finding names that evidence.
func EachPayload[T any](judge func(e *evidence.Evidence, p *T) evidence.Finding) func([]evidence.Evidence) []evidence.Finding {
	return func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for i := range ev {
			p, ok := evidence.PayloadAs[T](&ev[i])
			if !ok {
				continue
			}
			f := judge(&ev[i], p)
			if len(f.Evidence) == 0 {
				f.Evidence = []string{ev[i].ID}
			}
			out = append(out, f)
		}
		return out
	}
}
