package vuln

import (
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/package-url/packageurl-go"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Result is what matching found for one SBOM component.
type Result struct {
	Component ComponentRef `json:"component"`
	// Package is the OSV package the component was looked up as.
	Package Package `json:"package"`
	// Reason is why the component could not be looked up; empty when it was.
	Reason  string  `json:"reason,omitempty"`
	Matches []Match `json:"matches,omitempty"`
	// Undecided lists advisories naming the package whose ranges could not
	// be evaluated for this version: neither affected nor clear.
	Undecided []string `json:"undecided,omitempty"`
}

// ComponentRef is the part of an SBOM component findings name.
type ComponentRef struct {
	Ref      string `json:"ref,omitempty"`
	Name     string `json:"name"`
	Version  string `json:"version,omitempty"`
	PURL     string `json:"purl,omitempty"`
	CPE      string `json:"cpe,omitempty"`
	Supplier string `json:"supplier,omitempty"`
}

// Label is "name@version", or the purl.
func (c ComponentRef) Label() string {
	if c.Name != "" && c.Version != "" {
		return c.Name + "@" + c.Version
	}
	if c.PURL != "" {
		return c.PURL
	}
	return c.Name
}

// Subject is the evidence subject of the component.
func (c ComponentRef) Subject() evidence.Subject {
	ref := firstNonEmpty(c.PURL, c.CPE, c.Ref, c.Label())
	return evidence.Subject{Type: "component", Ref: ref}
}

// Match is one advisory that affects a component.
type Match struct {
	ID      string   `json:"id"`
	Aliases []string `json:"aliases,omitempty"`
	Summary string   `json:"summary,omitempty"`
	// Fixed is the first fixed version above the component's; empty when
	// the database records no fix.
	Fixed string `json:"fixed,omitempty"`
	// Severity is the worst scored severity; empty when the advisory has
	// none. Score is the score that decided it.
	Severity evidence.Severity `json:"severity,omitempty"`
	Score    *Score            `json:"score,omitempty"`
	Scores   []Score           `json:"scores,omitempty"`
	// KEV is the CISA KEV entry when the advisory (or an alias) is listed.
	KEV *KEVEntry `json:"kev,omitempty"`
	// VEX is the statement that applies to this match, if any; Suppressed
	// is true when it took the match out of the risk findings
	// (not_affected with a justification, or fixed).
	VEX        *AppliedStatement `json:"vex,omitempty"`
	Suppressed bool              `json:"suppressed,omitempty"`
	// Source is "osv", or "vex" for a vulnerability only a VEX `affected`
	// statement reports.
	Source string `json:"source"`
}

// AppliedStatement is a VEX statement with the document it came from.
type AppliedStatement struct {
	Statement
	Document string `json:"document"`
	Format   string `json:"format"`
	// Evidence is the id of the VEX document's evidence.
	Evidence string `json:"evidence"`
}

// VEXInput is one VEX document with the id of its evidence.
type VEXInput struct {
	Doc      *VEXDocument
	Evidence string
}

// Match looks every component of doc up in the index, scores the hits,
// marks known-exploited ones, and applies VEX statements. It is pure and
// deterministic; large SBOMs are matched in parallel.
func MatchDocument(ix *Index, kev *KEV, vex []VEXInput, doc *sbom.Document) []Result {
	comps := doc.Components
	out := make([]Result, len(comps))
	vx := newVEXIndex(vex)
	workers := runtime.GOMAXPROCS(0)
	if len(comps) < 2048 || workers < 2 {
		for i := range comps {
			out[i] = matchOne(ix, kev, vx, &comps[i])
		}
		return out
	}
	var wg sync.WaitGroup
	chunk := (len(comps) + workers - 1) / workers
	for lo := 0; lo < len(comps); lo += chunk {
		hi := min(lo+chunk, len(comps))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				out[i] = matchOne(ix, kev, vx, &comps[i])
			}
		}()
	}
	wg.Wait()
	return out
}

func matchOne(ix *Index, kev *KEV, vx *vexIndex, c *sbom.Component) Result {
	r := Result{Component: ComponentRef{Ref: c.Ref, Name: c.Name, Version: c.Version, PURL: c.PURL, CPE: c.CPE,
		Supplier: firstNonEmpty(c.Supplier, c.Originator())}}
	switch {
	case c.PURL != "":
		r.Package, r.Reason = PackageFromPURL(c.PURL, c.Version)
	case c.CPE != "":
		r.Reason = ReasonCPEOnly
	default:
		r.Reason = ReasonNoIdentifier
	}
	if r.Reason == "" {
		hits, undecided := ix.Query(r.Package)
		r.Undecided = undecided
		for _, h := range hits {
			m := Match{ID: h.Advisory.ID, Aliases: h.Advisory.Aliases, Summary: h.Advisory.Summary, Fixed: h.Fixed, Source: "osv"}
			m.Scores = append(m.Scores, h.Advisory.Scores...)
			for _, af := range h.Affected {
				m.Scores = append(m.Scores, af.Scores...)
			}
			if w, ok := Worst(m.Scores); ok {
				m.Severity, m.Score = w.Severity, &w
			}
			if e, ok := kev.Lookup(h.Advisory.CVEs()); ok {
				m.KEV = &e
			}
			r.Matches = append(r.Matches, m)
		}
	}
	vx.apply(&r, kev)
	return r
}

