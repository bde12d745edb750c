package sbom

import "encoding/json"

// Document is an SBOM of any supported format, normalised to what pedigree's
// checks judge. Kept in Evidence.Payload (kind "sbom.document").
type Document struct {
	// File is the path relative to the target.
	File string `json:"file"`
	// Format is cyclonedx or spdx.
	Format string `json:"format"`
	// SpecVersion is exactly as written in the document ("1.6", "SPDX-2.2").
	SpecVersion string `json:"specVersion"`
	// Encoding is json, xml, tag-value, yaml or json-ld.
	Encoding    string `json:"encoding"`
	SchemaValid bool   `json:"schemaValid"`
	// SchemaChecked is true when the document was checked against its
	// official schema (or, for XML, tag-value, YAML and SPDX 3 without an
	// embedded schema, structurally); false when no check applied.
	SchemaChecked bool `json:"schemaChecked"`
	// SchemaErrors are the first schema violations, one line each.
	SchemaErrors []string `json:"schemaErrors,omitempty"`
	// Error is set when the document could not be parsed at all.
	Error string `json:"error,omitempty"`
	// TooLarge is set when the document was not read because it is above
	// the size limit (Error says which): nothing about it is known, so
	// the checks say not-assessed rather than fail.
	TooLarge bool `json:"tooLarge,omitempty"`

	Name      string   `json:"name,omitempty"`
	Authors   []string `json:"authors,omitempty"`
	Tools     []string `json:"tools,omitempty"`
	Timestamp string   `json:"timestamp,omitempty"`
	// Lifecycle / generation context (CISA 2025), when stated.
	Lifecycle []string `json:"lifecycle,omitempty"`
	// Primary is the component the SBOM describes (CycloneDX
	// metadata.component, SPDX documentDescribes), if any.
	Primary    *Component  `json:"primary,omitempty"`
	Components []Component `json:"components"`
	// Dependencies maps a component ref to the refs it depends on.
	Dependencies map[string][]string `json:"dependencies,omitempty"`
	// HasDependencies follows the counting rule of the corpus: a non-empty
	// dependsOn (CycloneDX) or a relationship other than DESCRIBES (SPDX).
	HasDependencies bool `json:"hasDependencies"`
	// Signed is true when the document carries an embedded signature.
	Signed bool `json:"signed,omitempty"`

	// SerialNumber is CycloneDX serialNumber or SPDX documentNamespace: the
	// SBOM's own unique identifier.
	SerialNumber string `json:"serialNumber,omitempty"`
	// Supplier is the document-level supplier or manufacturer (CycloneDX
	// metadata.supplier / metadata.manufacturer), which the corpus rule
	// counts as an author.
	Supplier string `json:"supplier,omitempty"`
	// AuthorContacts are e-mail addresses or URLs of the SBOM's creators
	// (BSI TR-03183-2 wants a contact for the creator).
	AuthorContacts []string `json:"authorContacts,omitempty"`
	// DuplicateRefs lists bom-refs / SPDXIDs that occur more than once.
	DuplicateRefs []string `json:"duplicateRefs,omitempty"`
	// Signature is the embedded JSF signature and what verifying it showed.
	Signature *Signature `json:"signature,omitempty"`
	// Attached is set when a distribution channel carried the SBOM for an
	// artifact (an OCI image's attestation or cosign .sbom layer) rather
	// than a file in the target: what binds it to that artifact, and what
	// verifying its signature showed.
	Attached *Attachment `json:"attached,omitempty"`
	// Truncated is set on a marshalled summary whose component list and
	// dependency graph were left out because they were large; the raw file
	// is identified by the evidence's SHA-256.
	Truncated bool `json:"truncated,omitempty"`
	// ComponentCount is len(Components), kept in summaries.
	ComponentCount int `json:"componentCount"`
}

// Attachment is how an attached SBOM is bound to the artifact it describes.
type Attachment struct {
	// Digest is the artifact's digest ("sha256:…"); Ref names it.
	Digest string `json:"digest"`
	Ref    string `json:"ref,omitempty"`
	// Subject is true when a signed in-toto statement's subject names the
	// digest; false when only the registry's naming (a cosign
	// sha256-<digest>.sbom tag) associates the two.
	Subject bool `json:"subject"`
	// Signature is "verified", "failed" or "not-verified" (unsigned, or no
	// trusted key to verify with), with Message saying which and why.
	Signature string `json:"signature"`
	Message   string `json:"message,omitempty"`
}

