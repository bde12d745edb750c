package sbomchecks

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewArtifactBinding checks that the SBOM's primary component names the
// digest of an artifact in the assessed targets.
func NewArtifactBinding() controls.Check {
	c := controls.Check{
		ID:          "SBOM-ARTIFACT-BINDING",
		Title:       "SBOM is bound by digest to an assessed artifact",
		Rationale:   "An SBOM describes a product only if it names that product's digest: without the binding, any SBOM could be presented for any artifact.",
		Remediation: "Record the SHA-256 of the shipped artifact in the primary component (CycloneDX metadata.component.hashes, the checksum of SPDX's described package).",
		Severity:    evidence.High,
		Pillar:      controls.PillarSBOM,
		Method:      "TEST",
		Reads:       []string{sbom.EvidenceKind, files.KindArtifact},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		arts := artifacts(ev)
		var out []evidence.Finding
		for _, d := range docs(ev) {
			if !usable(d.doc) {
				continue
			}
			out = append(out, judgeBinding(c, d, arts))
		}
		return out
	}
	return c
}

// primaryDigests returns the primary component's SHA-256/512 values.
func primaryDigests(d *sbom.Document) map[string]string {
	out := map[string]string{}
	if d.Primary == nil {
		return out
	}
	for _, h := range d.Primary.Hashes {
		switch h.Algorithm {
		case "SHA-256", "SHA-512":
			out[strings.ToLower(strings.TrimSpace(h.Value))] = h.Algorithm
		}
	}
	return out
}

// bound finds the artifacts whose digest the primary component names.
func bound(d *sbom.Document, arts []artifactEv) []artifactEv {
	want := primaryDigests(d)
	var out []artifactEv
	for _, a := range arts {
		if a.a.Metadata || a.a.Path == d.File {
			continue
		}
		if want[strings.ToLower(a.a.SHA256)] == "SHA-256" || (a.a.Digests["sha512"] != "" && want[strings.ToLower(a.a.Digests["sha512"])] == "SHA-512") {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ev.ID < out[j].ev.ID })
	return out
}

func judgeBinding(c controls.Check, d docEv, arts []artifactEv) evidence.Finding {
	if a := d.doc.Attached; a != nil {
		// The channel binds it: an attestation's subject names the digest
		// (whether its signature holds is SBOM-SIGNED's verdict); a bare
		// .sbom layer is associated by a tag name anyone who can push may
		// write, which binds nothing.
		if a.Subject {
			return finding(c, d, evidence.Pass, "bound to the image by the subject of the in-toto statement that carries it")
		}
		return finding(c, d, evidence.NotAssessed, "attached by tag name only: no signed subject binds it to the image")
	}
	if d.doc.Primary == nil {
		return finding(c, d, evidence.Fail, "no primary component (CycloneDX metadata.component / SPDX DESCRIBES): the SBOM names no artifact")
	}
	want := primaryDigests(d.doc)
	if len(want) == 0 {
		return finding(c, d, evidence.Fail, fmt.Sprintf("primary component %s records no SHA-256 or SHA-512 digest, so it is bound to no artifact", d.doc.Primary.Label()))
	}
	if len(arts) == 0 {
		return finding(c, d, evidence.NotAssessed, "no artifact inventory (files collector) to bind the SBOM's digest against")
	}
	b := bound(d.doc, arts)
	if len(b) == 0 {
		var ds []string
		for v, alg := range want {
			ds = append(ds, strings.ToLower(alg)+":"+shortHex(v))
		}
		sort.Strings(ds)
		return finding(c, d, evidence.Fail, fmt.Sprintf("primary component %s names %s, which no assessed artifact has", d.doc.Primary.Label(), strings.Join(ds, ", ")))
	}
	var names, ids []string
	for _, a := range b {
		names = append(names, a.ev.Target+":"+a.a.Path)
		ids = append(ids, a.ev.ID)
	}
	return finding(c, d, evidence.Pass, fmt.Sprintf("primary component %s is bound by digest to %s", d.doc.Primary.Label(), strings.Join(names, ", ")), ids...)
}

func shortHex(s string) string {
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}

// clockSkew tolerates generators whose clocks run ahead.
const clockSkew = 24 * time.Hour

// NewStale checks the SBOM's timestamp: parseable, not in the future, not
// older than maxAge (when set).
func NewStale(maxAge time.Duration) controls.Check {
	c := controls.Check{
		ID:          "SBOM-STALE",
		Title:       "SBOM is current",
		Rationale:   "An SBOM older than the release it describes, or than the organisation's refresh period, no longer describes what ships.",
		Remediation: "Regenerate the SBOM in the release pipeline, for every release, from the artifact itself.",
		Severity:    evidence.Low,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       []string{sbom.EvidenceKind, files.KindArtifact},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		arts := artifacts(ev)
		var out []evidence.Finding
		for _, d := range docs(ev) {
			if !usable(d.doc) {
				continue
			}
			out = append(out, judgeStale(c, d, bound(d.doc, arts), maxAge))
		}
		return out
	}
	return c
}

func parseTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp %q is not an RFC 3339 date-time", s)
}

func judgeStale(c controls.Check, d docEv, describes []artifactEv, maxAge time.Duration) evidence.Finding {
	if !d.doc.HasTimestamp() {
		return finding(c, d, evidence.Fail, "no timestamp: the SBOM's age cannot be known")
	}
	ts, err := parseTimestamp(d.doc.Timestamp)
	if err != nil {
		return finding(c, d, evidence.Fail, err.Error())
	}
	now := d.ev.CollectedAt
	if now.IsZero() {
		return finding(c, d, evidence.NotAssessed, "the evidence carries no collection time to measure the SBOM's age against")
	}
	if ts.After(now.Add(clockSkew)) {
		return finding(c, d, evidence.Fail, fmt.Sprintf("timestamp %s is in the future (collected %s)", ts.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)))
	}
	// An SBOM made before the artifact it describes was built describes an
	// earlier build. The build time is the one the archive records.
	for _, a := range describes {
		if !a.a.BuiltAt.IsZero() && ts.Add(clockSkew).Before(a.a.BuiltAt) {
			return finding(c, d, evidence.Fail, fmt.Sprintf("timestamp %s predates %s, built %s: the SBOM describes an earlier build",
				ts.UTC().Format(time.RFC3339), a.a.Path, a.a.BuiltAt.Format(time.RFC3339)), a.ev.ID)
		}
	}
	age := now.Sub(ts)
	if maxAge > 0 && age > maxAge {
		return finding(c, d, evidence.Fail, fmt.Sprintf("timestamp %s is %s old, beyond sbom.max-age %s", ts.UTC().Format(time.RFC3339), days(age), days(maxAge)))
	}
	// An archive whose build time a limit kept unread cannot show the SBOM
	// is current.
	for _, a := range describes {
		if a.a.BuiltAt.IsZero() && a.a.BuiltAtProblem != "" {
			return finding(c, d, evidence.NotAssessed, fmt.Sprintf("%s: %s", a.a.Path, a.a.BuiltAtProblem), a.ev.ID)
		}
	}
	if maxAge == 0 {
		return finding(c, d, evidence.NotAssessed, fmt.Sprintf("timestamp %s (%s old) is valid; no sbom.max-age is configured to judge staleness", ts.UTC().Format(time.RFC3339), days(age)))
	}
	return finding(c, d, evidence.Pass, fmt.Sprintf("timestamp %s is %s old, within sbom.max-age %s", ts.UTC().Format(time.RFC3339), days(age), days(maxAge)))
}

func days(d time.Duration) string {
	if d < 48*time.Hour {
		return d.Round(time.Minute).String()
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
