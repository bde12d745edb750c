package vuln

import (
	"strings"
	"testing"
)

// ev builds events from "i:1.0 f:1.2 l:2.0 x:3.0" (introduced, fixed,
// last_affected, limit).
func ev(spec string) []Event {
	var out []Event
	for _, f := range strings.Fields(spec) {
		k, v, _ := strings.Cut(f, ":")
		kind := map[string]EventKind{"i": Introduced, "f": Fixed, "l": LastAffected, "x": Limit}[k]
		out = append(out, Event{Kind: kind, Version: v})
	}
	return out
}

func TestRangeEvaluation(t *testing.T) {
	tests := []struct {
		name      string
		eco       string
		typ       RangeType
		events    string
		versions  []string
		version   string
		want      bool
		wantFixed string
	}{
		{"semver below fix", "npm", RangeSemver, "i:0 f:1.0.2", nil, "1.0.1", true, "1.0.2"},
		{"semver at fix", "npm", RangeSemver, "i:0 f:1.0.2", nil, "1.0.2", false, ""},
		{"semver prerelease of fix is affected", "npm", RangeSemver, "i:0 f:1.0.2", nil, "1.0.2-rc.1", true, "1.0.2"},
		{"semver below introduced", "npm", RangeSemver, "i:1.0.0 f:1.0.2", nil, "0.9.9", false, ""},
		{"multiple ranges: second", "npm", RangeSemver, "i:1.0.0 f:1.0.2 i:3.0.0 f:3.2.5", nil, "3.1.0", true, "3.2.5"},
		{"multiple ranges: gap", "npm", RangeSemver, "i:1.0.0 f:1.0.2 i:3.0.0 f:3.2.5", nil, "2.0.0", false, ""},
		{"unsorted events are sorted", "npm", RangeSemver, "f:3.2.5 i:3.0.0 f:1.0.2 i:1.0.0", nil, "1.0.1", true, "1.0.2"},
		{"last_affected inclusive", "PyPI", RangeEcosystem, "i:0 l:2.1.214", nil, "2.1.214", true, ""},
		{"last_affected above", "PyPI", RangeEcosystem, "i:0 l:2.1.214", nil, "2.1.215", false, ""},
		{"limit bounds the range", "npm", RangeSemver, "i:1.0.0 x:2.0.0", nil, "2.5.0", false, ""},
		{"limit star", "npm", RangeSemver, "i:1.0.0 x:*", nil, "9.0.0", true, ""},
		{"unfixed", "Go", RangeSemver, "i:0", nil, "1.99.0", true, ""},
		{"go v prefix", "Go", RangeSemver, "i:0 f:0.17.0", nil, "v0.16.0", true, "0.17.0"},
		{"pypi pre-release ordering", "PyPI", RangeEcosystem, "i:0 f:2.0.0", nil, "2.0.0rc1", true, "2.0.0"},
		{"pypi post release", "PyPI", RangeEcosystem, "i:0 f:2.0.0", nil, "2.0.0.post1", false, ""},
		{"maven qualifiers", "Maven", RangeEcosystem, "i:2.0-beta9 f:2.15.0", nil, "2.14.1", true, "2.15.0"},
		{"maven final == release", "Maven", RangeEcosystem, "i:0 f:2.15.0", nil, "2.15.0.Final", false, ""},
		{"debian epoch", "Debian:12", RangeEcosystem, "i:0 f:1:2.3-4", nil, "2.9-1", true, "1:2.3-4"},
		{"debian tilde", "Debian:12", RangeEcosystem, "i:0 f:3.0.11-1~deb12u2", nil, "3.0.11-1~deb12u1", true, "3.0.11-1~deb12u2"},
		{"alpine revision", "Alpine:v3.18", RangeEcosystem, "i:0 f:3.1.4-r1", nil, "3.1.4-r0", true, "3.1.4-r1"},
		{"rpm release", "Red Hat", RangeEcosystem, "i:0 f:1:1.1.1k-7.el8_6", nil, "1:1.1.1k-6.el8_5", true, "1:1.1.1k-7.el8_6"},
		{"nuget", "NuGet", RangeEcosystem, "i:0 f:13.0.1", nil, "12.0.3", true, "13.0.1"},
		{"rubygems pre", "RubyGems", RangeEcosystem, "i:0 f:6.1.7.1", nil, "6.1.7.1.rc1", true, "6.1.7.1"},
		{"cargo", "crates.io", RangeSemver, "i:0.1.0 f:0.1.11", nil, "0.1.10", true, "0.1.11"},
		{"versions list only", "npm", RangeUnknown, "", []string{"1.2.3", "1.2.4"}, "1.2.4", true, ""},
		{"versions list miss", "npm", RangeUnknown, "", []string{"1.2.3"}, "1.2.5", false, ""},
		{"git range: versions decide", "OSS-Fuzz", RangeGit, "i:abc f:def", []string{"v1.0"}, "1.0", true, ""},
		{"range with no introduced is ignored", "npm", RangeSemver, "f:1.0.0", nil, "0.5.0", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			af := Affected{Ecosystem: tt.eco, Name: "p", Versions: tt.versions}
			if tt.events != "" {
				af.Ranges = []Range{{Type: tt.typ, Events: ev(tt.events)}}
			}
			ix := NewIndex([]Advisory{{ID: "OSV-1"}}, []Affected{af})
			hits, _ := ix.Query(Package{Ecosystem: baseEcosystem(tt.eco), Name: "p", Version: tt.version})
			got := len(hits) == 1
			if got != tt.want {
				t.Fatalf("affected = %v, want %v", got, tt.want)
			}
			if got && hits[0].Fixed != tt.wantFixed {
				t.Errorf("fixed = %q, want %q", hits[0].Fixed, tt.wantFixed)
			}
		})
	}
}

