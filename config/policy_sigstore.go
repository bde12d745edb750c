package config

// SigstorePolicy is `policy.sigstore:`: what signatures, attestations, SLSA
// provenance and in-toto layouts found in the targets are verified against.
// Everything is a file the user pins; nothing is fetched.
//
//	policy:
//	  sigstore:
//	    trusted-roots: [trust/trusted_root.json]
//	    identities:
//	      - artifacts: ["*.tar.gz"]
//	        san: https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.0.0
//	        issuer: https://token.actions.githubusercontent.com
//	    keys:
//	      - path: keys/release.pub
//	        without-tlog-unsafe: true
//	    slsa:
//	      - artifacts: ["*"]
//	        source-uri: github.com/o/r
//	        builder-id: https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml
//	        min-level: 3
//	    layouts:
//	      - layout: in-toto/root.layout
//	        keys: [keys/alice.pub]
type SigstorePolicy struct {
	// TrustedRoots are Sigstore trusted_root.json files (Fulcio CAs, Rekor
	// and CT log keys, TSAs).
	TrustedRoots []string `yaml:"trusted-roots"`
	// Identities are expected Fulcio certificate identities per artifact
	// pattern.
	Identities []SigstoreIdentity `yaml:"identities"`
	// Keys are public keys (PEM: ECDSA, Ed25519, RSA) for key-signed bundles
	// and DSSE envelopes.
	Keys []SigstoreKey `yaml:"keys"`
	// SLSA are provenance expectations per artifact pattern.
	SLSA []SLSAExpectation `yaml:"slsa"`
	// NPMKeys is the npm registry keys.json (registry.npmjs.org/keys.json).
	NPMKeys string `yaml:"npm-keys"`
	// GCBKeys is a folder of Cloud Build KMS public keys (<region>.key).
	GCBKeys string `yaml:"gcb-keys"`
	// VSA are expectations of verification summary attestations.
	VSA []VSAExpectation `yaml:"vsa"`
	// Layouts are in-toto root layouts and the keys that must sign them.
	Layouts []InTotoLayout `yaml:"layouts"`
}

// SigstoreIdentity is an expected certificate identity: SAN and OIDC
// issuer, each exact or a regular expression.
type SigstoreIdentity struct {
	// Artifacts are glob patterns (path.Match, on the path in the target or
	// its base name) this identity applies to; empty means all.
	Artifacts   []string `yaml:"artifacts"`
	SAN         string   `yaml:"san"`
	SANRegex    string   `yaml:"san-regex"`
	Issuer      string   `yaml:"issuer"`
	IssuerRegex string   `yaml:"issuer-regex"`
}

// SigstoreKey is a trusted public key.
type SigstoreKey struct {
	Path      string   `yaml:"path"`
	Artifacts []string `yaml:"artifacts"`
	// KeyID, when set, must equal a DSSE signature's keyid.
	KeyID string `yaml:"key-id"`
	// Scheme pins the signature scheme (ecdsa-sha2-nistp256, ed25519,
	// rsassa-pss-sha256, rsa-pkcs1v15-sha256).
	Scheme string `yaml:"scheme"`
	// WithoutTlogUnsafe accepts key-signed bundles with no transparency-log
	// entry (their signing time is unproven).
	WithoutTlogUnsafe bool `yaml:"without-tlog-unsafe"`
}

// SLSAExpectation is what provenance for matching artifacts must show.
type SLSAExpectation struct {
	Artifacts          []string       `yaml:"artifacts"`
	SourceURI          string         `yaml:"source-uri"`
	BuilderID          string         `yaml:"builder-id"`
	SourceBranch       string         `yaml:"source-branch"`
	SourceTag          string         `yaml:"source-tag"`
	SourceVersionedTag string         `yaml:"source-versioned-tag"`
	BuildType          string         `yaml:"build-type"`
	ExternalParameters map[string]any `yaml:"external-parameters"`
	PackageName        string         `yaml:"package-name"`
	PackageVersion     string         `yaml:"package-version"`
	// MinLevel is the SLSA build level the provenance must show (0-3).
	MinLevel int `yaml:"min-level"`
}

// VSAExpectation is what a verification summary attestation must state.
type VSAExpectation struct {
	// Keys verify the VSA's DSSE signature (paths; key-id optional).
	Keys           []SigstoreKey `yaml:"keys"`
	SubjectDigests []string      `yaml:"subject-digests"`
	VerifierID     string        `yaml:"verifier-id"`
	ResourceURI    string        `yaml:"resource-uri"`
	VerifiedLevels []string      `yaml:"verified-levels"`
}

// InTotoLayout is a root layout to verify, with its keys and link folder.
type InTotoLayout struct {
	// Layout is the layout file (outside or inside a target).
	Layout string `yaml:"layout"`
	// Keys are PEM public keys that must all have signed the layout.
	Keys []string `yaml:"keys"`
	// LinkDir holds the link metadata (default: the layout's folder).
	LinkDir string `yaml:"link-dir"`
}

// Empty is true when the policy gives nothing to verify against.
func (s *SigstorePolicy) Empty() bool {
	return len(s.TrustedRoots) == 0 && len(s.Keys) == 0 && len(s.Layouts) == 0 && s.GCBKeys == "" && len(s.VSA) == 0
}

func (s *SigstorePolicy) resolve(c *Config) {
	for i := range s.TrustedRoots {
		s.TrustedRoots[i] = c.Abs(s.TrustedRoots[i])
	}
	for i := range s.Keys {
		s.Keys[i].Path = c.Abs(s.Keys[i].Path)
	}
	for i := range s.VSA {
		for j := range s.VSA[i].Keys {
			s.VSA[i].Keys[j].Path = c.Abs(s.VSA[i].Keys[j].Path)
		}
	}
	s.NPMKeys = c.Abs(s.NPMKeys)
	s.GCBKeys = c.Abs(s.GCBKeys)
	for i := range s.Layouts {
		l := &s.Layouts[i]
		l.Layout = c.Abs(l.Layout)
		l.LinkDir = c.Abs(l.LinkDir)
		for j := range l.Keys {
			l.Keys[j] = c.Abs(l.Keys[j])
		}
	}
}
