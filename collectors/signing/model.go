// Package signing finds Sigstore bundles, DSSE envelopes, in-toto
// attestations, SLSA provenance and in-toto layouts in a target by their
// content, verifies them offline against the trust policy and records the
// outcome as evidence. It never runs anything it finds (in-toto inspections
// included) and never reaches the network.
package signing

import "time"

// CollectorName is recorded in every evidence this collector emits.
const CollectorName = "signing"

// Evidence kinds.
const (
	// KindSignature is one signed object (Sigstore bundle, DSSE envelope,
	// npm attestations) and its verification; payload *Signature.
	KindSignature = "signing.signature"
	// KindProvenance is one SLSA provenance and its verification against the
	// SLSA expectations; payload *Provenance.
	KindProvenance = "signing.provenance"
	// KindAttestation is one in-toto statement's subjects matched to the
	// target's artifacts; payload *Attestation.
	KindAttestation = "signing.attestation"
	// KindLayout is one in-toto layout's verification; payload *Layout.
	KindLayout = "signing.layout"
	// KindPolicy is the trust policy as the collector loaded it, once per
	// target; payload *Policy.
	KindPolicy = "signing.policy"
)

// Status of a verification.
const (
	StatusVerified    = "verified"
	StatusFailed      = "failed"
	StatusNotAssessed = "not-assessed"
)

// Signature is a signed object and what verifying it showed.
type Signature struct {
	Path string `json:"path"`
	// Format: sigstore-bundle, cosign-bundle, cosign-signature, dsse,
	// npm-attestations, gcb-provenance.
	Format  string `json:"format"`
	Version string `json:"version,omitempty"`
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`
	// SignedWith: certificate or key.
	SignedWith string `json:"signedWith,omitempty"`
	// Signer is the certificate SAN or the key's algorithm and id.
	Signer string `json:"signer,omitempty"`
	Issuer string `json:"issuer,omitempty"`
	// Artifacts are the target's artifacts the signature covers.
	Artifacts []ArtifactRef `json:"artifacts,omitempty"`
	// PayloadType and PredicateType of a DSSE payload.
	PayloadType   string      `json:"payloadType,omitempty"`
	PredicateType string      `json:"predicateType,omitempty"`
	TlogEntries   int         `json:"tlogEntries"`
	Timestamps    []time.Time `json:"timestamps,omitempty"`
}

// ArtifactRef is an artifact of the target by path and digest.
type ArtifactRef struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Provenance is a SLSA provenance's verification.
type Provenance struct {
	Path   string `json:"path"`
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	// Format: github-actions, npm, gcb, key.
	Format        string        `json:"format,omitempty"`
	PredicateType string        `json:"predicateType,omitempty"`
	BuilderID     string        `json:"builderId,omitempty"`
	BuildType     string        `json:"buildType,omitempty"`
	SourceURI     string        `json:"sourceUri,omitempty"`
	SourceRef     string        `json:"sourceRef,omitempty"`
	SourceDigest  string        `json:"sourceDigest,omitempty"`
	Artifacts     []ArtifactRef `json:"artifacts,omitempty"`
	LevelShown    int           `json:"levelShown"`
	LevelClaimed  int           `json:"levelClaimed"`
	// MinLevel is the level the policy requires (0: none set).
	MinLevel int `json:"minLevel"`
}

// Attestation is an in-toto statement's subjects against the target.
type Attestation struct {
	Path          string `json:"path"`
	StatementType string `json:"statementType,omitempty"`
	PredicateType string `json:"predicateType,omitempty"`
	// Signed is true when the statement came out of a verified signature.
	Signed bool `json:"signed"`
	// Valid is false for a statement that is not a valid in-toto Statement.
	Valid   bool   `json:"valid"`
	Problem string `json:"problem,omitempty"`
	// Subjects are alg:hex of every subject.
	Subjects []string `json:"subjects,omitempty"`
	// Matched are the target's artifacts matching a subject.
	Matched []ArtifactRef `json:"matched,omitempty"`
}

// Layout is an in-toto layout's verification.
type Layout struct {
	Path    string `json:"path"`
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`
	Expires string `json:"expires,omitempty"`
	Steps   int    `json:"steps"`
	// Inspections not run (pedigree never runs layout commands).
	Inspections []string `json:"inspections,omitempty"`
}

// Policy is the trust policy as loaded for a target.
type Policy struct {
	TrustedRoots int  `json:"trustedRoots"`
	Identities   int  `json:"identities"`
	Keys         int  `json:"keys"`
	SLSA         int  `json:"slsa"`
	Layouts      int  `json:"layouts"`
	NPMKeys      bool `json:"npmKeys"`
	GCBKeys      bool `json:"gcbKeys"`
	// Problems are trust material that could not be loaded.
	Problems []string `json:"problems,omitempty"`
	// Found counts the signed objects found in the target.
	Found int `json:"found"`
}

// Empty is true when there is nothing to verify against.
func (p *Policy) Empty() bool {
	return p.TrustedRoots == 0 && p.Keys == 0 && p.Layouts == 0 && !p.GCBKeys
}
