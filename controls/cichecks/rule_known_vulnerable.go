package cichecks

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"

	"github.com/pedigree-dev/pedigree/collectors/vuln"
	"github.com/pedigree-dev/pedigree/evidence"
)

// actionsEcosystem is the OSV ecosystem of GitHub Actions.
const actionsEcosystem = "GitHub Actions"

//go:embed data/github-actions-osv.json
var defaultActionOSV []byte

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
	// names are the lower-cased actions the records name, so that the
	// many references without an advisory cost one map lookup.
	names     map[string]bool
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

// known says whether the database has records for the action.
func (db *ActionDB) known(name string) bool {
	if db.index() == nil {
		return false
	}
	db.namesOnce.Do(func() {
		db.names = map[string]bool{}
		for i := range db.ix.Affected {
			af := &db.ix.Affected[i]
			if strings.EqualFold(af.Ecosystem, actionsEcosystem) {
				db.names[strings.ToLower(strings.TrimSpace(af.Name))] = true
			}
		}
	})
	return db.names[name]
}

// osvSnapshot is the embedded snapshot: OSV records with their origin.
type osvSnapshot struct {
	Source  string            `json:"source"`
	Date    string            `json:"date"`
	Records []json.RawMessage `json:"records"`
}

// DefaultActionDB is the snapshot shipped with pedigree (parsed once).
var DefaultActionDB = sync.OnceValue(func() *ActionDB {
	var s osvSnapshot
	if err := json.Unmarshal(defaultActionOSV, &s); err != nil {
		panic(err) // embedded data is tested
	}
	db := &ActionDB{Source: s.Source, Date: s.Date}
	for _, r := range s.Records {
		db.records = append(db.records, r)
	}
	return db
})

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
	return &ActionDB{Source: s.Source, Date: s.Date, ix: ix}, nil
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

// ParseAdvisories reads an advisory file: OSV JSON (a snapshot object, an
// array of records or one record) or the hand-written YAML list.
func ParseAdvisories(name string, b []byte) (*ActionDB, error) {
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

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// actionHit is one advisory affecting one action reference.
type actionHit struct {
	ID, Summary, Fixed string
	// How says what decided it: the tag, the pinned commit, or the
	// version comment beside a pinned commit.
	How string
	Sev evidence.Severity
}

// lookup matches owner/repo[/path] at ref (a tag, a branch or a commit;
// ver is the version comment beside a commit pin, if any).
func (db *ActionDB) lookup(name, ref, ver string) []actionHit {
	if db == nil || db.index() == nil {
		return nil
	}
	var buf [2]string
	names := buf[:0]
	if db.known(name) {
		names = append(names, name)
	}
	if i := strings.IndexByte(name, '/'); i >= 0 {
		if j := strings.IndexByte(name[i+1:], '/'); j >= 0 && db.known(name[:i+1+j]) {
			names = append(names, name[:i+1+j])
		}
	}
	if len(names) == 0 {
		return nil
	}
	var out []actionHit
	seen := map[string]bool{}
	add := func(h actionHit) {
		if !seen[h.ID] {
			seen[h.ID] = true
			out = append(out, h)
		}
	}
	for _, n := range names {
		if isSHA(ref) {
			for _, af := range db.ix.Entries(actionsEcosystem, n) {
				if byCommit(af, ref) {
					a := &db.ix.Advisories[af.Advisory]
					add(actionHit{ID: a.ID, Summary: a.Summary, How: "the pinned commit", Sev: advisorySeverity(a)})
				}
			}
			if ver != "" {
				for _, h := range db.byVersion(n, ver) {
					h.How = "the version comment " + ver
					add(h)
				}
			}
			continue
		}
		for _, h := range db.byVersion(n, ref) {
			add(h)
		}
	}
	return out
}

// byCommit says whether an entry names the commit: in its versions, or as
// an introduced or last-affected event of a GIT range (the commit itself
// is then affected).
func byCommit(af *vuln.Affected, sha string) bool {
	for _, v := range af.Versions {
		if strings.EqualFold(v, sha) {
			return true
		}
	}
	for _, r := range af.Ranges {
		if r.Type != vuln.RangeGit {
			continue
		}
		for _, e := range r.Events {
			if (e.Kind == vuln.Introduced || e.Kind == vuln.LastAffected) && strings.EqualFold(e.Version, sha) {
				return true
			}
		}
	}
	return false
}

// byVersion matches a tag. A partial tag (v4, v4.1) follows the newest
// release of its line: it is affected only when the fix is in a later line.
func (db *ActionDB) byVersion(name, tag string) []actionHit {
	v, n, ok := parseVersion(tag)
	if !ok {
		return nil // a branch or other ref: no version to compare
	}
	hits, _ := db.ix.Query(vuln.Package{Ecosystem: actionsEcosystem, Name: name, Version: tag})
	var out []actionHit
	for _, h := range hits {
		if n < 3 && !h.ByVersions {
			if h.Fixed == "" {
				continue // the line's newest release may be past an open range
			}
			fixed, _, ok := parseVersion(h.Fixed)
			if !ok || !lineBefore(v, n, fixed) {
				continue
			}
		}
		out = append(out, actionHit{ID: h.Advisory.ID, Summary: h.Advisory.Summary, Fixed: h.Fixed, How: "the tag " + tag, Sev: advisorySeverity(h.Advisory)})
	}
	return out
}

// lineBefore says whether every release of the line v (its first n
// numbers) predates fixed.
func lineBefore(v [3]int, n int, fixed [3]int) bool {
	for i := 0; i < n; i++ {
		if v[i] != fixed[i] {
			return v[i] < fixed[i]
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
			check := func(s *actionlint.String) {
				if s == nil {
					return
				}
				name, ref, ok := splitUses(s.Value)
				if !ok {
					return
				}
				name = strings.ToLower(name)
				ver := ""
				if isSHA(ref) {
					if m := versionComment.FindStringSubmatch(c.P.Source.Line(valuePos(c.P.Source, s).Line)); m != nil {
						ver = m[1]
					}
				}
				seen := map[string]bool{}
				for _, db := range dbs {
					for _, h := range db.lookup(name, ref, ver) {
						if seen[h.ID] {
							continue
						}
						seen[h.ID] = true
						fix := ""
						if h.Fixed != "" {
							fix = "; fixed in " + h.Fixed
						}
						c.Report(valuePos(c.P.Source, s), h.Sev, "%s@%s is affected by %s (by %s): %s%s", name, ref, h.ID, h.How, h.Summary, fix)
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
