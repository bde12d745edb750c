// Package distchecks judges the distribution channels: OCI images, TUF
// repositories, apt repositories and release pages. Each check is a pure
// function over the observations of collectors/distribution/..., in a file
// of its own; what needs an instant (expiry) reads the instant the
// observation recorded, so a re-run over old evidence judges it the same.
package distchecks

import (
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Options are the policy knobs of the checks (distribution: section).
type Options struct {
	// MinThreshold is the signature threshold root and targets need
	// (0 means 2).
	MinThreshold int
}

// All returns every distribution check.
func All(o Options) []controls.Check {
	if o.MinThreshold <= 0 {
		o.MinThreshold = 2
	}
	return []controls.Check{
		NewOCILayoutIntegrity(), NewOCISigned(), NewOCIAttested(), NewOCIDigestPinned(),
		NewTUFRootChain(), NewTUFSigned(), NewTUFExpiry(), NewTUFThreshold(o.MinThreshold), NewTUFConsistent(), NewTUFTargetsMatch(),
		NewAptSigned(), NewAptValidUntil(), NewAptIndexHashes(), NewAptWeakHash(), NewAptPackageHashes(), NewAptSourceHashes(),
		NewReleaseChecksumsSigned(), NewReleaseAttestations(),
	}
}

// statusOf maps a collector's observation outcome to a finding status:
// what could not be verified is not-assessed, never a pass.
func statusOf(outcome string) evidence.Status {
	switch outcome {
	case distribution.Verified:
		return evidence.Pass
	case distribution.Failed:
		return evidence.Fail
	}
	return evidence.NotAssessed
}

// check builds a check that reads its own observations.
func check(id, title, rationale, remediation string, sev evidence.Severity, method string) controls.Check {
	return controls.Check{
		ID: id, Title: title, Rationale: rationale, Remediation: remediation,
		Severity: sev, Pillar: controls.PillarBuild, Method: method,
		Reads: []string{distribution.Kind(id)},
	}
}

// judged wraps one observation's judgement into a located finding.
func judged(c controls.Check, judge func(f *distribution.Finding) (evidence.Status, string)) func([]evidence.Evidence) []evidence.Finding {
	return controls.EachPayload(func(e *evidence.Evidence, f *distribution.Finding) evidence.Finding {
		st, msg := judge(f)
		out := c.Finding(st, msg, e.Subject)
		// Anchored at the file that decided it (a Release, a targets.json,
		// an index.json), whose bytes the evidence measured; the judged
		// path is in the subject.
		loc := e.Source
		if loc == "" {
			loc = f.Path
		}
		out.Location = &evidence.Location{Path: loc, Line: f.Line}
		out.Evidence = []string{e.ID}
		out.Identify()
		return out
	})
}

// byOutcome is the judgement of checks whose collector verified
// something cryptographically.
func byOutcome(f *distribution.Finding) (evidence.Status, string) {
	return statusOf(f.Outcome), f.Message
}