func TestUndecided(t *testing.T) {
	// A GIT range without a versions list cannot be evaluated from a
	// version: it is reported, not taken as clean.
	ix := NewIndex([]Advisory{{ID: "OSV-GIT"}}, []Affected{{Ecosystem: "npm", Name: "p",
		Ranges: []Range{{Type: RangeGit, Repo: "https://example.com/r", Events: ev("i:abc f:def")}}}})
	hits, und := ix.Query(Package{Ecosystem: "npm", Name: "p", Version: "1.0.0"})
	if len(hits) != 0 || len(und) != 1 || und[0] != "OSV-GIT" {
		t.Fatalf("hits %v undecided %v", hits, und)
	}
	// An unparseable Debian version is undecided too.
	ix = NewIndex([]Advisory{{ID: "DSA-1"}}, []Affected{{Ecosystem: "Debian:12", Name: "p",
		Ranges: []Range{{Type: RangeEcosystem, Events: ev("i:0 f:1.0-1")}}}})
	hits, und = ix.Query(Package{Ecosystem: "Debian", Name: "p", Version: ":1"})
	if len(hits) != 0 || len(und) != 1 {
		t.Fatalf("hits %v undecided %v", hits, und)
	}
}

func TestReleaseFilter(t *testing.T) {
	ix := NewIndex([]Advisory{{ID: "DSA-11"}, {ID: "DSA-12"}}, []Affected{
		{Advisory: 0, Ecosystem: "Debian:11", Name: "openssl", Ranges: []Range{{Type: RangeEcosystem, Events: ev("i:0 f:1.1.1w-0+deb11u1")}}},
		{Advisory: 1, Ecosystem: "Debian:12", Name: "openssl", Ranges: []Range{{Type: RangeEcosystem, Events: ev("i:0 f:3.0.11-1~deb12u2")}}},
	})
	hits, _ := ix.Query(Package{Ecosystem: "Debian", Release: "12", Name: "openssl", Version: "3.0.11-1~deb12u1"})
	if len(hits) != 1 || hits[0].Advisory.ID != "DSA-12" {
		t.Fatalf("hits = %+v", hits)
	}
	// Without a release both apply (each evaluated on its own).
	hits, _ = ix.Query(Package{Ecosystem: "Debian", Name: "openssl", Version: "1.1.1n-0+deb11u4"})
	if len(hits) != 2 {
		t.Fatalf("hits = %d, want 2", len(hits))
	}
}

func FuzzRangeEvaluation(f *testing.F) {
	f.Add("npm", "i:0 f:1.0.2", "1.0.1")
	f.Add("PyPI", "i:1.0a1 l:2.0.post1", "1.5")
	f.Add("Debian", "i:0 f:1:2.3-4~x", "1:2.3-3")
	f.Add("Maven", "i:2.0-beta9 f:2.15.0 x:*", "2.14.1-SNAPSHOT")
	f.Add("Alpine", "i:0 f:3.1.4-r1", "3.1.4_rc1-r0")
	f.Add("Red Hat", "i:0 f:1:1.1.1k-7.el8_6", "~~")
	f.Add("RubyGems", "i:0 f:6.1.7.1", "6.1.7.1.rc1")
	f.Fuzz(func(t *testing.T, eco, events, version string) {
		if len(events) > 1000 || len(version) > 200 {
			return
		}
		for _, typ := range []RangeType{RangeSemver, RangeEcosystem} {
			ix := NewIndex([]Advisory{{ID: "X"}}, []Affected{{Ecosystem: eco, Name: "p", Versions: []string{version},
				Ranges: []Range{{Type: typ, Events: ev(events)}}}})
			ix.Query(Package{Ecosystem: baseEcosystem(eco), Name: "p", Version: version})
		}
	})
}
