package files

import "time"

// Evidence kinds of the files collector.
const (
	// KindArtifact is one inventoried file; payload *Artifact. Subject is
	// {Type: "artifact", Ref: path, Digest: "sha256:<hex>"}.
	KindArtifact = "files.artifact"
	// KindChecksumFile is a parsed checksum file; payload *ChecksumFile.
	KindChecksumFile = "files.checksums"
)

// Artifact is one regular file of a target with its digests.
type Artifact struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	// Digests holds every digest computed, by algorithm (sha256 always;
	// others when a checksum file asks for them).
	Digests map[string]string `json:"digests"`
	// Release is true for files that look like shipped release artifacts
	// (archives, packages, executables) as opposed to metadata and sources.
	Release bool `json:"release"`
	// Metadata marks checksum lists, signatures, certificates, SBOMs and
	// attestations: files about artifacts rather than artifacts.
	Metadata bool `json:"metadata,omitempty"`
	// BuiltAt is when a release archive says its contents were made (the
	// newest member time of a zip or tar.gz); zero when it does not say.
	BuiltAt time.Time `json:"builtAt,omitzero"`
	// BuiltAtProblem says which limit stopped the reading of BuiltAt.
	BuiltAtProblem string `json:"builtAtProblem,omitempty"`
	// notPackage: named like a package its content is not (a test
	// snapshot named .snap).
	notPackage bool
}

// ChecksumFile is a checksum list shipped with a release.
type ChecksumFile struct {
	Path    string          `json:"path"`
	Entries []ChecksumEntry `json:"entries"`
	// Problems are lines that could not be parsed, "line N: why".
	Problems []string `json:"problems,omitempty"`
}

// ChecksumEntry is one line of a checksum file.
type ChecksumEntry struct {
	Line int `json:"line"`
	// Style is gnu ("<hex>  name"), bsd ("SHA256 (name) = <hex>") or bare
	// (a lone digest in "name.sha256").
	Style     string `json:"style"`
	Algorithm string `json:"algorithm"` // sha256, sha512, sha384, sha224, sha1, md5
	Name      string `json:"name"`
	// Path is Name resolved against the checksum file's folder, relative
	// to the target; empty when Name points outside the target.
	Path   string `json:"path"`
	Digest string `json:"digest"`
	Binary bool   `json:"binary,omitempty"`
}
