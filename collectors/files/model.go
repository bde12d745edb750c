package files

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
	SHA512 string `json:"sha512,omitempty"`
	// Checksum marks files that are themselves checksum lists, signatures
	// or other metadata rather than shipped artifacts.
	Metadata bool `json:"metadata,omitempty"`
}

// ChecksumFile is a checksum list shipped with a release.
type ChecksumFile struct {
	Path string `json:"path"`
	// Style is gnu or bsd.
	Entries []ChecksumEntry `json:"entries"`
	// Problems are lines that could not be parsed, "line N: why".
	Problems []string `json:"problems,omitempty"`
}

// ChecksumEntry is one line of a checksum file.
type ChecksumEntry struct {
	Line      int    `json:"line"`
	Style     string `json:"style"`     // gnu or bsd
	Algorithm string `json:"algorithm"` // sha256, sha512, sha1, md5 ...
	Name      string `json:"name"`
	// Path is Name resolved against the checksum file's folder.
	Path   string `json:"path"`
	Digest string `json:"digest"`
	Binary bool   `json:"binary,omitempty"`
}
