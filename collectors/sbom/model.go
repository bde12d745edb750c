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
	// Parent is the ref of the enclosing component of a nested CycloneDX
	// component (nested components are part of their parent).
	Parent string `json:"parent,omitempty"`
	// VCS is a CycloneDX vcs external reference or SPDX sourceInfo URL.
	VCS string `json:"vcs,omitempty"`
	// FileName is the component's file name (SPDX packageFileName, or the
	// CycloneDX bsi:component:filename property).
	FileName string `json:"fileName,omitempty"`
	// Properties keeps only the bsi:* properties BSI TR-03183-2 defines
	// (bsi:component:executable, ...:archive, ...:structured, ...:filename).
	Properties map[string]string `json:"properties,omitempty"`
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
	p.ComponentCount = len(d.Components)
	if len(d.Components) > SummaryLimit {
		p.Components = nil
		p.Dependencies = nil
		p.Truncated = true
	}
	return json.Marshal(p)
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