// Signature is an embedded CycloneDX JSF signature, verified at collection
// time against the public key it carries (which says nothing of whether that
// key is trusted: that is the signing pillar's policy).
type Signature struct {
	// Algorithm is the JSF algorithm (ES256, RS256, PS256, Ed25519, ...).
	Algorithm string `json:"algorithm,omitempty"`
	// KeyType describes the embedded public key ("EC P-256", "RSA 3072").
	KeyType string `json:"keyType,omitempty"`
	KeyID   string `json:"keyId,omitempty"`
	// Signers counts the signatures of a multi-signature (signers/chain).
	Signers int `json:"signers,omitempty"`
	// Verified is true when the value verified over the JSF-canonical form.
	Verified bool `json:"verified"`
	// Unsupported is true when pedigree cannot verify this kind of
	// signature (multi-signature, certificate path only, unknown algorithm).
	Unsupported bool `json:"unsupported,omitempty"`
	// Problem says why verification failed or could not be done.
	Problem string `json:"problem,omitempty"`
}

// Component is one component (CycloneDX component, SPDX package). What
// most components carry is held inline; what few carry (originator, SWID,
// pedigree, nesting, ...) is in Extra, nil when none of it is set: a
// million-component SBOM is held in 168 bytes a component instead of 272.
// Its JSON form is flat, as if every field were inline.
type Component struct {
	Ref      string // bom-ref or SPDXID
	Type     string
	Name     string
	Version  string
	Supplier string
	PURL     string
	CPE      string
	Hashes   []Hash
	Licenses []string
	Extra    *ComponentExtra
}

// ComponentExtra holds the fields of a Component that few components set.
type ComponentExtra struct {
	// Originator is SPDX PackageOriginator or CycloneDX author/manufacturer.
	Originator string
	SWID       string
	// DownloadLocation is SPDX's, or a CycloneDX distribution reference.
	DownloadLocation string
	// Pedigree records CycloneDX pedigree (ancestors, patches, commits).
	Pedigree *Pedigree
	// Parent is the ref of the enclosing component of a nested CycloneDX
	// component (nested components are part of their parent).
	Parent string
	// VCS is a CycloneDX vcs external reference or SPDX sourceInfo URL.
	VCS string
	// FileName is the component's file name (SPDX packageFileName, or the
	// CycloneDX bsi:component:filename property).
	FileName string
	// Properties keeps only the bsi:* properties BSI TR-03183-2 defines
	// (bsi:component:executable, ...:archive, ...:structured, ...:filename).
	Properties map[string]string
}

// More returns c's ComponentExtra, adding an empty one if it has none, for
// a decoder to set a field of it.
func (c *Component) More() *ComponentExtra {
	if c.Extra == nil {
		c.Extra = &ComponentExtra{}
	}
	return c.Extra
}

var noExtra ComponentExtra

// x returns c's ComponentExtra, or an empty one to read from.
func (c *Component) x() *ComponentExtra {
	if c.Extra == nil {
		return &noExtra
	}
	return c.Extra
}

// Originator is SPDX PackageOriginator or CycloneDX author/manufacturer.
func (c *Component) Originator() string { return c.x().Originator }

// SWID is the component's SWID tag id.
func (c *Component) SWID() string { return c.x().SWID }

// DownloadLocation is SPDX's, or a CycloneDX distribution reference.
func (c *Component) DownloadLocation() string { return c.x().DownloadLocation }

// Parent is the ref of the component a nested CycloneDX component is in.
func (c *Component) Parent() string { return c.x().Parent }

// VCS is a CycloneDX vcs external reference or SPDX sourceInfo URL.
func (c *Component) VCS() string { return c.x().VCS }

// FileName is SPDX packageFileName or the bsi:component:filename property.
func (c *Component) FileName() string { return c.x().FileName }

// Properties are the bsi:* properties of the component.
func (c *Component) Properties() map[string]string { return c.x().Properties }

