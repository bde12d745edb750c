package vuln

import (
	"fmt"
	"math"
	"strings"

	cvss20 "github.com/pandatix/go-cvss/20"
	cvss30 "github.com/pandatix/go-cvss/30"
	cvss31 "github.com/pandatix/go-cvss/31"
	cvss40 "github.com/pandatix/go-cvss/40"

	"github.com/pedigree-dev/pedigree/evidence"
)

// Score is one severity statement of an advisory, scored.
type Score struct {
	// Type is the OSV severity type: CVSS_V2, CVSS_V3, CVSS_V4, Ubuntu, or
	// "database" for a database_specific.severity word (GitHub's).
	Type string `json:"type"`
	// Vector is the CVSS vector or the severity word as written.
	Vector string `json:"vector"`
	// Version is the CVSS version parsed from the vector (2.0, 3.0, 3.1, 4.0).
	Version string `json:"version,omitempty"`
	// Base is the CVSS base score (CVSS-BTE for a v4.0 vector that carries
	// threat or environmental metrics); -1 when there is none.
	Base     float64           `json:"base"`
	Severity evidence.Severity `json:"severity,omitempty"`
	// Error is why a vector could not be scored.
	Error string `json:"error,omitempty"`
}

// ScoreSeverity scores one OSV severity entry. It never panics on a
// malformed vector: the error is kept in Score.Error.
func ScoreSeverity(typ, vector string) (s Score) {
	s = Score{Type: typ, Vector: vector, Base: -1}
	defer func() {
		if r := recover(); r != nil {
			s.Base, s.Severity, s.Error = -1, "", fmt.Sprintf("cvss: %v", r)
		}
	}()
	v := strings.TrimSpace(vector)
	switch {
	case strings.HasPrefix(v, "CVSS:4.0/"):
		c, err := cvss40.ParseVector(v)
		if err != nil {
			s.Error = "CVSS v4.0 vector: " + err.Error()
			return s
		}
		s.Version, s.Base = "4.0", round1(c.Score())
	case strings.HasPrefix(v, "CVSS:3.1/"):
		c, err := cvss31.ParseVector(v)
		if err != nil {
			s.Error = "CVSS v3.1 vector: " + err.Error()
			return s
		}
		s.Version, s.Base = "3.1", c.BaseScore()
	case strings.HasPrefix(v, "CVSS:3.0/"):
		c, err := cvss30.ParseVector(v)
		if err != nil {
			s.Error = "CVSS v3.0 vector: " + err.Error()
			return s
		}
		s.Version, s.Base = "3.0", c.BaseScore()
	case typ == "CVSS_V2" || strings.HasPrefix(v, "AV:"):
		c, err := cvss20.ParseVector(strings.TrimSuffix(strings.TrimPrefix(v, "("), ")"))
		if err != nil {
			s.Error = "CVSS v2 vector: " + err.Error()
			return s
		}
		s.Version, s.Base = "2.0", c.BaseScore()
		s.Severity = bandV2(s.Base)
		return s
	default:
		// A severity word: Ubuntu priority, GitHub's database_specific.
		if sev, ok := severityWord(v); ok {
			s.Severity = sev
			return s
		}
		s.Error = fmt.Sprintf("unsupported severity %q of type %s", truncate(v, 80), typ)
		return s
	}
	s.Severity = Band(s.Base)
	return s
}

// Band maps a CVSS v3.x/v4.0 score to its qualitative rating (none is info).
func Band(score float64) evidence.Severity {
	switch {
	case score >= 9.0:
		return evidence.Critical
	case score >= 7.0:
		return evidence.High
	case score >= 4.0:
		return evidence.Medium
	case score >= 0.1:
		return evidence.Low
	}
	return evidence.Info
}

// bandV2 is CVSS v2's rating: low below 4, medium below 7, high above.
func bandV2(score float64) evidence.Severity {
	switch {
	case score >= 7.0:
		return evidence.High
	case score >= 4.0:
		return evidence.Medium
	}
	return evidence.Low
}

func severityWord(w string) (evidence.Severity, bool) {
	switch strings.ToLower(w) {
	case "critical":
		return evidence.Critical, true
	case "high", "important":
		return evidence.High, true
	case "moderate", "medium":
		return evidence.Medium, true
	case "low":
		return evidence.Low, true
	case "negligible", "none", "unimportant":
		return evidence.Info, true
	}
	return "", false
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// Worst picks the score that decides an advisory's severity: the highest
// rated of the CVSS scores (v4.0 and v3.x alike, so that neither hides the
// other), and a severity word only when no vector could be scored.
func Worst(scores []Score) (Score, bool) {
	best, found := Score{Base: -1}, false
	for _, s := range scores {
		if s.Error != "" || s.Severity == "" || s.Base < 0 {
			continue
		}
		if !found || s.Severity.Rank() > best.Severity.Rank() || (s.Severity == best.Severity && s.Base > best.Base) {
			best, found = s, true
		}
	}
	if found {
		return best, true
	}
	for _, s := range scores {
		if s.Error == "" && s.Severity != "" && (!found || s.Severity.Rank() > best.Severity.Rank()) {
			best, found = s, true
		}
	}
	return best, found
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
