// Package sbomchecks judges SBOMs: composition (NTIA, CISA 2025 and BSI
// TR-03183-2 minimum elements, the dependency graph, identifiers),
// provenance and integrity (supplier, pedigree, hash strength, embedded
// signature, binding to the assessed artifact, staleness), schema validity
// and presence. Every check is a pure function of the evidence.
package sbomchecks

import (
	"fmt"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Options are the policy the checks apply, passed in as data.
type Options struct {
	// MaxAge fails SBOMs whose timestamp is older than this (SBOM-STALE);
	// zero means no age limit.
	MaxAge time.Duration
}

// All returns every SBOM check.
func All(o Options) []controls.Check {
	return []controls.Check{
		NewPresent(),
		NewSchemaValid(),
		NewNTIAMinimum(),
		NewCISA2025Minimum(),
		NewBSITR03183(),
		NewDependencyGraph(),
		NewIdentifiersValid(),
		NewSupplier(),
		NewProvenance(),
		NewHashStrength(),
		NewSigned(),
		NewArtifactBinding(),
		NewStale(o.MaxAge),
	}
}

// sbomReads is what most checks read.
var sbomReads = []string{sbom.EvidenceKind}

// docEv is one SBOM with its evidence.
type docEv struct {
	ev  *evidence.Evidence
	doc *sbom.Document
}

// docs returns the SBOMs in ev, parseable or not.
func docs(ev []evidence.Evidence) []docEv {
	var out []docEv
	for i := range ev {
		if ev[i].Kind != sbom.EvidenceKind {
			continue
		}
		if d := asDocument(&ev[i]); d != nil {
			out = append(out, docEv{&ev[i], d})
		}
	}
	return out
}

// asDocument accepts the collector's *sbom.Document or the generic JSON a
// pedigree.json round trip leaves.
func asDocument(e *evidence.Evidence) *sbom.Document {
	d, _ := evidence.PayloadAs[sbom.Document](e)
	return d
}

// artifactEv is one inventoried file.
type artifactEv struct {
	ev *evidence.Evidence
	a  *files.Artifact
}

func artifacts(ev []evidence.Evidence) []artifactEv {
	var out []artifactEv
	for i := range ev {
		if ev[i].Kind != files.KindArtifact {
			continue
		}
		if a, ok := evidence.PayloadAs[files.Artifact](&ev[i]); ok {
			out = append(out, artifactEv{&ev[i], a})
		}
	}
	return out
}

func subjectOf(d docEv) evidence.Subject {
	s := evidence.Subject{Type: "sbom", Ref: docLabel(d.doc)}
	if d.ev.SHA256 != "" {
		s.Digest = "sha256:" + d.ev.SHA256
	}
	return s
}

// docLabel names an SBOM in messages and subjects: its file, and for one
// a distribution channel carried, the artifact it is attached to. The
// finding's location stays the file, which readers of reports can open.
func docLabel(d *sbom.Document) string {
	if a := d.Attached; a != nil {
		return d.File + " (SBOM attached to " + a.Ref + ")"
	}
	return d.File
}

// finding builds a document-level finding anchored at the SBOM file.
func finding(c controls.Check, d docEv, st evidence.Status, msg string, more ...string) evidence.Finding {
	f := c.Finding(st, docLabel(d.doc)+": "+msg, subjectOf(d))
	f.Location = &evidence.Location{Path: d.doc.File}
	f.Evidence = append([]string{d.ev.ID}, more...)
	return f
}

// usable reports documents the content checks can judge; the others are
// SBOM-SCHEMA-VALID's to report.
func usable(d *sbom.Document) bool { return d.Error == "" }

// firstLabels names up to n offenders, "a@1, b@2 and 5 more".
func firstLabels(labels []string, n int) string {
	if len(labels) <= n {
		return strings.Join(labels, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(labels[:n], ", "), len(labels)-n)
}

// offenders counts the components for which bad is true and names the
// first nameFirst of them (labels are built only for those, so a huge SBOM
// costs no string per component).
func offenders(d *sbom.Document, bad func(*sbom.Component) bool) (int, []string) {
	n := 0
	var first []string
	for i := range d.Components {
		if bad(&d.Components[i]) {
			n++
			if len(first) < nameFirst {
				first = append(first, d.Components[i].Label())
			}
		}
	}
	return n, first
}

// named renders the first offenders of n, "a@1, b@2 and 5 more".
func named(n int, first []string) string {
	if n <= len(first) {
		return strings.Join(first, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(first, ", "), n-len(first))
}

const nameFirst = 5

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
