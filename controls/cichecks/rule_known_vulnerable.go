package cichecks

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"

	"github.com/pedigree-dev/pedigree/collectors/vuln"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

// actionsEcosystem is the OSV ecosystem of GitHub Actions.
const actionsEcosystem = "GitHub Actions"

// actionsData is the shipped snapshot: OSV records of the GitHub Actions
// ecosystem exactly as the GitHub Advisory Database publishes them, and
// what they are (SOURCES.md beside them gives each record's origin).
//
//go:embed data/github-actions/*.json data/github-actions/snapshot.yaml
var actionsData embed.FS

const actionsDataDir = "data/github-actions"

// ActionDB is the advisories known-vulnerable-action matches: OSV records
// of the GitHub Actions ecosystem, indexed with the vuln collector's index.
type ActionDB struct {
	// Source and Date say where the records come from and when they were
	// taken.
	Source, Date string
	ix           *vuln.Index
	// records, when set, are indexed on first use (the shipped snapshot:
	// a clean file or one without actions never pays for it).
	records [][]byte
	ixOnce  sync.Once
	ixErr   error
	// names maps an action's canonical name (lower case, without a
	// https://github.com/ prefix) to the names the records spell it with,
	// so that the many references without an advisory cost one lookup.
	names     map[string][]string
	namesOnce sync.Once
}

// index returns the database's index, building it on first use.
func (db *ActionDB) index() *vuln.Index {
	db.ixOnce.Do(func() {
		if db.records != nil {
			db.ix, db.ixErr = vuln.IndexRecords(db.records)
			db.records = nil
		}
	})
	return db.ix
}

// canonicalAction is the spelling actions are compared in: owners and
// repositories are case-insensitive on GitHub, and some advisories name the
// package by its URL (https://github.com/owner/repo/path).
func canonicalAction(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, p := range []string{"https://", "http://", "git+https://"} {
		n = strings.TrimPrefix(n, p)
	}
	n = strings.TrimPrefix(n, "www.")
	n = strings.TrimPrefix(n, "github.com/")
	n = strings.TrimSuffix(strings.TrimSuffix(n, "/"), ".git")
	return n
}

// spellings returns the names the records give the action (canonical
// spelling in), nil when no record names it.
func (db *ActionDB) spellings(name string) []string {
	if db.index() == nil {
		return nil
	}
	db.namesOnce.Do(func() {
		db.names = map[string][]string{}
		for i := range db.ix.Affected {
			af := &db.ix.Affected[i]
			if !strings.EqualFold(af.Ecosystem, actionsEcosystem) {
				continue
			}
			c := canonicalAction(af.Name)
			if !slices.Contains(db.names[c], af.Name) {
				db.names[c] = append(db.names[c], af.Name)
			}
		}
	})
	return db.names[name]
}

// snapshotMeta is snapshot.yaml: what the embedded records are.
type snapshotMeta struct {
	Source  string `yaml:"source"`
	Date    string `yaml:"date"`
	Records int    `yaml:"records"`
}

// DefaultActionDB is the snapshot shipped with pedigree (read once; the
// records are indexed on first use).
var DefaultActionDB = sync.OnceValue(func() *ActionDB {
	db, err := readActionsFS(actionsData, actionsDataDir)
	if err != nil {
		panic(err) // embedded data is tested
	}
	return db
})

// readActionsFS reads a folder of OSV records and its snapshot.yaml.
func readActionsFS(fsys fs.FS, dir string) (*ActionDB, error) {
	mb, err := fs.ReadFile(fsys, path.Join(dir, "snapshot.yaml"))
	if err != nil {
		return nil, err
	}
	var m snapshotMeta
	if err := yaml.Unmarshal(mb, &m); err != nil {
		return nil, fmt.Errorf("snapshot.yaml: %w", err)
	}
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	db := &ActionDB{Source: m.Source, Date: m.Date}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		db.records = append(db.records, b)
	}
	if m.Records != len(db.records) {
		return nil, fmt.Errorf("snapshot.yaml says %d records, the folder holds %d", m.Records, len(db.records))
	}
	return db, nil
}

