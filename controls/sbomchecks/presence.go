package sbomchecks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewSchemaValid checks each SBOM against its official schema.
func NewSchemaValid() controls.Check {
	c := controls.Check{
		ID:          "SBOM-SCHEMA-VALID",
		Title:       "SBOM is valid against its format's official schema",
		Rationale:   "A document that does not follow its specification is read differently by different tools; what it claims cannot be relied on.",
		Remediation: "Fix the generator (or the document) until it validates against the official CycloneDX / SPDX schema of its version.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSBOM,
		Method:      "TEST",
		Reads:       sbomReads,
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for _, d := range docs(ev) {
			out = append(out, judgeSchema(c, d))
		}
		return out
	}
	return c
}

func describe(d *sbom.Document) string {
	f := "CycloneDX"
	if d.Format == sbom.FormatSPDX {
		f = "SPDX"
	}
	return fmt.Sprintf("%s %s (%s)", f, strings.TrimPrefix(d.SpecVersion, "SPDX-"), d.Encoding)
}

func judgeSchema(c controls.Check, d docEv) evidence.Finding {
	switch {
	case d.doc.TooLarge:
		return finding(c, d, evidence.NotAssessed, "not read: "+d.doc.Error)
	case d.doc.Error != "":
		return finding(c, d, evidence.Fail, "cannot be read: "+d.doc.Error)
	case !d.doc.SchemaChecked:
		why := "no schema check applied"
		if len(d.doc.SchemaErrors) > 0 {
			why = d.doc.SchemaErrors[0]
		}
		return finding(c, d, evidence.NotAssessed, describe(d.doc)+": "+why)
	case d.doc.SchemaValid:
		how := "valid against the official JSON schema"
		if d.doc.Encoding == sbom.EncodingJSONLD && !strings.Contains(d.doc.SpecVersion, "3.0.1") {
			how = "structurally valid (no official JSON schema is embedded for this SPDX 3 version)"
		} else if d.doc.Encoding != sbom.EncodingJSON && d.doc.Encoding != sbom.EncodingJSONLD {
			how = "structurally valid (required elements and enumerations; no XSD/specification-text validation)"
		}
		return finding(c, d, evidence.Pass, describe(d.doc)+" is "+how)
	}
	return finding(c, d, evidence.Fail, fmt.Sprintf("%s violates its schema (%s): %s", describe(d.doc), plural(len(d.doc.SchemaErrors), "violation", "violations shown"), strings.Join(d.doc.SchemaErrors[:min(3, len(d.doc.SchemaErrors))], "; ")))
}

// NewPresent checks that a target that ships artifacts ships an SBOM.
func NewPresent() controls.Check {
	c := controls.Check{
		ID:          "SBOM-PRESENT",
		Title:       "Every target that ships artifacts carries an SBOM (or is described by one bound to its artifacts)",
		Rationale:   "Without an SBOM, the components of what is delivered are unknown, and nothing else in this pillar can be judged.",
		Remediation: "Generate an SBOM (CycloneDX or SPDX) for each release artifact and ship it with the release.",
		Severity:    evidence.High,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       []string{sbom.EvidenceKind, files.KindArtifact},
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		type tgt struct {
			sboms    []*evidence.Evidence
			releases []artifactEv
			// describedBy are SBOMs of other targets bound by digest to
			// this target's artifacts; boundPaths are those artifacts.
			describedBy []*evidence.Evidence
			boundPaths  map[string]bool
		}
		byTarget := map[string]*tgt{}
		get := func(n string) *tgt {
			if byTarget[n] == nil {
				byTarget[n] = &tgt{}
			}
			return byTarget[n]
		}
		for _, d := range docs(ev) {
			get(d.ev.Target).sboms = append(get(d.ev.Target).sboms, d.ev)
		}
		arts := artifacts(ev)
		for _, a := range arts {
			if a.a.Release && !a.a.Metadata {
				get(a.ev.Target).releases = append(get(a.ev.Target).releases, a)
			}
		}
		for _, d := range docs(ev) {
			if !usable(d.doc) {
				continue
			}
			for _, a := range bound(d.doc, arts) {
				if a.ev.Target != d.ev.Target {
					t := get(a.ev.Target)
					if n := len(t.describedBy); n == 0 || t.describedBy[n-1] != d.ev {
						t.describedBy = append(t.describedBy, d.ev)
					}
					if t.boundPaths == nil {
						t.boundPaths = map[string]bool{}
					}
					t.boundPaths[a.a.Path] = true
				}
			}
		}
		names := make([]string, 0, len(byTarget))
		for n := range byTarget {
			names = append(names, n)
		}
		sort.Strings(names)
		var out []evidence.Finding
		for _, n := range names {
			t := byTarget[n]
			subj := evidence.Subject{Type: "target", Ref: n}
			switch {
			case len(t.sboms) > 0:
				var files, ids []string
				for _, e := range t.sboms {
					files = append(files, e.Source)
					ids = append(ids, e.ID)
				}
				f := c.Finding(evidence.Pass, fmt.Sprintf("target %s carries %s: %s", n, plural(len(t.sboms), "SBOM", "SBOMs"), firstLabels(files, nameFirst)), subj)
				f.Evidence = ids
				out = append(out, f)
			case len(t.releases) > 0 && len(t.describedBy) > 0:
				var files, ids, undescribed []string
				for _, e := range t.describedBy {
					files = append(files, e.Target+":"+e.Source)
					ids = append(ids, e.ID)
				}
				for _, a := range t.releases {
					if !t.boundPaths[a.a.Path] {
						undescribed = append(undescribed, a.a.Path)
					}
				}
				sort.Strings(undescribed)
				msg := fmt.Sprintf("target %s ships %s; %s (in another target) is bound by digest to %d of them", n, plural(len(t.releases), "artifact", "artifacts"), firstLabels(files, nameFirst), len(t.boundPaths))
				if len(undescribed) > 0 {
					msg += " (no SBOM names " + firstLabels(undescribed, nameFirst) + ")"
				}
				f := c.Finding(evidence.Pass, msg, subj)
				f.Evidence = ids
				out = append(out, f)
			case len(t.releases) > 0:
				var paths, ids []string
				for _, a := range t.releases {
					paths = append(paths, a.a.Path)
					ids = append(ids, a.ev.ID)
				}
				sort.Strings(paths)
				f := c.Finding(evidence.Fail, fmt.Sprintf("target %s ships %s (%s) and no SBOM", n, plural(len(paths), "artifact", "artifacts"), firstLabels(paths, nameFirst)), subj)
				f.Evidence = ids
				out = append(out, f)
			}
		}
		return out
	}
	return c
}
