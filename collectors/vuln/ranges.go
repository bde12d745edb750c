package vuln

import (
	"errors"
	"sort"
	"strings"
	"sync"

	"github.com/google/osv-scalibr/semantic"
)

// versionParser parses versions of one ordering: an ecosystem's own, or
// SemVer 2.0 for SEMVER ranges.
type versionParser func(string) (semantic.Version, error)

var parsers sync.Map // base ecosystem -> versionParser (nil when unsupported)

// ecosystemParser is the version ordering of an ecosystem, nil when the
// semantic package does not know it.
func ecosystemParser(eco string) versionParser {
	base := baseEcosystem(eco)
	if p, ok := parsers.Load(base); ok {
		return p.(versionParser)
	}
	p := newEcosystemParser(base)
	parsers.Store(base, p)
	return p
}

func newEcosystemParser(base string) versionParser {
	if base == "GitHub Actions" {
		// Actions are tagged with semver-like versions.
		base = "Go"
	}
	if _, err := semantic.Parse("0", base); errors.Is(err, semantic.ErrUnsupportedEcosystem) {
		return nil
	}
	return func(s string) (v semantic.Version, err error) {
		defer func() {
			if r := recover(); r != nil {
				v, err = nil, semantic.ErrInvalidVersion
			}
		}()
		return semantic.Parse(s, base)
	}
}

func semverParser(s string) (semantic.Version, error) {
	return semantic.ParseSemverVersion(s), nil
}

// pevent is a parsed event.
type pevent struct {
	kind EventKind
	raw  string
	v    semantic.Version
	// zero is introduced "0"; inf is a limit containing "*".
	zero, inf bool
}

// prange is a range with its events parsed and sorted.
type prange struct {
	typ    RangeType
	events []pevent
	// ok is false when an event did not parse or the type cannot be
	// evaluated without more data (GIT): only `versions` then decide.
	ok bool
}

func parseRange(r Range, eco, sem versionParser) prange {
	pr := prange{typ: r.Type}
	var parse versionParser
	switch r.Type {
	case RangeSemver:
		parse = sem
	case RangeEcosystem:
		parse = eco
	}
	if parse == nil {
		return pr
	}
	pr.events = make([]pevent, 0, len(r.Events))
	hasIntroduced := false
	for _, e := range r.Events {
		pe := pevent{kind: e.Kind, raw: e.Version}
		switch {
		case e.Kind == Introduced && e.Version == "0":
			pe.zero = true
		case e.Kind == Limit && strings.Contains(e.Version, "*"):
			pe.inf = true
		default:
			v, err := parse(e.Version)
			if err != nil || v == nil {
				return pr
			}
			pe.v = v
		}
		if e.Kind == Introduced {
			hasIntroduced = true
		}
		pr.events = append(pr.events, pe)
	}
	if !hasIntroduced {
		return pr
	}
	ok := true
	sort.SliceStable(pr.events, func(i, j int) bool {
		c, err := cmpEvent(pr.events[i], pr.events[j])
		if err != nil {
			ok = false
		}
		return c < 0
	})
	pr.ok = ok
	return pr
}

func cmpEvent(a, b pevent) (int, error) {
	switch {
	case a.zero && b.zero, a.inf && b.inf:
		return 0, nil
	case a.zero || b.inf:
		return -1, nil
	case b.zero || a.inf:
		return 1, nil
	}
	return a.v.Compare(b.v)
}

// includes evaluates one parsed range for version v per the OSV schema's
// evaluation pseudocode. It also returns the version that fixes v (the
// first `fixed` event above it), when there is one.
func (pr *prange) includes(v semantic.Version) (affected bool, fixed string, ok bool) {
	if !pr.ok || v == nil {
		return false, "", false
	}
	// BeforeLimits: with no limit events an implicit "*" applies.
	hasLimit, before := false, false
	for _, e := range pr.events {
		if e.kind != Limit {
			continue
		}
		hasLimit = true
		if e.inf {
			before = true
			continue
		}
		if c, err := v.Compare(e.v); err == nil && c < 0 {
			before = true
		}
	}
	if hasLimit && !before {
		return false, "", true
	}
	vulnerable := false
	for _, e := range pr.events {
		switch e.kind {
		case Introduced:
			if e.zero {
				vulnerable = true
			} else if c, err := v.Compare(e.v); err == nil && c >= 0 {
				vulnerable = true
			}
		case Fixed:
			if c, err := v.Compare(e.v); err == nil && c >= 0 {
				vulnerable = false
			}
		case LastAffected:
			if c, err := v.Compare(e.v); err == nil && c > 0 {
				vulnerable = false
			}
		}
	}
	if !vulnerable {
		return false, "", true
	}
	for _, e := range pr.events {
		if e.kind != Fixed {
			continue
		}
		if c, err := v.Compare(e.v); err == nil && c < 0 {
			return true, e.raw, true
		}
	}
	return true, "", true
}

// inVersions is the schema's IncludedInVersions, tolerant of a leading "v"
// (Go module versions and git tags carry one, SEMVER events do not).
func inVersions(versions []string, v string) bool {
	if v == "" {
		return false
	}
	nv := strings.TrimPrefix(v, "v")
	for _, s := range versions {
		if s == v || strings.TrimPrefix(s, "v") == nv {
			return true
		}
	}
	return false
}