// osvSnapshot is the single-file form: OSV records with their origin.
type osvSnapshot struct {
	Source  string            `json:"source"`
	Date    string            `json:"date"`
	Records []json.RawMessage `json:"records"`
}

// ParseActionSnapshot reads a snapshot file: {"source", "date", "records":
// [OSV records]}.
func ParseActionSnapshot(name string, b []byte) (*ActionDB, error) {
	var s osvSnapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	recs := make([][]byte, len(s.Records))
	for i, r := range s.Records {
		recs[i] = r
	}
	ix, err := vuln.IndexRecords(recs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &ActionDB{Source: cmpOr(s.Source, name), Date: s.Date, ix: ix}, nil
}

// ActionDBFromIndex uses an OSV database the vuln collector loaded (its
// GitHub Actions records).
func ActionDBFromIndex(ix *vuln.Index, source string) *ActionDB {
	return &ActionDB{Source: source, ix: ix}
}

// Advisories is the hand-written list format `ci: advisories:` accepts.
type Advisories struct {
	Source     string     `yaml:"source"`
	Date       string     `yaml:"date"`
	Advisories []Advisory `yaml:"advisories"`
}

// Advisory is one hand-written advisory against one action: versions
// before Fixed (at or after Introduced), the listed Versions, or the
// listed Commits.
type Advisory struct {
	ID         string   `yaml:"id"`
	Action     string   `yaml:"action"`
	Introduced string   `yaml:"introduced"`
	Fixed      string   `yaml:"fixed"`
	Versions   []string `yaml:"versions"`
	Commits    []string `yaml:"commits"`
	Summary    string   `yaml:"summary"`
}

// Bounds of an advisory zip read from memory: osv.dev's GitHub Actions
// export is a few hundred small records; these stop a zip bomb, not it.
const (
	maxZipMembers     = 200_000
	maxZipMemberBytes = 4 << 20
	maxZipTotalBytes  = 512 << 20
)

// ParseAdvisories reads an advisory file: a zip of OSV records (osv.dev's
// GitHub Actions/all.zip), OSV JSON (a snapshot object, an array of records
// or one record) or the hand-written YAML list.
func ParseAdvisories(name string, b []byte) (*ActionDB, error) {
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) || bytes.HasPrefix(b, []byte("PK\x05\x06")) {
		return parseAdvisoryZip(name, b)
	}
	t := bytes.TrimSpace(b)
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		if t[0] == '{' && bytes.Contains(t, []byte(`"records"`)) {
			return ParseActionSnapshot(name, b)
		}
		var recs []json.RawMessage
		if t[0] == '[' {
			if err := json.Unmarshal(t, &recs); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		} else {
			recs = []json.RawMessage{t}
		}
		raw := make([][]byte, len(recs))
		for i, r := range recs {
			raw[i] = r
		}
		ix, err := vuln.IndexRecords(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return &ActionDB{Source: name, ix: ix}, nil
	}
	var a Advisories
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var advs []vuln.Advisory
	var affs []vuln.Affected
	for i, x := range a.Advisories {
		if x.ID == "" || x.Action == "" {
			return nil, fmt.Errorf("%s: advisories[%d]: id and action are required", name, i)
		}
		if x.Fixed == "" && len(x.Versions) == 0 && len(x.Commits) == 0 {
			return nil, fmt.Errorf("%s: advisories[%d] (%s): give fixed, versions or commits", name, i, x.ID)
		}
		af := vuln.Affected{Advisory: int32(len(advs)), Ecosystem: actionsEcosystem, Name: x.Action, Versions: x.Versions}
		if x.Fixed != "" {
			af.Ranges = append(af.Ranges, vuln.Range{Type: vuln.RangeEcosystem, Events: []vuln.Event{
				{Kind: vuln.Introduced, Version: cmpOr(x.Introduced, "0")}, {Kind: vuln.Fixed, Version: x.Fixed}}})
		}
		for _, c := range x.Commits {
			af.Ranges = append(af.Ranges, vuln.Range{Type: vuln.RangeGit, Events: []vuln.Event{
				{Kind: vuln.Introduced, Version: c}, {Kind: vuln.LastAffected, Version: c}}})
		}
		advs = append(advs, vuln.Advisory{ID: x.ID, Summary: x.Summary})
		affs = append(affs, af)
	}
	return &ActionDB{Source: cmpOr(a.Source, name), Date: a.Date, ix: vuln.NewIndex(advs, affs)}, nil
}

