package collectors

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// Roles say what a target is, and so which collectors judge it. A clone of
// a project is source; its release folder is release; a folder of public
// keys is keys; a mirror of a registry or update channel is distribution.
// Detected (the default) lets every collector decide by content.
const (
	RoleDetected     = "detected"
	RoleRelease      = "release"
	RoleSource       = "source"
	RoleKeys         = "keys"
	RoleDistribution = "distribution"
)

// Roles lists the roles a target may take, in documentation order.
var Roles = []string{RoleRelease, RoleSource, RoleKeys, RoleDistribution, RoleDetected}

// roleCollectors is which collectors (by name) run on a target of a role;
// a role not listed (detected) runs them all. It is data so that what a
// role means can be read in one place.
var roleCollectors = map[string][]string{
	// What ships: artifacts, their checksums, SBOMs, signatures and
	// attestations, the keys beside them, their vulnerabilities.
	RoleRelease: {"files", "sbom", "signing", "keys", "vuln", "distribution"},
	// A source tree: history, pipelines, the SBOMs and keys it keeps, its
	// dependencies' vulnerabilities. Its binaries and attestations are not
	// a release.
	RoleSource: {"gitrepo", "ci", "forge", "sbom", "keys", "vuln"},
	// Signing infrastructure: keys and certificates only.
	RoleKeys: {"keys"},
	// A distribution channel: its metadata, what it serves and signs.
	RoleDistribution: {"distribution", "signing", "sbom", "files", "keys"},
}