// componentJSON is Component's JSON form, its fields in their order.
type componentJSON struct {
	Ref              string            `json:"ref,omitempty"`
	Type             string            `json:"type,omitempty"`
	Name             string            `json:"name"`
	Version          string            `json:"version,omitempty"`
	Supplier         string            `json:"supplier,omitempty"`
	Originator       string            `json:"originator,omitempty"`
	PURL             string            `json:"purl,omitempty"`
	CPE              string            `json:"cpe,omitempty"`
	SWID             string            `json:"swid,omitempty"`
	Hashes           []Hash            `json:"hashes,omitempty"`
	Licenses         []string          `json:"licenses,omitempty"`
	DownloadLocation string            `json:"downloadLocation,omitempty"`
	Pedigree         *Pedigree         `json:"pedigree,omitempty"`
	Parent           string            `json:"parent,omitempty"`
	VCS              string            `json:"vcs,omitempty"`
	FileName         string            `json:"fileName,omitempty"`
	Properties       map[string]string `json:"properties,omitempty"`
}

// MarshalJSON writes the component flat, as its fields were always written.
func (c Component) MarshalJSON() ([]byte, error) {
	x := c.x()
	return json.Marshal(componentJSON{
		Ref: c.Ref, Type: c.Type, Name: c.Name, Version: c.Version, Supplier: c.Supplier, Originator: x.Originator,
		PURL: c.PURL, CPE: c.CPE, SWID: x.SWID, Hashes: c.Hashes, Licenses: c.Licenses,
		DownloadLocation: x.DownloadLocation, Pedigree: x.Pedigree, Parent: x.Parent, VCS: x.VCS, FileName: x.FileName,
		Properties: x.Properties,
	})
}

// UnmarshalJSON reads the flat form MarshalJSON writes.
func (c *Component) UnmarshalJSON(b []byte) error {
	var j componentJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*c = Component{Ref: j.Ref, Type: j.Type, Name: j.Name, Version: j.Version, Supplier: j.Supplier, PURL: j.PURL,
		CPE: j.CPE, Hashes: j.Hashes, Licenses: j.Licenses}
	e := ComponentExtra{Originator: j.Originator, SWID: j.SWID, DownloadLocation: j.DownloadLocation, Pedigree: j.Pedigree,
		Parent: j.Parent, VCS: j.VCS, FileName: j.FileName, Properties: j.Properties}
	if e.Originator != "" || e.SWID != "" || e.DownloadLocation != "" || e.Pedigree != nil || e.Parent != "" ||
		e.VCS != "" || e.FileName != "" || e.Properties != nil {
		c.Extra = &e
	}
	return nil
}

// Hash is one digest of a component.
type Hash struct {
	Algorithm string `json:"alg"` // normalised: SHA-256, SHA-512, SHA-1, MD5, ...
	Value     string `json:"value"`
}

// Pedigree is CycloneDX's component pedigree.
type Pedigree struct {
	Ancestors int      `json:"ancestors,omitempty"`
	Patches   int      `json:"patches,omitempty"`
	Commits   []string `json:"commits,omitempty"`
	Notes     string   `json:"notes,omitempty"`
}

// EvidenceKind is the kind of the evidence whose payload is a *Document.
const EvidenceKind = "sbom.document"

// SummaryLimit is the number of components above which a Document marshals
// (into pedigree.json) as a summary without its component list and
// dependency graph: the raw SBOM is referenced by its SHA-256 instead.
const SummaryLimit = 2000

// MarshalJSON writes the document, or its summary when it is large.
func (d *Document) MarshalJSON() ([]byte, error) {
	type plain Document
	p := plain(*d)
	if !d.Truncated {
		p.ComponentCount = len(d.Components)
	}
	if len(d.Components) > SummaryLimit {
		p.Components = nil
		p.Dependencies = nil
		p.Truncated = true
	}
	return json.Marshal(p)
}

// Compact drops the component list and dependency graph of a document
// that marshals as a summary (evidence.Compacter): once checks and the
// inventory have read them, a large SBOM's components are not held while
// the reports are written. The marshalled form does not change.
func (d *Document) Compact() {
	if len(d.Components) <= SummaryLimit {
		return
	}
	d.ComponentCount = len(d.Components)
	d.Components, d.Dependencies, d.Truncated = nil, nil, true
}

// Formats and encodings.
const (
	FormatCycloneDX = "cyclonedx"
	FormatSPDX      = "spdx"

	EncodingJSON     = "json"
	EncodingXML      = "xml"
	EncodingTagValue = "tag-value"
	EncodingYAML     = "yaml"
	EncodingJSONLD   = "json-ld"
)
