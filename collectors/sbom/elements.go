package sbom

import (
	"strings"

	"github.com/pedigree-dev/pedigree/evidence"
)

// The predicates below follow the counting rules documented with the
// shared SBOM corpus (and sbomqs's NTIA check), so that pedigree's counts
// agree with an independent reader's.

// HasSupplier: a supplier (CycloneDX supplier name or URL, SPDX supplier)
// or a maker (CycloneDX manufacturer, SPDX originator) is named.
func (c *Component) HasSupplier() bool { return c.Supplier != "" || c.Originator() != "" }

// HasVersion: a non-empty version.
func (c *Component) HasVersion() bool { return strings.TrimSpace(c.Version) != "" }

// HasIdentifier: a purl, CPE or SWID tag id.
func (c *Component) HasIdentifier() bool { return c.PURL != "" || c.CPE != "" || c.SWID() != "" }

// HasHash: at least one digest.
func (c *Component) HasHash() bool { return len(c.Hashes) > 0 }

// HasLicense: a license id, name or expression.
func (c *Component) HasLicense() bool { return len(c.Licenses) > 0 }

// HasProvenance: where the component came from is recorded: CycloneDX
// pedigree, an SPDX originator, a download location or a VCS reference.
func (c *Component) HasProvenance() bool {
	x := c.x()
	return x.Pedigree != nil || x.Originator != "" || x.DownloadLocation != "" || x.VCS != ""
}

// Label names a component in messages: name@version, or its ref, each
// clipped (the SBOM is untrusted; the evidence keeps the whole value).
func (c *Component) Label() string {
	n := c.Name
	if n == "" {
		n = c.Ref
	}
	if n == "" {
		n = "(unnamed)"
	}
	n = evidence.Clip(n, evidence.MaxQuoted)
	if c.Version != "" {
		n += "@" + evidence.Clip(c.Version, evidence.MaxQuoted)
	}
	return n
}

// HasAuthor: named authors, a named tool, or a document supplier or
// manufacturer (CycloneDX); a Person, Organization or Tool creator (SPDX).
func (d *Document) HasAuthor() bool {
	return len(d.Authors) > 0 || len(d.Tools) > 0 || d.Supplier != ""
}

// HasTimestamp: metadata.timestamp / creationInfo.created.
func (d *Document) HasTimestamp() bool { return strings.TrimSpace(d.Timestamp) != "" }

// Missing counts components lacking each element.
type Missing struct {
	Supplier   int `json:"supplier"`
	Version    int `json:"version"`
	Identifier int `json:"identifier"`
	Hash       int `json:"hash"`
}

// CountMissing counts components lacking supplier, version, identifier and
// hash.
func (d *Document) CountMissing() Missing {
	var m Missing
	for i := range d.Components {
		c := &d.Components[i]
		if !c.HasSupplier() {
			m.Supplier++
		}
		if !c.HasVersion() {
			m.Version++
		}
		if !c.HasIdentifier() {
			m.Identifier++
		}
		if !c.HasHash() {
			m.Hash++
		}
	}
	return m
}

// NTIAMinimum judges the NTIA (2021) minimum elements: at least one
// component; every component with supplier, name, version and unique
// identifier; the document with dependency relationships, author and
// timestamp. first names the first missing element in that order
// ("components" when there are none).
func (d *Document) NTIAMinimum() (pass bool, first string) {
	if len(d.Components) == 0 {
		return false, "components"
	}
	m := d.CountMissing()
	names := 0
	for i := range d.Components {
		if strings.TrimSpace(d.Components[i].Name) == "" {
			names++
		}
	}
	switch {
	case m.Supplier > 0:
		return false, "supplier"
	case names > 0:
		return false, "name"
	case m.Version > 0:
		return false, "version"
	case m.Identifier > 0:
		return false, "identifier"
	case !d.HasDependencies:
		return false, "dependencies"
	case !d.HasAuthor():
		return false, "author"
	case !d.HasTimestamp():
		return false, "timestamp"
	}
	return true, ""
}