// vexIndex holds statements by upper-case vulnerability id.
type vexIndex struct {
	byVuln map[string][]*AppliedStatement
	order  map[*AppliedStatement]int
}

func newVEXIndex(in []VEXInput) *vexIndex {
	vx := &vexIndex{byVuln: map[string][]*AppliedStatement{}, order: map[*AppliedStatement]int{}}
	n := 0
	for _, v := range in {
		if v.Doc == nil {
			continue
		}
		for _, s := range v.Doc.Statements {
			as := &AppliedStatement{Statement: s, Document: v.Doc.File, Format: v.Doc.Format, Evidence: v.Evidence}
			vx.order[as] = n
			n++
			seen := map[string]bool{}
			for _, id := range append([]string{s.Vulnerability}, s.Aliases...) {
				k := strings.ToUpper(strings.TrimSpace(id))
				if k != "" && !seen[k] {
					seen[k] = true
					vx.byVuln[k] = append(vx.byVuln[k], as)
				}
			}
		}
	}
	return vx
}

// statementFor picks the statement that applies to a vulnerability (any of
// ids) in component c: the latest by timestamp, then the last written.
func (vx *vexIndex) statementFor(ids []string, c ComponentRef) *AppliedStatement {
	var best *AppliedStatement
	var bestT time.Time
	seen := map[*AppliedStatement]bool{}
	for _, id := range ids {
		for _, s := range vx.byVuln[strings.ToUpper(id)] {
			if seen[s] || !productMatches(s.Product, c) {
				continue
			}
			seen[s] = true
			t := parseTime(s.Timestamp)
			if best == nil || t.After(bestT) || (t.Equal(bestT) && vx.order[s] > vx.order[best]) {
				best, bestT = s, t
			}
		}
	}
	return best
}

func (vx *vexIndex) apply(r *Result, kev *KEV) {
	if len(vx.byVuln) == 0 {
		return
	}
	matched := map[string]bool{}
	for i := range r.Matches {
		m := &r.Matches[i]
		ids := append([]string{m.ID}, m.Aliases...)
		for _, id := range ids {
			matched[strings.ToUpper(id)] = true
		}
		s := vx.statementFor(ids, r.Component)
		if s == nil {
			continue
		}
		m.VEX = s
		switch s.Status {
		case StatusNotAffected:
			// Only a justified not_affected suppresses: the justification
			// is what an assessor reviews.
			m.Suppressed = s.Justified()
		case StatusFixed:
			m.Suppressed = true
		}
	}
	// A supplier's `affected` statement about a vulnerability the database
	// does not list is a finding too.
	var extra []Match
	for id, ss := range vx.byVuln {
		if matched[id] {
			continue
		}
		for _, s := range ss {
			if s.Status != StatusAffected || !productMatches(s.Product, r.Component) || strings.ToUpper(s.Vulnerability) != id {
				continue
			}
			best := vx.statementFor([]string{s.Vulnerability}, r.Component)
			if best == nil || best.Status != StatusAffected {
				continue
			}
			m := Match{ID: s.Vulnerability, Aliases: s.Aliases, VEX: best, Source: "vex"}
			var cves []string
			for _, a := range append([]string{s.Vulnerability}, s.Aliases...) {
				if strings.HasPrefix(strings.ToUpper(a), "CVE-") {
					cves = append(cves, a)
				}
			}
			if e, ok := kev.Lookup(cves); ok {
				m.KEV = &e
			}
			extra = append(extra, m)
			matched[id] = true
			break
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].ID < extra[j].ID })
	r.Matches = append(r.Matches, extra...)
}

func parseTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// productMatches reports whether a VEX product names the component: the
// same purl (type, namespace, name; the version and qualifiers only when
// the statement gives them), the same CPE, or the same bom-ref.
func productMatches(p Product, c ComponentRef) bool {
	if p.PURL != "" && c.PURL != "" && purlMatches(p.PURL, c.PURL, c.Version) {
		return true
	}
	if p.CPE != "" && c.CPE != "" && strings.EqualFold(p.CPE, c.CPE) {
		return true
	}
	if p.Ref != "" && c.Ref != "" && p.Ref == c.Ref {
		return true
	}
	return false
}

func purlMatches(stmt, comp, compVersion string) bool {
	if stmt == comp {
		return true
	}
	sp, err1 := packageurl.FromString(stmt)
	cp, err2 := packageurl.FromString(comp)
	if err1 != nil || err2 != nil {
		return false
	}
	if sp.Type != cp.Type || !strings.EqualFold(sp.Namespace, cp.Namespace) || !strings.EqualFold(sp.Name, cp.Name) {
		return false
	}
	if sp.Version != "" && sp.Version != firstNonEmpty(cp.Version, compVersion) {
		return false
	}
	cq := cp.Qualifiers.Map()
	for k, v := range sp.Qualifiers.Map() {
		if cq[k] != v {
			return false
		}
	}
	return true
}

// Results returns the match results for key, computing them once per
// database: the checks of one run share one matching pass.
func (db *Database) Results(key string, compute func() []Result) []Result {
	db.memoMu.Lock()
	defer db.memoMu.Unlock()
	if r, ok := db.memo[key]; ok {
		return r
	}
	r := compute()
	if db.memo == nil {
		db.memo = map[string][]Result{}
	}
	db.memo[key] = r
	return r
}
