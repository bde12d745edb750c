package config

// Repo is the `repo:` section of pedigree.yaml: how source repositories
// found in the targets are judged.
//
//	repo:
//	  signature-window: 1000
//	  allowed-signers: keys/allowed_signers
//	  openpgp-keyrings: [keys/maintainers.asc]
//	  forge-keyrings: [keys/github-web-flow.asc]
//	  online:
//	    enabled: false
//	    provider: github
//	    repository: example-org/pedigree-demo
//	    token-env: GITHUB_TOKEN
type Repo struct {
	// SignatureWindow is how many commits back from HEAD signatures are
	// checked (default 1000).
	SignatureWindow int `yaml:"signature-window"`
	// AllowedSigners is an ssh-keygen allowed_signers file: the SSH keys
	// trusted to sign commits and tags.
	AllowedSigners string `yaml:"allowed-signers"`
	// OpenPGPKeyrings are the OpenPGP keys trusted to sign commits and tags
	// (in addition to policy.keys.openpgp-keyrings).
	OpenPGPKeyrings []string `yaml:"openpgp-keyrings"`
	// ForgeKeyrings are a forge's OpenPGP signing keys (GitHub's web-flow
	// key signs merges and edits made in the web interface): trusted to
	// sign commits, and counted apart from maintainers' keys.
	ForgeKeyrings []string `yaml:"forge-keyrings"`
	// MinSignedShare is the share of commits in the window that must carry
	// a verified signature (0–1, default 1).
	MinSignedShare *float64 `yaml:"min-signed-share"`
	// Online configures the opt-in forge API collectors.
	Online RepoOnline `yaml:"online"`
}

// RepoOnline is `repo.online:`. Never on by default.
type RepoOnline struct {
	Enabled bool `yaml:"enabled"`
	// Provider is github or gitlab.
	Provider string `yaml:"provider"`
	// Repository is owner/name (GitHub) or the project path (GitLab).
	Repository string `yaml:"repository"`
	// Branch is the branch whose protection is checked (default: the
	// repository's default branch).
	Branch string `yaml:"branch"`
	// TokenEnv names the environment variable holding the API token.
	TokenEnv string `yaml:"token-env"`
	// BaseURL is the API root for GitHub Enterprise or self-managed GitLab.
	BaseURL string `yaml:"base-url"`
}

func (s *Repo) resolve(c *Config) {
	s.AllowedSigners = c.Abs(s.AllowedSigners)
	for i := range s.OpenPGPKeyrings {
		s.OpenPGPKeyrings[i] = c.Abs(s.OpenPGPKeyrings[i])
	}
	for i := range s.ForgeKeyrings {
		s.ForgeKeyrings[i] = c.Abs(s.ForgeKeyrings[i])
	}
}
