package vulnchecks

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/vuln"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Reads is what the matching checks read.
var matchReads = []string{sbom.EvidenceKind, vuln.KindDatabase, vuln.KindKEV, vuln.KindVEX}

// docEv is one parsed SBOM with its evidence.
type docEv struct {
	ev  *evidence.Evidence
	doc *sbom.Document
}

// input is the evidence the vuln checks read, by kind.
type input struct {
	docs  []docEv
	db    *vuln.Database
	dbEv  *evidence.Evidence
	kev   *vuln.KEV
	kevEv *evidence.Evidence
	vex   []vuln.VEXInput
	vexEv []*evidence.Evidence
}

func gather(ev []evidence.Evidence) *input {
	in := &input{}
	seenVEX := map[string]bool{}
	for i := range ev {
		e := &ev[i]
		switch e.Kind {
		case sbom.EvidenceKind:
			// A document without components (an unparseable SBOM, a
			// CycloneDX VEX-only BOM) has nothing to match.
			if d := asDocument(e.Payload); d != nil && d.Error == "" && len(d.Components) > 0 {
				in.docs = append(in.docs, docEv{e, d})
			}
		case vuln.KindDatabase:
			if db, ok := e.Payload.(*vuln.Database); ok && in.db == nil {
				in.db, in.dbEv = db, e
			}
		case vuln.KindKEV:
			if k, ok := e.Payload.(*vuln.KEV); ok && in.kev == nil {
				in.kev, in.kevEv = k, e
			}
		case vuln.KindVEX:
			// The same document configured and found in a target (or in
			// two targets) is applied once.
			if d, ok := e.Payload.(*vuln.VEXDocument); ok && !seenVEX[e.SHA256] {
				seenVEX[e.SHA256] = true
				in.vex = append(in.vex, vuln.VEXInput{Doc: d, Evidence: e.ID})
				in.vexEv = append(in.vexEv, e)
			}
		}
	}
	return in
}

// asDocument accepts the collector's *sbom.Document, or the generic JSON a
// pedigree.json round trip leaves.
func asDocument(p any) *sbom.Document {
	switch d := p.(type) {
	case *sbom.Document:
		return d
	case sbom.Document:
		return &d
	case nil:
		return nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil
	}
	var d sbom.Document
	if json.Unmarshal(b, &d) != nil {
		return nil
	}
	return &d
}

// results matches one SBOM, once per run (memoised on the database).
func (in *input) results(d docEv) []vuln.Result {
	compute := func() []vuln.Result {
		var ix *vuln.Index
		if in.db != nil {
			ix = in.db.Index
		}
		return vuln.MatchDocument(ix, in.kev, in.vex, d.doc)
	}
	if in.db == nil {
		return compute()
	}
	key := []string{d.ev.ID}
	if in.kevEv != nil {
		key = append(key, in.kevEv.ID)
	}
	for _, v := range in.vexEv {
		key = append(key, v.ID)
	}
	sort.Strings(key[1:])
	return in.db.Results(strings.Join(key, ","), compute)
}

// matchChunk is how many components are matched at once when nothing is
// memoised (no database): enough to keep both cores busy, few enough that
// a million-component SBOM never holds a million results.
const matchChunk = 16384

// each calls fn with the match of every component of d, in order. With a
// database the memoised results are walked (the checks share one
// matching); without one, matching is cheap and the components are matched
// a chunk at a time.
func (in *input) each(d docEv, fn func(r *vuln.Result)) {
	if in.db != nil {
		rs := in.results(d)
		for i := range rs {
			fn(&rs[i])
		}
		return
	}
	comps := d.doc.Components
	for lo := 0; lo < len(comps); lo += matchChunk {
		sub := *d.doc
		sub.Components = comps[lo:min(lo+matchChunk, len(comps))]
		rs := vuln.MatchDocument(nil, in.kev, in.vex, &sub)
		for i := range rs {
			fn(&rs[i])
		}
	}
}

// sample keeps the first few items of a list and counts the others, so a
// message can quote a few of a million without building the million: list
// gives what limit gives on the whole list.
type sample struct {
	keep  int
	n     int
	first []string
}

// want counts one more item and reports whether it is to be kept.
func (s *sample) want() bool {
	s.n++
	return s.n <= s.keep
}