// parseAdvisoryZip reads every .json member of a zip as one OSV record.
func parseAdvisoryZip(name string, b []byte) (*ActionDB, error) {
	// The member count is checked from the directory's end record before
	// archive/zip allocates a header per member; a zip it cannot read is
	// left to archive/zip's own error below.
	if n, err := readlimit.ZipEntries(bytes.NewReader(b), int64(len(b))); err == nil && n > maxZipMembers {
		return nil, fmt.Errorf("%s: %d members, more than %d", name, n, maxZipMembers)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable zip: %w", name, err)
	}
	if len(zr.File) > maxZipMembers {
		return nil, fmt.Errorf("%s: %d members, more than %d", name, len(zr.File), maxZipMembers)
	}
	var recs [][]byte
	var total int64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.EqualFold(path.Ext(f.Name), ".json") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, f.Name, err)
		}
		rb, err := io.ReadAll(io.LimitReader(rc, maxZipMemberBytes+1))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, f.Name, err)
		}
		if len(rb) > maxZipMemberBytes {
			return nil, fmt.Errorf("%s: %s: larger than %d bytes", name, f.Name, maxZipMemberBytes)
		}
		if total += int64(len(rb)); total > maxZipTotalBytes {
			return nil, fmt.Errorf("%s: records larger than %d bytes in all", name, maxZipTotalBytes)
		}
		recs = append(recs, rb)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: the zip holds no .json record", name)
	}
	ix, err := vuln.IndexRecords(recs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &ActionDB{Source: name, ix: ix}, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// actionHit is one advisory affecting one action reference.
type actionHit struct {
	ID, Summary, Fixed string
	// How says what decided it: the tag, the pinned commit, the version
	// comment beside a pinned commit, or a range open to every version.
	How string
	Sev evidence.Severity
}

// actionUndecided is an advisory that names the action but whose data
// cannot say whether the reference is affected (a commit the advisory does
// not list, with no version comment naming its tag).
type actionUndecided struct {
	ID, Why string
}

// verdict of one advisory for one reference.
type verdict uint8

const (
	notAffected verdict = iota
	affected
	undecided
)

// candidates are the canonical names an advisory may give a reference:
// the action as written (a composite action or reusable workflow in a
// sub-folder: owner/repo/path) and its repository, whose tags it shares.
func candidates(name string) []string {
	c := canonicalAction(name)
	out := []string{c}
	if i := strings.IndexByte(c, '/'); i >= 0 {
		if j := strings.IndexByte(c[i+1:], '/'); j >= 0 {
			out = append(out, c[:i+1+j])
		}
	}
	return out
}

// lookup matches owner/repo[/path] at ref (a tag, a branch or a commit;
// ver is the version comment beside a commit pin, if any). It returns the
// advisories affecting the reference and those naming the action that
// cannot be decided for it.
func (db *ActionDB) lookup(name, ref, ver string) ([]actionHit, []actionUndecided) {
	if db == nil || db.index() == nil {
		return nil, nil
	}
	var hits []actionHit
	var unds []actionUndecided
	seen := map[string]bool{}
	for _, cn := range candidates(name) {
		for _, raw := range db.spellings(cn) {
			for _, g := range db.byAdvisory(raw) {
				if seen[g.adv.ID] {
					continue
				}
				h, why, v := db.judge(raw, g, ref, ver)
				switch v {
				case affected:
					seen[g.adv.ID] = true
					hits = append(hits, h)
				case undecided:
					seen[g.adv.ID] = true
					unds = append(unds, actionUndecided{ID: g.adv.ID, Why: why})
				}
			}
		}
	}
	return hits, unds
}

// advGroup is one advisory's affected entries for one package name.
type advGroup struct {
	adv     *vuln.Advisory
	entries []*vuln.Affected
}

// byAdvisory groups the entries naming raw (as the records spell it) by
// advisory, in index order.
func (db *ActionDB) byAdvisory(raw string) []advGroup {
	var out []advGroup
	pos := map[int32]int{}
	for _, af := range db.ix.Entries(actionsEcosystem, raw) {
		if !strings.EqualFold(af.Name, raw) {
			continue
		}
		i, ok := pos[af.Advisory]
		if !ok {
			i = len(out)
			pos[af.Advisory] = i
			out = append(out, advGroup{adv: &db.ix.Advisories[af.Advisory]})
		}
		out[i].entries = append(out[i].entries, af)
	}
	return out
}

// judge decides one advisory for one reference.
func (db *ActionDB) judge(raw string, g advGroup, ref, ver string) (actionHit, string, verdict) {
	hit := actionHit{ID: g.adv.ID, Summary: g.adv.Summary, Sev: advisorySeverity(g.adv)}
	switch {
	case isSHA(ref):
		if byCommit(g.entries, ref) {
			hit.How = "the pinned commit"
			return hit, "", affected
		}
		if fixedByCommit(g.entries, ref) {
			return hit, "", notAffected
		}
		if ver != "" {
			h, why, v := db.byTag(raw, g, ver)
			h.How = "the version comment " + ver
			if v == undecided {
				why = "the version comment " + ver + ": " + why
			}
			return h, why, v
		}
		if allVersions(g.entries) {
			hit.How = "an advisory affecting every version"
			return hit, "", affected
		}
		return hit, "the advisory lists no commits and no version comment names the pinned commit's tag", undecided
	default:
		return db.byTag(raw, g, ref)
	}
}

// byTag judges a tag or branch. A full version (v1.2.3) is evaluated by the
// vuln index as the advisory's ranges say; a partial tag (v4, v4.1) and a
// branch follow the newest release of their line (of every release, for a
// branch): affected when every release the line can reach at its newest is,
// undecided when the advisory's bounds fall inside the line.
func (db *ActionDB) byTag(raw string, g advGroup, ref string) (actionHit, string, verdict) {
	hit := actionHit{ID: g.adv.ID, Summary: g.adv.Summary, Sev: advisorySeverity(g.adv), How: "the tag " + ref}
	v, n, ok := parseVersion(ref)
	if ok && n == 3 {
		hits, unds := db.ix.Query(vuln.Package{Ecosystem: actionsEcosystem, Name: raw, Version: ref})
		for _, h := range hits {
			if h.Advisory.ID == g.adv.ID {
				hit.Fixed = h.Fixed
				return hit, "", affected
			}
		}
		if slices.Contains(unds, g.adv.ID) {
			return hit, "its ranges cannot be evaluated at " + ref, undecided
		}
		return hit, "", notAffected
	}
	lo, hi := [3]int{}, [3]int{-1}
	if ok {
		lo = v
		hi = v
		hi[n-1]++
		for i := n; i < 3; i++ {
			hi[i] = 0
		}
	} else {
		hit.How = "the branch " + ref
	}
	res, fixed := lineVerdict(g.entries, lo, hi)
	hit.Fixed = fixed
	why := ""
	if res == undecided {
		if ok {
			why = "a bound of the advisory falls inside the " + ref + " line, whose newest release is not known here"
		} else {
			why = "the advisory's last affected version may or may not be the branch " + ref + "'s code"
		}
	}
	return hit, why, res
}

// lineVerdict judges the newest release N of the line [lo, hi) (hi[0] == -1:
// unbounded) against the entries' ECOSYSTEM and SEMVER ranges. N is at or
// above every release of the line, so a fix released inside the line is in
// N, and an introducing release inside it reaches N.
func lineVerdict(entries []*vuln.Affected, lo, hi [3]int) (verdict, string) {
	below := func(x [3]int) bool { return hi[0] == -1 || cmpVer(x, hi) < 0 }
	res := notAffected
	for _, af := range entries {
		evaluated := false
		for _, r := range af.Ranges {
			if r.Type != vuln.RangeEcosystem && r.Type != vuln.RangeSemver {
				continue
			}
			segs, ok := segments(r.Events)
			if !ok {
				res = max(res, undecided)
				continue
			}
			evaluated = true
			for _, s := range segs {
				if !below(s.from) {
					continue // the segment starts after the line
				}
				switch {
				case s.open:
					return affected, ""
				case s.fixed:
					if !below(s.to) {
						return affected, s.raw
					}
					// Fixed inside or before the line: N carries the fix.
				default: // last_affected
					if !below(s.to) {
						return affected, ""
					}
					if cmpVer(s.to, lo) >= 0 {
						res = max(res, undecided)
					}
				}
			}
		}
		for _, x := range af.Versions {
			if xv, _, ok := parseVersion(x); ok && cmpVer(xv, lo) >= 0 && below(xv) {
				res = max(res, undecided) // N may be the listed version
			}
		}
		if !evaluated && len(af.Versions) == 0 {
			res = max(res, undecided) // GIT ranges only: commits, not tags
		}
	}
	return res, ""
}

// segment is one affected interval of a range: from its introduced
// version up to a fix (exclusive), a last affected version (inclusive) or
// open.
type segment struct {
	from, to    [3]int
	raw         string
	open, fixed bool
}

// segments reads a range's events as introduced/end pairs. ok is false
// when a version is not a plain x.y.z or the events are not in that form.
func segments(evs []vuln.Event) ([]segment, bool) {
	var out []segment
	var cur *segment
	for _, e := range evs {
		switch e.Kind {
		case vuln.Introduced:
			if cur != nil {
				return nil, false
			}
			s := segment{open: true}
			if e.Version != "0" {
				v, _, ok := parseVersion(e.Version)
				if !ok {
					return nil, false
				}
				s.from = v
			}
			cur = &s
		case vuln.Fixed, vuln.LastAffected:
			if cur == nil {
				return nil, false
			}
			v, _, ok := parseVersion(e.Version)
			if !ok {
				return nil, false
			}
			cur.to, cur.raw, cur.open, cur.fixed = v, e.Version, false, e.Kind == vuln.Fixed
			out = append(out, *cur)
			cur = nil
		default:
			return nil, false // limit events: not in GitHub's records
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out, len(out) > 0
}

func cmpVer(a, b [3]int) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// byCommit says whether an entry names the commit: in its versions, or as
// an introduced or last-affected event of a GIT range (the commit itself
// is then affected).
func byCommit(entries []*vuln.Affected, sha string) bool {
	for _, af := range entries {
		for _, v := range af.Versions {
			if strings.EqualFold(v, sha) {
				return true
			}
		}
	}
	return gitEvent(entries, sha, vuln.Introduced, vuln.LastAffected)
}

// fixedByCommit says whether the commit is a GIT range's fix (or limit):
// that commit is not affected.
func fixedByCommit(entries []*vuln.Affected, sha string) bool {
	return gitEvent(entries, sha, vuln.Fixed, vuln.Limit)
}

// gitEvent says whether an entry's GIT range has an event of kind a or b
// at the commit.
func gitEvent(entries []*vuln.Affected, sha string, a, b vuln.EventKind) bool {
	for _, af := range entries {
		for _, r := range af.Ranges {
			if r.Type != vuln.RangeGit {
				continue
			}
			for _, e := range r.Events {
				if (e.Kind == a || e.Kind == b) && strings.EqualFold(e.Version, sha) {
					return true
				}
			}
		}
	}
	return false
}

// allVersions says whether an entry affects every version (a range
// introduced at 0 with no end): every commit is then affected too.
func allVersions(entries []*vuln.Affected) bool {
	for _, af := range entries {
		for _, r := range af.Ranges {
			if r.Type != vuln.RangeEcosystem && r.Type != vuln.RangeSemver {
				continue
			}
			if len(r.Events) == 1 && r.Events[0].Kind == vuln.Introduced && r.Events[0].Version == "0" {
				return true
			}
		}
	}
	return false
}

// advisorySeverity is the advisory's own severity, high when it has none.
func advisorySeverity(a *vuln.Advisory) evidence.Severity {
	if s, ok := vuln.Worst(a.Scores); ok && s.Severity != "" {
		return s.Severity
	}
	return evidence.High
}

// NewKnownVulnerableAction flags actions at versions with a known advisory,
// from the shipped OSV snapshot.
func NewKnownVulnerableAction() *Rule {
	return NewKnownVulnerableActionWith(DefaultActionDB())
}

// NewKnownVulnerableActionWith matches against the given databases (the
// shipped snapshot, a configured OSV database, a hand-written list).
func NewKnownVulnerableActionWith(dbs ...*ActionDB) *Rule {
	var sources []string
	for _, db := range dbs {
		if db == nil {
			continue
		}
		s := db.Source
		if db.Date != "" {
			s += ", " + db.Date
		}
		sources = append(sources, s)
	}
	return &Rule{
		ID:    "known-vulnerable-action",
		Title: "Action version with a known advisory",
		Rationale: "An action runs with the job's token and secrets; a version with a published vulnerability (or a " +
			"compromised release) exposes them. Source: " + strings.Join(sources, "; ") + ".",
		Remediation: "Upgrade to a fixed version and pin its commit SHA.",
		Severity:    evidence.High,
		Platforms:   github,
		judge: func(c *Context) {
			// Undecided references, grouped so that a pin repeated on many
			// lines is named once with its lines.
			type undKey struct{ ref, id, why string }
			var undOrder []undKey
			undLines := map[undKey][]string{}
			check := func(s *actionlint.String) {
				if s == nil {
					return
				}
				name, ref, ok := splitUses(s.Value)
				if !ok || ref == "" {
					return
				}
				ver := ""
				if isSHA(ref) {
					if m := versionComment.FindStringSubmatch(c.P.Source.Line(valuePos(c.P.Source, s).Line)); m != nil {
						ver = m[1]
					}
				}
				seen := map[string]bool{}
				for _, db := range dbs {
					hits, und := db.lookup(name, ref, ver)
					for _, h := range hits {
						if seen[h.ID] {
							continue
						}
						seen[h.ID] = true
						fix := ""
						if h.Fixed != "" {
							fix = "; fixed in " + h.Fixed
						}
						c.Report(valuePos(c.P.Source, s), h.Sev, "%s@%s is affected by %s (by %s): %s%s", strings.ToLower(name), ref, h.ID, h.How, h.Summary, fix)
					}
					for _, u := range und {
						if seen[u.ID] {
							continue
						}
						seen[u.ID] = true
						k := undKey{strings.ToLower(name) + "@" + ref, u.ID, u.Why}
						if _, ok := undLines[k]; !ok {
							undOrder = append(undOrder, k)
						}
						undLines[k] = append(undLines[k], strconv.Itoa(valuePos(c.P.Source, s).Line))
					}
				}
			}
			if c.P.Workflow != nil {
				for _, j := range c.P.SortedJobs() {
					if j.WorkflowCall != nil {
						check(j.WorkflowCall.Uses)
					}
				}
			}
			for _, sr := range c.steps() {
				if a := uses(sr.step); a != nil {
					check(a.Uses)
				}
			}
			if len(undOrder) > 0 {
				parts := make([]string, len(undOrder))
				for i, k := range undOrder {
					ls := undLines[k]
					word := "line "
					if len(ls) > 1 {
						word = "lines "
					}
					parts[i] = fmt.Sprintf("%s (%s%s) against %s: %s", k.ref, word, strings.Join(ls, ", "), k.id, k.why)
				}
				c.Undecided("cannot decide " + strings.Join(parts, "; "))
			}
		},
	}
}

// parseVersion reads v1, 1.2, v1.2.3 into three numbers and how many were
// given.
func parseVersion(s string) ([3]int, int, bool) {
	var out [3]int
	s = strings.TrimPrefix(strings.TrimSpace(strings.ToLower(s)), "v")
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) == 0 || len(parts) > 3 {
		return out, 0, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return out, 0, false
		}
		out[i] = n
	}
	return out, len(parts), true
}
