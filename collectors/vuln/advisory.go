package vuln

import (
	"strings"

	"github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"
)

// Advisory is the part of an OSV record that matching and reporting need,
// compact enough to index hundreds of thousands and to cache with gob.
type Advisory struct {
	ID      string
	Aliases []string
	Summary string
	// Modified is the record's modified time, Unix seconds (0 if absent).
	Modified int64
	// Scores are the record-level severities, scored.
	Scores []Score
}

// Affected is one affected[] entry of an advisory.
type Affected struct {
	// Advisory indexes Index.Advisories.
	Advisory int32
	// Ecosystem is as written ("Debian:12", "PyPI"); Name as written.
	Ecosystem string
	Name      string
	Ranges    []Range
	Versions  []string
	// Scores are package-level severities, when the record has them.
	Scores []Score
}

// RangeType is an OSV range type.
type RangeType uint8

// Range types of the OSV schema.
const (
	RangeUnknown RangeType = iota
	RangeSemver
	RangeEcosystem
	RangeGit
)

func (t RangeType) String() string {
	switch t {
	case RangeSemver:
		return "SEMVER"
	case RangeEcosystem:
		return "ECOSYSTEM"
	case RangeGit:
		return "GIT"
	}
	return "UNKNOWN"
}

// EventKind is the kind of one range event.
type EventKind uint8

// Event kinds of the OSV schema.
const (
	Introduced EventKind = iota + 1
	Fixed
	LastAffected
	Limit
)

// Range is one affected[].ranges[] entry.
type Range struct {
	Type   RangeType
	Repo   string
	Events []Event
}

// Event is one range event: its kind and version.
type Event struct {
	Kind    EventKind
	Version string
}

// decodeOptions read OSV with unknown fields (and unknown enum names, from a
// newer schema) ignored, and a nesting bound.
var decodeOptions = protojson.UnmarshalOptions{DiscardUnknown: true, RecursionLimit: 64}

// ParseOSV decodes one OSV JSON record with the official bindings.
func ParseOSV(b []byte) (*osvschema.Vulnerability, error) {
	v := &osvschema.Vulnerability{}
	if err := decodeOptions.Unmarshal(b, v); err != nil {
		return nil, err
	}
	if v.GetId() == "" {
		return nil, errNoID
	}
	return v, nil
}

// compact turns a decoded record into the indexable form. Withdrawn records
// return ok=false.
func compact(v *osvschema.Vulnerability) (Advisory, []Affected, bool) {
	a := Advisory{ID: v.GetId(), Aliases: v.GetAliases(), Summary: truncate(v.GetSummary(), 300)}
	if m := v.GetModified(); m != nil {
		a.Modified = m.GetSeconds()
	}
	if w := v.GetWithdrawn(); w != nil && (w.GetSeconds() != 0 || w.GetNanos() != 0) {
		return Advisory{ID: a.ID, Modified: a.Modified}, nil, false
	}
	a.Scores = scores(v.GetSeverity())
	if len(a.Scores) == 0 {
		// GitHub's advisories carry a severity word; use it when no vector.
		if ds := v.GetDatabaseSpecific(); ds != nil {
			if f := ds.GetFields()["severity"]; f != nil && f.GetStringValue() != "" {
				a.Scores = append(a.Scores, ScoreSeverity("database", f.GetStringValue()))
			}
		}
	}
	var affs []Affected
	for _, af := range v.GetAffected() {
		p := af.GetPackage()
		out := Affected{Versions: af.GetVersions(), Scores: scores(af.GetSeverity())}
		if p != nil {
			out.Ecosystem, out.Name = p.GetEcosystem(), p.GetName()
		}
		for _, r := range af.GetRanges() {
			rr := Range{Repo: r.GetRepo()}
			switch r.GetType() {
			case osvschema.Range_SEMVER:
				rr.Type = RangeSemver
			case osvschema.Range_ECOSYSTEM:
				rr.Type = RangeEcosystem
			case osvschema.Range_GIT:
				rr.Type = RangeGit
			}
			for _, e := range r.GetEvents() {
				switch {
				case e.GetIntroduced() != "":
					rr.Events = append(rr.Events, Event{Introduced, e.GetIntroduced()})
				case e.GetFixed() != "":
					rr.Events = append(rr.Events, Event{Fixed, e.GetFixed()})
				case e.GetLastAffected() != "":
					rr.Events = append(rr.Events, Event{LastAffected, e.GetLastAffected()})
				case e.GetLimit() != "":
					rr.Events = append(rr.Events, Event{Limit, e.GetLimit()})
				}
			}
			out.Ranges = append(out.Ranges, rr)
		}
		if out.Name == "" && len(out.Versions) == 0 && len(out.Ranges) == 0 {
			continue
		}
		affs = append(affs, out)
	}
	return a, affs, true
}

func scores(sev []*osvschema.Severity) []Score {
	var out []Score
	for _, s := range sev {
		if s.GetScore() == "" {
			continue
		}
		typ := s.GetType().String()
		out = append(out, ScoreSeverity(typ, s.GetScore()))
	}
	return out
}

// IDs lists the advisory id and its aliases.
func (a *Advisory) IDs() []string {
	return append([]string{a.ID}, a.Aliases...)
}

// CVEs lists the CVE ids among the advisory id and aliases.
func (a *Advisory) CVEs() []string {
	var out []string
	for _, id := range a.IDs() {
		if strings.HasPrefix(strings.ToUpper(id), "CVE-") {
			out = append(out, strings.ToUpper(id))
		}
	}
	return out
}
