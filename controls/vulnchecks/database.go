package vulnchecks

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/vuln"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewDBMissing says whether SBOM components could be matched against a
// vulnerability database at all.
func NewDBMissing() controls.Check {
	c := controls.Check{
		ID:          "VULN-DB-MISSING",
		Title:       "A vulnerability database is supplied for SBOM matching",
		Rationale:   "Without vulnerability data the components an SBOM lists cannot be monitored for known flaws; an assessment that skipped matching must not read as clean.",
		Remediation: "Download the OSV exports for the ecosystems in use (e.g. <ecosystem>/all.zip) and name them under vuln.osv in pedigree.yaml; refresh them on the cadence RA-5 sets.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       []string{sbom.EvidenceKind, vuln.KindDatabase},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		in := gather(ev)
		if in.db == nil {
			if len(in.docs) == 0 {
				return nil
			}
			var ids []string
			comps := 0
			for _, d := range in.docs {
				ids = append(ids, d.ev.ID)
				comps += len(d.doc.Components)
			}
			f := c.Finding(evidence.NotAssessed, fmt.Sprintf("no OSV database configured (vuln.osv): %s with %s were not matched against any vulnerability data",
				plural(len(in.docs), "SBOM", "SBOMs"), plural(comps, "component", "components")))
			f.Evidence = ids
			return []evidence.Finding{f}
		}
		db := in.db
		subj := in.dbEv.Subject
		if db.Advisories == 0 {
			f := c.Finding(evidence.NotAssessed, fmt.Sprintf("OSV database %s holds no usable advisories (%s skipped): matching cannot decide anything",
				strings.Join(db.Paths, ", "), plural(len(db.Problems)+db.ProblemsTruncated, "record", "records")), subj)
			f.Evidence = []string{in.dbEv.ID}
			return []evidence.Finding{f}
		}
		newest := "no modified dates"
		if !db.Newest.IsZero() {
			newest = "newest record modified " + db.Newest.Format(time.DateOnly)
		}
		f := c.Finding(evidence.Pass, fmt.Sprintf("OSV database %s: %d advisories for %d packages in %s, sha256 %s, %s, index cache %s",
			strings.Join(db.Paths, ", "), db.Advisories, db.Packages, ecosystems(db.Ecosystems), short(db.Digest), newest, db.Cache), subj)
		f.Evidence = []string{in.dbEv.ID}
		return []evidence.Finding{f}
	}
	return c
}

func ecosystems(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return "no ecosystem"
	}
	return strings.Join(limit(keys, 12), ", ")
}

func short(d string) string {
	if len(d) > 16 {
		return d[:16] + "…"
	}
	return d
}

// NewDBMalformed names every database record or archive member that was
// skipped: each is a blind spot in matching.
func NewDBMalformed() controls.Check {
	c := controls.Check{
		ID:          "VULN-DB-MALFORMED",
		Title:       "Every vulnerability database record could be read",
		Rationale:   "A malformed or oversized OSV record is skipped, so the vulnerability it describes is never matched: the scan silently loses coverage unless the gap is reported.",
		Remediation: "Re-download the database export; if a record stays malformed, report it to its source database and keep the finding open until coverage is restored.",
		Severity:    evidence.Low,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       []string{vuln.KindDatabase},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		in := gather(ev)
		if in.db == nil {
			return nil
		}
		var out []evidence.Finding
		for _, p := range in.db.Problems {
			f := c.Finding(evidence.Fail, fmt.Sprintf("OSV record %s skipped: %s", p.Where(), p.Error),
				evidence.Subject{Type: "file", Ref: p.Where()})
			f.Evidence = []string{in.dbEv.ID}
			f.Location = &evidence.Location{Path: p.File}
			out = append(out, f)
		}
		if n := in.db.ProblemsTruncated; n > 0 {
			f := c.Finding(evidence.Fail, fmt.Sprintf("%d more OSV records were skipped (only the first %d are listed)", n, len(in.db.Problems)), in.dbEv.Subject)
			f.Evidence = []string{in.dbEv.ID}
			out = append(out, f)
		}
		if len(out) == 0 {
			f := c.Finding(evidence.Pass, fmt.Sprintf("all %d OSV records read (%d withdrawn records ignored)", in.db.Advisories+in.db.Withdrawn, in.db.Withdrawn), in.dbEv.Subject)
			f.Evidence = []string{in.dbEv.ID}
			out = append(out, f)
		}
		return out
	}
	return c
}

// NewDBStale fails when the newest database record is older than maxAge:
// new advisories are not being picked up.
func NewDBStale(maxAge time.Duration) controls.Check {
	c := controls.Check{
		ID:          "VULN-DB-STALE",
		Title:       "The vulnerability database is up to date",
		Rationale:   "Vulnerability scanning only finds what its data knows; a database older than the organisation's update interval misses the advisories published since.",
		Remediation: "Refresh the OSV exports and re-run the assessment; automate the download on the interval the organisation defines for RA-5(2).",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       []string{vuln.KindDatabase},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		in := gather(ev)
		if in.db == nil {
			return nil
		}
		var f evidence.Finding
		switch {
		case maxAge <= 0:
			f = c.Finding(evidence.NotApplicable, "no maximum database age configured (vuln.max-age)", in.dbEv.Subject)
		case in.db.Newest.IsZero():
			f = c.Finding(evidence.NotAssessed, "the OSV records carry no modified dates: the database's age cannot be told", in.dbEv.Subject)
		default:
			age := in.dbEv.CollectedAt.Sub(in.db.Newest)
			msg := fmt.Sprintf("newest OSV record modified %s, %s before the run (limit %s)", in.db.Newest.Format(time.RFC3339), days(age), days(maxAge))
			if age > maxAge {
				f = c.Finding(evidence.Fail, msg, in.dbEv.Subject)
			} else {
				f = c.Finding(evidence.Pass, msg, in.dbEv.Subject)
			}
		}
		f.Evidence = []string{in.dbEv.ID}
		return []evidence.Finding{f}
	}
	return c
}

func days(d time.Duration) string {
	if d < 48*time.Hour {
		return d.Round(time.Minute).String()
	}
	return fmt.Sprintf("%.0f days", d.Hours()/24)
}
