package sbom

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
	// SchemaErrors are the first schema violations, one line each.
	SchemaErrors []string `json:"schemaErrors,omitempty"`
	// Error is set when the document could not be parsed at all.
	Error string `json:"error,omitempty"`

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
}

// Component is one component (CycloneDX component, SPDX package).
type Component struct {
	Ref      string `json:"ref,omitempty"` // bom-ref or SPDXID
	Type     string `json:"type,omitempty"`
	Name     string `json:"name"`
	Version  string `json:"version,omitempty"`
	Supplier string `json:"supplier,omitempty"`
	// Originator is SPDX PackageOriginator or CycloneDX author/manufacturer.
	Originator string   `json:"originator,omitempty"`
	PURL       string   `json:"purl,omitempty"`
	CPE        string   `json:"cpe,omitempty"`
	SWID       string   `json:"swid,omitempty"`
	Hashes     []Hash   `json:"hashes,omitempty"`
	Licenses   []string `json:"licenses,omitempty"`
	// DownloadLocation is SPDX's, or a CycloneDX distribution reference.
	DownloadLocation string `json:"downloadLocation,omitempty"`
	// Pedigree records CycloneDX pedigree (ancestors, patches, commits).
	Pedigree *Pedigree `json:"pedigree,omitempty"`
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