// ValidRole reports whether r is a role ("" means detected).
func ValidRole(r string) bool {
	if r == "" {
		return true
	}
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// RoleRuns reports whether the collector named collector judges a target
// of role.
func RoleRuns(role, collector string) bool {
	names, ok := roleCollectors[role]
	if !ok {
		return true
	}
	for _, n := range names {
		// "distribution" names the family of channel collectors
		// (distribution-oci, distribution-tuf, ...).
		if n == collector || strings.HasPrefix(collector, n+"-") {
			return true
		}
	}
	return false
}

// DefaultExcludes are the folders that hold code or data that is not the
// product: tests' fixtures and data, vendored and installed dependencies.
// A pattern without a leading "/" matches at any depth.
var DefaultExcludes = []string{
	"testdata/", "test/fixtures/", "tests/fixtures/", "test/data/", "tests/data/", "spec/fixtures/",
	"__fixtures__/", "__tests__/", "__mocks__/", "fixtures/",
	// A fixtures folder under another name (.fixtures, test-fixtures,
	// e2e_fixtures) holds fixtures all the same.
	"*fixtures/",
	"vendor/", "node_modules/", "bower_components/", "third_party/", "third-party/", "thirdparty/",
	".venv/", "site-packages/",
	// Last, so a narrower rule above names what it covers: a project's
	// test tree holds the packages, wheels and binaries its tests install,
	// never what it releases (astral-sh/uv's test/links/*.whl).
	"test/", "tests/",
}

// Exclusion is a file left out of product judgements, and the rule that
// left it out.
type Exclusion struct {
	Path string
	// Rule is the pattern as written; defaults are prefixed "default:".
	Rule string
}

// excludeRule is one compiled pattern.
type excludeRule struct {
	label    string
	segs     []string
	anchored bool // leading "/": matches from the target root only
	dirOnly  bool // trailing "/": matches folders, so the files below them
}

// compileExclude checks and splits a glob. Patterns are slash-separated,
// relative to the target root; each segment is a path.Match pattern and
// "**" matches any number of folders.
func compileExclude(p, label string) (excludeRule, error) {
	r := excludeRule{label: label}
	q := strings.TrimSpace(p)
	if strings.HasPrefix(q, "/") {
		r.anchored, q = true, strings.TrimLeft(q, "/")
	}
	if strings.HasSuffix(q, "/") {
		r.dirOnly, q = true, strings.TrimRight(q, "/")
	}
	if q == "" || q == "." || strings.Contains(q, "\\") {
		return r, fmt.Errorf("exclude pattern %q: want a slash-separated glob such as testdata/ or **/*.golden", p)
	}
	for _, s := range strings.Split(q, "/") {
		if s == "" || s == "." || s == ".." {
			return r, fmt.Errorf("exclude pattern %q: empty, . or .. segment", p)
		}
		if _, err := path.Match(s, ""); err != nil {
			return r, fmt.Errorf("exclude pattern %q: %w", p, err)
		}
		r.segs = append(r.segs, s)
	}
	return r, nil
}

// matches reports whether the rule excludes the file at p.
func (r excludeRule) matches(p string) bool {
	segs := strings.Split(p, "/")
	starts := len(segs)
	if r.anchored {
		starts = 1
	}
	for i := 0; i < starts; i++ {
		if matchSegs(r.segs, segs[i:], r.dirOnly) {
			return true
		}
	}
	return false
}

// matchSegs matches pattern segments against a prefix of the path's: the
// prefix may be the whole path (a file) unless dirOnly, or a folder above it.
func matchSegs(pat, segs []string, dirOnly bool) bool {
	if len(pat) == 0 {
		// Matched a prefix: a folder when segments remain, else the file.
		return len(segs) > 0 || !dirOnly
	}
	if pat[0] == "**" {
		for k := 0; k <= len(segs); k++ {
			if matchSegs(pat[1:], segs[k:], dirOnly) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	if ok, _ := path.Match(pat[0], segs[0]); !ok {
		return false
	}
	return matchSegs(pat[1:], segs[1:], dirOnly)
}

// Exclude leaves out of Files, for every collector, the files a pattern
// matches (the user's patterns first, then DefaultExcludes unless
// noDefaults), and records them in Excluded with the rule that matched. A
// single-file target is what the user named: nothing is excluded from it.
// Repository metadata (.git) is never excluded: history is judged whole.
func (t *Target) Exclude(patterns []string, noDefaults bool) error {
	var rules []excludeRule
	for _, p := range patterns {
		r, err := compileExclude(p, p)
		if err != nil {
			return fmt.Errorf("target %s: %w", t.Name, err)
		}
		rules = append(rules, r)
	}
	if !noDefaults {
		for _, p := range DefaultExcludes {
			r, err := compileExclude(p, "default: "+p)
			if err != nil {
				return err
			}
			rules = append(rules, r)
		}
	}
	t.rules = rules
	if t.single || len(rules) == 0 {
		return nil
	}
	kept := t.Files[:0]
	for _, f := range t.Files {
		if rule := t.ExcludedBy(f.Path); rule != "" {
			t.Excluded = append(t.Excluded, Exclusion{Path: f.Path, Rule: rule})
			continue
		}
		kept = append(kept, f)
	}
	t.Files = kept
	return nil
}

// ExcludedBy names the rule that excludes the file at p (slash-separated,
// relative to the target root), or "" when none does. Collectors that find
// files other than through Files (a repository's HEAD tree) ask it.
func (t *Target) ExcludedBy(p string) string {
	if t.single {
		return ""
	}
	if InGitDir(p) {
		return ""
	}
	for _, r := range t.rules {
		if r.matches(p) {
			return r.label
		}
	}
	return ""
}

// ExclusionCount is how many files one rule excluded, with the first.
type ExclusionCount struct {
	Rule  string `json:"rule"`
	Files int    `json:"files"`
	First string `json:"first"`
}

// ExcludedByRule sums Excluded by rule, in rule order.
func (t *Target) ExcludedByRule() []ExclusionCount {
	idx := map[string]int{}
	var out []ExclusionCount
	for _, e := range t.Excluded {
		i, ok := idx[e.Rule]
		if !ok {
			i = len(out)
			idx[e.Rule] = i
			out = append(out, ExclusionCount{Rule: e.Rule, First: e.Path})
		}
		out[i].Files++
	}
	order := map[string]int{}
	for i, r := range t.rules {
		order[r.label] = i
	}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].Rule] < order[out[j].Rule] })
	return out
}

// InGitDir tells whether p (slash-separated) is a repository's .git file or
// lies in its .git folder: git's own metadata, which only the repository
// collector reads. Its text files (a partial clone's pack .promisor list of
// "<sha1> <ref>" lines, info/refs) look like checksum lists and name no
// product.
func InGitDir(p string) bool {
	return p == ".git" || strings.HasPrefix(p, ".git/") || strings.HasSuffix(p, "/.git") || strings.Contains(p, "/.git/")
}
