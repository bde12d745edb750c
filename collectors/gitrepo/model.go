package gitrepo

// Evidence kinds of the gitrepo collector.
const (
	// KindHistory is the signature history of a repository; payload *History.
	KindHistory = "repo.history"
	// KindTree is what the repository's HEAD tree holds that matters to
	// supply-chain hygiene; payload *Tree.
	KindTree = "repo.tree"
	// KindProblem is a repository pedigree could not read safely; payload
	// *Problem.
	KindProblem = "repo.problem"
)

// Signature kinds, as git records them.
const (
	SigNone    = "none"
	SigOpenPGP = "openpgp"
	SigSSH     = "ssh"
	SigX509    = "x509"
)

// History is the commit and tag signature record of one repository.
type History struct {
	// Root is the repository's folder relative to the target ("." for the
	// target itself).
	Root string `json:"root"`
	// Branch is the branch HEAD points to; Head its commit.
	Branch string `json:"branch"`
	Head   string `json:"head"`
	// Window is how many commits were examined (at most the configured
	// signature window).
	Window int `json:"window"`
	// Truncated is true when history goes on beyond the window.
	Truncated bool        `json:"truncated"`
	Commits   []Signature `json:"commits"`
	Tags      []Signature `json:"tags"`
	// Trust says what signatures could be checked against: "openpgp",
	// "ssh" (allowed_signers), both, or none.
	Trust []string `json:"trust,omitempty"`
	// Counts sums up the commits in the window by signature state.
	Counts SignatureCounts `json:"counts"`
}

// SignatureCounts splits the commits of a window by what their signature
// proves: verified against a trusted key, signed by a key the trust policy
// does not hold (with the key ids, so that an assessor can decide whether
// to trust them), or unsigned. A signature that fails against a key the
// policy holds, or cannot be parsed, is Invalid.
type SignatureCounts struct {
	Verified int `json:"verified"`
	// VerifiedByForge are the verified commits signed by a forge's key
	// (repo.forge-keyrings), such as merges made in a web interface.
	VerifiedByForge int `json:"verifiedByForge,omitempty"`
	UnknownKey      int `json:"unknownKey"`
	// UnknownKeyIDs are the distinct key ids of those signatures, most
	// frequent first.
	UnknownKeyIDs []KeyCount `json:"unknownKeyIds,omitempty"`
	Unsigned      int        `json:"unsigned"`
	Invalid       int        `json:"invalid,omitempty"`
}

// KeyCount is one signing key and how many commits it signed.
type KeyCount struct {
	KeyID   string `json:"keyId"`
	Kind    string `json:"kind"`
	Commits int    `json:"commits"`
}

// Signature is the signature state of one commit or tag.
type Signature struct {
	// Ref is the commit hash, or the tag name.
	Ref string `json:"ref"`
	// Commit is the commit a tag points to.
	Commit string `json:"commit,omitempty"`
	Author string `json:"author,omitempty"`
	When   string `json:"when,omitempty"`
	// Kind is none, openpgp, ssh or x509.
	Kind string `json:"kind"`
	// Verified is true when the signature verified against trusted keys.
	Verified bool `json:"verified"`
	// Signer names the key that verified it (fingerprint or principal).
	Signer string `json:"signer,omitempty"`
	// KeyID is the key the signature names: the OpenPGP issuer
	// fingerprint (or long key id), the SSH key's SHA256 fingerprint.
	KeyID string `json:"keyId,omitempty"`
	// UnknownKey is true when the signature is made by a key that the
	// trust policy does not hold: it is neither verified nor bad.
	UnknownKey bool `json:"unknownKey,omitempty"`
	// Forge is true when a forge's key (repo.forge-keyrings) verified it.
	Forge bool `json:"forge,omitempty"`
	// Reason says why a present signature did not verify, or why it could
	// not be checked.
	Reason string `json:"reason,omitempty"`
	// Annotated is false for lightweight tags, which cannot be signed.
	Annotated bool `json:"annotated,omitempty"`
	// Release is true for tags that look like versions (v1.2.3, 1.2).
	Release bool `json:"release,omitempty"`
}

// Tree records what the HEAD tree holds.
type Tree struct {
	Root string `json:"root"`
	// Files is the number of files in the HEAD tree.
	Files int `json:"files"`
	// CodeOwners is the path of the CODEOWNERS file in effect, if any, and
	// its rules.
	CodeOwners     string      `json:"codeowners,omitempty"`
	CodeOwnerRules []OwnerRule `json:"codeownerRules,omitempty"`
	PipelineFiles  []string    `json:"pipelineFiles,omitempty"`
	SecurityPolicy string      `json:"securityPolicy,omitempty"`
	DependencyBots []string    `json:"dependencyUpdates,omitempty"`
	Manifests      []Manifest  `json:"manifests,omitempty"`
	Binaries       []Binary    `json:"binaries,omitempty"`
	// ExcludedBinaries are binaries under a folder the target excludes
	// (test fixtures, vendored code): recorded, not judged.
	ExcludedBinaries []Binary `json:"excludedBinaries,omitempty"`
	// ExcludedManifests are dependency manifests under a folder the target
	// excludes (a fixture project without its lockfile): recorded, not
	// judged.
	ExcludedManifests []Manifest `json:"excludedManifests,omitempty"`
	SkippedTooLarge   []string   `json:"skippedTooLarge,omitempty"`
}

// OwnerRule is one CODEOWNERS line.
type OwnerRule struct {
	Line    int      `json:"line"`
	Pattern string   `json:"pattern"`
	Owners  []string `json:"owners"`
}

// Manifest is a dependency manifest and the lockfile that pins it.
type Manifest struct {
	Path      string `json:"path"`
	Ecosystem string `json:"ecosystem"`
	// Lockfile is the lockfile found beside it or, for a workspace member,
	// at the root of the workspace that lists it, if any.
	Lockfile string `json:"lockfile,omitempty"`
	// Problems are inconsistencies: dependencies the lockfile lacks,
	// requirements without hashes.
	Problems []string `json:"problems,omitempty"`
	// Dependencies is the number of direct dependencies declared.
	Dependencies int `json:"dependencies"`
	// ExcludedBy is the exclude rule that left it out of judgement.
	ExcludedBy string `json:"excludedBy,omitempty"`
}

// Binary is a committed executable or library.
type Binary struct {
	Path string `json:"path"`
	// Format is elf, pe, mach-o, wasm, jar or class.
	Format string `json:"format"`
	Size   int64  `json:"size"`
	// ExcludedBy is the exclude rule that left it out of judgement.
	ExcludedBy string `json:"excludedBy,omitempty"`
}

// Problem is a repository that could not be read as it stands.
type Problem struct {
	Root   string `json:"root"`
	Reason string `json:"reason"`
}