func (s *sample) list() []string {
	if s.n <= s.keep {
		return s.first
	}
	return append(append([]string(nil), s.first...), fmt.Sprintf("… %d more", s.n-s.keep))
}

// evidenceIDs lists the ids a matching finding was decided by.
func (in *input) evidenceIDs(d docEv, extra ...string) []string {
	ids := []string{d.ev.ID}
	if in.dbEv != nil {
		ids = append(ids, in.dbEv.ID)
	}
	if in.kevEv != nil {
		ids = append(ids, in.kevEv.ID)
	}
	for _, x := range extra {
		if x != "" && !contains(ids, x) {
			ids = append(ids, x)
		}
	}
	return ids
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// sbomSubject names an SBOM in findings.
func sbomSubject(d docEv) evidence.Subject {
	ref := d.doc.File
	if d.ev.Target != "" {
		ref = d.ev.Target + ":" + ref
	}
	return evidence.Subject{Type: "sbom", Ref: ref, Digest: "sha256:" + d.ev.SHA256}
}

func location(d docEv) *evidence.Location {
	if d.doc.File == "" {
		return nil
	}
	return &evidence.Location{Path: d.doc.File}
}

// active are the matches no VEX statement suppressed.
func active(r *vuln.Result) []vuln.Match {
	var out []vuln.Match
	for _, m := range r.Matches {
		if !m.Suppressed {
			out = append(out, m)
		}
	}
	return out
}

// describe renders one match with everything an assessor needs: ids,
// severity and CVSS, the fixed version, the KEV flag and any VEX status.
func describe(m vuln.Match) string {
	var b strings.Builder
	b.WriteString(m.ID)
	if len(m.Aliases) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(limit(m.Aliases, 4), ", "))
	}
	switch {
	case m.Score != nil && m.Score.Base >= 0:
		fmt.Fprintf(&b, " %s CVSS %.1f %s", m.Severity, m.Score.Base, m.Score.Vector)
	case m.Score != nil:
		fmt.Fprintf(&b, " %s (%s severity, no CVSS vector)", m.Severity, m.Score.Type)
	default:
		b.WriteString(" severity unknown (no CVSS)")
	}
	if m.Fixed != "" {
		fmt.Fprintf(&b, ", fixed in %s", m.Fixed)
	} else {
		b.WriteString(", no fixed version recorded")
	}
	if m.KEV != nil {
		fmt.Fprintf(&b, ", KEV: yes (added %s", m.KEV.DateAdded)
		if m.KEV.DueDate != "" {
			fmt.Fprintf(&b, ", due %s", m.KEV.DueDate)
		}
		if strings.EqualFold(m.KEV.KnownRansomware, "Known") {
			b.WriteString(", known ransomware use")
		}
		b.WriteString(")")
	} else {
		b.WriteString(", KEV: no")
	}
	if m.VEX != nil && !m.Suppressed {
		fmt.Fprintf(&b, ", VEX %s: %s", m.VEX.Document, m.VEX.Status)
		if m.VEX.Status == vuln.StatusNotAffected {
			b.WriteString(" without justification, not applied")
		}
	}
	if m.Source == "vex" {
		b.WriteString(", reported by VEX only")
	}
	return b.String()
}

func componentLabel(r *vuln.Result) string {
	c := r.Component
	s := c.Name
	if c.Version != "" {
		s += "@" + c.Version
	} else {
		s += " (no version)"
	}
	if c.PURL != "" {
		s += " [" + c.PURL + "]"
	}
	return s
}

func limit(ss []string, n int) []string {
	if len(ss) <= n {
		return ss
	}
	return append(append([]string(nil), ss[:n]...), fmt.Sprintf("… %d more", len(ss)-n))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// notAssessedNoDB is what a matching check says of an SBOM when no
// database was supplied: never a pass.
func notAssessedNoDB(c checkLike, in *input, d docEv) evidence.Finding {
	f := c.Finding(evidence.NotAssessed, fmt.Sprintf("%s: no OSV database configured (vuln.osv), so its %s were not matched against any vulnerability data",
		d.doc.File, plural(len(d.doc.Components), "component", "components")), sbomSubject(d))
	f.Evidence = in.evidenceIDs(d)
	f.Location = location(d)
	return f
}

type checkLike interface {
	Finding(status evidence.Status, msg string, subjects ...evidence.Subject) evidence.Finding
}
